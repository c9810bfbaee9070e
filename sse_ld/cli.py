"""The ``sse-ld`` command: a thin layer over :mod:`sse_ld.pipeline`.

Each sub-command parses its options, calls one library function and renders the result.
This is the only module that knows exit codes:

====  ==========================================================
0     valid (validate) / published (build)
1     the data is invalid (findings at or above the threshold)
2     input or usage error: unreadable package, bad option, output not writable
3     internal error (a bug: please report it)
====  ==========================================================
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Sequence
from typing import TextIO

from . import __version__
from .errors import SseLdError, UsageError
from .limits import Limits
from .options import Options
from .pipeline import build, validate
from .report import Severity
from .reporters import DEFAULT_MAX_PER_GROUP, REPORTERS

__all__ = ["EXIT_INPUT", "EXIT_INTERNAL", "EXIT_INVALID", "EXIT_OK", "main", "make_parser"]

EXIT_OK, EXIT_INVALID, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3

_EPILOG = """exit codes: 0 valid, 1 invalid data, 2 input or usage error, 3 internal error"""


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """Help at a fixed width, so the generated docs/cli.md does not depend on the terminal."""

    def __init__(self, prog: str) -> None:
        super().__init__(prog, width=100, max_help_position=32)


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, so usage errors share the exit path."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}", hint=f"run '{self.prog} --help'")


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("package", help="data package folder (or its datapackage.json)")
    p.add_argument(
        "--format",
        choices=sorted(REPORTERS),
        default="text",
        help="report format on stdout (default: text); json is the library's Report.to_dict()",
    )
    p.add_argument("--base", metavar="IRI", help="base IRI of the dataset's resources (overrides the mapping's base)")
    p.add_argument(
        "--allow-remote",
        action="store_true",
        help="download http(s) resources named in the package (refused by default)",
    )
    p.add_argument(
        "--fail-on",
        choices=["error", "warning"],
        default="error",
        help="lowest severity that makes the exit code 1 (default: error)",
    )
    p.add_argument(
        "--max-per-group",
        type=int,
        default=DEFAULT_MAX_PER_GROUP,
        metavar="N",
        help=f"text report: findings shown per kind before counting the rest (default: {DEFAULT_MAX_PER_GROUP})",
    )
    p.add_argument(
        "--lang", choices=["en", "es"], default=None, help="language of messages (default: from LANG, else en)"
    )
    p.add_argument("-q", "--quiet", action="store_true", help="no progress messages on stderr")
    limits = Limits()
    p.add_argument(
        "--max-file-bytes",
        type=int,
        default=limits.max_file_bytes,
        metavar="N",
        help="largest data file accepted (default: %(default)s)",
    )
    p.add_argument(
        "--max-rows",
        type=int,
        default=limits.max_rows,
        metavar="N",
        help="most rows read from one file (default: %(default)s)",
    )
    p.add_argument(
        "--max-cell-bytes",
        type=int,
        default=limits.max_cell_bytes,
        metavar="N",
        help="largest cell accepted (default: %(default)s)",
    )


def make_parser() -> argparse.ArgumentParser:
    """The argument parser of ``sse-ld`` (also used to check the documentation)."""
    parser = _Parser(
        prog="sse-ld",
        description="Validate Social and Solidarity Economy data packages and publish them as linked data.",
        epilog=_EPILOG,
        formatter_class=_Formatter,
    )
    parser.add_argument("--version", action="version", version=f"sse-ld {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    v = sub.add_parser(
        "validate",
        help="check a data package: tables, mapping and SHACL shapes",
        description="Check a data package (tables with frictionless, the mapping, SHACL shapes) and report "
        "every finding with its file, line, row and column.",
        epilog="example:\n  sse-ld validate datasets/peru-sse\n  sse-ld validate datasets/peru-sse --format json\n\n"
        + _EPILOG,
        formatter_class=_Formatter,
    )
    _common(v)
    b = sub.add_parser(
        "build",
        help="validate a data package and publish its RDF dumps",
        description="Validate a data package and, if it has no errors, write Turtle, N-Triples and JSON-LD dumps, "
        "provenance, checksums and the report into the output folder, replacing it atomically.",
        epilog="example:\n  sse-ld build datasets/peru-sse --out dist/peru-sse\n\n" + _EPILOG,
        formatter_class=_Formatter,
    )
    _common(b)
    b.add_argument("--out", required=True, metavar="DIR", help="output folder (replaced atomically)")
    b.add_argument("--force", action="store_true", help="publish even when there are errors")
    return parser


def _lang(arg: str | None) -> str:
    if arg:
        return arg
    env = os.environ.get("LC_ALL") or os.environ.get("LC_MESSAGES") or os.environ.get("LANG") or ""
    return "es" if env.lower().startswith("es") else "en"


def _options(args: argparse.Namespace, stderr: TextIO) -> Options:
    for name in ("max_file_bytes", "max_rows", "max_cell_bytes", "max_per_group"):
        if getattr(args, name) < 1:
            raise UsageError(f"--{name.replace('_', '-')} must be a positive number")
    progress = None
    if not args.quiet and stderr.isatty():

        def progress(text: str) -> None:
            print(f"sse-ld: {text}", file=stderr, flush=True)

    limits = Limits(max_file_bytes=args.max_file_bytes, max_rows=args.max_rows, max_cell_bytes=args.max_cell_bytes)
    return Options(
        base=args.base, allow_remote=args.allow_remote, limits=limits, lang=_lang(args.lang), progress=progress
    )


def run(argv: Sequence[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    """Run ``sse-ld`` with ``argv``; return the exit code (never raises)."""
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    try:
        parser = make_parser()
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help(stdout)
            return EXIT_INPUT
        options = _options(args, stderr)
        render = REPORTERS[args.format]
        threshold = Severity(args.fail_on)
        if args.command == "validate":
            report = validate(args.package, options)
            stdout.write(render(report, max_per_group=args.max_per_group))
            return EXIT_INVALID if report.fails(threshold) else EXIT_OK
        result = build(args.package, args.out, options, force=args.force)
        stdout.write(render(result.report, max_per_group=args.max_per_group))
        if result.written and not args.quiet:
            print(f"sse-ld: wrote {len(result.files)} files ({result.triples} triples) to {result.out}", file=stderr)
        elif not result.written:
            print(
                f"sse-ld: nothing written to {result.out}: the package has errors (use --force to publish anyway)",
                file=stderr,
            )
        if not result.written or result.report.fails(threshold):
            return EXIT_INVALID
        return EXIT_OK
    except SseLdError as exc:
        print(f"sse-ld: error: {exc}", file=stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("sse-ld: interrupted; nothing was published", file=stderr)
        return 130
    except Exception:
        print("sse-ld: internal error (a bug in sse-ld; please report it with this trace):", file=stderr)
        traceback.print_exc(file=stderr)
        return EXIT_INTERNAL


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``sse-ld`` console script."""
    return run(argv)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
