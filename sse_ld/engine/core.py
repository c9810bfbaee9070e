"""The streaming engine: one pass over the rows does every check and writes every dump.

For each resource (referenced resources first, so foreign keys can be checked), each
record is read once and goes through:

1. the Table Schema checks (:mod:`sse_ld.tablecheck`, frictionless's semantics);
2. the mapping (:mod:`sse_ld.mapping.run`), giving the row's subject blocks;
3. the SHACL shapes compiled for node-by-node evaluation (:mod:`sse_ld.shaclc`), with the
   vocabulary and the plans that mint linked IRIs answering for nodes outside the row;
4. the writers (:mod:`sse_ld.writers`): N-Triples, Turtle, JSON-LD and row provenance,
   appended as the rows come.

Large files are cut into chunks read by several processes at once (:mod:`.parallel`); the
chunks' states are merged in file order, so the findings and the bytes written are the same
whatever the number of processes. Memory is bounded by what must be remembered across rows
— key sets and findings — never the graph.

The dumps follow the *canonical streaming order*: resources in the order of
``datapackage.json`` except that a resource referenced by another's foreign key comes before
it, rows in file order, each row's subject then its nested nodes, triples in mapping order
with ``rdf:type`` first.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..chunks import Chunk, plan_chunks, splittable
from ..keyruns import DigestTable, RunStore
from ..mapping import CompiledMapping, ResourcePlan, Vocabulary
from ..mapping.run import MappedBlock, Origin
from ..options import Options
from ..package import DataPackage, Resource
from ..report import Issue, Location, Severity, Stage
from ..shaclc import Deferred, Result, ShapeProgram
from ..shaclc.model import Shape
from ..tablecheck import KeyIndex, TableInfo, inspect_table, table_issue
from ..tables import delimiter_problem
from ..terms import RDF_TYPE, Lit, Obj
from ..vocab import RDFS
from .fallback import Fallback
from .nodes import Registry, RowView, VocabView, template_regex
from .segment import SegmentState
from .sink import Sink

__all__ = ["Engine", "EngineResult", "subclass_axioms"]


@dataclass
class EngineResult:
    """What a pass found and counted."""

    issues: list[Issue] = field(default_factory=list)
    rows: int = 0
    subjects: int = 0
    triples: int = 0


#: The size of the chunk the parent reads, against each worker's. The parent has more to do
#: per byte: it hashes its dumps as it writes them, then copies and hashes the workers' parts
#: (measured at 1 M rows: 4.3 s for the second process's 2 GB of parts, 6 % of that process's
#: pass); a smaller first chunk lets it copy while the workers finish (see Sink.follow)
#: instead of after them.
PARENT_SHARE = 0.92


#: A segment that minted at least this many subjects keeps its own dict in :attr:`Engine.seen`;
#: smaller ones are joined into the first (a few lookups per row, whatever the resources).
_OWN_TABLE = 65_536


class RerunSerially(Exception):
    """Reading a file in several processes met a case only one process reads exactly (two
    chunks minting the same subject): the pass must be run again with one worker."""


@dataclass(frozen=True)
class StaticShapes:
    """The flattened, pruned shapes one kind of block meets: always, and only when the
    block has one of some predicates (``sh:targetSubjectsOf``)."""

    always: list[Shape]
    conditional: list[tuple[frozenset[str], list[Shape]]]


class Engine:
    """One streaming pass over a package: checks, mapping, SHACL and (optionally) the dumps.

    Args:
        package: the package.
        mapping: its compiled mapping (``None``: tables are checked, nothing is mapped).
        vocabulary: ontology, code lists and areas.
        program: the compiled SHACL shapes (``None``: no SHACL).
        options: limits, language, progress, and ``workers`` (processes for large files).
        sink: where the dumps go (``None`` when only validating).
        scratch: a folder for the workers' dump fragments (needed with a sink and workers).
        keep_results: keep every SHACL result (for the comparison with pyshacl in tests).
    """

    def __init__(
        self,
        package: DataPackage,
        mapping: CompiledMapping | None,
        vocabulary: Vocabulary | None,
        program: ShapeProgram | None,
        options: Options,
        sink: Sink | None = None,
        scratch: Path | None = None,
        keep_results: bool = False,
    ) -> None:
        self.package = package
        self.mapping = mapping
        self.vocabulary = vocabulary
        self.program = program
        self.options = options
        self.sink = sink
        self.scratch = scratch
        self.keep_results = keep_results
        self.plans = list(mapping.resources) if mapping else []
        self.vocab = VocabView(vocabulary) if vocabulary is not None else None
        self.registry = Registry(self.plans, self._referenced_plans())
        #: the graph kept for pyshacl, when some shapes are not compiled
        self.fallback = Fallback(program) if program is not None and program.fallback else None
        #: where each subject was minted (its digest, packed position): the small segments'
        #: dicts joined in the first, each large segment's own dict kept as it is (copying them
        #: into one held a second table of every subject while a million rows' chunks were
        #: joined)
        self.seen: list[DigestTable] = [DigestTable(None)]
        #: where key and subject tables spill past ``options.keys_in_memory`` (during :meth:`run`)
        self.key_store: RunStore | None = None
        self.lookups: dict[tuple[str, tuple[str, ...]], set[Any]] = {}
        self.reached: set[str] = set()
        self.row_subject_vocab: set[str] = set()
        self.deferred: list[tuple[list[MappedBlock], int]] = []
        self.result = EngineResult()
        self.shacl_results: list[Result] | None = [] if keep_results else None
        self.static = self._static_shapes()
        #: properties that shapes read on nodes other than their focus (kept for linked nodes)
        self.nested_paths: frozenset[str] = program.nested_paths() if program is not None else frozenset()

    # -- planning ---------------------------------------------------------------------------

    def _referenced_plans(self) -> set[int]:
        """Plans whose subjects other rows link to (by a foreign key, a constant, or an IRI
        template that could produce their IRIs, on a path whose values shapes look into):
        only their minted IRIs are remembered."""
        out: set[int] = set()
        inspected = self.program.inspected_paths() if self.program is not None else frozenset()
        regexes = [(i, template_regex(t.parts)) for i, p in enumerate(self.plans) for t in p.subjects]
        for plan in self.plans:
            for prop in (*plan.props, *(q for n in plan.nodes for q in n.props)):
                if prop.predicate not in inspected:
                    continue  # nothing looks into these values: their minting plan need not be known
                if prop.kind == "ref" and prop.template is not None:
                    out.update(
                        i for i, p in enumerate(self.plans) if prop.template.source in {t.source for t in p.subjects}
                    )
                elif prop.kind == "iri":
                    out.update(i for i, _ in regexes)  # an IRI template may produce anything
            for p_, o in (*plan.constants, *(c for n in plan.nodes for c in n.constants)):
                if isinstance(o, str) and p_ in inspected:
                    out.update(i for i, rx in regexes if rx.match(o))
        return out

    def _static_shapes(self) -> dict[int, list[StaticShapes]]:
        """For each plan, the shapes each of its blocks (subject, then nested nodes) meets,
        pruned of the checks the mapping makes pass (see :meth:`ShapeProgram.prune`).

        Plans get no entry (their rows are validated without shortcuts) when their IRIs are
        also described by the vocabulary (the Peru areas: their nodes merge vocabulary
        triples), named by a ``sh:targetNode``, or typed from a column."""
        out: dict[int, list[StaticShapes]] = {}
        program = self.program
        if program is None:
            return out
        vocab_subjects = self.vocab.subjects if self.vocab is not None else set()
        for index, plan in enumerate(self.plans):
            templates = [*plan.subjects, *(n.subject for n in plan.nodes)]
            regexes = [template_regex(t.parts) for t in templates]
            if any(rx.match(s) for s in vocab_subjects for rx in regexes):
                continue
            if program.targets_node(regexes):
                continue
            kinds = [(list(plan.types), list(plan.constants), list(plan.props), [n.link for n in plan.nodes])]
            kinds += [(list(n.types), list(n.constants), list(n.props), []) for n in plan.nodes]
            if any(p.predicate == RDF_TYPE for _t, _c, props, _l in kinds for p in props):
                continue
            per_block = []
            for types, constants, props, links in kinds:
                preds = {p.predicate for p in props} | {p for p, _o in constants} | set(links)
                facts = _facts_of(types, constants, props, links)
                always, conditional = program.static_targets(types, preds)
                per_block.append(
                    StaticShapes(
                        [flat for s in always for flat in program.flatten(program.prune(s, facts))],
                        [
                            (frozenset(s.target_subjects_of), program.flatten(program.prune(s, facts)))
                            for s in conditional
                        ],
                    )
                )
            out[index] = per_block
        return out

    def _order(self) -> list[Resource]:
        """Resources with the ones referenced by foreign keys first (stable otherwise)."""
        deps: dict[str, set[str]] = {}
        for r in self.package.resources:
            deps[r.name] = set()
            for fk in r.schema.get("foreignKeys", []) or []:
                ref = (fk.get("reference") or {}).get("resource") or r.name
                if ref != r.name:
                    deps[r.name].add(ref)
        ordered: list[Resource] = []
        remaining = list(self.package.resources)
        while remaining:
            names = {x.name for x in remaining}
            ready = [r for r in remaining if not (deps[r.name] & names)] or [remaining[0]]  # a cycle: as listed
            for r in ready:
                ordered.append(r)
                remaining.remove(r)
        return ordered

    def _needed_lookups(self) -> dict[str, list[tuple[str, ...]]]:
        out: dict[str, list[tuple[str, ...]]] = {}
        for r in self.package.resources:
            for fk in r.schema.get("foreignKeys", []) or []:
                ref = fk.get("reference") or {}
                name = ref.get("resource") or r.name
                if name == r.name:
                    continue
                fields = ref.get("fields")
                key = (fields,) if isinstance(fields, str) else tuple(fields or ())
                if key not in out.setdefault(name, []):
                    out[name].append(key)
        return out

    # -- the pass ---------------------------------------------------------------------------

    def run(self) -> EngineResult:
        """Check (and write) every resource, referenced resources first; return findings and counts."""
        folder = Path(tempfile.mkdtemp(prefix="sse-ld-keys-", dir=self.scratch))
        self.key_store = RunStore(folder, self.options.keys_in_memory)
        try:
            return self._run()
        finally:
            self.key_store = None
            # Nothing reads the key and subject tables after the pass: let them go before the
            # outputs are written (the engine may live on, in a reference cycle, until a full
            # collection), with their runs.
            self.seen = [DigestTable(None)]
            shutil.rmtree(folder, ignore_errors=True)

    def _run(self) -> EngineResult:
        from .parallel import run_resource

        plans = {p.resource.name: (i, p) for i, p in enumerate(self.plans)}
        needed = self._needed_lookups()
        order = self._order()
        index = {r.name: i for i, r in enumerate(self.package.resources)}
        for res in order:
            self.options.say(f"reading {res.path}")
            wrong_delimiter = delimiter_problem(res)
            if wrong_delimiter is not None:
                # Read with the wrong delimiter, every finding about the table would be noise.
                self.result.issues.append(wrong_delimiter)
                continue
            info = inspect_table(self.package, res)
            self.result.issues.extend(info.issues)
            if not info.readable:
                continue
            plan = plans.get(res.name)
            states = run_resource(self, res, index[res.name], info, plan, needed.get(res.name, []))
            self._merge(res, info, states)
            if plan is not None:
                self.registry.done.add(plan[0])
        self._finish()
        return self.result

    def chunks_for(self, res: Resource, info: TableInfo) -> list[Chunk] | None:
        """How to cut ``res`` for the workers (``None``: read it whole in this process)."""
        workers = self.options.workers
        if workers < 2 or not splittable(info.csv_options, res.encoding) or info.comment or self.fallback:
            return None
        chunks = plan_chunks(
            res.file,
            workers,
            info.csv_options.get("quotechar") or '"',
            min_bytes=self.options.split_bytes,
            first=PARENT_SHARE if self.sink is not None else 1.0,
        )
        return chunks if len(chunks) > 1 else None

    def _merge(self, res: Resource, info: TableInfo, states: list[SegmentState]) -> None:
        """Join the segments of a resource in file order, finding what crosses chunks: keys
        repeated in two chunks, links to the resource itself, duplicate subjects."""
        r = self.result
        for s in states:
            r.issues.extend(s.issues)
            r.rows += s.rows
            r.subjects += s.subjects
            r.triples += s.triples
            for key, bucket in s.lookups.items():
                self.lookups.setdefault(key, set()).update(bucket)
            for plan_index, minted in s.minted.items():
                self.registry.minted[plan_index].update(minted)
            self.registry.side.update(s.side)
            self.reached |= s.reached
            self.row_subject_vocab |= s.row_subject_vocab
            self.deferred.extend(s.deferred)
            if self.shacl_results is not None and s.shacl_results is not None:
                self.shacl_results.extend(s.shacl_results)
        if len(states) > 1:
            self._merge_keys(res, info, states)
        for s in states:
            if len(s.seen) < _OWN_TABLE and not (s.seen.runs is not None and s.seen.runs.any):
                self.seen[0].mem.update(s.seen.mem)
            else:
                self.seen.append(s.seen)
        own: dict[tuple[str, ...], set[Any]] = {}
        for s in states:
            for k, keys in s.own_keys.items():
                own.setdefault(k, set()).update(keys)
        self._self_references(res, info, states, own)

    def _merge_keys(self, res: Resource, info: TableInfo, states: list[SegmentState]) -> None:
        """Report the keys and subjects that repeat across chunks. Each chunk's keys are
        looked up in the earlier chunks' own indexes (the latest chunk holding a key is where
        it was last seen), rather than gathered into one more table of every key."""
        names = [f.name for f in info.fields]
        pk = res.schema.get("primaryKey") or []
        pk = [pk] if isinstance(pk, str) else list(pk)
        earlier: list[KeyIndex] = []
        for s in states:
            if s.pk is None:
                continue
            for key, packed in s.pk.items() if earlier else ():
                before = _last_seen(earlier, key)
                if before is not None:
                    cells = [""] * len(names)
                    values = key if isinstance(key, tuple) else (key,)
                    for f, v in zip(pk, values, strict=False):
                        if f in names:
                            cells[names.index(f)] = str(v)
                    first = s.pk.first.get(key, packed)
                    err = {
                        "type": "primary-key",
                        "note": f"the same as in the row at position {before >> 32}",
                        "rowNumber": first >> 32,
                        "cells": cells,
                    }
                    self.result.issues.append(table_issue(err, res, first & 0xFFFFFFFF))
            earlier.append(s.pk)
        for i in sorted({i for s in states for i in s.unique}):
            earlier = []
            for s in states:
                index = s.unique.get(i)
                if index is None:
                    continue
                for value, packed in index.items() if earlier else ():
                    before = _last_seen(earlier, value)
                    if before is not None:
                        first = index.first.get(value, packed)
                        err = {
                            "type": "unique-error",
                            "note": f"the same as in the row at position {before >> 32}",
                            "rowNumber": first >> 32,
                            "cell": str(value),
                            "fieldName": names[i],
                            "fieldNumber": i + 1,
                        }
                        self.result.issues.append(table_issue(err, res, first & 0xFFFFFFFF))
                earlier.append(index)
        for n in range(1, len(states)):
            before_n = [e.seen for e in states[:n]]
            for d in states[n].seen:
                for e in before_n:
                    if d in e:
                        # Read alone, the later row's triples would have been left out (and its
                        # finding placed at its cells); a worker could not know. Rare, and an
                        # error anyway: the caller reads the package again in one process.
                        raise RerunSerially(f"{res.path}: two chunks mint the same subject")

    def _self_references(
        self, res: Resource, info: TableInfo, states: list[SegmentState], own: dict[tuple[str, ...], set[Any]]
    ) -> None:
        from ..tablecheck import RowChecker

        checker = RowChecker(info, self.lookups)
        checker.own_keys = own
        for s in states:
            checker.pending = s.pending
            for err, line in checker.finish():
                self.result.issues.append(table_issue(err, res, line))

    # -- SHACL ------------------------------------------------------------------------------

    def shacl(
        self,
        blocks: list[MappedBlock],
        plan: ResourcePlan,
        plan_index: int,
        state: SegmentState | None,
        final: bool = False,
    ) -> None:
        """Validate the nodes of one row; findings go to ``state`` (or the result when final)."""
        assert self.program is not None
        local: dict[str, dict[str, list[Obj]]] = {}
        for b in blocks:
            node = local.get(b.subject)
            if node is None:
                node = local[b.subject] = {}
            for p, o in b.pairs:
                values = node.get(p)
                if values is None:
                    node[p] = [o]
                else:
                    values.append(o)
        view = RowView(local, self)
        vocab = self.vocab
        results: list[Result] = []
        static = self.static.get(plan_index)
        program = self.program
        try:
            for b in blocks:
                if static is not None:
                    kind, node = static[b.kind], local[b.subject]
                    program.run_flat(kind.always, b.subject, node, view, results)
                    for predicates, flat in kind.conditional:
                        if not predicates.isdisjoint(node):
                            program.run_flat(flat, b.subject, node, view, results)
                    continue
                types = view.types(b.subject) or set()
                for shape in program.shapes_for(b.subject, types, local[b.subject]):
                    results.extend(program.validate(shape, b.subject, view))
        except Deferred:
            if final:
                raise
            (state.deferred if state is not None else self.deferred).append((blocks, plan_index))
            return
        reached = state.reached if state is not None else self.reached
        if vocab is not None:
            subjects = vocab.subjects
            for b in blocks:
                if b.subject in subjects:
                    (state.row_subject_vocab if state is not None else self.row_subject_vocab).add(b.subject)
                    if b.subject not in reached and b.subject not in self.reached:
                        self._reach(b.subject, reached)
                for _p, o in b.pairs:
                    if o.__class__ is str and o in subjects and o not in reached and o not in self.reached:
                        self._reach(o, reached)
        sink = state.issues if state is not None else self.result.issues
        kept = state.shacl_results if state is not None else self.shacl_results
        if kept is not None:
            kept.extend(results)
        for r in results:
            sink.extend(_project(r, blocks, plan, self.options.lang))

    def _reach(self, start: str, reached: set[str]) -> None:
        """Remember the vocabulary nodes a row reaches (they join the graph SHACL sees)."""
        assert self.vocab is not None
        todo = [start]
        while todo:
            node = todo.pop()
            if node in reached or node in self.reached:
                continue
            reached.add(node)
            for values in self.vocab.node(node).values():
                for o in values:
                    if isinstance(o, str) and o in self.vocab.subjects and o not in reached:
                        todo.append(o)

    def _finish(self) -> None:
        for blocks, plan_index in self.deferred:
            self.shacl(blocks, self.plans[plan_index], plan_index, None, final=True)
        self.deferred = []
        if self.fallback is not None:
            for result, blocks, plan in self.fallback.run(self.vocabulary):
                if self.shacl_results is not None:
                    self.shacl_results.append(result)
                self.result.issues.extend(_project(result, blocks, plan, self.options.lang))
        if self.program is None or self.vocab is None:
            return
        # Vocabulary nodes the data reaches are validated too (as pyshacl does on the graph
        # it is given); those that rows also describe were validated with their rows.
        view = RowView({}, self)
        for node in sorted(self.reached - self.row_subject_vocab):
            types = view.types(node) or set()
            for shape in self.program.shapes_for(node, types, self.vocab.node(node)):
                for r in self.program.validate(shape, node, view):
                    if self.shacl_results is not None:
                        self.shacl_results.append(r)
                    self.result.issues.extend(_project(r, [], None, self.options.lang))


_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGER_OVERRIDES = {_XSD + "integer", _XSD + "nonNegativeInteger", _XSD + "positiveInteger"}


def _well_formed(prop: Any) -> bool:
    """Whether every literal ``prop`` gives is well-typed for its datatype: texts, datatypes
    rdflib does not check, and values the table checks already made canonical."""
    from ..shaclc.checks import lexically_checked
    from ..terms import XSD_STRING

    if prop.kind not in ("literal", "template"):
        return False
    if prop.lang or prop.datatype == XSD_STRING or not lexically_checked(prop.datatype):
        return True
    if prop.kind == "template":
        return False
    single_integer = prop.datatype in _INTEGER_OVERRIDES and prop.separator is None and prop.column is not None
    return not prop.check_lexical or single_integer


def _facts_of(types: list[str], constants: list[tuple[str, Obj]], props: list[Any], links: list[str]) -> Any:
    """What a kind of block can hold for each path (see :class:`~sse_ld.shaclc.PathFacts`)."""
    from ..shaclc import PathFacts

    def facts(path: str) -> PathFacts:
        most: int | None = 0
        literals: set[tuple[str, str]] | None = set()
        iris = False
        fixed = [o for p, o in constants if p == path] + ([*types] if path == RDF_TYPE else [])
        for prop in props:
            if prop.predicate != path:
                continue
            most = None if prop.separator is not None or most is None else most + 1
            if prop.kind in ("code", "ref", "iri"):
                iris = True
            elif literals is not None and _well_formed(prop):
                literals.add((prop.datatype, prop.lang))
            else:
                literals = None
        for link in links:
            if link == path:
                most = None if most is None else most + 1
                iris = True
        for o in fixed:
            if isinstance(o, str):
                iris = True
            elif literals is not None:
                literals.add((o.datatype, o.lang))
        if most is not None:
            most += len(fixed)
        return PathFacts(most, len(fixed), frozenset(literals) if literals is not None else None, iris)

    return facts


def _leaves(result: Result) -> list[Result]:
    if not result.details:
        return [result]
    return [leaf for d in result.details for leaf in _leaves(d)]


def _project(result: Result, blocks: list[MappedBlock], plan: ResourcePlan | None, lang: str) -> list[Issue]:
    """Findings for a SHACL result: its most specific causes, placed at the row and column
    of the nearest node the row describes."""
    by_subject = {b.subject: b for b in blocks}
    out = []
    for leaf in _leaves(result):
        anchor = leaf if leaf.focus in by_subject else result
        block = by_subject.get(anchor.focus)
        field_name = _field(block, anchor, plan) if block is not None else None
        value = leaf.value
        shown = value.lexical if isinstance(value, Lit) else value
        origin: Origin | None = block.origin if block is not None else None
        message = (
            leaf.messages.get(lang)
            or leaf.messages.get("en")
            or leaf.messages.get("")
            or next(iter(leaf.messages.values()), "the data does not meet a SHACL constraint")
        )
        loc = Location(
            resource=origin.resource if origin else None,
            file=origin.file if origin else None,
            row=origin.row if origin else None,
            line=origin.line if origin else None,
            field=field_name,
            value=shown,
            focus_node=leaf.focus,
            path=leaf.path,
            shape=leaf.shape,
        )
        component = leaf.component
        sh = "http://www.w3.org/ns/shacl#"
        code = "sh:" + component[len(sh) :] if component.startswith(sh) else component
        out.append(Issue(Stage.SHACL, code, Severity(leaf.severity), message, loc))
    return out


def _field(block: MappedBlock, result: Result, plan: ResourcePlan | None) -> str | None:
    if result.path is None:
        return None
    if result.value is not None:
        for (p, o), f in zip(block.pairs, block.fields, strict=True):
            if p == result.path and o == result.value and f:
                return f
    if plan is None:
        return None
    columns = plan.predicate_fields().get(result.path, ())
    return ",".join(columns) if columns else None


def subclass_axioms(vocabulary: Vocabulary) -> dict[str, set[str]]:
    """``rdfs:subClassOf`` of the vocabulary, as class -> direct superclasses."""
    out: dict[str, set[str]] = {}
    for s, o in vocabulary.graph.subject_objects(RDFS.subClassOf):
        out.setdefault(str(s), set()).add(str(o))
    return out


def _last_seen(indexes: list[KeyIndex], key: Any) -> int | None:
    """Where ``key`` was last seen in the latest of ``indexes`` that holds it (packed)."""
    for index in reversed(indexes):
        packed = index.get(key)
        if packed is not None:
            return packed
    return None
