"""Key tables with a bounded part in memory: the rest in sorted runs on disk.

Checking primary keys, ``unique`` values and duplicate subjects needs every key seen so far,
and where it was seen. A table keeps at most ``budget`` entries in a dict; when the dict is
full, its entries are sorted by a 16-byte digest of the key and written to a *run*, a file
of fixed-size records (digest, packed position, the 64-bit hash the filter below uses), with
the keys' own values pickled, in the same order, into a companion file when the caller needs
them back. Memory then grows only by a sparse index (every 64th digest of each run) and one
Bloom filter over all runs, 3 to 5 bytes per key instead of the dict's 110 to 130.

A lookup that misses the dict asks the filter first: at 16 to 32 bits per key and four probes
it lets about 0.1 % of absent keys through, and only those, and the keys really there, read one
2 KiB block of each run, newest first. So answers stay exact and are given row by row, as
with everything in memory: a repeated key is reported at its row, and a duplicate subject's
triples are left out, whatever the size of the file.

Runs are written into a folder the caller owns and removes (the engine's, one per pass); a
table is picklable, so a worker process hands its runs over to the parent by their paths.
"""

from __future__ import annotations

import bisect
import datetime
import hashlib
import os
import pickle
import struct
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from .errors import temporary_write_error

__all__ = ["BloomFilter", "DigestTable", "RunStore", "Runs", "digest_hash", "key_digest", "mixed_hash"]

_RECORD = struct.Struct("<16sQQ")  # digest, packed position, mixed hash (to refill the filter)
_EVERY = 64  # records per block: one digest of each block is kept in memory
_BLOCK = _EVERY * _RECORD.size


def key_digest(key: Any) -> bytes | None:
    """A 16-byte digest that two keys share exactly when Python's dicts take them for the
    same key; ``None`` for values whose equality a byte spelling does not follow (decimals,
    where ``1.0 == 1.00``; times with a zone), which are then kept in memory."""
    spelled = _spell(key)
    return None if spelled is None else hashlib.blake2b(spelled, digest_size=16).digest()


def _spell(key: Any) -> bytes | None:
    cls = key.__class__
    if cls is str:
        text: str = key
        return b"s" + text.encode("utf-8", "surrogatepass")
    if cls is int:
        return b"i%d" % key
    if cls is datetime.date:
        day: datetime.date = key
        return b"d" + day.isoformat().encode("ascii")
    if key is None:
        return b"n"
    if cls is tuple:
        parts = []
        for item in key:
            part = _spell(item)
            if part is None:
                return None
            parts.append(b"%d:" % len(part) + part)
        return b"t" + b"".join(parts)
    return None


_M64 = (1 << 64) - 1


def mixed_hash(value: Any) -> int:
    """Python's ``hash`` of ``value``, mixed into 64 uniform bits (splitmix64's finaliser):
    the hash of a text is cached in the object, so a lookup costs a few integer operations.
    Such hashes hold within one process and its forks (``PYTHONHASHSEED``), which is all a
    pass needs: runs never outlive it."""
    x = hash(value) & _M64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _M64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _M64
    return x ^ (x >> 31)


def digest_hash(digest: bytes) -> int:
    """The filter's hash of a digest: its own first 64 bits, already uniform."""
    return int.from_bytes(digest[:8], "little")


class BloomFilter:
    """A Bloom filter over 64-bit uniform hashes (:func:`mixed_hash`, :func:`digest_hash`):
    four probes by double hashing. It is rebuilt twice as large (by :class:`Runs`) when it
    holds more keys than it was sized for, so that false positives stay near 0.1 %."""

    def __init__(self, capacity: int) -> None:
        bits = 1 << min(32, max(16, (16 * capacity - 1).bit_length()))
        self.capacity = bits // 16
        self.mask = bits - 1
        self.bits = bytearray(bits >> 3)
        self.count = 0

    def add(self, x: int) -> None:
        m, b = self.mask, self.bits
        step = (x >> 32) | 1
        p = x & m
        b[p >> 3] |= 1 << (p & 7)
        p = (x + step) & m
        b[p >> 3] |= 1 << (p & 7)
        p = (x + 2 * step) & m
        b[p >> 3] |= 1 << (p & 7)
        p = (x + 3 * step) & m
        b[p >> 3] |= 1 << (p & 7)
        self.count += 1

    def __contains__(self, x: int) -> bool:
        m, b = self.mask, self.bits
        step = (x >> 32) | 1
        p = x & m
        if not b[p >> 3] >> (p & 7) & 1:
            return False
        p = (x + step) & m
        if not b[p >> 3] >> (p & 7) & 1:
            return False
        p = (x + 2 * step) & m
        if not b[p >> 3] >> (p & 7) & 1:
            return False
        p = (x + 3 * step) & m
        return bool(b[p >> 3] >> (p & 7) & 1)


class RunStore:
    """Where the runs of a pass go, and how many entries a table keeps in memory."""

    def __init__(self, folder: Path, budget: int) -> None:
        if budget < 1:
            raise ValueError("a key table keeps at least one entry in memory")
        self.folder = folder
        self.budget = budget
        self._made = 0

    def new_path(self) -> Path:
        """A file name no other table, or process, of this pass uses."""
        self._made += 1
        return self.folder / f"keys-{os.getpid()}-{self._made}"


