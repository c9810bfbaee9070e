"""Atomic publication of an output folder.

Files are written into a hidden staging folder beside the target, hashed as they are
written, flushed to disk, checked against those hashes, and the finished folder is swapped
in with one rename (``renameat2(RENAME_EXCHANGE)`` on Linux, two renames elsewhere). So:

* a failed, killed or interrupted build leaves the previous output untouched, and at most a
  hidden staging folder, which the next build removes;
* a write error (a full disk, a quota, an I/O error) becomes an :class:`OutputError` saying
  what failed and that nothing was published;
* a file that changed between being written and being published (a checksum mismatch) is
  never published;
* a lock file keeps two builds from writing the same folder at once (the second is told);
* a folder that sse_ld did not write, a file or a symbolic link is never replaced.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import hashlib
import io
import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import IO, Any

from .errors import OutputError, SseLdError

__all__ = ["MARKER", "OutputFolder", "append_file", "sha256_file"]

#: File present in every folder sse_ld writes; only such folders are ever replaced.
MARKER = "SHA256SUMS"
_UNCHANGED = "nothing was published: the previous output is unchanged"


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


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        _fsync(path)


#: the attribute naming, on an OSError, the output file whose write failed
_FILE_TAG = "sse_ld_output_file"


class _HashingWriter(io.RawIOBase):
    """A raw binary stream that hashes what it writes to ``target``.

    A write error is tagged with the file's name: the dumps are written together, row by
    row, so an error writing one of them surfaces through the others' contexts too."""

    def __init__(self, target: IO[bytes], name: str = "") -> None:
        super().__init__()
        self.target = target
        self.name = name
        self.sha256 = hashlib.sha256()

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        view = memoryview(data)
        try:
            n = self.target.write(view)
        except OSError as exc:
            if not hasattr(exc, _FILE_TAG):
                setattr(exc, _FILE_TAG, self.name)
            raise
        if n is None:  # pragma: no cover - only for non-blocking files
            n = 0
        self.sha256.update(view[:n])
        return n


def append_file(dest: IO[bytes], src: Path, offset: int = 0, end: int | None = None) -> None:
    """Append ``src`` (bytes ``offset`` to ``end``, the end of the file by default) to
    ``dest``, a binary stream opened by :meth:`OutputFolder.open` (``text.buffer``) or any
    buffered file.

    The bytes are copied by the kernel (``os.copy_file_range``) where it can, while a thread
    adds them to the hash ``dest`` keeps: the second process's part of a million-row dump is
    gigabytes, and reading it into Python only to write it out again costs seconds.
    """
    dest.flush()
    raw = getattr(dest, "raw", None)
    hashing = raw if isinstance(raw, _HashingWriter) else None
    target = hashing.target if hashing is not None else raw
    try:
        fd = target.fileno() if target is not None else -1
    except (OSError, ValueError):
        fd = -1
    size = (src.stat().st_size if end is None else end) - offset
    if fd < 0 or not hasattr(os, "copy_file_range"):
        with src.open("rb") as f:
            f.seek(offset)
            for chunk in _pieces(f, size):
                dest.write(chunk)
        dest.flush()
        return
    hasher = None
    if hashing is not None:
        sha = hashing.sha256

        def hash_part() -> None:
            with src.open("rb") as f:
                f.seek(offset)
                for chunk in _pieces(f, size):
                    sha.update(chunk)

        hasher = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sse-ld-hash")
        hashed = hasher.submit(hash_part)
    try:
        with src.open("rb") as f:
            _copy_range(f.fileno(), fd, offset, size, hashing.name if hashing is not None else "")
    finally:
        if hasher is not None:
            hasher.shutdown(wait=True)
    if hasher is not None:
        hashed.result()


def _pieces(src: IO[bytes], size: int) -> Iterator[bytes]:
    """The next ``size`` bytes of ``src`` (fewer if it ends first), 1 MiB at a time."""
    while size > 0:
        chunk = src.read(min(1 << 20, size))
        if not chunk:
            return
        yield chunk
        size -= len(chunk)


