"""The Peru dataset: reproducible from the cited sources, valid, and with the right facts."""

from __future__ import annotations

import filecmp
import importlib.util
from pathlib import Path

import pytest
from conftest import PERU, SHARED
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, SKOS, XSD

import sse_ld

SSE = Namespace("https://w3id.org/sse-ld/ontology#")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
QB = Namespace("http://purl.org/linked-data/cube#")
PE = Namespace("https://w3id.org/sse-ld/peru/")


@pytest.fixture(scope="module")
def graph(tmp_path_factory: pytest.TempPathFactory) -> Graph:
    out = tmp_path_factory.mktemp("peru") / "out"
    result = sse_ld.build(PERU, out)
    assert result.written
    assert result.report.issues == (), [i.to_dict() for i in result.report.issues]
    g = Graph()
    g.parse(out / "peru-sse.nt", format="nt")
    return g


@pytest.mark.skipif(not (SHARED / "data").is_dir(), reason="../shared/data is not beside the checkout")
def test_tables_are_reproducible_from_the_shared_sources(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("derive", PERU / "scripts" / "derive.py")
    assert spec and spec.loader
    derive = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(derive)
    derive.derive(SHARED / "data", tmp_path)
    produced = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*.csv"))
    assert produced, "derive.py wrote nothing"
    for rel in produced:
        assert filecmp.cmp(tmp_path / rel, PERU / rel, shallow=False), f"{rel} differs from derive.py's output"
    regions = (PERU.parents[1] / "ontology" / "regions" / "pe-ubigeo.ttl").read_text(encoding="utf-8")
    assert derive.derive_regions(SHARED / "data") == regions, "ontology/regions/pe-ubigeo.ttl is stale"


def test_the_25_departments(graph: Graph) -> None:
    departments = set(graph.subjects(RDF.type, SSE.FirstLevelArea))
    assert len(departments) == 25
    lima = PE["area/150000"]
    assert (lima, SKOS.prefLabel, Literal("LIMA", lang="es")) in graph
    assert (lima, SKOS.notation, Literal("150000", datatype=SSE.IneiUbigeo)) in graph
    assert (lima, SKOS.notation, Literal("PE-LIM", datatype=SSE.ISO3166_2)) in graph
    callao = PE["area/070000"]
    assert (callao, SKOS.notation, Literal("240000", datatype=SSE.ReniecUbigeo)) in graph
    assert all((d, SKOS.broader, PE["area/pe"]) in graph for d in departments)


def test_the_founding_documents_2013_figures_exactly(graph: Graph) -> None:
    def obs(fid: str) -> URIRef:
        return PE[f"observation/{fid}"]

    assert graph.value(obs("F01"), SSE.value) == Literal("150000", datatype=XSD.decimal)
    assert graph.value(obs("F02"), SSE.value) == Literal("2775", datatype=XSD.decimal)
    assert graph.value(obs("F03"), SSE.value) == Literal("1930", datatype=XSD.decimal)
    assert str(graph.value(obs("F03"), SSE.organisationType)).endswith("/comedor-popular-subsidiado")
    assert "total 4 705 only if additive" in str(graph.value(obs("F03"), SKOS.note))
    for fid in ("F01", "F02", "F03"):
        assert graph.value(obs(fid), SSE.period) == Literal("2013")
        assert (obs(fid), QB.dataSet, PE["statistics/sse-peru"]) in graph


def test_every_law_with_only_its_verified_fields(graph: Graph) -> None:
    laws = set(graph.subjects(RDF.type, SSE.PolicyFramework))
    assert len(laws) == 15
    ley_25307 = PE["law/P01"]
    assert graph.value(ley_25307, ELI.id_local) == Literal("Ley N° 25307")
    assert graph.value(ley_25307, ELI.date_publication) == Literal("1991-02-15", datatype=XSD.date)
    # P05 has no verified date: none is published
    assert graph.value(PE["law/P05"], ELI.date_publication) is None
    assert graph.value(PE["law/P05"], ELI.date_document) is None
    need = PE["law/P16"]
    assert (need, RDF.type, SSE.PolicyNeed) in graph
    assert graph.value(need, ELI.id_local) is None


def test_package_credits_its_sources() -> None:
    import json

    dp = json.loads((PERU / "datapackage.json").read_text(encoding="utf-8"))
    titles = " ".join(s["title"] for s in dp["sources"])
    assert "Jesus M. Castagnetto" in titles and "GRESP" in titles
    assert (PERU / "data" / "ubigeo" / "LICENSE").read_text().startswith("MIT License")


def test_a_broken_copy_names_file_row_and_column(peru_copy: Path, cli) -> None:
    csv = peru_copy / "data" / "observations.csv"
    csv.write_text(csv.read_text(encoding="utf-8").replace(",2775,", ",2775 aprox.,"), encoding="utf-8")
    res = cli("validate", peru_copy)
    assert res.code == 1
    assert "data/observations.csv" in res.out and "column 'value'" in res.out and "row 3" in res.out
