"""Validating the tables of an opened package with frictionless.

This module owns the ``frictionless`` library. :func:`validate_tables` hands frictionless a
descriptor built only from the resources :func:`~sse_ld.package.open_package` checked, reads
the CSV with the declared dialect (a plugin replaces frictionless's dialect guessing) and
turns frictionless's errors into :class:`~sse_ld.report.Issue` values.
"""

from __future__ import annotations

import contextlib
import csv
from collections.abc import Iterator, Mapping
from typing import Any

from .errors import InputError, UnsafeInputError
from .package import DataPackage, Resource
from .report import Issue, Location, Severity, Stage

__all__ = [
    "TABLE_ERROR_LIMIT",
    "descriptor_issue",
    "frictionless_descriptor",
    "issue_from_error",
    "pinned_frictionless",
    "validate_tables",
]

#: Table findings frictionless reports per resource before it stops counting (it then says
#: so, and :func:`validate_tables` turns that into a ``table-error-limit`` finding).
TABLE_ERROR_LIMIT = 50_000

_STRUCTURAL = frozenset(
    {
        "package-error",
        "resource-error",
        "schema-error",
        "field-error",
        "dialect-error",
        "checklist-error",
        "source-error",
        "scheme-error",
        "format-error",
        "encoding-error",
        "compression-error",
        "hash-count",
        "byte-count",
        "csv-delimiter",  # sse_ld's own check (sse_ld.tables): the file is not read as declared
    }
)


def frictionless_descriptor(package: DataPackage) -> dict[str, Any]:
    """The descriptor frictionless validates: only the checked resources, each with the
    absolute path of its checked file, its complete dialect and its pinned encoding."""
    return {
        "resources": [
            {
                "name": r.name,
                "path": str(r.file),
                "format": "csv",
                "encoding": r.encoding,
                "dialect": r.csv.descriptor(),
                "schema": dict(r.schema),
            }
            for r in package.resources
        ]
    }


def _csv_failure(exc: csv.Error, line: int, resource: Resource, cap: int) -> InputError:
    if "field larger than field limit" in str(exc):
        return UnsafeInputError(
            f"a cell near line {line} is longer than the limit of {cap} characters",
            file=resource.path,
            hint="check for a quote that is never closed; raise --max-cell-chars if the cell really is that long",
        )
    return InputError(f"the file is not readable as CSV near line {line}: {exc}", file=resource.path)


def _pinned_csv_plugin(package: DataPackage) -> tuple[Any, dict[str, InputError]]:
    """A frictionless plugin reading CSV with the package's own dialects.

    frictionless 5 guesses a dialect with ``csv.Sniffer`` even when one is declared; the
    sniffer takes minutes on a few hundred kilobytes of crafted text, and a guess can split
    cells differently from sse_ld's reader. This parser uses the declared dialect, caps
    cells at ``max_cell_chars``, and notes why a file could not be read (an oversized cell)
    so that :func:`validate_tables` can say so instead of reporting the consequences.
    """
    from frictionless import Plugin
    from frictionless.formats.csv.parser import CsvParser

    resources = {r.name: r for r in package.resources}
    cap = package.limits.max_cell_chars
    failures: dict[str, InputError] = {}

    class PinnedCsvParser(CsvParser):
        def read_cell_stream_create(self) -> Iterator[list[str]]:
            res = resources[self.resource.name]
            # frictionless 5.21 copies the whole row into each extra-cell error it makes, so a
            # row with n extra cells costs n^2 (100 000 extra cells: hours). One extra cell is
            # enough for it to report the row; sse_ld's own reader still sees every cell.
            width = len(res.field_names) + 1
            csv.field_size_limit(cap)
            reader = csv.reader(self.loader.text_stream, **res.csv.reader_options())
            line = 1
            try:
                for cells in reader:
                    line = reader.line_num + 1
                    yield cells if len(cells) <= width else cells[:width]
            except csv.Error as exc:
                failures[res.name] = _csv_failure(exc, line, res, cap)
                raise

    class PinnedCsvPlugin(Plugin):
        def create_parser(self, resource: Any) -> Any:
            if resource.format in ("csv", "tsv") and resource.name in resources:
                return PinnedCsvParser(resource)
            return None

    return PinnedCsvPlugin(), failures


@contextlib.contextmanager
def pinned_frictionless(package: DataPackage) -> Iterator[dict[str, InputError]]:
    """frictionless, set up to read the checked files of ``package``: CSV read with the
    declared dialect (no guessing), absolute paths allowed (trusted mode; every path is a
    file :func:`~sse_ld.package.open_package` checked). Yields the CSV failures met while
    reading, by file: the cause to raise when frictionless then fails."""
    import frictionless

    plugin, failures = _pinned_csv_plugin(package)
    frictionless.system.register("sse_ld_pinned_csv", plugin)
    try:
        with frictionless.system.use_context(trusted=True):
            yield failures
    finally:
        frictionless.system.deregister("sse_ld_pinned_csv")


