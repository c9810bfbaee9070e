"""Appending a worker's part to a dump: kernel copy, user-space fallback, hash kept right.

The parent process appends what the second process wrote to each dump
(``sse_ld.publish.append_file``), in pieces while the worker still writes
(``Sink.follow``), then the rest. The bytes must land after what the parent wrote, the
write-time hash must cover them (the read-back check compares it with the file), and a
file system without ``copy_file_range`` between the two files must still work.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import threading
import time
from pathlib import Path

import pytest

from sse_ld.engine import sink as sink_module
from sse_ld.engine.sink import DUMPS, PartFiles, Sink
from sse_ld.errors import OutputError
from sse_ld.publish import MARKER, OutputFolder, append_file
from sse_ld.writers import Serializer

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


@pytest.mark.parametrize("kernel", [True, False], ids=["copy_file_range", "user-space"])
def test_a_byte_range_is_appended(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kernel: bool) -> None:
    if not kernel:
        monkeypatch.delattr(os, "copy_file_range", raising=False)
    part = tmp_path / "part"
    part.write_bytes(PART)
    out = tmp_path / "out"
    with OutputFolder(out) as folder:
        with folder.open("dump.nt") as text:
            text.write(HEAD)
            append_file(text.buffer, part, 2, 100_000)
            append_file(text.buffer, part, 100_000, 100_001)
            append_file(text.buffer, part, 100_001)
            text.write("tail\n")
        written = folder.written_sha256("dump.nt")
        folder.commit()
    data = (out / "dump.nt").read_bytes()
    assert data == HEAD.encode() + PART[2:] + b"tail\n"
    assert written == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize("parent_nodes", [0, 3])
def test_a_running_workers_parts_are_appended_as_they_grow(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parent_nodes: int
) -> None:
    """``Sink.follow`` appends a worker's parts in pieces while it writes them; ``append``
    adds the rest. The dumps are the parent's bytes then the worker's, the JSON-LD comma
    before the worker's first node dropped when the parent wrote no node, and each dump's
    write-time hash covers every byte (the read-back check compares them)."""
    monkeypatch.setattr(sink_module, "FOLLOW_BYTES", 4096)
    monkeypatch.setattr(sink_module, "_POLL_SECONDS", 0.001)
    parts = PartFiles(tmp_path / "parts")
    parts.folder.mkdir()
    pieces = {name: [f"{name} {i} ñ\n".encode() * 700 for i in range(6)] for name in DUMPS}
    pieces["jsonld"][0] = b",\n" + pieces["jsonld"][0]
    written = threading.Event()
    took: list[dict[str, int]] = []

    def worker() -> None:
        handles = {name: parts.path(name).open("wb") for name in DUMPS}
        for i in range(6):
            for name, f in handles.items():
                f.write(pieces[name][i])
                f.flush()
            time.sleep(0.05)
        for f in handles.values():
            f.close()
        written.set()

    def finished() -> bool:
        took.append(dict(parts.copied))
        return written.is_set()

    out = tmp_path / "out"
    files = {"nt": "d.nt", "ttl": "d.ttl", "jsonld": "d.jsonld", "prov": "p.nt"}
    with OutputFolder(out) as folder, contextlib.ExitStack() as stack:
        streams = {name: stack.enter_context(folder.open(file)) for name, file in files.items()}
        sink = Sink(Serializer({}), *streams.values(), "https://example.org/")
        for name, stream in streams.items():
            stream.write(f"parent {name}\n")
        sink.nodes = parent_nodes
        thread = threading.Thread(target=worker)
        thread.start()
        sink.follow(parts, finished)
        thread.join()
        parts.nodes = 6
        sink.append(parts, None)
        stack.close()
        hashes = {name: folder.written_sha256(file) for name, file in files.items()}
        folder.commit()
    assert any(sum(t.values()) > 0 for t in took), "pieces were appended while the worker wrote"
    for name, file in files.items():
        data = (out / file).read_bytes()
        worker_bytes = b"".join(pieces[name])
        if name == "jsonld" and not parent_nodes:
            worker_bytes = worker_bytes[1:]
        assert data == f"parent {name}\n".encode() + worker_bytes
        assert hashes[name] == hashlib.sha256(data).hexdigest()
    assert sink.nodes == parent_nodes + 6
