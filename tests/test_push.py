"""``sse-ld push`` against real servers: Oxigraph and Virtuoso, started and stopped here.

Each test runs on both servers. What must hold: a push replaces the graph with exactly the
build's triples; readers never see an empty or partial graph; and when the server dies
mid-upload, refuses the credentials or fails with a 500, the live graph is exactly what it
was and the error says what happened.
"""

from __future__ import annotations

import io
import json
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph
import pytest
from conftest import CASES, PERU
from servers import FaultProxy, Oxigraph, Server, Virtuoso, literal_key, term_key

import sse_ld
from sse_ld.publish import sha256_file
from sse_ld.published import open_build
from sse_ld.push import (
    AuthError,
    ConnectionLost,
    PushResult,
    RetryPolicy,
    ServerError,
    credentials,
    staging_graph,
)
from sse_ld.store import ensure_store

LINKED = CASES / "valid" / "linked-organisations"
GRAPH = "https://example.org/test/dataset"
FAST = RetryPolicy(attempts=3, backoff=0.05, max_wait=0.2, timeout=60.0, connect_timeout=2.0)


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Oxigraph]:
    server = Oxigraph(tmp_path_factory.mktemp("oxigraph"))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    server = Virtuoso(tmp_path_factory.mktemp("virtuoso"))
    server.start()
    yield server
    server.stop()


