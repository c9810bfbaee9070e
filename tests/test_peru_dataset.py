"""The Peru dataset: reproducible from the cited sources, valid, complete, and with every
law, figure and area exactly as the sources give them.

Where ../shared/data is available (it is in CI), the built graph is checked against the
source tables themselves, not only against the derived CSV files of the package."""

from __future__ import annotations

import csv
import filecmp
import importlib.util
import itertools
import json
import shutil
from pathlib import Path
from types import ModuleType

import pytest
from conftest import PERU, SHARED
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, QB, RDF, SKOS

SSE = Namespace("https://w3id.org/sse-ld/ontology#")
# plain namespaces: pytest probes module attributes, which closed rdflib namespaces warn about
GEO = Namespace("http://www.opengis.net/ont/geosparql#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
PE = Namespace("https://w3id.org/sse-ld/peru/")
AREA = Namespace("https://w3id.org/sse-ld/peru/area/")
ORGTYPE = Namespace("https://w3id.org/sse-ld/code/organisation-type/")
STATUS = Namespace("https://w3id.org/sse-ld/code/legal-status/")
needs_shared = pytest.mark.skipif(not (SHARED / "data").is_dir(), reason="../shared/data is not beside the checkout")


@pytest.fixture(scope="module")
def graph(peru_dist: Path) -> Graph:
    g = Graph()
    g.parse(peru_dist / "peru-sse.nt", format="nt")
    return g


def _derive_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("derive", PERU / "scripts" / "derive.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _shared_csv(*parts: str) -> list[dict[str, str]]:
    with (SHARED / "data").joinpath(*parts).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


# --- reproducibility ---------------------------------------------------------------------


@needs_shared
def test_tables_are_reproducible_from_the_shared_sources(tmp_path: Path) -> None:
    derive = _derive_module()
    derive.derive(SHARED / "data", tmp_path)
    produced = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*.csv"))
    committed = sorted(p.relative_to(PERU) for p in (PERU / "data").rglob("*.csv"))
    assert produced == committed, "derive.py writes other tables than the package has"
    for rel in produced:
        assert filecmp.cmp(tmp_path / rel, PERU / rel, shallow=False), f"{rel} differs from derive.py's output"
    regions = (PERU.parents[1] / "ontology" / "regions" / "pe-ubigeo.ttl").read_text(encoding="utf-8")
    assert derive.derive_regions(SHARED / "data") == regions, "ontology/regions/pe-ubigeo.ttl is stale"


@needs_shared
def test_derive_refuses_a_ubigeo_file_that_is_not_the_pinned_one(tmp_path: Path) -> None:
    shared = tmp_path / "data"
    shutil.copytree(SHARED / "data", shared)
    dist = shared / "peru-ubigeo" / "ubigeo_distrito.csv"
    dist.chmod(0o644)
    dist.write_bytes(dist.read_bytes().replace(b"CHACHAPOYAS", b"CHACHAPOYA", 1))
    with pytest.raises(SystemExit, match="differs from the pinned"):
        _derive_module().derive(shared, tmp_path / "out")


# --- regions ------------------------------------------------------------------------------


def test_exact_counts_per_class(graph: Graph) -> None:
    def count(cls: URIRef) -> int:
        return len(set(graph.subjects(RDF.type, cls)))

    assert {
        "country": count(SSE.Country),
        "departments": count(SSE.FirstLevelArea),
        "provinces": count(SSE.SecondLevelArea),
        "districts": count(SSE.ThirdLevelArea),
        "ISO 3166-2 subdivisions": count(SSE.ISO3166Subdivision),
        "area groups": count(SSE.AreaGroup),
        "point geometries": count(GEO.Geometry),
        "laws and regulations": count(SSE.PolicyFramework),
        "legal expressions": count(ELI.LegalExpression),
        "policy needs": count(SSE.PolicyNeed),
        "networks": count(SSE.Network),
        "data sets": count(QB.DataSet),
        "observations": count(QB.Observation),
    } == {
        "country": 1,
        "departments": 25,
        "provinces": 196,
        "districts": 1893,
        "ISO 3166-2 subdivisions": 26,
        "area groups": 1,
        "point geometries": 25 + 196 + 1893 - 19,  # 19 recent districts have no coordinates
        "laws and regulations": 15,
        "legal expressions": 15,
        "policy needs": 1,
        "networks": 1,
        "data sets": 2,
        "observations": 21 + 21,  # every fact, and every figure read in a fact's note
    }


def test_inei_and_reniec_codes_are_distinct_typed_notations(graph: Graph) -> None:
    callao = AREA["070000"]
    assert (callao, SKOS.notation, Literal("070000", datatype=SSE.IneiUbigeo)) in graph
    assert (callao, SKOS.notation, Literal("240000", datatype=SSE.ReniecUbigeo)) in graph
    assert (callao, SKOS.prefLabel, Literal("CALLAO", lang="es")) in graph
    # the district without INEI code gets its RENIEC code in its IRI, and only that notation
    san_antonio = AREA["reniec-170107"]
    assert set(graph.objects(san_antonio, SKOS.notation)) == {Literal("170107", datatype=SSE.ReniecUbigeo)}
    assert (san_antonio, SKOS.broader, AREA["180100"]) in graph  # MARISCAL NIETO, found by name
    # the district without RENIEC code has only its INEI code
    assert set(graph.objects(AREA["150144"], SKOS.notation)) == {Literal("150144", datatype=SSE.IneiUbigeo)}


def test_iso_codes_are_close_matches_not_notations(graph: Graph) -> None:
    assert (AREA["150000"], SKOS.closeMatch, AREA["PE-LIM"]) in graph
    assert (AREA["150100"], SKOS.closeMatch, AREA["PE-LMA"]) in graph
    assert (AREA["070000"], SKOS.closeMatch, AREA["PE-CAL"]) in graph
    assert (AREA["070100"], SKOS.closeMatch, None) not in graph  # only the highest area carrying the code
    assert not list(graph.triples((None, SKOS.exactMatch, None)))
    iso_notations = [(s, o) for s, o in graph.subject_objects(SKOS.notation) if o.datatype == SSE.ISO3166_2]
    assert len(iso_notations) == 26
    assert all((s, RDF.type, SSE.ISO3166Subdivision) in graph for s, _ in iso_notations)
    assert (AREA["PE-LMA"], SKOS.prefLabel, Literal("LIMA PROVINCIA", lang="es")) in graph
    assert (AREA["PE-LIM"], GEO.sfWithin, AREA["150000"]) in graph
    closely_matched = {o for o in graph.objects(None, SKOS.closeMatch)}
    assert closely_matched == set(s for s, _ in iso_notations)  # every ISO code matches one UBIGEO area


def test_the_hierarchy_is_both_skos_broader_and_geo_sf_within(graph: Graph) -> None:
    levels = [(SSE.FirstLevelArea, SSE.Country), (SSE.SecondLevelArea, SSE.FirstLevelArea)]
    levels.append((SSE.ThirdLevelArea, SSE.SecondLevelArea))
    for cls, parent_cls in levels:
        for area in graph.subjects(RDF.type, cls):
            broader = set(graph.objects(area, SKOS.broader))
            assert len(broader) == 1 and broader == set(graph.objects(area, GEO.sfWithin)), area
            assert (next(iter(broader)), RDF.type, parent_cls) in graph, area
    chain = [AREA["150143"], AREA["150100"], AREA["150000"], AREA["pe"]]  # Villa María del Triunfo -> Peru
    for child, parent in itertools.pairwise(chain):
        assert (child, SKOS.broader, parent) in graph and (child, GEO.sfWithin, parent) in graph


def test_documented_rules_for_the_gaps_of_the_source(graph: Graph) -> None:
    # line breaks inside a capital name are collapsed to one space
    assert (AREA["010519"], SSE.capitalName, Literal("San Juan de Lopecancha", lang="es")) in graph
    assert not [o for o in graph.objects(None, SSE.capitalName) if "\n" in o or "  " in o]
    # NA and S.I. give no triple
    assert graph.value(AREA["050511"], SSE.surfaceArea) is None  # S.I.
    assert graph.value(AREA["050511"], SSE.capitalName) is not None
    assert graph.value(AREA["150144"], GEO.hasGeometry) is None  # NA coordinates
    assert not [o for o in graph.objects() if isinstance(o, Literal) and str(o) in ("NA", "S.I.")]


def test_points_are_wkt_longitude_latitude(graph: Graph) -> None:
    point = graph.value(AREA["150000"], GEO.hasGeometry)
    assert graph.value(point, GEO.asWKT) == Literal(
        "POINT(-77.0308333333333 -12.0452777777778)", datatype=GEO.wktLiteral
    )


@needs_shared
def test_every_area_of_the_source_is_there_with_its_name_and_codes(graph: Graph) -> None:
    for file, cls in (
        ("ubigeo_departamento.csv", SSE.FirstLevelArea),
        ("ubigeo_provincia.csv", SSE.SecondLevelArea),
        ("ubigeo_distrito.csv", SSE.ThirdLevelArea),
    ):
        rows = _shared_csv("peru-ubigeo", file)
        name = {"ubigeo_departamento.csv": "departamento", "ubigeo_provincia.csv": "provincia"}.get(file, "distrito")
        for r in rows:
            area = AREA[r["inei"] if r["inei"] != "NA" else "reniec-" + r["reniec"]]
            assert (area, RDF.type, cls) in graph, r["inei"]
            assert (area, SKOS.prefLabel, Literal(r[name], lang="es")) in graph, r["inei"]
            if r["reniec"] != "NA":
                assert (area, SKOS.notation, Literal(r["reniec"], datatype=SSE.ReniecUbigeo)) in graph
        assert len(set(graph.subjects(RDF.type, cls))) == len(rows)


# --- policy frameworks --------------------------------------------------------------------


@needs_shared
def test_every_law_with_only_the_dates_the_source_gives(graph: Graph) -> None:
    for row in _shared_csv("peru-sse-facts", "policy_frameworks.csv"):
        law = PE["law/" + row["policy_id"]]
        if row["identifier"] == "(none)":
            continue
        assert (law, RDF.type, SSE.PolicyFramework) in graph
        assert (law, RDF.type, ELI.LegalResource) in graph
        assert (law, RDF.type, URIRef("https://schema.org/Legislation")) in graph
        assert graph.value(law, ELI.id_local) == Literal(row["identifier"])
        expression = graph.value(law, ELI.is_realized_by)
        assert graph.value(expression, ELI.title) == Literal(row["title_es"], lang="es")
        assert str(graph.value(law, SSE.sourceNote)) == row["source"]
        assert graph.value(law, SSE.dateStatus) == Literal(row["date_status"], lang="en")
        for column, prop in (("date_document", ELI.date_document), ("date_publication", ELI.date_publication)):
            expected = Literal(row[column], datatype=XSD.date) if row[column] else None
            assert graph.value(law, prop) == expected, (row["policy_id"], column)


def test_relations_between_instruments_and_what_they_concern(graph: Graph) -> None:
    assert (PE["law/P02"], SSE.regulates, PE["law/P01"]) in graph
    assert (PE["law/P08"], ELI.amends, PE["law/P07"]) in graph
    assert (PE["law/P11"], SSE.replaces, PE["law/P10"]) in graph
    assert (PE["law/P11"], ELI.consolidates, PE["law/P09"]) in graph
    assert graph.value(PE["law/P10"], SSE.legalStatus) == STATUS["reemplazado"]
    six = {"club-de-madres", "comite-vaso-de-leche", "comedor-popular-autogestionario", "cocina-familiar"}
    six |= {"centro-familiar", "centro-materno-infantil"}
    assert set(graph.objects(PE["law/P01"], SSE.concernsOrganisationType)) == {ORGTYPE[t] for t in six}
    assert set(graph.objects(PE["law/P05"], SSE.concernsOrganisationType)) == {ORGTYPE["olla-comun"]}


def test_the_required_framework_law_is_a_policy_need_without_identifier(graph: Graph) -> None:
    need = PE["law/P16"]
    assert (need, RDF.type, SSE.PolicyNeed) in graph
    assert (need, RDF.type, SSE.PolicyFramework) not in graph
    assert graph.value(need, ELI.id_local) is None
    assert graph.value(need, DCTERMS.title) == Literal("Ley de Economía Social y Solidaria", lang="es")
    assert graph.value(need, SSE.legalStatus) == STATUS["requerido-no-promulgado"]
    assert "is required" in str(graph.value(need, SSE.sourceNote))


# --- statistics ---------------------------------------------------------------------------


def _obs(fid: str) -> URIRef:
    return PE[f"observation/{fid}"]


def test_the_founding_documents_2013_figures_exactly(graph: Graph) -> None:
    assert graph.value(_obs("F01"), SSE.value) == Literal("150000", datatype=XSD.decimal)
    assert graph.value(_obs("F02"), SSE.value) == Literal("2775", datatype=XSD.decimal)
    assert graph.value(_obs("F03"), SSE.value) == Literal("1930", datatype=XSD.decimal)
    assert graph.value(_obs("F01"), SSE.metric) == URIRef("https://w3id.org/sse-ld/code/metric/member-count")
    assert graph.value(_obs("F02"), SSE.organisationType) == ORGTYPE["comedor-popular-autogestionario"]
    assert graph.value(_obs("F03"), SSE.organisationType) == ORGTYPE["comedor-popular-subsidiado"]
    # two separate counts, with the ambiguity note kept
    assert "reading ambiguous" in str(graph.value(_obs("F02"), SKOS.note))
    assert "total 4 705 only if additive" in str(graph.value(_obs("F03"), SKOS.note))
    for fid in ("F01", "F02", "F03"):
        assert graph.value(_obs(fid), SSE.period) == Literal("2013")
        assert graph.value(_obs(fid), SSE.area) == AREA["150000"]
        assert graph.value(_obs(fid), SSE.areaAsGiven) == Literal("Lima (per GRESP text)")
        assert (_obs(fid), QB.dataSet, PE["statistics/sse-peru"]) in graph


@needs_shared
def test_every_fact_is_an_observation_with_its_value_status_and_source(graph: Graph) -> None:
    for row in _shared_csv("peru-sse-facts", "facts.csv"):
        obs = _obs(row["fact_id"])
        assert (obs, RDF.type, QB.Observation) in graph, row["fact_id"]
        assert graph.value(obs, SSE.value) == Literal(row["value"], datatype=XSD.decimal)
        assert graph.value(obs, DCTERMS.source) == URIRef(row["source_url"])
        status = str(graph.value(obs, SSE.observationStatus)).rsplit("/", 1)[1]
        assert status == row["status"].replace(" (date unverified)", "-date-unverified").replace(" ", "-")
        assert (graph.value(obs, SSE.period) or Literal("")) == Literal(row["reference_period"])
        assert (graph.value(obs, SKOS.note) or Literal("", lang="en")) == Literal(row["note"], lang="en")


def test_figures_read_in_notes_say_where_they_were_read(graph: Graph) -> None:
    for obs in graph.subjects(SSE.factId, None):
        fid = str(graph.value(obs, DCTERMS.identifier))
        if "." in fid:
            note = str(graph.value(obs, SKOS.note))
            assert note.startswith(f"read in the note of {graph.value(obs, SSE.factId)}: '"), fid
    assert graph.value(_obs("F19.11"), SSE.area) == AREA["PE-LIM"]  # "Lima Provincias"
    assert graph.value(_obs("F19.11"), SSE.value) == Literal("16", datatype=XSD.decimal)
    more_than = URIRef("https://w3id.org/sse-ld/code/value-qualifier/more-than")
    assert list(graph.subjects(SSE.valueQualifier, more_than)) == [_obs("F17")]


def test_gresp_is_the_network_a_source_names(graph: Graph) -> None:
    gresp = PE["organisation/gresp"]
    assert list(graph.subjects(RDF.type, SSE.Network)) == [gresp]
    assert graph.value(gresp, SSE.foundingYear) == Literal("1997", datatype=XSD.gYear)
    assert graph.value(gresp, SSE.organisationType) == ORGTYPE["red"]
    assert str(graph.value(gresp, DCTERMS.source)).startswith("https://www.ripess.org/")
    assert graph.value(_obs("F04"), SSE.organisation) == gresp
    assert graph.value(_obs("F04"), QB.dataSet) == PE["statistics/organisation-facts"]


def test_no_quechua_labels_since_no_source_gives_them(graph: Graph, peru_dist: Path) -> None:
    onto = Graph()
    for f in (peru_dist / "ontology").rglob("*.ttl"):
        onto.parse(f, format="turtle")
    langs = {o.language for g in (graph, onto) for o in g.objects() if isinstance(o, Literal) and o.language}
    assert langs == {"es", "en"}


# --- package --------------------------------------------------------------------------------


def test_package_credits_its_sources() -> None:
    dp = json.loads((PERU / "datapackage.json").read_text(encoding="utf-8"))
    titles = " ".join(s["title"] for s in dp["sources"])
    assert "Jesus M. Castagnetto" in titles and "GRESP" in titles
    assert (PERU / "data" / "ubigeo" / "LICENSE").read_text().startswith("MIT License")


def test_code_lists_are_the_only_list_of_allowed_codes() -> None:
    """Code-list columns are validated against the concept schemes (mapping ``codeList``),
    so no Table Schema keeps a second, hand-written list of the same codes."""
    dp = json.loads((PERU / "datapackage.json").read_text(encoding="utf-8"))
    mapping = json.loads((PERU / "mapping.json").read_text(encoding="utf-8"))
    for resource in dp["resources"]:
        coded = {p["column"] for p in mapping["resources"][resource["name"]].get("properties", []) if "codeList" in p}
        for field in resource["schema"]["fields"]:
            if field["name"] in coded:
                assert "enum" not in field.get("constraints", {}), (resource["name"], field["name"])


def test_a_broken_copy_names_file_row_and_column(peru_copy: Path, cli) -> None:
    csv_file = peru_copy / "data" / "observations.csv"
    csv_file.write_text(csv_file.read_text(encoding="utf-8").replace(",2775,", ",2775 aprox.,"), encoding="utf-8")
    res = cli("validate", peru_copy)
    assert res.code == 1
    assert "data/observations.csv" in res.out and "column 'value'" in res.out and "row 3" in res.out
