"""Downloading remote resources, only when the user allows remote data (``--allow-remote``).

This module owns the HTTP client (``urllib3``, which ``requests`` is built on; used directly
so that the connection goes to the address that was checked). A package comes from a
stranger, so a download must not become a way into the machine's own network (SSRF):

* only ``http://`` and ``https://`` URLs, without user names or passwords in them;
* the host is resolved once, every address it resolves to is checked, and the connection
  is made to the checked address (no second lookup a DNS server could answer differently):
  link-local addresses (``169.254.0.0/16`` with the cloud metadata services, ``fe80::/10``)
  are always refused; loopback and private-network addresses only with
  ``allow_local_network``;
* redirects are followed (at most :data:`MAX_REDIRECTS`) only to ``http(s)`` URLs, never
  from ``https`` to ``http``, and only to the same origin or to a public address;
* the body is cut off at ``max_file_bytes`` (after any ``Content-Encoding``, which is
  decoded with the same cap), and the whole download at ``remote_timeout`` seconds;
* proxies from the environment are not used, and no cookies or credentials are sent.
"""

from __future__ import annotations

import ipaddress
import socket
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import SplitResult, urljoin, urlsplit

from .errors import InputError, UnsafeInputError
from .limits import Limits

__all__ = ["MAX_REDIRECTS", "address_kind", "download"]

#: Most redirects followed for one download.
MAX_REDIRECTS = 5
_CHUNK = 1 << 16
_ASK = "download the file yourself and put it inside the package folder"


def address_kind(ip: str) -> str:
    """``"public"``, ``"private"``, ``"loopback"`` or ``"link-local"`` for an IP address."""
    addr = ipaddress.ip_address(ip.split("%", 1)[0])
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        addr = addr.ipv4_mapped
    if addr.is_link_local:
        return "link-local"
    if addr.is_loopback or addr.is_unspecified:
        return "loopback"
    if not addr.is_global or addr.is_multicast:
        return "private"
    return "public"


@dataclass(frozen=True)
class _Target:
    url: str
    scheme: str
    host: str
    port: int
    path: str
    addresses: tuple[str, ...]

    @property
    def origin(self) -> tuple[str, str, int]:
        return (self.scheme, self.host, self.port)

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        default = 443 if self.scheme == "https" else 80
        return host if self.port == default else f"{host}:{self.port}"


def _parse(url: str, where: str) -> SplitResult:
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise UnsafeInputError(f"{where}: only http:// and https:// URLs can be downloaded, not {url!r}", hint=_ASK)
    if parts.username is not None or parts.password is not None:
        raise UnsafeInputError(
            f"{where}: the URL {url!r} contains a user name or password; sse_ld sends no credentials",
            hint="publish the file at a URL that needs no login, or download it yourself",
        )
    try:
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError:
        raise InputError(f"{where}: the URL {url!r} has an invalid port", hint=_ASK) from None
    return parts


def _resolve(parts: SplitResult, where: str) -> tuple[str, ...]:
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
        return (host,)
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise InputError(f"{where}: the host {host!r} could not be found ({exc})", hint=_ASK) from None
    return tuple(dict.fromkeys(str(info[4][0]) for info in infos))


def _target(url: str, where: str) -> _Target:
    parts = _parse(url, where)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            raise InputError(f"{where}: the host name in {url!r} is not a valid domain name", hint=_ASK) from None
    port = parts.port or (443 if scheme == "https" else 80)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    if ":" not in host:
        parts = parts._replace(netloc=host if parts.port is None else f"{host}:{parts.port}")
    return _Target(url, scheme, host, port, path, _resolve(parts, where))


def _check_first(t: _Target, where: str, allow_local_network: bool) -> None:
    for ip in t.addresses:
        kind = address_kind(ip)
        if kind == "link-local":
            raise UnsafeInputError(
                f"{where}: {t.url!r} points to the link-local address {ip}, where cloud metadata services "
                "answer; it is never downloaded",
                hint=_ASK,
            )
        if kind != "public" and not allow_local_network:
            raise UnsafeInputError(
                f"{where}: {t.url!r} points to the {kind} address {ip}, inside this machine's own network",
                hint="pass --allow-local-network as well if you really mean to read from it",
            )


def _check_redirect(prev: _Target, nxt: _Target, where: str) -> None:
    if prev.scheme == "https" and nxt.scheme == "http":
        raise UnsafeInputError(f"{where}: {prev.url!r} redirects from https to plain http ({nxt.url!r})", hint=_ASK)
    if nxt.origin == prev.origin:
        return
    for ip in nxt.addresses:
        kind = address_kind(ip)
        if kind != "public":
            raise UnsafeInputError(
                f"{where}: {prev.url!r} redirects to {nxt.url!r}, a {kind} address ({ip}); "
                "redirects may only lead to public addresses",
                hint=_ASK,
            )


def _pool(t: _Target, ip: str, timeout: float) -> Any:
    import urllib3

    limits = urllib3.Timeout(connect=timeout, read=timeout)
    if t.scheme == "https":
        ca_certs = None
        try:
            import certifi

            ca_certs = certifi.where()
        except ImportError:  # pragma: no cover - certifi comes with requests
            pass
        return urllib3.HTTPSConnectionPool(
            ip,
            t.port,
            timeout=limits,
            retries=False,
            maxsize=1,
            cert_reqs="CERT_REQUIRED",
            ca_certs=ca_certs,
            server_hostname=t.host,
            assert_hostname=t.host,
        )
    return urllib3.HTTPConnectionPool(ip, t.port, timeout=limits, retries=False, maxsize=1)


