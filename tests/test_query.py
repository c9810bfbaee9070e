"""``sse-ld query``: the embedded store, canned queries, bindings, formats, the time limit,
and the refusal of network access."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph
import pytest
from conftest import CASES
from servers import Oxigraph

import sse_ld
from sse_ld.published import open_build
from sse_ld.sparqltext import scan
from sse_ld.store import QueryError, ensure_store, parse_term

LINKED = CASES / "valid" / "linked-organisations"
ORGTYPE = "https://w3id.org/sse-ld/code/organisation-type/"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("q") / "out"
    assert sse_ld.build(LINKED, out).written
    return out


def _json(res) -> list[dict[str, str]]:
    data = json.loads(res.out)
    return [{k: v["value"] for k, v in b.items()} for b in data["results"]["bindings"]]


def test_list_shows_the_canned_queries_in_the_asked_language(cli, built: Path) -> None:
    res = cli("query", built, "--list", "--lang", "es")
    assert res.code == 0
    assert "organisations-by-region: Organizaciones por región" in res.out
    assert "organisations-of-type: Organizaciones de un tipo  [params: type]" in res.out
    assert (built / "queries" / "type-labels.rq").is_file()


def test_a_canned_query_by_name(cli, built: Path) -> None:
    res = cli("query", built, "--name", "organisations-by-region", "--format", "json")
    assert res.code == 0, res.err
    rows = _json(res)
    assert [(r["name"], r["organisations"]) for r in rows] == [("LIMA", "3"), ("CUSCO", "2")]


def test_code_list_labels_come_from_the_ontology(cli, built: Path) -> None:
    res = cli("query", built, "--name", "type-labels", "--format", "csv")
    assert res.code == 0
    rows = list(csv.DictReader(io.StringIO(res.out)))
    olla = next(r for r in rows if r["type"] == ORGTYPE + "olla-comun")
    assert olla["es"] == "olla común" and olla["organisations"] == "2"


def test_a_parameter_is_bound_not_pasted(cli, built: Path) -> None:
    res = cli(
        "query", built, "--name", "organisations-of-type", "--param", "type=orgtype:olla-comun", "--format", "json"
    )
    assert res.code == 0, res.err
    assert {r["name"] for r in _json(res)} == {"Olla común de prueba Dos", "Olla común de prueba Cinco"}
    # A value crafted to break out of the query is only a string that matches nothing.
    evil = "type=<x:y> } UNION { ?org ?p ?name"
    res = cli("query", built, "--name", "organisations-of-type", "--param", evil, "--format", "json")
    assert res.code == 1 and _json(res) == []


def test_unknown_or_unprojected_parameters_are_usage_errors(cli, built: Path) -> None:
    res = cli("query", built, "--name", "organisations-of-type", "--param", "kind=x")
    assert res.code == 2 and "takes no parameter 'kind'" in res.err
    res = cli("query", built, "--query", "SELECT ?name { ?org skos:prefLabel ?name }", "--param", "org=ex:a")
    assert res.code == 2 and "a parameter must be a variable the SELECT returns" in res.err
    res = cli("query", built, "--name", "nope")
    assert res.code == 2 and "organisations-by-region" in res.err


@pytest.mark.parametrize(
    "value, term",
    [
        ("2013", '"2013"^^<http://www.w3.org/2001/XMLSchema#integer>'),
        ("Lima", '"Lima"'),
        ('"Lima"@es', '"Lima"@es'),
        ("orgtype:gies", f"<{ORGTYPE}gies>"),
        ("<https://example.org/a>", "<https://example.org/a>"),
        ("true", '"true"^^<http://www.w3.org/2001/XMLSchema#boolean>'),
        ("a . <x:a> <x:b> <x:c>", '"a . <x:a> <x:b> <x:c>"'),
    ],
)
def test_parameter_values_are_turtle_terms_or_strings(value: str, term: str) -> None:
    assert parse_term(value, {"orgtype": ORGTYPE}) == term


def test_blank_node_parameters_are_refused() -> None:
    with pytest.raises(QueryError, match="blank node"):
        parse_term("[]", {})


@pytest.mark.parametrize(
    "fmt, parse",
    [
        ("json", pyoxigraph.QueryResultsFormat.JSON),
        ("xml", pyoxigraph.QueryResultsFormat.XML),
        ("tsv", pyoxigraph.QueryResultsFormat.TSV),
    ],
)
def test_result_formats_parse_back(cli, built: Path, fmt: str, parse) -> None:
    res = cli("query", built, "--name", "type-labels", "--format", fmt)
    assert res.code == 0
    rows = list(pyoxigraph.parse_query_results(res.out.encode("utf-8"), parse))
    assert len(rows) == 4


def test_table_output_shortens_iris(cli, built: Path) -> None:
    res = cli("query", built, "--name", "type-labels")
    assert res.code == 0
    lines = res.out.splitlines()
    assert lines[0].split() == ["type", "es", "en", "organisations"]
    assert set(lines[1]) <= {"-", " "}
    assert any(line.startswith("orgtype:olla-comun") for line in lines[2:])


@pytest.mark.parametrize("fmt, rdf", [("turtle", "turtle"), ("ntriples", "nt"), ("jsonld", "json-ld")])
def test_construct_gives_rdf(cli, built: Path, fmt: str, rdf: str) -> None:
    from rdflib import Graph

    q = "CONSTRUCT { ?o skos:prefLabel ?n } WHERE { ?o a sse:SSEOrganisation ; skos:prefLabel ?n }"
    res = cli("query", built, "--query", q, "--format", fmt)
    assert res.code == 0, res.err
    assert len(Graph().parse(data=res.out, format=rdf)) == 5


def test_ask_and_empty_results_exit_1(cli, built: Path) -> None:
    assert cli("query", built, "--query", "ASK { ?s a sse:Country }").out == "true\n"
    res = cli("query", built, "--query", "ASK { ?s a sse:Network }")
    assert res.code == 1 and res.out == "false\n"
    res = cli("query", built, "--query", "SELECT ?s { ?s a sse:Network }", "--format", "csv")
    assert res.code == 1 and res.out.strip() == "s"


def test_query_from_a_file_and_from_stdin(cli, built: Path, tmp_path: Path, monkeypatch) -> None:
    q = tmp_path / "q.rq"
    q.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?o a sse:SSEOrganisation }")
    res = cli("query", built, "--query-file", q, "--format", "csv")
    assert res.code == 0 and res.out.splitlines() == ["n", "5"]
    text = "SELECT (COUNT(*) AS ?n) WHERE { ?a a sse:FirstLevelArea ; skos:inScheme ?scheme }"
    monkeypatch.setattr("sys.stdin", io.StringIO(text))
    res = cli("query", built, "--format", "csv")
    assert res.code == 0 and res.out.splitlines() == ["n", "25"]  # Peru's departments, from the ontology


@pytest.mark.parametrize(
    "query, message",
    [
        ("SELECT WHERE {", "not valid SPARQL"),
        ("INSERT DATA { <x:a> <x:b> <x:c> }", "read-only queries"),
        ("CONSTRUCT WHERE { ?s ?p ?o }", "gives triples, not csv"),
    ],
)
def test_bad_queries_are_usage_errors(cli, built: Path, query: str, message: str) -> None:
    res = cli("query", built, "--query", query, "--format", "csv")
    assert res.code == 2 and message in res.err and "Traceback" not in res.err


def test_the_time_limit_stops_a_runaway_query(cli, built: Path) -> None:
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    started = time.monotonic()
    res = cli("query", built, "--query", q, "--timeout", "1")
    assert res.code == 2 and "stopped after its time limit of 1 s" in res.err
    assert time.monotonic() - started < 20


@pytest.fixture
def listener() -> Iterator[tuple[int, list[bytes]]]:
    """A TCP port that records whoever connects to it."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    sock.settimeout(0.2)
    seen: list[bytes] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
            except OSError:
                continue
            seen.append(conn.recv(1024))
            conn.close()

    t = threading.Thread(target=accept)
    t.start()
    yield sock.getsockname()[1], seen
    stop.set()
    t.join()
    sock.close()


