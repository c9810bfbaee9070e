"""``sse-ld diff``: release notes between two builds."""

from __future__ import annotations

import argparse
import json

from ..diff import render_markdown
from ..errors import UsageError
from ..operations import build_prefixes, diff_builds
from .common import EXIT_INVALID, EXIT_OK, IO

NAME = "diff"
HELP = "release notes between two builds (Markdown or JSON)"
DESCRIPTION = (
    "Compare the main dumps of two builds and write release notes: entities added, removed and\n"
    "changed, by class and by region, label changes, the properties whose values changed, and\n"
    "triple counts per class. Like diff(1), exit 0 when the two builds hold the same triples\n"
    "and 1 when they differ."
)
EXAMPLES = (
    "examples:\n"
    "  sse-ld diff dist/peru-sse-0.1.0 dist/peru-sse > RELEASE-NOTES.md\n"
    "  sse-ld diff dist/old dist/new --format json --limit 1000"
)


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("old", metavar="OLD", help="the earlier build folder")
    p.add_argument("new", metavar="NEW", help="the later build folder")
    p.add_argument("--format", choices=["markdown", "json"], default="markdown", help="output (default: markdown)")
    p.add_argument(
        "--limit", type=int, default=100, metavar="N", help="entities and label changes listed per kind (default: 100)"
    )


def execute(args: argparse.Namespace, io: IO) -> int:
    if args.limit < 0:
        raise UsageError("--limit must be 0 or more")
    diff = diff_builds(args.old, args.new, limit=args.limit)
    if args.format == "json":
        io.out.write(json.dumps(diff.to_dict(), ensure_ascii=False, indent=2) + "\n")
    else:
        io.out.write(render_markdown(diff, build_prefixes(args.new)))
    return EXIT_OK if diff.identical else EXIT_INVALID
