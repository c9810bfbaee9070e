"""Shapes the compiler does not support, validated by pyshacl on the graph.

SHACL-SPARQL constraints, complex property paths, ``sh:targetObjectsOf``: a shapes file
(a package's own shapes, say) may use what :mod:`sse_ld.shaclc` does not compile. Then the
pass also keeps the graph in memory, and pyshacl validates it against those shapes only
(:meth:`~sse_ld.shaclc.ShapeProgram.fallback_graph`) once the pass is over; its results are
placed at their rows like the compiled ones. Memory then grows with the graph: a package
that needs this is read by one process.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rdflib import Graph, URIRef

from ..mapping import ResourcePlan
from ..mapping.run import MappedBlock
from ..shacl import run_shacl, support_graph
from ..shaclc import Result, ShapeProgram, from_rdflib, to_rdflib

if TYPE_CHECKING:
    from ..mapping import Vocabulary

__all__ = ["Fallback"]


class Fallback:
    """The graph and the row of each subject, for the shapes validated by pyshacl."""

    def __init__(self, program: ShapeProgram) -> None:
        self.program = program
        self.graph = Graph()
        self.rows: dict[str, tuple[MappedBlock, ResourcePlan]] = {}

    def add(self, blocks: list[MappedBlock], plan: ResourcePlan) -> None:
        """Keep a row's triples, and where each of its subjects comes from."""
        add = self.graph.add
        for b in blocks:
            s = URIRef(b.subject)
            self.rows.setdefault(b.subject, (b, plan))
            for p, o in b.pairs:
                add((s, URIRef(p), to_rdflib(o)))

    def run(self, vocabulary: Vocabulary | None) -> list[tuple[Result, list[MappedBlock], ResourcePlan | None]]:
        """pyshacl's results for the shapes not compiled, each with the row of its focus node."""
        data = self.graph
        if vocabulary is not None:
            data = data + support_graph(data, vocabulary.graph)
        out: list[tuple[Result, list[MappedBlock], ResourcePlan | None]] = []
        for r in run_shacl(data, self.program.fallback_graph()):
            focus = str(r.focus)
            result = Result(
                focus=focus,
                path=str(r.path) if isinstance(r.path, URIRef) else None,
                value=from_rdflib(r.value) if r.value is not None else None,
                shape=str(r.shape) if isinstance(r.shape, URIRef) else None,
                component=r.component,
                severity=r.severity,
                messages=r.messages,
            )
            row: Any = self.rows.get(focus)
            out.append((result, [row[0]], row[1]) if row else (result, [], None))
        return out
