"""Derive the tables of datasets/peru-sse from the cited source tables in ../shared/data.

    python datasets/peru-sse/scripts/derive.py [SHARED_DATA_DIR]

The UBIGEO files are copied byte for byte (their SHA-256 is pinned in datapackage.json).
The policy and statistics tables are rewritten from peru-sse-facts into the columns the
mapping needs: codes from the project's code lists instead of free text, and the relations
between instruments that the source states in its titles and notes (listed in RELATIONS
below, each with its reason). No value is added that the source does not give.
tests/test_peru_dataset.py re-runs this script and fails if the committed tables differ.
"""

from __future__ import annotations

import csv
import io
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
REPO = HERE.parents[1]
DEFAULT_SHARED = REPO.parent / "shared" / "data"
AREA = "https://w3id.org/sse-ld/peru/area/"

UBIGEO_FILES = ("ubigeo_departamento.csv",)

INSTRUMENT_TYPE = {"ley": "ley", "decreto supremo": "decreto-supremo", "decreto legislativo": "decreto-legislativo"}

# Relations between instruments and the organisation types they concern, each read from the
# source row named in the comment. Nothing here is inferred beyond what the row states.
RELATIONS: dict[str, dict[str, str]] = {
    # title "...Clubes de Madres, Comités de Vaso de Leche, Comedores Populares Autogestionarios,
    # Cocinas Familiares, Centros Familiares, Centros Materno-Infantiles..." (and the note)
    "P01": {
        "concerns": "club-de-madres;comite-vaso-de-leche;comedor-popular-autogestionario;cocina-familiar;"
        "centro-familiar;centro-materno-infantil",
        "concerns_basis": "named in the title (art. 1 enumerates them)",
    },
    # title "Reglamento de la Ley N° 25307"
    "P02": {
        "regulates": "P01",
        "concerns": "club-de-madres;comite-vaso-de-leche;comedor-popular-autogestionario;"
        "cocina-familiar;centro-familiar;centro-materno-infantil",
        "concerns_basis": "regulation of Ley N° 25307, which names them",
    },
    # title "...Clubes de Madres y Comedores Populares Autogestionarios..."
    "P03": {"concerns": "club-de-madres;comedor-popular-autogestionario", "concerns_basis": "named in the title"},
    # title "...promueve a los comedores populares..."
    "P04": {"concerns": "comedor-popular", "concerns_basis": "named in the title"},
    # title "...reconoce las ollas comunes..."
    "P05": {"concerns": "olla-comun", "concerns_basis": "named in the title"},
    # note "amends P07"
    "P08": {"amends": "P07"},
    # title "Ley General de Cooperativas"
    "P09": {"concerns": "cooperativa", "concerns_basis": "named in the title"},
    # title "Texto Único Ordenado de la Ley General de Cooperativas"; note "replaced by P11"
    "P10": {"concerns": "cooperativa", "concerns_basis": "named in the title", "legal_status": "reemplazado"},
    # subject "new consolidated cooperatives law (replaces DS 074-90-TR)"
    "P11": {"replaces": "P10", "concerns": "cooperativa", "concerns_basis": "named in the title"},
    # title "...Cooperativas de Ahorro y Crédito"
    "P12": {"concerns": "cooperativa-ahorro-credito", "concerns_basis": "named in the title"},
    # title "...cooperativas agrarias"
    "P13": {"concerns": "cooperativa-agraria", "concerns_basis": "named in the title"},
    # title "Reglamento de la Ley N° 29337"
    "P15": {"regulates": "P14"},
}

POLICY_COLUMNS = [
    "id",
    "identifier",
    "instrument_type",
    "title_es",
    "subject_en",
    "date_document",
    "date_publication",
    "date_status",
    "source",
    "verification",
    "legal_status",
    "regulates",
    "amends",
    "replaces",
    "concerns",
    "concerns_basis",
    "note",
]
NEED_COLUMNS = ["id", "instrument_type", "title_es", "subject_en", "source", "legal_status", "note"]

