"""``sse-ld build``: validate a data package and publish it."""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import os
import re

from ..errors import UsageError
from ..pipeline import build
from ..report import Severity
from ..reporters import REPORTERS
from .common import EXIT_INVALID, EXIT_OK, IO, add_package_options, language, package_options

NAME = "build"
HELP = "validate a data package and publish its RDF dumps"
DESCRIPTION = (
    "Validate a data package and, if it has no errors, write Turtle, N-Triples and JSON-LD dumps, "
    "provenance, a DCAT-AP catalog, schema.org and VoID descriptions, checksums and the report into "
    "the output folder, replacing it atomically."
)
EXAMPLES = (
    "examples:\n  sse-ld build datasets/peru-sse --out dist/peru-sse\n"
    "  sse-ld build datasets/peru-sse --out dist/peru-sse --download-base https://data.example.org/peru-sse/ "
    "--issued 2025-06-30"
)


def configure(p: argparse.ArgumentParser) -> None:
    add_package_options(p)
    p.add_argument("--out", required=True, metavar="DIR", help="output folder (replaced atomically)")
    p.add_argument("--force", action="store_true", help="publish even when there are errors")
    p.add_argument(
        "--download-base",
        metavar="URL",
        help="URL the output folder will be served under; the catalog's download links point there "
        "(default: the package's sse_ld.catalog.download_base, else its homepage, else the base IRI)",
    )
    p.add_argument(
        "--issued",
        metavar="DATE",
        help="publication date (YYYY-MM-DD) for the catalog and provenance (default: SOURCE_DATE_EPOCH "
        "if set, else none: no clock time in the output)",
    )


def _issued(arg: str | None) -> str | None:
    """``--issued``, else the date of ``SOURCE_DATE_EPOCH`` (reproducible-builds.org), else None."""
    if arg is not None:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", arg):
            raise UsageError(f"--issued {arg!r}: write a date as YYYY-MM-DD")
        try:
            datetime.date.fromisoformat(arg)
        except ValueError:
            raise UsageError(f"--issued {arg!r} is not a calendar date") from None
        return arg
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        if not epoch.isdigit():
            raise UsageError(f"SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds")
        return datetime.datetime.fromtimestamp(int(epoch), tz=datetime.timezone.utc).date().isoformat()
    return None


def execute(args: argparse.Namespace, io: IO) -> int:
    options = dataclasses.replace(
        package_options(args, io), download_base=args.download_base, issued=_issued(args.issued)
    )
    result = build(args.package, args.out, options, force=args.force)
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
