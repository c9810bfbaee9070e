"""The embedded SPARQL store of a build: Oxigraph, loaded once and persisted beside the dumps.

This module owns ``pyoxigraph``. :func:`ensure_store` loads the queryable graph of a build
(the main dump and the ontology, see :mod:`sse_ld.published`) into an Oxigraph store in
``<build>/.store/`` with the bulk loader, after checking the files against ``SHA256SUMS``;
later queries reuse it until the build changes. The store is built in a temporary folder
and renamed into place under a lock, so two first queries never see a half-loaded store.
When the build folder is read-only, the store is built in a temporary folder and dropped
after the query.

:func:`run_query` runs a query in a child process (:mod:`sse_ld.queryworker`) that is
killed at the time limit. Parameters are passed as bindings (SPARQL SEP-0007 substitution),
never pasted into the text. ``SERVICE`` (the only way a SPARQL query reaches the network
in Oxigraph) is refused unless allowed; updates are refused always.
"""

from __future__ import annotations

import contextlib
import fcntl
import gc
import json
import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError, InternalError, SseLdError
from .published import BuildFolder
from .sparqltext import scan

__all__ = [
    "GRAPH_FORMATS",
    "RESULT_FORMATS",
    "QueryError",
    "QueryOutcome",
    "QueryTimeout",
    "check_query",
    "ensure_store",
    "parse_term",
    "run_query",
    "store_triples",
]

#: Output formats of SELECT and ASK results (``table`` is rendered from SPARQL JSON).
RESULT_FORMATS = ("table", "csv", "tsv", "json", "xml")
#: Output formats of CONSTRUCT and DESCRIBE results.
GRAPH_FORMATS = ("turtle", "ntriples", "jsonld")
_STAMP = "sse-ld-store.json"
_STORE_FORMAT = 1
_WORKER = Path(__file__).resolve().parent / "queryworker.py"


class QueryError(InputError):
    """The query cannot run: a syntax error, an update, a refused ``SERVICE``, a bad binding
    or an output format that does not fit the query form."""


class QueryTimeout(SseLdError):
    """The query ran longer than its time limit and was stopped."""

    exit_code = 2


@dataclass(frozen=True)
class QueryOutcome:
    """What a query gave.

    Attributes:
        form: ``select``, ``ask`` or ``graph`` (CONSTRUCT/DESCRIBE).
        count: solutions, triples, or for ASK 1 (true) / 0 (false).
        format: the output format written.
    """

    form: str
    count: int
    format: str


def check_query(text: str, *, allow_service: bool = False, prefixes: Mapping[str, str] | None = None) -> str:
    """Check a query before running it; return its form (``select``, ``ask``, ``construct``,
    ``describe``).

    Raises:
        QueryError: an update, an unknown form, ``SERVICE`` when not allowed, or bad syntax.
    """
    info = scan(text)
    if info.form == "update":
        raise QueryError(
            "sse-ld query runs read-only queries; this text is a SPARQL update",
            hint="to change the data, change the package and build again (then sse-ld push)",
        )
    if info.form is None:
        raise QueryError("this is not a SPARQL query (no SELECT, ASK, CONSTRUCT or DESCRIBE)")
    if info.service and not allow_service:
        raise QueryError(
            "the query calls SERVICE (a federated query over the network), which is refused by default",
            hint="pass --allow-service to let it reach other SPARQL endpoints",
        )
    if not info.service:
        import pyoxigraph

        try:
            result = pyoxigraph.Store().query(
                text, prefixes=dict(prefixes or {}) or None
            )  # parses; SELECT/CONSTRUCT stay lazy, ASK runs on nothing
            del result
        except SyntaxError as exc:
            raise QueryError(f"the query is not valid SPARQL: {exc}") from None
    return info.form


