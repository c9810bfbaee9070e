"""The canned research queries shipped with the Peru dataset (datasets/peru-sse/queries/):
each is documented in Spanish and English, is standard SPARQL, and gives exactly the answer
below when run with Oxigraph over the built dump plus the ontology files published with it.

The expected answers are the figures of the cited sources (../shared/data), written out so
that a change in the data, the mapping or a query shows up here."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import PERU, SHARED
from peru_store import load_store, select
from rdflib.plugins.sparql import prepareQuery

QUERIES = PERU / "queries"
AREA = "https://w3id.org/sse-ld/peru/area/"
ALL = sorted(QUERIES.glob("*.rq"))
HEADER = re.compile(r"^# (title|description|param)(@es)?: (.+)$")


@pytest.fixture(scope="module")
def store(peru_dist: Path) -> ox.Store:
    return load_store(peru_dist)


def run(store: ox.Store, name: str, **bindings: str) -> list[tuple[object, ...]]:
    return select(store, (QUERIES / f"{name}.rq").read_text(encoding="utf-8"), **bindings)


def _headers(path: Path) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        m = HEADER.match(line)
        assert m, f"{path.name}: header line not understood: {line!r}"
        out.setdefault(m.group(1) + (m.group(2) or ""), []).append(m.group(3))
    return out


def test_there_are_at_least_ten_queries_and_each_is_tested() -> None:
    assert len(ALL) >= 10
    tested = {name for name in re.findall(r'run\(store, "([a-z0-9-]+)"', Path(__file__).read_text(encoding="utf-8"))}
    assert {p.stem for p in ALL} == tested, "every query needs a test of its exact answer"


@pytest.mark.parametrize("path", ALL, ids=[p.stem for p in ALL])
def test_query_is_documented_in_both_languages_and_standard(path: Path) -> None:
    headers = _headers(path)
    for key in ("title", "title@es", "description", "description@es"):
        assert len(headers.get(key, [])) == 1, f"{path.name}: needs exactly one '# {key}:' line"
    text = path.read_text(encoding="utf-8")
    for param in headers.get("param", []):
        name, sep, meaning = param.partition(" — ")
        assert sep and meaning.strip(), f"{path.name}: write '# param: name — meaning'"
        assert f"?{name}" in text, f"{path.name}: the parameter ?{name} is not used"
    prepareQuery(text)  # a second, independent SPARQL parser (rdflib) accepts it too


def test_comedores_in_lima_in_2013(store: ox.Store) -> None:
    rows = run(store, "comedores-lima-2013")
    assert [r[:4] for r in rows] == [
        ("F01", "self-managed popular soup kitchen", "number of members", 150000),
        ("F02", "self-managed popular soup kitchen", "number of organisations", 2775),
        ("F03", "State-subsidised popular soup kitchen", "number of organisations", 1930),
    ]
    # the F02/F03 reading note travels with the figures
    assert "reading ambiguous" in str(rows[1][4])
    assert "total 4 705 only if additive" in str(rows[2][4])


def test_laws_on_comedores(store: ox.Store) -> None:
    assert run(store, "laws-on-comedores") == [
        ("DS N° 041-2002-PCM", "in force", None),
        ("Ley N° 25307", "in force", "1991-02-15"),
        ("Ley N° 27731", "in force", None),
        ("Ley N° 30790", "in force", "2018-06-11"),
    ]


def test_cooperatives_by_kind_in_2017(store: ox.Store) -> None:
    assert run(store, "cooperatives-by-kind-2017") == [
        ("agrarian cooperative", 395),
        ("savings and credit cooperative", 347),
        ("multiple-services cooperative", 155),
        ("special-services cooperative", 132),
        ("housing cooperative", 93),
        ("other cooperative", 83),
        ("mining cooperative", 20),
        ("transport cooperative", 20),
    ]


def test_the_cooperative_breakdowns_add_up_to_the_census_total(store: ox.Store) -> None:
    assert run(store, "cooperative-census-check") == [(1245, 1245, 1245)]


def test_ollas_comunes_by_region_in_the_2022_register(store: ox.Store) -> None:
    rows = run(store, "ollas-comunes-by-region-2022")
    assert rows == [
        ("Lima Metropolitana", AREA + "PE-LMA", 2476),
        ("Callao", AREA + "070000", 242),
        ("La Libertad", AREA + "130000", 214),
        ("Arequipa", AREA + "040000", 117),
        ("Piura", AREA + "200000", 102),
        ("Junín", AREA + "120000", 95),
        ("Huánuco", AREA + "100000", 50),
        ("Lambayeque", AREA + "140000", 41),
        ("Ayacucho", AREA + "050000", 22),
        ("Áncash", AREA + "020000", 20),
        ("Lima Provincias", AREA + "PE-LIM", 16),
        ("Ica", AREA + "110000", 10),
        ("Amazonas", AREA + "010000", 5),
        ("Cajamarca", AREA + "060000", 1),
    ]
    assert sum(int(str(r[2])) for r in rows) == 3411  # the register's national total (F19)


def test_districts_of_a_department(store: ox.Store) -> None:
    callao = run(store, "districts-of-department", department=AREA + "070000")
    assert [(r[1], r[2], r[3]) for r in callao] == [
        ("CALLAO", "BELLAVISTA", "070102"),
        ("CALLAO", "CALLAO", "070101"),
        ("CALLAO", "CARMEN DE LA LEGUA REYNOSO", "070103"),
        ("CALLAO", "LA PERLA", "070104"),
        ("CALLAO", "LA PUNTA", "070105"),
        ("CALLAO", "MI PERU", "070107"),
        ("CALLAO", "VENTANILLA", "070106"),
    ]
    assert {r[0] for r in callao} == {AREA + "070000"}
    assert len(run(store, "districts-of-department", department=AREA + "150000")) == 172
    # the district without an INEI code is listed, with no code
    moquegua = run(store, "districts-of-department", department=AREA + "180000")
    assert ("MARISCAL NIETO", "SAN ANTONIO", None, AREA + "reniec-170107") in [r[1:] for r in moquegua]
    assert len(run(store, "districts-of-department")) == 1893  # unbound: every district


def test_organisation_types_without_a_specific_law(store: ox.Store) -> None:
    assert [r[0] for r in run(store, "organisation-types-without-law")] == [
        "comedor-popular-subsidiado",
        "cooperativa-de-trabajadores",
        "cooperativa-de-usuarios",
        "cooperativa-minera",
        "cooperativa-otra",
        "cooperativa-servicios-especiales",
        "cooperativa-servicios-multiples",
        "cooperativa-transporte",
        "cooperativa-vivienda",
        "gies",
        "organizacion-social-de-base",
        "red",
    ]


def test_legal_framework_timeline(store: ox.Store) -> None:
    rows = run(store, "legal-framework-timeline")
    assert [r[:4] for r in rows] == [
        ("Decreto Legislativo N° 85", "legislative decree", "1981-05-20", "1981-05-21"),
        ("DS N° 074-90-TR", "supreme decree", None, "1991-01-07"),
        ("Ley N° 25307", "law", "1991-02-12", "1991-02-15"),
        ("Ley N° 30790", "law", None, "2018-06-11"),
        ("Ley N° 31335", "law", "2021-08-10", "2021-08-10"),
        ("Ley N° 31782", "law", None, "2023-06-13"),
        ("DS N° 001-2026-PRODUCE", "supreme decree", None, None),
        ("DS N° 041-2002-PCM", "supreme decree", None, None),
        ("DS N° 192-2009-EF", "supreme decree", None, None),
        ("Ley N° 24059", "law", None, None),
        ("Ley N° 27470", "law", None, None),
        ("Ley N° 27731", "law", None, None),
        ("Ley N° 29337", "law", None, None),
        ("Ley N° 30822", "law", None, None),
        ("Ley N° 31458", "law", None, None),
    ]
    # the date status is kept as the source wrote it, dated or not
    status = {r[0]: r[4] for r in rows}
    assert status["Ley N° 31458"] == "unverified (2022 from context)"
    assert status["Ley N° 25307"].endswith("one secondary note says 1991-01-28 (conflict)")


def test_instrument_relations(store: ox.Store) -> None:
    assert run(store, "instrument-relations") == [
        ("DS N° 001-2026-PRODUCE", "consolidates", "Decreto Legislativo N° 85"),
        ("DS N° 001-2026-PRODUCE", "replaces", "DS N° 074-90-TR"),
        ("DS N° 041-2002-PCM", "regulates", "Ley N° 25307"),
        ("DS N° 074-90-TR", "consolidates", "Decreto Legislativo N° 85"),
        ("DS N° 192-2009-EF", "regulates", "Ley N° 29337"),
        ("Ley N° 31782", "amends", "Ley N° 27470"),
    ]


def test_policy_needs(store: ox.Store) -> None:
    rows = run(store, "policy-needs")
    assert [r[:2] for r in rows] == [("Ley de Economía Social y Solidaria", "law")]
    assert str(rows[0][2]).startswith("GRESP, Mapping of the social and solidarity economy of Peru (June 2018)")


def test_areas_per_department(store: ox.Store) -> None:
    rows = run(store, "areas-per-department")
    assert [(r[0], r[2], r[3]) for r in rows] == [
        ("010000", 7, 84),
        ("020000", 20, 166),
        ("030000", 7, 85),
        ("040000", 8, 109),
        ("050000", 11, 124),
        ("060000", 13, 127),
        ("070000", 1, 7),
        ("080000", 13, 116),
        ("090000", 7, 102),
        ("100000", 11, 84),
        ("110000", 5, 43),
        ("120000", 9, 124),
        ("130000", 12, 83),
        ("140000", 3, 38),
        ("150000", 10, 172),
        ("160000", 8, 55),
        ("170000", 3, 11),
        ("180000", 3, 21),
        ("190000", 3, 29),
        ("200000", 8, 65),
        ("210000", 13, 110),
        ("220000", 10, 78),
        ("230000", 4, 28),
        ("240000", 3, 13),
        ("250000", 4, 19),
    ]
    assert (sum(int(str(r[2])) for r in rows), sum(int(str(r[3])) for r in rows)) == (196, 1893)


def test_iso_close_matches(store: ox.Store) -> None:
    rows = run(store, "iso-close-matches")
    assert len(rows) == 26
    lima_and_callao = [r for r in rows if r[0] in ("PE-CAL", "PE-LIM", "PE-LMA")]
    assert lima_and_callao == [
        ("PE-CAL", "CALLAO", "070000", "CALLAO", 1),
        ("PE-LIM", "LIMA REGION", "150000", "LIMA", 1),
        ("PE-LMA", "LIMA PROVINCIA", "150100", "LIMA", 2),
    ]
    assert all(r[4] == 1 for r in rows if r[0] != "PE-LMA")


def test_named_organisations(store: ox.Store) -> None:
    assert run(store, "named-organisations") == [
        (
            "GRESP",
            "Grupo Red de Economía Solidaria del Perú",
            "network or federation",
            "1997",
            "https://www.ripess.org/experiencia-de-incidencia-politica-grupo-red-de-economia-solidaria-del-peru"
            "-gresp-con-enfoque-de-genero/?lang=en",
        )
    ]


def test_ollas_comunes_figures(store: ox.Store) -> None:
    assert run(store, "ollas-comunes-figures") == [
        ("users of registered ollas comunes", "Feb 2022", 257489, "persons", "verified-text"),
        ("ollas comunes in Mankachay Perú register", "Nov 2021 - Feb 2022", 3411, "organisations", "verified-text"),
        ("ollas comunes supervised by Defensoría", "not stated (c. 2022)", 991, "organisations",
         "verified-text-date-unverified"),
        ("users of the ollas comunes supervised by Defensoría", "not stated (c. 2022)", 65284, "persons",
         "verified-text-date-unverified"),
    ]  # fmt: skip


def test_figures_with_sources(store: ox.Store) -> None:
    rows = run(store, "figures-with-sources")
    ids = [r[0] for r in rows]
    assert ids[:5] == ["F01", "F02", "F03", "F04", "F05"]
    assert len(ids) == len(set(ids)) == 42  # 21 facts + 21 figures read in their notes
    by_id = {r[0]: r for r in rows}
    assert by_id["F17"][4:7] == (2700, "organisations", "more-than")  # "more than 2,700"
    assert by_id["F21"][7] == "verified-text-date-unverified"
    assert by_id["F14"][2] == "Lima + Callao"


@pytest.mark.skipif(not (SHARED / "data").is_dir(), reason="../shared/data is not beside the checkout")
def test_every_figure_of_the_facts_table_is_published_with_its_source(store: ox.Store) -> None:
    """Cross-check against the source table itself, not against our derived CSV."""
    with (SHARED / "data" / "peru-sse-facts" / "facts.csv").open(encoding="utf-8", newline="") as f:
        facts = list(csv.DictReader(f))
    by_id = {r[0]: r for r in run(store, "figures-with-sources")}
    for fact in facts:
        row = by_id[fact["fact_id"]]
        assert row[4] == int(fact["value"]), fact["fact_id"]
        assert row[9] == fact["source_url"], fact["fact_id"]
        assert row[7] == fact["status"].replace(" (date unverified)", "-date-unverified"), fact["fact_id"]
        if not fact["source"].startswith("same as "):
            assert row[8] == fact["source"], fact["fact_id"]
