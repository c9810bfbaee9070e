"""Splitting a CSV file into byte ranges that start on record boundaries.

Two processes can then read one file at once. A newline ends a record unless it is inside
a quoted field; with RFC 4180 quoting (a quote character, doubled inside fields, and no
escape character) a newline is inside a quoted field exactly when an odd number of quote
characters precede it. Counting quotes and newlines runs at memory speed (``bytes.count``),
and gives each range the record number and physical line it starts at, so findings and
provenance keep their exact row and line numbers.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["Chunk", "SliceReader", "plan_chunks"]

_BLOCK = 1 << 20
#: Encodings whose newline and quote bytes never occur inside a multi-byte character.
ASCII_COMPATIBLE = frozenset(
    {"utf-8", "utf8", "utf-8-sig", "latin-1", "latin1", "iso-8859-1", "cp1252", "windows-1252", "ascii", "us-ascii"}
)


@dataclass(frozen=True)
class Chunk:
    """A byte range ``[start, end)`` of a file, starting at record ``base_row + 1`` (the
    header being record 1) on physical line ``base_line + 1``."""

    start: int
    end: int
    base_row: int
    base_line: int

    @property
    def first(self) -> bool:
        """Whether the chunk starts the file (and so holds the header)."""
        return self.start == 0


def splittable(options: dict[str, Any], encoding: str) -> bool:
    """Whether a file read with these ``csv`` options can be split by :func:`plan_chunks`."""
    return (
        encoding.lower().replace("_", "-") in ASCII_COMPATIBLE
        and bool(options.get("quotechar"))  # without quoting, quote characters are plain text
        and len(options["quotechar"]) == 1
        and options.get("doublequote", True)
        and not options.get("escapechar")
    )


def plan_chunks(
    path: Path, parts: int, quotechar: str = '"', min_bytes: int = 4 << 20, first: float = 1.0
) -> list[Chunk]:
    """Cut ``path`` into at most ``parts`` chunks of similar size on record boundaries, the
    first ``first`` times the size of each other one.

    Files smaller than ``min_bytes`` (or without ``\\n`` line ends) stay in one chunk.
    """
    size = path.stat().st_size
    if parts < 2 or size < min_bytes:
        return [Chunk(0, size, 0, 0)]
    quote = quotechar.encode("latin-1")
    total = first + parts - 1
    targets = [int(size * (first + k - 1) / total) for k in range(1, parts)]
    cuts: list[Chunk] = [Chunk(0, 0, 0, 0)]
    records = newlines = quotes = 0  # counts before ``pos``
    pos = 0
    with path.open("rb") as f:
        for target in targets:
            # Count up to the target, then move to the next record-ending newline.
            while pos < target:
                block = f.read(min(_BLOCK, target - pos))
                if not block:
                    break
                records, newlines, quotes = _count(block, records, newlines, quotes, quote)
                pos += len(block)
            while True:
                byte = f.read(1)
                if not byte:
                    return _finish(cuts, size)
                pos += 1
                if byte == quote:
                    quotes += 1
                elif byte == b"\n":
                    newlines += 1
                    if quotes % 2 == 0:
                        records += 1
                        break
            cuts.append(Chunk(pos, pos, records, newlines))
    if newlines == 0:
        return [Chunk(0, size, 0, 0)]
    return _finish(cuts, size)


def _count(block: bytes, records: int, newlines: int, quotes: int, quote: bytes) -> tuple[int, int, int]:
    """Advance the counters over ``block``: newlines inside quotes do not end records."""
    newlines += block.count(b"\n")
    pieces = block.split(quote)
    for i, piece in enumerate(pieces):
        if (quotes + i) % 2 == 0:  # outside quotes
            records += piece.count(b"\n")
    quotes += len(pieces) - 1
    return records, newlines, quotes


def _finish(cuts: list[Chunk], size: int) -> list[Chunk]:
    out = []
    for i, c in enumerate(cuts):
        end = cuts[i + 1].start if i + 1 < len(cuts) else size
        if end > c.start or i == 0:
            out.append(Chunk(c.start, end, c.base_row, c.base_line))
    return out


class SliceReader(io.RawIOBase):
    """A read-only view of the bytes ``[start, end)`` of a file."""

    def __init__(self, path: Path, start: int, end: int) -> None:
        self._f = path.open("rb")
        self._f.seek(start)
        self._left = end - start

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._left <= 0:
            return 0
        view = memoryview(buffer)[: self._left]
        n = self._f.readinto(view)
        self._left -= n or 0
        return n or 0

    def close(self) -> None:
        self._f.close()
        super().close()
