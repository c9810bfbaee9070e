"""Exact distinct counts over streams too large to hold in memory.

VoID needs the number of distinct objects of a dataset. A set of every object is exact but
grows with the data (tens of millions of literals for a million-row package); a sketch
(HyperLogLog) is small but approximate. :class:`DistinctCounter` is exact with bounded
memory: it keeps at most ``max_in_memory`` items in a set, spills their spellings sorted to
a temporary file when full, and at the end merges the sorted runs (``heapq.merge``),
counting each spelling once. Spellings must not contain ``\\n`` (N-Triples spellings never
do) and must be one-to-one with the items.

Counters in several processes combine: one :meth:`~DistinctCounter.export` its runs, the
other :meth:`~DistinctCounter.adopt` them.
"""

from __future__ import annotations

import contextlib
import heapq
import os
import tempfile
from collections.abc import Callable, Hashable, Iterable
from pathlib import Path
from types import TracebackType
from typing import IO, Generic, TypeVar

__all__ = ["DistinctCounter"]

T = TypeVar("T", bound=Hashable)


def _same(item: object) -> str:
    return str(item)


class DistinctCounter(Generic[T]):
    """Count distinct items exactly, spilling sorted runs to disk beyond a memory cap.

    Use as a context manager (the temporary runs are removed on exit)::

        with DistinctCounter() as c:
            for o in objects:
                c.add(o)
            n = c.count()

    Args:
        max_in_memory: items kept in memory before a run is spilled.
        tmpdir: where runs go (the system's temporary folder by default).
        spell: the text of an item in a run (``str`` by default).
    """

    def __init__(
        self,
        max_in_memory: int = 500_000,
        tmpdir: str | os.PathLike[str] | None = None,
        spell: Callable[[T], str] = _same,
    ) -> None:
        if max_in_memory < 1:
            raise ValueError("max_in_memory must be at least 1")
        self.max_in_memory = max_in_memory
        self._tmpdir = tmpdir
        self._spell = spell
        self._items: set[T] = set()
        self._runs: list[Path] = []
        self._dir: str | None = None

    def __enter__(self) -> DistinctCounter[T]:
        return self

    def __exit__(self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    @property
    def spilled(self) -> int:
        """How many sorted runs went to disk (0 when everything fitted in memory)."""
        return len(self._runs)

    def add(self, item: T) -> None:
        """Count ``item``."""
        items = self._items
        items.add(item)
        if len(items) >= self.max_in_memory:
            self._spill()

    def update(self, items: Iterable[T]) -> None:
        """Count each of ``items``."""
        mine = self._items
        mine.update(items)
        if len(mine) >= self.max_in_memory:
            self._spill()

    def _spill(self) -> None:
        if self._dir is None:
            self._dir = tempfile.mkdtemp(prefix="sse-ld-distinct-", dir=self._tmpdir)
        path = Path(self._dir) / f"run-{os.getpid()}-{len(self._runs)}"
        with path.open("w", encoding="utf-8", newline="\n") as f:
            # Sorted as lines (with their newline), the order heapq.merge reads them back in.
            f.writelines(sorted(self._spell(item) + "\n" for item in self._items))
        self._runs.append(path)
        self._items.clear()

    def export(self) -> list[Path]:
        """Spill what is in memory and hand every run over (to :meth:`adopt` elsewhere)."""
        if self._items:
            self._spill()
        runs, self._runs = self._runs, []
        return runs

    def adopt(self, runs: list[Path]) -> None:
        """Count the items of another counter's runs too (their files become this counter's)."""
        self._runs.extend(runs)

    def count(self) -> int:
        """The number of distinct items added (or adopted) so far."""
        if not self._runs:
            return len(self._items)
        if self._items:
            self._spill()
        files: list[IO[str]] = [p.open("r", encoding="utf-8", newline="\n") for p in self._runs]
        try:
            n = 0
            last: str | None = None
            for line in heapq.merge(*files):
                if line != last:
                    n += 1
                    last = line
            return n
        finally:
            for f in files:
                f.close()

    def close(self) -> None:
        """Remove the temporary runs (adopted ones included)."""
        self._items.clear()
        folders = {p.parent for p in self._runs}
        for p in self._runs:
            p.unlink(missing_ok=True)
        self._runs.clear()
        if self._dir is not None:
            folders.add(Path(self._dir))
            self._dir = None
        for folder in folders:
            with contextlib.suppress(OSError):  # not empty (another counter's runs) or already gone
                folder.rmdir()
