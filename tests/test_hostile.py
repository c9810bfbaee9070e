"""The hostile-input corpus: one folder per case under tests/hostile/ (see its README.md).

Each case changes the base package (tests/hostile/_base) in one hostile way and states what
sse-ld must do: the exit code (2 for unusable or refused input, 1 for invalid data, 0 for
input that must be accepted safely), message fragments (the file, what is wrong; a hint
saying what to do is required), and for remote cases how often each URL of the test server
may be hit. For every case the runner also checks that no traceback is printed, that
nothing is written to the output folder (or left beside it), that the package and the
folder outside it are unchanged, and that no request leaves the machine (the no-network
guard of conftest.py).
"""

from __future__ import annotations

import bz2
import gzip
import http.server
import json
import lzma
import os
import re
import shutil
import signal
import socket
import socketserver
import threading
import time
import zipfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph
import pytest
from conftest import run_cli
from rdflib import Graph
from rdflib.compare import isomorphic

HOSTILE = Path(__file__).resolve().parent / "hostile"
BASE = HOSTILE / "_base"
CASES = sorted(p for p in HOSTILE.iterdir() if p.is_dir() and not p.name.startswith("_"))
SECRET_CSV = "id,name,website,count\n1,SECRET-OUTSIDE-THE-PACKAGE,,1\n"
BASE_CSV = (BASE / "data" / "things.csv").read_bytes()
CASE_TIMEOUT = 60


# --- the test HTTP server (127.0.0.1 only) ----------------------------------------------


def _gzip_bomb() -> bytes:
    out = gzip.compress(b"id,name,website,count\n" + b"1," + b"a" * 10_000_000 + b",,1\n", 9)
    return out


class _Handler(http.server.BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, *args: Any) -> None:
        pass

    def _send(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        headers = {"Content-Length": str(len(body)), **(headers or {})}
        for k, v in headers.items():
            if v is not None:
                self.send_header(k, v)
        self.end_headers()
        if body:
            self.wfile.write(body)

    def do_GET(self) -> None:
        self.server.hits[self.path] += 1
        port = self.server.server_address[1]
        route = self.path.split("?", 1)[0]
        redirects = {
            "/redirect-same": "/things.csv",
            "/redirect-loop": "/redirect-loop",
            "/redirect-loopback": f"http://127.0.0.2:{port}/things.csv",
            "/redirect-other-port": f"http://127.0.0.1:{self.server.closed_port}/things.csv",
            "/redirect-localhost": f"http://localhost:{port}/things.csv",
            "/redirect-ipv6-loopback": f"http://[::1]:{port}/things.csv",
            "/redirect-link-local": "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
            "/redirect-private": "http://10.0.0.1/things.csv",
            "/redirect-file": "file:///etc/passwd",
            "/redirect-ftp": f"ftp://127.0.0.1:{port}/things.csv",
            "/redirect-userinfo": f"http://user:secret@127.0.0.1:{port}/things.csv",
            "/store-redirect-link-local": "http://169.254.169.254/store",
        }
        if route in redirects:
            self._send(302, headers={"Location": redirects[route]})
        elif route == "/redirect-no-location":
            self._send(302)
        elif route == "/things.csv":
            self._send(200, BASE_CSV, {"Content-Type": "text/csv"})
        elif route == "/things.csv.gz":
            self._send(200, gzip.compress(BASE_CSV), {"Content-Type": "application/gzip"})
        elif route == "/nul.csv":
            self._send(200, BASE_CSV.replace(b"Uno", b"U\x00no"))
        elif route == "/latin1.csv":
            self._send(200, BASE_CSV.replace(b"Uno", "Añó".encode("latin-1")))
        elif route == "/big-declared":
            self.send_response(200)
            self.send_header("Content-Length", str(10**12))
            self.end_headers()
        elif route == "/big-stream":
            self.send_response(200)
            self.end_headers()
            try:
                for _ in range(1000):  # 1 MB at most, far above the case's cap
                    self.wfile.write(b"x" * 1000)
            except OSError:
                pass
            self.close_connection = True
        elif route == "/gzip-bomb":
            self._send(200, self.server.bomb, {"Content-Encoding": "gzip"})
        elif route == "/deflate-damaged":
            self._send(200, b"this is not deflate data", {"Content-Encoding": "deflate"})
        elif route == "/brotli":
            self._send(200, b"\x0b\x02\x80", {"Content-Encoding": "br"})
        elif route == "/slow":
            self.send_response(200)
            self.end_headers()
            try:
                for _ in range(40):  # a byte every 0.25 s: each read is quick, the whole is not
                    self.wfile.write(b"1")
                    self.wfile.flush()
                    time.sleep(0.25)
            except OSError:
                pass
            self.close_connection = True
        elif route == "/hang":
            time.sleep(5)
            self._send(200, BASE_CSV)
        elif route == "/status-404":
            self._send(404, b"not here")
        elif route == "/status-500":
            self._send(500, b"broken")
        else:  # contexts, profiles, schemas, vocabularies: served, so that a fetch would work
            self._send(200, b'{"@context": {}}', {"Content-Type": "application/json"})

    def _write_request(self) -> None:
        """POST, PUT, DELETE (a Graph Store or SPARQL endpoint): the body is read, the route
        answered as for GET."""
        length = int(self.headers.get("Content-Length") or 0)
        while length > 0:
            length -= len(self.rfile.read(min(length, 1 << 16)) or b"x" * length)
        self.do_GET()

    do_POST = do_PUT = do_DELETE = _write_request


class _Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    hits: Counter[str]
    closed_port: int
    bomb: bytes


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server() -> Iterator[_Server]:
    srv = _Server(("127.0.0.1", 0), _Handler)
    srv.hits = Counter()
    srv.closed_port = _closed_port()
    srv.bomb = _gzip_bomb()
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()


# --- building a case --------------------------------------------------------------------


def _fill(value: Any, ctx: dict[str, str]) -> Any:
    if isinstance(value, str):
        return re.sub(r"\{(server|closed_port|outside|pkg|out|tmp)\}", lambda m: ctx[m.group(1)], value)
    if isinstance(value, list):
        return [_fill(v, ctx) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, ctx) for k, v in value.items()}
    return value


