"""CSV dialects: the one reading of a Frictionless dialect shared by every CSV reader.

frictionless and sse_ld's own reader (:mod:`sse_ld.csvio`) must split a file into exactly
the same cells, or stage 1 would validate one table and stage 2 map another. So the
declared dialect is checked and completed here once (:func:`parse_dialect`), frictionless
is handed the complete dialect (nothing left for it to guess; its guessing is also slow on
crafted files), and both readers build their ``csv.reader`` from
:func:`reader_options`.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .errors import InputError

__all__ = ["CsvDialect", "parse_dialect", "reader_options"]

_UNSUPPORTED = {
    "nullSequence": 'declare the text that means "no value" in the Table Schema\'s "missingValues"',
    "headerJoin": "give the file a single header row",
    "commentRows": "delete the comment rows, or start them with a commentChar",
    "property": "sse_ld reads CSV files, not JSON",
    "itemType": "sse_ld reads CSV files, not JSON",
    "itemKeys": "sse_ld reads CSV files, not JSON",
    "sheetNumber": "export the sheet as CSV",
    "sheetName": "export the sheet as CSV",
    "table": "export the table as CSV",
}
_HINT = "see https://specs.frictionlessdata.io/csv-dialect/ for the dialect keys"


@dataclass(frozen=True, slots=True)
class CsvDialect:
    """A complete CSV dialect.

    Attributes:
        delimiter: the one-character cell separator.
        quote_char: the one-character quote, or ``""`` for no quoting at all.
        double_quote: a doubled quote inside a quoted cell stands for one quote. As in
            frictionless, it can only be turned off when an escape character is given.
        escape_char: the one-character escape, if any.
        skip_initial_space: ignore spaces after a delimiter.
        header: the first record names the columns.
        comment_char: records starting with this text are skipped, if given.
    """

    delimiter: str = ","
    quote_char: str = '"'
    double_quote: bool = True
    escape_char: str | None = None
    skip_initial_space: bool = False
    header: bool = True
    comment_char: str | None = None

    def reader_options(self) -> dict[str, Any]:
        """Keyword arguments for ``csv.reader``."""
        return reader_options(
            self.delimiter, self.quote_char, self.double_quote, self.escape_char, self.skip_initial_space
        )

    def descriptor(self) -> dict[str, Any]:
        """The complete dialect as a Frictionless (v1 layout) descriptor."""
        out: dict[str, Any] = {
            "header": self.header,
            "delimiter": self.delimiter,
            "quoteChar": self.quote_char,
            "doubleQuote": self.double_quote,
            "skipInitialSpace": self.skip_initial_space,
        }
        if self.escape_char is not None:
            out["escapeChar"] = self.escape_char
        if self.comment_char is not None:
            out["commentChar"] = self.comment_char
        return out


def reader_options(
    delimiter: str, quote_char: str, double_quote: bool, escape_char: str | None, skip_initial_space: bool
) -> dict[str, Any]:
    """``csv.reader`` options with frictionless's semantics (``doubleQuote`` needs an escape
    character to be turned off; an empty quote character disables quoting)."""
    opts: dict[str, Any] = {
        "delimiter": delimiter,
        "doublequote": double_quote if escape_char else True,
        "skipinitialspace": skip_initial_space,
        "strict": False,
    }
    if quote_char:
        opts["quotechar"] = quote_char
        opts["quoting"] = csv.QUOTE_MINIMAL
    else:
        opts["quotechar"] = None
        opts["quoting"] = csv.QUOTE_NONE
    if escape_char:
        opts["escapechar"] = escape_char
    return opts


def _char(raw: Mapping[str, Any], key: str, default: str | None, where: str, *, empty_ok: bool = False) -> str | None:
    if key not in raw:
        return default
    value = raw[key]
    if value is None and default is None:
        return None
    if not isinstance(value, str) or len(value) > 1 or (not value and not empty_ok):
        raise InputError(
            f"{where}: the dialect's {key!r} must be a single character, not {value!r}",
            hint=_HINT,
        )
    if value in ("\r", "\n"):
        raise InputError(f"{where}: the dialect's {key!r} cannot be a line break", hint=_HINT)
    return value


def _flag(raw: Mapping[str, Any], key: str, default: bool, where: str) -> bool:
    value = raw.get(key, default)
    if not isinstance(value, bool):
        raise InputError(f"{where}: the dialect's {key!r} must be true or false, not {value!r}", hint=_HINT)
    return value


def parse_dialect(raw: Any, *, tsv: bool, where: str) -> CsvDialect:
    """Check a Frictionless CSV dialect (v1 flat layout or v2 with a ``"csv"`` object) and
    complete it with the defaults.

    Raises:
        InputError: a key has a wrong value, or asks for something sse_ld does not read.
    """
    if raw is None:
        raw = {}
    if not isinstance(raw, Mapping):
        raise InputError(f"{where}: the dialect must be a JSON object", hint=_HINT)
    nested = raw.get("csv", {})
    if not isinstance(nested, Mapping):
        raise InputError(f"{where}: the dialect's 'csv' must be a JSON object", hint=_HINT)
    merged = {**{k: v for k, v in raw.items() if k != "csv"}, **nested}
    for key, hint in _UNSUPPORTED.items():
        if key in merged:
            raise InputError(f"{where}: the dialect key {key!r} is not supported by sse_ld", hint=hint)
    header = _flag(merged, "header", True, where)
    if "headerRows" in merged:
        rows = merged["headerRows"]
        if rows not in ([1], []):
            raise InputError(
                f"{where}: the dialect's headerRows {rows!r} is not supported; only [1] (one header row) or [] (none)",
                hint="give the file a single header row on its first line",
            )
        header = header and rows == [1]
    delimiter = _char(merged, "delimiter", "\t" if tsv else ",", where)
    quote_char = _char(merged, "quoteChar", '"', where, empty_ok=True)
    escape_char = _char(merged, "escapeChar", None, where)
    assert delimiter is not None and quote_char is not None
    if not delimiter:
        raise InputError(f"{where}: the dialect's delimiter cannot be empty", hint=_HINT)
    if delimiter in (quote_char, escape_char) or (escape_char and escape_char == quote_char):
        raise InputError(
            f"{where}: the dialect uses {delimiter!r} for two different purposes (delimiter, quote or escape)",
            hint="give the delimiter, the quote and the escape character different characters",
        )
    comment = merged.get("commentChar")
    if comment is not None and (not isinstance(comment, str) or not comment or "\n" in comment or "\r" in comment):
        raise InputError(f"{where}: the dialect's commentChar must be a non-empty text, not {comment!r}", hint=_HINT)
    return CsvDialect(
        delimiter=delimiter,
        quote_char=quote_char,
        double_quote=_flag(merged, "doubleQuote", True, where),
        escape_char=escape_char,
        skip_initial_space=_flag(merged, "skipInitialSpace", False, where),
        header=header,
        comment_char=comment,
    )
