"""The one findings model shared by every stage: :class:`Issue` values in a :class:`Report`.

A finding has a stable ``code`` (the frictionless error type for table findings, a
``mapping-*`` code for mapping findings, the SHACL constraint component as a CURIE for
SHACL findings), a :class:`Severity`, a human message, an optional fix hint and a
:class:`Location` that points back to the source: resource, file, row (record number,
the header being row 1, as frictionless and RFC 7111 count), physical line, field and
value; for descriptor and mapping findings a JSON pointer; for SHACL findings also the
focus node, path and source shape.

This module imports nothing outside the standard library, so every layer can use it.
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

__all__ = ["REPORT_FORMAT_VERSION", "Issue", "Location", "Report", "Severity", "Stage"]

#: Version of the dictionary layout returned by :meth:`Report.to_dict` (and so of
#: ``--format json``): the major number changes on an incompatible change, the minor number
#: when optional keys are added (1.1 added ``location.column``); see docs/report.schema.json.
REPORT_FORMAT_VERSION = "1.1"


class Severity(str, enum.Enum):
    """How serious a finding is. Errors block publication; warnings and infos do not."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """2 for errors, 1 for warnings, 0 for infos (for thresholds)."""
        return {"error": 2, "warning": 1, "info": 0}[self.value]


class Stage(str, enum.Enum):
    """The pipeline stage that produced a finding, in pipeline order."""

    PACKAGE = "package"
    TABLE = "table"
    MAPPING = "mapping"
    SHACL = "shacl"
    PUBLISH = "publish"

    @property
    def order(self) -> int:
        """Position of the stage in the pipeline (for stable sorting)."""
        return list(Stage).index(self)


@dataclass(frozen=True, slots=True)
class Location:
    """Where a finding points. Every field is optional; unknown parts stay ``None``.

    Attributes:
        resource: name of the data-package resource.
        file: path of the file, relative to the package folder.
        row: record number in the CSV file, the header being row 1 (frictionless, RFC 7111).
        line: physical line number in ``file`` (1-based): where the record starts, or for a
            finding with a ``pointer`` where the JSON value it points to starts.
        column: character column (1-based, in Unicode code points) on ``line`` where the
            cell (or JSON value) starts; unknown when the cell starts on a later line than
            its record, after a quoted value spanning lines.
        field: the column (Table Schema field name).
        value: the offending cell value, as text.
        pointer: JSON pointer into ``file`` for descriptor and mapping findings.
        focus_node: SHACL focus node IRI.
        path: SHACL result path (a property IRI or a SPARQL property path).
        shape: SHACL source shape IRI.
    """

    resource: str | None = None
    file: str | None = None
    row: int | None = None
    line: int | None = None
    column: int | None = None
    field: str | None = None
    value: str | None = None
    pointer: str | None = None
    focus_node: str | None = None
    path: str | None = None
    shape: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The location as a dictionary, leaving out the parts that are unknown."""
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) is not None}

    def short(self) -> str:
        """A compact human rendering, e.g. ``data/orgs.csv:14 (row 13) [members]``."""
        parts: list[str] = []
        where = self.file or self.resource or ""
        if self.line is not None:
            where += f":{self.line}"
        if where:
            parts.append(where)
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.field is not None:
            parts.append(f"column {self.field!r}")
        if self.pointer:
            parts.append(f"at {self.pointer}")
        if not parts and self.focus_node:
            parts.append(f"<{self.focus_node}>")
        return ", ".join(parts)


@dataclass(frozen=True, slots=True)
class Issue:
    """One finding. Immutable; create a changed copy with :func:`dataclasses.replace`.

    Attributes:
        stage: the stage that produced it.
        code: stable identifier of the kind of finding (documented in docs/findings.md).
        severity: error, warning or info.
        message: one-sentence explanation naming the value concerned.
        location: where it points.
        hint: what to change to fix it, if known.
    """

    stage: Stage
    code: str
    severity: Severity
    message: str
    location: Location = field(default_factory=Location)
    hint: str | None = None

    def sort_key(self) -> tuple[Any, ...]:
        """Stable order: stage, file, row, field, code, message."""
        loc = self.location
        return (
            self.stage.order,
            loc.resource or "",
            loc.file or "",
            loc.row if loc.row is not None else -1,
            loc.field or "",
            loc.pointer or "",
            self.code,
            loc.focus_node or "",
            loc.path or "",
            self.message,
        )

    def to_dict(self) -> dict[str, Any]:
        """The finding as a JSON-ready dictionary (part of :meth:`Report.to_dict`)."""
        out: dict[str, Any] = {
            "stage": self.stage.value,
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "location": self.location.to_dict(),
        }
        if self.hint:
            out["hint"] = self.hint
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Issue:
        """Rebuild a finding from :meth:`to_dict` output."""
        return cls(
            stage=Stage(data["stage"]),
            code=data["code"],
            severity=Severity(data["severity"]),
            message=data["message"],
            location=Location(**data.get("location", {})),
            hint=data.get("hint"),
        )


@dataclass(frozen=True, slots=True)
class Report:
    """The outcome of validating a package: findings plus a few counts.

    Attributes:
        package: the package folder or descriptor that was checked, as given.
        issues: findings in stable order (see :meth:`Issue.sort_key`).
        stats: counts such as ``rows`` and ``triples``.
    """

    package: str
    issues: tuple[Issue, ...] = ()
    stats: Mapping[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, package: str, issues: Iterable[Issue], stats: Mapping[str, int] | None = None) -> Report:
        """Build a report, sorting the findings into their stable order."""
        return cls(package, tuple(sorted(issues, key=Issue.sort_key)), dict(sorted((stats or {}).items())))

    @property
    def valid(self) -> bool:
        """True when there is no error (warnings and infos do not make a package invalid)."""
        return not any(i.severity is Severity.ERROR for i in self.issues)

    def fails(self, threshold: Severity = Severity.ERROR) -> bool:
        """True when a finding is at least as severe as ``threshold``."""
        return any(i.severity.rank >= threshold.rank for i in self.issues)

    def counts(self) -> dict[str, int]:
        """Number of findings per severity, always with the three keys."""
        c = Counter(i.severity.value for i in self.issues)
        return {s.value: c.get(s.value, 0) for s in Severity}

    def with_issues(self, extra: Iterable[Issue]) -> Report:
        """A new report with more findings merged in."""
        return Report.of(self.package, (*self.issues, *extra), self.stats)

    def with_stats(self, **stats: int) -> Report:
        """A new report with counts added or replaced."""
        return replace(self, stats=dict(sorted({**self.stats, **stats}.items())))

    def to_dict(self) -> dict[str, Any]:
        """The report as a JSON-ready dictionary: exactly what ``--format json`` prints."""
        return {
            "version": REPORT_FORMAT_VERSION,
            "package": self.package,
            "valid": self.valid,
            "counts": self.counts(),
            "stats": dict(self.stats),
            "issues": [i.to_dict() for i in self.issues],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Report:
        """Rebuild a report from :meth:`to_dict` output."""
        return cls(
            data["package"],
            tuple(Issue.from_dict(i) for i in data.get("issues", [])),
            dict(data.get("stats", {})),
        )
