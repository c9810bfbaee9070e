"""Where a pass writes the dumps: one text stream per dump, rows appended as they come."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import IO

from ..graphstats import SummaryBuilder, SummaryPart
from ..iri import pct_encode
from ..mapping.run import MappedBlock
from ..publish import append_file
from ..vocab import PROV
from ..writers import Serializer

__all__ = ["PartFiles", "Sink"]

_PROV_DERIVED = str(PROV.wasDerivedFrom)
DUMPS = ("nt", "ttl", "jsonld", "prov")
_BUFFER = 1 << 20
#: The least a parent appends of a running worker's part at once (see Sink.follow).
FOLLOW_BYTES = 16 << 20
_POLL_SECONDS = 0.05


def _source_path(path: str) -> str:
    return "/".join(pct_encode(part) for part in path.split("/"))


class Sink:
    """Writes each row's blocks to the N-Triples, Turtle, JSON-LD and provenance streams.

    JSON-LD nodes are separated by commas: the first node of the document has none, which
    the sink tracks in :attr:`nodes`.
    """

    def __init__(
        self,
        serializer: Serializer,
        nt: IO[str],
        ttl: IO[str],
        jsonld: IO[str],
        prov: IO[str],
        source_base: str,
        summary: SummaryBuilder | None = None,
    ) -> None:
        self.ser = serializer
        #: counts for VoID and the catalog, taken from the blocks as they are written
        self.summary = summary
        self.streams = {"nt": nt, "ttl": ttl, "jsonld": jsonld, "prov": prov}
        self.nt, self.ttl, self.jsonld, self.prov = nt, ttl, jsonld, prov
        self.source_base = source_base
        self.nodes = 0
        self._sources: dict[str, str] = {}

    def write(self, blocks: list[MappedBlock]) -> None:
        """Append a row's blocks to every dump."""
        spell = self.ser.spell
        summary = self.summary
        nts, ttls, jsons, provs = [], [], [], []
        for b in blocks:
            out = spell(b.subject, b.pairs)
            if summary is not None:
                summary.add_spelled(b.subject, b.pairs, out.objects, out.predicates)
            nts.append(out.nt)
            ttls.append(out.ttl)
            jsons.append(out.jsonld)
            o = b.origin
            source = self._sources.get(o.file)
            if source is None:
                source = self._sources[o.file] = f"> <{_PROV_DERIVED}> <{self.source_base}{_source_path(o.file)}#row="
            provs.append(f"<{b.subject}{source}{o.row}> .\n")
        self.nt.write("".join(nts))
        self.ttl.write("".join(ttls))
        self.jsonld.write(("\n" if not self.nodes else ",\n") + ",\n".join(jsons))
        self.nodes += len(jsons)
        self.prov.write("".join(provs))

    def follow(self, parts: PartFiles, finished: Callable[[], bool]) -> None:
        """Append what a worker has written of its parts so far, a piece at a time, until
        ``finished()`` is true; :meth:`append` then adds the rest and the counts.

        The parent calls this once its own chunk is written, while the worker may still be
        reading: the copying and hashing of the worker's gigabytes then overlap its last
        rows instead of following them. Only bytes the worker has written are taken (a part
        grows as the worker's buffers are flushed), at least :data:`FOLLOW_BYTES` at once.
        """
        while not finished():
            moved = False
            for name in self.streams:
                size = parts.size(name)
                if size - parts.copied.get(name, 0) >= FOLLOW_BYTES:
                    self._append_part(name, parts, size)
                    moved = True
            if not moved:
                time.sleep(_POLL_SECONDS)

    def append(self, parts: PartFiles, summary: SummaryPart | None) -> None:
        """Append what a worker wrote for a later chunk of the same file (what
        :meth:`follow` has not), and its counts."""
        if self.summary is not None and summary is not None:
            self.summary.absorb(summary)
        for name in self.streams:
            self._append_part(name, parts, parts.size(name))
        self.nodes += parts.nodes

    def _append_part(self, name: str, parts: PartFiles, end: int) -> None:
        stream = self.streams[name]
        stream.flush()
        start = parts.copied.get(name, 0)
        if start == end:
            return
        # The worker wrote ",\n" before its first node; if no node came before, drop the comma.
        skip = 1 if start == 0 and name == "jsonld" and not self.nodes else 0
        append_file(stream.buffer, parts.path(name), start + skip, end)  # type: ignore[attr-defined]
        parts.copied[name] = end


class PartFiles:
    """The dump fragments a worker writes for one chunk (later appended by the parent)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.nodes = 0
        #: bytes of each part already appended to the dumps (see :meth:`Sink.follow`)
        self.copied: dict[str, int] = {}

    def path(self, name: str) -> Path:
        return self.folder / f"part.{name}"

    def size(self, name: str) -> int:
        """The bytes written so far to a part (0 before the worker has created it)."""
        try:
            return self.path(name).stat().st_size
        except FileNotFoundError:
            return 0

    def open_sink(
        self, serializer: Serializer, source_base: str, summary: SummaryBuilder | None
    ) -> tuple[Sink, list[IO[str]]]:
        """A sink writing into the part files; every JSON-LD node gets its leading comma."""
        self.folder.mkdir(parents=True, exist_ok=True)
        # The buffers are as large as those of the dumps the parent writes (OutputFolder.open):
        # with the default 8 KiB, a worker's gigabytes cost it a write call per 8 KiB.
        handles: list[IO[str]] = [
            self.path(n).open("w", encoding="utf-8", newline="\n", buffering=_BUFFER) for n in DUMPS
        ]
        nt, ttl, jsonld, prov = handles
        sink = Sink(serializer, nt, ttl, jsonld, prov, source_base, summary)
        sink.nodes = 1  # as if a node came before: the parent strips the comma if none did
        return sink, handles
