"""Stage 1 at speed: Table Schema checks compiled per resource, with frictionless's semantics.

frictionless validates about 12,000 rows a second; a contributed SSE map can have millions.
This module keeps frictionless as the authority on *what* a cell means and reimplements only
the loop around it:

* the dialect is the declared one, completed by :func:`~sse_ld.package.open_package`;
  frictionless opens the resource with it (never guessing one) and reports the header's
  label errors;
* each cell is read by the cell reader frictionless builds for its field
  (``Field.create_cell_reader``): missing values, type casting and the ``required``,
  ``enum``, ``pattern``, ``minimum``... constraints, with frictionless's own notes;
* the row-level rules (blank rows, extra and missing cells, ``unique``, primary and foreign
  keys) follow frictionless's ``TableResource`` row stream line by line, keyed on the same
  cast values.

``tests/test_tables.py`` checks that the findings equal those of ``frictionless.validate``
on every test package and on generated packages with seeded errors.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any, cast

from .errors import InputError
from .frictionless_tables import descriptor_issue, frictionless_descriptor, issue_from_error, pinned_frictionless
from .keyruns import Runs, RunStore, key_digest, mixed_hash
from .package import DataPackage, Resource
from .report import Issue

__all__ = ["KeyIndex", "RowChecker", "TableInfo", "check_descriptor", "inspect_table", "lookup_key", "table_issue"]


def table_issue(err: Mapping[str, Any], res: Resource | None, line: int | None = None) -> Issue:
    """A finding from a frictionless-style error descriptor (``type``, ``note``, ``rowNumber``,
    ``cell``, ``fieldName`` ...), made as for frictionless's own errors, with its line."""
    issue = issue_from_error(err, res)
    if line is not None and issue.location.line is None:
        return replace(issue, location=replace(issue.location, line=line))
    return issue


def check_descriptor(package: DataPackage) -> list[Issue]:
    """Findings about the package descriptor itself (an unknown field type, a primary key
    naming no field ...), as frictionless reports them when loading it, placed at the field
    concerned when one can be told. frictionless sees only what
    :func:`~sse_ld.package.open_package` checked (see :mod:`sse_ld.frictionless_tables`)."""
    import frictionless

    try:
        with pinned_frictionless(package):
            frictionless.Package(frictionless_descriptor(package))
    except frictionless.FrictionlessException as exc:
        return [descriptor_issue(exc.error.to_descriptor(), package)]
    return []


@dataclass
class TableInfo:
    """What frictionless found when opening a resource: how to read it, and header findings.

    Attributes:
        resource: the resource.
        csv_options: options for Python's ``csv.reader`` (the dialect frictionless detected).
        header: whether the first record is a header.
        fields: the frictionless ``Field`` objects, in column order.
        issues: header and resource-level findings (labels, hash, structure).
        readable: False when frictionless could not read the resource (a structural error).
        header_rows: the record numbers frictionless treats as the header.
        comment: records starting with this text are skipped.
    """

    @property
    def positions(self) -> dict[str, int]:
        """Where each field's value is in a row (the first column paired with it)."""
        out: dict[str, int] = {}
        for i, f in enumerate(self.fields):
            out.setdefault(f.name, i)
        return out

    resource: Resource
    csv_options: dict[str, Any]
    header: bool
    fields: list[Any]
    issues: list[Issue] = field(default_factory=list)
    readable: bool = True
    header_rows: list[int] = field(default_factory=lambda: [1])
    comment: str | None = None


def inspect_table(package: DataPackage, resource: Resource) -> TableInfo:
    """Open ``resource`` with frictionless (reading only a sample, with the declared dialect)
    to pair its columns with fields and check its header."""
    import frictionless
    from frictionless.resources import TableResource

    descriptor = next(r for r in frictionless_descriptor(package)["resources"] if r["name"] == resource.name)
    # Foreign keys are checked by the engine; without them frictionless opens the resource
    # alone, reading only a sample instead of every referenced table.
    sample = {**descriptor, "schema": {k: v for k, v in descriptor["schema"].items() if k != "foreignKeys"}}
    dialect = resource.csv
    info = TableInfo(resource, dialect.reader_options(), dialect.header, [], comment=dialect.comment_char)
    failures: dict[str, InputError] = {}
    try:
        with pinned_frictionless(package) as failures, frictionless.Resource(sample) as res:
            info.header_rows = list(res.dialect.header_rows)
            # The fields in the order the data has them, as frictionless pairs labels with
            # fields: a column without a field gets an untyped stand-in (its label is
            # reported once, not every cell), a field without a column is left out.
            header = cast(TableResource, res).header
            info.fields = list(header.get_expected_fields())
            info.issues.extend(table_issue(e.to_descriptor(), resource) for e in header.errors)
    except frictionless.FrictionlessException as exc:
        for failure in failures.values():
            raise failure from None
        info.issues.append(table_issue(exc.error.to_descriptor(), resource))
        info.readable = False
    return info


