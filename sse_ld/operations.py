"""Verbs over a published build: query it, push it to a SPARQL server, compare two builds.

The high layer composing :mod:`sse_ld.published` (the folder), :mod:`sse_ld.store`
(Oxigraph), :mod:`sse_ld.push` (HTTP) and :mod:`sse_ld.diff`. The CLI calls one of these
functions per command and renders the result; library users get the same verbs::

    import sse_ld
    sse_ld.query_build("dist/peru-sse", name="organisations-by-region", out=sys.stdout)
    sse_ld.push_build("dist/peru-sse", "http://127.0.0.1:7878/store",
                      query_endpoint="http://127.0.0.1:7878/query", update_endpoint="http://127.0.0.1:7878/update")
    notes = sse_ld.diff_builds("dist/old", "dist/new")
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TextIO

from .canned import CannedQuery, is_variable_name, load_canned
from .diff import BuildDiff, diff_folders
from .errors import InputError, UsageError
from .published import BuildFolder, open_build
from .push import Endpoints, PushResult, RetryPolicy, Upload, credentials, push_graph
from .store import QueryOutcome, catalog_dataset, ensure_store, parse_term, run_query, store_triples, turtle_triples
from .writers import PrefixMap

__all__ = ["build_prefixes", "dataset_iri", "diff_builds", "list_queries", "push_build", "query_build", "render_table"]


def _prefixes(build: BuildFolder) -> dict[str, str]:
    """The build's prefixes (``context.jsonld``), which ad-hoc queries may use undeclared."""
    path = build.path / "context.jsonld"
    try:
        ctx = json.loads(path.read_text(encoding="utf-8")).get("@context", {})
    except (OSError, ValueError, AttributeError):
        return {}
    return {k: v for k, v in ctx.items() if isinstance(k, str) and isinstance(v, str)} if isinstance(ctx, dict) else {}


def build_prefixes(folder: str | os.PathLike[str]) -> dict[str, str]:
    """The prefixes of a build (``context.jsonld``)."""
    return _prefixes(open_build(folder))


def list_queries(folder: str | os.PathLike[str]) -> list[CannedQuery]:
    """The canned queries of a build (its ``queries/`` folder), sorted by name."""
    return load_canned(open_build(folder).queries_dir)


def _canned(build: BuildFolder, name: str) -> CannedQuery:
    queries = load_canned(build.queries_dir)
    for q in queries:
        if q.name == name:
            return q
    known = ", ".join(q.name for q in queries) or "none (the package has no queries/ folder)"
    raise UsageError(f"the build has no canned query {name!r}", hint=f"canned queries: {known}")


def query_build(
    folder: str | os.PathLike[str],
    *,
    out: TextIO,
    query: str | None = None,
    name: str | None = None,
    params: Mapping[str, str] | None = None,
    fmt: str | None = None,
    timeout: float = 60.0,
    allow_service: bool = False,
    progress: Callable[[str], None] | None = None,
) -> QueryOutcome:
    """Run a SPARQL query over a build and write the results to ``out``.

    Args:
        folder: the output folder of ``sse-ld build``.
        out: where the results go (text).
        query: the query text; or ``name``, a canned query of the build.
        params: variable -> value, bound as RDF terms (see :func:`sse_ld.store.parse_term`).
        fmt: ``table``, ``csv``, ``tsv``, ``json``, ``xml`` (SELECT/ASK) or ``turtle``,
            ``ntriples``, ``jsonld`` (CONSTRUCT/DESCRIBE); default table or turtle.
        timeout: seconds before the query is stopped.
        allow_service: let ``SERVICE`` reach other endpoints (refused by default).
        progress: called with a status line (e.g. when the store is loaded the first time).

    Raises:
        InputError: not a build folder, or its files do not match ``SHA256SUMS``.
        UsageError: no query, both a query and a name, an unknown name or parameter.
        QueryError: the query cannot run. QueryTimeout: the time limit passed.
    """
    if (query is None) == (name is None):
        raise UsageError("give a query (text, file or stdin) or a canned query name, not both or neither")
    build = open_build(folder)
    params = dict(params or {})
    for key in params:
        if not is_variable_name(key):
            raise UsageError(f"{key!r} is not a variable name", hint="write --param name=value, without '?'")
    if name is not None:
        canned = _canned(build, name)
        unknown = sorted(set(params) - set(canned.params))
        if unknown:
            takes = ", ".join(canned.params) or "none"
            raise UsageError(f"the query {name!r} takes no parameter {unknown[0]!r}", hint=f"its parameters: {takes}")
        text = canned.text
    else:
        assert query is not None
        text = query
    prefixes = _prefixes(build)
    bindings = {k: parse_term(v, prefixes) for k, v in params.items()}
    store, _triples, temporary = ensure_store(build, say=progress)
    work = Path(tempfile.mkdtemp(prefix="sse-ld-query-"))
    try:
        result = work / "result"
        outcome = run_query(
            store,
            text,
            result,
            fmt=fmt,
            bindings=bindings,
            prefixes=prefixes,
            timeout=timeout,
            allow_service=allow_service,
        )
        if outcome.format == "table":
            out.write(render_table(json.loads(result.read_text(encoding="utf-8")), prefixes))
        else:
            with result.open("r", encoding="utf-8", newline="") as f:
                while block := f.read(1 << 16):
                    out.write(block)
        return outcome
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if temporary:
            shutil.rmtree(store, ignore_errors=True)