def validate_tables(package: DataPackage, *, limit_errors: int = TABLE_ERROR_LIMIT) -> list[Issue]:
    """Validate every table of ``package`` with frictionless.

    Returns one :class:`~sse_ld.report.Issue` per frictionless error, its ``code`` being the
    frictionless error type and its location the resource, file, row and field. Rows are
    record numbers with the header as row 1 (frictionless's ``rowNumber``). After
    ``limit_errors`` findings in one resource frictionless stops, and a ``table-error-limit``
    warning says so.

    Raises:
        UnsafeInputError: a cell is longer than ``package.limits.max_cell_chars``.
        InputError: a file cannot be read as CSV.
    """
    import frictionless  # deferred: importing frictionless takes a noticeable fraction of a second

    try:
        with pinned_frictionless(package) as failures:
            pkg = frictionless.Package(frictionless_descriptor(package))
            report = pkg.validate(limit_rows=package.limits.max_rows, limit_errors=limit_errors)
    except frictionless.FrictionlessException as exc:
        return [descriptor_issue(exc.error.to_descriptor(), package)]
    for failure in failures.values():
        raise failure
    issues: list[Issue] = []
    for task in report.tasks:
        res = package.resource(task.name)
        for error in task.errors:
            issues.append(issue_from_error(error.to_descriptor(), res))
        if any(str(w).startswith("reached error limit") for w in task.warnings):
            issues.append(_limit_reached(res, task.name, limit_errors))
    for error in report.errors:
        issues.append(issue_from_error(error.to_descriptor(), None))
    return issues


def descriptor_issue(err: Mapping[str, Any], package: DataPackage) -> Issue:
    """A finding for a descriptor frictionless refused as a whole, placed at the resource and,
    when one can be told, the field it comes from (so that only that resource is skipped)."""
    from frictionless import Field, FrictionlessException, Schema

    issue = issue_from_error(err, None)
    for res in package.resources:
        try:
            Schema.from_descriptor(dict(res.schema))
        except FrictionlessException:
            pointer = res.pointer + "/schema"
            for i, f in enumerate(res.schema.get("fields", [])):
                try:
                    Field.from_descriptor(dict(f) if isinstance(f, dict) else f)
                except FrictionlessException:
                    pointer += f"/fields/{i}"
                    break
            loc = Location(resource=res.name, file=package.descriptor_file.name, pointer=pointer)
            return Issue(issue.stage, issue.code, issue.severity, issue.message, loc, issue.hint)
    return issue


def _limit_reached(res: Resource | None, name: str, limit: int) -> Issue:
    from .messages import fill
    from .messages.table import ERROR_LIMIT, ERROR_LIMIT_HINT

    return Issue(
        Stage.TABLE,
        "table-error-limit",
        Severity.WARNING,
        fill(ERROR_LIMIT.en, {"limit": limit}),
        Location(resource=name, file=res.path if res else None),
        ERROR_LIMIT_HINT.en,
    )


def issue_from_error(err: Mapping[str, Any], res: Resource | None) -> Issue:
    """The finding for one frictionless error (its ``to_dict()``), located at the resource,
    row and field it names."""
    from .messages import table_message

    code = str(err.get("type", "error"))
    field_name = err.get("fieldName")
    value = err.get("cell")
    if field_name is None and err.get("fieldNames"):
        field_name = ",".join(err["fieldNames"])
        value = ",".join(str(c) for c in err.get("fieldCells", []))
    if code == "primary-key" and res is not None:
        key = res.schema.get("primaryKey") or []
        key = [key] if isinstance(key, str) else list(key)
        cells = err.get("cells") or []
        names = res.field_names
        field_name = ",".join(key) or None
        value = ",".join(str(cells[names.index(k)]) for k in key if k in names and names.index(k) < len(cells)) or None
    if code in ("incorrect-label", "blank-label", "duplicate-label", "extra-label", "missing-label"):
        value = err.get("label")
        field_name = field_name or err.get("label")
    location = Location(
        resource=res.name if res else None,
        file=res.path if res else None,
        row=err.get("rowNumber") if err.get("rowNumber") is not None else (1 if "label" in code else None),
        field=field_name,
        value=None if value is None else str(value),
        pointer=res.pointer if res and code in _STRUCTURAL else None,
    )
    message, hint = table_message(code, err, location)
    stage = Stage.PACKAGE if code in _STRUCTURAL else Stage.TABLE
    return Issue(stage, code, Severity.ERROR, message, location, hint)
