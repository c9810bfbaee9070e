"""Running a compiled mapping over the rows of a resource.

Each row gives one block for its subject (and one per nested node), each triple tagged
with the column it came from, and each block with the (resource, row, line) it came from.
That provenance lets later stages report at the cell. Empty cells give no triple; a cell
that cannot become a valid term gives a finding at that cell instead of a triple.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from ..iri import Template, iri_problem
from ..report import Issue, Location, Severity, Stage
from ..terms import RDF_TYPE, Lit, Obj
from .compile import ColumnPlan, PropPlan, ResourcePlan
from .lexical import INVALID, lexical_problem

__all__ = ["MappedBlock", "Origin", "map_rows"]

_MAX_LISTED_CODES = 12


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a subject came from: resource, file, record number and physical line."""

    resource: str
    file: str
    row: int
    line: int


@dataclass(slots=True)
class MappedBlock:
    """The triples of one subject from one row, each with the column that produced it
    (``None`` for types and constants)."""

    subject: str
    pairs: list[tuple[str, Obj]]
    fields: list[str | None]
    origin: Origin


class _Row:
    """Cell values of one row, cast lazily per column."""

    __slots__ = ("bad", "cache", "cells", "columns")

    def __init__(self, cells: list[str], columns: dict[str, ColumnPlan]) -> None:
        self.cells = cells
        self.columns = columns
        self.cache: dict[str, Any] = {}
        self.bad: set[str] = set()

    def raw(self, name: str) -> str | None:
        col = self.columns[name]
        text = self.cells[col.index] if col.index < len(self.cells) else ""
        return None if text in col.missing else text

    def value(self, name: str) -> Any:
        """Canonical lexical form, ``None`` if missing, :data:`INVALID` if it does not cast."""
        if name in self.cache:
            return self.cache[name]
        text = self.raw(name)
        out = None if text is None else self.columns[name].cast(text)
        if out is INVALID:
            self.bad.add(name)
        self.cache[name] = out
        return out

    def values(self, names: Iterable[str]) -> dict[str, str] | None:
        """Values for a template; ``None`` when any is missing or invalid."""
        out: dict[str, str] = {}
        for n in names:
            v = self.value(n)
            if v is None or v is INVALID:
                return None
            out[n] = v
        return out


def map_rows(
    plan: ResourcePlan, rows: Iterable[tuple[int, int, list[str]]], vocabulary: Any
) -> Iterator[tuple[list[MappedBlock], list[Issue]]]:
    """Map each ``(row number, line, cells)`` of ``plan``'s resource.

    Yields, per row, the blocks produced and the findings at its cells.
    """
    res = plan.resource
    for row_no, line, cells in rows:
        if not cells or all(c == "" for c in cells):
            continue  # blank rows are reported by the table stage
        row = _Row(cells, dict(plan.columns))
        origin = Origin(res.name, res.path, row_no, line)
        issues: list[Issue] = []

        def finding(
            code: str,
            message: str,
            column: str | None,
            value: str | None,
            hint: str | None = None,
            severity: Severity = Severity.ERROR,
            _origin: Origin = origin,
            _issues: list[Issue] = issues,
        ) -> None:
            _issues.append(
                Issue(
                    Stage.MAPPING,
                    code,
                    severity,
                    message,
                    Location(
                        resource=res.name, file=res.path, row=_origin.row, line=_origin.line, field=column, value=value
                    ),
                    hint,
                )
            )

        subject = None
        for t in plan.subjects:
            vals = row.values(t.variables)
            if vals is not None:
                subject = t.expand(vals)
                break
        if subject is None:
            cols = [v for t in plan.subjects for v in t.variables]
            empty = [c for c in dict.fromkeys(cols) if row.value(c) is None or row.value(c) is INVALID]
            finding(
                "mapping-empty-subject",
                f"the row has no usable value in {', '.join(repr(c) for c in empty)}, so it gets no IRI",
                empty[0] if empty else None,
                None,
                "fill in the identifier column(s) of this row",
            )
            yield [], issues
            continue
        problem = iri_problem(subject)
        if problem:
            finding(
                "invalid-iri",
                f"the subject IRI {subject!r} is invalid: {problem}",
                plan.subjects[0].variables[0],
                row.raw(plan.subjects[0].variables[0]),
            )
            yield [], issues
            continue
        block = MappedBlock(subject, [], [], origin)
        for cls in plan.types:
            block.pairs.append((RDF_TYPE, cls))
            block.fields.append(None)
        for p, o in plan.constants:
            block.pairs.append((p, o))
            block.fields.append(None)
        for prop in plan.props:
            _emit(prop, row, block, vocabulary, finding)
        blocks = [block]
        for node in plan.nodes:
            vals = row.values(node.subject.variables)
            if vals is None:
                continue
            node_iri = node.subject.expand(vals)
            if node_iri is None or iri_problem(node_iri):
                continue
            nb = MappedBlock(node_iri, [], [], origin)
            for prop in node.props:
                _emit(prop, row, nb, vocabulary, finding)
            if not nb.pairs:
                continue  # no value for the node: no node, no dangling link
            produced = tuple(dict.fromkeys(f for f in nb.fields if f))
            for cls in node.types:
                nb.pairs.insert(0, (RDF_TYPE, cls))
                nb.fields.insert(0, None)
            for p, o in node.constants:
                nb.pairs.append((p, o))
                nb.fields.append(None)
            block.pairs.append((node.link, node_iri))
            block.fields.append(produced[0] if len(produced) == 1 else None)
            blocks.append(nb)
        for name in sorted(row.bad):
            finding(
                "type-error",
                f"{row.raw(name)!r} is not a valid {plan.columns[name].type}",
                name,
                row.raw(name),
                "correct the value to match the column's type",
            )
        yield blocks, issues


