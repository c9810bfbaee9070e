"""Gzip on several threads: a standard gzip file, the same bytes whatever the thread count."""

from __future__ import annotations

import gzip
import io
import os
import random
import shutil
import subprocess
import zlib

import pytest

from sse_ld.distinct import DistinctCounter
from sse_ld.pgzip import crc32_combine, gzip_file

SMALL = 32 << 10  # the smallest block: many blocks from a small input


def _text(size: int, seed: int = 1) -> bytes:
    rng = random.Random(seed)
    words = [f"<https://example.org/{i}> " for i in range(500)]
    out = bytearray()
    while len(out) < size:
        out += "".join(rng.choice(words) for _ in range(50)).encode() + b".\n"
    return bytes(out[:size])


def _gz(data: bytes, threads: int, block: int = SMALL, level: int = 6) -> bytes:
    out = io.BytesIO()
    assert gzip_file(io.BytesIO(data), out, level=level, threads=threads, block_bytes=block) == len(data)
    return out.getvalue()


@pytest.mark.parametrize("size", [0, 1, SMALL - 1, SMALL, SMALL + 1, 5 * SMALL, 5 * SMALL + 17])
def test_round_trip_at_block_edges(size: int) -> None:
    data = _text(size)
    assert gzip.decompress(_gz(data, threads=2)) == data


def test_the_bytes_do_not_depend_on_the_number_of_threads() -> None:
    data = _text(11 * SMALL + 5)
    assert _gz(data, 1) == _gz(data, 2) == _gz(data, 3)


def test_one_gzip_member_without_name_or_time() -> None:
    data = _text(4 * SMALL)
    out = _gz(data, 2)
    assert out[:10] == b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"  # no FNAME flag, MTIME 0
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    assert d.decompress(out) == data
    assert d.eof and d.unused_data == b""  # one member, nothing after it


def test_compression_is_close_to_a_single_stream() -> None:
    data = _text(40 * SMALL)
    assert len(_gz(data, 2)) <= 1.02 * len(gzip.compress(data, 6, mtime=0))


@pytest.mark.skipif(shutil.which("gzip") is None, reason="no gzip program")
def test_the_gzip_program_accepts_it(tmp_path: os.PathLike[str]) -> None:
    data = _text(7 * SMALL + 3)
    path = os.path.join(tmp_path, "x.nt.gz")
    with open(path, "wb") as f:
        f.write(_gz(data, 2))
    assert subprocess.run(["gzip", "-t", path], check=False).returncode == 0
    assert subprocess.run(["gzip", "-dc", path], capture_output=True, check=True).stdout == data


def test_crc32_combine_matches_zlib() -> None:
    rng = random.Random(4)
    for _ in range(50):
        a = rng.randbytes(rng.randint(0, 3000))
        b = rng.randbytes(rng.randint(0, 3000))
        assert crc32_combine(zlib.crc32(a), zlib.crc32(b), len(b)) == zlib.crc32(a + b)


def test_blocks_smaller_than_the_window_are_refused() -> None:
    with pytest.raises(ValueError, match="32 KiB"):
        gzip_file(io.BytesIO(b"x"), io.BytesIO(), block_bytes=1024)


def test_distinct_counters_combine_across_processes(tmp_path: os.PathLike[str]) -> None:
    """A worker exports its runs; the parent adopts them and counts once."""
    a: DistinctCounter[str] = DistinctCounter(max_in_memory=3, tmpdir=tmp_path)
    b: DistinctCounter[str] = DistinctCounter(max_in_memory=3, tmpdir=tmp_path)
    for i in range(10):
        a.add(f"x{i}")
    for i in range(5, 20):
        b.add(f"x{i}")
    a.adopt(b.export())
    assert a.count() == 20
    a.close()
    assert os.listdir(tmp_path) == []
