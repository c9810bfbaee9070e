"""GitHub Actions workflow commands, so each finding shows in the pull request on the line
of the CSV (or JSON) file it is about::

    ::error file=data/orgs.csv,line=3,col=43,title=type-error (value of the wrong type)::'x' is … Fix: …

Like the text report, annotations are capped per kind of finding (GitHub shows only a few
per step anyway), with one more annotation counting the rest. The text report follows, for
the log.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..messages import kind, ui
from ..report import Issue, Location, Report
from .common import as_reports, groups, shorten, source_path
from .text import DEFAULT_MAX_PER_GROUP, render_text

__all__ = ["escape_data", "escape_property", "render_github"]

_COMMAND = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    """Escape the message of a workflow command (``%``, CR and LF)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value of a workflow command (also ``:`` and ``,``)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _command(report: Report, issue: Issue, lang: str, cwd: Path | None, message: str | None = None) -> str:
    loc = issue.location
    props: list[tuple[str, str]] = []
    path = source_path(report, loc.file, cwd)
    if path:
        props.append(("file", path))
        if loc.line is not None:
            props.append(("line", str(loc.line)))
            if loc.column is not None:
                props.append(("col", str(loc.column)))
    entry = kind(issue.code)
    props.append(("title", f"{issue.code} ({entry.title.get(lang)})" if entry else issue.code))
    if message is None:
        message = shorten(issue.message)
        if issue.hint:
            message += f". {ui('fix', lang).capitalize()}: {shorten(issue.hint)}"
    head = ",".join(f"{k}={escape_property(v)}" for k, v in props)
    return f"::{_COMMAND[issue.severity.value]} {head}::{escape_data(message)}"


def render_github(
    report: Report | Sequence[Report],
    *,
    lang: str = "en",
    max_per_group: int = DEFAULT_MAX_PER_GROUP,
    cwd: Path | None = None,
    **_: object,
) -> str:
    """Workflow commands annotating each finding (capped per kind), then the text report."""
    reports = as_reports(report)
    lines: list[str] = []
    for r in reports:
        for _key, items in groups(r.issues):
            for issue in items[:max_per_group]:
                lines.append(_command(r, issue, lang, cwd))
            rest = len(items) - max_per_group
            if rest > 0:
                first = items[max_per_group]
                bare = Issue(first.stage, first.code, first.severity, first.message, Location(file=first.location.file))
                lines.append(_command(r, bare, lang, cwd, ui("more annotations", lang, n=rest, code=first.code)))
    return "\n".join(lines) + ("\n" if lines else "") + render_text(reports, lang=lang, max_per_group=max_per_group)
