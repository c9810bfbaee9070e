"""Gzip on several cores, with output that does not depend on how many.

A million-row dump is gigabytes of N-Triples, and deflate on one core is then a good part of
the build. Like ``pigz``, :func:`gzip_file` cuts the input into fixed-size blocks and
deflates them in threads (``zlib`` releases the GIL while it compresses): each block is a
raw deflate stream primed with the 32 KiB of input before it (so compression barely
suffers), ended by a sync flush, and the last one by the final block. Their concatenation
is one ordinary gzip member, whose CRC-32 is combined from the blocks' CRCs. The bytes
depend on the input, the level and the block size only, never on the number of threads;
the header has no file name and no time, so rebuilding gives the same file.
"""

from __future__ import annotations

import struct
import zlib
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import IO

__all__ = ["BLOCK_BYTES", "crc32_combine", "gzip_file"]

#: Uncompressed bytes per independently compressed block.
BLOCK_BYTES = 8 << 20
_WINDOW = 32 << 10
# ID1 ID2 CM=deflate FLG=0 MTIME=0 XFL=0 OS=255 (unknown): no name, no time.
_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"


def _gf2_times(matrix: list[int], vector: int) -> int:
    out = 0
    i = 0
    while vector:
        if vector & 1:
            out ^= matrix[i]
        vector >>= 1
        i += 1
    return out


def _gf2_square(matrix: list[int]) -> list[int]:
    return [_gf2_times(matrix, matrix[n]) for n in range(32)]


def crc32_combine(crc1: int, crc2: int, length2: int) -> int:
    """The CRC-32 of ``a + b`` from ``crc32(a)``, ``crc32(b)`` and ``len(b)``.

    Appending ``length2`` zero bytes to ``a`` is a linear map on its CRC register, computed
    by repeated squaring of the one-zero-bit operator over GF(2) (as zlib's own
    ``crc32_combine``, which Python does not expose).
    """
    if length2 <= 0:
        return crc1
    odd = [0xEDB88320] + [1 << n for n in range(31)]  # the operator for one zero bit
    even = _gf2_square(odd)  # two zero bits
    odd = _gf2_square(even)  # four zero bits
    while True:
        even = _gf2_square(odd)  # first pass: one zero byte
        if length2 & 1:
            crc1 = _gf2_times(even, crc1)
        length2 >>= 1
        if not length2:
            break
        odd = _gf2_square(even)
        if length2 & 1:
            crc1 = _gf2_times(odd, crc1)
        length2 >>= 1
        if not length2:
            break
    return crc1 ^ crc2


def _deflate(block: bytes, primer: bytes, last: bool, level: int) -> tuple[bytes, int]:
    kwargs = {"zdict": primer} if primer else {}
    c = zlib.compressobj(level, zlib.DEFLATED, -15, 8, zlib.Z_DEFAULT_STRATEGY, **kwargs)
    data = c.compress(block) + c.flush(zlib.Z_FINISH if last else zlib.Z_SYNC_FLUSH)
    return data, zlib.crc32(block)


def _blocks(src: IO[bytes], size: int) -> Iterator[tuple[bytes, bytes, bool]]:
    """(block, the input's last 32 KiB before it, whether it is the last block)."""
    primer = b""
    block = src.read(size)
    while True:
        following = src.read(size) if len(block) == size else b""
        last = not following
        yield block, primer, last
        if last:
            return
        primer = block[-_WINDOW:]
        block = following


def gzip_file(src: IO[bytes], dst: IO[bytes], level: int = 6, threads: int = 1, block_bytes: int = BLOCK_BYTES) -> int:
    """Gzip ``src`` into ``dst`` (one gzip member); return the number of input bytes.

    At most ``2 * threads`` blocks are in memory at once.
    """
    if block_bytes < _WINDOW:
        raise ValueError("block_bytes must be at least 32 KiB")
    dst.write(_HEADER)
    crc = 0
    total = 0
    pending: deque[tuple[Future[tuple[bytes, int]], int]] = deque()

    def drain(keep: int) -> None:
        nonlocal crc, total
        while len(pending) > keep:
            future, length = pending.popleft()
            data, block_crc = future.result()
            dst.write(data)
            crc = crc32_combine(crc, block_crc, length)
            total += length

    with ThreadPoolExecutor(max_workers=max(1, threads), thread_name_prefix="sse-ld-gzip") as pool:
        for block, primer, last in _blocks(src, block_bytes):
            pending.append((pool.submit(_deflate, block, primer, last, level), len(block)))
            drain(2 * max(1, threads) - 1)
        drain(0)
    dst.write(struct.pack("<II", crc & 0xFFFFFFFF, total & 0xFFFFFFFF))
    return total
