"""Starting a new data package: :func:`init_package` writes a folder that validates at once.

The package has two tables, ``organisations`` and ``networks``, with Table Schemas whose
fields are titled and described in the chosen language, a mapping to the sse ontology, and
CSV files holding the header and one example row, marked as such, to replace. Codes come
from the bundled code lists: the organisation type from the organisation-type list, and
the district from Peru's areas by INEI UBIGEO code (e.g. ``150101`` for Lima). A README
says what to do next.

The folder is written next to its final place and renamed into it, so a failure leaves no
half-written package; an existing folder is used only if it is empty.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import vocab
from .errors import OutputError, UsageError
from .messages import Text

__all__ = ["ScaffoldResult", "init_package"]

T = Text

#: The identifier of the example rows, which the README asks to delete.
EXAMPLE_ID = "ejemplo-1"


@dataclass(frozen=True)
class ScaffoldResult:
    """What :func:`init_package` wrote: the folder and its files (relative paths)."""

    folder: Path
    files: tuple[str, ...]


def _field(name: str, typ: str, title: Text, description: Text, lang: str, **constraints: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"name": name, "type": typ, "title": title.get(lang), "description": description.get(lang)}
    if constraints:
        out["constraints"] = constraints
    return out


_ID_PATTERN = "[a-z0-9]+(-[a-z0-9]+)*"
_ID_HELP = T(
    "Identifier of the row in this package: lower-case letters, digits and hyphens. It becomes part of the "
    "published IRI, so do not change it once published.",
    "Identificador de la fila en este paquete: letras minúsculas, cifras y guiones. Forma parte del IRI "
    "publicado, así que no lo cambie una vez publicado.",
)


def _descriptor(name: str, lang: str) -> dict[str, Any]:
    orgs = [
        _field("id", "string", T("identifier", "identificador"), _ID_HELP, lang, required=True, pattern=_ID_PATTERN),
        _field(
            "name",
            "string",
            T("name", "nombre"),
            T("Name of the organisation.", "Nombre de la organización."),
            lang,
            required=True,
        ),
        _field(
            "type",
            "string",
            T("type", "tipo"),
            T(
                "Code of the organisation type, from the organisation-type code list ('sse-ld codes "
                "organisation-type' lists them), e.g. comedor-popular-autogestionario, olla-comun, cooperativa.",
                "Código del tipo de organización, de la lista de tipos de organización ('sse-ld codes "
                "organisation-type --lang es' los lista); por ejemplo comedor-popular-autogestionario, olla-comun, "
                "cooperativa.",
            ),
            lang,
            required=True,
        ),
        _field(
            "ubigeo",
            "string",
            T("district (UBIGEO)", "distrito (UBIGEO)"),
            T(
                "INEI UBIGEO code of the district, six digits, e.g. 150101 for Lima.",
                "Código UBIGEO del INEI del distrito, seis cifras; por ejemplo 150101 para Lima.",
            ),
            lang,
            pattern="[0-9]{6}",
        ),
        _field(
            "network",
            "string",
            T("network", "red"),
            T(
                "Identifier of the network the organisation belongs to, from networks.csv (may be empty).",
                "Identificador de la red a la que pertenece la organización, de networks.csv (puede quedar vacío).",
            ),
            lang,
        ),
        _field(
            "members",
            "integer",
            T("members", "miembros"),
            T("Number of members, a whole number.", "Número de miembros, un número entero."),
            lang,
            minimum=0,
        ),
        _field(
            "women",
            "integer",
            T("women members", "mujeres miembros"),
            T(
                "Number of women members; not more than members.",
                "Número de mujeres miembros; no más que el número de miembros.",
            ),
            lang,
            minimum=0,
        ),
        _field(
            "founded",
            "year",
            T("founding year", "año de fundación"),
            T("Year the organisation was founded, four digits.", "Año de fundación, cuatro cifras."),
            lang,
        ),
        _field(
            "website",
            "string",
            T("website", "sitio web"),
            T(
                "Web address starting with https:// (may be empty).",
                "Dirección web que empieza por https:// (puede quedar vacía).",
            ),
            lang,
        ),
    ]
    networks = [
        _field("id", "string", T("identifier", "identificador"), _ID_HELP, lang, required=True, pattern=_ID_PATTERN),
        _field(
            "name", "string", T("name", "nombre"), T("Name of the network.", "Nombre de la red."), lang, required=True
        ),
        _field(
            "founded",
            "year",
            T("founding year", "año de fundación"),
            T("Year the network was founded, four digits.", "Año de fundación de la red, cuatro cifras."),
            lang,
        ),
    ]
    return {
        "name": name,
        "title": T("SSE organisations: {name}", "Organizaciones de la ESS: {name}").get(lang).format(name=name),
        "description": T(
            "Organisations of the Social and Solidarity Economy. Describe here who collected the data, where and "
            "when, and from which sources.",
            "Organizaciones de la Economía Social y Solidaria. Describa aquí quién reunió los datos, dónde y "
            "cuándo, y de qué fuentes.",
        ).get(lang),
        "licenses": [
            {
                "name": "CC-BY-4.0",
                "path": "https://creativecommons.org/licenses/by/4.0/",
                "title": "Creative Commons Attribution 4.0",
            }
        ],
        "resources": [
            {
                "name": "organisations",
                "path": "data/organisations.csv",
                "format": "csv",
                "encoding": "utf-8",
                "schema": {
                    "fields": orgs,
                    "primaryKey": ["id"],
                    "foreignKeys": [{"fields": ["network"], "reference": {"resource": "networks", "fields": ["id"]}}],
                },
            },
            {
                "name": "networks",
                "path": "data/networks.csv",
                "format": "csv",
                "encoding": "utf-8",
                "schema": {"fields": networks, "primaryKey": ["id"]},
            },
        ],
        "sse_ld": {"mapping": "mapping.json"},
    }


def _mapping(base: str) -> dict[str, Any]:
    org_types = vocab.CODE_BASE + "organisation-type"
    return {
        "version": 1,
        "base": base,
        "resources": {
            "organisations": {
                "subject": "organisation/{id}",
                "types": ["sse:SSEOrganisation"],
                "properties": [
                    {"column": "name", "predicate": "skos:prefLabel", "lang": "es"},
                    {"column": "type", "predicate": "sse:organisationType", "codeList": org_types},
                    {"column": "ubigeo", "predicate": "sse:locatedIn", "codeList": vocab.PERU_AREAS},
                    {"column": "network", "predicate": "sse:memberOf", "ref": "networks"},
                    {"column": "members", "predicate": "sse:memberCount", "datatype": "xsd:nonNegativeInteger"},
                    {"column": "women", "predicate": "sse:womenMemberCount", "datatype": "xsd:nonNegativeInteger"},
                    {"column": "founded", "predicate": "sse:foundingYear"},
                    {"column": "website", "predicate": "schema:url", "iri": "{+website}"},
                ],
            },
            "networks": {
                "subject": "network/{id}",
                "types": ["sse:Network"],
                "constants": [{"predicate": "sse:organisationType", "iri": org_types + "/red"}],
                "properties": [
                    {"column": "name", "predicate": "skos:prefLabel", "lang": "es"},
                    {"column": "founded", "predicate": "sse:foundingYear"},
                ],
            },
        },
    }


def _csv(rows: list[list[str]]) -> str:
    import csv
    import io

    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue()


_EXAMPLE = T("EXAMPLE, delete this row", "EJEMPLO, borre esta fila")


def _data(lang: str) -> dict[str, str]:
    example = _EXAMPLE.get(lang)
    return {
        "data/organisations.csv": _csv(
            [
                ["id", "name", "type", "ubigeo", "network", "members", "women", "founded", "website"],
                [
                    EXAMPLE_ID,
                    f"Comedor Popular ({example})",
                    "comedor-popular-autogestionario",
                    "150101",
                    "red-ejemplo",
                    "25",
                    "20",
                    "",
                    "",
                ],
            ]
        ),
        "data/networks.csv": _csv([["id", "name", "founded"], ["red-ejemplo", f"Red ({example})", ""]]),
    }


_README = T(
    """# {name}

