"""Downloading remote resources, only when the user allows remote data (``--allow-remote``).

This module owns ``requests`` for reading. A download is refused unless the URL is
``http://`` or ``https://``; redirects are not followed (so a public URL cannot bounce the
request to a loopback or link-local address); the body is streamed to disk and cut off at
the file-size cap; connect and read are bounded by the timeout.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from urllib.parse import urlsplit

from .errors import InputError, UnsafeInputError
from .limits import Limits

__all__ = ["download"]


def download(url: str, folder: Path, limits: Limits, *, where: str) -> Path:
    """Download ``url`` into ``folder`` and return the local file.

    Raises:
        UnsafeInputError: not http(s), a redirect, or larger than ``limits.max_file_bytes``.
        InputError: the server could not be reached or answered with an error status.
    """
    import requests

    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeInputError(
            f"{where}: only http:// and https:// URLs can be downloaded, not {url!r}",
            hint="download the file yourself and put it inside the package folder",
        )
    folder.mkdir(parents=True, exist_ok=True)
    name = hashlib.sha256(url.encode("utf-8")).hexdigest()[:16] + ".csv"
    target = folder / name
    try:
        with requests.get(url, stream=True, timeout=limits.remote_timeout, allow_redirects=False) as resp:
            if resp.is_redirect or 300 <= resp.status_code < 400:
                raise UnsafeInputError(
                    f"{where}: {url!r} redirects to {resp.headers.get('Location')!r}; redirects are not followed",
                    hint="use the final URL directly, if you trust it",
                )
            if resp.status_code >= 400:
                raise InputError(f"{where}: downloading {url!r} failed with HTTP status {resp.status_code}")
            declared = resp.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > limits.max_file_bytes:
                raise UnsafeInputError(
                    f"{where}: {url!r} announces {declared} bytes, more than the limit of {limits.max_file_bytes}"
                )
            total = 0
            with target.open("wb") as out:
                for chunk in resp.iter_content(chunk_size=1 << 16):
                    total += len(chunk)
                    if total > limits.max_file_bytes:
                        raise UnsafeInputError(
                            f"{where}: {url!r} is larger than the limit of {limits.max_file_bytes} bytes",
                            hint="raise --max-file-bytes if you trust the source",
                        )
                    out.write(chunk)
    except requests.Timeout:
        raise InputError(f"{where}: downloading {url!r} took longer than {limits.remote_timeout:g} s") from None
    except requests.RequestException as exc:
        raise InputError(f"{where}: could not download {url!r}: {exc.__class__.__name__}") from None
    return target