def _items(prop: PropPlan, row: _Row) -> list[str]:
    """The values of ``prop``'s column: one, or several when it has a separator."""
    assert prop.column is not None
    if prop.separator is None:
        v = row.value(prop.column)
        return [] if v is None or v is INVALID else [v]
    raw = row.raw(prop.column)
    if raw is None:
        return []
    return [s for s in (part.strip() for part in raw.split(prop.separator)) if s]


def _emit(prop: PropPlan, row: _Row, block: MappedBlock, vocabulary: Any, finding: Any) -> None:
    pairs, fields = block.pairs, block.fields
    kind = prop.kind
    if kind == "template":
        assert prop.template is not None
        vals = row.values(prop.template.variables)
        if vals is None:
            return
        text = prop.template.expand(vals, encode=False)
        if text is None:
            return
        obj: Obj = Lit(text, prop.datatype, prop.lang)
        if prop.check_lexical and (problem := lexical_problem(text, prop.datatype)):
            finding("invalid-lexical", problem, prop.columns[0], text, "correct the value(s) used by the template")
            return
        pairs.append((prop.predicate, obj))
        fields.append(prop.columns[0] if len(prop.columns) == 1 else None)
        return
    if kind == "iri" and prop.column is None:
        assert prop.template is not None
        vals = row.values(prop.template.variables)
        if vals is None:
            return
        _iri(prop, prop.template, vals, prop.template.variables[0], pairs, fields, finding, row)
        return
    column = prop.column
    assert column is not None
    for item in _items(prop, row):
        if kind == "literal":
            if prop.check_lexical and (problem := lexical_problem(item, prop.datatype)):
                finding("invalid-lexical", problem, column, item, "write the value in the form the datatype requires")
                continue
            pairs.append((prop.predicate, Lit(item, prop.datatype, prop.lang)))
            fields.append(column)
        elif kind == "code":
            assert prop.scheme is not None
            concept = vocabulary.concept(prop.scheme, item)
            if concept is None:
                known = sorted(vocabulary.schemes.get(prop.scheme, {}))
                listed = ", ".join(known[:_MAX_LISTED_CODES]) + (", ..." if len(known) > _MAX_LISTED_CODES else "")
                finding(
                    "unknown-code",
                    f"{item!r} is not a code of the list {prop.scheme}",
                    column,
                    item,
                    f"use one of: {listed}; to add a code, ask for it in the code list",
                )
                continue
            pairs.append((prop.predicate, concept))
            fields.append(column)
        elif kind == "ref":
            assert prop.template is not None
            if prop.separator is None:
                vals = {var: row.value(col) for var, col in prop.ref_vars.items()}
                if any(v is None or v is INVALID for v in vals.values()):
                    continue
            else:
                vals = {var: item for var in prop.ref_vars}
            _iri(prop, prop.template, vals, column, pairs, fields, finding, row)
        elif kind == "iri":
            assert prop.template is not None
            vals = row.values(v for v in prop.template.variables if v != column) or {}
            if len(vals) < len(prop.template.variables) - 1:
                continue
            vals[column] = item
            _iri(prop, prop.template, vals, column, pairs, fields, finding, row)


def _iri(
    prop: PropPlan,
    template: Template,
    vals: dict[str, str],
    column: str,
    pairs: list[tuple[str, Obj]],
    fields: list[str | None],
    finding: Any,
    row: _Row,
) -> None:
    iri = template.expand(vals)
    if iri is None:
        return
    problem = iri_problem(iri)
    if problem:
        finding(
            "invalid-iri",
            f"the value makes the invalid IRI {iri!r}: {problem}",
            column,
            vals.get(column, row.raw(column)),
            "write a full address starting with https://, without spaces",
        )
        return
    pairs.append((prop.predicate, iri))
    fields.append(column)
