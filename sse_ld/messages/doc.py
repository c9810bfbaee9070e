"""docs/findings.md, generated from the catalogue (``python -m sse_ld.messages``)."""

from __future__ import annotations

from collections.abc import Iterable

from .core import Kind

__all__ = ["render"]

_STAGES = (
    ("package", "Package and files", "Paquete y archivos"),
    ("table", "Tables (frictionless)", "Tablas (frictionless)"),
    ("mapping", "Mapping to RDF", "Mapping a RDF"),
    ("shacl", "SHACL shapes", "Formas SHACL"),
)


def render(kinds: Iterable[Kind]) -> str:
    """Every finding code with its meaning and fix, in English and Spanish, by stage."""
    kinds = list(kinds)
    out = [
        "# Finding codes · Códigos de los hallazgos",
        "",
        "Every finding of `sse-ld validate` has a stable code. This page says, in English and",
        "Spanish, what each code means and how to fix it; `sse-ld explain CODE` says the same on",
        "the command line. Generated from the catalogue in `sse_ld/messages/`: regenerate with",
        "`python -m sse_ld.messages > docs/findings.md` (a test fails when this file is stale).",
        "",
        "Cada hallazgo de `sse-ld validate` tiene un código estable. Esta página dice, en inglés y",
        "en español, qué significa cada código y cómo corregirlo; `sse-ld explain CÓDIGO --lang es`",
        "dice lo mismo en la línea de órdenes.",
        "",
        "| code · código | en | es |",
        "| --- | --- | --- |",
    ]
    out += [f"| [`{k.code}`](#{_anchor(k.code)}) | {k.title.en} | {k.title.es} |" for k in kinds]
    for stage, en, es in _STAGES:
        section = [k for k in kinds if k.stage == stage]
        if not section:
            continue
        out += ["", f"## {en} · {es}"]
        for k in section:
            out += [
                "",
                f"### `{k.code}`",
                "",
                f"**en** — *{k.title.en}.* {k.explanation.en} **Fix:** {k.fix.en}.",
                "",
                f"**es** — *{k.title.es}.* {k.explanation.es} **Cómo corregirlo:** {k.fix.es}.",
            ]
    return "\n".join(out) + "\n"


def _anchor(code: str) -> str:
    """The anchor GitHub gives the heading of ``code``."""
    return "".join(c for c in code.lower() if c.isalnum() or c in "-_")
