"""``sse-ld build``: validate a data package and publish it."""

from __future__ import annotations

import argparse

from ..pipeline import build
from ..report import Severity
from ..reporters import REPORTERS
from .common import EXIT_INVALID, EXIT_OK, IO, add_package_options, language, package_options

NAME = "build"
HELP = "validate a data package and publish its RDF dumps"
DESCRIPTION = (
    "Validate a data package and, if it has no errors, write Turtle, N-Triples and JSON-LD dumps, "
    "provenance, checksums and the report into the output folder, replacing it atomically."
)
EXAMPLES = "example:\n  sse-ld build datasets/peru-sse --out dist/peru-sse"


def configure(p: argparse.ArgumentParser) -> None:
    add_package_options(p)
    p.add_argument("--out", required=True, metavar="DIR", help="output folder (replaced atomically)")
    p.add_argument("--force", action="store_true", help="publish even when there are errors")


def execute(args: argparse.Namespace, io: IO) -> int:
    result = build(args.package, args.out, package_options(args, io), force=args.force)
    io.out.write(REPORTERS[args.format](result.report, lang=language(args.lang), max_per_group=args.max_per_group))
    if not result.written:
        print(
            f"sse-ld: nothing written to {result.out}: the package has errors (use --force to publish anyway)",
            file=io.err,
        )
        return EXIT_INVALID
    if not args.quiet:
        print(f"sse-ld: wrote {len(result.files)} files ({result.triples} triples) to {result.out}", file=io.err)
    return EXIT_INVALID if result.report.fails(Severity(args.fail_on)) else EXIT_OK
