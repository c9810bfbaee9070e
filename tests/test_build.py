"""Building: the published files, their determinism, their parsing by independent parsers,
and the atomic replacement of the output folder."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pyoxigraph
import pytest
from conftest import CASES, PERU
from rdflib import Graph
from rdflib.compare import isomorphic

import sse_ld

ORGS = CASES / "valid" / "organisations"


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _oxigraph(path: Path, fmt: pyoxigraph.RdfFormat) -> Graph:
    """Parse with Oxigraph (an independent Rust parser) and hand the triples to rdflib as
    N-Triples, so the two parsers' graphs can be compared."""
    triples = pyoxigraph.parse(path=str(path), format=fmt)
    lines = "".join(f"{t} .\n" for t in triples)
    return Graph().parse(data=lines, format="nt")


@pytest.fixture(scope="module")
def peru_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("peru") / "out"
    result = sse_ld.build(PERU, out)
    assert result.written and result.report.valid, result.report.to_dict()
    return out


def test_build_writes_the_documented_files(peru_build: Path) -> None:
    names = set(_files(peru_build))
    for expected in (
        "peru-sse.ttl",
        "peru-sse.nt",
        "peru-sse.jsonld",
        "context.jsonld",
        "provenance.nt",
        "report.json",
        "SHA256SUMS",
        "ontology/sse.ttl",
    ):
        assert expected in names


def test_checksums_match_the_files(peru_build: Path) -> None:
    lines = (peru_build / "SHA256SUMS").read_text().splitlines()
    listed = {}
    for line in lines:
        digest, name = line.split("  ", 1)
        listed[name] = digest
    assert set(listed) == set(_files(peru_build)) - {"SHA256SUMS"}
    for name, digest in listed.items():
        assert hashlib.sha256((peru_build / name).read_bytes()).hexdigest() == digest


def test_rebuild_is_byte_identical(peru_build: Path, tmp_path: Path) -> None:
    second = tmp_path / "again"
    sse_ld.build(PERU, second)
    assert _files(second) == _files(peru_build)


def test_ntriples_follow_the_canonical_streaming_order(peru_build: Path) -> None:
    """Each resource's rows together and in file order, referenced resources first, each
    subject's triples together (the order documented in sse_ld.engine)."""
    from sse_ld.ntriples import read_blocks

    lines = (peru_build / "peru-sse.nt").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(set(lines))
    subjects = [s for s, _ in read_blocks(peru_build / "peru-sse.nt")]
    assert len(subjects) == len(set(subjects)), "a subject's triples are split"
    prov = dict(
        line.split(" <http://www.w3.org/ns/prov#wasDerivedFrom> ")
        for line in (peru_build / "provenance.nt").read_text(encoding="utf-8").splitlines()
    )
    descriptor = json.loads((PERU / "datapackage.json").read_text())
    by_path = {r["path"]: r for r in descriptor["resources"]}
    runs: list[str] = []
    rows: dict[str, list[int]] = {}
    for s in subjects:
        source = prov[f"<{s}>"].rstrip(" .").strip("<>")
        path, row = source.split("/source/", 1)[1].split("#row=")
        if not runs or runs[-1] != path:
            runs.append(path)
        rows.setdefault(path, []).append(int(row))
    assert len(runs) == len(set(runs)), "a resource's rows are not together"
    assert all(r == sorted(r) for r in rows.values())
    names = {r["name"]: r["path"] for r in descriptor["resources"]}

    def refs(path: str) -> set[str]:
        out = set()
        for fk in by_path[path]["schema"].get("foreignKeys", []):
            out.add(names.get(fk["reference"].get("resource") or by_path[path]["name"]))
        return out - {path}

    for path in runs:
        for target in refs(path):
            if target in runs and path not in refs(target):  # a cycle keeps the datapackage.json order
                assert runs.index(target) < runs.index(path), f"{target} should come before {path}"


