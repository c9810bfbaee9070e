"""Resource limits: the caps that keep a hostile or broken package from exhausting memory,
disk or time.

Every cap is a field of :class:`Limits`, with its default, the command-line option that
sets it and what it protects against in the field's metadata; ``docs/limits.md`` is
generated from them (a test fails when it is stale). The defaults let the full Peru dataset
and a one-million-row package through with a wide margin; lower them on servers that build
packages from strangers, raise them for known-good giant tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

__all__ = ["LIMIT_FIELDS", "Limits", "limits_markdown"]


def _limit(default: Any, option: str | None, unit: str, what: str, guards: str, elsewhere: str | None = None) -> Any:
    meta = {"option": option, "unit": unit, "what": what, "guards": guards, "elsewhere": elsewhere}
    return field(default=default, metadata=meta)


@dataclass(frozen=True, slots=True)
class Limits:
    """Caps applied while reading a package and running queries.

    Attributes:
        max_file_bytes: largest data file accepted, on disk, downloaded or decompressed.
        max_descriptor_bytes: largest ``datapackage.json``, mapping, schema, dialect,
            vocabulary or shapes file accepted.
        max_rows: most records read from one CSV file (the header included).
        max_cell_chars: largest single cell, in characters of decoded text (also the CSV
            field size limit of frictionless and of sse_ld's own reader).
        max_line_chars: longest physical line of a CSV file, in characters.
        remote_timeout: seconds allowed to download one remote resource, in total.
        sparql_timeout: seconds a SPARQL query sse_ld sends to a store may run.
    """

    max_file_bytes: int = _limit(
        2 * 1024**3,
        "--max-file-bytes",
        "bytes",
        "largest data file read, downloaded or decompressed",
        "disk and time: huge files, decompression bombs, endless downloads",
    )
    max_descriptor_bytes: int = _limit(
        16 * 1024**2,
        None,
        "bytes",
        "largest JSON or Turtle file read",
        "memory: JSON and Turtle files are parsed whole",
    )
    max_rows: int = _limit(
        20_000_000, "--max-rows", "records", "most records in one CSV file", "time: tables far larger than expected"
    )
    max_cell_chars: int = _limit(
        1024**2,
        "--max-cell-chars",
        "characters",
        "longest CSV cell",
        "memory: an unclosed quote swallowing the rest of a file",
    )
    max_line_chars: int = _limit(
        16 * 1024**2,
        "--max-line-chars",
        "characters",
        "longest line of a CSV file",
        "memory: a file without line breaks read as one line",
    )
    remote_timeout: float = _limit(
        30.0,
        "--remote-timeout",
        "seconds",
        "time allowed for one download",
        "time: slow or stalled servers (with --allow-remote)",
    )
    sparql_timeout: float = _limit(
        60.0,
        None,
        "seconds",
        "time allowed for one SPARQL query",
        "time: runaway queries",
        "sse-ld query --timeout",
    )

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
                raise ValueError(f"the limit {f.name} must be a positive number, not {value!r}")


#: The fields of :class:`Limits`, in declaration order.
LIMIT_FIELDS = tuple(fields(Limits))


def _human(value: float, unit: str) -> str:
    if unit == "bytes":
        for size, name in ((1024**3, "GiB"), (1024**2, "MiB"), (1024, "KiB")):
            if value >= size and value % size == 0:
                return f"{value // size} {name}"
    if isinstance(value, float):
        return f"{value:g} {unit}"
    return f"{value:,} {unit}".replace(",", "\u202f")


def limits_markdown() -> str:
    """The table of limits for ``docs/limits.md``: name, default, option, what it guards."""
    rows = [
        "| limit | what | default | option | guards against |",
        "| --- | --- | --- | --- | --- |",
    ]
    defaults = Limits()
    for f in LIMIT_FIELDS:
        meta = f.metadata
        shown = meta["option"] or meta["elsewhere"]
        option = f"`{shown}`" if shown else "library only"
        default = _human(getattr(defaults, f.name), meta["unit"])
        rows.append(f"| `{f.name}` | {meta['what']} | {default} | {option} | {meta['guards']} |")
    return "\n".join(rows) + "\n"
