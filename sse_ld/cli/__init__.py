"""The ``sse-ld`` command: a thin layer over the library.

Each sub-command lives in its own module of this package and provides ``NAME``, ``HELP``,
``configure(parser)`` (its options) and ``execute(args, io) -> int`` (call one library
function, render the result, return the exit code). :data:`COMMANDS` lists them; adding a
command is adding a module and one line there. This package is the only place that knows
exit codes:

====  ==========================================================================================
0     valid (validate) / published (build) / results (query) / replaced (push) / identical (diff)
1     invalid data (validate, build); no results (query); push failed, the message says whether
      the live graph is unchanged (push); the builds differ (diff)
2     input or usage error: unreadable package or build, bad option, bad query, time limit passed
3     internal error (a bug: please report it)
====  ==========================================================================================
"""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Sequence
from typing import TextIO

from .. import __version__
from ..errors import SseLdError
from . import build, codes, diff, explain, init, push, query, validate
from .common import EPILOG, EXIT_INPUT, EXIT_INTERNAL, EXIT_INVALID, EXIT_OK, IO, Formatter, Parser

__all__ = ["COMMANDS", "EXIT_INPUT", "EXIT_INTERNAL", "EXIT_INVALID", "EXIT_OK", "main", "make_parser", "run"]

#: The sub-commands, in the order ``sse-ld --help`` lists them.
COMMANDS = [validate, build, query, push, diff, init, codes, explain]


def make_parser() -> argparse.ArgumentParser:
    """The argument parser of ``sse-ld`` (also used to generate docs/cli.md)."""
    parser = Parser(
        prog="sse-ld",
        description="Validate Social and Solidarity Economy data packages and publish them as linked data.",
        epilog=EPILOG,
        formatter_class=Formatter,
    )
    parser.add_argument("--version", action="version", version=f"sse-ld {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for command in COMMANDS:
        p = sub.add_parser(
            command.NAME,
            help=command.HELP,
            description=command.DESCRIPTION,
            epilog=command.EXAMPLES + "\n\n" + EPILOG,
            formatter_class=Formatter,
        )
        command.configure(p)
        p.set_defaults(execute=command.execute)
    return parser


def run(argv: Sequence[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    """Run ``sse-ld`` with ``argv``; return the exit code (never raises)."""
    io = IO(stdout or sys.stdout, stderr or sys.stderr)
    try:
        parser = make_parser()
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help(io.out)
            return EXIT_INPUT
        code: int = args.execute(args, io)
        return code
    except SseLdError as exc:
        print(f"sse-ld: error: {exc}", file=io.err)
        return exc.exit_code
    except KeyboardInterrupt:
        print("sse-ld: interrupted; nothing was published", file=io.err)
        return 130
    except Exception:
        print("sse-ld: internal error (a bug in sse-ld; please report it with this trace):", file=io.err)
        traceback.print_exc(file=io.err)
        return EXIT_INTERNAL


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``sse-ld`` console script."""
    return run(argv)
