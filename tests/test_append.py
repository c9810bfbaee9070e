"""Appending a worker's part to a dump: kernel copy, user-space fallback, hash kept right.

The parent process appends what the second process wrote to each dump
(``sse_ld.publish.append_file``). The bytes must land after what the parent wrote, the
write-time hash must cover them (the read-back check compares it with the file), and a
file system without ``copy_file_range`` between the two files must still work.
"""

from __future__ import annotations

import errno
import hashlib
import os
from pathlib import Path

import pytest

from sse_ld.errors import OutputError
from sse_ld.publish import MARKER, OutputFolder, append_file

HEAD = "ñandú <head>\n" * 1000
PART = b",\n" + ('<urn:x:%d> <urn:p> "línea" .\n' * 3).encode() * 40_000  # a few MB


def _build(out: Path, part: Path, offset: int) -> tuple[bytes, str]:
    with OutputFolder(out) as folder:
        with folder.open("dump.nt") as text:
            text.write(HEAD)
            append_file(text.buffer, part, offset)
            text.write("tail\n")
        written = folder.written_sha256("dump.nt")
        assert written is not None
        folder.commit()  # reads the file back and compares it with the write-time hash
    return (out / "dump.nt").read_bytes(), written


@pytest.mark.parametrize("offset", [0, 2])
def test_appended_bytes_follow_and_are_hashed(tmp_path: Path, offset: int) -> None:
    part = tmp_path / "part"
    part.write_bytes(PART)
    data, written = _build(tmp_path / "out", part, offset)
    assert data == HEAD.encode() + PART[offset:] + b"tail\n"
    assert written == hashlib.sha256(data).hexdigest()
    assert f"{written}  dump.nt" in (tmp_path / "out" / MARKER).read_text()


def test_without_a_kernel_copy_the_bytes_go_through_user_space(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []

    def cross_device(*args: object) -> int:
        calls.append(args)
        raise OSError(errno.EXDEV, os.strerror(errno.EXDEV))

    monkeypatch.setattr(os, "copy_file_range", cross_device)
    part = tmp_path / "part"
    part.write_bytes(PART)
    data, written = _build(tmp_path / "out", part, 2)
    assert calls, "the kernel copy was tried first"
    assert data == HEAD.encode() + PART[2:] + b"tail\n"
    assert written == hashlib.sha256(data).hexdigest()


def test_a_failing_copy_names_the_dump_and_publishes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(*args: object) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "copy_file_range", full)
    part = tmp_path / "part"
    part.write_bytes(PART)
    with pytest.raises(OutputError, match=r"dump\.nt"):
        _build(tmp_path / "out", part, 0)
    assert not (tmp_path / "out").exists()