A data package of Social and Solidarity Economy organisations, started with `sse-ld init`.

1. Open `data/organisations.csv` and `data/networks.csv` in a spreadsheet. Each has one
   example row (marked "EXAMPLE"): delete it and add your rows under the header. Keep the
   header as it is, and save as CSV UTF-8 separated by commas.
2. The `type` column takes a code of the organisation-type code list, and `ubigeo` the INEI
   UBIGEO code of a district (six digits): `sse-ld codes organisation-type` lists the codes.
   `docs/contributing.en.md` in the sse_ld repository explains how to ask for a new one.
3. Describe the data in `datapackage.json`: title, description, sources and licence.
4. Check your work: `sse-ld validate {folder}` (add `--lang es` for Spanish). If it finds
   problems, `sse-ld validate {folder} --annotate annotated` writes a copy of the tables with
   a column saying what to fix in each row.
""",
    """# {name}

Un paquete de datos de organizaciones de la Economía Social y Solidaria, creado con `sse-ld init`.

1. Abra `data/organisations.csv` y `data/networks.csv` en una hoja de cálculo. Cada uno tiene
   una fila de ejemplo (marcada "EJEMPLO"): bórrela y añada sus filas bajo la cabecera. Deje
   la cabecera como está, y guarde como CSV UTF-8 separado por comas.
