"""``sse-ld init``: start a new data package that validates at once."""

from __future__ import annotations

import argparse

from ..scaffold import init_package
from .common import EXIT_OK, IO, add_lang_option, language

NAME = "init"
HELP = "start a new data package (organisations and networks) from a template"
DESCRIPTION = (
    "Write a new data package into DIR (which must not exist or be empty): datapackage.json with the Table "
    "Schemas of organisations and networks, their mapping to RDF, CSV templates with the header and one example "
    "row to replace, and a README saying what to do next. Codes come from the bundled code lists (organisation "
    "types; Peru's districts by INEI UBIGEO code). The new package passes 'sse-ld validate' as it is."
)
EXAMPLES = (
    "examples:\n  sse-ld init mi-paquete --lang es\n  sse-ld init lima-2024 --base https://example.org/lima-2024/"
)


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("folder", metavar="DIR", help="folder to create (or an existing empty folder)")
    p.add_argument("--name", help="package name (default: from the folder name)")
    p.add_argument(
        "--base",
        metavar="IRI",
        help="base IRI of the dataset's resources (default: https://example.org/<name>/, a placeholder)",
    )
    add_lang_option(p)


def execute(args: argparse.Namespace, io: IO) -> int:
    lang = language(args.lang)
    result = init_package(args.folder, name=args.name, lang=lang, base=args.base)
    for name in result.files:
        print(f"  {result.folder / name}", file=io.out)
    nxt = {"en": "next: edit the CSV files, then run", "es": "siguiente paso: edite los CSV y ejecute"}[lang]
    print(f"sse-ld: {nxt}: sse-ld validate {result.folder}", file=io.err)
    return EXIT_OK