def _set_pointer(doc: Any, pointer: str, value: Any) -> Any:
    if pointer == "":
        return value
    parts = [p.replace("~1", "/").replace("~0", "~") for p in pointer.lstrip("/").split("/")]
    node = doc
    for part in parts[:-1]:
        node = node[int(part)] if isinstance(node, list) else node.setdefault(part, {})
    last = parts[-1]
    if isinstance(value, dict) and value.get("$delete"):
        if isinstance(node, list):
            del node[int(last)]
        else:
            node.pop(last, None)
    elif isinstance(node, list):
        if int(last) == len(node):
            node.append(value)
        else:
            node[int(last)] = value
    else:
        node[last] = value
    return doc


def _content(op: dict[str, Any]) -> bytes:
    head = op.get("head", "").encode()
    body = op.get("repeat", "").encode() * int(op.get("times", 0))
    return head + body + op.get("tail", "").encode()


def _setup(pkg: Path, ops: list[dict[str, Any]]) -> None:
    """Run setup operations on the files of ``pkg`` (the package, or for ``after_build`` the
    output folder)."""
    for op in ops:
        target = pkg / op["path"]
        target.parent.mkdir(parents=True, exist_ok=True)
        if op["op"] == "append":
            op = {**op, "_before": target.read_bytes()}
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        elif target.exists() or target.is_symlink():
            target.unlink()
        kind = op["op"]
        if kind == "delete":
            pass
        elif kind == "append":
            target.write_bytes(op["_before"] + op["text"].encode())
        elif kind == "symlink":
            target.symlink_to(op["to"])
        elif kind == "mkfifo":
            os.mkfifo(target)
        elif kind == "write":
            target.write_bytes(_content(op))
        elif kind == "compress":
            data = _content(op)
            fmt = op["format"]
            if fmt == "gz":
                target.write_bytes(gzip.compress(data, 9))
            elif fmt == "bz2":
                target.write_bytes(bz2.compress(data, 9))
            elif fmt == "xz":
                target.write_bytes(lzma.compress(data))
            elif fmt == "zip":
                with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
                    for name in op.get("members", ["things.csv"]):
                        z.writestr(name, data)
        else:  # pragma: no cover - a typo in a case
            raise ValueError(f"unknown setup op {kind!r}")


def _snapshot(folder: Path) -> dict[str, bytes | str]:
    out: dict[str, bytes | str] = {}
    for p in sorted(folder.rglob("*")):
        rel = str(p.relative_to(folder))
        if p.is_symlink():
            out[rel] = "-> " + os.readlink(p)
        elif p.is_fifo():
            out[rel] = "fifo"
        elif p.is_file():
            out[rel] = p.read_bytes()
    return out


