"""Data-driven cases: one folder per case under tests/cases/{valid,invalid}/.

A valid case holds a package and ``expected.ttl``: the build must succeed and its
N-Triples dump must be isomorphic to the expected graph. An invalid case holds a package
and ``expected.json``: validation must exit with the expected code and report exactly the
expected findings (code, severity and location). Run ``pytest --update-goldens`` to rewrite
the expected files from the current output (review the diff before committing).

``expected.json`` of an invalid case holds ``exit_code`` and either ``issues`` (every
finding, projected on :data:`KEYS`) or, for a case with more than :data:`SUMMARY_OVER`
findings, ``issue_count``, ``by_code`` and the ``first`` and ``last`` ten findings in report
order. Optional keys: ``args`` (extra command-line arguments, e.g. ``["--lang", "es"]``) and
``format``: 2 when locations include ``column`` and the lines of JSON-pointer findings;
files without it (format 1) are compared without those.
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
KEYS = ("code", "severity", "stage", "resource", "row", "line", "column", "field", "value", "pointer")
FORMAT = 2
SUMMARY_OVER = 200


def _project(issue: dict, fmt: int = FORMAT) -> dict:
    loc = issue["location"]
    full = {**loc, "code": issue["code"], "severity": issue["severity"], "stage": issue["stage"]}
    if fmt < 2:
        full.pop("column", None)
        if "pointer" in full:
            full.pop("line", None)
    return {k: full[k] for k in KEYS if full.get(k) is not None}


def _by_json(items: list[dict]) -> list[dict]:
    return sorted(items, key=lambda d: json.dumps(d, sort_keys=True))


def _expected_findings(report: dict, fmt: int) -> dict:
    issues = report["issues"]
    if len(issues) <= SUMMARY_OVER:
        return {"issues": _by_json([_project(i, fmt) for i in issues])}
    by_code: dict[str, int] = {}
    for i in issues:
        by_code[i["code"]] = by_code.get(i["code"], 0) + 1
    return {
        "issue_count": len(issues),
        "by_code": dict(sorted(by_code.items())),
        "first": [_project(i, fmt) for i in issues[:10]],
        "last": [_project(i, fmt) for i in issues[-10:]],
    }


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
    exp_file = case / "expected.json"
    previous = json.loads(exp_file.read_text(encoding="utf-8")) if exp_file.exists() else {}
    args = previous.get("args", [])
    fmt = FORMAT if update_goldens else previous.get("format", 1)
    res = cli("validate", case, "--format", "json", *args)
    got: dict = {"format": FORMAT, **({"args": args} if args else {}), "exit_code": res.code}
    if res.code in (0, 1):
        got.update(_expected_findings(json.loads(res.out), fmt))
    else:
        # The case folder's absolute path differs between checkouts: compare from the package name on.
        first = res.err.strip().splitlines()[0] if res.err.strip() else ""
        got["stderr_contains"] = first.replace(str(case), case.name)
    if update_goldens:
        exp_file.write_text(json.dumps(got, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    expected = json.loads(exp_file.read_text(encoding="utf-8"))
    assert res.code == expected["exit_code"], res.out + res.err
    assert "Traceback" not in res.err
    for key in ("issues", "issue_count", "by_code", "first", "last"):
        if key in expected:
            want = _by_json(expected[key]) if key == "issues" else expected[key]
            assert got.get(key) == want, f"{key} differ"
    assert ("issues" in expected) or ("issue_count" in expected) or ("stderr_contains" in expected)
    if "stderr_contains" in expected:
        assert expected["stderr_contains"] in res.err.replace(str(case), case.name)
