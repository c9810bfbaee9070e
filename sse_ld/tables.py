"""sse_ld's own checks of CSV files, on top of frictionless's, and the clean-up of
frictionless's findings into one finding per cause.

**Delimiter.**
Spreadsheets set to Spanish save "CSV" files separated by semicolons. Every reader of sse_ld
(frictionless included: see :mod:`sse_ld.frictionless_tables`) splits a file with the declared
dialect, commas by default, as any consumer of the published package would; read so, such a
file gives a finding at every row. :func:`check_delimiters` reads the header of each file with the declared (or
default) dialect; when that gives the wrong number of columns and another common delimiter
gives exactly the Table Schema's, it reports one ``csv-delimiter`` finding with the line to
add, and the table findings of that file are dropped: read the wrong way, they would only be
noise.

**One finding per cause** (:func:`refine`): a blank row is one ``blank-row`` finding (not also
an empty key); a key cell of the wrong type is one ``type-error`` (not also an invalid key);
a row missing several cells is one ``missing-cell`` finding naming them (and no "required"
finding for a cell that is not there); a quote that is never closed is one
``csv-unclosed-quote`` finding at the cell where it opens, in place of everything reported
about the row that swallowed the rest of the file.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace

from .csvio import csv_options, has_header
from .messages import fill
from .messages.table import (
    DELIMITER_DECLARED,
    DELIMITER_HINT,
    DELIMITER_HINT_COMMA,
    DELIMITER_UNDECLARED,
    DELIMITER_WORDS,
    MISSING_CELL_HINT,
    MISSING_CELLS,
    UNCLOSED_QUOTE,
    UNCLOSED_QUOTE_HINT,
)
from .package import DataPackage, Resource
from .positions import cell_starts
from .report import Issue, Location, Severity, Stage

__all__ = ["check_delimiters", "refine"]

_CANDIDATES = (";", ",", "\t", "|")
_HEAD_BYTES = 64 * 1024


def _first_record(res: Resource, delimiter: str | None = None) -> list[str] | None:
    encoding = "utf-8-sig" if res.encoding.lower().replace("_", "-") in ("utf-8", "utf8") else res.encoding
    try:
        with open(res.file, "rb") as handle:
            head = handle.read(_HEAD_BYTES)
        text = head.decode(encoding, errors="ignore")
    except (OSError, LookupError):
        return None
    options = csv_options(res)
    if delimiter is not None:
        options["delimiter"] = delimiter
    try:
        return next(csv.reader(io.StringIO(text, newline=""), **options), None)
    except csv.Error:
        return None


def _declared(res: Resource) -> str | None:
    d = res.dialect
    value = d.get("delimiter", (d.get("csv") or {}).get("delimiter"))
    return value if isinstance(value, str) else None


def delimiter_problem(res: Resource) -> Issue | None:
    """A ``csv-delimiter`` finding when ``res`` is evidently separated by another delimiter
    than the one declared (or the default comma)."""
    names = res.field_names
    if len(names) < 2 or res.remote:
        return None
    used = csv_options(res)["delimiter"]
    cells = _first_record(res)
    if cells is None or len(cells) == len(names):
        return None
    for candidate in _CANDIDATES:
        if candidate == used:
            continue
        other = _first_record(res, candidate)
        if other is None or len(other) != len(names):
            continue
        if has_header(res) and [c.strip() for c in other] != names:
            continue
        found = DELIMITER_WORDS[candidate].en
        declared = _declared(res)
        if declared is None:
            message = fill(DELIMITER_UNDECLARED.en, {"found": found})
        else:
            word = DELIMITER_WORDS.get(declared)
            message = fill(DELIMITER_DECLARED.en, {"found": found, "declared": word.en if word else repr(declared)})
        template = DELIMITER_HINT_COMMA if candidate == "," else DELIMITER_HINT
        hint = fill(template.en, {"char": json.dumps(candidate)[1:-1], "resource": repr(res.name)})
        return Issue(
            Stage.PACKAGE,
            "csv-delimiter",
            Severity.ERROR,
            message,
            Location(resource=res.name, file=res.path, row=1, line=1, column=1),
            hint,
        )
    return None


def check_delimiters(package: DataPackage, table_issues: Iterable[Issue]) -> list[Issue]:
    """``table_issues`` with a ``csv-delimiter`` finding for each file separated otherwise
    than declared, in place of that file's other table findings."""
    problems = [p for res in package.resources if (p := delimiter_problem(res)) is not None]
    wrong = {p.location.resource for p in problems}
    return [*problems, *(i for i in table_issues if i.location.resource not in wrong)]


