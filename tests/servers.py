"""Real SPARQL servers for the tests, started on free 127.0.0.1 ports and always stopped.

- :class:`Oxigraph`: ``oxigraph serve`` (the ``oxigraph`` wheel, in the test extra) with an
  on-disk store, so a killed server restarts with what it had committed.
- :class:`Virtuoso`: Debian's ``virtuoso-t`` with its own ini in a temporary folder (SQL and
  HTTP listening on loopback only), a user with the SPARQL_UPDATE role behind HTTP Digest.
- :class:`FaultProxy`: a small HTTP proxy in front of a real server that answers chosen
  requests with an error status (a gateway failing in front of the store), forwarding
  everything else unchanged.

When a server binary is missing the tests that need it are skipped, unless
``SSE_LD_REQUIRE_SERVERS=1`` (set by ``.ci/run``), which turns that into a failure.
"""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests

VIRTUOSO_USER, VIRTUOSO_PASSWORD = "sseld", "push-secret-1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def require(binary: str) -> str:
    """The path of ``binary``; skip (or fail under SSE_LD_REQUIRE_SERVERS=1) when missing."""
    path = shutil.which(binary) or shutil.which(binary, path=str(Path(sys.executable).parent))
    if path is None:
        message = f"{binary} is not installed (see .ci/run)"
        if os.environ.get("SSE_LD_REQUIRE_SERVERS") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return path


