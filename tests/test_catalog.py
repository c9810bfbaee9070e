"""The metadata a build publishes: the DCAT-AP 3 catalog (checked offline against the
official DCAT-AP 3.0.1 SHACL shapes), the schema.org description, VoID computed from the
graph, and the build provenance."""

from __future__ import annotations

import hashlib
import json
import random
import shutil
from pathlib import Path

import pyoxigraph
import pytest
from conftest import CASES, PERU, SHARED
from pyshacl import validate
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, PROV, RDF, SH, VOID, XSD

import sse_ld
from sse_ld.distinct import DistinctCounter

DCAT_AP = SHARED / "conformance" / "dcat-ap" / "3.0.1" / "html" / "shacl"
SPDX = "http://spdx.org/rdf/terms#"
BASE = "https://data.example.org/sse/peru/"
LINKED = CASES / "valid" / "linked-organisations"
ORGS = CASES / "valid" / "organisations"


@pytest.fixture(scope="module")
def peru(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("peru") / "out"
    opts = sse_ld.Options(download_base=BASE, issued="2025-06-30")
    assert sse_ld.build(PERU, out, opts).written
    return out


@pytest.fixture(scope="module")
def linked(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("linked") / "out"
    assert sse_ld.build(LINKED, out).written
    return out


def _shapes(name: str) -> Graph:
    path = DCAT_AP / name
    if not path.is_file():
        pytest.fail(f"the DCAT-AP shapes are missing: {path} (../shared/conformance/dcat-ap)")
    return Graph().parse(path, format="turtle")


def _results(data: Graph, shapes: str) -> list[tuple[str, str, str, str]]:
    """Top-level SHACL results as (severity, focus node, path, source shape constraint)."""
    _conforms, report, _text = validate(
        data, shacl_graph=_shapes(shapes), inference="none", do_owl_imports=False, allow_warnings=True
    )
    top = report.value(predicate=RDF.type, object=SH.ValidationReport)
    out = []
    for r in report.objects(top, SH.result):
        out.append(
            (
                str(report.value(r, SH.resultSeverity)).split("#")[1],
                str(report.value(r, SH.focusNode)),
                str(report.value(r, SH.resultPath)),
                str(report.value(r, SH.sourceConstraintComponent)).split("#")[1],
            )
        )
    return out


def _catalog(folder: Path) -> Graph:
    return Graph().parse(folder / "catalog.ttl", format="turtle")


@pytest.mark.parametrize("shapes", ["shapes.ttl", "range.ttl"])
@pytest.mark.parametrize("which", ["peru", "linked"])
def test_catalog_has_no_dcat_ap_violation(which: str, shapes: str, request: pytest.FixtureRequest) -> None:
    folder = request.getfixturevalue(which)
    assert _results(_catalog(folder), shapes) == []


def test_catalog_of_a_package_without_metadata_conforms(tmp_path: Path) -> None:
    assert sse_ld.build(ORGS, tmp_path / "o").written
    g = _catalog(tmp_path / "o")
    assert _results(g, "shapes.ttl") == [] and _results(g, "range.ttl") == []


def test_recommended_properties_only_warn_about_what_the_sources_do_not_give(peru: Path) -> None:
    """No bounding box or centroid is cited for Peru's areas (the UBIGEO coordinates are the
    capitals'), and the publisher's ADMS type is not stated: those stay warnings."""
    results = _results(_catalog(peru), "shapes_recommended.ttl")
    assert {r[0] for r in results} == {"Warning"}
    missing = {r[2] for r in results}
    assert missing == {str(DCAT.bbox), str(DCAT.centroid), str(DCTERMS.type)}
    assert len(results) == 2 * 27 + 1  # 25 departments, the country (data + EU authority), the publisher


def test_controlled_vocabulary_shapes_fail_only_on_the_spdx_spelling(peru: Path) -> None:
    """mdr-vocabularies.shape.ttl wants spdx:algorithm to match ^https://spdx.org/rdf/terms,
    while SPDX, the DCAT-AP specification and its other shapes use http://spdx.org/rdf/terms#.
    We emit the SPDX term; with the https spelling those results disappear."""
    g = _catalog(peru)
    violations = [r for r in _results(g, "mdr-vocabularies.shape.ttl") if r[0] == "Violation"]
    algorithm = f"{SPDX}algorithm"
    assert violations and {r[2] for r in violations} == {algorithm}
    assert len(violations) == len(set(g.subjects(RDF.type, DCAT.Distribution)))
    https = URIRef("https://spdx.org/rdf/terms#checksumAlgorithm_sha256")
    for c, _p, o in list(g.triples((None, URIRef(algorithm), None))):
        g.remove((c, URIRef(algorithm), o))
        g.add((c, URIRef(algorithm), https))
    g.add((https, RDF.type, URIRef(f"{SPDX}ChecksumAlgorithm")))
    assert [r for r in _results(g, "mdr-vocabularies.shape.ttl") if r[0] == "Violation"] == []


def test_download_links_sizes_and_checksums_are_right(peru: Path) -> None:
    g = _catalog(peru)
    sums = dict(reversed(line.split("  ", 1)) for line in (peru / "SHA256SUMS").read_text().splitlines())
    distributions = list(g.subjects(RDF.type, DCAT.Distribution))
    assert len(distributions) == 4
    for d in distributions:
        url = str(g.value(d, DCAT.downloadURL))
        assert url.startswith(BASE) and str(g.value(d, DCAT.accessURL)) == url
        name = url[len(BASE) :]
        data = (peru / name).read_bytes()
        assert int(g.value(d, DCAT.byteSize)) == len(data)
        checksum = g.value(d, URIRef(f"{SPDX}checksum"))
        value = g.value(checksum, URIRef(f"{SPDX}checksumValue"))
        assert value.datatype == XSD.hexBinary
        assert str(value) == hashlib.sha256(data).hexdigest() == sums[name]
        assert str(g.value(d, DCAT.mediaType)).startswith("http://www.iana.org/assignments/media-types/")
    dataset = g.value(predicate=RDF.type, object=DCAT.Dataset)
    assert str(g.value(dataset, DCTERMS.issued)) == "2025-06-30"
    assert {str(o) for o in g.objects(dataset, DCTERMS.conformsTo)} == {
        "https://w3id.org/sse-ld/ontology",
        "https://w3id.org/sse-ld/shapes",
    }
    titles = {o.language for o in g.objects(dataset, DCTERMS.title)}
    assert titles == {"en", "es"}
    assert (peru / "shapes" / "sse-shapes.ttl").is_file()


def test_spatial_coverage_is_peru_and_its_regions(peru: Path) -> None:
    g = _catalog(peru)
    dataset = g.value(predicate=RDF.type, object=DCAT.Dataset)
    spatial = {str(o) for o in g.objects(dataset, DCTERMS.spatial)}
    assert "http://publications.europa.eu/resource/authority/country/PER" in spatial
    assert "https://w3id.org/sse-ld/peru/area/pe" in spatial
    assert len([s for s in spatial if s.startswith("https://w3id.org/sse-ld/peru/area/")]) == 26
    temporal = g.value(dataset, DCTERMS.temporal)
    assert g.value(temporal, DCAT.startDate) <= g.value(temporal, DCAT.endDate)


def test_catalog_jsonld_is_the_same_graph(peru: Path) -> None:
    ttl = _catalog(peru)
    jsonld = Graph().parse(peru / "catalog.jsonld", format="json-ld")
    assert isomorphic(ttl, jsonld)


def test_the_download_base_is_configurable_and_checked(cli, tmp_path: Path) -> None:
    res = cli("build", ORGS, "--out", tmp_path / "a", "--download-base", "https://files.example.net/x", "-q")
    assert res.code == 0, res.err
    text = (tmp_path / "a" / "catalog.ttl").read_text()
    assert "<https://files.example.net/x/organisations.nt>" in text
    res = cli("build", ORGS, "--out", tmp_path / "b", "--download-base", "ftp://nope")
    assert res.code == 2 and "is not an http(s) URL" in res.err
    assert not (tmp_path / "b").exists()


def test_no_clock_time_unless_given(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert cli("build", ORGS, "--out", tmp_path / "a", "-q").code == 0
    g = _catalog(tmp_path / "a")
    assert not list(g.triples((None, DCTERMS.issued, None)))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert cli("build", ORGS, "--out", tmp_path / "b", "-q").code == 0
    g = _catalog(tmp_path / "b")
    assert Literal("2023-11-14", datatype=XSD.date) in set(g.objects(None, DCTERMS.issued))
    res = cli("build", ORGS, "--out", tmp_path / "c", "--issued", "2025-02-30")
    assert res.code == 2 and "not a calendar date" in res.err


def test_bad_catalog_metadata_is_an_input_error_naming_the_pointer(cli, tmp_path: Path) -> None:
    pkg = tmp_path / "pkg"
    shutil.copytree(LINKED, pkg)
    desc = json.loads((pkg / "datapackage.json").read_text())
    desc["sse_ld"]["catalog"]["themes"] = ["SOCI", "SSE"]
    (pkg / "datapackage.json").write_text(json.dumps(desc))
    res = cli("build", pkg, "--out", tmp_path / "out")
    assert res.code == 2
    assert "/sse_ld/catalog/themes/1: unknown EU data theme 'SSE'" in res.err
    assert not (tmp_path / "out").exists()


def test_schema_org_description_matches_the_catalog(peru: Path) -> None:
    doc = json.loads((peru / "schemaorg.jsonld").read_text())
    assert doc["@context"] == "https://schema.org/" and doc["@type"] == "Dataset"
    assert len(doc["description"]) >= 50 and doc["name"] == "Social and Solidarity Economy of Peru"
    assert doc["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert doc["datePublished"] == "2025-06-30"
    downloads = {d["contentUrl"]: d for d in doc["distribution"]}
    g = _catalog(peru)
    assert set(downloads) == {str(o) for o in g.objects(None, DCAT.downloadURL)}
    for url, d in downloads.items():
        assert d["sha256"] == hashlib.sha256((peru / url[len(BASE) :]).read_bytes()).hexdigest()
    assert "/" in doc["temporalCoverage"]


def _sparql_count(folder: Path, name: str, query: str) -> int:
    store = pyoxigraph.Store()
    store.bulk_load(path=str(folder / f"{name}.nt"), format=pyoxigraph.RdfFormat.N_TRIPLES)
    return int(next(iter(store.query(query)))[0].value)


@pytest.mark.parametrize("which, name", [("peru", "peru-sse"), ("linked", "linked-organisations")])
def test_void_counts_match_an_independent_count(which: str, name: str, request: pytest.FixtureRequest) -> None:
    folder = request.getfixturevalue(which)
    void = Graph().parse(folder / "void.ttl", format="turtle")
    ds = next(s for s in void.subjects(VOID.dataDump, None))
    assert str(void.value(ds, VOID.uriSpace)) == (
        "https://w3id.org/sse-ld/peru/" if which == "peru" else "https://example.org/test/"
    )

    def n(prop: URIRef, node: object = ds) -> int:
        return int(void.value(node, prop))

    assert n(VOID.triples) == _sparql_count(folder, name, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")
    assert n(VOID.distinctSubjects) == _sparql_count(folder, name, "SELECT (COUNT(DISTINCT ?s) AS ?n) { ?s ?p ?o }")
    assert n(VOID.distinctObjects) == _sparql_count(folder, name, "SELECT (COUNT(DISTINCT ?o) AS ?n) { ?s ?p ?o }")
    for part in void.objects(ds, VOID.classPartition):
        cls = void.value(part, VOID["class"])
        q = f"SELECT (COUNT(DISTINCT ?s) AS ?n) {{ ?s a <{cls}> }}"
        assert n(VOID.entities, part) == _sparql_count(folder, name, q), cls
    for part in void.objects(ds, VOID.propertyPartition):
        p = void.value(part, VOID.property)
        assert n(VOID.triples, part) == _sparql_count(folder, name, f"SELECT (COUNT(*) AS ?n) {{ ?s <{p}> ?o }}")
    dumps = {str(o) for o in void.objects(ds, VOID.dataDump)}
    assert any(d.endswith(f"{name}.nt") for d in dumps) and any(d.endswith(".nt.gz") for d in dumps)


def test_void_linksets_count_the_links_to_wikidata(linked: Path) -> None:
    void = Graph().parse(linked / "void.ttl", format="turtle")
    linksets = list(void.subjects(RDF.type, VOID.Linkset))
    assert len(linksets) == 1
    ls = linksets[0]
    assert str(void.value(ls, VOID.objectsTarget)) == "http://www.wikidata.org/"
    assert str(void.value(ls, VOID.linkPredicate)) == "http://www.w3.org/2002/07/owl#sameAs"
    assert int(void.value(ls, VOID.triples)) == 1


def test_build_provenance_lists_every_input_with_its_checksum(linked: Path) -> None:
    g = Graph().parse(linked / "build-provenance.ttl", format="turtle")
    activity = g.value(predicate=RDF.type, object=PROV.Activity)
    used = {str(u) for u in g.objects(activity, PROV.used)}
    for csv in sorted((LINKED / "data").glob("*.csv")):
        iri = f"https://example.org/test/source/data/{csv.name}"
        assert iri in used
        checksum = g.value(URIRef(iri), URIRef(f"{SPDX}checksum"))
        assert str(g.value(checksum, URIRef(f"{SPDX}checksumValue"))) == hashlib.sha256(csv.read_bytes()).hexdigest()
    report = next(g.subjects(RDF.type, SH.ValidationReport))
    assert g.value(report, SH.conforms).toPython() is True
    assert "0 error(s)" in str(g.value(report, URIRef("http://www.w3.org/2000/01/rdf-schema#comment")))
    tool = g.value(activity, PROV.wasAssociatedWith)
    assert str(g.value(tool, URIRef("https://schema.org/softwareVersion"))) == sse_ld.__version__
    assert not list(g.triples((None, PROV.endedAtTime, None)))  # no clock time without --issued


def test_rebuild_with_metadata_is_byte_identical(peru: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    sse_ld.build(PERU, again, sse_ld.Options(download_base=BASE, issued="2025-06-30"))
    for path in sorted(peru.rglob("*")):
        if path.is_file() and ".store" not in path.parts:
            assert (again / path.relative_to(peru)).read_bytes() == path.read_bytes(), path.name


def test_distinct_counter_cuts_large_partitions_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A partition larger than the memory budget is cut with another CRC seed, recursively;
    the count stays exact (empty and non-ASCII items included) and no file is left."""
    import sse_ld.distinct

    monkeypatch.setattr(sse_ld.distinct, "_PARTITION_BYTES", 40)
    rng = random.Random(3)
    items = [str(rng.randint(0, 5000)) for _ in range(30_000)] + ["", "", "ñandú"]
    with DistinctCounter(max_in_memory=777, tmpdir=tmp_path) as c:
        for item in items:
            c.add(item)
        assert c.count() == len(set(items))
        assert c.spilled > 10
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("cap", [1, 3, 1000])
def test_distinct_counter_is_exact_when_it_spills(cap: int) -> None:
    items = [f"<urn:x:{i % 37}>" for i in range(500)] + [f'"{i % 11}"' for i in range(200)]
    with DistinctCounter(max_in_memory=cap) as c:
        for item in items:
            c.add(item)
        assert c.count() == len(set(items))
        assert (c.spilled > 0) == (cap < len(set(items)))
