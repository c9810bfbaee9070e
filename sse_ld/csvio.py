"""Reading CSV records with their record number and the physical line they start on.

Record numbers count every record including the header (row 1) and blank rows, exactly as
frictionless's ``rowNumber`` and RFC 7111 ``#row=`` do; line numbers count physical lines,
which differ when a quoted field spans several lines. The dialect and encoding are the ones
:func:`~sse_ld.package.open_package` completed, so this reader splits cells exactly as
frictionless does.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import IO, Any

from .chunks import Chunk, SliceReader
from .errors import InputError, UnsafeInputError
from .limits import Limits
from .package import Resource

__all__ = ["csv_options", "has_header", "read_records"]


def csv_options(resource: Resource) -> dict[str, Any]:
    """Python ``csv`` reader options for ``resource`` (its completed dialect)."""
    return resource.csv.reader_options()


def has_header(resource: Resource) -> bool:
    """Whether the first record is a header (Frictionless dialect ``header``, default true)."""
    return resource.csv.header


def _open_text(resource: Resource, encoding: str, chunk: Chunk | None) -> IO[str]:
    """The file (or the chunk of it) as text, universal newlines off (the csv module's rule)."""
    if chunk is None:
        return open(resource.file, encoding=encoding, newline="")
    raw = io.BufferedReader(SliceReader(resource.file, chunk.start, chunk.end), 1 << 16)
    return io.TextIOWrapper(raw, encoding=encoding, newline="")


def read_records(
    resource: Resource,
    limits: Limits | None = None,
    options: dict[str, Any] | None = None,
    header: bool | None = None,
    chunk: Chunk | None = None,
) -> Iterator[tuple[int, int, list[str]]]:
    """Yield ``(record number, first line, cells)`` for every data record of ``resource``.

    Args:
        resource: the resource to read.
        limits: size caps.
        options: ``csv.reader`` options; by default from the declared dialect (the engine
            passes the dialect frictionless detected, so both read the file the same way).
        header: whether the first record is a header; by default from the declared dialect.
        chunk: read only this byte range (see :mod:`sse_ld.chunks`), numbering records and
            lines from where it starts.

    Raises:
        InputError: the file cannot be decoded with its encoding or is not parseable CSV.
        UnsafeInputError: a cell or the row count exceeds the limits.
    """
    limits = limits or Limits()
    first = chunk is None or chunk.first
    # A byte-order mark opens the file only: later chunks are plain UTF-8.
    encoding = "utf-8" if not first and resource.encoding == "utf-8-sig" else resource.encoding
    comment = resource.csv.comment_char
    header = resource.csv.header if header is None else header
    where = resource.path
    row_no = chunk.base_row if chunk else 0
    line = (chunk.base_line if chunk else 0) + 1
    try:
        with _open_text(resource, encoding, chunk) as handle:
            csv.field_size_limit(limits.max_cell_chars)  # frictionless raises it at import
            reader = csv.reader(handle, **(options if options is not None else csv_options(resource)))
            base_line = line - 1
            for cells in reader:
                row_no += 1
                start = line
                line = base_line + reader.line_num + 1
                if row_no > limits.max_rows:
                    raise UnsafeInputError(
                        f"the file has more than {limits.max_rows} rows (the limit)",
                        file=where,
                        hint="split the table, or raise --max-rows if the table really is that long",
                    )
                if row_no == 1 and header:
                    continue
                if comment and cells and cells[0].startswith(comment):
                    continue
                yield row_no, start, cells
    except UnicodeDecodeError:
        raise InputError(
            f"the file is not valid {resource.encoding} (near line {line})",
            file=where,
            hint='save the file as UTF-8, or declare its real "encoding" in datapackage.json',
        ) from None
    except csv.Error as exc:
        msg = str(exc)
        if "field larger than field limit" in msg:
            raise UnsafeInputError(
                f"a cell near line {line} is longer than the limit of {limits.max_cell_chars} characters",
                file=where,
                hint="check for a quote that is never closed; raise --max-cell-chars if the cell really is that long",
            ) from None
        raise InputError(f"the file is not readable as CSV near line {line}: {msg}", file=where) from None
