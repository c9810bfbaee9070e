"""SHACL compiled for streaming: the shapes evaluated node by node, as pyshacl would.

pyshacl validates a whole rdflib graph; a build streams rows and never holds the graph.
This module reads the same shapes files and evaluates them on one focus node at a time,
given what that node's row knows about it (its triples), what the vocabulary knows (code
lists, areas, the class hierarchy), and which plan minted any other IRI it links to (so the
class of a linked node is known from its key). Value-level semantics reuse rdflib terms and
pyshacl's own literal comparison, so results match pyshacl's: ``tests/test_shacl_compiled.py``
checks that the set of (focus node, path, constraint component, severity) is the same as
pyshacl's on the whole graph, for every test package and a generated one.

Supported: node and property shapes with IRI paths; targets ``sh:targetClass`` (with
subclasses), implicit class targets, ``sh:targetNode`` and ``sh:targetSubjectsOf``; the core
components class, datatype, nodeKind, min/maxCount, min/max In/Exclusive, min/maxLength,
pattern (with flags), languageIn, uniqueLang, equals, disjoint, lessThan, lessThanOrEquals,
hasValue, in, closed, node, property, and, or, xone, not; severities and deactivation.
Anything else (complex paths, SPARQL constraints and targets, qualified value shapes,
``sh:targetObjectsOf``) makes the shape *not compilable*: :attr:`ShapeProgram.fallback`
names those shapes, and the pipeline validates them with pyshacl instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD

from .terms import RDF_LANGSTRING, XSD_STRING, Lit, Obj

__all__ = ["Deferred", "NodeView", "PathFacts", "Result", "ShapeProgram", "from_rdflib", "to_rdflib"]

RDF_TYPE = str(RDF.type)
_EMPTY: list[Obj] = []
_SUPPORTED_PARAMS = {
    SH["class"],
    SH.datatype,
    SH.nodeKind,
    SH.minCount,
    SH.maxCount,
    SH.minExclusive,
    SH.minInclusive,
    SH.maxExclusive,
    SH.maxInclusive,
    SH.minLength,
    SH.maxLength,
    SH.pattern,
    SH.flags,
    SH.languageIn,
    SH.uniqueLang,
    SH.equals,
    SH.disjoint,
    SH.lessThan,
    SH.lessThanOrEquals,
    SH.hasValue,
    SH["in"],
    SH.closed,
    SH.ignoredProperties,
    SH.node,
    SH.property,
    SH["and"],
    SH["or"],
    SH.xone,
    SH["not"],
}
_UNSUPPORTED_PARAMS = {
    SH.sparql,
    SH.qualifiedValueShape,
    SH.qualifiedMinCount,
    SH.qualifiedMaxCount,
    SH.qualifiedValueShapesDisjoint,
    SH.targetObjectsOf,
    SH.target,
    SH.rule,
    SH.expression,
}
_SEVERITY = {SH.Violation: "error", SH.Warning: "warning", SH.Info: "info"}


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


@lru_cache(maxsize=1 << 16)
def _rdf_literal(lexical: str, datatype: str, lang: str) -> Literal:
    if lang:
        return Literal(lexical, lang=lang)
    if datatype == XSD_STRING:
        return Literal(lexical)  # pyshacl sees plain literals (no datatype) as xsd:string
    return Literal(lexical, datatype=URIRef(datatype))


def to_rdflib(o: Obj) -> URIRef | Literal:
    """The rdflib term of an object (literals cached)."""
    if isinstance(o, str):
        return URIRef(o)
    return _rdf_literal(o.lexical, o.datatype, o.lang)


def from_rdflib(term: Any) -> Obj | None:
    """The object of an rdflib term (``None`` for blank nodes)."""
    if isinstance(term, URIRef):
        return str(term)
    if isinstance(term, Literal):
        if term.language:
            return Lit(str(term), RDF_LANGSTRING, term.language)
        return Lit(str(term), str(term.datatype) if term.datatype else XSD_STRING, "")
    return None


class _Shape:
    """A compiled shape: its constraints as (component IRI, evaluator) pairs."""

    def __init__(self, node: Any) -> None:
        self.node = node
        self.iri: str | None = str(node) if isinstance(node, URIRef) else None
        self.path: str | None = None
        self.severity = "error"
        self.messages: dict[str, str] = {}
        self.deactivated = False
        self.checks: list[tuple[str, Callable[[str, list[Obj], NodeView], list[tuple[Obj | None, list[Result]]]]]] = []
        self.properties: list[_Shape] = []
        self.compilable = True
        self.why_not: str | None = None
        self.target_classes: set[str] = set()
        self.target_nodes: set[str] = set()
        self.target_subjects_of: set[str] = set()
        #: for prunable checks, by position in ``checks``: ("minCount" | "maxCount" | "datatype", parameter)
        self.params: dict[int, tuple[str, Any]] = {}


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


class ShapeProgram:
    """The shapes of a shapes graph, compiled for node-by-node evaluation.

    Args:
        shapes: the SHACL shapes graph.
        subclass_of: for each class, its direct superclasses (from the vocabulary and data).
    """

    def __init__(self, shapes: Graph, subclass_of: Mapping[str, Iterable[str]]) -> None:
        self.sg = shapes
        self._parents = {c: set(p) for c, p in subclass_of.items()}
        self._super_cache: dict[str, frozenset[str]] = {}
        self._shapes: dict[Any, _Shape] = {}
        roots: set[Any] = set()
        for p in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target):
            roots.update(shapes.subjects(p, None))
        for cls in (SH.NodeShape, SH.PropertyShape):
            for s in shapes.subjects(RDF.type, cls):
                if (s, RDF.type, RDFS.Class) in shapes or (s, RDF.type, OWL.Class) in shapes:
                    roots.add(s)
        self.targeted: list[_Shape] = [self._compile(s) for s in sorted(roots, key=str)]
        self.fallback: list[Any] = [s.node for s in self.targeted if not s.compilable]
        self.targeted = [s for s in self.targeted if s.compilable and not s.deactivated]
        self._by_types: dict[frozenset[str], list[_Shape]] = {}
        self._memo: dict[tuple[int, str], list[Result]] = {}

    # -- classes --------------------------------------------------------------------------

    def superclasses(self, cls: str) -> frozenset[str]:
        """``cls`` and all its superclasses (``rdfs:subClassOf*``)."""
        hit = self._super_cache.get(cls)
        if hit is None:
            seen = {cls}
            todo = [cls]
            while todo:
                for parent in self._parents.get(todo.pop(), ()):
                    if parent not in seen:
                        seen.add(parent)
                        todo.append(parent)
            hit = self._super_cache[cls] = frozenset(seen)
        return hit

    def is_instance(self, types: Iterable[str], cls: str) -> bool:
        """Whether a node with these types is an instance of ``cls``."""
        return any(cls in self.superclasses(t) for t in types)

    def shapes_for(self, node: str, types: Iterable[str], predicates: Iterable[str]) -> list[_Shape]:
        """The targeted shapes whose targets select ``node``."""
        tset = frozenset(types)
        by_type = self._by_types.get(tset)
        if by_type is None:
            classes: set[str] = set()
            for t in tset:
                classes |= self.superclasses(t)
            by_type = self._by_types[tset] = [s for s in self.targeted if s.target_classes & classes]
        extra = [
            s
            for s in self.targeted
            if s not in by_type
            and (node in s.target_nodes or (s.target_subjects_of and s.target_subjects_of & set(predicates)))
        ]
        return by_type + extra if extra else by_type

    def prune(self, shape: _Shape, facts: Callable[[str], PathFacts]) -> _Shape:
        """A copy of ``shape`` without the checks the mapping makes pass on every row: a
        ``sh:maxCount`` no row can exceed, a ``sh:datatype`` every value has, a ``sh:minCount``
        the constants satisfy. ``facts`` tells, for a path, what the mapping can produce
        (for the focus node the rows describe; nested shapes on other nodes are kept)."""
        out = _Shape(shape.node)
        out.__dict__.update(shape.__dict__)
        out.checks, out.params = [], {}
        f = facts(shape.path) if shape.path is not None else None
        for i, (component, check) in enumerate(shape.checks):
            kind, param = shape.params.get(i, ("", None))
            if f is not None:
                if kind == "maxCount" and f.most is not None and f.most <= param:
                    continue
                if kind == "minCount" and f.constants >= param:
                    continue
                if (
                    kind == "datatype"
                    and not f.iris
                    and f.literals is not None
                    and all(_always_typed(dt, lang, param) for dt, lang in f.literals)
                ):
                    continue
            out.checks.append((component, check))
        if shape.path is None:
            out.properties = [self.prune(prop, facts) for prop in shape.properties]
        return out

    def flatten(self, shape: _Shape) -> list[_Shape]:
        """The shapes to run for a focus node, as a flat list: the node shape itself (when it
        has checks on the node) and each property shape with something to check."""
        out: list[_Shape] = []
        if shape.deactivated:
            return out
        if shape.checks:
            bare = _Shape(shape.node)
            bare.__dict__.update(shape.__dict__)
            bare.properties = []
            out.append(bare)
        for prop in shape.properties:
            if prop.path is None or prop.properties:
                out.extend(self.flatten(prop) if prop.path is None else [prop])
            elif prop.checks and not prop.deactivated:
                out.append(prop)
        return out

    def run_flat(
        self, shapes: list[_Shape], focus: str, node: dict[str, list[Obj]], view: NodeView, results: list[Result]
    ) -> None:
        """Validate ``focus`` against flattened shapes, its values taken from ``node``."""
        for shape in shapes:
            if shape.properties:
                results.extend(self.validate(shape, focus, view))
                continue
            path = shape.path
            if path is None:
                values: list[Obj] = [focus]
            else:
                values = node.get(path, _EMPTY)
                if len(values) > 1:
                    values = list(dict.fromkeys(values))
            for component, check in shape.checks:
                for value, details in check(focus, values, view):
                    results.append(
                        Result(focus, path, value, shape.iri, component, shape.severity, shape.messages, details)
                    )

    @property
    def has_node_or_subject_targets(self) -> bool:
        """Whether some shape targets nodes by name or by their predicates."""
        return any(s.target_nodes or s.target_subjects_of for s in self.targeted)

    # -- evaluation -------------------------------------------------------------------------

    def validate(self, shape: _Shape, focus: Obj, view: NodeView) -> list[Result]:
        """Validate ``focus`` against ``shape``; return its results (with details).

        ``focus`` may be a literal (a value checked against a ``sh:node`` shape): it has no
        values for any path.
        """
        if shape.deactivated:
            return []
        if shape.path is None:
            value_nodes: list[Obj] = [focus]
        elif isinstance(focus, str):
            value_nodes = list(dict.fromkeys(view.values(focus, shape.path)))
        else:
            value_nodes = []
        key = focus if isinstance(focus, str) else focus.lexical
        results: list[Result] = []
        for component, check in shape.checks:
            for value, details in check(key, value_nodes, view):
                results.append(
                    Result(key, shape.path, value, shape.iri, component, shape.severity, shape.messages, details)
                )
        for prop in shape.properties:
            targets = [focus] if shape.path is None else value_nodes
            for v in targets:
                results.extend(self.validate(prop, v, view))
        return results

    def conforms(self, shape: _Shape, value: Obj, view: NodeView) -> tuple[bool, list[Result]]:
        """Whether ``value`` conforms to ``shape`` (for sh:node, sh:and ...), with the results.

        Results for stable nodes (code-list concepts, areas of the vocabulary) are remembered:
        a million rows pointing at twenty concepts check each concept once."""
        if isinstance(value, str) and view.stable(value):
            key = (id(shape), value)
            hit = self._memo.get(key)
            if hit is None:
                hit = self._memo[key] = self.validate(shape, value, view)
            return not hit, hit
        res = self.validate(shape, value, view)
        return not res, res

    # -- compilation ------------------------------------------------------------------------

    def _compile(self, node: Any) -> _Shape:
        if node in self._shapes:
            return self._shapes[node]
        sg = self.sg
        shape = _Shape(node)
        self._shapes[node] = shape
        path = sg.value(node, SH.path)
        if path is not None:
            if isinstance(path, URIRef):
                shape.path = str(path)
            else:
                shape.compilable, shape.why_not = False, "a complex property path"
        sev = sg.value(node, SH.severity)
        shape.severity = _SEVERITY.get(sev, "error") if sev is not None else "error"
        for m in sg.objects(node, SH.message):
            shape.messages.setdefault(getattr(m, "language", None) or "", str(m))
        shape.deactivated = any(str(v).lower() == "true" for v in sg.objects(node, SH.deactivated))
        shape.target_classes = {str(c) for c in sg.objects(node, SH.targetClass)}
        if (node, RDF.type, RDFS.Class) in sg or (node, RDF.type, OWL.Class) in sg:
            shape.target_classes.add(str(node))
        shape.target_nodes = {str(n) for n in sg.objects(node, SH.targetNode)}
        shape.target_subjects_of = {str(p) for p in sg.objects(node, SH.targetSubjectsOf)}
        for p in sg.predicates(node, None):
            if p in _UNSUPPORTED_PARAMS:
                shape.compilable, shape.why_not = False, f"{p} is not compiled"
        for prop in sg.objects(node, SH.property):
            child = self._compile(prop)
            shape.properties.append(child)
            if not child.compilable:
                shape.compilable, shape.why_not = False, child.why_not
        for builder in (
            self._value_type,
            self._cardinality,
            self._range,
            self._string,
            self._pairs,
            self._other,
            self._logical,
        ):
            builder(shape)
        return shape

    def _objects(self, shape: _Shape, param: Any) -> list[Any]:
        return list(self.sg.objects(shape.node, param))

    def _list(self, head: Any) -> list[Any]:
        return list(Collection(self.sg, head))

    def _value_type(self, shape: _Shape) -> None:
        for cls in self._objects(shape, SH["class"]):
            shape.checks.append((str(SH.ClassConstraintComponent), self._class_check(str(cls))))
        for dt in self._objects(shape, SH.datatype):
            shape.params[len(shape.checks)] = ("datatype", str(dt))
            shape.checks.append((str(SH.DatatypeConstraintComponent), _datatype_check(dt)))
        for kind in self._objects(shape, SH.nodeKind):
            shape.checks.append((str(SH.NodeKindConstraintComponent), _node_kind_check(kind)))

    def _class_check(self, cls: str) -> Callable[[str, list[Obj], NodeView], list[tuple[Obj | None, list[Result]]]]:
        stable_hits: dict[str, bool] = {}  # class membership of stable nodes (code-list concepts, areas)

        def check(focus: str, values: list[Obj], view: NodeView) -> list[tuple[Obj | None, list[Result]]]:
            out: list[tuple[Obj | None, list[Result]]] = []
            for v in values:
                if v.__class__ is str:
                    ok = stable_hits.get(v)  # type: ignore[call-overload]
                    if ok is None:
                        types = view.types(v)  # type: ignore[arg-type]
                        if types is None:
                            raise Deferred(v)
                        ok = self.is_instance(types, cls)
                        if view.stable(v) and len(stable_hits) < 100_000:  # type: ignore[arg-type]
                            stable_hits[v] = ok  # type: ignore[index]
                    if ok:
                        continue
                out.append((v, []))
            return out

        return check

    def _cardinality(self, shape: _Shape) -> None:
        for n in self._objects(shape, SH.minCount):
            low = int(n)
            shape.params[len(shape.checks)] = ("minCount", low)
            shape.checks.append(
                (
                    str(SH.MinCountConstraintComponent),
                    lambda f, vs, view, low=low: [(None, [])] if len(vs) < low else [],
                )
            )
        for n in self._objects(shape, SH.maxCount):
            high = int(n)
            shape.params[len(shape.checks)] = ("maxCount", high)
            shape.checks.append(
                (
                    str(SH.MaxCountConstraintComponent),
                    lambda f, vs, view, high=high: [(None, [])] if len(vs) > high else [],
                )
            )

    def _range(self, shape: _Shape) -> None:
        from pyshacl.rdfutil.compare import compare_literal

        for param, component, ok in (
            (SH.minExclusive, SH.MinExclusiveConstraintComponent, lambda c: c > 0),
            (SH.minInclusive, SH.MinInclusiveConstraintComponent, lambda c: c >= 0),
            (SH.maxExclusive, SH.MaxExclusiveConstraintComponent, lambda c: c < 0),
            (SH.maxInclusive, SH.MaxInclusiveConstraintComponent, lambda c: c <= 0),
        ):
            for bound in self._objects(shape, param):

                def check(
                    focus: str, values: list[Obj], view: NodeView, bound: Any = bound, ok: Callable[[int], bool] = ok
                ) -> list[tuple[Obj | None, list[Result]]]:
                    out: list[tuple[Obj | None, list[Result]]] = []
                    bound_is_string = isinstance(bound.value, str)
                    for v in values:
                        flag = False
                        if isinstance(v, Lit):
                            lit = to_rdflib(v)
                            v_is_string = isinstance(lit.value, str)
                            if v_is_string == bound_is_string:
                                try:
                                    flag = ok(compare_literal(lit, bound))
                                except (TypeError, NotImplementedError):
                                    flag = False
                        if not flag:
                            out.append((v, []))
                    return out

                shape.checks.append((str(component), check))

    def _string(self, shape: _Shape) -> None:
        for n in self._objects(shape, SH.minLength):
            low = int(n)
            shape.checks.append(
                (str(SH.MinLengthConstraintComponent), _each(lambda v, low=low: len(_string_of(v)) >= low))
            )
        for n in self._objects(shape, SH.maxLength):
            high = int(n)
            shape.checks.append(
                (str(SH.MaxLengthConstraintComponent), _each(lambda v, high=high: len(_string_of(v)) <= high))
            )
        flags_lit = self.sg.value(shape.node, SH.flags)
        re_flags = 0
        if flags_lit is not None:
            f = str(flags_lit).lower()
            re_flags |= (re.I if "i" in f else 0) | (re.M if "m" in f else 0) | (re.S if "s" in f else 0)
            re_flags |= re.X if "x" in f else 0
        for pattern in self._objects(shape, SH.pattern):
            rx = re.compile(str(pattern), re_flags)
            shape.checks.append(
                (str(SH.PatternConstraintComponent), _each(lambda v, rx=rx: rx.search(_string_of(v)) is not None))
            )
        for head in self._objects(shape, SH.languageIn):
            ranges = [str(x).lower() for x in self._list(head)]
            shape.checks.append(
                (
                    str(SH.LanguageInConstraintComponent),
                    _each(
                        lambda v, ranges=ranges: (
                            isinstance(v, Lit)
                            and bool(v.lang)
                            and any(
                                r == "*" or v.lang.lower() == r or v.lang.lower().startswith(r + "-") for r in ranges
                            )
                        )
                    ),
                )
            )
        for flag in self._objects(shape, SH.uniqueLang):
            if str(flag).lower() == "true":

                def unique(focus: str, values: list[Obj], view: NodeView) -> list[tuple[Obj | None, list[Result]]]:
                    seen: dict[str, int] = {}
                    for v in values:
                        if isinstance(v, Lit) and v.lang:
                            seen[v.lang.lower()] = seen.get(v.lang.lower(), 0) + 1
                    return [(None, []) for lang, n in seen.items() if n > 1]

                shape.checks.append((str(SH.UniqueLangConstraintComponent), unique))

    def _pairs(self, shape: _Shape) -> None:
        for param, component, test in (
            (SH.lessThan, SH.LessThanConstraintComponent, lambda a, b: a < b),
            (SH.lessThanOrEquals, SH.LessThanOrEqualsConstraintComponent, lambda a, b: a <= b),
        ):
            for other in self._objects(shape, param):
                shape.checks.append((str(component), _compare_pair(str(other), test)))
        for other in self._objects(shape, SH.equals):
            o = str(other)

            def equals(
                focus: str, values: list[Obj], view: NodeView, o: str = o
            ) -> list[tuple[Obj | None, list[Result]]]:
                mine = set(values)
                theirs = set(view.values(focus, o))
                return [(v, []) for v in mine - theirs] + [(v, []) for v in theirs - mine]

            shape.checks.append((str(SH.EqualsConstraintComponent), equals))
        for other in self._objects(shape, SH.disjoint):
            o = str(other)

            def disjoint(
                focus: str, values: list[Obj], view: NodeView, o: str = o
            ) -> list[tuple[Obj | None, list[Result]]]:
                theirs = set(view.values(focus, o))
                return [(v, []) for v in values if v in theirs]

            shape.checks.append((str(SH.DisjointConstraintComponent), disjoint))

    def _other(self, shape: _Shape) -> None:
        for expected in self._objects(shape, SH.hasValue):
            want = from_rdflib(expected)

            def has(
                focus: str, values: list[Obj], view: NodeView, want: Obj | None = want, node: bool = shape.path is None
            ) -> list[tuple[Obj | None, list[Result]]]:
                if want in values:
                    return []
                return [(focus if node else None, [])] if node else [(None, [])]

            shape.checks.append((str(SH.HasValueConstraintComponent), has))
        for head in self._objects(shape, SH["in"]):
            allowed = {from_rdflib(x) for x in self._list(head)}
            shape.checks.append((str(SH.InConstraintComponent), _each(lambda v, allowed=allowed: v in allowed)))
        closed = self.sg.value(shape.node, SH.closed)
        if closed is not None and str(closed).lower() == "true":
            allowed_p = {
                str(p)
                for prop in self.sg.objects(shape.node, SH.property)
                for p in [self.sg.value(prop, SH.path)]
                if isinstance(p, URIRef)
            }
            for head in self.sg.objects(shape.node, SH.ignoredProperties):
                allowed_p |= {str(x) for x in self._list(head)}

            def closed_check(
                focus: str, values: list[Obj], view: NodeView, allowed_p: set[str] = allowed_p
            ) -> list[tuple[Obj | None, list[Result]]]:
                out: list[tuple[Obj | None, list[Result]]] = []
                for v in values:
                    if isinstance(v, str):
                        for p in sorted(view.predicates(v) - allowed_p):
                            for o in view.values(v, p):
                                out.append((o, []))
                return out

            shape.checks.append((str(SH.ClosedConstraintComponent), closed_check))

    def _logical(self, shape: _Shape) -> None:
        for target in self._objects(shape, SH.node):
            nested = self._compile(target)

            def node_check(
                focus: str, values: list[Obj], view: NodeView, nested: _Shape = nested
            ) -> list[tuple[Obj | None, list[Result]]]:
                out: list[tuple[Obj | None, list[Result]]] = []
                for v in values:
                    ok, res = self.conforms(nested, v, view)
                    if not ok:
                        out.append((v, res))
                return out

            shape.checks.append((str(SH.NodeConstraintComponent), node_check))
        for head in self._objects(shape, SH["not"]):
            nested = self._compile(head)
            shape.checks.append((str(SH.NotConstraintComponent), self._combine([nested], lambda oks: not oks[0])))
        for param, component, rule in (
            (SH["and"], SH.AndConstraintComponent, all),
            (SH["or"], SH.OrConstraintComponent, any),
            (SH.xone, SH.XoneConstraintComponent, lambda oks: sum(1 for x in oks if x) == 1),
        ):
            for head in self._objects(shape, param):
                members = [self._compile(m) for m in self._list(head)]
                shape.checks.append((str(component), self._combine(members, rule)))
        for target in self._referenced(shape):
            nested = self._compile(target)
            if not nested.compilable:
                shape.compilable, shape.why_not = False, nested.why_not

    def _referenced(self, shape: _Shape) -> set[Any]:
        out: set[Any] = set(self.sg.objects(shape.node, SH.node)) | set(self.sg.objects(shape.node, SH["not"]))
        for param in (SH["and"], SH["or"], SH.xone):
            for head in self.sg.objects(shape.node, param):
                out |= set(self._list(head))
        return out

    def _combine(
        self, members: list[_Shape], rule: Callable[[list[bool]], bool]
    ) -> Callable[[str, list[Obj], NodeView], list[tuple[Obj | None, list[Result]]]]:
        def check(focus: str, values: list[Obj], view: NodeView) -> list[tuple[Obj | None, list[Result]]]:
            out: list[tuple[Obj | None, list[Result]]] = []
            for v in values:
                oks = [self.conforms(m, v, view)[0] for m in members]
                if not rule(oks):
                    out.append((v, []))
            return out

        return check


def _always_typed(datatype: str, lang: str, rule: str) -> bool:
    """Whether a well-formed literal of this datatype/language always passes ``sh:datatype rule``."""
    if lang:
        return rule == str(RDF.langString)
    return datatype == rule


def _string_of(v: Obj) -> str:
    return v if isinstance(v, str) else v.lexical


def _each(test: Callable[[Obj], bool]) -> Callable[[str, list[Obj], NodeView], list[tuple[Obj | None, list[Result]]]]:
    def check(focus: str, values: list[Obj], view: NodeView) -> list[tuple[Obj | None, list[Result]]]:
        return [(v, []) for v in values if not test(v)]

    return check


def _node_kind_check(kind: Any) -> Callable[[str, list[Obj], NodeView], list[tuple[Obj | None, list[Result]]]]:
    iri_ok = kind in (SH.IRI, SH.BlankNodeOrIRI, SH.IRIOrLiteral)
    lit_ok = kind in (SH.Literal, SH.BlankNodeOrLiteral, SH.IRIOrLiteral)
    return _each(lambda v: iri_ok if isinstance(v, str) else lit_ok)


_XSD_STRING_REF = XSD.string
_RDF_LANGSTRING_REF = RDF.langString


def _datatype_check(rule: Any) -> Callable[[str, list[Obj], NodeView], list[tuple[Obj | None, list[Result]]]]:
    """pyshacl's DatatypeConstraintComponent: the datatype must match and the literal be well-typed."""
    import datetime as _dt
    from decimal import Decimal

    def actual(value: Any) -> bool:
        if rule in (XSD.string, RDF.langString):
            return isinstance(value, (str, bytes))
        if rule == XSD.integer:
            return isinstance(value, int)
        if rule == XSD.float:
            return isinstance(value, float)
        if rule == XSD.decimal:
            return isinstance(value, Decimal)
        if rule == XSD.boolean:
            return isinstance(value, bool)
        if rule == XSD.dateTime:
            return isinstance(value, _dt.datetime)
        if rule == XSD.date:
            return isinstance(value, _dt.date)
        if rule == XSD.time:
            return isinstance(value, _dt.time)
        return True

    @lru_cache(maxsize=1 << 16)
    def literal_ok(lexical: str, datatype: str, lang: str) -> bool:
        lit = _rdf_literal(lexical, datatype, lang)
        dt, language = lit.datatype, lit.language
        if dt == rule:
            return getattr(lit, "ill_typed", None) is not True and actual(lit.value)
        if rule == RDFS.Literal:
            return True
        if rule == RDFS.Datatype and dt:
            return True
        if dt is None and language is None and rule == XSD.string:
            return actual(lit.value)
        if rule == RDF.langString and language:
            return actual(lit.value)
        return False

    def check(focus: str, values: list[Obj], view: NodeView) -> list[tuple[Obj | None, list[Result]]]:
        return [(v, []) for v in values if isinstance(v, str) or not literal_ok(*v)]

    return check


