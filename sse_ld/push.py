"""Loading a build into a SPARQL server, atomically, over the SPARQL 1.1 Graph Store Protocol.

:func:`push_graph` never leaves the live graph empty or half-loaded (the HTTP side, with
authentication, retries and streamed bodies, is :mod:`sse_ld.gsp`):

1. the files are uploaded into a *staging* named graph (``POST`` to the Graph Store
   endpoint), the N-Triples dump in parts cut at line ends, each part streamed from disk
   with a ``Content-Length`` (Virtuoso 7 silently drops chunked request bodies);
2. the staging graph's triple count is checked against the expected count;
3. one SPARQL Update request replaces the live graph with the staging graph and drops it:
   ``MOVE <staging> TO <target>``, or on Virtuoso a *delta* (delete what the new version
   lacks, insert what is new; see :func:`switch_update`); servers run an update request as
   one transaction, so readers see the old graph or the new one.

On any failure before step 3 the live graph is untouched and the staging graph is dropped
when the server still answers. Transient failures (connection errors, timeouts, HTTP 408,
429, 500, 502, 503, 504) are retried with exponential backoff; re-sending a part is safe
because adding the same triples twice changes nothing (and the count check catches blank
nodes, which would be duplicated). Credentials come from ``SSE_LD_USERNAME`` and
``SSE_LD_PASSWORD`` or a netrc entry for the host, never from the command line; Basic or
Digest is chosen from the server's challenge.

Exceptions are :class:`~sse_ld.gsp.PushError` and its subclasses (exit code 1 in the CLI);
each says which step failed and whether the live graph is unchanged.
"""

from __future__ import annotations

import hashlib
import itertools
import time

from .errors import UsageError
from .gsp import (
    AuthError,
    Client,
    ConnectionLost,
    Endpoints,
    Progress,
    PushError,
    PushResult,
    RetryPolicy,
    ServerError,
    Upload,
    VerificationError,
    check_iri,
    credentials,
    file_slice,
    short_url,
)

__all__ = [
    "AuthError",
    "ConnectionLost",
    "Endpoints",
    "PushError",
    "PushResult",
    "RetryPolicy",
    "ServerError",
    "Upload",
    "VerificationError",
    "count_triples",
    "credentials",
    "push_graph",
    "staging_graph",
    "switch_update",
]


def staging_graph(target: str) -> str:
    """The staging graph of ``target``: one name per target, so a push that died is cleaned
    up by the next one."""
    return "urn:x-sse-ld:staging:" + hashlib.sha256(target.encode("utf-8")).hexdigest()[:32]


def count_triples(
    endpoints: Endpoints, graph: str, *, creds: tuple[str, str] | None = None, policy: RetryPolicy | None = None
) -> int:
    """The number of triples in ``graph`` on a server (for checks and tests)."""
    check_iri(graph, "graph")
    client = Client(endpoints, creds, policy or RetryPolicy(), lambda s, m: None)
    client.choose_auth(endpoints.store)
    return client.count(graph, "count")


def push_graph(
    uploads: list[Upload],
    endpoints: Endpoints,
    graph: str,
    expected: int,
    *,
    creds: tuple[str, str] | None = None,
    policy: RetryPolicy | None = None,
    part_bytes: int = 32 * 1024 * 1024,
    progress: Progress | None = None,
    switch: str = "auto",
) -> PushResult:
    """Replace ``graph`` on the server with the union of ``uploads``, atomically.

    Args:
        uploads: the files, in order (N-Triples ones may be split).
        endpoints: the server's Graph Store, query and update URLs.
        graph: the target (live) graph IRI.
        expected: the number of distinct triples the union holds (checked on the server).
        creds: (user, password), see :func:`credentials`.
        policy: retries and timeouts.
        part_bytes: largest upload request for a splittable file.
        progress: called with (stage, message) at each step.
        switch: how the staging graph replaces the live one (see :func:`switch_update`):
            ``move``, ``delta``, or ``auto`` (``delta`` on Virtuoso, ``move`` elsewhere).

    Raises:
        PushError: see the module docstring; the live graph is unchanged unless the error
            says otherwise.
        UsageError: ``graph`` is not a valid IRI.
    """
    check_iri(graph, "graph")
    if switch not in ("auto", "move", "delta"):
        raise UsageError(f"unknown switch strategy {switch!r}", hint="use auto, move or delta")
    if part_bytes < 1:
        raise UsageError("the upload part size must be positive")
    say: Progress = progress or (lambda stage, message: None)
    policy = policy or RetryPolicy()
    staging = staging_graph(graph)
    client = Client(endpoints, creds, policy, say)
    started = time.monotonic()
    timings: dict[str, float] = {}
    say("connect", f"connecting to {short_url(endpoints.store)}")
    client.choose_auth(endpoints.store)
    client.update(f"DROP SILENT GRAPH <{staging}>", "prepare")
    previous = client.count(graph, "prepare")
    plan = [(u, r) for u in uploads for r in _parts(u, part_bytes)]
    total_bytes = sum(end - start for _u, (start, end) in plan)
    done = 0
    t0 = time.monotonic()
    try:
        for i, (upload, (start, end)) in enumerate(plan, 1):
            say("upload", f"uploading part {i}/{len(plan)}: {upload.name} bytes {start}-{end}")
            client.request(
                "POST",
                endpoints.store,
                stage=f"upload {upload.name}",
                params={"graph": staging},
                body=file_slice(upload.path, start, end),
                headers={"Content-Type": upload.media_type},
            )
            done += end - start
            say("uploaded", f"uploaded part {i}/{len(plan)} ({done}/{total_bytes} bytes)")
        timings["upload"] = time.monotonic() - t0
        t0 = time.monotonic()
        got = client.count(staging, "verify")
        timings["verify"] = time.monotonic() - t0
        if got != expected:
            raise VerificationError(
                f"the staging graph holds {got} triples, not the {expected} the build has",
                stage="verify",
                hint="the server may have rejected or rewritten some triples; nothing was switched",
            )
        say("verified", f"staging graph holds the expected {expected} triples")
    except PushError:
        _cleanup(client, staging)
        raise
    t0 = time.monotonic()
    strategy = _strategy(switch, client)
    say("switch", f"replacing <{graph}> with the staging graph ({strategy})")
    _switch(client, staging, graph, expected, strategy)
    timings["switch"] = time.monotonic() - t0
    now = client.count(graph, "check", live_unchanged=False)
    if now != expected:
        raise VerificationError(
            f"after the switch <{graph}> holds {now} triples, not {expected}",
            stage="check",
            live_unchanged=False,
        )
    return PushResult(
        graph, now, previous, client.bytes, client.sent, client.retried, time.monotonic() - started, timings
    )