def parse_term(value: str, prefixes: Mapping[str, str]) -> str:
    """A parameter value as an RDF term, spelled in N-Triples.

    The value is read as a Turtle term: ``<iri>``, a prefixed name (the build's prefixes),
    ``"text"@lang``, ``"text"^^<datatype>``, a number or ``true``/``false``; anything else
    is a plain string. So ``--param year=2013`` binds an ``xsd:integer`` and
    ``--param name=Lima`` the string ``"Lima"``.

    Raises:
        QueryError: the value is a blank node.
    """
    import pyoxigraph

    head = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in sorted(prefixes.items()))
    term = None
    if "\n" not in value and "\r" not in value:
        with contextlib.suppress(SyntaxError, ValueError):
            triples = list(
                pyoxigraph.parse(f"{head}<urn:x-s> <urn:x-p> {value} .\n", format=pyoxigraph.RdfFormat.TURTLE)
            )
            if len(triples) == 1:
                term = triples[0].object
    if term is None:
        term = pyoxigraph.Literal(value)
    if isinstance(term, pyoxigraph.BlankNode):
        raise QueryError(
            f"the parameter value {value!r} is a blank node; give an IRI or a literal",
            hint='write <https://...>, prefix:name, a number, or a text such as "Lima" or "Lima"@es',
        )
    return str(term)


def _stamp(build: BuildFolder) -> dict[str, object]:
    files = build.graph_files()
    return {
        "format": _STORE_FORMAT,
        "files": {f.name: [build.checksums.get(f.name), f.path.stat().st_size] for f in files if f.path.exists()},
    }


