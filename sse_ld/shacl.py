"""SHACL validation with pyshacl, returning plain result records.

This module owns ``pyshacl``. Shapes come from the bundled ``shapes/`` folder (plus any
the caller adds); the ontology and code lists are given as pyshacl's ``ont_graph`` so that
``sh:targetClass`` sees subclasses and ``sh:class`` sees concept types, without being
copied into the published data: they are added to a private copy of the data graph that
only the validator sees. Nothing is fetched: ``owl:imports`` are never followed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef
from rdflib.namespace import SH

__all__ = ["ShaclResult", "load_shapes", "run_shacl"]


@dataclass(frozen=True, slots=True)
class ShaclResult:
    """One SHACL validation result, with its messages by language tag ("" when untagged)."""

    focus: Any
    path: Any
    value: Any
    shape: Any
    component: str
    severity: str
    messages: dict[str, str]


def _leaves(graph: Graph, result: Any) -> list[Any]:
    """The most specific results under ``result``: a ``sh:node`` failure carries the
    results that caused it as ``sh:detail``; those point at the offending value itself."""
    details = list(graph.objects(result, SH.detail))
    if not details:
        return [result]
    return [leaf for d in details for leaf in _leaves(graph, d)]


def load_shapes(files: Iterable[Path]) -> Graph:
    """Parse the SHACL shapes files into one graph."""
    g = Graph()
    for f in files:
        g.parse(f, format="turtle")
    return g


def _severity(term: Any) -> str:
    return {SH.Violation: "error", SH.Warning: "warning", SH.Info: "info"}.get(term, "error")


def run_shacl(data: Graph, shapes: Graph, ontology: Graph | None = None) -> list[ShaclResult]:
    """Validate ``data`` against ``shapes``; return every result (violations, warnings, infos).

    ``ontology`` (the classes, concepts and areas the data links to) is merged into
    ``data`` for the validation, so that targets reach instances of subclasses and
    ``sh:class`` sees the types of linked nodes; pyshacl's own ``ont_graph`` is only mixed
    in with inference on.
    """
    from pyshacl import validate

    if ontology is not None:
        data += ontology
    _conforms, results_graph, _text = validate(
        data,
        shacl_graph=shapes,
        inference="none",
        abort_on_first=False,
        allow_warnings=True,
        allow_infos=True,
        meta_shacl=False,
        advanced=True,
        do_owl_imports=False,
    )
    out: list[ShaclResult] = []
    for top in results_graph.objects(None, SH.result):
        for result in _leaves(results_graph, top):
            messages: dict[str, str] = {}
            for m in results_graph.objects(result, SH.resultMessage):
                messages.setdefault(getattr(m, "language", None) or "", str(m))
            component = results_graph.value(result, SH.sourceConstraintComponent)
            out.append(
                ShaclResult(
                    focus=results_graph.value(result, SH.focusNode),
                    path=results_graph.value(result, SH.resultPath),
                    value=results_graph.value(result, SH.value),
                    shape=results_graph.value(result, SH.sourceShape),
                    component=str(component) if component is not None else "",
                    severity=_severity(results_graph.value(result, SH.resultSeverity)),
                    messages=messages,
                )
            )
    return out


def curie(iri: str) -> str:
    """``sh:MinCountConstraintComponent`` for a SHACL IRI, the IRI itself otherwise."""
    ns = str(SH)
    return "sh:" + iri[len(ns) :] if iri.startswith(ns) else iri


def meta_validate(shapes: Graph) -> list[str]:
    """Check ``shapes`` against the SHACL-for-SHACL shapes; return the problems found."""
    import logging

    from pyshacl import validate
    from pyshacl.errors import ReportableRuntimeError

    # pyshacl 0.40 logs a failed meta check at ERROR level (to stderr) and then raises,
    # rather than reporting it: quiet the log, and turn the exception into the result.
    log = logging.getLogger("pyshacl-validate")
    level = log.level
    log.setLevel(logging.CRITICAL)
    try:
        conforms, _graph, text = validate(
            shapes, shacl_graph=None, meta_shacl=True, inference="none", do_owl_imports=False
        )
    except ReportableRuntimeError as exc:
        return [str(exc)]
    finally:
        log.setLevel(level)
    return [] if conforms else [str(text)]


def is_iri(term: Any) -> bool:
    """True for an IRI term (SHACL paths may also be blank-node property paths)."""
    return isinstance(term, URIRef)


def graph_of(blocks: Iterable[tuple[str, list[tuple[str, Any]]]]) -> Graph:
    """An rdflib graph of subject blocks (for the reference validation; small data only)."""
    from .shaclc import to_rdflib

    g = Graph()
    for s, pairs in blocks:
        su = URIRef(s)
        for p, o in pairs:
            g.add((su, URIRef(p), to_rdflib(o)))
    return g


def support_graph(data: Graph, vocabulary: Graph) -> Graph:
    """The part of the vocabulary the data reaches: the classes, concepts and areas it links
    to, and everything they link to in turn (superclasses, broader areas, schemes). SHACL
    needs these to see subclass targets and the classes of linked nodes."""
    support = Graph()
    seen: set[Any] = set()
    frontier = [o for o in set(data.objects()) | set(data.subjects()) if isinstance(o, URIRef)]
    while frontier:
        node = frontier.pop()
        if node in seen:
            continue
        seen.add(node)
        for triple in vocabulary.triples((node, None, None)):
            support.add(triple)
            if isinstance(triple[2], URIRef) and triple[2] not in seen:
                frontier.append(triple[2])
    return support