def test_service_and_other_network_access_are_refused(cli, built: Path, listener) -> None:
    port, seen = listener
    url = f"http://127.0.0.1:{port}/sparql"
    res = cli("query", built, "--query", f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}")
    assert res.code == 2 and "refused by default" in res.err
    res = cli("query", built, "--query", f"SELECT * WHERE {{ ?x ?y ?z . SeRvIcE SILENT <{url}> {{ ?s ?p ?o }} }}")
    assert res.code == 2
    res = cli("query", built, "--query", f"SELECT * FROM <{url}> WHERE {{ ?s ?p ?o }}", "--format", "csv")
    assert res.code == 1  # FROM names a graph of the store; nothing is fetched
    time.sleep(0.5)
    assert seen == []


def test_allow_service_federates_with_a_real_endpoint(cli, built: Path, tmp_path: Path) -> None:
    server = Oxigraph(tmp_path).start()
    try:
        import requests

        requests.post(
            f"{server.base}/update", data={"update": 'INSERT DATA { <urn:x:far> <urn:x:says> "hola" }'}, timeout=10
        ).raise_for_status()
        q = f"SELECT ?w WHERE {{ SERVICE <{server.base}/query> {{ <urn:x:far> <urn:x:says> ?w }} }}"
        res = cli("query", built, "--query", q, "--allow-service", "--format", "csv")
        assert res.code == 0, res.err
        assert res.out.splitlines() == ["w", "hola"]
    finally:
        server.stop()


