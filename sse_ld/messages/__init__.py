"""The catalogue of findings, in English and Spanish: for each stable finding code, what it
means and how to fix it, and the templates of its messages and hints.

Stages write their findings in plain English (a message, often a hint). Translation is a
single step at the end of the pipeline, :func:`localize`, which recognises the message and
the hint of each finding by the templates of its code, and says them again in the wanted
language; a finding without a hint gets the general fix of its kind. SHACL findings already
carry the shape's own ``sh:message`` in the wanted language and only gain the fix.

The catalogue is also the source of docs/findings.md (see :func:`render_findings_doc`)
and of the rule descriptions of SARIF reports.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from ..report import Issue, Report
from . import mapping, shacl, table_kinds
from .core import LANGS, Kind, Text, fill, match, translate
from .doc import render
from .table import table_message
from .ui import UI, count, ui

__all__ = [
    "KINDS",
    "LANGS",
    "UI",
    "Kind",
    "Text",
    "count",
    "fill",
    "kind",
    "localize",
    "localize_report",
    "match",
    "render_findings_doc",
    "table_message",
    "ui",
]

#: Every finding code the catalogue knows, in documentation order (stage by stage).
KINDS: dict[str, Kind] = {k.code: k for k in (*table_kinds.KINDS, *mapping.KINDS, *shacl.KINDS)}


def kind(code: str) -> Kind | None:
    """The catalogue entry of ``code``, if it has one."""
    return KINDS.get(code)


def localize(issue: Issue, lang: str) -> Issue:
    """``issue`` with its message and hint in ``lang`` (``en`` or ``es``) where the catalogue
    recognises them, and with the general fix of its kind when it has no hint.

    A message the catalogue does not recognise is left as it is (a SHACL ``sh:message``,
    or a library's own text), so localising never loses information.
    """
    if issue.code not in KINDS:
        return issue
    message, hint = _say(issue.code, issue.message, issue.hint, lang)
    if message == issue.message and hint == issue.hint:
        return issue
    return replace(issue, message=message, hint=hint)


@lru_cache(maxsize=8192)
def _say(code: str, message: str, hint: str | None, lang: str) -> tuple[str, str | None]:
    """The message and hint of a finding of ``code`` in ``lang`` (cached: a table with
    thousands of findings repeats a few sentences)."""
    entry = KINDS[code]
    said = translate(message, entry.messages, lang, words=entry.words, fragments=mapping.FRAGMENTS)
    if hint:
        fix = translate(hint, entry.hints, lang, words=entry.words, fragments=mapping.FRAGMENTS) or hint
    else:
        fix = entry.fix.get(lang)
    return (said if said is not None else message), fix


def localize_report(report: Report, lang: str) -> Report:
    """``report`` with every finding localised (see :func:`localize`)."""
    return replace(report, issues=tuple(localize(i, lang) for i in report.issues))


def render_findings_doc() -> str:
    """The body of docs/findings.md: every finding code, in both languages."""
    return render(KINDS.values())
