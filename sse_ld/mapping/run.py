"""Running a compiled mapping over the rows of a resource, one row at a time.

A row arrives as its raw cells plus the values frictionless's cell readers cast them to
(``None`` for an empty or invalid cell; see :mod:`sse_ld.tablecheck`). It gives one block for
its subject and one per nested node, each triple tagged with the column it came from and
each block with the (resource, row, line) it came from: that provenance lets later stages
report at the cell. Empty cells give no triple; a value that cannot become a valid term
gives a finding at its cell instead of a triple. Nothing here holds more than one row.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..iri import Template, iri_problem, pct_encode
from ..report import Issue, Location, Severity, Stage
from ..terms import RDF_TYPE, Lit, Obj
from .compile import PropPlan, ResourcePlan
from .lexical import canonical, canonical_decimal, lexical_problem
from .vocabulary import Vocabulary

__all__ = ["MappedBlock", "Origin", "RowMapper"]

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
    kind: int = 0  #: 0 for the row's subject, k for the k-th node map's node


_UNRESERVED = re.compile(r"[A-Za-z0-9._~-]*\Z")
_new_lit = tuple.__new__
Emit = Callable[[list[Any], list[str], list[tuple[str, Obj]], list[Any], list[Issue], Origin], None]


#: Characters XML 1.0 (so xsd:string and rdf:langString) does not allow; U+FFFE and U+FFFF
#: are refused before any file is parsed (sse_ld.safeio).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


_TEXT = ("string", "any")


def _lexical_getter(typ: str) -> Callable[[Any], str | None]:
    if typ in _TEXT:
        search = _NOT_XML.search
        return lambda v: None if v.__class__ is str and search(v) else v
    if typ == "integer":
        return lambda v: "true" if v is True else "false" if v is False else str(v)
    if typ == "number":
        return canonical_decimal
    return lambda v: canonical(v, typ)


class _Template:
    """A template compiled for speed: literal text and column positions, percent-encoding
    values (``{x}``) or keeping reserved characters (``{+x}``) as :class:`~sse_ld.iri.Template`."""

    def __init__(self, template: Template, positions: dict[str, int], encode: bool) -> None:
        self.parts: list[str | tuple[int, bool]] = [
            p if isinstance(p, str) else (positions[p[0]], p[1]) for p in template.parts
        ]
        self.encode = encode
        # An IRI built only from percent-encoded values cannot be broken by a cell: it is
        # checked once here, with a sample value, instead of on every row.
        sample = template.expand(dict.fromkeys(template.variables, "x")) or ""
        self.safe = encode and all(isinstance(p, str) or not p[1] for p in self.parts) and iri_problem(sample) is None
        if len(self.parts) == 2 and isinstance(self.parts[0], str) and not isinstance(self.parts[1], str):
            self.simple: tuple[str, int, bool] | None = (self.parts[0], self.parts[1][0], self.parts[1][1])
        else:
            self.simple = None

    def expand(self, lx: list[Any]) -> str | None:
        if self.simple is not None:
            prefix, i, reserved = self.simple
            v: str | None = lx[i]
            if v is None or v == "":
                return None
            if self.encode and not _UNRESERVED.match(v):
                v = pct_encode(v, reserved)
            return prefix + v
        out = []
        for p in self.parts:
            if isinstance(p, str):
                out.append(p)
                continue
            w: str | None = lx[p[0]]
            if w is None or w == "":
                return None
            out.append(pct_encode(w, p[1]) if self.encode and not _UNRESERVED.match(w) else w)
        return "".join(out)


class RowMapper:
    """Maps the rows of one resource with its compiled :class:`ResourcePlan`.

    Every property map is turned once into a small function with its predicate, datatype,
    column positions and code list bound, so that a row costs a few calls per column.
    """

    def __init__(self, plan: ResourcePlan, vocabulary: Vocabulary, positions: dict[str, int] | None = None) -> None:
        """``positions`` says where each column's value is in a row when the data's columns
        are not the Table Schema's in order (frictionless pairs them); a column the data
        lacks reads as empty."""
        self.plan = plan
        self.vocabulary = vocabulary
        self.res = plan.resource
        where = {
            name: (positions.get(name, -1) if positions is not None else c.index) for name, c in plan.columns.items()
        }
        n = max(where.values(), default=-1) + 1
        self.width = n + 1  # the last slot stays empty: it stands for the columns the data lacks
        self.positions = {name: (i if i >= 0 else n) for name, i in where.items()}
        self.getters: list[tuple[int, Callable[[Any], str | None]]] = [
            (where[name], _lexical_getter(c.type)) for name, c in plan.columns.items() if where[name] >= 0
        ]
        # Text columns take the cast value as it is once the row is known to hold no character
        # XML forbids (one search over the whole row instead of one per cell).
        self.text_positions = [where[n] for n, c in plan.columns.items() if where[n] >= 0 and c.type in _TEXT]
        self.typed_getters = [(i, get) for i, get in self.getters if i not in self.text_positions]
        self.row_width = max((i for i, _get in self.getters), default=-1) + 1
        #: column name and type by position, for the values that have no RDF spelling
        self.column_at = {where[name]: (name, c.type) for name, c in plan.columns.items() if where[name] >= 0}
        self.subject_columns = tuple(dict.fromkeys(v for t in plan.subjects for v in t.variables))
        self.subjects = [_Template(t, self.positions, True) for t in plan.subjects]
        self.head: list[tuple[str, Obj]] = [(RDF_TYPE, t) for t in plan.types] + list(plan.constants)
        self.head_fields: list[str | None] = [None] * len(self.head)
        self.emits = [self._compile(p) for p in plan.props]
        self.nodes = [
            (
                _Template(node.subject, self.positions, True),
                node,
                [self._compile(p) for p in node.props],
                [(RDF_TYPE, cls) for cls in node.types],
            )
            for node in plan.nodes
        ]

    def map(self, row_no: int, line: int, cells: list[str], values: list[Any]) -> tuple[list[MappedBlock], list[Issue]]:
        """Map one row: its blocks (subject first, then nested nodes) and the findings at its cells."""
        origin = Origin(self.res.name, self.res.path, row_no, line)
        lx: list[Any] = [None] * self.width
        nv = len(values)
        issues: list[Issue] = []
        getters = self.getters
        if nv >= self.row_width and _NOT_XML.search("\t".join(cells)) is None:
            for i in self.text_positions:
                lx[i] = values[i]
            getters = self.typed_getters
        for i, get in getters:
            if i < nv:
                v = values[i]
                if v is not None:
                    x = lx[i] = get(v)
                    if x is None:
                        issues.append(self._unwritable(origin, i, cells))
        subject = None
        for t in self.subjects:
            subject = t.expand(lx)
            if subject is not None:
                break
        if subject is None:
            empty = [c for c in self.subject_columns if lx[self.positions[c]] is None]
            issues.append(
                _issue(
                    origin,
                    "mapping-empty-subject",
                    f"the row has no usable value in {', '.join(repr(c) for c in empty)}, so it gets no IRI",
                    empty[0] if empty else None,
                    None,
                    "fill in the identifier column(s) of this row",
                )
            )
            return [], issues
        if not self.subjects[0].safe and (problem := iri_problem(subject)):
            column = self.plan.subjects[0].variables[0]
            raw = cells[self.positions[column]] if self.positions[column] < len(cells) else None
            issues.append(
                _issue(origin, "invalid-iri", f"the subject IRI {subject!r} is invalid: {problem}", column, raw)
            )
            return [], issues
        pairs = list(self.head)
        fields = list(self.head_fields)
        for emit in self.emits:
            emit(lx, cells, pairs, fields, issues, origin)
        block = MappedBlock(subject, pairs, fields, origin)
        if not self.nodes:
            return [block], issues
        blocks = [block]
        for kind, (template, node, emits, types) in enumerate(self.nodes, start=1):
            node_iri = template.expand(lx)
            if node_iri is None or (not template.safe and iri_problem(node_iri)):
                continue
            npairs: list[tuple[str, Obj]] = []
            nfields: list[Any] = []
            for emit in emits:
                emit(lx, cells, npairs, nfields, issues, origin)
            if not npairs:
                continue  # no value for the node: no node, no dangling link
            produced = tuple(dict.fromkeys(f for f in nfields if f))
            nb = MappedBlock(
                node_iri,
                [*types, *npairs, *node.constants],
                [*([None] * len(types)), *nfields, *([None] * len(node.constants))],
                origin,
                kind,
            )
            pairs.append((node.link, node_iri))
            fields.append(produced[0] if len(produced) == 1 else None)
            blocks.append(nb)
        return blocks, issues

    def _unwritable(self, origin: Origin, i: int, cells: list[str]) -> Issue:
        """A value the table accepts but RDF cannot spell: text with a control character,
        a decimal of a billion digits (``1e999999999``). Left out, reported at its cell."""
        name, typ = self.column_at[i]
        raw = cells[i] if i < len(cells) else None
        bad = _NOT_XML.search(raw or "")
        if bad is not None:
            character = f"U+{ord(bad.group()):04X}"
            message = f"the text contains the control character {character}, which RDF text cannot hold"
            hint = "delete the invisible character (it is often left by copying from another program)"
            return _issue(origin, "invalid-character", message, name, raw, hint)
        hint = "correct the value to match the column's type"
        return _issue(origin, "type-error", f"{raw!r} is not a valid {typ}", name, raw, hint)

    # -- compiling property maps ------------------------------------------------------------

    def _compile(self, prop: PropPlan) -> Emit:
        """One property map as a function ``(lexicals, cells, pairs, fields, issues, origin)``."""
        pred = prop.predicate
        positions = self.positions
        column = prop.column
        kind = prop.kind
        if kind == "template":
            assert prop.template is not None
            text_t = _Template(prop.template, positions, False)
            dt, lang, check = prop.datatype, prop.lang, prop.check_lexical
            field = prop.columns[0] if len(prop.columns) == 1 else None

            def emit_template(
                lx: list[Any],
                cells: list[str],
                pairs: list[tuple[str, Obj]],
                fields: list[Any],
                issues: list[Issue],
                origin: Origin,
            ) -> None:
                text = text_t.expand(lx)
                if text is None:
                    return
                if check and (problem := lexical_problem(text, dt)):
                    issues.append(
                        _issue(
                            origin,
                            "invalid-lexical",
                            problem,
                            prop.columns[0],
                            text,
                            "correct the value(s) used by the template",
                        )
                    )
                    return
                pairs.append((pred, _new_lit(Lit, (text, dt, lang))))
                fields.append(field)

            return emit_template
        if kind == "iri" and column is None:
            assert prop.template is not None
            iri_t = _Template(prop.template, positions, True)
            first = prop.template.variables[0]

            def emit_iri_template(
                lx: list[Any],
                cells: list[str],
                pairs: list[tuple[str, Obj]],
                fields: list[Any],
                issues: list[Issue],
                origin: Origin,
            ) -> None:
                iri = iri_t.expand(lx)
                if iri is not None:
                    _add_iri(pred, iri, iri_t.safe, first, lx[positions[first]], pairs, fields, issues, origin)

            return emit_iri_template
        assert column is not None
        index = positions[column]
        sep = prop.separator

        def items(lx: list[Any], cells: list[str]) -> list[str]:
            if sep is None:
                v = lx[index]
                return [] if v is None else [v]
            if lx[index] is None:
                return []
            raw = cells[index]
            return list(dict.fromkeys(s for s in (part.strip() for part in raw.split(sep)) if s))

        if kind == "literal":
            dt, lang, check = prop.datatype, prop.lang, prop.check_lexical

            if sep is None and not check:

                def emit_literal(
                    lx: list[Any],
                    cells: list[str],
                    pairs: list[tuple[str, Obj]],
                    fields: list[Any],
                    issues: list[Issue],
                    origin: Origin,
                ) -> None:
                    v = lx[index]
                    if v is not None:
                        pairs.append((pred, _new_lit(Lit, (v, dt, lang))))
                        fields.append(column)

                return emit_literal

            def emit_checked(
                lx: list[Any],
                cells: list[str],
                pairs: list[tuple[str, Obj]],
                fields: list[Any],
                issues: list[Issue],
                origin: Origin,
            ) -> None:
                if sep is None:  # one value (then ``check`` is set): no list of items
                    v = lx[index]
                    if v is None:
                        return
                    if not lexical_problem(v, dt):
                        pairs.append((pred, _new_lit(Lit, (v, dt, lang))))
                        fields.append(column)
                        return
                    # a problem: reported by the general loop below
                for item in items(lx, cells):
                    if check and (problem := lexical_problem(item, dt)):
                        issues.append(
                            _issue(
                                origin,
                                "invalid-lexical",
                                problem,
                                column,
                                item,
                                "write the value in the form the datatype requires",
                            )
                        )
                        continue
                    pairs.append((pred, _new_lit(Lit, (item, dt, lang))))
                    fields.append(column)

            return emit_checked
        if kind == "code":
            assert prop.scheme is not None
            concepts = self.vocabulary.schemes.get(prop.scheme, {})
            scheme = prop.scheme

            def emit_code(
                lx: list[Any],
                cells: list[str],
                pairs: list[tuple[str, Obj]],
                fields: list[Any],
                issues: list[Issue],
                origin: Origin,
            ) -> None:
                if sep is None:  # one value, the common case: no list of items
                    v = lx[index]
                    if v is None:
                        return
                    concept = concepts.get(v)
                    if concept is not None:
                        pairs.append((pred, concept))
                        fields.append(column)
                        return
                    # not a code of the list: reported by the general loop below
                for item in items(lx, cells):
                    concept = concepts.get(item)
                    if concept is None:
                        known = sorted(concepts)
                        listed = ", ".join(known[:_MAX_LISTED_CODES]) + (
                            ", ..." if len(known) > _MAX_LISTED_CODES else ""
                        )
                        issues.append(
                            _issue(
                                origin,
                                "unknown-code",
                                f"{item!r} is not a code of the list {scheme}",
                                column,
                                item,
                                f"use one of: {listed}; to add a code, ask for it in the code list",
                            )
                        )
                        continue
                    pairs.append((pred, concept))
                    fields.append(column)

            return emit_code
        assert prop.template is not None
        if kind == "ref":
            ref_t = _Template(prop.template, {var: positions[col] for var, col in prop.ref_vars.items()}, True)
            single = len(prop.ref_vars) == 1

            def emit_ref(
                lx: list[Any],
                cells: list[str],
                pairs: list[tuple[str, Obj]],
                fields: list[Any],
                issues: list[Issue],
                origin: Origin,
            ) -> None:
                if sep is None:
                    iri = ref_t.expand(lx)
                    if iri is not None:
                        _add_iri(pred, iri, ref_t.safe, column, lx[index], pairs, fields, issues, origin)
                    return
                assert single
                for item in items(lx, cells):
                    row = list(lx)
                    row[index] = item
                    iri = ref_t.expand(row)
                    if iri is not None:
                        _add_iri(pred, iri, ref_t.safe, column, item, pairs, fields, issues, origin)

            return emit_ref
        iri_t = _Template(prop.template, positions, True)

        def emit_iri(
            lx: list[Any],
            cells: list[str],
            pairs: list[tuple[str, Obj]],
            fields: list[Any],
            issues: list[Issue],
            origin: Origin,
        ) -> None:
            for item in items(lx, cells):
                row = lx
                if sep is not None:
                    row = list(lx)
                    row[index] = item
                iri = iri_t.expand(row)
                if iri is not None:
                    _add_iri(pred, iri, iri_t.safe, column, item, pairs, fields, issues, origin)

        return emit_iri


def _add_iri(
    pred: str,
    iri: str,
    safe: bool,
    column: str | None,
    value: Any,
    pairs: list[tuple[str, Obj]],
    fields: list[Any],
    issues: list[Issue],
    origin: Origin,
) -> None:
    if not safe:
        problem = iri_problem(iri)
        if problem:
            issues.append(
                _issue(
                    origin,
                    "invalid-iri",
                    f"the value makes the invalid IRI {iri!r}: {problem}",
                    column,
                    value,
                    "write a full address starting with https://, without spaces",
                )
            )
            return
    pairs.append((pred, iri))
    fields.append(column)


def _issue(
    origin: Origin, code: str, message: str, column: str | None, value: str | None, hint: str | None = None
) -> Issue:
    loc = Location(
        resource=origin.resource, file=origin.file, row=origin.row, line=origin.line, field=column, value=value
    )
    return Issue(Stage.MAPPING, code, Severity.ERROR, message, loc, hint)
