"""The sse-ld command: exit codes, formats, messages, and documentation that cannot drift."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CASES, PERU, ROOT

import sse_ld
from sse_ld.cli import make_parser

ORGS = CASES / "valid" / "organisations"


def test_exit_0_on_a_valid_package(cli) -> None:
    res = cli("validate", PERU)
    assert res.code == 0
    assert "valid" in res.out


def test_exit_1_on_invalid_data_naming_file_row_and_column(cli) -> None:
    res = cli("validate", CASES / "invalid" / "table-type-error")
    assert res.code == 1
    assert "data/organisations.csv" in res.out and "column 'members'" in res.out
    assert "row 3" in res.out and "'cuarenta'" in res.out


def test_exit_2_on_a_missing_package(cli, tmp_path: Path) -> None:
    res = cli("validate", tmp_path / "nope")
    assert res.code == 2
    assert "no datapackage.json found" in res.err
    assert "Traceback" not in res.err


def test_exit_2_on_malformed_json(cli, tmp_path: Path) -> None:
    (tmp_path / "datapackage.json").write_text('{"name": "x", "resources": [}')
    res = cli("validate", tmp_path)
    assert res.code == 2
    assert "datapackage.json" in res.err and "not valid JSON" in res.err and "line 1" in res.err


def test_exit_2_on_a_usage_error(cli) -> None:
    res = cli("build", PERU)  # --out is required
    assert res.code == 2
    assert "--out" in res.err


def test_exit_2_on_an_unsafe_path(cli, tmp_path: Path) -> None:
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "datapackage.json").write_text(
        json.dumps({"name": "x", "resources": [{"name": "r", "path": "../secret.csv", "schema": {"fields": []}}]})
    )
    res = cli("validate", pkg)
    assert res.code == 2
    assert "'..'" in res.err and "inside the package folder" in res.err


def test_exit_3_on_an_internal_error(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    def bug(*a: object, **k: object) -> None:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr("sse_ld.cli.validate.validate", bug)
    res = cli("validate", PERU)
    assert res.code == 3
    assert "internal error" in res.err and "ZeroDivisionError" in res.err


def test_json_output_is_exactly_the_library_report(cli) -> None:
    case = CASES / "invalid" / "shacl-women-more-than-members"
    res = cli("validate", case, "--format", "json")
    assert json.loads(res.out) == sse_ld.validate(case).to_dict()


def test_build_json_output_is_the_report(cli, tmp_path: Path) -> None:
    res = cli("build", ORGS, "--out", tmp_path / "o", "--format", "json")
    assert res.code == 0
    assert json.loads(res.out) == sse_ld.validate(ORGS).to_dict()


def test_build_refused_on_errors_exits_1_and_writes_nothing(cli, tmp_path: Path) -> None:
    res = cli("build", CASES / "invalid" / "table-enum", "--out", tmp_path / "o")
    assert res.code == 1
    assert not (tmp_path / "o").exists()
    assert "nothing written" in res.err


def test_text_report_is_grouped_and_capped(cli, tmp_path: Path) -> None:
    import shutil

    pkg = tmp_path / "pkg"
    shutil.copytree(ORGS, pkg)
    rows = "".join(f"{100 + i},Org {i},,club-de-madres,01,,many,,,,\n" for i in range(1000))
    with (pkg / "data" / "organisations.csv").open("a") as f:
        f.write(rows)
    res = cli("validate", pkg, "--max-per-group", "3", "--lang", "en")
    assert res.code == 1
    assert "1000 findings" in res.out
    assert "... and 997 more like these (rows 9 to 1005)" in res.out
    assert len(res.out.splitlines()) < 20


def test_python_dash_m_runs_the_cli() -> None:
    proc = subprocess.run([sys.executable, "-m", "sse_ld", "--version"], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == f"sse-ld {sse_ld.__version__}"


def _help_texts() -> dict[str, str]:
    parser = make_parser()
    texts = {"sse-ld": parser.format_help()}
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    for name, p in sub.choices.items():
        texts[f"sse-ld {name}"] = p.format_help()
    return texts


def render_cli_reference() -> str:
    """The body of docs/cli.md, generated from the parser."""
    parts = [
        "# sse-ld command reference",
        "",
        "Generated from `sse-ld --help`; `tests/test_cli.py` fails when this file is out of date.",
        "Regenerate with `python tests/test_cli.py > docs/cli.md`.",
        "",
    ]
    for title, text in _help_texts().items():
        parts += [f"## `{title}`", "", "```text", text.rstrip(), "```", ""]
    return "\n".join(parts)


def test_cli_reference_is_up_to_date() -> None:
    doc = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert doc == render_cli_reference(), "docs/cli.md is stale: python tests/test_cli.py > docs/cli.md"


def test_readme_documents_exit_codes_and_every_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in _help_texts():
        if name != "sse-ld":
            assert f"`{name}" in readme, f"README does not mention {name}"
    for code in ("0", "1", "2", "3"):
        assert f"| {code} |" in readme


if __name__ == "__main__":
    print(render_cli_reference(), end="")


def test_mapping_docs_cover_every_key_of_the_schema() -> None:
    schema = json.loads((ROOT / "sse_ld" / "schemas" / "mapping-1.schema.json").read_text())
    doc = (ROOT / "docs" / "mapping.md").read_text(encoding="utf-8")
    keys = set(schema["properties"])
    for definition in schema["$defs"].values():
        keys |= set(definition.get("properties", {}))
    missing = sorted(k for k in keys if f"`{k}`" not in doc)
    assert missing == [], f"docs/mapping.md does not document: {missing}"


def test_mapping_docs_list_every_mapping_finding_code() -> None:
    import re

    doc = (ROOT / "docs" / "mapping.md").read_text(encoding="utf-8")
    source = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "sse_ld").rglob("*.py"))
    codes = set(
        re.findall(r'"((?:mapping-[a-z-]+)|unknown-code|invalid-iri|invalid-lexical|duplicate-subject)"', source)
    )
    assert codes and sorted(c for c in codes if f"`{c}`" not in doc) == []
