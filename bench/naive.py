"""The naive stack, for comparison: what one would write with the usual Python tools.

    python bench/naive.py PACKAGE OUT

frictionless validates the package; each row becomes triples through ``rdflib.Graph.add``;
pyshacl validates the whole graph (with the vocabulary it links to); rdflib serialises the
graph as N-Triples, Turtle and JSON-LD. It maps the synthetic package of bench/generate.py
only (the same triples as sse-ld's mapping), and checks nothing else.
"""

from __future__ import annotations

import csv
import json
import sys
import time
from pathlib import Path

import frictionless
from pyshacl import validate
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, GEO, RDF, SDO, SKOS, XSD

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sse_ld.mapping.vocabulary import load_vocabulary  # noqa: E402
from sse_ld.resources import shapes_files  # noqa: E402
from sse_ld.shacl import support_graph  # noqa: E402

SSE = Namespace("https://w3id.org/sse-ld/ontology#")
ORGTYPE = "https://w3id.org/sse-ld/code/organisation-type/"
BASE = "https://example.org/synthetic/"


_STAGES: dict[str, float] = {}
_CLOCK = [time.monotonic()]


def stage(name: str) -> None:
    """Record how long the stage that just ended took; said on stderr at once, so that a run
    stopped by a time limit still shows how far it got."""
    now = time.monotonic()
    _STAGES[name] = round(now - _CLOCK[0], 2)
    _CLOCK[0] = now
    print(json.dumps({"stage": name, "seconds": _STAGES[name]}), file=sys.stderr, flush=True)


def main(package: Path, out: Path) -> None:
    frictionless.validate(str(package / "datapackage.json"))
    stage("frictionless validate")
    vocabulary = load_vocabulary([package / "vocab" / "activities.ttl"])
    areas = vocabulary.schemes["https://w3id.org/sse-ld/peru/areas"]
    types = vocabulary.schemes["https://w3id.org/sse-ld/code/organisation-type"]
    activities = vocabulary.schemes["https://example.org/synthetic/activities"]
    g = Graph()
    with (package / "data" / "networks.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            s = URIRef(BASE + "network/" + row["id"])
            g.add((s, RDF.type, SSE.Network))
            g.add((s, SSE.organisationType, URIRef(ORGTYPE + "red")))
            g.add((s, SKOS.prefLabel, Literal(row["name"], lang="es")))
            if row["founded"]:
                g.add((s, SSE.foundingYear, Literal(row["founded"], datatype=XSD.gYear)))
    with (package / "data" / "organisations.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            s = URIRef(BASE + "organisation/" + row["id"])
            g.add((s, RDF.type, SSE.SSEOrganisation))
            if row["name"]:
                g.add((s, SKOS.prefLabel, Literal(row["name"], lang="es")))
            if row["name_en"]:
                g.add((s, SKOS.prefLabel, Literal(row["name_en"], lang="en")))
            if row["type"] in types:
                g.add((s, SSE.organisationType, URIRef(types[row["type"]])))
            if row["district"] in areas:
                g.add((s, SSE.locatedIn, URIRef(areas[row["district"]])))
            if row["network"]:
                g.add((s, SSE.memberOf, URIRef(BASE + "network/" + row["network"])))
            for col, prop in (("members", SSE.memberCount), ("women", SSE.womenMemberCount)):
                if row[col].isdigit():
                    g.add((s, prop, Literal(row[col], datatype=XSD.nonNegativeInteger)))
            if row["founded"]:
                g.add((s, SSE.foundingYear, Literal(row["founded"], datatype=XSD.gYear)))
            for code in filter(None, (c.strip() for c in row["activities"].split(";"))):
                if code in activities:
                    g.add((s, SSE.activity, URIRef(activities[code])))
            if row["website"].startswith("http"):
                g.add((s, SDO.url, URIRef(row["website"])))
            if row["description"]:
                g.add((s, DCTERMS.description, Literal(row["description"], lang="es")))
            if row["lat"] and row["lon"]:
                loc = URIRef(str(s) + "/location")
                g.add((s, GEO.hasGeometry, loc))
                g.add((loc, RDF.type, GEO.Geometry))
                g.add((loc, GEO.asWKT, Literal(f"POINT({row['lon']} {row['lat']})", datatype=GEO.wktLiteral)))
    stage("rdflib Graph.add")
    data = Graph()
    data += g
    data += support_graph(g, vocabulary.graph)
    shapes = Graph()
    for path in shapes_files():
        shapes.parse(path)
    stage("pyshacl setup")
    validate(data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True)
    stage("pyshacl validate")
    out.mkdir(parents=True, exist_ok=True)
    g.serialize(out / "naive.nt", format="nt", encoding="utf-8")
    stage("serialise N-Triples")
    g.serialize(out / "naive.ttl", format="turtle", encoding="utf-8")
    stage("serialise Turtle")
    g.serialize(out / "naive.jsonld", format="json-ld", encoding="utf-8")
    stage("serialise JSON-LD")
    print(json.dumps({"triples": len(g), "stages": _STAGES}))


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