def _prepare(case: Path, tmp: Path, srv: _Server) -> tuple[dict[str, Any], Path, Path, dict[str, str]]:
    spec = json.loads((case / "case.json").read_text(encoding="utf-8"))
    pkg, out, outside = tmp / "pkg", tmp / "out", tmp / "outside"
    outside.mkdir()
    (outside / "secret.csv").write_text(SECRET_CSV)
    (outside / "secret.json").write_text('{"version": 1, "base": "https://example.org/secret/", "resources": {}}')
    (outside / "data").mkdir()
    (outside / "data" / "things.csv").write_text(SECRET_CSV)
    ctx = {
        "server": f"http://127.0.0.1:{srv.server_address[1]}",
        "closed_port": str(srv.closed_port),
        "outside": str(outside),
        "pkg": str(pkg),
        "out": str(out),
        "tmp": str(tmp),
    }
    shutil.copytree(BASE, pkg)
    for f in case.rglob("*"):
        if f.is_file() and f.name != "case.json":
            dest = pkg / f.relative_to(case)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(f, dest)
    for name, text in spec.get("files", {}).items():
        dest = pkg / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(_fill(text, ctx).encode("utf-8"))
    for name, edits in spec.get("patch", {}).items():
        doc = json.loads((pkg / name).read_text(encoding="utf-8"))
        for pointer, value in edits.items():
            doc = _set_pointer(doc, pointer, _fill(value, ctx))
        (pkg / name).write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    _setup(pkg, _fill(spec.get("setup", []), ctx))
    return spec, pkg, out, ctx


def _alarm(signum: int, frame: object) -> None:
    raise TimeoutError(f"the case took more than {CASE_TIMEOUT} s (a hang is a failure)")


def _parse_all(out: Path, name: str) -> None:
    """Every dump of an accepted case reads as the same graph in rdflib and Oxigraph."""
    reference = Graph().parse(out / f"{name}.nt", format="nt")
    for suffix, fmt, ox in (
        ("ttl", "turtle", pyoxigraph.RdfFormat.TURTLE),
        ("jsonld", "json-ld", pyoxigraph.RdfFormat.JSON_LD),
        ("nt", "nt", pyoxigraph.RdfFormat.N_TRIPLES),
    ):
        assert isomorphic(Graph().parse(out / f"{name}.{suffix}", format=fmt), reference), suffix
        lines = "".join(f"{t} .\n" for t in pyoxigraph.parse(path=str(out / f"{name}.{suffix}"), format=ox))
        assert isomorphic(Graph().parse(data=lines, format="nt"), reference), suffix


def _params() -> list[Any]:
    params = []
    for case in CASES:
        reason = json.loads((case / "case.json").read_text(encoding="utf-8")).get("xfail")
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        params.append(pytest.param(case, id=case.name, marks=marks))
    return params