# facts.csv rows published as observations, with the codes their columns translate to.
# geography "Lima (per GRESP text)" -> department LIMA (150000): the widest area the text can
# mean; the source's wording is kept in geography_as_given.
OBSERVATIONS: dict[str, dict[str, str]] = {
    "F01": {
        "area": "150000",
        "organisation_type": "comedor-popular-autogestionario",
        "metric": "member-count",
        "unit": "persons",
    },
    "F02": {
        "area": "150000",
        "organisation_type": "comedor-popular-autogestionario",
        "metric": "organisation-count",
        "unit": "organisations",
    },
    "F03": {
        "area": "150000",
        "organisation_type": "comedor-popular-subsidiado",
        "metric": "organisation-count",
        "unit": "organisations",
    },
}
OBS_COLUMNS = [
    "id",
    "dataset",
    "area",
    "period",
    "organisation_type",
    "metric",
    "value",
    "unit",
    "status",
    "source",
    "source_url",
    "geography_as_given",
    "note",
]


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _write(path: Path, columns: list[str], rows: list[dict[str, str]]) -> None:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({c: r.get(c, "") for c in columns})
    path.write_text(buf.getvalue(), encoding="utf-8")


COUNTRY = [
    {
        "code": "pe",
        "iso_alpha2": "PE",
        "name_es": "Perú",
        "name_en": "Peru",
        "source": "ISO 3166-1 alpha-2 country code list",
    }
]
STATISTICS = [
    {
        "id": "sse-peru",
        "title_en": "Statistics on the social and solidarity economy of Peru",
        "title_es": "Estadísticas de la economía social y solidaria del Perú",
        "description_en": "Published figures on SSE organisations in Peru, each with its source and status.",
        "description_es": (
            "Cifras publicadas sobre organizaciones de la ESS en el Perú, cada una con su fuente y su estado."
        ),
    }
]


def derive(shared: Path, out: Path) -> None:
    """Write the package tables derived from ``shared`` into the package folder ``out``."""
    (out / "data").mkdir(parents=True, exist_ok=True)
    _write(out / "data" / "country.csv", list(COUNTRY[0]), COUNTRY)
    _write(out / "data" / "statistics.csv", list(STATISTICS[0]), STATISTICS)
    (out / "data" / "ubigeo").mkdir(parents=True, exist_ok=True)
    for name in UBIGEO_FILES:
        shutil.copyfile(shared / "peru-ubigeo" / name, out / "data" / "ubigeo" / name)

    policies, needs = [], []
    for row in _read(shared / "peru-sse-facts" / "policy_frameworks.csv"):
        pid = row["policy_id"]
        if row["identifier"] == "(none)":
            needs.append(
                {
                    "id": pid,
                    "instrument_type": "ley",
                    "title_es": row["title_es"],
                    "subject_en": row["subject"],
                    "source": row["source"],
                    "legal_status": "requerido-no-promulgado",
                    "note": "; ".join(x for x in (row["status"], row["note"]) if x),
                }
            )
            continue
        rel = RELATIONS.get(pid, {})
        policies.append(
            {
                "id": pid,
                "identifier": row["identifier"],
                "instrument_type": INSTRUMENT_TYPE[row["type"]],
                "title_es": row["title_es"],
                "subject_en": row["subject"],
                "date_document": row["date_document"],
                "date_publication": row["date_publication"],
                "date_status": row["date_status"],
                "source": row["source"],
                "verification": row["status"],
                "legal_status": rel.get("legal_status", "vigente"),
                "regulates": rel.get("regulates", ""),
                "amends": rel.get("amends", ""),
                "replaces": rel.get("replaces", ""),
                "concerns": rel.get("concerns", ""),
                "concerns_basis": rel.get("concerns_basis", ""),
                "note": row["note"],
            }
        )
    _write(out / "data" / "policy_frameworks.csv", POLICY_COLUMNS, policies)
    _write(out / "data" / "policy_needs.csv", NEED_COLUMNS, needs)

    facts = {r["fact_id"]: r for r in _read(shared / "peru-sse-facts" / "facts.csv")}
    observations = []
    for fid, codes in OBSERVATIONS.items():
        f = facts[fid]
        source = f["source"]
        if source.startswith("same as "):
            source = facts[source[len("same as ") :]]["source"]
        observations.append(
            {
                "id": fid,
                "dataset": "sse-peru",
                "period": f["reference_period"],
                "value": f["value"],
                "status": f["status"].replace(" (date unverified)", "-date-unverified").replace(" ", "-"),
                "source": source,
                "source_url": f["source_url"],
                "geography_as_given": f["geography"],
                "note": f["note"],
                **codes,
            }
        )
    _write(out / "data" / "observations.csv", OBS_COLUMNS, observations)


