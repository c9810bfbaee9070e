"""Atomic publication of an output folder.

Files are written into a hidden temporary folder beside the target, flushed to disk, and
the finished folder is swapped in with one rename (``renameat2(RENAME_EXCHANGE)`` on Linux,
two renames elsewhere). A failed or killed build leaves the previous output untouched and
no partial files in it; a lock file keeps two builds from writing the same folder at once;
a folder that sse_ld did not write is never replaced.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import hashlib
import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

from .errors import OutputError

__all__ = ["MARKER", "OutputFolder", "sha256_file"]

#: File present in every folder sse_ld writes; only such folders are ever replaced.
MARKER = "SHA256SUMS"


def sha256_file(path: Path) -> str:
    """SHA-256 of a file, read in chunks."""
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths with renameat2(RENAME_EXCHANGE); False if unsupported."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    fn = getattr(libc, "renameat2", None)
    if fn is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    rc = fn(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    if rc == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


class OutputFolder:
    """Write files into a staging folder, then :meth:`commit` them in one swap.

    Use as a context manager; leaving the block without :meth:`commit` (an error, a
    refusal) removes the staging folder and leaves the target as it was::

        with OutputFolder(Path("dist/peru-sse")) as out:
            with out.open("peru-sse.nt") as f:
                f.write(...)
            out.commit()
    """

    def __init__(self, target: Path) -> None:
        self.target = target.absolute()
        self.parent = self.target.parent
        self.name = self.target.name
        self.staging = self.parent / f".{self.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self._lock: IO[bytes] | None = None
        self.files: list[str] = []
        self.committed = False

    def __enter__(self) -> OutputFolder:
        if self.target.exists() and not self.target.is_dir():
            raise OutputError("the output path exists and is not a folder", file=str(self.target))
        if self.target.is_dir() and any(self.target.iterdir()) and not (self.target / MARKER).is_file():
            raise OutputError(
                "the output folder exists and was not written by sse-ld; refusing to replace it",
                file=str(self.target),
                hint="choose a new or empty folder for --out",
            )
        try:
            self.parent.mkdir(parents=True, exist_ok=True)
            self._take_lock()
            self._remove_stale()
            self.staging.mkdir()
        except OSError as exc:
            self._release()
            if isinstance(exc, OutputError):
                raise
            raise OutputError(
                f"cannot prepare the output folder: {exc.strerror or exc}", file=str(self.target)
            ) from None
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            if self.staging.exists():
                shutil.rmtree(self.staging, ignore_errors=True)
        finally:
            self._release()

    def _take_lock(self) -> None:
        import fcntl

        lock_path = self.parent / f".{self.name}.lock"
        self._lock = lock_path.open("ab")
        try:
            fcntl.flock(self._lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._lock.close()
            self._lock = None
            raise OutputError(
                "another sse-ld build is writing this output folder right now",
                file=str(self.target),
                hint="wait for it to finish, or write to another folder",
            ) from None

    def _release(self) -> None:
        if self._lock is not None:
            self._lock.close()
            self._lock = None

    def _remove_stale(self) -> None:
        # Staging folders left by killed builds; safe to remove while we hold the lock.
        for stale in self.parent.glob(f".{self.name}.tmp-*"):
            shutil.rmtree(stale, ignore_errors=True)

    def path(self, name: str) -> Path:
        """Path of a file inside the staging folder (recorded for the checksum file)."""
        p = self.staging / name
        p.parent.mkdir(parents=True, exist_ok=True)
        if name not in self.files:
            self.files.append(name)
        return p

    @contextlib.contextmanager
    def open(self, name: str) -> Iterator[IO[str]]:
        """Open a text file in the staging folder (UTF-8, ``\\n`` line ends), flushed on close."""
        with self.path(name).open("w", encoding="utf-8", newline="\n") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())

    def write_text(self, name: str, text: str) -> None:
        """Write a whole text file into the staging folder."""
        with self.open(name) as f:
            f.write(text)

    def write_with(self, name: str, writer: Callable[[IO[str]], object]) -> None:
        """Write a file by calling ``writer`` on its handle."""
        with self.open(name) as f:
            writer(f)

    def checksums(self) -> dict[str, str]:
        """SHA-256 of every file written so far."""
        return {n: sha256_file(self.staging / n) for n in sorted(self.files)}

    def commit(self) -> list[str]:
        """Write ``SHA256SUMS`` and swap the staging folder into place; return the file names."""
        sums = self.checksums()
        self.write_text(MARKER, "".join(f"{h}  {n}\n" for n, h in sums.items()))
        _fsync_dir(self.staging)
        try:
            if self.target.exists():
                if not _exchange(self.staging, self.target):
                    old = self.parent / f".{self.name}.old-{uuid.uuid4().hex[:8]}"
                    os.rename(self.target, old)
                    try:
                        os.rename(self.staging, self.target)
                    except OSError:
                        os.rename(old, self.target)  # put the previous output back
                        raise
                    self.staging = old
            else:
                os.rename(self.staging, self.target)
        except OSError as exc:
            raise OutputError(
                f"could not move the new output into place: {exc.strerror or exc}",
                file=str(self.target),
                hint="the previous output is unchanged",
            ) from None
        _fsync_dir(self.parent)
        self.committed = True
        return sorted(self.files)