@pytest.mark.parametrize("case", _params())
def test_hostile_case(case: Path, tmp_path: Path, server: _Server) -> None:
    spec, pkg, out, ctx = _prepare(case, tmp_path, server)
    expect = _fill(spec["expect"], ctx)
    before_pkg = _snapshot(pkg)
    before_outside = _snapshot(tmp_path / "outside")
    out_arg = _fill(spec.get("out", "{out}"), ctx)
    watched = Path(out_arg)
    before_out = _snapshot(watched) if watched.is_dir() else None
    hits_before = Counter(server.hits)
    command = spec.get("command", "build")
    target = str(pkg)
    if command in ("query", "push"):  # these read a build: make one first
        built = run_cli("build", pkg, "--out", out, "-q")
        assert built.code == 0, built.err
        _setup(out, _fill(spec.get("after_build", []), ctx))
        target, watched, before_out = str(out), out, None
        hits_before = Counter(server.hits)
    args = [command, target, *(["--out", out_arg] if command == "build" else []), *_fill(spec.get("args", []), ctx)]
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(CASE_TIMEOUT)
    started = time.monotonic()
    try:
        res = run_cli(*args)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    elapsed = time.monotonic() - started
    shown = f"exit {res.code}\n--- stdout\n{res.out[-3000:]}\n--- stderr\n{res.err[-3000:]}"
    assert elapsed < spec.get("max_seconds", CASE_TIMEOUT), f"took {elapsed:.1f} s"

    assert res.code == expect["exit"], shown
    assert "Traceback" not in res.err, shown
    text = res.out + res.err
    if expect["exit"] == 2:
        assert res.err.startswith("sse-ld: error: "), shown
        assert "\n  hint: " in res.err, "a refusal must say what to do\n" + shown
    if expect["exit"] == 1 and command == "build" and not spec.get("fix_in_message"):
        assert "\n  fix: " in res.out, "findings must say how to fix them\n" + shown
    if expect["exit"] in (1, 2) and command not in ("query", "push"):  # their input is the command line
        assert expect["file"] in text, f"the message must name the file {expect['file']!r}\n" + shown
    for fragment in expect.get("message", []):
        assert fragment in text, f"missing {fragment!r}\n" + shown
    for fragment in expect.get("stdout_lacks", []):
        assert fragment not in res.out, f"{fragment!r} should not be in the output\n" + shown
    for code in expect.get("codes", []):
        assert re.search(rf"\b{re.escape(code)}\b", res.out), f"missing finding {code}\n" + shown
    assert "SECRET-OUTSIDE-THE-PACKAGE" not in text, "content from outside the package leaked into the output"

    if command in ("query", "push"):
        pass  # they read the build; the checks below are about what build writes
    elif expect["exit"] == 0:
        assert out.is_dir(), shown
        name = json.loads((pkg / "datapackage.json").read_text(encoding="utf-8"))["name"]
        nt = (out / f"{name}.nt").read_text(encoding="utf-8")
        for fragment in expect.get("dump_contains", []):
            assert fragment in nt, f"{fragment!r} not in the N-Triples dump:\n{nt}"
        if "triples" in expect:
            assert len(nt.splitlines()) == expect["triples"], nt
        assert "SECRET-OUTSIDE-THE-PACKAGE" not in nt
        _parse_all(out, name)
    elif before_out is not None:
        assert _snapshot(watched) == before_out, "the existing output folder was changed"
    else:
        assert not out.exists(), "something was written to the output folder"
    parent = watched.parent if watched.parent.is_dir() else tmp_path
    leftovers = [p.name for p in parent.iterdir() if ".tmp-" in p.name or ".old-" in p.name]
    assert leftovers == [], f"staging folders left behind: {leftovers}"
    assert _snapshot(pkg) == before_pkg, "the package folder was changed"
    assert _snapshot(tmp_path / "outside") == before_outside, "a file outside the package was changed"

    hits = server.hits - hits_before
    for path, count in expect.get("server_hits", {}).items():
        assert hits[path] == count, f"{path} was requested {hits[path]} times, expected {count}"


def test_the_corpus_is_large_and_covers_every_category() -> None:
    """The issue asks for at least 80 hostile cases; each category must be represented."""
    categories = Counter(c.name.split("-", 1)[0] for c in CASES)
    refusals = [c for c in CASES if json.loads((c / "case.json").read_text())["expect"]["exit"] in (1, 2)]
    assert len(refusals) >= 80, categories
    for needed in (
        "query",
        "push",
        "path",
        "remote",
        "bomb",
        "size",
        "encoding",
        "dialect",
        "iri",
        "literal",
        "json",
        "mapping",
        "netref",
        "shapes",
        "output",
    ):
        assert categories[needed] > 0, f"no case in category {needed!r}"


def test_every_case_says_what_it_tests() -> None:
    for case in CASES:
        spec = json.loads((case / "case.json").read_text(encoding="utf-8"))
        assert len(spec.get("about", "")) > 20, case.name
        assert spec["expect"]["exit"] in (0, 1, 2), case.name
        assert isinstance(spec["expect"].get("file"), str) or spec.get("command") in ("query", "push"), case.name


def test_build_provenance_names_the_stored_file_of_a_compressed_resource(tmp_path: Path) -> None:
    """The checksum published for a .csv.gz resource is the .gz's own (the bytes a declared
    ``hash`` describes), not that of the private decompressed copy."""
    import hashlib

    pkg = tmp_path / "pkg"
    shutil.copytree(BASE, pkg)
    gz = pkg / "data" / "things.csv.gz"
    gz.write_bytes(gzip.compress(BASE_CSV))
    (pkg / "data" / "things.csv").unlink()
    descriptor = json.loads((pkg / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"][0]["path"] = "data/things.csv.gz"
    (pkg / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    res = run_cli("build", pkg, "--out", tmp_path / "out")
    assert res.code == 0, res.err
    provenance = (tmp_path / "out" / "build-provenance.ttl").read_text(encoding="utf-8")
    assert hashlib.sha256(gz.read_bytes()).hexdigest() in provenance
    assert hashlib.sha256(BASE_CSV).hexdigest() not in provenance
