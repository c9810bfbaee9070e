"""The values the compiled validator works with: results, the node view, compiled shapes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, TypeAlias

from rdflib import Literal, URIRef
from rdflib.namespace import SH

from ..terms import RDF_LANGSTRING, XSD_STRING, Lit, Obj

#: the parameters that make a shape not compilable (pyshacl validates it instead)
UNSUPPORTED_PARAMS = frozenset({SH.sparql, SH.targetObjectsOf, SH.target, SH.rule, SH.expression})
SEVERITY = {SH.Violation: "error", SH.Warning: "warning", SH.Info: "info"}


@dataclass
class Result:
    """One validation result, as pyshacl would report it.

    ``details`` holds the results that caused a ``sh:node`` failure (pyshacl's ``sh:detail``).
    """

    focus: str
    path: str | None
    value: Obj | None
    shape: str | None
    component: str
    severity: str
    messages: dict[str, str]
    details: list[Result] = field(default_factory=list)

    def key(self) -> tuple[str, str | None, str, str]:
        """(focus node, path, constraint component, severity), for comparisons with pyshacl."""
        return (self.focus, self.path, self.component, self.severity)


class NodeView:
    """What the evaluator may ask about nodes. The pipeline implements it over the current
    row, the vocabulary and the minted IRIs; tests implement it over an rdflib graph."""

    def values(self, node: str, predicate: str) -> list[Obj]:
        """The objects of ``(node, predicate, ?)``."""
        raise NotImplementedError

    def predicates(self, node: str) -> set[str]:
        """The predicates of the triples whose subject is ``node`` (for ``sh:closed``)."""
        raise NotImplementedError

    def types(self, node: str) -> set[str] | None:
        """The ``rdf:type`` of ``node``; ``None`` when it cannot be known yet (a forward link
        to a row not read yet: the check is then deferred)."""
        raise NotImplementedError

    def stable(self, node: str) -> bool:
        """Whether everything about ``node`` is fixed (a vocabulary node no row describes), so
        that its conformance to a shape can be remembered."""
        return False


class Deferred(Exception):
    """Raised by an evaluation that needs the types of a node not minted yet."""


Hits: TypeAlias = "list[tuple[Obj | None, list[Result]]]"
"""What a check returns: the failing values (``None``: the focus node) and their details."""
Check: TypeAlias = "Callable[[str, list[Obj], NodeView], Hits]"
"""A compiled constraint: (focus node, its value nodes, the node view) to failures."""


@lru_cache(maxsize=1 << 16)
def rdf_literal(lexical: str, datatype: str, lang: str) -> Literal:
    if lang:
        return Literal(lexical, lang=lang)
    if datatype == XSD_STRING:
        return Literal(lexical)  # pyshacl sees plain literals (no datatype) as xsd:string
    return Literal(lexical, datatype=URIRef(datatype))


def to_rdflib(o: Obj) -> URIRef | Literal:
    """The rdflib term of an object (literals cached)."""
    if isinstance(o, str):
        return URIRef(o)
    return rdf_literal(o.lexical, o.datatype, o.lang)


def from_rdflib(term: Any) -> Obj | None:
    """The object of an rdflib term (``None`` for blank nodes)."""
    if isinstance(term, URIRef):
        return str(term)
    if isinstance(term, Literal):
        if term.language:
            return Lit(str(term), RDF_LANGSTRING, term.language)
        return Lit(str(term), str(term.datatype) if term.datatype else XSD_STRING, "")
    return None


class Shape:
    """A compiled shape: its constraints as (component IRI, evaluator) pairs."""

    def __init__(self, node: Any) -> None:
        self.node = node
        self.iri: str | None = str(node) if isinstance(node, URIRef) else None
        self.path: str | None = None
        self.severity = "error"
        self.messages: dict[str, str] = {}
        self.deactivated = False
        self.checks: list[tuple[str, Check]] = []
        self.properties: list[Shape] = []
        self.compilable = True
        self.why_not: str | None = None
        self.target_classes: set[str] = set()
        self.target_nodes: set[str] = set()
        self.target_subjects_of: set[str] = set()
        #: for prunable checks, by position in ``checks``: ("minCount" | "maxCount" | "datatype", parameter)
        self.params: dict[int, tuple[str, Any]] = {}
        #: shapes this one evaluates on its value nodes (sh:node, sh:qualifiedValueShape, logical)
        self.nested: list[Shape] = []


@dataclass(frozen=True)
class PathFacts:
    """What the mapping guarantees about the values of one property of one kind of node.

    Attributes:
        most: the largest number of values a row can give (``None``: no bound).
        constants: how many values every row has (types and constants).
        literals: the (datatype, language) of the literals the mapping may give, when they
            are always well-formed (canonical Table Schema values); ``None`` when unknown.
        iris: whether IRIs may be given.
    """

    most: int | None
    constants: int
    literals: frozenset[tuple[str, str]] | None
    iris: bool