@pytest.fixture(params=["oxigraph", "virtuoso"])
def server(request: pytest.FixtureRequest) -> Server:
    s: Server = request.getfixturevalue(request.param)
    if s.proc is None or s.proc.poll() is not None:
        s.start()  # a previous test killed it
    return s


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two versions of one dataset: v2 renames, adds and removes organisations."""
    root = tmp_path_factory.mktemp("builds")
    pkg = root / "pkg"
    shutil.copytree(LINKED, pkg)
    out = {"v1": root / "v1", "v2": root / "v2"}
    assert sse_ld.build(pkg, out["v1"]).written
    csv = pkg / "data" / "organisations.csv"
    text = csv.read_text(encoding="utf-8").replace("Comedor de prueba Uno", "Comedor de prueba Uno (renombrado)")
    text = text.replace("5,Olla común de prueba Cinco,olla-comun,0801,12,2021\n", "")
    text += "6,Cooperativa de prueba Seis,cooperativa,1502,60,2010\n"
    csv.write_text(text, encoding="utf-8")
    assert sse_ld.build(pkg, out["v2"]).written
    return out


def _local_triples(build: Path) -> set[tuple[str, str, str]]:
    store_path, _n, _tmp = ensure_store(open_build(build))
    store = pyoxigraph.Store.read_only(str(store_path))
    res = store.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o }")
    out = set()
    for sol in res:
        out.add(tuple(_ox_key(sol[v]) for v in ("s", "p", "o")))
    return out  # type: ignore[return-value]


def _local_count(build: Path) -> int:
    """Triples in the build's store, blank-node triples included (the sets above collapse them)."""
    store_path, _n, _tmp = ensure_store(open_build(build))
    store = pyoxigraph.Store.read_only(str(store_path))
    (row,) = list(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"))
    return int(row["n"].value)


def _ox_key(term: object) -> str:
    if isinstance(term, pyoxigraph.NamedNode):
        return f"<{term.value}>"
    if isinstance(term, pyoxigraph.Literal):
        return literal_key(term.value, term.datatype.value, term.language)
    return "_:"


def _push(server: Server, build: Path, **kw: object) -> PushResult:
    env = {"SSE_LD_USERNAME": server.creds[0], "SSE_LD_PASSWORD": server.creds[1]} if server.creds else {}
    options: dict = {"graph": GRAPH, "env": env, "policy": FAST, "netrc_file": "/nonexistent", **server.endpoints()}
    options.update(kw)
    return sse_ld.push_build(build, options.pop("store_url", server.store_url), **options)


def test_push_replaces_the_graph_with_exactly_the_build(server: Server, builds: dict[str, Path]) -> None:
    first = _push(server, builds["v1"])
    assert first.triples == server.count(GRAPH) == _local_count(builds["v1"])
    second = _push(server, builds["v2"])
    assert second.previous == first.triples
    assert server.triples(GRAPH) == _local_triples(builds["v2"])
    assert server.count(staging_graph(GRAPH)) == 0  # the staging graph is gone


def test_readers_never_see_an_empty_or_partial_graph(server: Server, builds: dict[str, Path]) -> None:
    _push(server, builds["v1"])
    sizes = {server.count(GRAPH)}
    v2 = _local_count(builds["v2"])
    seen: list[int] = []
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            seen.append(server.count(GRAPH))

    reader = threading.Thread(target=watch)
    reader.start()
    try:
        _push(server, builds["v2"], part_bytes=256)  # many small parts: a long upload phase
    finally:
        done.set()
        reader.join()
    assert len(seen) > 3
    assert set(seen) <= sizes | {v2}, f"a reader saw {sorted(set(seen) - sizes - {v2})} triples"


def test_server_killed_mid_upload_leaves_the_live_graph_intact(server: Server, builds: dict[str, Path]) -> None:
    # Several replacements before the crash: Virtuoso's roll-forward must replay them all.
    for version in ("v1", "v2", "v1"):
        _push(server, builds[version])
    before = server.triples(GRAPH)
    killed = []

    def progress(stage: str, message: str) -> None:
        if stage == "uploaded" and not killed:
            server.kill()  # SIGKILL after the first part: the server dies in the middle of the push
            killed.append(message)

    with pytest.raises(ConnectionLost) as err:
        _push(server, builds["v2"], part_bytes=256, progress=progress)
    assert killed
    assert err.value.live_unchanged and "the live graph is unchanged" in str(err.value)
    assert "upload" in err.value.stage
    server.start()  # restarts from what it had committed to disk
    assert server.triples(GRAPH) == before
    result = _push(server, builds["v2"])  # the next push cleans the staging graph and succeeds
    assert server.triples(GRAPH) == _local_triples(builds["v2"])
    assert result.triples == _local_count(builds["v2"])


def test_a_500_is_retried_with_backoff(server: Server, builds: dict[str, Path]) -> None:
    _push(server, builds["v1"])
    uploads = []

    def once(method: str, path: str, n: int) -> int | None:
        if method == "POST" and "graph=" in path:
            uploads.append(path)
            return 500 if len(uploads) == 2 else None
        return None

    with FaultProxy(server.base, once) as proxy:
        result = _push(
            server,
            builds["v2"],
            store_url=proxy.url(server.store_url),
            query_endpoint=proxy.url(server.endpoints()["query_endpoint"]),
            update_endpoint=proxy.url(server.endpoints()["update_endpoint"]),
            part_bytes=2048,
        )
    assert result.retries == 1
    assert server.triples(GRAPH) == _local_triples(builds["v2"])


def test_a_persistent_500_fails_and_leaves_the_live_graph_intact(server: Server, builds: dict[str, Path]) -> None:
    _push(server, builds["v1"])
    before = server.triples(GRAPH)

    def always(method: str, path: str, n: int) -> int | None:
        return 500 if method == "POST" and "graph=" in path else None

    with FaultProxy(server.base, always) as proxy, pytest.raises(ServerError) as err:
        _push(
            server,
            builds["v2"],
            store_url=proxy.url(server.store_url),
            query_endpoint=proxy.url(server.endpoints()["query_endpoint"]),
            update_endpoint=proxy.url(server.endpoints()["update_endpoint"]),
        )
    assert err.value.status == 500 and err.value.live_unchanged
    assert "HTTP 500" in str(err.value) and f"after {FAST.attempts} attempts" in str(err.value)
    assert server.triples(GRAPH) == before
    assert server.count(staging_graph(GRAPH)) == 0


def test_a_real_500_from_virtuoso_leaves_the_live_graph_intact(
    virtuoso: Virtuoso, builds: dict[str, Path], tmp_path: Path
) -> None:
    """Virtuoso 7.2 answers HTTP 500 ("SR197: Non unique primary key on DB.DBA.RDF_DATATYPE")
    to a literal whose datatype IRI is longer than about 1,900 characters: valid RDF, which
    Oxigraph stores. The push fails after its retries and the live graph stays as it was."""
    if virtuoso.proc is None:
        virtuoso.start()
    _push(virtuoso, builds["v1"])
    before = virtuoso.triples(GRAPH)
    odd = tmp_path / "odd"
    shutil.copytree(builds["v2"], odd, ignore=shutil.ignore_patterns(".store*"))
    dump = odd / "linked-organisations.nt"
    with dump.open("a", encoding="utf-8") as f:
        f.write(
            f'<https://example.org/test/odd> <https://example.org/test/p> "x"^^<https://example.org/{"d" * 3000}> .\n'
        )
    sums = odd / "SHA256SUMS"
    digest = sha256_file(dump)
    lines = sums.read_text(encoding="utf-8").splitlines()
    sums.write_text(
        "".join(
            f"{digest}  {ln.split('  ', 1)[1]}\n" if ln.endswith("  linked-organisations.nt") else f"{ln}\n"
            for ln in lines
        )
    )
    with pytest.raises(ServerError) as err:
        _push(virtuoso, odd)
    assert err.value.status == 500 and err.value.live_unchanged and "upload" in err.value.stage
    assert "SR197" in str(err.value)
    assert virtuoso.triples(GRAPH) == before
    assert virtuoso.count(staging_graph(GRAPH)) == 0


def test_wrong_password_is_refused_and_changes_nothing(virtuoso: Virtuoso, builds: dict[str, Path]) -> None:
    if virtuoso.proc is None:
        virtuoso.start()
    _push(virtuoso, builds["v1"])
    before = virtuoso.triples(GRAPH)
    with pytest.raises(AuthError) as err:
        _push(virtuoso, builds["v2"], env={"SSE_LD_USERNAME": "sseld", "SSE_LD_PASSWORD": "wrong"})
    assert "HTTP 401" in str(err.value) and err.value.stage == "connect"
    assert virtuoso.triples(GRAPH) == before


def test_credentials_come_from_a_netrc_file(virtuoso: Virtuoso, builds: dict[str, Path], tmp_path: Path) -> None:
    if virtuoso.proc is None:
        virtuoso.start()
    netrc = tmp_path / "netrc"
    netrc.write_text(f"machine 127.0.0.1 login {virtuoso.creds[0]} password {virtuoso.creds[1]}\n")
    netrc.chmod(0o600)
    result = _push(virtuoso, builds["v1"], env={}, netrc_file=str(netrc))
    assert result.triples == virtuoso.count(GRAPH)


def test_cli_push_and_its_exit_codes(cli, virtuoso: Virtuoso, builds: dict[str, Path], monkeypatch) -> None:
    if virtuoso.proc is None:
        virtuoso.start()
    common = [
        builds["v1"],
        "--endpoint",
        virtuoso.store_url,
        "--query-endpoint",
        virtuoso.query_url,
        "--update-endpoint",
        virtuoso.query_url,
        "--graph",
        GRAPH,
        "--netrc",
        "/nonexistent",
        "--backoff",
        "0.05",
    ]
    monkeypatch.setenv("SSE_LD_USERNAME", virtuoso.creds[0])
    monkeypatch.setenv("SSE_LD_PASSWORD", virtuoso.creds[1])
    res = cli("push", *common, "-q")
    assert res.code == 0, res.err
    assert res.out.startswith(f"replaced <{GRAPH}>: ")
    monkeypatch.setenv("SSE_LD_PASSWORD", "wrong")
    res = cli("push", *common, "-q")
    assert res.code == 1
    assert "refused access (HTTP 401" in res.err and "the live graph is unchanged" in res.err
    assert "Traceback" not in res.err
    res = cli("push", *common[:2], "http://u:p@127.0.0.1:1/store", "-q")
    assert res.code == 2 and "credentials in the endpoint URL are refused" in res.err


def test_push_refuses_a_folder_that_is_not_a_build(cli, tmp_path: Path) -> None:
    res = cli("push", tmp_path, "--endpoint", "http://127.0.0.1:1/store")
    assert res.code == 2 and "not an sse-ld build folder" in res.err


def _canned(folder: Path) -> list[Path]:
    return sorted((folder / "queries").glob("*.rq")) if (folder / "queries").is_dir() else []


PARITY = [(LINKED, q) for q in _canned(LINKED)] + [(PERU, q) for q in _canned(PERU)]


@pytest.fixture(scope="module")
def pushed(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Each package with canned queries, built once."""
    out: dict = {}
    for pkg in {p for p, _q in PARITY}:
        build = tmp_path_factory.mktemp("parity") / pkg.name
        assert sse_ld.build(pkg, build).written
        out[pkg] = build
    return out


def _rows(results: dict, ordered: bool) -> list[tuple[str, ...]]:
    if "boolean" in results:
        return [(str(results["boolean"]),)]
    names = results["head"]["vars"]
    rows = [tuple(term_key(b[v]) if v in b else "" for v in names) for b in results["results"]["bindings"]]
    return rows if ordered else sorted(rows)


@pytest.mark.parametrize("package, query", PARITY, ids=[f"{p.name}/{q.stem}" for p, q in PARITY])
def test_canned_queries_answer_the_same_on_servers_and_embedded(
    server: Server, pushed: dict, package: Path, query: Path
) -> None:
    build = pushed[package]
    graph = f"urn:x-test:parity:{package.name}"
    _push(server, build, graph=graph)
    text = query.read_text(encoding="utf-8")
    ordered = "ORDER BY" in text.upper()
    buf = io.StringIO()
    sse_ld.query_build(build, out=buf, name=query.stem, fmt="json")
    local = _rows(json.loads(buf.getvalue()), ordered)
    remote = _rows(server.select(text, default_graph=graph), ordered)
    assert remote == local


def test_a_dump_changed_after_the_build_is_not_pushed(cli, builds: dict[str, Path], tmp_path: Path) -> None:
    changed = tmp_path / "changed"
    shutil.copytree(builds["v1"], changed, ignore=shutil.ignore_patterns(".store*"))
    dump = changed / "linked-organisations.nt"
    dump.write_text(dump.read_text(encoding="utf-8") + "<x:a> <x:b> <x:c> .\n", encoding="utf-8")
    res = cli("push", changed, "--endpoint", "http://127.0.0.1:1/store", "--graph", GRAPH, "--netrc", "/nonexistent")
    assert res.code == 2 and "does not match its SHA-256" in res.err


def test_credentials_from_the_environment_or_netrc(tmp_path: Path) -> None:
    url = "http://sparql.example.org/store"
    assert credentials(url, {"SSE_LD_USERNAME": "u", "SSE_LD_PASSWORD": "p"}, "/nonexistent") == ("u", "p")
    with pytest.raises(sse_ld.UsageError, match="both"):
        credentials(url, {"SSE_LD_USERNAME": "u"}, "/nonexistent")
    netrc = tmp_path / "netrc"
    netrc.write_text("machine sparql.example.org login alice password s3cret\nmachine other login bob password x\n")
    netrc.chmod(0o600)
    assert credentials(url, {}, str(netrc)) == ("alice", "s3cret")
    assert credentials("http://elsewhere.example.org/", {}, str(netrc)) is None
    netrc.write_text("machine sparql.example.org secret x\n")
    with pytest.raises(sse_ld.UsageError, match="netrc"):
        credentials(url, {}, str(netrc))