class _Run:
    """One sorted run: its file, its sparse index, and the file of its keys' values if any."""

    def __init__(self, path: Path, sparse: list[bytes], values: Path | None) -> None:
        self.path = path
        self.sparse = sparse
        self.values = values

    def find(self, digest: bytes) -> int | None:
        """The packed position recorded for ``digest``, or ``None``. The file is opened for
        each lookup: lookups are rare (the Bloom filter let the digest through), and no
        descriptor outlives the call."""
        block = bisect.bisect_right(self.sparse, digest) - 1
        if block < 0:
            return None
        with self.path.open("rb") as f:
            f.seek(block * _BLOCK)
            data = f.read(_BLOCK)
        size = _RECORD.size
        keys = [data[i : i + 16] for i in range(0, len(data), size)]
        k = bisect.bisect_left(keys, digest)
        if k < len(keys) and keys[k] == digest:
            return int(_RECORD.unpack_from(data, k * size)[1])
        return None

    def hashes(self) -> Iterator[int]:
        """The mixed hash of every record."""
        with self.path.open("rb") as f:
            while data := f.read(_BLOCK * 64):
                for _d, _p, x in _RECORD.iter_unpack(data):
                    yield x

    def records(self) -> Iterator[tuple[bytes, int, Any]]:
        """Every ``(digest, packed, key)`` in digest order (``key`` is ``None`` in a run
        written without values)."""
        keys: list[Any] | None = None
        if self.values is not None:
            with self.values.open("rb") as vf:
                keys = pickle.load(vf)  # a run's keys, in the records' order: at most a budget's worth
        n = 0
        with self.path.open("rb") as f:
            while data := f.read(_BLOCK * 64):
                for d, p, _x in _RECORD.iter_unpack(data):
                    yield d, p, (keys[n] if keys is not None else None)
                    n += 1


class Runs:
    """The spilled part of one key table: its runs, newest last, and their Bloom filter."""

    def __init__(self, store: RunStore) -> None:
        self.store = store
        self.runs: list[_Run] = []
        self.bloom: BloomFilter | None = None
        #: whether anything was spilled (an attribute, tested on every row)
        self.any = False

    def spill(self, entries: list[tuple[bytes, int, int, Any]], with_values: bool) -> None:
        """Write ``(digest, packed, mixed hash, key)`` entries as one run (sorted here)."""
        entries.sort(key=lambda e: e[0])
        path = self.store.new_path()
        values_path = path.with_suffix(".values") if with_values else None
        pack = _RECORD.pack
        try:
            if values_path is not None:
                with values_path.open("wb") as vf:
                    pickle.dump([e[3] for e in entries], vf, protocol=pickle.HIGHEST_PROTOCOL)
            with path.open("wb") as f:
                f.write(b"".join([pack(d, p, x) for d, p, x, _k in entries]))
        except OSError as exc:
            raise temporary_write_error(exc, "keys to the temporary folder") from exc
        self.runs.append(_Run(path, [entries[i][0] for i in range(0, len(entries), _EVERY)], values_path))
        total = (self.bloom.count if self.bloom is not None else 0) + len(entries)
        if self.bloom is None or total > self.bloom.capacity:
            # Sized for twice what is there: refilled from every run, about once per doubling.
            self.bloom = BloomFilter(2 * total)
            for run in self.runs:
                for x in run.hashes():
                    self.bloom.add(x)
        else:
            add = self.bloom.add
            for e in entries:
                add(e[2])
        self.any = True

    def find(self, x: int, digest: bytes | Callable[[], bytes | None]) -> int | None:
        """The newest packed position recorded for a key whose mixed hash is ``x`` and digest
        ``digest`` (or what ``digest()`` gives: computed only past the filter), or ``None``."""
        if self.bloom is None or x not in self.bloom:
            return None
        d = digest if isinstance(digest, bytes) else digest()
        if d is None:
            return None
        for run in reversed(self.runs):
            hit = run.find(d)
            if hit is not None:
                return hit
        return None

    def records(self) -> Iterator[tuple[bytes, int, Any]]:
        """Every record of every run, newest run first (see :meth:`_Run.records`)."""
        for run in reversed(self.runs):
            yield from run.records()

    @property
    def count(self) -> int:
        """Records in all runs."""
        return self.bloom.count if self.bloom is not None else 0


class DigestTable:
    """Digests of subjects and where each was minted (a packed position): at most
    ``store.budget`` of them in the dict :attr:`mem`, the rest in runs. A digest is put
    once (a subject minted again is a duplicate, reported and not recorded), so each is in
    one place. Without a store, everything stays in memory."""

    def __init__(self, store: RunStore | None) -> None:
        self.mem: dict[bytes, int] = {}
        self.runs = Runs(store) if store is not None else None
        self.budget = store.budget if store is not None else 0

    def get(self, digest: bytes) -> int | None:
        """Where ``digest`` was minted, or ``None``."""
        hit = self.mem.get(digest)
        if hit is None and self.runs is not None and self.runs.any:
            hit = self.runs.find(digest_hash(digest), digest)
        return hit

    def __contains__(self, digest: bytes) -> bool:
        return self.get(digest) is not None

    def spill_if_full(self) -> None:
        """Move the dict to a run once it holds ``budget`` digests."""
        if self.budget and len(self.mem) >= self.budget and self.runs is not None:
            self.runs.spill([(d, p, digest_hash(d), None) for d, p in self.mem.items()], with_values=False)
            self.mem.clear()

    def __len__(self) -> int:
        return len(self.mem) + (self.runs.count if self.runs is not None else 0)

    def __iter__(self) -> Iterator[bytes]:
        yield from self.mem
        if self.runs is not None:
            for d, _p, _k in self.runs.records():
                yield d
