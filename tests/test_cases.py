"""Data-driven cases: one folder per case under tests/cases/{valid,invalid}/.

A valid case holds a package and ``expected.ttl``: the build must succeed and its
N-Triples dump must be isomorphic to the expected graph. An invalid case holds a package
and ``expected.json``: validation must exit with the expected code and report exactly the
expected findings (code, severity and location). Run ``pytest --update-goldens`` to rewrite
the expected files from the current output (review the diff before committing).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import CASES
from rdflib import Graph
from rdflib.compare import isomorphic

VALID = sorted(p for p in (CASES / "valid").iterdir() if p.is_dir())
INVALID = sorted(p for p in (CASES / "invalid").iterdir() if p.is_dir())
KEYS = ("code", "severity", "stage", "resource", "row", "line", "field", "value", "pointer")


def _project(issue: dict) -> dict:
    loc = issue["location"]
    full = {**loc, "code": issue["code"], "severity": issue["severity"], "stage": issue["stage"]}
    return {k: full[k] for k in KEYS if full.get(k) is not None}


@pytest.mark.parametrize("case", VALID, ids=[p.name for p in VALID])
def test_valid_case(case: Path, tmp_path: Path, cli, update_goldens: bool) -> None:
    out = tmp_path / "out"
    res = cli("build", case, "--out", out, "--format", "json")
    assert res.code == 0, res.out + res.err
    assert json.loads(res.out)["issues"] == []
    name = json.loads((case / "datapackage.json").read_text(encoding="utf-8"))["name"]
    got = Graph().parse(out / f"{name}.nt", format="nt")
    exp_file = case / "expected.ttl"
    if update_goldens:
        exp_file.write_bytes((out / f"{name}.ttl").read_bytes())
    expected = Graph().parse(exp_file, format="turtle")
    assert isomorphic(got, expected), "the built graph differs from expected.ttl"


@pytest.mark.parametrize("case", INVALID, ids=[p.name for p in INVALID])
def test_invalid_case(case: Path, cli, update_goldens: bool) -> None:
    res = cli("validate", case, "--format", "json")
    exp_file = case / "expected.json"
    got = {"exit_code": res.code}
    if res.code in (0, 1):
        got["issues"] = sorted(
            (_project(i) for i in json.loads(res.out)["issues"]), key=lambda d: json.dumps(d, sort_keys=True)
        )
    else:
        got["stderr_contains"] = res.err.strip().splitlines()[0] if res.err.strip() else ""
    if update_goldens:
        exp_file.write_text(json.dumps(got, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    expected = json.loads(exp_file.read_text(encoding="utf-8"))
    assert res.code == expected["exit_code"], res.out + res.err
    assert "Traceback" not in res.err
    if "issues" in expected:
        assert got["issues"] == sorted(expected["issues"], key=lambda d: json.dumps(d, sort_keys=True))
    if "stderr_contains" in expected:
        assert expected["stderr_contains"] in res.err