def _ttl_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def area_iri(inei: str, reniec: str) -> str:
    """IRI of an area: its INEI code; the one district without INEI code gets its RENIEC code."""
    return AREA + (inei if inei != "NA" else f"reniec-{reniec}")


def derive_regions(shared: Path) -> str:
    """The bundled SKOS scheme of Peru's areas (Turtle), so any package can link to a
    department, province or district by its INEI code with cell-level validation.

    Rules for the source's gaps: an area is identified by its INEI code; the district
    without one (RENIEC 170107, SAN ANTONIO) is ``area/reniec-170107`` with only a RENIEC
    notation, so it cannot be referenced by INEI code. A district's parent is the province
    with the same department and province names (which always agrees with the code prefix).
    """
    src = shared / "peru-ubigeo"
    deps = _read(src / "ubigeo_departamento.csv")
    provs = _read(src / "ubigeo_provincia.csv")
    dists = _read(src / "ubigeo_distrito.csv")
    by_name = {(r["departamento"], r["provincia"]): r["inei"] for r in provs}
    dep_by_name = {r["departamento"]: r["inei"] for r in deps}
    out = [
        "# Peru's administrative areas as a SKOS concept scheme: 25 departments, 196 provinces and",
        "# 1,893 districts. Generated by datasets/peru-sse/scripts/derive.py from UBIGEO data:",
        "# Jesus M. Castagnetto, ubigeo-peru-aumentado (MIT), compiled from INEI, RENIEC, CEPLAN,",
        "# MINSA and PNUD. Do not edit by hand. The full description of each area (RENIEC and",
        "# ISO codes, capital, coordinates) is in the Peru dataset, under the same IRIs.",
        "@prefix pearea: <https://w3id.org/sse-ld/peru/area/> .",
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .",
        "@prefix sse: <https://w3id.org/sse-ld/ontology#> .",
        "@prefix vann: <http://purl.org/vocab/vann/> .",
        "",
        "<https://w3id.org/sse-ld/peru/areas> a skos:ConceptScheme ;",
        '    skos:prefLabel "administrative areas of Peru (UBIGEO)"@en, "áreas administrativas del Perú (UBIGEO)"@es ;',
        '    skos:definition "Departments, provinces and districts of Peru, identified by INEI UBIGEO codes."@en,',
        '        "Departamentos, provincias y distritos del Perú, identificados por sus códigos UBIGEO del INEI."@es ;',
        '    vann:preferredNamespacePrefix "pearea" ;',
        '    vann:preferredNamespaceUri "https://w3id.org/sse-ld/peru/area/" ;',
        "    skos:hasTopConcept pearea:pe .",
        "",
        "pearea:pe a skos:Concept, sse:Country ;",
        "    skos:inScheme <https://w3id.org/sse-ld/peru/areas> ;",
        "    skos:topConceptOf <https://w3id.org/sse-ld/peru/areas> ;",
        '    skos:notation "PE" ;',
        '    skos:prefLabel "Perú"@es, "Peru"@en ;',
        "    sse:administrativeLevel 0 .",
    ]
    classes = {1: "sse:FirstLevelArea", 2: "sse:SecondLevelArea", 3: "sse:ThirdLevelArea"}

    def concept(level: int, row: dict[str, str], label: str, broader: str) -> None:
        out.append("")
        out.append(f"<{area_iri(row['inei'], row['reniec'])}> a skos:Concept, {classes[level]} ;")
        out.append("    skos:inScheme <https://w3id.org/sse-ld/peru/areas> ;")
        if row["inei"] != "NA":
            out.append(f'    skos:notation "{row["inei"]}"^^sse:IneiUbigeo ;')
        else:
            out.append(f'    skos:notation "{row["reniec"]}"^^sse:ReniecUbigeo ;')
        out.append(f"    skos:prefLabel {_ttl_string(label)}@es ;")
        out.append(f"    skos:broader <{broader}> ;")
        out.append(f"    sse:administrativeLevel {level} .")

    for r in deps:
        concept(1, r, r["departamento"], AREA + "pe")
    for r in provs:
        concept(2, r, r["provincia"], AREA + dep_by_name[r["departamento"]])
    for r in dists:
        concept(3, r, r["distrito"], AREA + by_name[(r["departamento"], r["provincia"])])
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    shared = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SHARED
    derive(shared, HERE)
    (REPO / "ontology" / "regions").mkdir(exist_ok=True)
    (REPO / "ontology" / "regions" / "pe-ubigeo.ttl").write_text(derive_regions(shared), encoding="utf-8")