@pytest.mark.parametrize(
    "text, form, service",
    [
        ("SELECT * { ?s ?p ?o }", "select", False),
        ("# SERVICE <x:y>\nASK { ?s ?p 'SERVICE' }", "ask", False),
        ('SELECT ?service { ?s ex:SERVICE <x:SERVICE> ; ex:a.SERVICE "a" }', "select", False),
        ("PREFIX service: <x:> CONSTRUCT { ?s ?p ?o } WHERE { ?s service:p ?o }", "construct", False),
        ("SELECT * { {}SERVICE<x:y>{?s ?p ?o} }", "select", True),
        ("select * { ?a ?b ?c FILTER(?a<?b) service ?e { ?s ?p ?o } }", "select", True),
        ('DESCRIBE ?x { ?x ?p """SERVICE\n""" }', "describe", False),
        ("DELETE WHERE { ?s ?p ?o }", "update", False),
    ],
)
def test_the_scanner_finds_service_only_where_it_is_a_keyword(text: str, form: str, service: bool) -> None:
    info = scan(text)
    assert (info.form, info.service) == (form, service)


def test_the_store_is_loaded_once_and_reloaded_when_the_build_changes(cli, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert sse_ld.build(LINKED, out).written
    res = cli("query", out, "--query", "ASK { ?s ?p ?o }")
    assert "loading" in res.err and (out / ".store" / "sse-ld-store.json").is_file()
    res = cli("query", out, "--query", "ASK { ?s ?p ?o }")
    assert "loading" not in res.err
    pkg = tmp_path / "pkg"
    shutil.copytree(LINKED, pkg)
    csv_file = pkg / "data" / "organisations.csv"
    csv_file.write_text(csv_file.read_text(encoding="utf-8") + "7,Nueva de prueba,gies,1501,,\n", encoding="utf-8")
    assert sse_ld.build(pkg, out).written
    res = cli("query", out, "--query", "SELECT (COUNT(*) AS ?n) { ?o a sse:SSEOrganisation }", "--format", "csv")
    assert "loading" in res.err and res.out.splitlines() == ["n", "6"]


def test_a_dump_changed_after_the_build_is_refused(cli, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert sse_ld.build(LINKED, out).written
    dump = out / "linked-organisations.nt"
    dump.write_text(dump.read_text() + "<x:a> <x:b> <x:c> .\n")
    res = cli("query", out, "--query", "ASK { ?s ?p ?o }")
    assert res.code == 2 and "does not match its SHA-256" in res.err


def test_a_read_only_build_is_queried_from_a_temporary_store(tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "out"
    assert sse_ld.build(LINKED, out).written
    real = os.access
    monkeypatch.setattr("sse_ld.store.os.access", lambda p, mode: False if Path(p) == out else real(p, mode))
    store, triples, temporary = ensure_store(open_build(out))
    assert temporary and not str(store).startswith(str(out)) and triples > 0
    assert not (out / ".store").exists()
    shutil.rmtree(store)


def test_query_of_a_folder_that_is_not_a_build(cli, tmp_path: Path) -> None:
    res = cli("query", tmp_path, "--query", "ASK {}")
    assert res.code == 2 and "not an sse-ld build folder" in res.err


def test_canned_queries_are_checked_at_build_time(cli, tmp_path: Path) -> None:
    pkg = tmp_path / "pkg"
    shutil.copytree(LINKED, pkg)
    (pkg / "queries" / "bad.rq").write_text("SELECT * WHERE { ?s ?p ?o }\n")
    res = cli("build", pkg, "--out", tmp_path / "o")
    assert res.code == 2 and "queries/bad.rq" in res.err and "# title:" in res.err
    (pkg / "queries" / "bad.rq").write_text("# title: far\nSELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }\n")
    res = cli("build", pkg, "--out", tmp_path / "o")
    assert res.code == 2 and "SERVICE" in res.err
    (pkg / "queries" / "bad.rq").write_text("# title: undeclared prefix\nSELECT * WHERE { ?s a sse:Network }\n")
    res = cli("build", pkg, "--out", tmp_path / "o")
    assert res.code == 2 and "not valid SPARQL" in res.err
    assert not (tmp_path / "o").exists()
