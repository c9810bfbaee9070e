"""The text report, for people: a verdict, then the findings grouped by kind (severity,
stage, file, column, code), the first few of each with their line, row and value, a count
of the rest with the rows they are on, and how to fix that kind, in the chosen language.

Ten thousand findings of a few kinds stay a screenful: the length of the report grows with
the number of kinds, not of findings.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..messages import UI, count, kind, ui
from ..report import Issue, Report
from .common import as_reports, groups, shorten

__all__ = ["DEFAULT_MAX_PER_GROUP", "render_text"]

#: How many findings of one kind (code and column) the text report shows before counting.
DEFAULT_MAX_PER_GROUP = 5


def _verdict(report: Report, lang: str) -> list[str]:
    c = report.counts()
    head = ui("valid", lang) if report.valid else ui("invalid", lang)
    tally = [count(c["error"], "error", lang), count(c["warning"], "warning", lang)]
    if c["info"]:
        tally.append(count(c["info"], "info", lang))
    lines = [f"{report.package}: {head} — {', '.join(tally)}"]
    if report.stats:
        stats = ", ".join(f"{v} {_stat(k, v, lang)}" for k, v in report.stats.items())
        lines.append(f"  {ui('checked', lang)}: {stats}")
    return lines


def _stat(key: str, n: int, lang: str) -> str:
    name = f"stat.{key}.one" if n == 1 else f"stat.{key}"
    return ui(name, lang) if name in UI else key


def _where(issue: Issue, lang: str) -> str:
    loc = issue.location
    parts: list[str] = []
    if loc.line is not None:
        parts.append(ui("line", lang, n=loc.line))
    if loc.row is not None:
        parts.append(ui("row", lang, n=loc.row))
    if loc.pointer and loc.row is None and (loc.file or ".json").endswith(".json"):
        parts.append(loc.pointer)
    if not parts and loc.focus_node:
        parts.append(f"<{loc.focus_node}>")
    return ", ".join(parts)


def _finding(issue: Issue, lang: str) -> str:
    where = _where(issue, lang)
    message = shorten(issue.message)
    value = issue.location.value
    if value is not None and value != "" and repr(value) not in issue.message and value not in issue.message:
        message += f" [{ui('value', lang, value=shorten(repr(value), 80))}]"
    return f"  - {where + ': ' if where else ''}{message}"


def _group(key: tuple[int, int, str, str, str], items: list[Issue], lang: str, cap: int) -> list[str]:
    first = items[0]
    entry = kind(first.code)
    title = f" ({entry.title.get(lang)})" if entry else ""
    where = key[2] + (", " + ui("column", lang, name=repr(key[3])) if key[3] else "")
    head = f"{ui('severity.' + first.severity.value, lang)} {first.code}{title}"
    head += f" {ui('in', lang, where=where or ui('the package', lang))}: {count(len(items), 'finding', lang)}"
    lines = [head]
    shown = items[:cap]
    hints = [i.hint for i in items]
    same_hint = len(set(hints)) == 1
    for issue in shown:
        lines.append(_finding(issue, lang))
        if not same_hint and issue.hint:
            lines.append(f"      {ui('fix', lang)}: {shorten(issue.hint)}")
    rest = items[cap:]
    if rest:
        rows = [i.location.row for i in rest if i.location.row is not None]
        if rows and len(rows) == len(rest):
            lines.append("  " + ui("more rows", lang, n=len(rest), first=min(rows), last=max(rows)))
        else:
            lines.append("  " + ui("more", lang, n=len(rest)))
    if same_hint and first.hint:
        lines.append(f"  {ui('fix', lang)}: {shorten(first.hint)}")
    elif rest and entry:
        lines.append(f"  {ui('fix', lang)}: {entry.fix.get(lang)}")
    return lines


def render_text(
    report: Report | Sequence[Report],
    *,
    lang: str = "en",
    max_per_group: int = DEFAULT_MAX_PER_GROUP,
    cwd: Path | None = None,
    **_: object,
) -> str:
    """The grouped, capped text report of one or several packages."""
    reports = as_reports(report)
    lines: list[str] = []
    for r in reports:
        if lines:
            lines.append("")
        lines.extend(_verdict(r, lang))
        for key, items in groups(r.issues):
            lines.append("")
            lines.extend(_group(key, items, lang, max_per_group))
    failing = [r for r in reports if r.issues]
    if failing:
        lines.append("")
        if any(not r.valid for r in failing):
            lines.append(ui("next", lang, package=" ".join(r.package for r in failing)))
        lines.append(ui("codes", lang))
    return "\n".join(lines) + "\n"
