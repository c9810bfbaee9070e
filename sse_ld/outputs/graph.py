"""A small graph builder for the metadata outputs (catalog, VoID, build provenance).

These graphs are a few hundred triples, built in memory and written with the same
deterministic writers as the dumps (:mod:`sse_ld.writers`): subjects and their triples in
canonical order, so the same build gives the same bytes. No blank nodes: every node has an
IRI (fragments of the dataset IRI where nothing better exists).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO

from ..terms import RDF_LANGSTRING, RDF_TYPE, XSD, XSD_STRING, Block, Lit, Obj, nt_object
from ..vocab import STANDARD_PREFIXES
from ..writers import write_jsonld, write_turtle

__all__ = ["Graph", "lang", "plain", "typed"]


def plain(text: str) -> Lit:
    """An ``xsd:string`` literal."""
    return Lit(text, XSD_STRING, "")


def lang(text: str, tag: str) -> Lit:
    """A language-tagged literal (a plain one when ``tag`` is empty)."""
    return Lit(text, RDF_LANGSTRING, tag) if tag else plain(text)


def typed(text: str, datatype: str) -> Lit:
    """A typed literal; ``datatype`` may be an ``xsd:`` local name such as ``"integer"``."""
    return Lit(text, datatype if ":" in datatype else XSD + datatype, "")


class Graph:
    """Triples grouped by subject, written in canonical order."""

    def __init__(self, prefixes: dict[str, str] | None = None) -> None:
        self._subjects: dict[str, dict[tuple[str, Obj], None]] = {}
        self.prefixes: dict[str, str] = {**STANDARD_PREFIXES, **(prefixes or {})}

    def add(self, s: str, p: str, o: Obj | None) -> None:
        """Add a triple; ``None`` objects (absent values) are skipped."""
        if o is None:
            return
        self._subjects.setdefault(str(s), {})[(str(p), o if isinstance(o, Lit) else str(o))] = None

    def add_all(self, s: str, p: str, objects: Iterable[Obj | None]) -> None:
        """Add one triple per object."""
        for o in objects:
            self.add(s, p, o)

    def a(self, s: str, *classes: str) -> None:
        """``s rdf:type c`` for each class."""
        for c in classes:
            self.add(s, RDF_TYPE, str(c))

    def __len__(self) -> int:
        return sum(len(p) for p in self._subjects.values())

    def __contains__(self, subject: str) -> bool:
        return subject in self._subjects

    def blocks(self) -> list[Block]:
        """Subject blocks in canonical order (as :meth:`MappedDataset.blocks`)."""
        return [
            (s, sorted(self._subjects[s], key=lambda pair: f"<{pair[0]}> {nt_object(pair[1])}"))
            for s in sorted(self._subjects, key=lambda s: s + ">")
        ]

    def write_turtle(self, f: IO[str], header: str = "") -> None:
        """Write readable Turtle with this graph's prefixes."""
        write_turtle(self.blocks(), f, self.prefixes, header=header)

    def write_jsonld(self, f: IO[str]) -> None:
        """Write compacted JSON-LD with this graph's prefixes as its context."""
        write_jsonld(self.blocks(), f, self.prefixes)