def _strategy(switch: str, client: Client) -> str:
    if switch != "auto":
        return switch
    return "delta" if "virtuoso" in client.software.lower() else "move"


def switch_update(strategy: str, staging: str, graph: str) -> str:
    """The SPARQL Update that replaces ``graph`` with ``staging`` and drops ``staging``, in one
    request (one transaction).

    ``move`` is ``MOVE``. ``delta`` deletes from the live graph only the triples the new
    version lacks and inserts only the new ones: the same result, but the triples both
    versions share are never deleted and re-inserted. Virtuoso 7.2 needs it: after a crash,
    its roll-forward loses triples that a logged transaction deleted and re-inserted (as a
    MOVE of a new version over the old one does), which ``tests/test_push.py`` reproduces.
    """
    if strategy == "move":
        return f"MOVE <{staging}> TO <{graph}>"
    if strategy == "delta":
        return (
            f"DELETE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} "
            f"FILTER NOT EXISTS {{ GRAPH <{staging}> {{ ?s ?p ?o }} }} }} ;\n"
            f"INSERT {{ GRAPH <{graph}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{staging}> {{ ?s ?p ?o }} "
            f"FILTER NOT EXISTS {{ GRAPH <{graph}> {{ ?s ?p ?o }} }} }} ;\n"
            f"DROP SILENT GRAPH <{staging}>"
        )
    raise UsageError(f"unknown switch strategy {strategy!r}", hint="use auto, move or delta")


def _switch(client: Client, staging: str, graph: str, expected: int, strategy: str) -> None:
    """Switch staging into the live graph, once: a switch whose answer was lost may have
    happened, so instead of repeating it, the staging graph tells: still full, nothing
    happened (the live graph is unchanged); empty, the switch was made."""
    saved = client.policy
    client.policy = RetryPolicy(attempts=1, timeout=saved.timeout, connect_timeout=saved.connect_timeout)
    try:
        client.update(switch_update(strategy, staging, graph), "switch", live_unchanged=False)
        return
    except PushError as exc:
        failure = exc
    finally:
        client.policy = saved
    try:
        left = client.count(staging, "switch")
    except PushError:
        raise failure from None
    if left == 0:
        return  # the MOVE happened; only its answer was lost
    if left == expected:
        _cleanup(client, staging)
        failure.live_unchanged = True
    raise failure


def _cleanup(client: Client, staging: str) -> None:
    """Drop the staging graph if the server still answers (one quick try, errors ignored)."""
    quick = RetryPolicy(attempts=1, timeout=10.0, connect_timeout=3.0)
    saved = client.policy
    client.policy = quick
    try:
        client.update(f"DROP SILENT GRAPH <{staging}>", "cleanup")
    except PushError:
        pass
    finally:
        client.policy = saved


def _parts(upload: Upload, part_bytes: int) -> list[tuple[int, int]]:
    """Byte ranges of the upload, cut after a newline every ``part_bytes`` or so."""
    size = upload.path.stat().st_size
    if not upload.splittable or size <= part_bytes:
        return [(0, size)]
    cuts = [0]
    with upload.path.open("rb") as f:
        while cuts[-1] + part_bytes < size:
            f.seek(cuts[-1] + part_bytes)
            f.readline()  # to the end of the line the cut falls in
            pos = f.tell()
            if pos >= size:
                break
            cuts.append(pos)
    cuts.append(size)
    return list(itertools.pairwise(cuts))
