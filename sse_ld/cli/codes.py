"""``sse-ld codes``: the code lists a code-list column can use, and their codes."""

from __future__ import annotations

import argparse

from ..codelists import code_lists
from ..errors import UsageError
from .common import EXIT_OK, IO, add_lang_option, language

NAME = "codes"
HELP = "list the code lists (organisation types, Peru's areas, ...) and their codes"
DESCRIPTION = (
    "Without an argument, list the bundled code lists (SKOS concept schemes) with the number of codes each "
    "has. With a code list (its IRI, or the last part of it such as organisation-type), list its codes: what "
    "to write in the cell, and what it means."
)
EXAMPLES = "examples:\n  sse-ld codes\n  sse-ld codes organisation-type --lang es"


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("code_list", nargs="?", metavar="LIST", help="a code list IRI, or its last path segment")
    add_lang_option(p)


def execute(args: argparse.Namespace, io: IO) -> int:
    lang = language(args.lang)
    lists = code_lists(lang)
    if args.code_list is None:
        for cl in lists:
            print(f"{cl.iri}  ({len(cl.codes)})  {cl.label}", file=io.out)
        return EXIT_OK
    wanted = args.code_list.rstrip("/")
    chosen = [cl for cl in lists if cl.iri == wanted or cl.iri.rsplit("/", 1)[-1] == wanted]
    if not chosen:
        raise UsageError(f"no code list {args.code_list!r}", hint="run 'sse-ld codes' to list them")
    cl = chosen[0]
    print(f"{cl.iri}: {cl.label}", file=io.out)
    if cl.definition:
        print(f"  {cl.definition}", file=io.out)
    width = max((len(c.notation) for c in cl.codes), default=0)
    for c in cl.codes:
        within = f"  ({c.broader})" if c.broader else ""
        print(f"  {c.notation:<{width}}  {c.label}{within}", file=io.out)
    return EXIT_OK
