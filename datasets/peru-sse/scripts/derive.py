"""Derive the tables of datasets/peru-sse from the cited source tables in ../shared/data.

    python datasets/peru-sse/scripts/derive.py [SHARED_DATA_DIR]

Writes every CSV under ``datasets/peru-sse/data/`` and the bundled SKOS scheme
``ontology/regions/pe-ubigeo.ttl``. tests/test_peru_dataset.py re-runs this script and
fails if a committed file differs from what it writes, so the package is reproducible.

No value is added that the sources do not give. Where the sources need interpreting, the
rule is written down here, next to the code that applies it:

UBIGEO (peru-ubigeo, Jesus M. Castagnetto, MIT): the SHA-256 of each source file is
checked against the one pinned in the source README before anything is read.

* Areas are keyed by their INEI code. The one district without INEI code (RENIEC 170107,
  SAN ANTONIO) keeps ``NA`` in ``inei``; the mapping then names it ``area/reniec-170107``.
* ``NA`` and ``S.I.`` (sin información) are written as the source has them and declared as
  missing values in the Table Schema, so they give no triple.
* A capital name's runs of white space, including the line breaks inside two of them
  (``San Juan de\\n Lopecancha``), are collapsed to one space. Nothing else is changed.
* A province's department and a district's province are found by name (department and
  province names are unique), and the found code always agrees with the code prefix (checked).
* ISO 3166-2: the source gives each row the ISO code of the subdivision it lies in. The 26
  codes become areas of their own, named by the source's ``region`` column; each is a close
  (not exact) match of the highest-level UBIGEO area whose row carries it: the 25
  departments, and the province LIMA (150100) for PE-LMA. So department LIMA is close to
  PE-LIM (which does not include Lima Metropolitana), and province LIMA to PE-LMA.
* Only the columns the dataset publishes are kept: codes, names, capital, surface, altitude,
  coordinates. The CEPLAN/PNUD indicators (density, IDH, poverty) are left out.

Facts (peru-sse-facts): each row of facts.csv is one observation, with its status, source
and note. Figures the notes state for a part of the same fact (the regional breakdown of
the 2022 register of ollas comunes, ...) are further observations, each listed in
NOTE_FIGURES with the exact words of the note it is read from; the number is parsed from
those words, never typed here. Each row of policy_frameworks.csv is one legal instrument;
the relations between instruments and the organisation types they concern are listed in
RELATIONS, each with the words of the row that state it.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
REPO = HERE.parents[1]
DEFAULT_SHARED = REPO.parent / "shared" / "data"
AREA = "https://w3id.org/sse-ld/peru/area/"
AREAS_SCHEME = "https://w3id.org/sse-ld/peru/areas"

#: SHA-256 of the UBIGEO files, as pinned in ../shared/data/peru-ubigeo/README.md.
UBIGEO_SHA256 = {
    "ubigeo_departamento.csv": "4362c5ee7cfd0631938e365c7cf96c6340b1be4e2acb0e852206f2f65cca0097",
    "ubigeo_provincia.csv": "832eab7cc4da217093f7d363e0a3d7873dbe6a3df694541d542f55ca94fcb3fb",
    "ubigeo_distrito.csv": "6a2cde8fb82e336285da4d684241450e8a36630e42799652c8d72b596ec252e4",
}

# --- policy frameworks ------------------------------------------------------------------

INSTRUMENT_TYPE = {"ley": "ley", "decreto supremo": "decreto-supremo", "decreto legislativo": "decreto-legislativo"}
OSB_TYPES = ";".join(
    (
        "club-de-madres",
        "comite-vaso-de-leche",
        "comedor-popular-autogestionario",
        "cocina-familiar",
        "centro-familiar",
        "centro-materno-infantil",
    )
)
TITLE = "named in the title"

# Relations between instruments and the organisation types they concern, each read from the
# words of the source row quoted in the comment. Nothing is inferred beyond what they state.
RELATIONS: dict[str, dict[str, str]] = {
    # title "...Clubes de Madres, Comités de Vaso de Leche, Comedores Populares Autogestionarios,
    # Cocinas Familiares, Centros Familiares, Centros Materno-Infantiles..." (and the note)
    "P01": {"concerns": OSB_TYPES, "concerns_basis": "named in the title (art. 1 enumerates them)"},
    # title "Reglamento de la Ley N° 25307"
    "P02": {"regulates": "P01", "concerns": OSB_TYPES, "concerns_basis": "regulation of Ley N° 25307 (names them)"},
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
    "P10": {
        "consolidates": "P09",
        "concerns": "cooperativa",
        "concerns_basis": "named in the title",
        "legal_status": "reemplazado",
    },
    # title "Texto Único Ordenado de la Ley General de Cooperativas"; subject "(replaces DS 074-90-TR)"
    "P11": {"consolidates": "P09", "replaces": "P10", "concerns": "cooperativa", "concerns_basis": TITLE},
    # title "...Cooperativas de Ahorro y Crédito"
    "P12": {"concerns": "cooperativa-ahorro-credito", "concerns_basis": "named in the title"},
    # title "...cooperativas agrarias"
    "P13": {"concerns": "cooperativa-agraria", "concerns_basis": "named in the title"},
    # title "Reglamento de la Ley N° 29337"
    "P15": {"regulates": "P14"},
}
# What the titles and notes quoted above must contain, checked so a changed source fails loudly.
RELATION_EVIDENCE = {
    "P02": ("title_es", "Reglamento de la Ley N° 25307"),
    "P08": ("note", "amends P07"),
    "P10": ("note", "replaced by P11"),
    "P11": ("subject", "replaces DS 074-90-TR"),
    "P15": ("title_es", "Reglamento de la Ley N° 29337"),
}

# fmt: off
POLICY_COLUMNS = [
    "id", "identifier", "instrument_type", "title_es", "subject_en", "date_document", "date_publication",
    "date_status", "source", "verification", "legal_status", "regulates", "amends", "replaces", "consolidates",
    "concerns", "concerns_basis", "note"
]
# fmt: on
NEED_COLUMNS = ["id", "instrument_type", "title_es", "subject_en", "source", "legal_status", "note"]

# --- statistics ------------------------------------------------------------------------

# Columns of facts.csv translated to codes. geography "Lima (per GRESP text)" is the
# department LIMA (150000), the widest area the text can mean; "Lima + Callao" is the group of
# the two departments. The source's wording is kept with each observation (area_as_given).
GEOGRAPHY = {"Lima (per GRESP text)": "150000", "Peru": "pe", "Lima + Callao": "group-150000-070000"}
UNIT = {"persons": ("persons", ""), "organizations": ("organisations", ""), "year": ("year", "")}
UNIT["organizations (more than)"] = ("organisations", "more-than")

# fact -> (organisation type, metric); the type is what the row's topic and metric name.
FACTS: dict[str, tuple[str, str]] = {
    "F01": ("comedor-popular-autogestionario", "member-count"),  # members of self-managed comedores
    "F02": ("comedor-popular-autogestionario", "organisation-count"),  # self-managed comedores
    "F03": ("comedor-popular-subsidiado", "organisation-count"),  # state-subsidized comedores
    "F05": ("cooperativa", "organisation-count"),  # cooperatives counted by census
    "F06": ("cooperativa-agraria", "organisation-count"),
    "F07": ("cooperativa-ahorro-credito", "organisation-count"),
    "F08": ("cooperativa-servicios-multiples", "organisation-count"),
    "F09": ("cooperativa-servicios-especiales", "organisation-count"),
    "F10": ("cooperativa-vivienda", "organisation-count"),
    "F11": ("cooperativa-minera", "organisation-count"),
    "F12": ("cooperativa-transporte", "organisation-count"),
    "F13": ("cooperativa-otra", "organisation-count"),
    "F14": ("cooperativa", "organisation-count"),  # cooperatives in Lima and Callao
    "F15": ("cooperativa", "organisation-count"),  # registered with SUNAT
    "F16": ("cooperativa", "organisation-count"),  # in PRODUCE directory
    "F17": ("cooperativa", "organisation-count"),  # PRODUCE figure quoted by press
    "F18": ("cooperativa-ahorro-credito", "organisation-count"),  # COOPAC in SBS register
    "F19": ("olla-comun", "organisation-count"),  # ollas comunes in Mankachay Perú register
    "F20": ("olla-comun", "user-count"),  # users of registered ollas comunes
    "F21": ("comedor-popular", "organisation-count"),  # comedores supervised by Defensoría
}
# Facts about one named organisation, published in their own data set (no area or period).
ORGANISATION_FACTS = {"F04": ("gresp", "founding-year")}

# Figures stated in a fact's note about a part of that fact: (fact, exact words of the note,
# label, area, organisation type, metric, unit, period or "" for the fact's period).
# fmt: off
NOTE_FIGURES: list[tuple[str, str, str, str, str, str, str, str]] = [
    ("F05", "1 006 usuarios", "user cooperatives counted by census", "pe", "cooperativa-de-usuarios",
     "organisation-count", "organisations", ""),
    ("F05", "239 trabajadores", "worker cooperatives counted by census", "pe", "cooperativa-de-trabajadores",
     "organisation-count", "organisations", ""),
    ("F18", "157 in 2018", "COOPAC in SBS register", "pe", "cooperativa-ahorro-credito",
     "organisation-count", "organisations", "2018"),
    ("F18", "435 in 2019", "COOPAC in SBS register", "pe", "cooperativa-ahorro-credito",
     "organisation-count", "organisations", "2019"),
    ("F21", "also 991 ollas comunes", "ollas comunes supervised by Defensoría", "pe", "olla-comun",
     "organisation-count", "organisations", ""),
    ("F21", "(65 284 users)", "users of the ollas comunes supervised by Defensoría", "pe", "olla-comun",
     "user-count", "persons", ""),
    ("F21", "PCA comedores serve 140 350 people", "people served by PCA comedores", "pe", "comedor-popular",
     "user-count", "persons", ""),
]
# fmt: on
# The note of F19 lists the register by region ("Lima Metropolitana 2 476; Callao 242; ...").
# Regions are departments, except the two parts of Lima, which are ISO 3166-2 subdivisions.
F19_SPLIT = {"Lima Metropolitana": "PE-LMA", "Lima Provincias": "PE-LIM"}
F19_NOT_A_REGION = "local governments"  # "85 local governments": not a count of ollas comunes

# fmt: off
OBS_COLUMNS = [
    "id", "fact", "dataset", "area", "area_as_given", "period", "organisation_type", "metric", "value", "unit",
    "qualifier", "status", "label_en", "source", "source_url", "note"
]
# fmt: on
# fmt: off
ORG_FACT_COLUMNS = [
    "id", "fact", "dataset", "organisation", "metric", "value", "unit", "status", "label_en", "source",
    "source_url", "note"
]
# fmt: on

STATISTICS = [
    {
        "id": "sse-peru",
        "structure": "observationsStructure",
        "title_en": "Statistics on the social and solidarity economy of Peru",
        "title_es": "Estadísticas de la economía social y solidaria del Perú",
        "description_en": "Published figures on SSE organisations in Peru by area, period and organisation type, "
        "each with its source and status.",
        "description_es": "Cifras publicadas sobre organizaciones de la ESS en el Perú por área, período y tipo de "
        "organización, cada una con su fuente y su estado.",
    },
    {
        "id": "organisation-facts",
        "structure": "organisationFactsStructure",
        "title_en": "Facts about named SSE organisations of Peru",
        "title_es": "Datos sobre organizaciones de la ESS del Perú nombradas por una fuente",
        "description_en": "Figures about one named organisation (such as its founding year), each with its source.",
        "description_es": "Cifras sobre una organización nombrada (como su año de fundación), cada una con su fuente.",
    },
]

COUNTRY = [
    {"code": "pe", "iso_alpha2": "PE", "name_es": "Perú", "name_en": "Peru", "source": "ISO 3166-1 alpha-2"},
]

# Networks named by a source. GRESP: facts.csv F04 (RIPESS); the expanded name is the one in
# the address of that RIPESS page (".../grupo-red-de-economia-solidaria-del-peru-gresp-...").
NETWORKS = [
    {
        "id": "gresp",
        "fact": "F04",
        "name": "GRESP",
        "name_expanded_es": "Grupo Red de Economía Solidaria del Perú",
        "url_evidence": "grupo-red-de-economia-solidaria-del-peru-gresp",
        "organisation_type": "red",
        "area": "pe",
    }
]
# fmt: off
NETWORK_COLUMNS = [
    "id", "name", "name_expanded_es", "organisation_type", "founding_year", "area", "source", "source_url", "note"
]
# fmt: on

AREA_GROUPS = [
    {
        "id": "group-150000-070000",
        "name": "Lima + Callao",
        "areas": "150000;070000",
        "basis": "geography of facts.csv F14 ('Lima + Callao'): the departments LIMA and CALLAO together",
    }
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
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(buf.getvalue(), encoding="utf-8")


def _check_ubigeo(src: Path) -> None:
    for name, digest in UBIGEO_SHA256.items():
        got = hashlib.sha256((src / name).read_bytes()).hexdigest()
        if got != digest:
            raise SystemExit(f"{src / name}: SHA-256 {got} differs from the pinned {digest}")


def _squash(text: str) -> str:
    """Collapse runs of white space (line breaks included) to one space."""
    return " ".join(text.split())


def _plain(name: str) -> str:
    """Upper case without accents, as the UBIGEO files spell names (Junín -> JUNIN)."""
    decomposed = unicodedata.normalize("NFD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).upper()


def _number(words: str) -> str:
    """The first number written in ``words``, thousands spaces removed ("2 476;" -> 2476)."""
    found = re.findall(r"\d+(?: \d{3})*", words)
    if not found:
        raise SystemExit(f"no number in {words!r}")
    return found[0].replace(" ", "")


class _Ubigeo:
    """The three UBIGEO tables, read once, with the lookups the rules above need."""

    def __init__(self, shared: Path) -> None:
        src = shared / "peru-ubigeo"
        _check_ubigeo(src)
        self.deps = _read(src / "ubigeo_departamento.csv")
        self.provs = _read(src / "ubigeo_provincia.csv")
        self.dists = _read(src / "ubigeo_distrito.csv")
        self.dep_by_name = {r["departamento"]: r["inei"] for r in self.deps}
        self.prov_by_name = {(r["departamento"], r["provincia"]): r["inei"] for r in self.provs}
        for r in self.provs:
            assert self.dep_by_name[r["departamento"]][:2] == r["inei"][:2], r["inei"]
        for r in self.dists:
            parent = self.prov_by_name[(r["departamento"], r["provincia"])]
            assert r["inei"] == "NA" or parent[:4] == r["inei"][:4], r["inei"]

    def iso_subdivisions(self) -> list[dict[str, str]]:
        """One row per ISO 3166-2 code: its name (the ``region`` column) and department."""
        names: dict[str, set[str]] = {}
        for r in self.provs:
            names.setdefault(r["iso_3166_2"], set()).add(r["region"])
        department = {r["iso_3166_2"]: r["inei"] for r in self.deps}
        for r in self.provs:
            department.setdefault(r["iso_3166_2"], r["inei"][:2] + "0000")
        out = []
        for code in sorted(names.keys() | department.keys()):
            (name,) = names[code]  # the source gives one region name per code
            out.append({"code": code, "name": name, "department": department[code]})
        return out

    def iso_match(self) -> dict[str, str]:
        """INEI code -> ISO code, for the highest-level area whose row carries each ISO code."""
        match = {r["inei"]: r["iso_3166_2"] for r in self.deps}
        taken = set(match.values())
        for r in self.provs:
            if r["iso_3166_2"] not in taken:
                match[r["inei"]] = r["iso_3166_2"]
                taken.add(r["iso_3166_2"])
        return match


def _area_row(r: dict[str, str], match: dict[str, str]) -> dict[str, str]:
    return {
        "inei": r["inei"],
        "reniec": r["reniec"],
        "iso_match": match.get(r["inei"], ""),
        "capital": _squash(r["capital"]),
        "surface_km2": r["superficie"],
        "altitude_m": r["altitude"],
        "latitude": r["latitude"],
        "longitude": r["longitude"],
    }


AREA_TAIL = ["capital", "surface_km2", "altitude_m", "latitude", "longitude"]


def derive_areas(u: _Ubigeo, out: Path) -> None:
    """The UBIGEO tables of the package (``data/ubigeo/``)."""
    match = u.iso_match()
    deps = [{**_area_row(r, match), "name": r["departamento"]} for r in u.deps]
    _write(out / "departments.csv", ["inei", "reniec", "name", "iso_match", *AREA_TAIL], deps)
    provs = [
        {**_area_row(r, match), "name": r["provincia"], "department": u.dep_by_name[r["departamento"]]} for r in u.provs
    ]
    _write(out / "provinces.csv", ["inei", "reniec", "department", "name", "iso_match", *AREA_TAIL], provs)
    dists = [
        {**_area_row(r, match), "name": r["distrito"], "province": u.prov_by_name[(r["departamento"], r["provincia"])]}
        for r in u.dists
    ]
    _write(out / "districts.csv", ["inei", "reniec", "province", "name", *AREA_TAIL], dists)
    _write(out / "iso_subdivisions.csv", ["code", "name", "department"], u.iso_subdivisions())


def derive_policies(shared: Path, out: Path) -> None:
    """``policy_frameworks.csv`` (enacted instruments) and ``policy_needs.csv`` (P16)."""
    policies, needs = [], []
    for row in _read(shared / "peru-sse-facts" / "policy_frameworks.csv"):
        pid = row["policy_id"]
        if pid in RELATION_EVIDENCE:
            column, words = RELATION_EVIDENCE[pid]
            assert words in row[column], (pid, column, words)
        if row["identifier"] == "(none)":
            assert row["type"] == "ley (required)", row["type"]
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
                **{k: rel.get(k, "") for k in ("regulates", "amends", "replaces", "consolidates", "concerns")},
                "concerns_basis": rel.get("concerns_basis", ""),
                "note": row["note"],
            }
        )
    _write(out / "policy_frameworks.csv", POLICY_COLUMNS, policies)
    _write(out / "policy_needs.csv", NEED_COLUMNS, needs)


def _status(text: str) -> str:
    """facts.csv status -> observation-status code: 'verified-text (date unverified)' -> ..."""
    return text.replace(" (date unverified)", "-date-unverified").replace(" ", "-")


def derive_observations(shared: Path, u: _Ubigeo, out: Path) -> list[dict[str, str]]:
    """``observations.csv`` and ``organisation_facts.csv``; returns the facts rows."""
    rows = _read(shared / "peru-sse-facts" / "facts.csv")
    facts = {r["fact_id"]: r for r in rows}
    assert set(facts) == set(FACTS) | set(ORGANISATION_FACTS), "every fact is published exactly once"

    def source(f: dict[str, str]) -> str:
        s = f["source"]
        return facts[s[len("same as ") :]]["source"] if s.startswith("same as ") else s

    def base(f: dict[str, str]) -> dict[str, str]:
        unit, qualifier = UNIT[f["unit"]]
        return {
            "fact": f["fact_id"],
            "value": f["value"],
            "unit": unit,
            "qualifier": qualifier,
            "status": _status(f["status"]),
            "source": source(f),
            "source_url": f["source_url"],
        }

    observations = []
    for fid, (orgtype, metric) in FACTS.items():
        f = facts[fid]
        observations.append(
            {
                **base(f),
                "id": fid,
                "dataset": "sse-peru",
                "area": GEOGRAPHY[f["geography"]],
                "area_as_given": f["geography"],
                "period": f["reference_period"],
                "organisation_type": orgtype,
                "metric": metric,
                "label_en": f["metric"],
                "note": f["note"],
            }
        )
    extra = [(*figure, facts[figure[0]]["geography"]) for figure in NOTE_FIGURES]
    for part in (p.strip() for p in facts["F19"]["note"].split(";")):
        if F19_NOT_A_REGION in part:
            continue
        m = re.fullmatch(r"(.+?) (\d+(?: \d{3})*)", part)
        assert m, part
        place = m.group(1)
        area = F19_SPLIT.get(place) or u.dep_by_name[_plain(place)]
        label = f"ollas comunes in Mankachay Perú register: {place}"
        extra.append(("F19", part, label, area, "olla-comun", "organisation-count", "organisations", "", place))
    counters: dict[str, int] = {}
    for fid, words, label, area, orgtype, metric, unit, period, as_given in extra:
        f = facts[fid]
        assert words in f["note"] and (not period or period in words), (fid, words)
        counters[fid] = counters.get(fid, 0) + 1
        observations.append(
            {
                **base(f),
                "id": f"{fid}.{counters[fid]}",
                "dataset": "sse-peru",
                "area": area,
                "area_as_given": as_given,
                "period": period or f["reference_period"],
                "organisation_type": orgtype,
                "metric": metric,
                "value": _number(words),
                "unit": unit,
                "qualifier": "",
                "label_en": label,
                "note": f"read in the note of {fid}: '{words}'",
            }
        )
    observations.sort(key=lambda o: (o["fact"], int(o["id"].partition(".")[2] or 0)))
    _write(out / "observations.csv", OBS_COLUMNS, observations)

    org_facts = []
    for fid, (organisation, metric) in ORGANISATION_FACTS.items():
        f = facts[fid]
        org_facts.append(
            {
                **base(f),
                "id": fid,
                "dataset": "organisation-facts",
                "organisation": organisation,
                "metric": metric,
                "label_en": f["metric"],
                "note": f["note"],
            }
        )
    _write(out / "organisation_facts.csv", ORG_FACT_COLUMNS, org_facts)
    return rows


def derive_networks(facts: list[dict[str, str]], out: Path) -> None:
    """``networks.csv``: the SSE networks a source names (founding year from its fact)."""
    by_id = {r["fact_id"]: r for r in facts}
    rows = []
    for n in NETWORKS:
        f = by_id[n["fact"]]
        assert n["url_evidence"] in f["source_url"], n
        assert f["metric"] == f"founding year of {n['name']}" and f["unit"] == "year", f
        rows.append(
            {
                **n,
                "founding_year": f["value"],
                "source": f["source"],
                "source_url": f["source_url"],
                "note": f"{f['note']} (facts.csv {n['fact']})",
            }
        )
    _write(out / "networks.csv", NETWORK_COLUMNS, rows)


def derive(shared: Path, out: Path) -> None:
    """Write the package tables derived from ``shared`` into the package folder ``out``."""
    data = out / "data"
    u = _Ubigeo(shared)
    _write(data / "country.csv", list(COUNTRY[0]), COUNTRY)
    derive_areas(u, data / "ubigeo")
    _write(data / "area_groups.csv", list(AREA_GROUPS[0]), AREA_GROUPS)
    _write(data / "statistics.csv", list(STATISTICS[0]), STATISTICS)
    derive_policies(shared, data)
    facts = derive_observations(shared, u, data)
    derive_networks(facts, data)


# --- the bundled SKOS scheme of areas -----------------------------------------------------


def _ttl_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def area_iri(inei: str, reniec: str) -> str:
    """IRI of an area: its INEI code; the one district without INEI code gets its RENIEC code."""
    return AREA + (inei if inei != "NA" else f"reniec-{reniec}")


def derive_regions(shared: Path) -> str:
    """The bundled SKOS scheme of Peru's areas (Turtle), so any package can link to a
    department, province or district by its INEI code with cell-level validation.

    The scheme holds the skeleton of each area (class, notation, name, parent as skos:broader
    and geo:sfWithin, level); the
    full description (RENIEC codes, ISO matches, capital, coordinates) is in the Peru
    dataset under the same IRIs. The district without INEI code carries only its RENIEC
    notation, so it cannot be referenced by INEI code. The ISO 3166-2 subdivisions are in
    the scheme too, with ISO notations; codes are looked up among INEI notations only.
    """
    u = _Ubigeo(shared)
    out = [
        "# Peru's administrative areas as a SKOS concept scheme: 25 departments, 196 provinces,",
        "# 1,893 districts and the 26 ISO 3166-2 subdivisions. Generated by",
        "# datasets/peru-sse/scripts/derive.py from UBIGEO data: Jesus M. Castagnetto,",
        "# ubigeo-peru-aumentado (MIT), compiled from INEI, RENIEC, CEPLAN, MINSA and PNUD.",
        "# Do not edit by hand. The full description of each area (RENIEC codes, ISO matches,",
        "# capital, coordinates) is in the Peru dataset, under the same IRIs.",
        "@prefix geo: <http://www.opengis.net/ont/geosparql#> .",
        "@prefix pearea: <https://w3id.org/sse-ld/peru/area/> .",
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .",
        "@prefix sse: <https://w3id.org/sse-ld/ontology#> .",
        "@prefix vann: <http://purl.org/vocab/vann/> .",
        "",
        f"<{AREAS_SCHEME}> a skos:ConceptScheme ;",
        '    skos:prefLabel "administrative areas of Peru (UBIGEO and ISO 3166-2)"@en,',
        '        "áreas administrativas del Perú (UBIGEO e ISO 3166-2)"@es ;',
        '    skos:definition "Departments, provinces and districts of Peru, identified by their INEI UBIGEO codes,'
        ' and the ISO 3166-2 subdivisions of Peru."@en,',
        '        "Departamentos, provincias y distritos del Perú, identificados por sus códigos UBIGEO del INEI,'
        ' y las subdivisiones ISO 3166-2 del Perú."@es ;',
        '    vann:preferredNamespacePrefix "pearea" ;',
        '    vann:preferredNamespaceUri "https://w3id.org/sse-ld/peru/area/" ;',
        "    skos:hasTopConcept pearea:pe .",
        "",
        "pearea:pe a skos:Concept, sse:Country ;",
        f"    skos:inScheme <{AREAS_SCHEME}> ;",
        f"    skos:topConceptOf <{AREAS_SCHEME}> ;",
        '    skos:notation "PE" ;',
        '    skos:prefLabel "Perú"@es, "Peru"@en ;',
        "    sse:administrativeLevel 0 .",
    ]
    classes = {1: "sse:FirstLevelArea", 2: "sse:SecondLevelArea", 3: "sse:ThirdLevelArea"}

    def concept(iri: str, cls: str, notation: str, label: str, broader: str, level: int, within: str) -> None:
        out.extend(
            [
                "",
                f"<{iri}> a skos:Concept, {cls} ;",
                f"    skos:inScheme <{AREAS_SCHEME}> ;",
                f"    skos:notation {notation} ;",
                f"    skos:prefLabel {_ttl_string(label)}@es ;",
                f"    skos:broader <{broader}> ;",
                f"    geo:sfWithin <{within}> ;",
                f"    sse:administrativeLevel {level} .",
            ]
        )

    def ubigeo(level: int, r: dict[str, str], label: str, broader: str) -> None:
        code, datatype = (r["inei"], "IneiUbigeo") if r["inei"] != "NA" else (r["reniec"], "ReniecUbigeo")
        notation = f'"{code}"^^sse:{datatype}'
        concept(area_iri(r["inei"], r["reniec"]), classes[level], notation, label, broader, level, broader)

    for r in u.deps:
        ubigeo(1, r, r["departamento"], AREA + "pe")
    for r in u.provs:
        ubigeo(2, r, r["provincia"], AREA + u.dep_by_name[r["departamento"]])
    for r in u.dists:
        ubigeo(3, r, r["distrito"], AREA + u.prov_by_name[(r["departamento"], r["provincia"])])
    for s in u.iso_subdivisions():
        notation = f'"{s["code"]}"^^sse:ISO3166_2'
        concept(AREA + s["code"], "sse:ISO3166Subdivision", notation, s["name"], AREA + "pe", 1, AREA + s["department"])
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    shared = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SHARED
    derive(shared, HERE)
    (REPO / "ontology" / "regions").mkdir(exist_ok=True)
    (REPO / "ontology" / "regions" / "pe-ubigeo.ttl").write_text(derive_regions(shared), encoding="utf-8")
