"""Human messages and fix hints for findings, keyed by finding code.

Table findings are rebuilt from the frictionless error descriptor (its type, cell, note),
so the message names the value and the rule, and the hint says what to write instead.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from .report import Location

__all__ = ["table_message"]

_TYPE_HINTS = {
    "integer": "write a whole number without decimals or thousands separators, e.g. 120",
    "number": "write a number with a dot as decimal separator, e.g. 12.5",
    "boolean": "write true or false",
    "date": "write the date as YYYY-MM-DD, e.g. 2013-05-31",
    "datetime": "write the date and time as YYYY-MM-DDThh:mm:ss",
    "time": "write the time as hh:mm:ss",
    "year": "write a four-digit year, e.g. 2013",
    "yearmonth": "write the year and month as YYYY-MM",
    "duration": "write an ISO 8601 duration such as P1Y",
    "geopoint": "write 'longitude, latitude'",
}
_NOTE_TYPE = re.compile(r'type is "([a-z]+)/')
_NOTE_CONSTRAINT = re.compile(r'constraint "([A-Za-z]+)" is "(.*)"\Z', re.S)


def table_message(code: str, err: Mapping[str, Any], loc: Location) -> tuple[str, str | None]:
    """Message and hint for a frictionless error descriptor ``err`` of type ``code``."""
    value = loc.value
    note = str(err.get("note", ""))
    if code == "type-error":
        m = _NOTE_TYPE.search(note)
        typ = m.group(1) if m else "value of the declared type"
        return (
            f"{value!r} is not a valid {typ}",
            _TYPE_HINTS.get(typ, f"write a {typ} as the Table Schema declares"),
        )
    if code == "constraint-error":
        m = _NOTE_CONSTRAINT.search(note)
        name, rule = (m.group(1), m.group(2)) if m else ("", note)
        if name == "required":
            return ("a value is required but the cell is empty", "fill in the cell")
        if name == "enum":
            return (f"{value!r} is not one of the allowed values {rule}", "use one of the allowed values")
        if name == "pattern":
            return (f"{value!r} does not match the pattern {rule}", "correct the value so it has the expected form")
        if name in ("minimum", "exclusiveMinimum"):
            return (f"{value!r} is below the minimum {rule}", f"write a value of at least {rule}")
        if name in ("maximum", "exclusiveMaximum"):
            return (f"{value!r} is above the maximum {rule}", f"write a value of at most {rule}")
        if name in ("minLength", "maxLength"):
            return (f"{value!r} breaks the constraint {name} = {rule}", "shorten or complete the text")
        if name == "unique":
            return (f"{value!r} appears more than once in the column", "make each value in this column unique")
        return (f"{value!r} breaks the constraint {name} = {rule}", None)
    if code == "unique-error":
        return (f"{value!r} appears more than once in a column whose values must be unique", "make each value unique")
    if code == "primary-key":
        if 'all "None"' in note:
            return ("the key of this row is empty or invalid", "fill in a valid identifier")
        other = re.search(r"row at position (\d+)", note)
        where = f" (same as row {other.group(1)})" if other else ""
        return (f"the key of this row is already used{where}", "give each row its own identifier")
    if code == "foreign-key":
        ref = err.get("referenceName") or "the same table"
        ref_fields = ",".join(err.get("referenceFieldNames") or [])
        return (
            f"{value!r} is not found in {ref!r} (column {ref_fields})",
            f"use a value that exists in {ref!r}, or add that row there first",
        )
    if code == "blank-row":
        return ("the row is empty", "delete the empty row")
    if code == "extra-cell":
        return (
            f"the row has more cells than the header ({value!r} is extra)",
            "remove the extra cell or quote a value that contains the delimiter",
        )
    if code == "missing-cell":
        return (
            "the row has fewer cells than the header",
            "add the missing cells (empty cells still need their delimiter)",
        )
    if code in ("incorrect-label", "blank-label", "duplicate-label", "extra-label", "missing-label"):
        return (
            str(err.get("message", code)),
            "make the header row match the field names of the Table Schema, in order",
        )
    return (str(err.get("message", code)), None)
