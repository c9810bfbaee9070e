"""``sse-ld push``: load a build into a SPARQL server, replacing a graph atomically."""

from __future__ import annotations

import argparse
import dataclasses
import json

from ..errors import UsageError
from ..gsp import PASSWORD_ENV, USER_ENV, RetryPolicy
from ..operations import push_build
from .common import EXIT_OK, IO

NAME = "push"
HELP = "load a build into a SPARQL server (Graph Store Protocol), atomically"
DESCRIPTION = (
    "Upload the main dump and the ontology of a build into a staging graph of a SPARQL 1.1 Graph\n"
    "Store Protocol server, check its triple count, then replace the target graph with one SPARQL\n"
    "Update request (MOVE, or a delta on Virtuoso): readers see the old graph or the new one, never\n"
    "an empty or partial one, and on any failure the target graph is left as it was. Transient\n"
    "errors are retried with backoff.\n"
    f"Credentials come from {USER_ENV} and {PASSWORD_ENV}, or a netrc entry for the host\n"
    "(Basic or Digest, as the server asks); never from the command line. Exit 1 means the push\n"
    "failed; the message says at which step and whether the live graph is unchanged."
)
EXAMPLES = (
    "examples:\n"
    "  # Oxigraph (oxigraph serve): three endpoints\n"
    "  sse-ld push dist/peru-sse --endpoint http://127.0.0.1:7878/store \\\n"
    "      --query-endpoint http://127.0.0.1:7878/query --update-endpoint http://127.0.0.1:7878/update\n"
    "  # Virtuoso: Digest authentication on the -auth endpoints\n"
    f"  {USER_ENV}=dba {PASSWORD_ENV}=... sse-ld push dist/peru-sse \\\n"
    "      --endpoint http://127.0.0.1:8890/sparql-graph-crud-auth \\\n"
    "      --query-endpoint http://127.0.0.1:8890/sparql-auth --update-endpoint http://127.0.0.1:8890/sparql-auth"
)


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("folder", metavar="DIR", help="output folder of 'sse-ld build'")
    p.add_argument("--endpoint", required=True, metavar="URL", help="the Graph Store Protocol endpoint")
    p.add_argument("--query-endpoint", metavar="URL", help="the SPARQL query endpoint (default: --endpoint)")
    p.add_argument("--update-endpoint", metavar="URL", help="the SPARQL update endpoint (default: --endpoint)")
    p.add_argument("--graph", metavar="IRI", help="the graph to replace (default: the dataset IRI of the catalog)")
    p.add_argument("--netrc", metavar="FILE", help="netrc file with the credentials (default: $NETRC or ~/.netrc)")
    p.add_argument("--retries", type=int, default=3, metavar="N", help="retries of a failed request (default: 3)")
    p.add_argument(
        "--backoff", type=float, default=0.5, metavar="SECONDS", help="first retry wait, doubling (default: 0.5)"
    )
    p.add_argument(
        "--timeout", type=float, default=300.0, metavar="SECONDS", help="wait for one response (default: 300)"
    )
    p.add_argument("--part-size", type=int, default=32, metavar="MB", help="largest upload request, MiB (default: 32)")
    p.add_argument(
        "--switch",
        choices=["auto", "move", "delta"],
        default="auto",
        help="how the staging graph replaces the live one: MOVE, or a delta update (default: auto, "
        "delta on Virtuoso whose crash recovery loses triples a MOVE deleted and re-inserted)",
    )
    p.add_argument("--format", choices=["text", "json"], default="text", help="result on stdout (default: text)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")


def execute(args: argparse.Namespace, io: IO) -> int:
    if args.retries < 0 or args.backoff < 0 or args.timeout <= 0 or args.part_size < 1:
        raise UsageError("--retries and --backoff must be 0 or more, --timeout and --part-size positive")

    def progress(stage: str, message: str) -> None:
        if not args.quiet:
            print(f"sse-ld: {message}", file=io.err, flush=True)

    policy = RetryPolicy(attempts=args.retries + 1, backoff=args.backoff, timeout=args.timeout)
    result = push_build(
        args.folder,
        args.endpoint,
        graph=args.graph,
        query_endpoint=args.query_endpoint,
        update_endpoint=args.update_endpoint,
        netrc_file=args.netrc,
        policy=policy,
        part_bytes=args.part_size * 1024 * 1024,
        progress=progress,
        switch=args.switch,
    )
    if args.format == "json":
        io.out.write(json.dumps({**dataclasses.asdict(result), "timings": dict(result.timings)}, indent=2) + "\n")
    else:
        steps = ", ".join(f"{k} {v:.2f} s" for k, v in result.timings.items())
        io.out.write(
            f"replaced <{result.graph}>: {result.triples} triples (before: {result.previous}); "
            f"{result.bytes} bytes in {result.requests} requests ({result.retries} retries); "
            f"{result.seconds:.2f} s ({steps})\n"
        )
    return EXIT_OK
