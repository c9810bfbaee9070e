"""Exact distinct counts over streams too large to hold in memory.

VoID needs the number of distinct objects of a dataset. A set of every object is exact but
grows with the data (tens of millions of literals for a million-row package); a sketch
(HyperLogLog) is small but approximate. :class:`DistinctCounter` is exact with bounded
memory: it keeps at most ``max_in_memory`` items in a set, spills them sorted to a
temporary file when full, and at the end merges the sorted runs (``heapq.merge``), counting
each value once. Items must not contain ``\\n`` (N-Triples spellings never do).
"""

from __future__ import annotations

import heapq
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import IO

__all__ = ["DistinctCounter"]


class DistinctCounter:
    """Count distinct strings exactly, spilling sorted runs to disk beyond a memory cap.

    Use as a context manager (the temporary runs are removed on exit)::

        with DistinctCounter() as c:
            for o in objects:
                c.add(o)
            n = c.count()
    """

    def __init__(self, max_in_memory: int = 500_000, tmpdir: str | os.PathLike[str] | None = None) -> None:
        if max_in_memory < 1:
            raise ValueError("max_in_memory must be at least 1")
        self.max_in_memory = max_in_memory
        self._tmpdir = tmpdir
        self._items: set[str] = set()
        self._runs: list[Path] = []
        self._dir: tempfile.TemporaryDirectory[str] | None = None

    def __enter__(self) -> DistinctCounter:
        return self

    def __exit__(self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    @property
    def spilled(self) -> int:
        """How many sorted runs went to disk (0 when everything fitted in memory)."""
        return len(self._runs)

    def add(self, item: str) -> None:
        """Count ``item`` (a string without ``\\n``)."""
        self._items.add(item)
        if len(self._items) >= self.max_in_memory:
            self._spill()

    def _spill(self) -> None:
        if self._dir is None:
            self._dir = tempfile.TemporaryDirectory(prefix="sse-ld-distinct-", dir=self._tmpdir)
        path = Path(self._dir.name) / f"run-{len(self._runs)}"
        with path.open("w", encoding="utf-8", newline="\n") as f:
            f.writelines(f"{item}\n" for item in sorted(self._items))
        self._runs.append(path)
        self._items.clear()

    def count(self) -> int:
        """The number of distinct items added so far."""
        if not self._runs:
            return len(self._items)
        if self._items:
            self._spill()
        files: list[IO[str]] = [p.open("r", encoding="utf-8", newline="\n") for p in self._runs]
        try:
            n = 0
            last: str | None = None
            for line in heapq.merge(*(_lines(f) for f in files)):
                if line != last:
                    n += 1
                    last = line
            return n
        finally:
            for f in files:
                f.close()

    def close(self) -> None:
        """Remove the temporary runs."""
        self._items.clear()
        self._runs.clear()
        if self._dir is not None:
            self._dir.cleanup()
            self._dir = None


def _lines(f: IO[str]) -> Iterator[str]:
    for line in f:
        yield line[:-1] if line.endswith("\n") else line
