"""``sse-ld validate``: check data packages and print the report."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..annotate import annotate
from ..errors import SseLdError
from ..pipeline import validate
from ..report import Report, Severity
from ..reporters import REPORTERS
from ..workspace import find_packages
from .common import EXIT_INPUT, EXIT_INVALID, EXIT_OK, IO, add_package_options, language, package_options

NAME = "validate"
HELP = "check data packages: tables, mapping and SHACL shapes"
DESCRIPTION = (
    "Check data packages (tables with frictionless, the mapping, SHACL shapes) and report every finding "
    "with its file, line, row, column and value, and how to fix it. PATH may be a package folder, its "
    "datapackage.json, or any file inside a package, so a pre-commit hook or a CI job can pass the files "
    "that changed."
)
EXAMPLES = (
    "examples:\n"
    "  sse-ld validate datasets/peru-sse\n"
    "  sse-ld validate datasets/peru-sse --lang es --annotate anotado\n"
    "  sse-ld validate $(git diff --name-only main) --format github\n"
    "  sse-ld validate datasets/peru-sse --format sarif > sse-ld.sarif"
)


def configure(p: argparse.ArgumentParser) -> None:
    add_package_options(p, many=True)
    p.add_argument(
        "--annotate",
        metavar="DIR",
        help="also write each CSV file into DIR with a first column listing that row's findings, to open in a "
        "spreadsheet (DIR/<package>/ when several packages are checked)",
    )


def execute(args: argparse.Namespace, io: IO) -> int:
    lang = language(args.lang)
    found = find_packages(args.paths)
    for path in found.outside:
        if not args.quiet:
            print(f"sse-ld: {path}: not inside a data package; skipped", file=io.err)
    if not found.packages:
        print("sse-ld: no data package among the given paths; nothing to check", file=io.err)
        return EXIT_OK
    options = package_options(args, io)
    reports: list[Report] = []
    failed = False
    for package in found.packages:
        try:
            reports.append(validate(package, options))
        except SseLdError as exc:
            if len(found.packages) == 1:
                raise
            print(f"sse-ld: error: {package}: {exc}", file=io.err)
            failed = True
    if reports:
        shown = reports[0] if len(reports) == 1 else reports
        io.out.write(REPORTERS[args.format](shown, lang=lang, max_per_group=args.max_per_group))
    if args.annotate:
        for report in reports:
            out = Path(args.annotate)
            if len(found.packages) > 1:
                out = out / _subfolder(report.package)
            result = annotate(report, out, lang=lang, limits=options.limits)
            if not args.quiet:
                print(f"sse-ld: wrote an annotated copy of {report.package} to {result.out}", file=io.err)
    if failed:
        return EXIT_INPUT
    threshold = Severity(args.fail_on)
    return EXIT_INVALID if any(r.fails(threshold) for r in reports) else EXIT_OK


def _subfolder(package: str) -> Path:
    """Where a package's annotated copy goes when several are checked: its path below the
    current folder (so that two packages called alike do not collide), else its name."""
    folder = Path(package).resolve()
    try:
        return folder.relative_to(Path.cwd().resolve())
    except ValueError:
        return Path(folder.name)
