"""Pieces shared by the sub-commands: exit codes, the parser classes, common options."""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass
from typing import TextIO

from ..errors import UsageError
from ..limits import LIMIT_FIELDS, Limits
from ..options import Options, Status
from ..reporters import DEFAULT_MAX_PER_GROUP, REPORTERS

EXIT_OK, EXIT_INVALID, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3
EPILOG = "exit codes: 0 valid, 1 invalid data, 2 input or usage error, 3 internal error"


@dataclass(frozen=True)
class IO:
    """Where a command writes: results to ``out``, progress and diagnostics to ``err``."""

    out: TextIO
    err: TextIO


class Formatter(argparse.RawDescriptionHelpFormatter):
    """Help at a fixed width, so the generated docs/cli.md does not depend on the terminal."""

    def __init__(self, prog: str) -> None:
        super().__init__(prog, width=100, max_help_position=32)


class Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, so usage errors share the exit path."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}", hint=f"run '{self.prog} --help'")


def add_package_options(p: argparse.ArgumentParser, *, many: bool = False) -> None:
    """Options of the commands that read a data package (validate, build).

    With ``many``, the command takes several paths (``paths``): package folders, their
    ``datapackage.json``, or any file inside a package."""
    if many:
        p.add_argument(
            "paths",
            nargs="+",
            metavar="PATH",
            help="data package folder, its datapackage.json, or any file inside a package (each package is "
            "checked once; files in no package are skipped)",
        )
    else:
        p.add_argument("package", help="data package folder (or its datapackage.json)")
    p.add_argument(
        "--format",
        choices=list(REPORTERS),
        default="text",
        help="report format on stdout (default: text): json is the library's Report.to_dict() (a list of them "
        "for several packages; schema: docs/report.schema.json), github adds GitHub Actions annotations, "
        "sarif is SARIF 2.1.0",
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
    add_lang_option(p)
    p.add_argument("-q", "--quiet", action="store_true", help="no progress messages on stderr")
    p.add_argument(
        "--workers",
        type=int,
        default=None,
        metavar="N",
        help="processes that read a large file at once (default: the number of CPUs)",
    )
    p.add_argument(
        "--allow-local-network",
        action="store_true",
        help="with --allow-remote, also download from loopback and private addresses (never link-local)",
    )
    p.add_argument(
        "--trust-package-shapes",
        action="store_true",
        help="let the package's own SHACL shapes run SPARQL (refused by default)",
    )
    defaults = Limits()
    for f in LIMIT_FIELDS:
        option = f.metadata["option"]
        if option:
            p.add_argument(
                option,
                type=type(getattr(defaults, f.name)),
                default=getattr(defaults, f.name),
                metavar="N",
                help=f"{f.metadata['what']} (default: %(default)s {f.metadata['unit']}; see docs/limits.md)",
            )


def add_lang_option(p: argparse.ArgumentParser) -> None:
    """The ``--lang`` option."""
    p.add_argument(
        "--lang",
        choices=["en", "es"],
        default=None,
        help="language of messages and reports (default: Spanish when LC_ALL, LC_MESSAGES or LANG is es_*, else en)",
    )


def language(arg: str | None) -> str:
    """The message language: ``--lang``, else Spanish when the locale is Spanish, else English."""
    if arg:
        return arg
    env = os.environ.get("LC_ALL") or os.environ.get("LC_MESSAGES") or os.environ.get("LANG") or ""
    return "es" if env.lower().startswith("es") else "en"


def package_options(args: argparse.Namespace, io: IO) -> Options:
    """Library options from the parsed command line."""
    if args.max_per_group < 1:
        raise UsageError("--max-per-group must be a positive number")
    values = {f.name: getattr(args, f.name) for f in LIMIT_FIELDS if f.metadata["option"]}
    for f in LIMIT_FIELDS:
        if f.name in values and not values[f.name] > 0:
            raise UsageError(f"{f.metadata['option']} must be a positive number")
    progress = None
    if not args.quiet and io.err.isatty():
        live = [False]  # a status line is showing (and will be replaced)

        def progress(text: str) -> None:
            if isinstance(text, Status):
                io.err.write(f"\r\x1b[Ksse-ld: {text}")
                live[0] = True
            else:
                io.err.write(("\r\x1b[K" if live[0] else "") + f"sse-ld: {text}\n")
                live[0] = False
            io.err.flush()

    workers = args.workers if args.workers is not None else (os.cpu_count() or 1)
    if workers < 1:
        raise UsageError("--workers must be a positive number")
    return Options(
        base=args.base,
        allow_remote=args.allow_remote,
        allow_local_network=args.allow_local_network,
        trust_package_shapes=args.trust_package_shapes,
        limits=Limits(**values),
        lang=language(args.lang),
        progress=progress,
        workers=workers,
    )
