"""The compiled shapes program: which shapes target a node, pruning, evaluation."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from rdflib import Graph
from rdflib.namespace import OWL, RDF, RDFS, SH

from ..terms import Obj
from .checks import always_typed
from .compile import Compiler
from .model import NodeView, PathFacts, Result, Shape

_EMPTY: list[Obj] = []


class ShapeProgram(Compiler):
    """The shapes of a shapes graph, compiled for node-by-node evaluation.

    Args:
        shapes: the SHACL shapes graph.
        subclass_of: for each class, its direct superclasses (from the vocabulary and data).
    """

    def __init__(self, shapes: Graph, subclass_of: Mapping[str, Iterable[str]]) -> None:
        self.sg = shapes
        self._parents = {c: set(p) for c, p in subclass_of.items()}
        self._super_cache: dict[str, frozenset[str]] = {}
        self._shapes: dict[Any, Shape] = {}
        roots: set[Any] = set()
        for p in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target):
            roots.update(shapes.subjects(p, None))
        for cls in (SH.NodeShape, SH.PropertyShape):
            for s in shapes.subjects(RDF.type, cls):
                if (s, RDF.type, RDFS.Class) in shapes or (s, RDF.type, OWL.Class) in shapes:
                    roots.add(s)
        self.targeted: list[Shape] = [self._compile(s) for s in sorted(roots, key=str)]
        self.fallback: list[Any] = [s.node for s in self.targeted if not s.compilable]
        self.targeted = [s for s in self.targeted if s.compilable and not s.deactivated]
        self._by_types: dict[frozenset[str], list[Shape]] = {}
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

    def shapes_for(self, node: str, types: Iterable[str], predicates: Iterable[str]) -> list[Shape]:
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

    def fallback_graph(self) -> Graph:
        """The shapes graph for pyshacl to validate only the shapes not compiled
        (:attr:`fallback`): the whole graph, without the targets of the compiled roots."""
        out = Graph()
        for prefix, ns in self.sg.namespaces():
            out.bind(prefix, ns)
        compiled = {s.node for s in self.targeted}
        targets = {SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target}
        for s, p, o in self.sg:
            if s in compiled and (p in targets or (p == RDF.type and o in (RDFS.Class, OWL.Class))):
                continue
            out.add((s, p, o))
        return out

    def static_targets(self, types: Iterable[str], predicates: Iterable[str]) -> tuple[list[Shape], list[Shape]]:
        """For a kind of node whose types are fixed and whose predicates are among
        ``predicates``: the shapes that select every such node (by class), and the shapes that
        select it only when it has one of their ``sh:targetSubjectsOf`` predicates."""
        always = self.shapes_for("", types, ())
        preds = set(predicates)
        conditional = [s for s in self.targeted if s not in always and s.target_subjects_of & preds]
        return always, conditional

    def targets_node(self, patterns: Iterable[re.Pattern[str]]) -> bool:
        """Whether some shape names (``sh:targetNode``) a node one of ``patterns`` matches."""
        rxs = list(patterns)
        return any(rx.match(n) for s in self.targeted for n in s.target_nodes for rx in rxs)

    def prune(self, shape: Shape, facts: Callable[[str], PathFacts]) -> Shape:
        """A copy of ``shape`` without the checks the mapping makes pass on every row: a
        ``sh:maxCount`` no row can exceed, a ``sh:datatype`` every value has, a ``sh:minCount``
        the constants satisfy. ``facts`` tells, for a path, what the mapping can produce
        (for the focus node the rows describe; nested shapes on other nodes are kept)."""
        out = Shape(shape.node)
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
                    and all(always_typed(dt, lang, param) for dt, lang in f.literals)
                ):
                    continue
            out.checks.append((component, check))
        if shape.path is None:
            out.properties = [self.prune(prop, facts) for prop in shape.properties]
        return out

    def inspected_paths(self) -> frozenset[str]:
        """The paths whose value nodes some shape looks into (sh:class needs their types;
        sh:node, sh:qualifiedValueShape and the logical components their properties): only
        IRIs reached through these paths need to be known by the plan that minted them."""
        class_component = str(SH.ClassConstraintComponent)
        return frozenset(
            shape.path
            for shape in self._shapes.values()
            if shape.path is not None and (shape.nested or any(c == class_component for c, _ in shape.checks))
        )

    def nested_paths(self) -> frozenset[str]:
        """The paths of property shapes evaluated on nodes other than a targeted focus node
        (through sh:node, sh:qualifiedValueShape and the logical components): what a
        streaming validator must remember of nodes that rows link to."""
        out: set[str] = set()
        seen: set[int] = set()

        def walk(shape: Shape, nested: bool) -> None:
            if id(shape) in seen and nested:
                return
            if nested:
                seen.add(id(shape))
                if shape.path is not None:
                    out.add(shape.path)
            for prop in shape.properties:
                walk(prop, nested)
            for child in shape.nested:
                walk(child, True)

        for shape in self.targeted:
            walk(shape, False)
        return frozenset(out)

    def flatten(self, shape: Shape) -> list[Shape]:
        """The shapes to run for a focus node, as a flat list: the node shape itself (when it
        has checks on the node) and each property shape with something to check."""
        out: list[Shape] = []
        if shape.deactivated:
            return out
        if shape.checks:
            bare = Shape(shape.node)
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
        self, shapes: list[Shape], focus: str, node: dict[str, list[Obj]], view: NodeView, results: list[Result]
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

    # -- evaluation -------------------------------------------------------------------------

    def validate(self, shape: Shape, focus: Obj, view: NodeView) -> list[Result]:
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

    def conforms(self, shape: Shape, value: Obj, view: NodeView) -> tuple[bool, list[Result]]:
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