def _request(t: _Target, deadline: float, where: str) -> Any:
    from . import __version__

    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise _timeout(t.url, where)
    headers = {
        "Host": t.host_header,
        "User-Agent": f"sse-ld/{__version__}",
        "Accept": "text/csv, text/plain;q=0.5, */*;q=0.1",
        "Accept-Encoding": "identity",
    }
    pool = _pool(t, t.addresses[0], remaining)
    return pool.urlopen(
        "GET",
        t.path,
        headers=headers,
        redirect=False,
        retries=False,
        preload_content=False,
        decode_content=False,
        assert_same_host=False,
    )


def _timeout(url: str, where: str, limit: float | None = None) -> InputError:
    text = f" ({limit:g} s)" if limit is not None else ""
    return InputError(
        f"{where}: downloading {url!r} took longer than the time limit{text}",
        hint="try again later, or raise --remote-timeout if the server is just slow",
    )


def _body(resp: Any, deadline: float) -> Iterator[bytes]:
    while True:
        chunk = resp.read1(_CHUNK)  # what has arrived (read() would wait for a full chunk)
        if not chunk:
            return
        yield chunk
        if time.monotonic() > deadline:
            raise TimeoutError


def _decoded(chunks: Iterator[bytes], encoding: str, where: str, url: str) -> Iterator[bytes]:
    if encoding in ("", "identity"):
        yield from chunks
        return
    if encoding not in ("gzip", "x-gzip", "deflate"):
        raise InputError(f"{where}: {url!r} is sent with the unsupported Content-Encoding {encoding!r}", hint=_ASK)
    wbits = 16 + zlib.MAX_WBITS if "gzip" in encoding else zlib.MAX_WBITS
    d = zlib.decompressobj(wbits)
    try:
        for chunk in chunks:
            buf = chunk
            while buf:
                yield d.decompress(buf, _CHUNK)
                buf = d.unconsumed_tail
        yield d.flush()
    except zlib.error as exc:
        raise InputError(f"{where}: {url!r} is sent with a damaged {encoding} encoding ({exc})", hint=_ASK) from None


def download(url: str, target: Path, limits: Limits, *, where: str, allow_local_network: bool = False) -> Path:
    """Download ``url`` into the file ``target`` and return it.

    Raises:
        UnsafeInputError: a URL or address that is refused (see the module docstring), a
            redirect that is refused, or a body larger than ``limits.max_file_bytes``.
        InputError: the server could not be reached, answered with an error status, or was
            slower than ``limits.remote_timeout``.
    """
    import urllib3

    deadline = time.monotonic() + limits.remote_timeout
    cap = limits.max_file_bytes
    current = _target(url, where)
    _check_first(current, where, allow_local_network)
    try:
        for _hop in range(MAX_REDIRECTS + 1):
            resp = _request(current, deadline, where)
            try:
                if 300 <= resp.status < 400:
                    location = resp.headers.get("Location")
                    if not location:
                        raise InputError(f"{where}: {current.url!r} answered a redirect without a Location", hint=_ASK)
                    nxt = _target(urljoin(current.url, location), where)
                    if nxt.origin == current.origin:  # keep the checked addresses: no second lookup
                        nxt = replace(nxt, addresses=current.addresses)
                    _check_redirect(current, nxt, where)
                    current = nxt
                    continue
                if resp.status >= 400:
                    raise InputError(
                        f"{where}: downloading {current.url!r} failed: the server answered HTTP {resp.status} "
                        f"{resp.reason or ''}".rstrip(),
                        hint="check the URL, or download the file yourself",
                    )
                declared = resp.headers.get("Content-Length", "")
                if declared.isdigit() and int(declared) > cap:
                    raise UnsafeInputError(
                        f"{where}: {current.url!r} announces {declared} bytes, more than the limit of {cap}",
                        hint="raise --max-file-bytes if you trust the source",
                    )
                encoding = resp.headers.get("Content-Encoding", "").strip().lower()
                _save(_decoded(_body(resp, deadline), encoding, where, current.url), target, cap, where, current.url)
                return target
            finally:
                resp.release_conn()
        raise UnsafeInputError(f"{where}: {url!r} redirects more than {MAX_REDIRECTS} times", hint=_ASK)
    except urllib3.exceptions.NewConnectionError as exc:  # a subclass of urllib3's TimeoutError
        target.unlink(missing_ok=True)
        raise InputError(
            f"{where}: could not download {current.url!r}: could not connect ({exc.__class__.__name__})",
            hint="check the URL and that the server is up, or download the file yourself",
        ) from None
    except (TimeoutError, urllib3.exceptions.TimeoutError):
        target.unlink(missing_ok=True)
        raise _timeout(current.url, where, limits.remote_timeout) from None
    except urllib3.exceptions.SSLError as exc:
        target.unlink(missing_ok=True)
        raise InputError(
            f"{where}: the secure connection to {current.host!r} failed ({exc.__class__.__name__}): "
            "its certificate could not be verified",
            hint="check the URL; never trust a server whose certificate fails",
        ) from None
    except urllib3.exceptions.HTTPError as exc:
        target.unlink(missing_ok=True)
        reason = getattr(exc, "reason", None) or exc
        raise InputError(
            f"{where}: could not download {current.url!r}: {reason.__class__.__name__}",
            hint="check the URL and the network, or download the file yourself",
        ) from None
    except InputError:
        target.unlink(missing_ok=True)
        raise


def _save(chunks: Iterator[bytes], target: Path, cap: int, where: str, url: str) -> None:
    total = 0
    with target.open("wb") as out:
        for chunk in chunks:
            total += len(chunk)
            if total > cap:
                raise UnsafeInputError(
                    f"{where}: {url!r} is larger than the limit of {cap} bytes",
                    hint="raise --max-file-bytes if you trust the source",
                )
            out.write(chunk)
