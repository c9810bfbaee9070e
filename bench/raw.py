"""The raw N-Triples writer: the practical limit of Python for this job.

    python bench/raw.py PACKAGE OUT

Reads the synthetic organisations with the csv module and writes their N-Triples with
f-strings: the same triples as sse-ld for clean rows, but no validation, no Turtle, no
JSON-LD, no provenance, no checksums. Whatever sse-ld does beyond this is the price of
its checks and its other outputs.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

S = "https://w3id.org/sse-ld/ontology#"
BASE = "https://example.org/synthetic/"
ORGTYPE = "https://w3id.org/sse-ld/code/organisation-type/"
AREA = "https://w3id.org/sse-ld/peru/area/"
ACT = "https://example.org/synthetic/activity/"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
LABEL = "<http://www.w3.org/2004/02/skos/core#prefLabel>"
XSD = "http://www.w3.org/2001/XMLSchema#"


def esc(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")


def main(package: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with (
        (package / "data" / "organisations.csv").open(encoding="utf-8", newline="") as f,
        (out / "raw.nt").open("w", encoding="utf-8") as o,
    ):
        reader = csv.reader(f)
        next(reader)
        write = o.write
        for (
            i,
            name,
            name_en,
            typ,
            district,
            network,
            members,
            women,
            founded,
            lat,
            lon,
            activities,
            website,
            _status,
            description,
        ) in reader:
            s = f"<{BASE}organisation/{i}>"
            lines = [f"{s} {RDF_TYPE} <{S}SSEOrganisation> .\n"]
            if name:
                lines.append(f'{s} {LABEL} "{esc(name)}"@es .\n')
            if name_en:
                lines.append(f'{s} {LABEL} "{esc(name_en)}"@en .\n')
            lines.append(f"{s} <{S}organisationType> <{ORGTYPE}{typ}> .\n")
            if district:
                lines.append(f"{s} <{S}locatedIn> <{AREA}{district}> .\n")
            if network:
                lines.append(f"{s} <{S}memberOf> <{BASE}network/{network}> .\n")
            if members:
                lines.append(f'{s} <{S}memberCount> "{members}"^^<{XSD}nonNegativeInteger> .\n')
            if women:
                lines.append(f'{s} <{S}womenMemberCount> "{women}"^^<{XSD}nonNegativeInteger> .\n')
            if founded:
                lines.append(f'{s} <{S}foundingYear> "{founded}"^^<{XSD}gYear> .\n')
            for a in activities.split(";"):
                if a:
                    lines.append(f"{s} <{S}activity> <{ACT}{a}> .\n")
            if website:
                lines.append(f"{s} <https://schema.org/url> <{website}> .\n")
            if description:
                lines.append(f'{s} <http://purl.org/dc/terms/description> "{esc(description)}"@es .\n')
            if lat and lon:
                loc = f"<{BASE}organisation/{i}/location>"
                lines.append(f"{s} <http://www.opengis.net/ont/geosparql#hasGeometry> {loc} .\n")
                lines.append(f"{loc} {RDF_TYPE} <http://www.opengis.net/ont/geosparql#Geometry> .\n")
                lines.append(
                    f'{loc} <http://www.opengis.net/ont/geosparql#asWKT> "POINT({lon} {lat})"'
                    "^^<http://www.opengis.net/ont/geosparql#wktLiteral> .\n"
                )
            write("".join(lines))


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