class KeyIndex:
    """Key values seen in a resource, for ``unique``, primary and foreign keys.

    Keys are what frictionless compares: the cast values, a tuple for several columns and
    the value itself for one (less memory for a million keys). Each key maps to where it was
    last seen, packed as ``row << 32 | line``; keys seen more than once also keep where they
    were first seen, so the chunks of a file read in parallel can be joined exactly.

    With a :class:`~sse_ld.keyruns.RunStore`, at most its ``budget`` keys stay in
    :attr:`last`; the others go to sorted runs on disk (:mod:`sse_ld.keyruns`), and the
    answers are the same. Keys whose equality a digest cannot follow (decimals) all stay in
    memory.
    """

    def __init__(self, store: RunStore | None = None) -> None:
        self.last: dict[Any, int] = {}
        self.first: dict[Any, int] = {}
        self._runs = Runs(store) if store is not None else None
        self._budget = store.budget if store is not None else 0

    def add(self, key: Any, row: int, line: int) -> int | None:
        """Record ``key`` at ``row``; return the row where it was last seen before, if any."""
        packed = row << 32 | line
        last = self.last
        previous = last.get(key)
        if previous is None and self._runs is not None and self._runs.any:
            previous = self._spilled(key)
        last[key] = packed
        if self._budget and len(last) >= self._budget:
            self._spill()
        if previous is None:
            return None
        self.first.setdefault(key, previous)
        return previous >> 32

    def get(self, key: Any) -> int | None:
        """Where ``key`` was last seen (packed), or ``None``."""
        hit = self.last.get(key)
        if hit is None and self._runs is not None and self._runs.any:
            hit = self._spilled(key)
        return hit

    def __contains__(self, key: Any) -> bool:
        return self.get(key) is not None

    def items(self) -> Iterator[tuple[Any, int]]:
        """Each key once, with where it was last seen."""
        yield from self.last.items()
        if self._runs is None or not self._runs.any:
            return
        done: set[Any] = set()
        for _d, packed, key in self._runs.records():  # newest run first
            if key in self.last:
                continue
            if key in self.first:  # seen more than once: perhaps in several runs
                if key in done:
                    continue
                done.add(key)
            yield key, packed

    def _spilled(self, key: Any) -> int | None:
        assert self._runs is not None
        return self._runs.find(mixed_hash(key), lambda: key_digest(key))

    def _spill(self) -> None:
        assert self._runs is not None
        entries = []
        for key, packed in self.last.items():
            d = key_digest(key)
            if d is None:
                self._budget = 0  # keys no digest can stand for: kept in memory
                return
            entries.append((d, packed, mixed_hash(key), key))
        self._runs.spill(entries, with_values=True)
        self.last.clear()


def _plain_string_reader(field: Any) -> Any:
    """For a text field without a format: the reader frictionless would build, without its
    general machinery. Missing values become ``None``; a text that passes every constraint
    (``required``, ``enum``, ``pattern``, ``minLength``, ``maxLength``, checked as
    frictionless checks them) is kept; any other cell goes to frictionless's own reader,
    which gives the exact notes."""
    if field.type != "string" or field.format not in (None, "default"):
        return None
    constraints = field.constraints
    if set(constraints) - {"required", "enum", "pattern", "minLength", "maxLength"}:
        return None
    missing = field.missing_values
    if not field.has_defined("missing_values") and field.schema:
        missing = field.schema.missing_values
    missing = frozenset(missing)
    if not constraints:

        def reader(cell: Any) -> tuple[Any, None]:
            if cell is None or cell in missing or not isinstance(cell, str):
                return None, None
            return cell, None

        return reader
    slow = field.create_cell_reader()
    enum = constraints.get("enum")
    allowed = frozenset(v for v in enum if isinstance(v, str)) if enum is not None else None
    pattern = constraints.get("pattern")
    match = re.compile(f"^{pattern}$").match if pattern is not None else None  # as frictionless
    shortest = constraints.get("minLength", 0)
    longest = constraints.get("maxLength")
    if not isinstance(shortest, int) or not isinstance(longest, (int, type(None))):
        return None

    def checked(cell: Any) -> tuple[Any, Any]:
        if (
            cell.__class__ is str
            and cell not in missing
            and (allowed is None or cell in allowed)
            and (match is None or match(cell))
            and len(cell) >= shortest
            and (longest is None or len(cell) <= longest)
        ):
            return cell, None
        result: tuple[Any, Any] = slow(cell)
        return result

    return checked


_PLAIN = {
    "integer": re.compile(r"-?[0-9]{1,15}\Z"),
    "year": re.compile(r"[0-9]{4}\Z"),
    "number": re.compile(r"-?[0-9]{1,15}(?:\.[0-9]{1,15})?\Z"),
}


