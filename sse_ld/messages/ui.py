"""The words of the reports themselves (headings, counts, labels), in English and Spanish."""

from __future__ import annotations

from .core import Text, fill

__all__ = ["UI", "count", "ui"]

T = Text

UI: dict[str, Text] = {
    "valid": T("valid", "válido"),
    "invalid": T("INVALID", "NO VÁLIDO"),
    "error": T("error", "error"),
    "errors": T("errors", "errores"),
    "warning": T("warning", "aviso"),
    "warnings": T("warnings", "avisos"),
    "info": T("note", "nota"),
    "infos": T("notes", "notas"),
    "finding": T("finding", "hallazgo"),
    "findings": T("findings", "hallazgos"),
    "severity.error": T("ERROR", "ERROR"),
    "severity.warning": T("WARNING", "AVISO"),
    "severity.info": T("NOTE", "NOTA"),
    "stat.resources": T("tables", "tablas"),
    "stat.resources.one": T("table", "tabla"),
    "stat.rows": T("rows", "filas"),
    "stat.rows.one": T("row", "fila"),
    "stat.subjects": T("subjects", "sujetos"),
    "stat.subjects.one": T("subject", "sujeto"),
    "stat.triples": T("triples", "tripletas"),
    "stat.triples.one": T("triple", "tripleta"),
    "checked": T("checked", "revisado"),
    "in": T("in ${where}", "en ${where}"),
    "the package": T("the package", "el paquete"),
    "column": T("column ${name}", "columna ${name}"),
    "line": T("line ${n}", "línea ${n}"),
    "row": T("row ${n}", "fila ${n}"),
    "value": T("value ${value}", "valor ${value}"),
    "more": T("... and ${n} more like these", "... y ${n} más como estos"),
    "more rows": T(
        "... and ${n} more like these (rows ${first} to ${last})",
        "... y ${n} más como estos (filas ${first} a ${last})",
    ),
    "fix": T("fix", "cómo corregirlo"),
    "next": T(
        "Fix the problems above, then run again: sse-ld validate ${package}",
        "Corrija los problemas de arriba y vuelva a ejecutar: sse-ld validate ${package}",
    ),
    "codes": T(
        "What each code means: docs/findings.md (or sse-ld explain CODE)",
        "Qué significa cada código: docs/findings.md (o sse-ld explain CÓDIGO)",
    ),
    "annotation.column": T("sse-ld findings", "hallazgos sse-ld"),
    "more annotations": T(
        "... and ${n} more findings like this one (${code}); see the full report",
        "... y ${n} hallazgos más como este (${code}); vea el informe completo",
    ),
}


def ui(key: str, lang: str, **params: object) -> str:
    """The report word or phrase ``key`` in ``lang``, with its ``${...}`` filled."""
    return fill(UI[key].get(lang), params)


def count(n: int, word: str, lang: str) -> str:
    """``n`` and the singular or plural of ``word`` (a key of :data:`UI`): "1 error", "3 errores"."""
    return f"{n} {ui(word if n == 1 else word + 's', lang)}"
