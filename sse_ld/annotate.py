"""An annotated copy of a package's data, to open in a spreadsheet.

:func:`annotate` writes each CSV file of the package into a folder, at the same relative
path, with one more column in front listing that row's findings ("members: 'cuarenta' is
not a valid integer (fix: ...)"), so a contributor can sort or filter on it and fix the
cells in place. The header row's extra cell names the column and holds the findings about
the header itself. Files are written as UTF-8 with a byte-order mark (so spreadsheets show
accents right) and the delimiter and quote character of the original. A ``report.txt``
beside them holds the full text report.

The folder is replaced atomically, and only if sse-ld wrote it (see
:class:`~sse_ld.publish.OutputFolder`).
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from .csvio import csv_options
from .errors import InputError
from .limits import Limits
from .messages import ui
from .package import open_package
from .publish import OutputFolder
from .report import Issue, Report
from .reporters import render_text

__all__ = ["AnnotateResult", "annotate"]

#: Separator between the findings listed in one cell.
SEPARATOR = " | "


@dataclass(frozen=True)
class AnnotateResult:
    """What :func:`annotate` wrote.

    Attributes:
        out: the folder written.
        files: the files written, relative to ``out``.
        skipped: resources that could not be copied (remote, or not readable as text).
    """

    out: Path
    files: tuple[str, ...]
    skipped: tuple[str, ...] = ()


def _note(issue: Issue, lang: str) -> str:
    field = issue.location.field
    text = f"{field}: {issue.message}" if field else issue.message
    if issue.hint:
        text += f" ({ui('fix', lang)}: {issue.hint})"
    return text


def annotate(
    report: Report, out: str | Path, *, lang: str = "en", source: str | Path | None = None, limits: Limits | None = None
) -> AnnotateResult:
    """Write an annotated copy of the CSV files of the package of ``report`` into ``out``.

    Args:
        report: the validation report of the package.
        out: the folder to write (replaced atomically).
        lang: language of the column title.
        source: the package folder or descriptor (defaults to ``report.package``).
        limits: size caps for reading the package again.

    Raises:
        InputError: the package cannot be read.
        OutputError: the folder cannot be written, or exists and was not written by sse-ld.
    """
    package = open_package(source or report.package, limits=limits or Limits())
    notes: dict[str, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    for issue in report.issues:
        loc = issue.location
        if loc.resource and loc.row is not None:
            notes[loc.resource][loc.row].append(_note(issue, lang))
    skipped: list[str] = []
    title = ui("annotation.column", lang)
    with OutputFolder(Path(out)) as folder:
        for res in package.resources:
            if res.remote:
                skipped.append(res.name)
                continue
            encoding = "utf-8-sig" if res.encoding.lower().replace("_", "-") in ("utf-8", "utf8") else res.encoding
            options = csv_options(res)
            rows = notes.get(res.name, {})
            target = folder.path(res.path)
            try:
                with (
                    open(res.file, encoding=encoding, newline="") as src,
                    target.open("w", encoding="utf-8-sig", newline="") as dst,
                ):
                    writer = csv.writer(
                        dst, delimiter=options["delimiter"], quotechar=options["quotechar"], lineterminator="\r\n"
                    )
                    for row_no, cells in enumerate(csv.reader(src, **options), start=1):
                        found = SEPARATOR.join(rows.get(row_no, []))
                        first = title + (f": {found}" if found else "") if row_no == 1 else found
                        writer.writerow([first, *cells])
            except (UnicodeDecodeError, csv.Error, LookupError):
                target.unlink(missing_ok=True)
                folder.files.remove(res.path)
                skipped.append(res.name)
            except OSError as exc:
                raise InputError(f"cannot read the file: {exc.strerror or exc}", file=res.path) from None
        folder.write_text("report.txt", render_text(report, lang=lang, max_per_group=1_000_000))
        files = folder.commit()
    return AnnotateResult(Path(out), tuple(files), tuple(skipped))