def _plain_number_reader(field: Any) -> Any:
    """For an integer, year or number field with default options and at most required /
    minimum / maximum constraints: a reader that casts the common plain spellings (``42``,
    ``-3.5``, ``2019``) directly and leaves every other cell, and every value outside the
    bounds, to frictionless's own reader (which gives the exact notes)."""
    rx = _PLAIN.get(field.type)
    if (
        rx is None
        or field.format not in (None, "default")
        or set(field.constraints) - {"required", "minimum", "maximum"}
    ):
        return None
    if field.type == "number" and (
        getattr(field, "float_number", False)
        or {"group_char", "decimal_char", "bare_number"} & set(field.list_defined())
    ):
        return None
    if field.type == "integer" and not getattr(field, "bare_number", True):
        return None
    slow = field.create_cell_reader()
    value_of = field.create_value_reader()
    cast: Any = Decimal if field.type == "number" else int
    low = value_of(field.constraints["minimum"]) if "minimum" in field.constraints else None
    high = value_of(field.constraints["maximum"]) if "maximum" in field.constraints else None
    missing = field.missing_values
    if not field.has_defined("missing_values") and field.schema:
        missing = field.schema.missing_values
    missing = frozenset(missing)
    match = rx.match

    def reader(cell: Any) -> tuple[Any, Any]:
        if cell.__class__ is str and cell not in missing and match(cell):
            value = cast(cell)
            if (low is None or value >= low) and (high is None or value <= high):
                return value, None
        result: tuple[Any, Any] = slow(cell)
        return result

    return reader


def lookup_key(values: list[Any], positions: list[int]) -> Any:
    """The key of a row for foreign keys: the cast value for one column, a tuple for several;
    ``None`` when all its cells are empty (frictionless skips such rows)."""
    if len(positions) == 1:
        return values[positions[0]]
    key = tuple(values[i] for i in positions)
    return None if all(v is None for v in key) else key


def _fields_of(spec: Any) -> tuple[str, ...]:
    return (spec,) if isinstance(spec, str) else tuple(spec or ())


