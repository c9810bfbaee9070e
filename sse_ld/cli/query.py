"""``sse-ld query``: SPARQL over a built output folder, with an embedded store."""

from __future__ import annotations

import argparse
import sys

from ..errors import UsageError
from ..limits import Limits
from ..operations import list_queries, query_build
from ..store import GRAPH_FORMATS, RESULT_FORMATS
from .common import EXIT_INVALID, EXIT_OK, IO, language

NAME = "query"
HELP = "run a SPARQL query (or a canned one) over a built dataset"
DESCRIPTION = (
    "Run a SPARQL 1.1 query over the output folder of 'sse-ld build': its main dump and its ontology\n"
    "(so code-list labels can be queried), in an embedded Oxigraph store that is loaded on first use\n"
    "and kept in DIR/.store. The query comes from --query, --query-file, standard input, or --name\n"
    "(a canned query of the dataset, see --list). --param binds a variable to a value given as a\n"
    'Turtle term (<iri>, prefix:name, "text"@lang, 42) or else a plain string; values are bound,\n'
    "never pasted into the query. Prefixes of the dataset need no PREFIX line. SERVICE (network\n"
    "access) is refused unless --allow-service. Exit 1 means the query returned no results\n"
    "(no rows, ASK false, no triples)."
)
EXAMPLES = (
    "examples:\n"
    "  sse-ld query dist/peru-sse --list\n"
    "  sse-ld query dist/peru-sse --name organisations-by-region --format csv\n"
    "  sse-ld query dist/peru-sse --query 'SELECT ?a ?l { ?a a sse:FirstLevelArea ; skos:prefLabel ?l }'\n"
    "  sse-ld query dist/peru-sse --query-file q.rq --param area=pearea:150000 --format json\n"
    "  echo 'ASK { ?s a sse:Country }' | sse-ld query dist/peru-sse"
)


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("folder", metavar="DIR", help="output folder of 'sse-ld build'")
    src = p.add_mutually_exclusive_group()
    src.add_argument("--query", metavar="TEXT", help="the SPARQL query")
    src.add_argument("--query-file", metavar="FILE", help="a file holding the query ('-' for standard input)")
    src.add_argument("--name", metavar="NAME", help="a canned query of the dataset (see --list)")
    src.add_argument("--list", action="store_true", help="list the dataset's canned queries and exit")
    p.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="bind the variable ?NAME to VALUE (repeatable)",
    )
    p.add_argument(
        "--format",
        choices=[*RESULT_FORMATS, *GRAPH_FORMATS],
        default=None,
        help="output format (default: table for SELECT/ASK, turtle for CONSTRUCT/DESCRIBE)",
    )
    p.add_argument(
        "--timeout",
        type=float,
        default=Limits().sparql_timeout,
        metavar="SECONDS",
        help="time limit (default: %(default)g; see docs/limits.md)",
    )
    p.add_argument("--allow-service", action="store_true", help="let SERVICE call other SPARQL endpoints")
    p.add_argument("--lang", choices=["en", "es"], default=None, help="language of --list (default: from LANG)")
    p.add_argument("-q", "--quiet", action="store_true", help="no messages on stderr")


def _params(items: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise UsageError(f"--param {item!r}: write NAME=VALUE")
        if key in out:
            raise UsageError(f"--param {key!r} is given twice")
        out[key.lstrip("?$")] = value
    return out


def execute(args: argparse.Namespace, io: IO) -> int:
    if args.timeout <= 0:
        raise UsageError("--timeout must be positive")
    if args.list:
        lang = language(args.lang)
        queries = list_queries(args.folder)
        for q in queries:
            params = f"  [params: {', '.join(q.params)}]" if q.params else ""
            io.out.write(f"{q.name}: {q.title(lang)}{params}\n")
            if q.description(lang):
                io.out.write(f"    {q.description(lang)}\n")
        if not queries and not args.quiet:
            print("sse-ld: this build has no canned queries", file=io.err)
        return EXIT_OK
    text = args.query
    if args.query_file is not None:
        try:
            if args.query_file == "-":
                text = sys.stdin.read()
            else:
                with open(args.query_file, encoding="utf-8") as f:
                    text = f.read()
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"cannot read the query file: {exc}", file=args.query_file) from None
    elif text is None and args.name is None:
        if sys.stdin.isatty():
            raise UsageError("give a query: --query, --query-file, --name, or on standard input")
        text = sys.stdin.read()

    def say(message: str) -> None:
        if not args.quiet:
            print(f"sse-ld: {message}", file=io.err, flush=True)

    outcome = query_build(
        args.folder,
        out=io.out,
        query=text,
        name=args.name,
        params=_params(args.param),
        fmt=args.format,
        timeout=args.timeout,
        allow_service=args.allow_service,
        progress=say,
    )
    if not args.quiet:
        what = {"select": "row(s)", "graph": "triple(s)"}.get(outcome.form)
        print(f"sse-ld: {outcome.count} {what}" if what else f"sse-ld: {bool(outcome.count)}", file=io.err)
    return EXIT_OK if outcome.count else EXIT_INVALID
