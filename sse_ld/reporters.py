"""Rendering a :class:`~sse_ld.report.Report` for people (text) and programs (JSON).

Reporters are chosen by name from :data:`REPORTERS`; each takes the report and returns
the text to print. JSON output is exactly ``Report.to_dict()``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from itertools import groupby

from .report import Issue, Report

__all__ = ["REPORTERS", "render_json", "render_text"]

#: How many findings of one kind (code and column) the text report shows before counting.
DEFAULT_MAX_PER_GROUP = 5


def render_json(report: Report, **_: object) -> str:
    """The report as JSON: ``Report.to_dict()``, indented, keys in their stable order."""
    return json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n"


def _group_key(i: Issue) -> tuple[int, str, str, str, str]:
    return (
        -i.severity.rank,
        i.stage.value,
        i.code,
        i.location.file or i.location.resource or "",
        i.location.field or "",
    )


def render_text(report: Report, *, max_per_group: int = DEFAULT_MAX_PER_GROUP, **_: object) -> str:
    """A grouped, capped text report: per kind of finding (severity, code, file, column),
    the first ``max_per_group`` findings with their line, row and value, then a count,
    and the fix hint once per group."""
    counts = report.counts()
    head = "valid" if report.valid else "INVALID"
    tally = f"{counts['error']} error(s), {counts['warning']} warning(s), {counts['info']} info(s)"
    lines = [f"{report.package}: {head} — {tally}"]
    stats = report.stats
    if stats:
        lines.append("  " + ", ".join(f"{k}: {v}" for k, v in stats.items()))
    issues = sorted(report.issues, key=lambda i: (_group_key(i), i.sort_key()))
    for key, group_iter in groupby(issues, key=_group_key):
        group = list(group_iter)
        first = group[0]
        where = key[3] + (f", column {key[4]!r}" if key[4] else "")
        lines.append("")
        lines.append(
            f"{first.severity.value.upper()} {first.code} ({first.stage.value}) in {where or 'the package'}: "
            f"{len(group)} finding(s)"
        )
        for issue in group[:max_per_group]:
            loc = issue.location
            pos = []
            if loc.line is not None:
                pos.append(f"line {loc.line}")
            if loc.row is not None:
                pos.append(f"row {loc.row}")
            if loc.pointer:
                pos.append(loc.pointer)
            if not pos and loc.focus_node:
                pos.append(f"<{loc.focus_node}>")
            prefix = ", ".join(pos)
            lines.append(f"  - {prefix + ': ' if prefix else ''}{issue.message}")
        if len(group) > max_per_group:
            lines.append(f"  ... and {len(group) - max_per_group} more like this")
        hints = [i.hint for i in group if i.hint]
        if hints:
            lines.append(f"  fix: {hints[0]}")
    return "\n".join(lines) + "\n"


REPORTERS: dict[str, Callable[..., str]] = {"text": render_text, "json": render_json}
