"""Cast cell values to RDF literals: the canonical lexical form of each XSD datatype.

Cells are cast by frictionless's own cell readers (see :mod:`sse_ld.tablecheck`), so stage 1
(validation) and stage 2 (mapping) can never disagree on what a cell means. The lexical
forms written are the XSD canonical ones (``01`` -> ``1``, ``1E-2`` -> ``0.01``, ``1`` ->
``true`` for booleans), so rdflib, Oxigraph and other parsers read the same graph.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from ..terms import XSD

__all__ = ["DEFAULT_DATATYPE", "UNMAPPABLE_TYPES", "canonical", "lexical_problem"]

#: Datatype written for each Table Schema type when the mapping does not override it.
DEFAULT_DATATYPE: dict[str, str] = {
    "string": XSD + "string",
    "any": XSD + "string",
    "integer": XSD + "integer",
    "number": XSD + "decimal",
    "boolean": XSD + "boolean",
    "date": XSD + "date",
    "time": XSD + "time",
    "datetime": XSD + "dateTime",
    "year": XSD + "gYear",
    "yearmonth": XSD + "gYearMonth",
    "duration": XSD + "duration",
}
#: Table Schema types that have no literal form (map them through a template).
UNMAPPABLE_TYPES = frozenset({"object", "array", "geopoint", "geojson", "list"})


#: Most digits written for a decimal (Python's default limit for int <-> str conversions).
_MAX_DIGITS = 4300


def _tz(value: dt.datetime | dt.time) -> str:
    off = value.utcoffset()
    if off is None:
        return ""
    if not off:
        return "Z"
    minutes = int(off.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def canonical_decimal(value: Any) -> str | None:
    """:func:`canonical` of a ``number`` value, with a shortcut for the usual case: a
    Decimal whose ``str`` is already plain digits (no exponent, not NaN or infinite) is
    written as its ``str`` without trailing zeros, as ``format(value, "f")`` would be."""
    if value.__class__ is Decimal:
        text = str(value)
        if "E" not in text and text[-1:].isdigit() and len(text) <= _MAX_DIGITS:
            if "." in text:
                text = text.rstrip("0").rstrip(".")
            return "0" if text in ("-0", "") else text
    return canonical(value, "number")


def canonical(value: Any, typ: str) -> str | None:
    """The canonical XSD lexical form of a value cast by frictionless, or ``None`` when the
    value has none (NaN and infinities are not ``xsd:decimal`` values)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if typ == "year":
        return f"{value:04d}" if value >= 0 else f"-{-value:04d}"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            return None
        # xsd:decimal has no exponent: '1e999999999' would be written out as a billion
        # digits. Refuse values longer than Python's own limit for integers (4300 digits).
        if max(value.adjusted(), 0) + max(-int(value.as_tuple().exponent), 0) > _MAX_DIGITS:
            return None
        text = format(value, "f")
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return "0" if text in ("-0", "") else text
    if isinstance(value, float):
        return None if value != value or value in (float("inf"), float("-inf")) else repr(value)
    if isinstance(value, dt.datetime):
        base = value.replace(tzinfo=None).isoformat()
        return base + _tz(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.replace(tzinfo=None).isoformat() + _tz(value)
    if typ == "yearmonth":
        return f"{value[0]:04d}-{value[1]:02d}"
    if typ == "duration":
        import isodate  # type: ignore[import-untyped]

        return str(isodate.duration_isoformat(value))
    return str(value)


_XSD_LEXICAL: dict[str, re.Pattern[str]] = {
    "integer": re.compile(r"[+-]?[0-9]+\Z"),
    "nonNegativeInteger": re.compile(r"\+?[0-9]+\Z|-0+\Z"),
    "positiveInteger": re.compile(r"\+?0*[1-9][0-9]*\Z"),
    "decimal": re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)\Z"),
    "double": re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([Ee][+-]?[0-9]+)?\Z|[+-]?INF\Z|NaN\Z"),
    "boolean": re.compile(r"true\Z|false\Z|1\Z|0\Z"),
    "date": re.compile(r"-?[0-9]{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])(Z|[+-][0-9]{2}:[0-9]{2})?\Z"),
    "gYear": re.compile(r"-?[0-9]{4,}(Z|[+-][0-9]{2}:[0-9]{2})?\Z"),
    "gYearMonth": re.compile(r"-?[0-9]{4,}-(0[1-9]|1[0-2])(Z|[+-][0-9]{2}:[0-9]{2})?\Z"),
    "anyURI": re.compile(r"[^\s]*\Z"),
}
_XSD_LEXICAL["float"] = _XSD_LEXICAL["double"]
_XSD_LEXICAL["int"] = _XSD_LEXICAL["integer"]
_XSD_LEXICAL["long"] = _XSD_LEXICAL["integer"]


def lexical_problem(lexical: str, datatype: str) -> str | None:
    """Why ``lexical`` is not a valid form of ``datatype`` (checked for common XSD types)."""
    if not datatype.startswith(XSD):
        return None
    pattern = _XSD_LEXICAL.get(datatype[len(XSD) :])
    if pattern is None or pattern.match(lexical):
        return None
    return f"{lexical!r} is not a valid xsd:{datatype[len(XSD) :]}"