class RowChecker:
    """Checks the rows of one resource, as frictionless's row stream does.

    Args:
        info: what :func:`inspect_table` found.
        lookups: for each foreign key to another resource, the set of key tuples of the
            referenced resource, keyed by ``(resource name, referenced fields)``. Foreign keys
            to the resource itself are checked by :meth:`finish`, once every row is known.
        store: where the primary-key and unique-value indexes spill past their budget
            (``None``: they stay in memory).
    """

    def __init__(
        self, info: TableInfo, lookups: Mapping[tuple[str, tuple[str, ...]], Any], store: RunStore | None = None
    ) -> None:
        self.info = info
        res = info.resource
        self.res = res
        self.names = [f.name for f in info.fields]
        self.readers = [
            _plain_string_reader(f) or _plain_number_reader(f) or f.create_cell_reader() for f in info.fields
        ]
        self.n_fields = len(self.readers)
        self.unique = {i: KeyIndex(store) for i, f in enumerate(info.fields) if f.constraints.get("unique")}
        pk = _fields_of(res.schema.get("primaryKey"))
        self.pk = [self.names.index(n) for n in pk] if pk and set(pk) <= set(self.names) else []
        self.pk_index = KeyIndex(store)
        self.fks: list[tuple[list[int], tuple[str, ...], str, tuple[str, ...], Any]] = []
        #: self-referencing foreign keys: (positions, fields, referenced fields) and the rows to check
        self.self_fks: list[tuple[list[int], tuple[str, ...], tuple[str, ...]]] = []
        self.pending: list[tuple[int, int, int, Any]] = []
        #: keys of this resource's rows for each referenced field list (self-references)
        self.own_keys: dict[tuple[str, ...], set[Any]] = {}
        for fk in res.schema.get("foreignKeys", []) or []:
            local = _fields_of(fk.get("fields"))
            ref = fk.get("reference") or {}
            ref_name = ref.get("resource") or res.name
            ref_fields = _fields_of(ref.get("fields"))
            if not set(local) <= set(self.names):
                continue
            positions = [self.names.index(n) for n in local]
            if ref_name == res.name:
                if set(ref_fields) <= set(self.names):
                    self.self_fks.append((positions, local, ref_fields))
                    self.own_keys.setdefault(ref_fields, set())
                continue
            self.fks.append((positions, local, ref_name, ref_fields, lookups.get((ref_name, ref_fields))))
        self._own_positions = {k: [self.names.index(n) for n in k] for k in self.own_keys}

    def check(self, row_number: int, cells: list[str], line: int = 0) -> tuple[list[Any], list[dict[str, Any]]]:
        """Cast and check one record. Returns the cast values (``None`` for missing or
        invalid cells) and the frictionless-style error descriptors of the row."""
        errors: list[dict[str, Any]] = []
        values: list[Any] = []
        blank = 0
        n_cells = len(cells)
        for i, reader in enumerate(self.readers):
            source = cells[i] if i < n_cells else None
            target, notes = reader(source)
            type_note = notes.pop("type", None) if notes else None
            if target is None and not type_note:
                blank += 1
            if type_note:
                errors.append(
                    {
                        "type": "type-error",
                        "note": type_note,
                        "rowNumber": row_number,
                        "cell": str(source),
                        "fieldName": self.names[i],
                        "fieldNumber": i + 1,
                    }
                )
            if notes:
                for note in notes.values():
                    errors.append(
                        {
                            "type": "constraint-error",
                            "note": note,
                            "rowNumber": row_number,
                            "cell": str(source),
                            "fieldName": self.names[i],
                            "fieldNumber": i + 1,
                        }
                    )
            values.append(target)
        if self.n_fields < n_cells:
            for number, cell in enumerate(cells[self.n_fields :], start=self.n_fields + 1):
                errors.append(
                    {
                        "type": "extra-cell",
                        "note": "",
                        "rowNumber": row_number,
                        "cell": str(cell),
                        "fieldName": "",
                        "fieldNumber": number,
                    }
                )
        if self.n_fields > n_cells:
            for i in range(n_cells, self.n_fields):
                errors.append(
                    {
                        "type": "missing-cell",
                        "note": "",
                        "rowNumber": row_number,
                        "cell": "",
                        "fieldName": self.names[i],
                        "fieldNumber": i + 1,
                    }
                )
        if blank == self.n_fields:
            errors = [{"type": "blank-row", "note": "", "rowNumber": row_number}]
        for i, index in self.unique.items():
            cell = values[i]
            if cell is not None:
                match = index.add(cell, row_number, line)
                if match:
                    errors.append(
                        {
                            "type": "unique-error",
                            "note": f"the same as in the row at position {match}",
                            "rowNumber": row_number,
                            "cell": str(cells[i]) if i < n_cells else "",
                            "fieldName": self.names[i],
                            "fieldNumber": i + 1,
                        }
                    )
        if self.pk:
            pk = self.pk
            # One field (the common case) is keyed by its value; several, by their tuple.
            key: Any = values[pk[0]] if len(pk) == 1 else tuple([values[i] for i in pk])
            if key is None or (key.__class__ is tuple and all(v is None for v in key)):
                errors.append(
                    {
                        "type": "primary-key",
                        "note": 'cells composing the primary keys are all "None"',
                        "rowNumber": row_number,
                        "cells": cells,
                    }
                )
            else:
                match = self.pk_index.add(key, row_number, line)
                if match:
                    errors.append(
                        {
                            "type": "primary-key",
                            "note": f"the same as in the row at position {match}",
                            "rowNumber": row_number,
                            "cells": cells,
                        }
                    )
        for idx, local, ref_name, ref_fields, lookup in self.fks:
            key = lookup_key(values, idx)
            if key is None or lookup is None:
                continue
            if key not in lookup:
                errors.append(self.foreign_key_error(row_number, key, local, ref_name, ref_fields))
        for ref_fields, positions in self._own_positions.items():
            own = lookup_key(values, positions)
            if own is not None:
                self.own_keys[ref_fields].add(own)
        for n, (idx, _local, _ref_fields) in enumerate(self.self_fks):
            key = lookup_key(values, idx)
            if key is not None:
                self.pending.append((row_number, line, n, key))
        return values, errors

    def finish(self) -> list[tuple[dict[str, Any], int]]:
        """Check the foreign keys of the resource to itself, now that all its rows are known.
        Returns the error descriptors with their lines."""
        errors = []
        for row_number, line, n, key in self.pending:
            _idx, local, ref_fields = self.self_fks[n]
            if key not in self.own_keys[ref_fields]:
                errors.append((self.foreign_key_error(row_number, key, local, self.res.name, ref_fields), line))
        return errors

    def foreign_key_error(
        self, row_number: int, key: Any, local: tuple[str, ...], ref_name: str, ref_fields: tuple[str, ...]
    ) -> dict[str, Any]:
        """The descriptor of a foreign-key error, as frictionless words it."""
        key = key if isinstance(key, tuple) else (key,)
        note = 'for "{}": values "{}" not found in the lookup table "{}" as "{}"'.format(
            ", ".join(local), ", ".join(str(d) for d in key), ref_name, ", ".join(ref_fields)
        )
        return {
            "type": "foreign-key",
            "note": note,
            "rowNumber": row_number,
            "fieldNames": list(local),
            "fieldCells": list(key),
            "referenceName": ref_name,
            "referenceFieldNames": list(ref_fields),
        }