@pytest.mark.parametrize(
    "dump, fmt, ox",
    [
        ("peru-sse.ttl", "turtle", pyoxigraph.RdfFormat.TURTLE),
        ("peru-sse.jsonld", "json-ld", pyoxigraph.RdfFormat.JSON_LD),
        ("peru-sse.nt", "nt", pyoxigraph.RdfFormat.N_TRIPLES),
    ],
)
def test_every_dump_is_the_same_graph_in_rdflib_and_oxigraph(peru_build: Path, dump: str, fmt: str, ox) -> None:
    reference = Graph().parse(peru_build / "peru-sse.nt", format="nt")
    by_rdflib = Graph().parse(peru_build / dump, format=fmt)
    by_oxigraph = _oxigraph(peru_build / dump, ox)
    assert len(reference) > 500
    assert isomorphic(by_rdflib, reference)
    assert isomorphic(by_oxigraph, reference)


def test_provenance_points_every_subject_to_its_row(peru_build: Path) -> None:
    prov = Graph().parse(peru_build / "provenance.nt", format="nt")
    main = Graph().parse(peru_build / "peru-sse.nt", format="nt")
    subjects = set(main.subjects())
    assert {s for s, _, _ in prov} == subjects
    sources = {str(o) for o in prov.objects()}
    assert "https://w3id.org/sse-ld/peru/source/data/ubigeo/departments.csv#row=2" in sources


def test_report_json_is_the_report(peru_build: Path) -> None:
    report = json.loads((peru_build / "report.json").read_text())
    assert report["valid"] is True and report["issues"] == []
    assert report["stats"]["triples"] == len((peru_build / "peru-sse.nt").read_text().splitlines())


def test_errors_block_publication_and_keep_previous_output(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert sse_ld.build(ORGS, out).written
    before = _files(out)
    bad = CASES / "invalid" / "table-type-error"
    result = sse_ld.build(bad, out)
    assert not result.written and not result.report.valid
    assert _files(out) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.tmp")] == []


def test_force_publishes_despite_errors(tmp_path: Path) -> None:
    result = sse_ld.build(CASES / "invalid" / "table-type-error", tmp_path / "out", force=True)
    assert result.written
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert report["valid"] is False


def test_a_folder_not_written_by_sse_ld_is_never_replaced(tmp_path: Path) -> None:
    precious = tmp_path / "mine"
    precious.mkdir()
    (precious / "thesis.docx").write_text("years of work")
    with pytest.raises(sse_ld.OutputError, match="not written by sse-ld"):
        sse_ld.build(ORGS, precious)
    assert (precious / "thesis.docx").read_text() == "years of work"


def test_a_failing_writer_leaves_the_previous_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    sse_ld.build(ORGS, out)
    before = _files(out)
    from sse_ld.writers import Serializer

    spell = Serializer.spell
    calls = []

    def failing(self: Serializer, subject: str, pairs: list[Any]) -> object:
        calls.append(1)
        if len(calls) == 3:  # half-way through the dumps
            raise OSError(28, "No space left on device")
        return spell(self, subject, pairs)

    monkeypatch.setattr(Serializer, "spell", failing)
    with pytest.raises(OSError):
        sse_ld.build(ORGS, out)
    assert _files(out) == before
    assert not [p for p in tmp_path.iterdir() if ".tmp-" in p.name]


def test_rebuild_replaces_the_output(tmp_path: Path) -> None:
    src = tmp_path / "pkg"
    shutil.copytree(ORGS, src)
    out = tmp_path / "out"
    sse_ld.build(src, out)
    csv = src / "data" / "organisations.csv"
    csv.write_text(csv.read_text().replace("Comedor Santa Rosa", "Comedor Santa Rosa de Lima"))
    sse_ld.build(src, out)
    assert "Santa Rosa de Lima" in (out / "organisations.ttl").read_text()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.") and not p.name.endswith(".lock")]


def test_base_iri_is_configurable(tmp_path: Path) -> None:
    out = tmp_path / "out"
    sse_ld.build(ORGS, out, sse_ld.Options(base="https://data.example.net/sse/"))
    text = (out / "organisations.nt").read_text()
    assert "<https://data.example.net/sse/organisation/1>" in text
    assert "https://example.org/test/organisation/" not in text


def test_output_is_utf8_with_unix_newlines(peru_build: Path) -> None:
    for name, data in _files(peru_build).items():
        if name.endswith(".gz"):
            data = gzip.decompress(data)
        data.decode("utf-8")
        assert b"\r\n" not in data, name
    assert os.path.getsize(peru_build / "peru-sse.ttl") > 0
