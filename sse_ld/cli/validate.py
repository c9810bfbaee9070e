"""``sse-ld validate``: check a data package and print the report."""

from __future__ import annotations

import argparse

from ..pipeline import validate
from ..report import Severity
from ..reporters import REPORTERS
from .common import EXIT_INVALID, EXIT_OK, IO, add_package_options, package_options

NAME = "validate"
HELP = "check a data package: tables, mapping and SHACL shapes"
DESCRIPTION = (
    "Check a data package (tables with frictionless, the mapping, SHACL shapes) and report "
    "every finding with its file, line, row and column."
)
EXAMPLES = "example:\n  sse-ld validate datasets/peru-sse\n  sse-ld validate datasets/peru-sse --format json"


def configure(p: argparse.ArgumentParser) -> None:
    add_package_options(p)


def execute(args: argparse.Namespace, io: IO) -> int:
    report = validate(args.package, package_options(args, io))
    io.out.write(REPORTERS[args.format](report, max_per_group=args.max_per_group))
    return EXIT_INVALID if report.fails(Severity(args.fail_on)) else EXIT_OK
