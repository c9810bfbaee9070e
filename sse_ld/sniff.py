"""Checking that each CSV file is separated the way its package says.

Spreadsheets set to Spanish save "CSV" files separated by semicolons. frictionless guesses
the delimiter when the package does not declare one, so such a file passes its table checks
while every other reader (the mapping, and any consumer of the published package) splits it
on commas. :func:`check_delimiters` reads the header of each file with the declared (or
default) dialect; when that gives the wrong number of columns and another common delimiter
gives exactly the Table Schema's, it reports one ``csv-delimiter`` finding with the line to
add, and the table findings of that file are dropped: read the wrong way, they would only be
noise.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable

from .csvio import csv_options, has_header
from .messages import fill
from .messages.table import DELIMITER_DECLARED, DELIMITER_HINT, DELIMITER_UNDECLARED, DELIMITER_WORDS
from .package import DataPackage, Resource
from .report import Issue, Location, Severity, Stage

__all__ = ["check_delimiters"]

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
        hint = fill(DELIMITER_HINT.en, {"char": json.dumps(candidate)[1:-1], "resource": repr(res.name)})
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