def _copy_range(src_fd: int, dst_fd: int, offset: int, size: int, name: str) -> None:
    """Copy ``size`` bytes of ``src_fd`` from ``offset`` to the position of ``dst_fd``."""
    done = 0
    try:
        while done < size:
            try:
                n = os.copy_file_range(src_fd, dst_fd, size - done, offset + done)
            except OSError as exc:
                if exc.errno not in (errno.EXDEV, errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP) or done:
                    raise
                n = 0  # no kernel copy between these files: copy through user space
            if n == 0:
                os.lseek(src_fd, offset + done, os.SEEK_SET)
                while done < size:
                    chunk = os.read(src_fd, min(1 << 20, size - done))
                    if not chunk:
                        break
                    view = memoryview(chunk)
                    while view:
                        view = view[os.write(dst_fd, view) :]
                    done += len(chunk)
                return
            done += n
    except OSError as exc:
        if name and not hasattr(exc, _FILE_TAG):
            setattr(exc, _FILE_TAG, name)
        raise


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
        self._lock: int | None = None
        self._written: dict[str, str] = {}
        self.files: list[str] = []
        self.committed = False

    def _error(self, message: str, hint: str | None = None) -> OutputError:
        return OutputError(message, file=str(self.target), hint=hint)

    def __enter__(self) -> OutputFolder:
        if not self.name or self.name in (".", ".."):
            raise self._error("this cannot be an output folder", "give a new or empty folder for --out")
        try:
            self._check_target()  # before creating anything (the lock file) beside a refused target
            self.parent.mkdir(parents=True, exist_ok=True)
            self._take_lock()
            self._recover()
            self._check_target()  # again, now that no other build can change it
            self._remove_stale()
            self.staging.mkdir()
        except OutputError:
            self._release()
            raise
        except OSError as exc:
            self._release()
            raise self._error(
                f"cannot prepare the output folder: {exc.strerror or exc}",
                "choose an output folder whose parent folders can be created",
            ) from None
        return self

    def __exit__(self, exc_type: object, exc: BaseException | None, tb: object) -> None:
        try:
            if self.staging.exists():
                shutil.rmtree(self.staging, ignore_errors=True)
        finally:
            self._release()
        if exc is None or self.committed:
            return
        if isinstance(exc, OSError) and not isinstance(exc, SseLdError):
            raise self._write_error(exc) from exc
        if hasattr(exc, "add_note") and not isinstance(exc, SseLdError):
            exc.add_note(f"sse-ld: {_UNCHANGED} ({self.target})")

    def _write_error(self, exc: OSError, name: str | None = None) -> OutputError:
        name = getattr(exc, _FILE_TAG, None) or name
        what = f"could not write {name}" if name else "the output could not be written"
        detail = exc.strerror or str(exc)
        if exc.filename and not name:
            detail += f": {exc.filename}"
        advice = {
            errno.ENOSPC: "free some disk space, or write to another disk",
            errno.EDQUOT: "free some space within your disk quota",
            errno.EFBIG: "the file system (or a file-size limit) does not allow files this large",
            errno.EROFS: "the disk is read-only; write to another folder",
            errno.EACCES: "you may not write there; choose another folder",
        }.get(exc.errno or 0, "fix the problem and build again")
        return self._error(f"{what}: {detail}", f"{_UNCHANGED}; {advice}")

    def _check_target(self) -> None:
        if self.target.is_symlink():
            raise self._error(
                "the output path is a symbolic link; refusing to replace it", "give the real folder for --out"
            )
        if self.target.exists() and not self.target.is_dir():
            raise self._error(
                "the output path exists and is not a folder", "give --out a new folder, or one sse-ld wrote before"
            )
        if self.target.is_dir() and any(self.target.iterdir()) and not (self.target / MARKER).is_file():
            raise self._error(
                "the output folder exists and was not written by sse-ld; refusing to replace it",
                "choose a new or empty folder for --out",
            )

    def _take_lock(self) -> None:
        import fcntl

        lock_path = self.parent / f".{self.name}.lock"
        # O_NOFOLLOW: a symbolic link planted under the lock's name is not followed.
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise self._error(
                "another sse-ld build is writing this output folder right now",
                "wait for it to finish, or write to another folder",
            ) from None
        self._lock = fd

    def _release(self) -> None:
        if self._lock is not None:
            os.close(self._lock)
            self._lock = None

    def _recover(self) -> None:
        """Put back a previous output that a build killed between the two renames of the
        portable swap left aside (only while holding the lock)."""
        olds = sorted(self.parent.glob(f".{self.name}.old-*"), key=lambda p: p.stat().st_mtime)
        if olds and not self.target.exists() and not self.target.is_symlink():
            os.rename(olds.pop(), self.target)
        for old in olds:
            shutil.rmtree(old, ignore_errors=True)

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
        """Open a text file in the staging folder (UTF-8, ``\\n`` line ends), hashed while
        written and flushed to disk on close.

        Raises:
            OutputError: the file could not be written (e.g. the disk is full).
        """
        try:
            raw = self.path(name).open("wb", buffering=0)
        except OSError as exc:
            raise self._write_error(exc, name) from exc
        hashing = _HashingWriter(raw, name)
        text = io.TextIOWrapper(io.BufferedWriter(hashing, 1 << 20), encoding="utf-8", newline="\n")
        try:
            yield text
            text.flush()
            os.fsync(raw.fileno())
            self._written[name] = hashing.sha256.hexdigest()
        except OutputError:
            raise
        except OSError as exc:
            raise self._write_error(exc, name) from exc
        finally:
            # On an error, flush what is buffered into the (discarded) staging file now,
            # rather than when the wrapper is garbage-collected after the file is closed.
            with contextlib.suppress(Exception):
                text.close()
            raw.close()

    def write_text(self, name: str, text: str) -> None:
        """Write a whole text file into the staging folder."""
        with self.open(name) as f:
            f.write(text)

    def write_bytes(self, name: str, data: bytes) -> None:
        """Write a whole binary file into the staging folder."""
        try:
            with self.path(name).open("wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
        except OSError as exc:
            raise self._write_error(exc, name) from exc
        self._written[name] = hashlib.sha256(data).hexdigest()

    def write_with(self, name: str, writer: Callable[[IO[str]], object]) -> None:
        """Write a file by calling ``writer`` on its handle."""
        with self.open(name) as f:
            writer(f)

    def written_sha256(self, name: str) -> str | None:
        """SHA-256 of a file as it was written through :meth:`open` or :meth:`write_bytes`
        (``None`` for a file written another way, or not yet closed). :meth:`commit` still
        reads every file back and compares."""
        return self._written.get(name)

    def checksums(self) -> dict[str, str]:
        """SHA-256 of every file written so far, read back from the disk."""
        return {n: sha256_file(self.staging / n) for n in sorted(self.files)}

    def _verified_checksums(self) -> dict[str, str]:
        """Flush every file to disk, read it back, and compare it with what was written."""

        def read_back(name: str) -> str | OSError:
            path = self.staging / name
            try:
                _fsync(path)
                return sha256_file(path)
            except OSError as exc:
                return exc

        names = sorted(self.files)
        # Reading and hashing release the GIL: the dumps of a large build are gigabytes, and
        # the cores are otherwise idle at this point.
        with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1), thread_name_prefix="sse-ld-verify") as pool:
            digests = list(pool.map(read_back, names))
        sums: dict[str, str] = {}
        for name, digest in zip(names, digests, strict=True):
            if isinstance(digest, OSError):
                raise self._write_error(digest, name) from digest
            expected = self._written.get(name)
            if expected is not None and digest != expected:
                raise self._error(
                    f"checksum mismatch: {name} changed between being written and being published",
                    f"{_UNCHANGED}; another program may be writing in {self.parent}, or the disk may be failing",
                )
            sums[name] = digest
        return sums

    def commit(self) -> list[str]:
        """Check the files, write ``SHA256SUMS`` and swap the staging folder into place;
        return the file names.

        Raises:
            OutputError: a file could not be flushed or changed after being written, or the
                swap failed; the previous output is unchanged.
        """
        sums = self._verified_checksums()
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
            raise self._error(
                f"could not move the new output into place: {exc.strerror or exc}",
                f"{_UNCHANGED}; check the permissions of {self.parent}",
            ) from None
        _fsync_dir(self.parent)
        self.committed = True
        return sorted(self.files)