# --- one finding per cause ------------------------------------------------------------------


def refine(package: DataPackage, issues: Sequence[Issue]) -> list[Issue]:
    """``issues`` with the table findings of blank rows, rows missing cells and unclosed
    quotes reduced to one finding per cause (see the module documentation)."""
    blank = {(i.location.resource, i.location.row) for i in issues if i.code == "blank-row"}
    missing: dict[tuple[str | None, int | None], list[Issue]] = defaultdict(list)
    for i in issues:
        if i.code == "missing-cell":
            missing[(i.location.resource, i.location.row)].append(i)
    unclosed: dict[tuple[str | None, int | None], Issue] = {}
    for resource, row in missing:
        res = package.resource(resource) if resource else None
        found = _unclosed_quote(res, row) if res is not None and row is not None else None
        if found is not None:
            unclosed[(resource, row)] = found
    bad_cells = {
        (i.location.resource, i.location.row, i.location.field)
        for i in issues
        if i.stage is Stage.TABLE and i.code in ("type-error", "constraint-error")
    }
    out: list[Issue] = list(unclosed.values())
    for i in issues:
        key = (i.location.resource, i.location.row)
        if key in unclosed:
            continue
        if i.code == "primary-key" and any((*key, f) in bad_cells for f in (i.location.field or "").split(",")):
            continue  # an invalid key cell is reported as such, not also as an invalid key
        if key in blank and i.stage is Stage.TABLE and i.code != "blank-row":
            continue
        if key in missing:
            if i.code == "missing-cell":
                if i is missing[key][0]:
                    out.append(_merged(missing[key]))
                continue
            absent = {m.location.field for m in missing[key]}
            if i.code == "constraint-error" and i.location.field in absent:
                continue
        out.append(i)
    return out


def _merged(cells: list[Issue]) -> Issue:
    first = cells[0]
    fields = ", ".join(repr(c.location.field) for c in cells if c.location.field)
    loc = replace(first.location, field=cells[0].location.field, value=None)
    return replace(first, message=fill(MISSING_CELLS.en, {"fields": fields}), location=loc, hint=MISSING_CELL_HINT.en)


def _unclosed_quote(res: Resource, row: int) -> Issue | None:
    """A ``csv-unclosed-quote`` finding if the file of ``res`` ends inside a quoted cell
    that opens in record ``row`` (the quote swallowed the rest of the file)."""
    encoding = "utf-8-sig" if res.encoding.lower().replace("_", "-") in ("utf-8", "utf8") else res.encoding
    options = csv_options(res)
    count, start = 0, 1
    try:
        with open(res.file, encoding=encoding, newline="") as handle:
            lines = handle.readlines()
        reader = csv.reader(iter(lines), **{**options, "strict": True})
        for _cells in reader:
            count += 1
            start = reader.line_num + 1
    except csv.Error as exc:
        if "unexpected end of data" not in str(exc) or count + 1 != row:
            return None
    except (OSError, UnicodeDecodeError, LookupError):
        return None
    else:
        return None
    raw = "".join(lines[start - 1 :])
    starts = cell_starts(raw, options)
    opened = starts[-1]
    index = len(starts) - 1
    names = res.field_names
    return Issue(
        Stage.PACKAGE,
        "csv-unclosed-quote",
        Severity.ERROR,
        fill(UNCLOSED_QUOTE.en, {"lines": len(lines) - start + 1}),
        Location(
            resource=res.name,
            file=res.path,
            row=row,
            line=start,
            column=opened + 1 if "\n" not in raw[:opened] else None,
            field=names[index] if index < len(names) else None,
            value=raw[opened : opened + 40].splitlines()[0],
        ),
        UNCLOSED_QUOTE_HINT.en,
    )
