"""``sse-ld diff``: release notes between two builds, by class and by region."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest
from conftest import CASES, PERU

import sse_ld
from sse_ld.diff import literal_text, parse_nt_line
from sse_ld.publish import sha256_file

LINKED = CASES / "valid" / "linked-organisations"
EX = "https://example.org/test/"
SSE = "https://w3id.org/sse-ld/ontology#"


@pytest.fixture(scope="module")
def versions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """v1, and v2 with: organisation 1 renamed, 5 removed, 6 added (in BARRANCA, region LIMA),
    3's members changed, and the province CUSCO relabelled."""
    root = tmp_path_factory.mktemp("diff")
    pkg = root / "pkg"
    shutil.copytree(LINKED, pkg)
    out = {"v1": root / "v1", "v2": root / "v2"}
    assert sse_ld.build(pkg, out["v1"]).written
    orgs = pkg / "data" / "organisations.csv"
    text = orgs.read_text(encoding="utf-8")
    text = text.replace("Comedor de prueba Uno,", "Comedor de prueba Uno (renombrado),")
    text = text.replace("5,Olla común de prueba Cinco,olla-comun,0801,12,2021\n", "")
    text = text.replace("0801,120,1999", "0801,125,1999")
    text += "6,Cooperativa de prueba Seis,cooperativa,1502,60,2010\n"
    orgs.write_text(text, encoding="utf-8")
    prov = pkg / "data" / "provinces.csv"
    prov.write_text(prov.read_text(encoding="utf-8").replace("0801,08,CUSCO", "0801,08,CUSCO (provincia)"))
    assert sse_ld.build(pkg, out["v2"]).written
    return out


def test_counts_by_class_and_region(versions: dict[str, Path]) -> None:
    d = sse_ld.diff_builds(versions["v1"], versions["v2"])
    assert not d.identical
    c = d.counts
    assert (c["added"], c["removed"], c["changed"], c["label_changes"]) == (1, 1, 3, 2)
    org = d.by_class[SSE + "SSEOrganisation"]
    assert (org["old_entities"], org["new_entities"], org["added"], org["removed"], org["changed"]) == (5, 5, 1, 1, 2)
    assert d.by_class[SSE + "SecondLevelArea"]["changed"] == 1
    lima, cusco = EX + "area/15", EX + "area/08"
    assert dict(d.by_region[lima]) == {"added": 1, "changed": 1}  # org 6 added in BARRANCA, org 1 renamed
    assert dict(d.by_region[cusco]) == {"removed": 1, "changed": 2}  # org 5 removed, org 3 and the province changed
    assert d.region_labels[lima] == "LIMA"
    assert d.properties[SSE + "memberCount"] == 1
    labels = {(e, old[0], new[0]) for e, _p, old, new in d.label_changes}
    assert (EX + "organisation/1", "Comedor de prueba Uno@es", "Comedor de prueba Uno (renombrado)@es") in labels
    assert d.old["triples"] - org["old_triples"] == d.new["triples"] - org["new_triples"]


def test_markdown_and_json_release_notes(cli, versions: dict[str, Path]) -> None:
    res = cli("diff", versions["v1"], versions["v2"])
    assert res.code == 1, res.err
    md = res.out
    assert md.startswith("# Release notes: linked-organisations 0.0.1 → linked-organisations 0.0.1")
    for heading in ("## By class", "## By region", "## Label changes (2)", "## Added entities (1)"):
        assert heading in md
    assert "| `sse:SSEOrganisation` | 5 | 5 | 1 | 1 | 2 |" in md
    assert "| LIMA (<https://example.org/test/area/15>) | 1 | 0 | 1 |" in md
    res = cli("diff", versions["v1"], versions["v2"], "--format", "json")
    data = json.loads(res.out)
    assert data == sse_ld.diff_builds(versions["v1"], versions["v2"]).to_dict()
    assert data["counts"]["added"] == 1 and data["entities"]["added"][0]["entity"] == EX + "organisation/6"


def test_identical_builds_exit_0(cli, versions: dict[str, Path]) -> None:
    res = cli("diff", versions["v1"], versions["v1"])
    assert res.code == 0 and "the same triples" in res.out


