"""Exact distinct counts over streams too large to hold in memory.

VoID needs the number of distinct objects of a dataset. A set of every object is exact but
grows with the data (tens of millions of literals for a million-row package); a sketch
(HyperLogLog) is small but approximate. :class:`DistinctCounter` is exact with bounded
memory: it keeps at most ``max_in_memory`` items in a set and, when full, spills their
spellings to a temporary file, cut into :data:`PARTS` partitions by a CRC-32 of the
spelling. Equal spellings always land in the same partition, so at the end each partition
is counted on its own, with a set, across every run (a partition too large for memory is
cut again with another CRC seed). Every step that touches each item runs in C (``split``,
``set``), unlike a merge of sorted runs. Spellings must not contain ``\\n`` (N-Triples
spellings never do) and must be one-to-one with the items.

Counters in several processes combine: one :meth:`~DistinctCounter.export` its runs, the
other :meth:`~DistinctCounter.adopt` them.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import zlib
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Generic, TypeVar

from .errors import temporary_write_error

__all__ = ["PARTS", "DistinctCounter", "Run"]

T = TypeVar("T", bound=Hashable)

#: Partitions of a run: with 256, a partition of a million-row build's runs is a few MB.
PARTS = 256
#: A partition larger than this is cut again before it is counted.
_PARTITION_BYTES = 64 << 20


def _same(item: object) -> str:
    return str(item)


@dataclass(frozen=True)
class Run:
    """A spilled run: its file, and where each partition ends in it (byte offsets)."""

    path: Path
    ends: tuple[int, ...]

    def segment(self, part: int) -> tuple[int, int]:
        """``(start, end)`` byte offsets of partition ``part``."""
        return (self.ends[part - 1] if part else 0), self.ends[part]


def _write_run(path: Path, lines: Iterable[bytes], seed: int) -> Run:
    """Write ``lines`` (no newlines in them) cut into partitions by ``crc32(line, seed)``."""
    buckets: list[list[bytes]] = [[] for _ in range(PARTS)]
    crc = zlib.crc32
    for line in lines:
        buckets[crc(line, seed) % PARTS].append(line)
    ends = []
    offset = 0
    with path.open("wb") as f:
        for bucket in buckets:
            if bucket:
                data = b"\n".join(bucket) + b"\n"
                f.write(data)
                offset += len(data)
            ends.append(offset)
    return Run(path, tuple(ends))


def _lines(data: bytes) -> list[bytes]:
    """The lines of a partition's bytes (each ends with a newline; an empty line is an item)."""
    lines = data.split(b"\n")
    lines.pop()
    return lines


def _read(run: Run, part: int) -> bytes:
    start, end = run.segment(part)
    if end == start:
        return b""
    with run.path.open("rb") as f:
        f.seek(start)
        return f.read(end - start)


class DistinctCounter(Generic[T]):
    """Count distinct items exactly, spilling partitioned runs to disk beyond a memory cap.

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
        self._runs: list[Run] = []
        self._dir: str | None = None

    def __enter__(self) -> DistinctCounter[T]:
        return self

    def __exit__(self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    @property
    def spilled(self) -> int:
        """How many runs went to disk (0 when everything fitted in memory)."""
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
        spell = self._spell
        texts: Iterable[str] = self._items if spell is _same else map(spell, self._items)  # type: ignore[assignment]
        # One encode and one split for the whole run: the per-item work left is the CRC.
        lines = "\n".join(texts).encode("utf-8").split(b"\n")
        try:
            if self._dir is None:
                self._dir = tempfile.mkdtemp(prefix="sse-ld-distinct-", dir=self._tmpdir)
            path = Path(self._dir) / f"run-{os.getpid()}-{len(self._runs)}"
            self._runs.append(_write_run(path, lines, 0))
        except OSError as exc:
            raise temporary_write_error(exc, "distinct values to the temporary folder") from exc
        self._items.clear()

    def export(self) -> list[Run]:
        """Spill what is in memory and hand every run over (to :meth:`adopt` elsewhere)."""
        if self._items:
            self._spill()
        runs, self._runs = self._runs, []
        return runs

    def adopt(self, runs: list[Run]) -> None:
        """Count the items of another counter's runs too (their files become this counter's)."""
        self._runs.extend(runs)

    def count(self) -> int:
        """The number of distinct items added (or adopted) so far."""
        if not self._runs:
            return len(self._items)
        if self._items:
            self._spill()
        return sum(self._count(self._runs, part, 0) for part in range(PARTS))

    def _count(self, runs: list[Run], part: int, seed: int) -> int:
        """Distinct lines of partition ``part`` of ``runs``; cut again if it is too large."""
        size = sum(end - start for start, end in (r.segment(part) for r in runs))
        if size <= _PARTITION_BYTES or seed >= 4:
            seen: set[bytes] = set()
            for run in runs:
                seen.update(_lines(_read(run, part)))
            return len(seen)
        assert self._dir is not None
        cut: list[Run] = []
        try:
            for n, run in enumerate(runs):
                path = Path(self._dir) / f"cut-{os.getpid()}-{seed}-{part}-{n}"
                cut.append(_write_run(path, set(_lines(_read(run, part))), seed + 1))
            return sum(self._count(cut, sub, seed + 1) for sub in range(PARTS))
        finally:
            for run in cut:
                run.path.unlink(missing_ok=True)

    def close(self) -> None:
        """Remove the temporary runs (adopted ones included)."""
        self._items.clear()
        folders = {r.path.parent for r in self._runs}
        for r in self._runs:
            r.path.unlink(missing_ok=True)
        self._runs.clear()
        if self._dir is not None:
            folders.add(Path(self._dir))
            self._dir = None
        for folder in folders:
            with contextlib.suppress(OSError):  # not empty (another counter's runs) or already gone
                folder.rmdir()
