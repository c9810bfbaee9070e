"""The mapped dataset: subject blocks merged across rows, with cell-level provenance.

Subjects are kept in a canonical order (by ``<IRI>`` spelling) and each subject's triples
by their N-Triples spelling, so that writing the blocks in order gives sorted N-Triples
and stable Turtle and JSON-LD.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .mapping.run import MappedBlock, Origin
from .terms import RDF_TYPE, Block, Lit, Obj, nt_object

if TYPE_CHECKING:
    from rdflib import Graph

__all__ = ["MappedDataset", "from_rdflib_term", "to_rdflib"]


def _pair_key(pair: tuple[str, Obj]) -> str:
    return f"<{pair[0]}> {nt_object(pair[1])}"


@dataclass
class MappedDataset:
    """All triples of a package, grouped by subject, and where each came from.

    Attributes:
        subjects: for each subject IRI, its (predicate, object) pairs without duplicates.
        origins: for each subject IRI, the row it first came from.
        cells: for each ``(subject, predicate, object)``, the column that produced it.
        predicate_fields: per resource, the columns feeding each predicate.
    """

    subjects: dict[str, dict[tuple[str, Obj], None]] = field(default_factory=dict)
    origins: dict[str, Origin] = field(default_factory=dict)
    cells: dict[tuple[str, str, Obj], str] = field(default_factory=dict)
    predicate_fields: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)

    def add(self, block: MappedBlock) -> None:
        """Merge one mapped block."""
        pairs = self.subjects.setdefault(block.subject, {})
        self.origins.setdefault(block.subject, block.origin)
        for pair, column in zip(block.pairs, block.fields, strict=True):
            pairs[pair] = None
            if column is not None:
                self.cells.setdefault((block.subject, pair[0], pair[1]), column)

    @property
    def triple_count(self) -> int:
        """Number of distinct triples."""
        return sum(len(p) for p in self.subjects.values())

    def blocks(self) -> Iterator[Block]:
        """Subject blocks in canonical order (see the module docstring)."""
        for subject in sorted(self.subjects, key=lambda s: s + ">"):
            yield subject, sorted(self.subjects[subject], key=_pair_key)

    def types(self, subject: str) -> list[str]:
        """The ``rdf:type`` IRIs of ``subject``."""
        return [o for p, o in self.subjects.get(subject, {}) if p == RDF_TYPE and isinstance(o, str)]

    def field_for(self, subject: str, predicate: str | None, value: Obj | None) -> str | None:
        """The column behind a (subject, predicate[, value]) as precisely as known."""
        if predicate is None:
            return None
        if value is not None:
            hit = self.cells.get((subject, predicate, value))
            if hit:
                return hit
        origin = self.origins.get(subject)
        if origin is None:
            return None
        columns = self.predicate_fields.get(origin.resource, {}).get(predicate, ())
        return ",".join(columns) if columns else None


def to_rdflib(blocks: Iterator[Block]) -> Graph:
    """An rdflib Graph of the blocks (for SHACL and tests; small datasets only)."""
    from rdflib import Graph, Literal, URIRef

    g = Graph()
    add = g.add
    for s, pairs in blocks:
        su = URIRef(s)
        for p, o in pairs:
            if isinstance(o, str):
                add((su, URIRef(p), URIRef(o)))
            elif o.lang:
                add((su, URIRef(p), Literal(o.lexical, lang=o.lang)))
            else:
                add((su, URIRef(p), Literal(o.lexical, datatype=URIRef(o.datatype))))
    return g


def from_rdflib_term(term: object) -> Obj | None:
    """The sse_ld object term for an rdflib term (``None`` for blank nodes)."""
    from rdflib import BNode, Literal, URIRef

    from .terms import RDF_LANGSTRING, XSD_STRING

    if isinstance(term, URIRef):
        return str(term)
    if isinstance(term, Literal):
        if term.language:
            return Lit(str(term), RDF_LANGSTRING, term.language)
        return Lit(str(term), str(term.datatype) if term.datatype else XSD_STRING, "")
    if isinstance(term, BNode):
        return None
    return None
