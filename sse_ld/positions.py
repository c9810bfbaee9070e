"""Where findings are in their files, for editors and code-review tools: the physical line
and character column of a CSV cell, of a JSON value named by a JSON pointer, and of the
first byte of a file that is not valid text.

:func:`locate` fills ``Location.line`` and ``Location.column`` of the findings that lack
them, reading only the files that have findings, once each. Columns count Unicode code
points from 1 on the line where the cell starts (a byte-order mark is not counted). A cell
that starts on a later line than its record (after a quoted value spanning lines) keeps
the record's line and gets no column. Positions are a convenience: a file that cannot be
read again leaves its findings as they were, and nothing here raises.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from .csvio import csv_options
from .package import DataPackage, Resource
from .report import Issue

__all__ = ["cell_starts", "json_positions", "locate"]

Position = tuple[int, int | None]  # (line, column)


def locate(package: DataPackage, issues: Sequence[Issue]) -> list[Issue]:
    """``issues`` with the line and column of each finding filled in where they can be found."""
    cells: dict[str, set[int]] = {}
    pointers: dict[str, set[str]] = {}
    undecodable: set[str] = set()
    for i in issues:
        loc = i.location
        if i.code == "encoding-error" and loc.resource:
            undecodable.add(loc.resource)
        elif loc.resource and loc.row is not None and (loc.line is None or loc.column is None):
            cells.setdefault(loc.resource, set()).add(loc.row)
        elif loc.pointer is not None and loc.file and loc.file.endswith(".json") and loc.line is None:
            pointers.setdefault(loc.file, set()).add(loc.pointer)
    found_cells: dict[tuple[str, int, str | None], Position] = {}
    for name, rows in cells.items():
        res = package.resource(name)
        if res is not None and name not in undecodable:
            found_cells.update(_cell_positions(res, rows, [i for i in issues if i.location.resource == name]))
    found_json: dict[tuple[str, str], Position] = {}
    for file, wanted in pointers.items():
        path = _inside(package.root, file)
        if path is not None:
            table = json_positions(path)
            for p in wanted:
                pos = _nearest(table, p)
                if pos is not None:
                    found_json[(file, p)] = pos
    found_bytes: dict[str, Position] = {}
    for name in undecodable:
        res = package.resource(name)
        if res is not None:
            pos = _first_bad_byte(res)
            if pos is not None:
                found_bytes[name] = pos
    return [_placed(i, found_cells, found_json, found_bytes) for i in issues]


def _placed(
    issue: Issue,
    cells: dict[tuple[str, int, str | None], Position],
    json: dict[tuple[str, str], Position],
    bytes_: dict[str, Position],
) -> Issue:
    loc = issue.location
    pos: Position | None = None
    if issue.code == "encoding-error" and loc.resource:
        pos = bytes_.get(loc.resource)
    elif loc.resource and loc.row is not None:
        pos = cells.get((loc.resource, loc.row, _cell_key(issue)))
        if pos is None:
            pos = cells.get((loc.resource, loc.row, None))
    elif loc.pointer is not None and loc.file:
        pos = json.get((loc.file, loc.pointer))
    if pos is None:
        return issue
    line = loc.line if loc.line is not None else pos[0]
    column = loc.column if loc.column is not None else (pos[1] if line == pos[0] else None)
    if (line, column) == (loc.line, loc.column):
        return issue
    return replace(issue, location=replace(loc, line=line, column=column))


def _cell_key(issue: Issue) -> str | None:
    """What identifies the cell of a finding in its row: the header label for header
    findings (which may differ from the field name), else the field."""
    loc = issue.location
    if loc.row == 1 and issue.code.endswith("-label"):
        return f"label:{loc.value}"
    return loc.field


# --- CSV ------------------------------------------------------------------------------------


class _Lines:
    """A line iterator that remembers the lines the CSV reader took for the current record."""

    def __init__(self, handle: Any) -> None:
        self.handle = handle
        self.taken: list[str] = []

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        line: str = next(self.handle)
        self.taken.append(line)
        return line


def cell_starts(raw: str, options: dict[str, Any]) -> list[int]:
    """Offsets in ``raw`` (the text of one CSV record) where each cell starts, read with
    the ``csv`` module's ``options`` (delimiter, quotechar, doublequote, escapechar)."""
    delim = options.get("delimiter", ",")
    quote = options.get("quotechar", '"')
    escape = options.get("escapechar")
    doublequote = options.get("doublequote", True)
    starts = [0]
    quoted = False
    at_start = True
    i, n = 0, len(raw)
    while i < n:
        c = raw[i]
        if escape and c == escape:
            i += 2
            at_start = False
            continue
        if quoted:
            if c == quote:
                if doublequote and i + 1 < n and raw[i + 1] == quote:
                    i += 2
                    continue
                quoted = False
        elif c == delim:
            starts.append(i + 1)
            at_start = True
            i += 1
            continue
        elif c in "\r\n":
            break
        elif at_start and c == quote:
            quoted = True
        at_start = False
        i += 1
    return starts


def _field_index(res: Resource, field: str | None, header: list[str]) -> int | None:
    if field is None:
        return None
    if field.startswith("label:"):
        label = field[len("label:") :]
        return header.index(label) if label in header else None
    names = res.field_names
    for name in (field, field.split(",")[0]):
        if name in names:
            return names.index(name)
    return None