def _wait(ok: Callable[[], bool], proc: subprocess.Popen[bytes], what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited with code {proc.returncode} while starting")
        try:
            if ok():
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not start within {timeout} s")


class Server:
    """A SPARQL server process: ``start``, ``kill`` (SIGKILL), ``stop``, and its endpoints."""

    name = "server"
    creds: tuple[str, str] | None = None
    proc: subprocess.Popen[bytes] | None = None

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def endpoints(self) -> dict[str, str]:
        """Keyword arguments of ``push_build``: ``query_endpoint`` and ``update_endpoint``."""
        raise NotImplementedError

    @property
    def store_url(self) -> str:
        raise NotImplementedError

    @property
    def query_url(self) -> str:
        raise NotImplementedError

    def kill(self) -> None:
        """Kill the server abruptly (SIGKILL), as a crash would."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=30)
        self.proc = None

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=30)
        self.proc = None

    def select(self, query: str, default_graph: str | None = None) -> dict:
        """Run a SELECT/ASK on the server; SPARQL JSON results."""
        data = {"query": query}
        if default_graph:
            data["default-graph-uri"] = default_graph
        auth = requests.auth.HTTPDigestAuth(*self.creds) if self.creds else None
        resp = requests.post(
            self.query_url, data=data, headers={"Accept": "application/sparql-results+json"}, auth=auth, timeout=60
        )
        resp.raise_for_status()
        return resp.json()

    def count(self, graph: str) -> int:
        res = self.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
        return int(res["results"]["bindings"][0]["n"]["value"])

    def triples(self, graph: str) -> set[tuple[str, str, str]]:
        """The graph's triples as (s, p, o) in a normalised spelling."""
        res = self.select(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
        return {tuple(term_key(b[v]) for v in "spo") for b in res["results"]["bindings"]}  # type: ignore[misc]


XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {XSD + t for t in ("integer", "nonNegativeInteger", "positiveInteger", "nonPositiveInteger",
             "negativeInteger", "long", "int", "short", "byte", "unsignedLong", "unsignedInt", "unsignedShort",
             "unsignedByte")}  # fmt: skip


def literal_key(value: str, datatype: str | None, lang: str | None) -> str:
    """A literal by value, as stores keep it: Oxigraph stores every integer type as
    ``xsd:integer`` and canonical numbers; Virtuoso answers booleans as ``1``/``0``."""
    if lang:
        return f'"{value}"@{lang.lower()}'
    dt = datatype or XSD + "string"
    try:
        if dt in _INTEGERS:
            return f'"{int(value)}"^^<{XSD}integer>'
        if dt == XSD + "decimal":
            return f'"{Decimal(value).normalize()}"^^<{dt}>'
        if dt == XSD + "double":
            return f'"{float(value)!r}"^^<{dt}>'
        if dt == XSD + "boolean":
            return f'"{value.strip() in ("true", "1")}"^^<{dt}>'
    except (ValueError, ArithmeticError):
        pass
    return f'"{value}"^^<{dt}>'


def term_key(term: dict) -> str:
    """A SPARQL JSON term, spelled the same whatever server produced it (Virtuoso writes
    ``typed-literal``, may omit ``xsd:string`` and rewrites some values, see literal_key)."""
    kind, value = term["type"], term["value"]
    if kind == "uri":
        return f"<{value}>"
    if kind == "bnode":
        return "_:"
    return literal_key(value, term.get("datatype"), term.get("xml:lang"))


class Oxigraph(Server):
    name = "oxigraph"

    def start(self) -> Oxigraph:
        exe = require("oxigraph")
        self.proc = subprocess.Popen(
            [exe, "serve", "--location", str(self.folder / "db"), "--bind", f"127.0.0.1:{self.port}"],
            stdout=subprocess.DEVNULL,
            stderr=(self.folder / "oxigraph.log").open("ab"),
        )
        _wait(
            lambda: requests.get(f"{self.base}/query", params={"query": "ASK{}"}, timeout=2).ok, self.proc, "oxigraph"
        )
        return self

    @property
    def store_url(self) -> str:
        return f"{self.base}/store"

    @property
    def query_url(self) -> str:
        return f"{self.base}/query"

    def endpoints(self) -> dict[str, str]:
        return {"query_endpoint": f"{self.base}/query", "update_endpoint": f"{self.base}/update"}


_VIRTUOSO_INI = """\
[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0
[Parameters]
ServerPort = 127.0.0.1:{sql}
DisableUnixSocket = 1
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = .
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
MaxQueryMem = 256M
ThreadsPerQuery = 2
[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {d}
ServerThreads = 6
MaxKeepAlives = 10
KeepAliveTimeout = 10
Charset = UTF-8
EnabledGzipContent = 0
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 120
"""


class Virtuoso(Server):
    name = "virtuoso"
    creds = (VIRTUOSO_USER, VIRTUOSO_PASSWORD)

    def __init__(self, folder: Path) -> None:
        super().__init__(folder)
        self.sql_port = free_port()
        self.ini = folder / "virtuoso.ini"
        self.ini.write_text(_VIRTUOSO_INI.format(d=folder, sql=self.sql_port, http=self.port), encoding="utf-8")
        self.ready = False

    def start(self) -> Virtuoso:
        exe = require("virtuoso-t")
        self.proc = subprocess.Popen(
            [exe, "+foreground", "+configfile", str(self.ini)],
            cwd=self.folder,
            stdout=(self.folder / "stdout.log").open("ab"),
            stderr=subprocess.STDOUT,
        )
        _wait(
            lambda: requests.get(f"{self.base}/sparql", params={"query": "ASK{}"}, timeout=2).ok, self.proc, "virtuoso"
        )
        if not self.ready:
            self._isql(
                f"DB.DBA.USER_CREATE('{VIRTUOSO_USER}', '{VIRTUOSO_PASSWORD}'); "
                f'GRANT SPARQL_UPDATE TO "{VIRTUOSO_USER}"; '
                f"DB.DBA.RDF_DEFAULT_USER_PERMS_SET('{VIRTUOSO_USER}', 7); checkpoint;"
            )
            self.ready = True
        return self

    def _isql(self, statements: str) -> None:
        exe = require("isql-vt") if shutil.which("isql-vt") else require("isql")
        proc = subprocess.run(
            [exe, f"127.0.0.1:{self.sql_port}", "dba", "dba", f"exec={statements}"],
            capture_output=True,
            text=True,
            timeout=60,
        )
        if proc.returncode != 0 or "Error" in proc.stdout + proc.stderr:
            raise RuntimeError(f"isql failed: {proc.stdout} {proc.stderr}")

    @property
    def store_url(self) -> str:
        return f"{self.base}/sparql-graph-crud-auth"

    @property
    def query_url(self) -> str:
        return f"{self.base}/sparql-auth"

    def endpoints(self) -> dict[str, str]:
        return {"query_endpoint": f"{self.base}/sparql-auth", "update_endpoint": f"{self.base}/sparql-auth"}


class FaultProxy:
    """An HTTP proxy to ``upstream`` that answers a request with ``status`` when
    ``fault(method, path, n)`` says so (``n`` counts the requests seen so far)."""

    def __init__(self, upstream: str, fault: Callable[[str, str, int], int | None]) -> None:
        self.upstream = upstream.removeprefix("http://")
        self.fault = fault
        self.seen: list[tuple[str, str, int]] = []
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                n = len(proxy.seen)
                status = proxy.fault(self.command, self.path, n)
                proxy.seen.append((self.command, self.path, status or 0))
                if status:
                    payload = b"injected failure"
                    self.send_response(status)
                    self.send_header("Content-Type", "text/plain")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                    return
                conn = http.client.HTTPConnection(proxy.upstream, timeout=120)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
                conn.request(self.command, self.path, body=body or None, headers=headers)
                resp = conn.getresponse()
                data = resp.read()
                self.send_response(resp.status)
                for k, v in resp.getheaders():
                    if k.lower() not in ("transfer-encoding", "connection", "content-length"):
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                conn.close()

            do_GET = do_POST = do_PUT = do_DELETE = _handle

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, upstream_url: str) -> str:
        """``upstream_url`` rewritten to go through the proxy."""
        return upstream_url.replace(f"http://{self.upstream}", f"http://127.0.0.1:{self.port}")

    def __enter__(self) -> FaultProxy:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
