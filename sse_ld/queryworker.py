"""Run one SPARQL query against an embedded Oxigraph store, in a child process.

:mod:`sse_ld.store` starts this file as a script (``python -I queryworker.py``), writes one
JSON request on its stdin and waits at most the time limit; a query that runs longer is
killed with its process, which no thread-based timeout could do to native code. The
script imports only the standard library and pyoxigraph (never the rest of sse_ld), so it
starts in a fraction of a second.

Request: ``{"store": path, "query": text, "format": name, "bindings": {var: N-Triples
term}, "prefixes": {prefix: IRI}, "output": path}``. Reply on stdout, one JSON object:
``{"ok": true, "form": "select", "count": n}`` or ``{"ok": false, "error": kind,
"message": text}`` with ``kind`` one of ``syntax``, ``format``, ``binding``, ``store``.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from typing import Any

GRAPH_FORMATS = {"turtle": "TURTLE", "ntriples": "N_TRIPLES", "jsonld": "JSON_LD"}
RESULT_FORMATS = {"json": "JSON", "xml": "XML", "csv": "CSV", "tsv": "TSV", "table": "JSON"}


def _term(ox: Any, text: str) -> Any:
    triples = list(ox.parse(f"<urn:x-s> <urn:x-p> {text} .\n", format=ox.RdfFormat.N_TRIPLES))
    return triples[0].object


def _counted(items: Any, box: list[int]) -> Iterator[Any]:
    for item in items:
        box[0] += 1
        yield item


def run(request: dict[str, Any]) -> dict[str, Any]:
    """Run the request; return the reply (never raises for a bad query)."""
    import pyoxigraph as ox

    fmt = request["format"]
    try:
        subs = {ox.Variable(k): _term(ox, v) for k, v in request.get("bindings", {}).items()}
    except (SyntaxError, ValueError, IndexError) as exc:
        return {"ok": False, "error": "binding", "message": str(exc)}
    try:
        store = ox.Store.read_only(request["store"])
    except OSError as exc:
        return {"ok": False, "error": "store", "message": str(exc)}
    try:
        result = store.query(request["query"], prefixes=request.get("prefixes") or None, substitutions=subs or None)
    except SyntaxError as exc:
        return {"ok": False, "error": "syntax", "message": str(exc)}
    except RuntimeError as exc:
        # Substitution (SEP-0007) binds variables of the outermost SELECT projection only.
        return {"ok": False, "error": "projection", "message": str(exc)}
    out = request["output"]
    try:
        if isinstance(result, ox.QueryBoolean):
            if fmt not in ("table", "json", "xml"):
                return {"ok": False, "error": "format", "message": f"an ASK query gives true or false, not {fmt}"}
            result.serialize(out, getattr(ox.QueryResultsFormat, RESULT_FORMATS[fmt]))
            return {"ok": True, "form": "ask", "count": 1 if bool(result) else 0}
        if isinstance(result, ox.QueryTriples):
            if fmt not in GRAPH_FORMATS:
                return {"ok": False, "error": "format", "message": f"CONSTRUCT and DESCRIBE give triples, not {fmt}"}
            box = [0]
            ox.serialize(
                _counted(result, box),
                out,
                getattr(ox.RdfFormat, GRAPH_FORMATS[fmt]),
                prefixes=request.get("prefixes") if fmt == "turtle" else None,
            )
            return {"ok": True, "form": "graph", "count": box[0]}
        if fmt not in RESULT_FORMATS:
            return {"ok": False, "error": "format", "message": f"a SELECT query gives a table, not {fmt}"}
        # JSON first: it round-trips every term, and counting the rows re-reads it as a stream.
        json_out = out if RESULT_FORMATS[fmt] == "JSON" else out + ".json"
        result.serialize(json_out, ox.QueryResultsFormat.JSON)
        parsed: Any = ox.parse_query_results(path=json_out, format=ox.QueryResultsFormat.JSON)
        count = sum(1 for _ in parsed)
        if json_out != out:
            again: Any = ox.parse_query_results(path=json_out, format=ox.QueryResultsFormat.JSON)
            again.serialize(out, getattr(ox.QueryResultsFormat, RESULT_FORMATS[fmt]))
        return {"ok": True, "form": "select", "count": count}
    except OSError as exc:
        # Evaluation errors (a SERVICE that fails, a full disk) surface while results stream.
        return {"ok": False, "error": "store", "message": str(exc)}


def main() -> int:
    request = json.load(sys.stdin)
    reply = run(request)
    sys.stdout.write(json.dumps(reply) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