def _cell(term: Mapping[str, Any] | None, pm: PrefixMap) -> str:
    if term is None:
        return ""
    value = str(term.get("value", ""))
    if term.get("type") == "uri":
        return pm.turtle(value)
    if term.get("type") == "bnode":
        return f"_:{value}"
    return value.replace("\n", "\\n").replace("\t", " ")


def render_table(results: Mapping[str, Any], prefixes: Mapping[str, str], max_width: int = 60) -> str:
    """SPARQL JSON results as an aligned text table (IRIs shortened with the build's prefixes)."""
    if "boolean" in results:
        return ("true" if results["boolean"] else "false") + "\n"
    pm = PrefixMap(prefixes)
    names = list(results.get("head", {}).get("vars", []))
    rows = [[_cell(b.get(v), pm) for v in names] for b in results.get("results", {}).get("bindings", [])]
    cut = [[c if len(c) <= max_width else c[: max_width - 1] + "…" for c in row] for row in rows]
    widths = [max([len(n), *(len(r[i]) for r in cut)]) for i, n in enumerate(names)]
    lines = ["  ".join(n.ljust(w) for n, w in zip(names, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cut]
    return "\n".join(lines) + "\n"


def push_build(
    folder: str | os.PathLike[str],
    endpoint: str,
    *,
    graph: str | None = None,
    query_endpoint: str | None = None,
    update_endpoint: str | None = None,
    env: Mapping[str, str] | None = None,
    netrc_file: str | None = None,
    policy: RetryPolicy | None = None,
    part_bytes: int = 32 * 1024 * 1024,
    progress: Callable[[str, str], None] | None = None,
    switch: str = "auto",
) -> PushResult:
    """Load a build's queryable graph (main dump and ontology) into a SPARQL server, replacing
    ``graph`` atomically (see :mod:`sse_ld.push`).

    Args:
        folder: the output folder of ``sse-ld build``.
        endpoint: the Graph Store Protocol URL.
        graph: the target graph (default: the dataset IRI of the build's catalog).
        query_endpoint, update_endpoint: default to ``endpoint``.
        env: where to read ``SSE_LD_USERNAME``/``SSE_LD_PASSWORD`` (default ``os.environ``).
        netrc_file: a netrc file (default ``$NETRC`` or ``~/.netrc``).
        switch: ``auto``, ``move`` or ``delta`` (see :func:`sse_ld.push.switch_update`).

    Raises:
        InputError: not a build folder, or its files do not match ``SHA256SUMS``.
        UsageError: a bad URL or graph IRI, credentials half given.
        PushError: the push failed (the error says whether the live graph is unchanged).
    """
    build = open_build(folder)
    endpoints = Endpoints.of(endpoint, query_endpoint, update_endpoint)
    creds = credentials(endpoint, env, netrc_file)
    target = graph or dataset_iri(build)
    say = progress or (lambda stage, message: None)
    say("prepare", "checking the build and counting its triples")
    build.verify([f.name for f in build.graph_files()])  # what is uploaded is what was built
    expected = store_triples(build)
    uploads = [Upload(f.path, f.media_type, f.name, f.syntax == "ntriples") for f in build.graph_files()]
    return push_graph(
        uploads,
        endpoints,
        target,
        expected,
        creds=creds,
        policy=policy,
        part_bytes=part_bytes,
        progress=say,
        switch=switch,
    )


def dataset_iri(build: BuildFolder) -> str:
    """The dataset IRI of a build, read from its ``catalog.ttl``."""
    path = build.path / "catalog.ttl"
    if not path.is_file():
        raise InputError("the build has no catalog.ttl to take the dataset IRI from", file=str(build.path),
                         hint="pass --graph IRI")  # fmt: skip
    return catalog_dataset(path)


def diff_builds(old: str | os.PathLike[str], new: str | os.PathLike[str], *, limit: int = 100) -> BuildDiff:
    """Release notes between two builds: entities added, removed and changed, by class and
    by region, label changes and triple counts per class (see :mod:`sse_ld.diff`).

    The region schemes of both builds' ``ontology/regions/`` place entities in regions.

    Raises:
        InputError: a folder is not a build, or a dump is not N-Triples.
    """
    if limit < 0:
        raise UsageError("the list limit must be 0 or more")
    a, b = open_build(old), open_build(new)
    regions = sorted(
        {p for build in (a, b) for p in (build.path / "ontology" / "regions").glob("*.ttl")}, key=lambda p: p.name
    )
    return diff_folders(a, b, extra=turtle_triples(regions), limit=limit)
