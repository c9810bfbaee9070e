"""The contributor documentation cannot drift: docs/findings.md is generated from the
catalogue, every finding code the code can produce is in the catalogue, the example reports
in the guides are what sse-ld prints today, and the guides cover every code list."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import CASES, ROOT

from sse_ld.codelists import code_lists
from sse_ld.messages import KINDS, render_findings_doc

GUIDES = [ROOT / "docs" / "contributing.en.md", ROOT / "docs" / "contributing.es.md"]
EXAMPLE = re.compile(
    r"<!-- report of tests/cases/invalid/(?P<case>[\w-]+) as (?P<name>[\w/-]+), lang (?P<lang>\w\w) -->\n"
    r"```text\n(?P<body>.*?)```\n",
    re.S,
)


def test_findings_doc_is_up_to_date() -> None:
    doc = (ROOT / "docs" / "findings.md").read_text(encoding="utf-8")
    assert doc == render_findings_doc(), "docs/findings.md is stale: python -m sse_ld.messages > docs/findings.md"


def test_every_code_the_source_can_produce_is_in_the_catalogue() -> None:
    source = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "sse_ld").rglob("*.py"))
    codes = set(
        re.findall(
            r'"((?:mapping|csv|table)-[a-z-]+|unknown-code|invalid-iri|invalid-lexical|duplicate-subject)"', source
        )
    )
    codes -= {"table-error"}  # frictionless's generic error type, never raised by a table here
    assert len(codes) > 15
    assert sorted(codes - set(KINDS)) == []


def test_every_kind_is_explained_in_both_languages() -> None:
    for kind in KINDS.values():
        for text in (kind.title, kind.explanation, kind.fix):
            assert (text.en.strip() and text.es.strip() and text.en != text.es) or kind.code.startswith("sh:"), kind
        assert len(kind.messages) == len(set(kind.messages)), kind.code


@pytest.mark.parametrize("guide", [*GUIDES, ROOT / "README.md"], ids=[*(g.name for g in GUIDES), "README.md"])
def test_example_reports_in_the_guides_are_current(guide: Path, cli, tmp_path: Path, monkeypatch) -> None:
    """Each example report is the output of validating a test case (copied under the name
    the example shows, unless it shows the case's own path)."""
    examples = list(EXAMPLE.finditer(guide.read_text(encoding="utf-8")))
    assert examples, f"{guide.name} shows no example report"
    for m in examples:
        if m["name"] == f"tests/cases/invalid/{m['case']}":
            monkeypatch.chdir(ROOT)
        else:
            shutil.copytree(CASES / "invalid" / m["case"], tmp_path / m["name"])
            monkeypatch.chdir(tmp_path)
        res = cli("validate", m["name"], "--lang", m["lang"])
        assert res.out == m["body"], f"the example report in {guide.name} is stale:\n{res.out}"


@pytest.mark.parametrize("guide", GUIDES, ids=[g.name for g in GUIDES])
def test_guides_cover_the_code_lists_and_the_commands(guide: Path) -> None:
    text = guide.read_text(encoding="utf-8")
    for cl in code_lists():
        name = cl.iri.rsplit("/", 1)[-1]
        if name in ("organisation-type", "areas"):
            assert f"`{name}`" in text
    for command in ("sse-ld init", "sse-ld validate", "sse-ld codes", "sse-ld explain", "--annotate"):
        assert command in text
    for link in re.findall(r"\]\(([\w.-]+\.(?:md|json))\)", text):
        assert (ROOT / "docs" / link).is_file(), link


def test_readme_points_contributors_to_the_guides() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docs/contributing.es.md" in readme and "docs/contributing.en.md" in readme