def _cell_positions(res: Resource, rows: set[int], issues: list[Issue]) -> dict[tuple[str, int, str | None], Position]:
    wanted: dict[int, set[str | None]] = {}
    for i in issues:
        if i.location.row in rows:
            wanted.setdefault(i.location.row, set()).add(_cell_key(i))
    encoding = "utf-8-sig" if res.encoding.lower().replace("_", "-") in ("utf-8", "utf8") else res.encoding
    options = csv_options(res)
    out: dict[tuple[str, int, str | None], Position] = {}
    last = max(rows)
    try:
        with open(res.file, encoding=encoding, newline="") as handle:
            lines = _Lines(handle)
            reader = csv.reader(lines, **options)
            header: list[str] = []
            line = 1
            for row_no, cells in enumerate(reader, start=1):
                raw = "".join(lines.taken)
                lines.taken.clear()
                if row_no == 1:
                    header = cells
                if row_no in wanted:
                    out[(res.name, row_no, None)] = (line, None)
                    starts = cell_starts(raw, options)
                    for key in wanted[row_no]:
                        index = _field_index(res, key, header)
                        if index is not None and index < len(starts):
                            offset = starts[index]
                            before = raw[:offset]
                            same_line = "\n" not in before and "\r" not in before
                            out[(res.name, row_no, key)] = (line, offset + 1 if same_line else None)
                # Physical lines the record spans; a regex only when it holds a carriage return.
                line += raw.count("\n") if "\r" not in raw else len(re.findall(r"\r\n|\r|\n", raw))
                if row_no >= last:
                    break
    except (OSError, UnicodeDecodeError, csv.Error, LookupError):
        pass
    return out


def _first_bad_byte(res: Resource) -> Position | None:
    """Line and column of the first byte of ``res`` that its encoding cannot decode."""
    try:
        data = res.file.read_bytes()
        data.decode(res.encoding)
    except UnicodeDecodeError as exc:
        start = exc.start
        line_start = max(data.rfind(b"\n", 0, start), data.rfind(b"\r", 0, start)) + 1
        column = len(data[line_start:start].decode(res.encoding, errors="replace")) + 1
        if line_start == 0 and data.startswith(b"\xef\xbb\xbf"):
            column -= 1
        return len(re.findall(rb"\r\n|\r|\n", data[:start])) + 1, column
    except (OSError, LookupError):
        return None
    return None


# --- JSON -----------------------------------------------------------------------------------


def _inside(root: Path, rel: str) -> Path | None:
    try:
        path = (root / rel).resolve()
        base = root.resolve()
    except (OSError, RuntimeError):
        return None
    return path if base in path.parents and path.is_file() else None


def _nearest(table: dict[str, Position], pointer: str) -> Position | None:
    """The position of ``pointer``, or of its nearest ancestor that exists."""
    p = pointer
    while True:
        if p in table:
            return table[p]
        if not p:
            return None
        p = p[: p.rfind("/")]


_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_SCALAR = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null")
_SPACE = re.compile(r"[ \t\r\n]*")


def json_positions(path: Path) -> dict[str, Position]:
    """For every value of the JSON file at ``path``, its JSON pointer and (line, column).

    Returns an empty table when the file is not readable JSON (its problems are reported
    elsewhere).
    """
    import json

    try:
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return {}
    newlines = [m.start() for m in re.finditer(r"\n", text)]
    table: dict[str, Position] = {}

    def position(offset: int) -> Position:
        from bisect import bisect_left

        n = bisect_left(newlines, offset)
        start = newlines[n - 1] + 1 if n else 0
        return n + 1, offset - start + 1

    def value(i: int, pointer: str) -> int:
        i = _SPACE.match(text, i).end()  # type: ignore[union-attr]
        table[pointer] = position(i)
        c = text[i : i + 1]
        if c == "{":
            i = _SPACE.match(text, i + 1).end()  # type: ignore[union-attr]
            if text[i : i + 1] == "}":
                return i + 1
            while True:
                m = _STRING.match(text, i)
                if m is None:
                    raise ValueError
                key = json.loads(m.group())
                i = _SPACE.match(text, m.end()).end()  # type: ignore[union-attr]
                if text[i : i + 1] != ":":
                    raise ValueError
                i = value(i + 1, pointer + "/" + key.replace("~", "~0").replace("/", "~1"))
                i = _SPACE.match(text, i).end()  # type: ignore[union-attr]
                if text[i : i + 1] == ",":
                    i = _SPACE.match(text, i + 1).end()  # type: ignore[union-attr]
                    continue
                if text[i : i + 1] == "}":
                    return i + 1
                raise ValueError
        if c == "[":
            i = _SPACE.match(text, i + 1).end()  # type: ignore[union-attr]
            if text[i : i + 1] == "]":
                return i + 1
            index = 0
            while True:
                i = value(i, f"{pointer}/{index}")
                index += 1
                i = _SPACE.match(text, i).end()  # type: ignore[union-attr]
                if text[i : i + 1] == ",":
                    i += 1
                    continue
                if text[i : i + 1] == "]":
                    return i + 1
                raise ValueError
        m = _STRING.match(text, i) or _SCALAR.match(text, i)
        if m is None:
            raise ValueError
        return m.end()

    try:
        value(0, "")
    except (ValueError, RecursionError, IndexError):
        return table
    return table