def test_lists_are_capped_but_counts_are_exact(versions: dict[str, Path]) -> None:
    d = sse_ld.diff_builds(versions["v1"], versions["v2"], limit=1)
    assert d.counts["changed"] == 3 and len(d.entities["changed"]) == 1 and len(d.label_changes) == 1


def test_a_dump_not_in_canonical_order_is_sorted_first(versions: dict[str, Path], tmp_path: Path) -> None:
    shuffled = tmp_path / "shuffled"
    shutil.copytree(versions["v2"], shuffled, ignore=shutil.ignore_patterns(".store*"))
    dump = shuffled / "linked-organisations.nt"
    lines = dump.read_text(encoding="utf-8").splitlines(keepends=True)
    random.Random(7).shuffle(lines)
    dump.write_text("".join(lines), encoding="utf-8")
    sums = shuffled / "SHA256SUMS"
    digest = sha256_file(dump)
    sums.write_text(
        "".join(
            f"{digest}  {ln.split('  ', 1)[1]}\n" if ln.endswith("  linked-organisations.nt") else f"{ln}\n"
            for ln in sums.read_text().splitlines()
        )
    )
    a = sse_ld.diff_builds(versions["v1"], versions["v2"]).to_dict()
    b = sse_ld.diff_builds(versions["v1"], shuffled).to_dict()
    a["new"].pop("path"), b["new"].pop("path")
    assert a == b


def test_regions_come_from_the_ontology_scheme(tmp_path: Path) -> None:
    """Peru's areas below the departments exist only in ontology/regions; a department
    changed in the data is placed in its own region. (Its name is also in the bundled area
    scheme, so the change is to its surface area: a renamed department would contradict the
    scheme, which SHACL reports.)"""
    pkg = tmp_path / "pkg"
    shutil.copytree(PERU, pkg)
    old, new = tmp_path / "old", tmp_path / "new"
    assert sse_ld.build(pkg, old).written
    deps = pkg / "data" / "ubigeo" / "departments.csv"
    deps.write_text(deps.read_text(encoding="utf-8").replace(",Cusco,71986.5,", ",Cusco,71986.6,", 1), encoding="utf-8")
    descriptor = pkg / "datapackage.json"  # a table pinned by its hash: update it
    desc = json.loads(descriptor.read_text(encoding="utf-8"))
    for res in desc["resources"]:
        if res.get("path") == "data/ubigeo/departments.csv" and "hash" in res:
            res["hash"] = f"sha256:{sha256_file(deps)}"
    descriptor.write_text(json.dumps(desc, ensure_ascii=False), encoding="utf-8")
    result = sse_ld.build(pkg, new)
    assert result.written, result.report.to_dict()
    d = sse_ld.diff_builds(old, new)
    cusco = "https://w3id.org/sse-ld/peru/area/080000"
    assert d.counts["changed"] == 1 and dict(d.by_region[cusco]) == {"changed": 1}
    assert dict(d.properties) == {"https://w3id.org/sse-ld/ontology#surfaceArea": 1}
    assert d.label_changes == []


def test_diff_errors(cli, tmp_path: Path, versions: dict[str, Path]) -> None:
    res = cli("diff", tmp_path, versions["v1"])
    assert res.code == 2 and "not an sse-ld build folder" in res.err
    res = cli("diff", versions["v1"], versions["v2"], "--limit", "-1")
    assert res.code == 2


@pytest.mark.parametrize(
    "line, parsed",
    [
        ('<a:s> <a:p> "x y"@es .\n', ("<a:s>", "a:p", '"x y"@es')),
        ("<a:s> <a:p> <a:o> .", ("<a:s>", "a:p", "<a:o>")),
        ("_:b1 <a:p> <a:o> .", ("_:b1", "a:p", "<a:o>")),
        ("# comment\n", None),
        ("\n", None),
    ],
)
def test_ntriples_lines(line: str, parsed: tuple[str, str, str] | None) -> None:
    assert parse_nt_line(line) == parsed


def test_literal_text_unescapes() -> None:
    assert literal_text('"a\\"b\\nc\\u00e9"@es') == ('a"b\nc\u00e9', "es")
    assert literal_text('"5"^^<http://www.w3.org/2001/XMLSchema#integer>') == ("5", "")
    assert literal_text("<a:b>") is None