_INTEGERS = {
    str(XSD[t])
    for t in (
        "integer",
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "long",
        "int",
        "short",
        "byte",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
    )
}
_INT_LEXICAL = re.compile(r"[+-]?[0-9]+\Z")


def _compare_pair(
    other: str, test: Callable[[Any, Any], bool]
) -> Callable[[str, list[Obj], NodeView], list[tuple[Obj | None, list[Result]]]]:
    """pyshacl's lessThan/lessThanOrEquals: strings compare with strings, other values by value."""

    def as_comparable(o: Obj) -> tuple[Any, bool]:
        if isinstance(o, str):
            return o, True
        if o.datatype in _INTEGERS and _INT_LEXICAL.match(o.lexical):
            return int(o.lexical), False  # the value rdflib would compare, without building a Literal
        lit = to_rdflib(o)
        if isinstance(lit.value, str):
            return lit.value, True
        return lit, False

    def check(focus: str, values: list[Obj], view: NodeView) -> list[tuple[Obj | None, list[Result]]]:
        out: list[tuple[Obj | None, list[Result]]] = []
        others = list(dict.fromkeys(view.values(focus, other)))
        for v in values:
            a, a_str = as_comparable(v)
            for w in others:
                b, b_str = as_comparable(w)
                if a_str != b_str:
                    out.append((v, []))
                    continue
                if isinstance(a, int) != isinstance(b, int):  # one fast-pathed, one not: compare as rdflib does
                    a, b = (to_rdflib(v) if isinstance(v, Lit) else a), (to_rdflib(w) if isinstance(w, Lit) else b)
                try:
                    ok = bool(test(a, b))
                except TypeError:
                    ok = False
                if not ok:
                    out.append((v, []))
        return out

    return check
