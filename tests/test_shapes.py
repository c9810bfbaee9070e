"""Every SHACL shape that reports (it has a message) is caught failing by at least one
invalid test case under tests/cases/invalid/shacl-*, and every such finding points at the
row it came from. The cases themselves (expected codes and locations) are checked by
tests/test_cases.py; this test checks that together they exercise the whole of shapes/."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CASES
from rdflib import URIRef
from rdflib.namespace import SH

import sse_ld
from sse_ld.report import Issue, Stage
from sse_ld.resources import shapes_files
from sse_ld.shacl import load_shapes

SHACL_CASES = sorted(p for p in (CASES / "invalid").iterdir() if p.is_dir() and p.name.startswith("shacl-"))


@pytest.fixture(scope="module")
def findings() -> dict[str, list[Issue]]:
    out = {}
    for case in SHACL_CASES:
        report = sse_ld.validate(case)
        out[case.name] = [i for i in report.issues if i.stage is Stage.SHACL]
    return out


def _reporting_shapes() -> set[str]:
    shapes = load_shapes(shapes_files())
    return {str(s) for s in shapes.subjects(SH.message, None) if isinstance(s, URIRef)}


def test_every_shape_is_caught_by_an_invalid_case(findings: dict[str, list[Issue]]) -> None:
    caught = {i.location.shape for issues in findings.values() for i in issues}
    missing = sorted(_reporting_shapes() - caught)
    assert missing == [], "shapes that no tests/cases/invalid/shacl-* case catches"


def test_there_is_something_to_cover() -> None:
    assert len(_reporting_shapes()) >= 75
    assert len(SHACL_CASES) >= 4


@pytest.mark.parametrize("case", SHACL_CASES, ids=[p.name for p in SHACL_CASES])
def test_every_shacl_finding_points_at_its_row(case: Path, findings: dict[str, list[Issue]]) -> None:
    issues = findings[case.name]
    assert issues, f"{case.name} has no SHACL finding"
    for i in issues:
        assert i.location.shape in _reporting_shapes(), i.to_dict()
        assert i.location.resource and i.location.row and i.location.file, i.to_dict()
        assert i.message and not i.message.startswith("the data does not meet"), i.to_dict()
