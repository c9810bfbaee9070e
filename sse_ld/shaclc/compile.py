"""Compilation of a shapes graph into :class:`~.model.Shape` objects with their checks."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from rdflib import Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH

from ..terms import Obj
from . import checks
from .model import SEVERITY, UNSUPPORTED_PARAMS, Check, Deferred, Hits, NodeView, Result, Shape, from_rdflib


class Compiler:
    """Builds compiled shapes from ``sg``; :class:`~.program.ShapeProgram` evaluates them.

    Checks such as sh:node call back into the program (:meth:`conforms`), so that nested
    evaluations share its memo.
    """

    sg: Graph
    _shapes: dict[Any, Shape]

    def conforms(self, shape: Shape, value: Obj, view: NodeView) -> tuple[bool, list[Result]]:
        """Whether ``value`` conforms to ``shape`` (implemented by the program)."""
        raise NotImplementedError

    def is_instance(self, types: Iterable[str], cls: str) -> bool:
        """Whether a node with these types is an instance of ``cls`` (implemented by the program)."""
        raise NotImplementedError

    def _compile(self, node: Any) -> Shape:
        if node in self._shapes:
            return self._shapes[node]
        sg = self.sg
        shape = Shape(node)
        self._shapes[node] = shape
        path = sg.value(node, SH.path)
        if path is not None:
            if isinstance(path, URIRef):
                shape.path = str(path)
            else:
                shape.compilable, shape.why_not = False, "a complex property path"
        sev = sg.value(node, SH.severity)
        shape.severity = SEVERITY.get(sev, "error") if sev is not None else "error"
        for m in sg.objects(node, SH.message):
            shape.messages.setdefault(getattr(m, "language", None) or "", str(m))
        shape.deactivated = any(str(v).lower() == "true" for v in sg.objects(node, SH.deactivated))
        shape.target_classes = {str(c) for c in sg.objects(node, SH.targetClass)}
        if (node, RDF.type, RDFS.Class) in sg or (node, RDF.type, OWL.Class) in sg:
            shape.target_classes.add(str(node))
        shape.target_nodes = {str(n) for n in sg.objects(node, SH.targetNode)}
        shape.target_subjects_of = {str(p) for p in sg.objects(node, SH.targetSubjectsOf)}
        for p in sg.predicates(node, None):
            if p in UNSUPPORTED_PARAMS:
                shape.compilable, shape.why_not = False, f"{p} is not compiled"
        for prop in sg.objects(node, SH.property):
            child = self._compile(prop)
            shape.properties.append(child)
            if not child.compilable:
                shape.compilable, shape.why_not = False, child.why_not
        for builder in (
            self._qualified,
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

    def _objects(self, shape: Shape, param: Any) -> list[Any]:
        return list(self.sg.objects(shape.node, param))

    def _list(self, head: Any) -> list[Any]:
        return list(Collection(self.sg, head))

    def _value_type(self, shape: Shape) -> None:
        for cls in self._objects(shape, SH["class"]):
            shape.checks.append((str(SH.ClassConstraintComponent), self._class_check(str(cls))))
        for dt in self._objects(shape, SH.datatype):
            shape.params[len(shape.checks)] = ("datatype", str(dt))
            shape.checks.append((str(SH.DatatypeConstraintComponent), checks.datatype_check(dt)))
        for kind in self._objects(shape, SH.nodeKind):
            shape.checks.append((str(SH.NodeKindConstraintComponent), checks.node_kind_check(kind)))

    def _class_check(self, cls: str) -> Check:
        stable_hits: dict[str, bool] = {}  # class membership of stable nodes (code-list concepts, areas)

        def check(focus: str, values: list[Obj], view: NodeView) -> Hits:
            out: Hits = []
            for v in values:
                if isinstance(v, str):
                    ok = stable_hits.get(v)
                    if ok is None:
                        types = view.types(v)
                        if types is None:
                            raise Deferred(v)
                        ok = self.is_instance(types, cls)
                        if view.stable(v) and len(stable_hits) < 100_000:
                            stable_hits[v] = ok
                    if ok:
                        continue
                out.append((v, []))
            return out

        return check

    def _cardinality(self, shape: Shape) -> None:
        for n in self._objects(shape, SH.minCount):
            shape.params[len(shape.checks)] = ("minCount", int(n))
            shape.checks.append((str(SH.MinCountConstraintComponent), checks.min_count(int(n))))
        for n in self._objects(shape, SH.maxCount):
            shape.params[len(shape.checks)] = ("maxCount", int(n))
            shape.checks.append((str(SH.MaxCountConstraintComponent), checks.max_count(int(n))))

    def _range(self, shape: Shape) -> None:
        tests: list[tuple[Any, Any, Callable[[int], bool]]] = [
            (SH.minExclusive, SH.MinExclusiveConstraintComponent, lambda c: c > 0),
            (SH.minInclusive, SH.MinInclusiveConstraintComponent, lambda c: c >= 0),
            (SH.maxExclusive, SH.MaxExclusiveConstraintComponent, lambda c: c < 0),
            (SH.maxInclusive, SH.MaxInclusiveConstraintComponent, lambda c: c <= 0),
        ]
        for param, component, ok in tests:
            for bound in self._objects(shape, param):
                shape.checks.append((str(component), checks.in_range(bound, ok)))

    def _string(self, shape: Shape) -> None:
        for n in self._objects(shape, SH.minLength):
            shape.checks.append((str(SH.MinLengthConstraintComponent), checks.min_length(int(n))))
        for n in self._objects(shape, SH.maxLength):
            shape.checks.append((str(SH.MaxLengthConstraintComponent), checks.max_length(int(n))))
        flags_lit = self.sg.value(shape.node, SH.flags)
        re_flags = 0
        if flags_lit is not None:
            f = str(flags_lit).lower()
            re_flags |= (re.I if "i" in f else 0) | (re.M if "m" in f else 0) | (re.S if "s" in f else 0)
            re_flags |= re.X if "x" in f else 0
        for pattern in self._objects(shape, SH.pattern):
            rx = re.compile(str(pattern), re_flags)
            shape.checks.append((str(SH.PatternConstraintComponent), checks.pattern(rx)))
        for head in self._objects(shape, SH.languageIn):
            ranges = [str(x).lower() for x in self._list(head)]
            shape.checks.append((str(SH.LanguageInConstraintComponent), checks.language_in(ranges)))
        for flag in self._objects(shape, SH.uniqueLang):
            if str(flag).lower() == "true":
                shape.checks.append((str(SH.UniqueLangConstraintComponent), checks.unique_lang))

    def _pairs(self, shape: Shape) -> None:
        pairs: list[tuple[Any, Any, Callable[[Any, Any], bool]]] = [
            (SH.lessThan, SH.LessThanConstraintComponent, lambda a, b: bool(a < b)),
            (SH.lessThanOrEquals, SH.LessThanOrEqualsConstraintComponent, lambda a, b: bool(a <= b)),
        ]
        for param, component, test in pairs:
            for other in self._objects(shape, param):
                shape.checks.append((str(component), checks.compare_pair(str(other), test)))
        for other in self._objects(shape, SH.equals):
            o = str(other)

            def equals(focus: str, values: list[Obj], view: NodeView, o: str = o) -> Hits:
                mine = set(values)
                theirs = set(view.values(focus, o))
                out: Hits = [(v, []) for v in mine - theirs]
                return out + [(v, []) for v in theirs - mine]

            shape.checks.append((str(SH.EqualsConstraintComponent), equals))
        for other in self._objects(shape, SH.disjoint):
            o = str(other)

            def disjoint(focus: str, values: list[Obj], view: NodeView, o: str = o) -> Hits:
                theirs = set(view.values(focus, o))
                return [(v, []) for v in values if v in theirs]

            shape.checks.append((str(SH.DisjointConstraintComponent), disjoint))

    def _other(self, shape: Shape) -> None:
        for expected in self._objects(shape, SH.hasValue):
            want = from_rdflib(expected)

            def has(
                focus: str, values: list[Obj], view: NodeView, want: Obj | None = want, node: bool = shape.path is None
            ) -> Hits:
                if want in values:
                    return []
                return [(focus if node else None, [])] if node else [(None, [])]

            shape.checks.append((str(SH.HasValueConstraintComponent), has))
        for head in self._objects(shape, SH["in"]):
            allowed = {from_rdflib(x) for x in self._list(head)}
            shape.checks.append((str(SH.InConstraintComponent), checks.member_of(allowed)))
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

            def closed_check(focus: str, values: list[Obj], view: NodeView, allowed_p: set[str] = allowed_p) -> Hits:
                out: Hits = []
                for v in values:
                    if isinstance(v, str):
                        for p in sorted(view.predicates(v) - allowed_p):
                            for o in view.values(v, p):
                                out.append((o, []))
                return out

            shape.checks.append((str(SH.ClosedConstraintComponent), closed_check))

    def _qualified(self, shape: Shape) -> None:
        """sh:qualifiedValueShape with sh:qualifiedMinCount / sh:qualifiedMaxCount: how many
        values conform to the shape (and, when disjoint, to none of its siblings)."""
        sg = self.sg
        for target in self._objects(shape, SH.qualifiedValueShape):
            qualified = self._compile(target)
            shape.nested.append(qualified)
            if not qualified.compilable:
                shape.compilable, shape.why_not = False, qualified.why_not
            low = sg.value(shape.node, SH.qualifiedMinCount)
            high = sg.value(shape.node, SH.qualifiedMaxCount)
            disjoint = any(str(v).lower() == "true" for v in sg.objects(shape.node, SH.qualifiedValueShapesDisjoint))
            siblings: list[Shape] = []
            if disjoint:
                for parent in sg.subjects(SH.property, shape.node):
                    for prop in sg.objects(parent, SH.property):
                        for other in sg.objects(prop, SH.qualifiedValueShape):
                            if other != target:
                                siblings.append(self._compile(other))
                                shape.nested.append(siblings[-1])

            def count(
                values: list[Obj], view: NodeView, qualified: Shape = qualified, siblings: list[Shape] = siblings
            ) -> int:
                n = 0
                for v in values:
                    if self.conforms(qualified, v, view)[0] and not any(self.conforms(s, v, view)[0] for s in siblings):
                        n += 1
                return n

            def applies(values: list[Obj], low: Any = low, disjoint: bool = disjoint) -> bool:
                # pyshacl skips the check when there is nothing to count and nothing is required.
                return bool(disjoint or values or (low is not None and int(low) >= 1))

            if high is not None:
                most = int(high)

                def check_max(
                    focus: str,
                    values: list[Obj],
                    view: NodeView,
                    most: int = most,
                    count: Any = count,
                    applies: Any = applies,
                ) -> Hits:
                    return [(None, [])] if applies(values) and count(values, view) > most else []

                shape.checks.append((str(SH.QualifiedMaxCountConstraintComponent), check_max))
            if low is not None:
                least = int(low)

                def check_min(
                    focus: str,
                    values: list[Obj],
                    view: NodeView,
                    least: int = least,
                    count: Any = count,
                    applies: Any = applies,
                ) -> Hits:
                    return [(None, [])] if applies(values) and count(values, view) < least else []

                shape.checks.append((str(SH.QualifiedMinCountConstraintComponent), check_min))

    def _logical(self, shape: Shape) -> None:
        for target in self._objects(shape, SH.node):
            nested = self._compile(target)
            shape.nested.append(nested)

            def node_check(focus: str, values: list[Obj], view: NodeView, nested: Shape = nested) -> Hits:
                out: Hits = []
                for v in values:
                    ok, res = self.conforms(nested, v, view)
                    if not ok:
                        out.append((v, res))
                return out

            shape.checks.append((str(SH.NodeConstraintComponent), node_check))
        for head in self._objects(shape, SH["not"]):
            nested = self._compile(head)
            shape.nested.append(nested)
            shape.checks.append((str(SH.NotConstraintComponent), self._combine([nested], lambda oks: not oks[0])))
        rules: list[tuple[Any, Any, Callable[[list[bool]], bool]]] = [
            (SH["and"], SH.AndConstraintComponent, all),
            (SH["or"], SH.OrConstraintComponent, any),
            (SH.xone, SH.XoneConstraintComponent, lambda oks: sum(1 for x in oks if x) == 1),
        ]
        for param, component, rule in rules:
            for head in self._objects(shape, param):
                members = [self._compile(m) for m in self._list(head)]
                shape.nested.extend(members)
                shape.checks.append((str(component), self._combine(members, rule)))
        for target in self._referenced(shape):
            nested = self._compile(target)
            if not nested.compilable:
                shape.compilable, shape.why_not = False, nested.why_not

    def _referenced(self, shape: Shape) -> set[Any]:
        out: set[Any] = set(self.sg.objects(shape.node, SH.node)) | set(self.sg.objects(shape.node, SH["not"]))
        for param in (SH["and"], SH["or"], SH.xone):
            for head in self.sg.objects(shape.node, param):
                out |= set(self._list(head))
        return out

    def _combine(self, members: list[Shape], rule: Callable[[list[bool]], bool]) -> Check:
        def check(focus: str, values: list[Obj], view: NodeView) -> Hits:
            out: Hits = []
            for v in values:
                oks = [self.conforms(m, v, view)[0] for m in members]
                if not rule(oks):
                    out.append((v, []))
            return out

        return check