2. La columna `type` lleva un código de la lista de tipos de organización, y `ubigeo` el
   código UBIGEO del INEI de un distrito (seis cifras): `sse-ld codes organisation-type
   --lang es` lista los códigos. `docs/contributing.es.md` en el repositorio de sse_ld
   explica cómo pedir uno nuevo.
3. Describa los datos en `datapackage.json`: título, descripción, fuentes y licencia.
4. Revise su trabajo: `sse-ld validate {folder}`. Si encuentra problemas,
   `sse-ld validate {folder} --annotate anotado` escribe una copia de las tablas con una
   columna que dice qué corregir en cada fila.
""",
)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "sse-data"


def init_package(
    folder: str | os.PathLike[str], *, name: str | None = None, lang: str = "en", base: str | None = None
) -> ScaffoldResult:
    """Write a new data package into ``folder`` (created, or existing and empty).

    Args:
        folder: where to write the package.
        name: the package name (lower-case, digits, ``-._``); defaults to the folder name.
        lang: language of the titles, descriptions, example rows and README (``en``/``es``).
        base: base IRI of the dataset's resources; defaults to ``https://example.org/<name>/``,
            which is a placeholder to replace before publishing.

    Raises:
        OutputError: ``folder`` exists and is not an empty folder, or cannot be written.
        UsageError: ``name`` or ``base`` is not usable.
    """
    target = Path(folder)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise OutputError(
            "the folder is not empty; sse-ld init only writes into a new or empty folder",
            file=str(target),
            hint="choose a new folder name, e.g. sse-ld init my-new-package",
        )
    name = name or _slug(target.resolve().name)
    if not re.fullmatch(r"[a-z0-9][a-z0-9._-]*", name):
        raise UsageError(f"the package name {name!r} must be lower-case letters, digits, '-', '_' or '.'")
    base = base or f"https://example.org/{name}/"
    if not re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+[/#]", base):
        raise UsageError(f"the base IRI {base!r} must be an http(s) IRI ending with / or #")
    files = {
        "datapackage.json": json.dumps(_descriptor(name, lang), ensure_ascii=False, indent=2) + "\n",
        "mapping.json": json.dumps(_mapping(base), ensure_ascii=False, indent=2) + "\n",
        **_data(lang),
        "README.md": _README.get(lang).format(name=name, folder=str(target)),
    }
    parent = target.absolute().parent
    staging = parent / f".{target.name}.init-{uuid.uuid4().hex[:8]}"
    try:
        parent.mkdir(parents=True, exist_ok=True)
        for rel, text in files.items():
            path = staging / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="\n")
        if target.is_dir():
            target.rmdir()
        os.rename(staging, target)
    except OSError as exc:
        raise OutputError(f"cannot write the package: {exc.strerror or exc}", file=str(target)) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return ScaffoldResult(target, tuple(sorted(files)))