def _read_stamp(store: Path) -> dict[str, object] | None:
    try:
        data = json.loads((store / _STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _load(build: BuildFolder, target: Path) -> int:
    import pyoxigraph

    build.verify([f.name for f in build.graph_files()])
    store = pyoxigraph.Store(str(target))
    try:
        for f in build.graph_files():
            fmt = pyoxigraph.RdfFormat.N_TRIPLES if f.syntax == "ntriples" else pyoxigraph.RdfFormat.TURTLE
            try:
                store.bulk_load(path=str(f.path), format=fmt)
            except SyntaxError as exc:
                raise InputError(f"the file is not valid RDF: {exc}", file=str(f.path)) from None
        store.flush()
        store.optimize()
        return len(store)
    finally:
        del store
        gc.collect()  # closes the RocksDB handle before the folder is renamed


def ensure_store(build: BuildFolder, *, say: Callable[[str], None] | None = None) -> tuple[Path, int, bool]:
    """The path of the build's query store, loading it first if needed.

    Returns:
        ``(path, triples, temporary)``: ``temporary`` is True when the build folder is not
        writable and the store lives in a temporary folder the caller must remove.

    Raises:
        InputError: a graph file does not match ``SHA256SUMS`` or is not valid RDF.
    """
    wanted = _stamp(build)
    current = _read_stamp(build.store_dir)
    if current is not None and current.get("files") == wanted["files"] and current.get("format") == _STORE_FORMAT:
        triples = current.get("triples")
        if isinstance(triples, int):
            return build.store_dir, triples, False
    if not os.access(build.path, os.W_OK):
        tmp = Path(tempfile.mkdtemp(prefix="sse-ld-store-"))
        if say is not None:
            say(f"{build.path} is read-only: loading the graph into a temporary store")
        return tmp, _load(build, tmp / "store"), True
    with _lock(build.path / ".store.lock"):
        current = _read_stamp(build.store_dir)  # another process may have built it meanwhile
        if current is not None and current.get("files") == wanted["files"]:
            triples = current.get("triples")
            if isinstance(triples, int):
                return build.store_dir, triples, False
        if say is not None:
            say(f"loading {build.dump.name} and the ontology into the query store (once per build)")
        tmp = build.path / f".store.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        try:
            triples = _load(build, tmp)
            (tmp / _STAMP).write_text(json.dumps({**wanted, "triples": triples}), encoding="utf-8")
            old = build.path / f".store.old-{uuid.uuid4().hex[:8]}"
            if build.store_dir.exists():
                os.rename(build.store_dir, old)
            os.rename(tmp, build.store_dir)
            shutil.rmtree(old, ignore_errors=True)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return build.store_dir, triples, False


@contextlib.contextmanager
def _lock(path: Path) -> Iterator[None]:
    with path.open("ab") as f:
        fcntl.flock(f.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f.fileno(), fcntl.LOCK_UN)


def store_triples(build: BuildFolder) -> int:
    """The number of distinct triples in the build's queryable graph (loads the store if needed)."""
    path, triples, temporary = ensure_store(build)
    if temporary:
        shutil.rmtree(path, ignore_errors=True)
    return triples


def run_query(
    store: Path,
    query: str,
    output: Path,
    *,
    fmt: str | None = None,
    bindings: Mapping[str, str] | None = None,
    prefixes: Mapping[str, str] | None = None,
    timeout: float = 60.0,
    allow_service: bool = False,
) -> QueryOutcome:
    """Run ``query`` on the store at ``store``, writing the results into ``output``.

    Args:
        store: a store folder from :func:`ensure_store`.
        query: the SPARQL query.
        output: the file to write the results to (SPARQL JSON when ``fmt`` is ``table``).
        fmt: output format; ``None`` picks ``table`` for SELECT/ASK and ``turtle`` otherwise.
        bindings: variable name (without ``?``) -> N-Triples term (see :func:`parse_term`).
        prefixes: prefixes the query may use without declaring them.
        timeout: seconds before the query is stopped.
        allow_service: let ``SERVICE`` reach other endpoints over the network.

    Raises:
        QueryError: the query cannot run (syntax, update, refused SERVICE, format mismatch).
        QueryTimeout: the time limit passed.
    """
    form = check_query(query, allow_service=allow_service, prefixes=prefixes)
    variables = scan(query).variables
    for name in bindings or {}:
        if name not in variables:
            raise QueryError(f"the query has no variable ?{name} to bind", hint="check the --param names")
    if fmt is None:
        fmt = "table" if form in ("select", "ask") else "turtle"
    if form in ("select", "ask") and fmt not in RESULT_FORMATS:
        raise QueryError(
            f"a {form.upper()} query's results cannot be written as {fmt}", hint="use " + ", ".join(RESULT_FORMATS)
        )
    if form in ("construct", "describe") and fmt not in GRAPH_FORMATS:
        raise QueryError(
            f"a {form.upper()} query gives triples, not {fmt}",
            hint="use " + ", ".join(GRAPH_FORMATS),
        )
    request = {
        "store": str(store),
        "query": query,
        "format": fmt,
        "bindings": dict(bindings or {}),
        "prefixes": dict(prefixes or {}),
        "output": str(output),
    }
    proc = subprocess.Popen(
        [sys.executable, "-I", str(_WORKER)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        out, err = proc.communicate(json.dumps(request), timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise QueryTimeout(
            f"the query was stopped after its time limit of {timeout:g} s",
            hint="simplify it, add a LIMIT, or raise --timeout",
        ) from None
    try:
        reply = json.loads(out.strip().splitlines()[-1]) if out.strip() else None
    except ValueError:
        reply = None
    if not isinstance(reply, dict):
        raise InternalError(f"the query process failed (exit {proc.returncode}): {err.strip()[-2000:]}")
    if not reply.get("ok"):
        kind, message = reply.get("error"), str(reply.get("message", ""))
        if kind == "syntax":
            raise QueryError(f"the query is not valid SPARQL: {message}")
        if kind == "projection":
            raise QueryError(
                f"a parameter must be a variable the SELECT returns: {message}",
                hint="add the variable to the SELECT clause (and to GROUP BY when grouping), or use SELECT *",
            )
        if kind == "store" and "SERVICE" in message.upper():
            raise QueryError(f"a SERVICE call failed: {message}")
        if kind == "store":
            raise QueryError(f"the query failed while running: {message}")
        raise QueryError(message)
    return QueryOutcome(str(reply["form"]), int(reply["count"]), fmt)


def catalog_dataset(path: Path) -> str:
    """The IRI of the one ``dcat:Dataset`` of a build's ``catalog.ttl``.

    Raises:
        InputError: the file does not parse or describes no single dataset.
    """
    import pyoxigraph

    dcat_dataset = "http://www.w3.org/ns/dcat#Dataset"
    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    try:
        found = {
            t.subject.value
            for t in pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE)
            if t.predicate.value == rdf_type and t.object.value == dcat_dataset
        }
    except (SyntaxError, OSError) as exc:
        raise InputError(f"cannot read the catalog: {exc}", file=str(path)) from None
    if len(found) != 1:
        raise InputError(
            f"the catalog describes {len(found)} datasets, not one", file=str(path), hint="pass --graph IRI"
        )
    return str(found.pop())


def turtle_triples(paths: list[Path]) -> Iterator[tuple[str, str, str]]:
    """The triples of Turtle files as ``(<subject>, predicate IRI, object in N-Triples)``.

    Raises:
        InputError: a file is not valid Turtle.
    """
    import pyoxigraph

    for path in paths:
        try:
            for t in pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE):
                yield str(t.subject), t.predicate.value, str(t.object)
        except SyntaxError as exc:
            raise InputError(f"the file is not valid Turtle: {exc}", file=str(path)) from None
