"""An HTTP client for the SPARQL 1.1 protocols (query, update, Graph Store), for pushing.

This module owns ``requests`` for writing to SPARQL servers: authentication chosen from the
server's challenge, retries with exponential backoff on transient failures, request bodies
streamed from byte ranges of files with a ``Content-Length`` (Virtuoso 7 silently drops
chunked bodies), and typed errors that say which step failed and whether the live graph is
unchanged::

    PushError                 the push did not complete (exit code 1)
    ├── AuthError             the server refused the credentials (401/403)
    ├── ServerError           an HTTP error status (after retries, for transient ones)
    ├── ConnectionLost        the server could not be reached or went away (after retries)
    └── VerificationError     a graph does not hold the expected triples

:mod:`sse_ld.push` builds the atomic push on top of it.
"""

from __future__ import annotations

import json
import netrc
import os
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

from .errors import SseLdError, UsageError
from .iri import iri_problem

__all__ = [
    "PASSWORD_ENV",
    "USER_ENV",
    "AuthError",
    "Client",
    "ConnectionLost",
    "Endpoints",
    "Progress",
    "PushError",
    "PushResult",
    "RetryPolicy",
    "ServerError",
    "Upload",
    "VerificationError",
    "check_iri",
    "credentials",
    "file_slice",
    "short_url",
]

#: Environment variables holding the credentials.
USER_ENV, PASSWORD_ENV = "SSE_LD_USERNAME", "SSE_LD_PASSWORD"
_RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
#: A step of the push, reported to the progress callback: (stage, message).
Progress = Callable[[str, str], None]


