"""Rendering reports for people and programs, chosen by name from :data:`REPORTERS`:

========  ==================================================================================
text      grouped by kind of finding, capped, with each kind's fix (the default)
json      exactly ``Report.to_dict()`` (a list of them for several packages); the layout is
          versioned and documented in docs/report.schema.json
github    GitHub Actions workflow commands (``::error file=…,line=…,col=…::…``) that annotate
          each finding in the pull request, followed by the text report for the log
sarif     a SARIF 2.1.0 log, for code-scanning tools
========  ==================================================================================

Every reporter takes a report, or a sequence of reports (one per package), and keyword
options: ``lang`` (``en``/``es``, for the report's own words; findings are localised by the
pipeline), ``max_per_group`` (text and github caps) and ``cwd`` (the folder file paths are
made relative to; the current folder by default).
"""

from __future__ import annotations

from collections.abc import Callable

from .github import render_github
from .machine import render_json, render_sarif
from .text import DEFAULT_MAX_PER_GROUP, render_text

__all__ = ["DEFAULT_MAX_PER_GROUP", "REPORTERS", "render_github", "render_json", "render_sarif", "render_text"]

#: The reporters by ``--format`` name.
REPORTERS: dict[str, Callable[..., str]] = {
    "text": render_text,
    "json": render_json,
    "github": render_github,
    "sarif": render_sarif,
}
