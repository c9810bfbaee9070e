"""``sse-ld explain``: what a finding code means and how to fix it."""

from __future__ import annotations

import argparse

from ..errors import UsageError
from ..messages import KINDS, kind, ui
from .common import EXIT_OK, IO, add_lang_option, language

NAME = "explain"
HELP = "say what a finding code means and how to fix it"
DESCRIPTION = (
    "Print the meaning of a finding code (such as type-error or sh:MinCountConstraintComponent) and how to "
    "fix it; without a code, list every code."
)
EXAMPLES = "examples:\n  sse-ld explain unknown-code --lang es\n  sse-ld explain"


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("code", nargs="?", help="a finding code, as the report shows it")
    add_lang_option(p)


def execute(args: argparse.Namespace, io: IO) -> int:
    lang = language(args.lang)
    if args.code is None:
        width = max(len(code) for code in KINDS)
        for code, each in KINDS.items():
            print(f"{code:<{width}}  {each.title.get(lang)}", file=io.out)
        return EXIT_OK
    entry = kind(args.code)
    if entry is None:
        raise UsageError(f"unknown finding code {args.code!r}", hint="run 'sse-ld explain' to list the codes")
    print(f"{entry.code} ({entry.stage}): {entry.title.get(lang)}", file=io.out)
    print(f"  {entry.explanation.get(lang)}", file=io.out)
    print(f"  {ui('fix', lang)}: {entry.fix.get(lang)}", file=io.out)
    return EXIT_OK