class PushError(SseLdError):
    """The push did not complete. ``live_unchanged`` says whether the target graph is
    known to be exactly as before; ``stage`` names the step that failed."""

    exit_code = 1

    def __init__(self, message: str, *, stage: str, live_unchanged: bool = True, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.stage = stage
        self.live_unchanged = live_unchanged

    def __str__(self) -> str:
        note = "the live graph is unchanged" if self.live_unchanged else "the live graph may have changed"
        text = f"{self.message} [step: {self.stage}; {note}]"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


class AuthError(PushError):
    """The server refused the request's credentials (HTTP 401 or 403)."""


class ServerError(PushError):
    """The server answered with an HTTP error status."""

    def __init__(self, message: str, *, status: int, stage: str, live_unchanged: bool = True, hint: str | None = None):
        super().__init__(message, stage=stage, live_unchanged=live_unchanged, hint=hint)
        self.status = status


class ConnectionLost(PushError):
    """The server could not be reached, or closed the connection, or timed out."""


class VerificationError(PushError):
    """A triple count did not match what was sent."""


@dataclass(frozen=True)
class Endpoints:
    """The three URLs of a SPARQL server.

    Attributes:
        store: the Graph Store Protocol endpoint (``?graph=`` is added).
        query: the SPARQL query endpoint.
        update: the SPARQL update endpoint.
    """

    store: str
    query: str
    update: str

    @classmethod
    def of(cls, store: str, query: str | None = None, update: str | None = None) -> Endpoints:
        """Endpoints from the Graph Store URL; the query and update URLs default to it (as on
        servers that serve the three protocols on one URL, such as Fuseki's ``/dataset``).

        Raises:
            UsageError: a URL is not http(s), or carries credentials.
        """
        urls = [store, query or store, update or store]
        for u in urls:
            parts = urlsplit(u)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise UsageError(f"{u!r} is not an http(s) URL", hint="e.g. --endpoint http://127.0.0.1:7878/store")
            if parts.username or parts.password:
                raise UsageError(
                    "credentials in the endpoint URL are refused (they would show in process lists and logs)",
                    hint=f"set {USER_ENV} and {PASSWORD_ENV}, or add the host to ~/.netrc",
                )
        return cls(*urls)


@dataclass(frozen=True)
class Upload:
    """A file to load: its path, media type, and name (for messages)."""

    path: Path
    media_type: str
    name: str
    splittable: bool = False  # N-Triples: may be cut at any line end


@dataclass(frozen=True)
class RetryPolicy:
    """How transient failures are retried.

    Attributes:
        attempts: tries per request (1 = no retry).
        backoff: seconds before the second try, doubling each time (capped at ``max_wait``).
        max_wait: longest wait between tries (also caps a server's ``Retry-After``).
        timeout: seconds to wait for a response to one request.
        connect_timeout: seconds to wait for a connection.
    """

    attempts: int = 4
    backoff: float = 0.5
    max_wait: float = 30.0
    timeout: float = 300.0
    connect_timeout: float = 10.0


@dataclass(frozen=True)
class PushResult:
    """What :func:`push_graph` did.

    Attributes:
        graph: the target graph.
        triples: triples now in it (checked).
        previous: triples it held before.
        bytes: bytes uploaded.
        requests: HTTP requests sent (retries included).
        retries: requests that were retries.
        seconds: wall-clock duration.
        timings: seconds per step (``upload``, ``verify``, ``switch``).
    """

    graph: str
    triples: int
    previous: int
    bytes: int
    requests: int
    retries: int
    seconds: float
    timings: Mapping[str, float] = field(default_factory=dict)


def credentials(
    url: str, env: Mapping[str, str] | None = None, netrc_file: str | None = None
) -> tuple[str, str] | None:
    """The (user, password) for ``url``: from ``SSE_LD_USERNAME``/``SSE_LD_PASSWORD``, else
    from the netrc file (``NETRC`` or ``~/.netrc``) entry of the URL's host, else ``None``.

    Raises:
        UsageError: only one of the two variables is set, or the netrc file is malformed.
    """
    env = os.environ if env is None else env
    user, password = env.get(USER_ENV), env.get(PASSWORD_ENV)
    if user or password:
        if not (user and password):
            raise UsageError(f"set both {USER_ENV} and {PASSWORD_ENV}, or neither")
        return user, password
    path = netrc_file or env.get("NETRC") or os.path.join(os.path.expanduser("~"), ".netrc")
    if not os.path.isfile(path):
        return None
    try:
        entry = netrc.netrc(path).authenticators(urlsplit(url).hostname or "")
    except (netrc.NetrcParseError, OSError) as exc:
        raise UsageError(f"cannot read the netrc file: {exc}", file=path) from None
    if entry is None or not entry[0] or entry[2] is None:
        return None
    return entry[0], entry[2]


class _Slice:
    """A byte range of a file, read in blocks: a request body with a known length that
    requests streams (and can rewind for a Digest challenge)."""

    def __init__(self, path: Path, start: int, end: int) -> None:
        self._f: IO[bytes] = path.open("rb")
        self._start, self._end = start, end
        self._f.seek(start)

    def __len__(self) -> int:
        return self._end - self._start

    def tell(self) -> int:
        return self._f.tell() - self._start

    def seek(self, offset: int, whence: int = 0) -> int:
        base = {0: self._start, 1: self._f.tell(), 2: self._end}[whence]
        self._f.seek(min(max(base + offset, self._start), self._end))
        return self.tell()

    def read(self, size: int = -1) -> bytes:
        left = self._end - self._f.tell()
        if left <= 0:
            return b""
        return self._f.read(left if size is None or size < 0 else min(size, left))

    def __iter__(self) -> Iterator[bytes]:
        while block := self.read(1 << 16):
            yield block

    def close(self) -> None:
        self._f.close()


def file_slice(path: Path, start: int, end: int) -> Callable[[], _Slice]:
    """A fresh body for each attempt of a request."""
    return lambda: _Slice(path, start, end)


class Client:
    """One requests session with auth, retries and counters."""

    def __init__(self, endpoints: Endpoints, creds: tuple[str, str] | None, policy: RetryPolicy, say: Progress):
        import requests

        self.requests_lib = requests
        self.endpoints = endpoints
        self.creds = creds
        self.policy = policy
        self.say = say
        self.session = requests.Session()
        self.session.trust_env = False  # no proxies or netrc guessing: credentials are explicit
        self.session.headers["User-Agent"] = "sse-ld"
        self.sent = 0
        self.retried = 0
        self.bytes = 0
        self.software = ""  # the Server header of the Graph Store endpoint

    def choose_auth(self, url: str) -> None:
        """Probe the Graph Store endpoint with a small request: it must answer, and when it asks
        for credentials, Basic or Digest is chosen from its challenge. A server that does not
        ask gets no credentials (they are not sent where nobody asked for them)."""
        resp = self.request("GET", url, stage="connect", params={"graph": "urn:x-sse-ld:probe"}, auth_probe=True)
        self.software = resp.headers.get("Server", "")
        if resp.status_code != 401:
            return
        if self.creds is None or not self._set_auth(resp):
            self._refused(resp.status_code, "GET", url, "connect", True)
        # An authenticated request checks the credentials now, and with Digest learns the nonce,
        # so that large uploads carry credentials at once instead of being refused once sent.
        resp = self.request("GET", url, stage="connect", params={"graph": "urn:x-sse-ld:probe"}, auth_probe=True)
        if resp.status_code in (401, 403):
            self._refused(resp.status_code, "GET", url, "connect", True)

    def _refused(self, status: int, method: str, url: str, stage: str, live_unchanged: bool) -> None:
        who = f"user {self.creds[0]!r}" if self.creds else "no credentials"
        hint = (
            "check the user name and password"
            if self.creds
            else f"set {USER_ENV} and {PASSWORD_ENV}, or add the host to ~/.netrc"
        )
        raise AuthError(
            f"{method} {short_url(url)}: the server refused access (HTTP {status}, {who})",
            stage=stage,
            live_unchanged=live_unchanged,
            hint=hint,
        )

    def _set_auth(self, resp: Any) -> bool:
        from requests.auth import HTTPBasicAuth, HTTPDigestAuth

        if self.creds is None or self.session.auth is not None:
            return False
        challenge = resp.headers.get("WWW-Authenticate", "").lower()
        if "digest" in challenge:
            self.session.auth = HTTPDigestAuth(*self.creds)
        elif "basic" in challenge:
            self.session.auth = HTTPBasicAuth(*self.creds)
        else:
            return False
        return True

    def request(
        self,
        method: str,
        url: str,
        *,
        stage: str,
        params: Mapping[str, str] | None = None,
        data: Mapping[str, str] | None = None,
        body: Callable[[], _Slice] | None = None,
        headers: Mapping[str, str] | None = None,
        auth_probe: bool = False,
        live_unchanged: bool = True,
    ) -> Any:
        requests = self.requests_lib
        p = self.policy
        for attempt in range(1, p.attempts + 1):
            payload = body() if body is not None else None
            self.sent += 1
            if attempt > 1:
                self.retried += 1
            try:
                resp = self.session.request(
                    method,
                    url,
                    params=params,
                    data=payload if payload is not None else data,
                    headers=dict(headers or {}),
                    timeout=(p.connect_timeout, p.timeout),
                    allow_redirects=False,
                )
                if payload is not None and resp.status_code < 300:
                    self.bytes += len(payload)
            except (requests.ConnectionError, requests.Timeout) as exc:
                reason = (
                    "timed out"
                    if isinstance(exc, requests.Timeout)
                    else "could not be reached or closed the connection"
                )
                if attempt == p.attempts:
                    raise ConnectionLost(
                        f"{method} {short_url(url)}: the server {reason} (after {attempt} attempts)",
                        stage=stage,
                        live_unchanged=live_unchanged,
                        hint="check that the server is running and the URL is right",
                    ) from None
                self._wait(attempt, None, f"{reason}; retrying")
                continue
            finally:
                if payload is not None:
                    payload.close()
            status = resp.status_code
            if auth_probe and status < 500:
                return resp
            if status == 401 and self._set_auth(resp):
                # The server asked for credentials only now: send the request again with them.
                return self.request(
                    method,
                    url,
                    stage=stage,
                    params=params,
                    data=data,
                    body=body,
                    headers=headers,
                    live_unchanged=live_unchanged,
                )
            if status in (401, 403):
                self._refused(status, method, url, stage, live_unchanged)
            if status in _RETRY_STATUSES and attempt < p.attempts:
                self._wait(attempt, resp.headers.get("Retry-After"), f"HTTP {status}; retrying")
                continue
            if status >= 300:
                raise ServerError(
                    f"{method} {short_url(url)}: HTTP {status}{_excerpt(resp.text)}"
                    + (f" (after {attempt} attempts)" if attempt > 1 else ""),
                    status=status,
                    stage=stage,
                    live_unchanged=live_unchanged,
                )
            return resp
        raise AssertionError("unreachable")

    def _wait(self, attempt: int, retry_after: str | None, why: str) -> None:
        wait = self.policy.backoff * 2 ** (attempt - 1)
        if retry_after and retry_after.strip().isdigit():
            wait = float(retry_after.strip())
        wait = min(wait, self.policy.max_wait)
        self.say("retry", f"{why} in {wait:g} s")
        time.sleep(wait)

    def update(self, text: str, stage: str, live_unchanged: bool = True) -> None:
        self.request("POST", self.endpoints.update, stage=stage, data={"update": text}, live_unchanged=live_unchanged)

    def count(self, graph: str, stage: str, live_unchanged: bool = True) -> int:
        query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
        resp = self.request(
            "POST",
            self.endpoints.query,
            stage=stage,
            data={"query": query},
            headers={"Accept": "application/sparql-results+json"},
            live_unchanged=live_unchanged,
        )
        try:
            bindings = json.loads(resp.text)["results"]["bindings"]
            return int(bindings[0]["n"]["value"]) if bindings else 0
        except (ValueError, KeyError, IndexError, TypeError):
            raise ServerError(
                f"the query endpoint did not answer a COUNT query with SPARQL JSON results{_excerpt(resp.text)}",
                status=resp.status_code,
                stage=stage,
                live_unchanged=live_unchanged,
            ) from None


def short_url(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return f": {text[:300]}" if text else ""


def check_iri(iri: str, what: str) -> None:
    problem = iri_problem(iri)
    if problem:
        raise UsageError(
            f"the {what} {iri!r} is not a valid IRI: {problem}",
            hint="give an absolute IRI such as https://example.org/graph/my-dataset",
        )
