"""Pieces the reporters share: one or several reports, grouping, and file paths."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path, PurePosixPath

from ..report import Issue, Report

__all__ = ["Group", "as_reports", "groups", "package_dir", "shorten", "source_path"]

#: Longest message or value shown in a text report or an annotation, in characters.
MAX_TEXT = 300


def as_reports(report: Report | Sequence[Report]) -> list[Report]:
    """One report or several, as a list."""
    return [report] if isinstance(report, Report) else list(report)


def shorten(text: str, limit: int = MAX_TEXT) -> str:
    """``text`` on one line, cut to ``limit`` characters (a huge cell must not flood a log)."""
    one = " ".join(text.split())
    return one if len(one) <= limit else one[: limit - 1] + "…"


def package_dir(report: Report) -> Path:
    """The package folder of ``report`` (its ``package`` may name the descriptor)."""
    p = Path(report.package)
    return p.parent if p.suffix.lower() == ".json" and not p.is_dir() else p


def source_path(report: Report, file: str | None, cwd: Path | None = None) -> str | None:
    """The path of a finding's ``file`` as a tool in ``cwd`` sees it: relative (POSIX
    separators) when the file lies under ``cwd``, absolute otherwise."""
    if not file:
        return None
    path = package_dir(report) / file
    base = Path(os.path.abspath(cwd or Path.cwd()))
    absolute = Path(os.path.abspath(path))
    try:
        return PurePosixPath(absolute.relative_to(base)).as_posix()
    except ValueError:
        return absolute.as_posix()


Group = tuple[tuple[int, int, str, str, str], list[Issue]]


def _group_key(i: Issue) -> tuple[int, int, str, str, str]:
    loc = i.location
    return (-i.severity.rank, i.stage.order, loc.file or loc.resource or "", loc.field or "", i.code)


def groups(issues: Iterable[Issue]) -> list[Group]:
    """Findings grouped by kind (severity, stage, file, column and code), each group in
    report order (by row); groups come worst first, then in pipeline order, then file by
    file in the order of their first row."""
    found: dict[tuple[int, int, str, str, str], list[Issue]] = {}
    for issue in sorted(issues, key=Issue.sort_key):
        found.setdefault(_group_key(issue), []).append(issue)

    def order(group: Group) -> tuple[object, ...]:
        (severity, stage, file, field, code), items = group
        first = min((i.location.row for i in items if i.location.row is not None), default=-1)
        return (severity, stage, file, first, field, code)

    return sorted(found.items(), key=order)
