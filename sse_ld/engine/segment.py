"""One pass over a byte range of a resource: the hot loop, and the state it leaves behind.

A segment is a whole file, or one chunk of a file read by one of several processes. What a
segment learns that later rows or other chunks need (keys, minted IRIs, findings that need
the whole file) is kept in :class:`SegmentState`, which the engine merges in file order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..chunks import Chunk
from ..csvio import read_records
from ..graphstats import SummaryPart
from ..keyruns import DigestTable, digest_hash
from ..mapping import ResourcePlan
from ..mapping.run import MappedBlock, RowMapper
from ..package import Resource
from ..report import Issue, Location, Severity, Stage
from ..shaclc import Result
from ..tablecheck import KeyIndex, RowChecker, TableInfo, lookup_key, table_issue
from ..terms import Obj
from .nodes import digest

if TYPE_CHECKING:
    from .core import Engine
    from .sink import Sink

__all__ = ["SegmentState", "run_segment"]

_ROW_BITS = 28
#: Blocks handed to the sink at once. Each hand-over costs four text-stream writes (an encode
#: and a buffer append each) and four joins: one row at a time, that was about 6 % of a
#: 100 k-row build's CPU time.
_WRITE_BATCH = 512


def pack(resource: int, row: int, line: int) -> int:
    """(resource index, row, line) in one int, to remember where a subject was minted."""
    return (resource << (2 * _ROW_BITS)) | (row << _ROW_BITS) | line


def unpack(packed: int) -> tuple[int, int, int]:
    mask = (1 << _ROW_BITS) - 1
    return packed >> (2 * _ROW_BITS), (packed >> _ROW_BITS) & mask, packed & mask


@dataclass
class SegmentState:
    """What a segment found and must hand on (picklable: workers send it to the parent)."""

    issues: list[Issue] = field(default_factory=list)
    rows: int = 0
    subjects: int = 0
    triples: int = 0
    pk: KeyIndex | None = None
    unique: dict[int, KeyIndex] = field(default_factory=dict)
    own_keys: dict[tuple[str, ...], set[Any]] = field(default_factory=dict)
    pending: list[tuple[int, int, int, Any]] = field(default_factory=list)
    lookups: dict[tuple[str, tuple[str, ...]], set[Any]] = field(default_factory=dict)
    minted: dict[int, set[bytes]] = field(default_factory=dict)
    side: dict[str, dict[str, list[Obj]]] = field(default_factory=dict)
    seen: DigestTable = field(default_factory=lambda: DigestTable(None))
    reached: set[str] = field(default_factory=set)
    row_subject_vocab: set[str] = field(default_factory=set)
    deferred: list[tuple[list[MappedBlock], int]] = field(default_factory=list)
    shacl_results: list[Result] | None = None
    nodes: int = 0
    summary: SummaryPart | None = None


def run_segment(
    engine: Engine,
    res: Resource,
    res_index: int,
    info: TableInfo,
    plan: tuple[int, ResourcePlan] | None,
    lookup_keys: list[tuple[str, ...]],
    chunk: Chunk | None,
    sink: Sink | None,
    progress: Any = None,
) -> SegmentState:
    """Read, check, map, validate and write the rows of ``res`` in ``chunk`` (all if ``None``)."""
    state = SegmentState(shacl_results=[] if engine.keep_results else None, seen=DigestTable(engine.key_store))
    checker = RowChecker(info, engine.lookups, engine.key_store)
    names = checker.names
    collect = []
    for k in lookup_keys:
        if set(k) <= set(names):
            bucket: set[Any] = set()
            state.lookups[(res.name, k)] = bucket
            collect.append(([names.index(n) for n in k], bucket))
    mapper = (
        RowMapper(plan[1], engine.vocabulary, info.positions)
        if plan is not None and engine.vocabulary is not None
        else None
    )
    plan_index = plan[0] if plan is not None else -1
    if plan_index >= 0 and plan_index in engine.registry.minted:
        state.minted[plan_index] = set()
    minted = state.minted.get(plan_index)
    issues = state.issues
    earlier = engine.seen
    table = state.seen
    seen = table.mem  # the dict part: looked up first, on every row
    spilled = table.runs
    budget = table.budget
    shacl = engine.program is not None
    records = read_records(res, engine.options.limits, info.csv_options, info.header, chunk)
    count = 0
    batch: list[MappedBlock] = []
    for row_no, line, cells in records:
        count += 1
        if progress is not None and not count & 1023:
            progress(1024)
        values, errors = checker.check(row_no, cells, line)
        if errors:
            for err in errors:
                issues.append(table_issue(err, res, line))
            if errors[0]["type"] == "blank-row":
                continue
        for positions, bucket in collect:
            key = lookup_key(values, positions)
            if key is not None:
                bucket.add(key)
        if mapper is None:
            continue
        blocks, map_issues = mapper.map(row_no, line, cells, values)
        if map_issues:
            issues.extend(map_issues)
        if not blocks:
            continue
        d = digest(blocks[0].subject)
        first = seen.get(d)
        if first is None and spilled is not None and spilled.any:
            first = spilled.find(digest_hash(d), d)
        if first is None:
            for part in earlier:
                first = part.get(d)
                if first is not None:
                    break
        if first is not None:
            issues.append(_duplicate(engine, blocks, mapper.plan, first))
            continue
        seen[d] = pack(res_index, row_no, line)
        if budget and len(seen) >= budget:
            table.spill_if_full()
        if minted is not None:
            for b in blocks:
                minted.add(digest(b.subject))
                engine.registry.add(plan_index, b.subject)
                if engine.nested_paths:
                    engine.registry.remember(b.subject, b.pairs, engine.nested_paths)
                    if b.subject in engine.registry.side:
                        state.side[b.subject] = engine.registry.side[b.subject]
        if shacl:
            engine.shacl(blocks, mapper.plan, plan_index, state)
            if engine.fallback is not None:
                engine.fallback.add(blocks, mapper.plan)
        if sink is not None:
            batch += blocks
            if len(batch) >= _WRITE_BATCH:
                sink.write(batch)
                batch = []
        state.subjects += len(blocks)
        state.triples += sum(len(b.pairs) for b in blocks)
    if batch and sink is not None:
        sink.write(batch)
    if progress is not None:
        progress(count & 1023)
    state.rows = count
    state.pk = checker.pk_index
    state.unique = checker.unique
    state.own_keys = checker.own_keys
    state.pending = checker.pending
    return state


def _duplicate(engine: Engine, blocks: list[MappedBlock], plan: ResourcePlan, first: int) -> Issue:
    """A subject minted by an earlier row is a duplicate: reported, and the row's triples left
    out so that later stages do not report the merge's consequences."""
    o = blocks[0].origin
    res_index, row, _line = unpack(first)
    first_resource = engine.package.resources[res_index].name
    columns = ",".join(dict.fromkeys(v for t in plan.subjects for v in t.variables))
    where = f"row {row}" + ("" if first_resource == o.resource else f" of {first_resource}")
    return Issue(
        Stage.MAPPING,
        "duplicate-subject",
        Severity.ERROR,
        f"this row gets the same IRI as {where}: {blocks[0].subject}",
        Location(resource=o.resource, file=o.file, row=o.row, line=o.line, field=columns),
        "give each row its own identifier",
    )
