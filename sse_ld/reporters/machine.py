"""Reports for programs: JSON (the library's own layout) and SARIF 2.1.0.

SARIF results carry the finding's code as ``ruleId`` (described in ``tool.driver.rules``
from the catalogue, in the report's language), the severity as ``level``, the message and
its fix as ``message.text``, the file, line and column as a physical location (paths relative
to the current folder, columns in Unicode code points), the SHACL focus node as a logical
location, and the row, column name, value, stage and JSON pointer as properties.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from .. import __version__
from ..messages import kind, ui
from ..report import Issue, Report
from .common import as_reports, source_path

__all__ = ["SARIF_SCHEMA", "render_json", "render_sarif", "sarif_log"]

#: The official JSON Schema of SARIF 2.1.0 (OASIS Standard, errata 01).
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def render_json(report: Report | Sequence[Report], **_: object) -> str:
    """``Report.to_dict()`` as indented JSON; for several packages, a JSON array of them."""
    data: Any = report.to_dict() if isinstance(report, Report) else [r.to_dict() for r in report]
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _uri(path: str) -> tuple[str, bool]:
    """A URI reference for ``path``; ``True`` when relative (to ``%SRCROOT%``)."""
    if path.startswith("/"):
        return Path(path).as_uri(), False
    return quote(path, safe="/"), True


def _rule(code: str, lang: str) -> dict[str, Any]:
    entry = kind(code)
    if entry is None:
        return {"id": code}
    return {
        "id": code,
        "shortDescription": {"text": entry.title.get(lang)},
        "fullDescription": {"text": entry.explanation.get(lang)},
        "help": {"text": entry.fix.get(lang)},
        "properties": {"stage": entry.stage},
    }


def _result(report: Report, issue: Issue, rule_index: int, lang: str, cwd: Path | None) -> dict[str, Any]:
    loc = issue.location
    text = issue.message
    if issue.hint:
        text += f". {ui('fix', lang).capitalize()}: {issue.hint}"
    result: dict[str, Any] = {
        "ruleId": issue.code,
        "ruleIndex": rule_index,
        "level": _LEVEL[issue.severity.value],
        "message": {"text": text},
    }
    location: dict[str, Any] = {}
    path = source_path(report, loc.file, cwd)
    if path:
        uri, relative = _uri(path)
        artifact: dict[str, Any] = {"uri": uri}
        if relative:
            artifact["uriBaseId"] = "%SRCROOT%"
        physical: dict[str, Any] = {"artifactLocation": artifact}
        if loc.line is not None:
            region: dict[str, Any] = {"startLine": loc.line}
            if loc.column is not None:
                region["startColumn"] = loc.column
            physical["region"] = region
        location["physicalLocation"] = physical
    if loc.focus_node:
        location["logicalLocations"] = [{"fullyQualifiedName": loc.focus_node, "kind": "resource"}]
    if location:
        result["locations"] = [location]
    props = {
        "stage": issue.stage.value,
        "package": report.package,
        "resource": loc.resource,
        "row": loc.row,
        "field": loc.field,
        "value": loc.value,
        "pointer": loc.pointer,
        "focusNode": loc.focus_node,
        "path": loc.path,
        "shape": loc.shape,
        "hint": issue.hint,
    }
    result["properties"] = {k: v for k, v in props.items() if v is not None}
    return result


def sarif_log(report: Report | Sequence[Report], *, lang: str = "en", cwd: Path | None = None) -> dict[str, Any]:
    """The SARIF 2.1.0 log of one or several reports, as a dictionary."""
    reports = as_reports(report)
    codes = sorted({i.code for r in reports for i in r.issues})
    index = {code: n for n, code in enumerate(codes)}
    results = [_result(r, i, index[i.code], lang, cwd) for r in reports for i in r.issues]
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "sse-ld",
                "version": __version__,
                "informationUri": "https://w3id.org/sse-ld/",
                "rules": [_rule(code, lang) for code in codes],
            }
        },
        "language": lang,
        "columnKind": "unicodeCodePoints",
        "results": results,
        "properties": {
            "packages": [
                {"package": r.package, "valid": r.valid, "counts": r.counts(), "stats": dict(r.stats)} for r in reports
            ]
        },
    }
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def render_sarif(report: Report | Sequence[Report], *, lang: str = "en", cwd: Path | None = None, **_: object) -> str:
    """The SARIF 2.1.0 log of one or several reports, as indented JSON."""
    return json.dumps(sarif_log(report, lang=lang, cwd=cwd), ensure_ascii=False, indent=2) + "\n"
