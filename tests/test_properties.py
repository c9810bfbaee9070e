"""Property-based tests (hypothesis).

1. Arbitrary cell text (any Unicode but lone surrogates, control characters included) in
   a key column, a language-tagged text column and a ``{+website}`` IRI column always
   gives one of: a refusal with a message, findings at that cell, or dumps that rdflib,
   Oxigraph and rapper read as the same graph, with the text intact.
2. Generated packages (random columns of every mapped type, random rows) give dumps that
   serialize -> parse to isomorphic graphs in rdflib, Oxigraph and rapper (Turtle and
   N-Triples), and the JSON-LD dump expanded to RDF by pyld is the Turtle dump's graph.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pyoxigraph
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

import sse_ld

BASE = Path(__file__).resolve().parent / "hostile" / "_base"
RAPPER = shutil.which("rapper")
# 40 examples per property in the suite; HYPOTHESIS_PROFILE=deep for a long search.
for _name, _examples in (("sse-ld", 40), ("deep", 500)):
    settings.register_profile(
        _name, max_examples=_examples, deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True
    )
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "sse-ld"))


def test_rapper_is_installed_where_ci_runs() -> None:
    """Without rapper the properties compare two parsers instead of three; .ci/run installs
    it (Debian raptor2-utils) and sets SSE_LD_CI, so CI cannot silently lose it."""
    if RAPPER is None:
        if os.environ.get("SSE_LD_CI"):
            pytest.fail("rapper is missing: apt-get install raptor2-utils")
        pytest.skip("rapper (Debian raptor2-utils) is not installed: the properties use rdflib, Oxigraph and pyld")


def _rapper(path: Path, syntax: str) -> Graph:
    """Parse with rapper (Raptor, C), network access denied, and read its N-Triples."""
    assert RAPPER is not None
    proc = subprocess.run(
        [RAPPER, "-q", "-f", "noNet", "-i", syntax, "-o", "ntriples", str(path), "https://example.invalid/"],
        capture_output=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    return Graph().parse(data=proc.stdout.decode("utf-8"), format="nt")


def _oxigraph(path: Path, fmt: pyoxigraph.RdfFormat) -> Graph:
    lines = "".join(f"{t} .\n" for t in pyoxigraph.parse(path=str(path), format=fmt))
    return Graph().parse(data=lines, format="nt")


def _no_network_loader(url: str, options: Any = None) -> Any:
    raise AssertionError(f"pyld tried to load {url}")


def _pyld(path: Path) -> Graph:
    from pyld import jsonld

    doc = json.loads(path.read_text(encoding="utf-8"))
    nquads = jsonld.to_rdf(doc, {"format": "application/n-quads", "documentLoader": _no_network_loader})
    return Graph().parse(data=nquads, format="nt")


def _all_parsers_agree(out: Path, name: str) -> Graph:
    reference = Graph().parse(out / f"{name}.nt", format="nt")
    graphs = {
        "rdflib ttl": Graph().parse(out / f"{name}.ttl", format="turtle"),
        "rdflib jsonld": Graph().parse(out / f"{name}.jsonld", format="json-ld"),
        "oxigraph nt": _oxigraph(out / f"{name}.nt", pyoxigraph.RdfFormat.N_TRIPLES),
        "oxigraph ttl": _oxigraph(out / f"{name}.ttl", pyoxigraph.RdfFormat.TURTLE),
        "oxigraph jsonld": _oxigraph(out / f"{name}.jsonld", pyoxigraph.RdfFormat.JSON_LD),
        "pyld jsonld": _pyld(out / f"{name}.jsonld"),
    }
    if RAPPER:
        graphs["rapper nt"] = _rapper(out / f"{name}.nt", "ntriples")
        graphs["rapper ttl"] = _rapper(out / f"{name}.ttl", "turtle")
    for label, g in graphs.items():
        assert isomorphic(g, reference), f"{label} reads another graph than the N-Triples dump"
    # The property as the issue states it: the JSON-LD dump expanded by pyld is the Turtle dump.
    assert isomorphic(graphs["pyld jsonld"], graphs["rdflib ttl"])
    return reference


def _csv(rows: list[list[str]]) -> str:
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)  # excel: CRLF, so that a lone CR or LF in a cell is quoted
    return buf.getvalue()


# --- 1. arbitrary cell text ------------------------------------------------------------

SPECIAL = st.sampled_from(
    ["", " ", "\n", "\r\n", '"', "\\", "<>", "%zz", "%41", "#", "a#b#c", "[x]", "http://[::1", "https://ex.org/a b",
     "javascript:alert(1)", "\u2028", "\ufeff", "\ufffe", "\x0b", "\x7f", "\x85", "🦙", "e\u0301", "NA", "null",
     '"@es . <s:a> <p:b> "x', "\x00"]
)  # fmt: skip
CELL = st.one_of(SPECIAL, st.text(st.characters(blacklist_categories=("Cs",)), max_size=30), st.text(max_size=12))


def _run_cell(column: str, text: str) -> tuple[Any, Path, Path]:
    tmp = Path(tempfile.mkdtemp(prefix="sse-ld-prop-"))
    pkg = tmp / "pkg"
    shutil.copytree(BASE, pkg)
    row = {"id": "1", "name": "Uno", "website": "https://example.org/uno", "count": "3", column: text}
    (pkg / "data" / "things.csv").write_text(
        _csv([["id", "name", "website", "count"], [row["id"], row["name"], row["website"], row["count"]]]),
        encoding="utf-8",
        newline="",
    )
    try:
        result: Any = sse_ld.build(pkg, tmp / "out")
    except sse_ld.InputError as exc:
        result = exc
    return result, tmp, pkg


@pytest.mark.parametrize("column", ["id", "name", "website"])
@given(text=CELL)
def test_any_cell_text_gives_a_valid_term_a_finding_or_a_refusal(column: str, text: str) -> None:
    result, tmp, _pkg = _run_cell(column, text)
    try:
        if isinstance(result, sse_ld.InputError):  # refused: the message says where and why
            assert result.file == "data/things.csv" and result.hint, str(result)
            return
        if not result.written:  # findings, at this very cell
            assert result.report.issues
            for issue in result.report.issues:
                assert issue.location.file == "data/things.csv" and issue.location.row == 2, issue
                assert issue.location.field in (column, None), issue
            return
        graph = _all_parsers_agree(tmp / "out", "things")
        subjects = {str(s) for s in graph.subjects()}
        names = [str(o) for o in graph.objects(None, URIRef("https://schema.org/name"))]
        sites = [str(o) for o in graph.objects(None, URIRef("https://schema.org/url"))]
        if column == "id":
            (subject,) = subjects
            assert unquote(subject.rsplit("/", 1)[1]) == text  # percent-encoded, nothing lost
        if column == "name":
            assert names == ([text] if text else [])
            literal = next(graph.objects(None, URIRef("https://schema.org/name")), None)
            assert literal is None or (isinstance(literal, Literal) and literal.language == "es")
        if column == "website":
            for site in sites:
                pyoxigraph.NamedNode(site)  # a strict IRI parser accepts it
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# --- 2. generated packages --------------------------------------------------------------

_NOT_TEXT = {chr(c) for c in range(0x20) if chr(c) not in "\t\n\r"} | {"\ufffe", "\uffff"}

KINDS = {
    "integer": (st.integers(-(10**12), 10**12).map(str), {"type": "integer"}, {}),
    "number": (
        st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=-(10**6), max_value=10**6).map(str),
        {"type": "number"},
        {},
    ),
    "boolean": (st.sampled_from(["true", "false", "TRUE", "1", "0"]), {"type": "boolean"}, {}),
    "date": (st.dates().map(lambda d: d.isoformat()), {"type": "date"}, {}),
    "year": (st.integers(1000, 2999).map(str), {"type": "year"}, {}),
    "text": (st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=20), {"type": "string"}, {}),
    # Any text the preflight accepts (it refuses NUL, U+FFFE and U+FFFF) and RDF text can hold
    # (other C0 controls but tab, LF and CR are findings): see the hostile corpus.
    "text-es": (
        st.text(max_size=20).filter(lambda t: not set(t) & _NOT_TEXT),
        {"type": "string"},
        {"lang": "es"},
    ),
    "page": (
        st.text(st.characters(whitelist_categories=("Ll", "Nd")), min_size=1, max_size=10),
        {"type": "string"},
        {"iri": "https://example.org/page/{page}"},
    ),
}


@st.composite
def packages(draw: Any) -> tuple[dict[str, Any], dict[str, Any], list[list[str]]]:
    kinds = draw(st.lists(st.sampled_from(sorted(KINDS)), min_size=1, max_size=6))
    names = [f"c{i}" for i in range(len(kinds))]
    n = draw(st.integers(1, 6))
    rows = [["id", *names]]
    for i in range(n):
        rows.append([f"r{i}"] + [draw(st.one_of(st.just(""), KINDS[k][0])) for k in kinds])
    fields = [{"name": "id", "type": "string", "constraints": {"required": True}}]
    props = []
    for name, kind in zip(names, kinds, strict=True):
        fields.append({"name": name, **KINDS[kind][1]})
        extra = dict(KINDS[kind][2])
        if "iri" in extra:
            extra["iri"] = extra["iri"].replace("{page}", "{" + name + "}")
        props.append({"column": name, "predicate": f"ex:{name}", **extra})
    descriptor = {
        "name": "generated",
        "title": "Generated package (synthetic, property-based test)",
        "resources": [{"name": "rows", "path": "data/rows.csv", "schema": {"fields": fields, "primaryKey": ["id"]}}],
        "sse_ld": {"mapping": "mapping.json"},
    }
    mapping = {
        "version": 1,
        "base": "https://example.org/generated/",
        "prefixes": {"ex": "https://example.org/vocab#"},
        "resources": {"rows": {"subject": "row/{id}", "types": ["schema:Thing"], "properties": props}},
    }
    return descriptor, mapping, rows


@given(package=packages())
def test_generated_packages_read_the_same_in_every_parser(
    package: tuple[dict[str, Any], dict[str, Any], list[list[str]]],
) -> None:
    descriptor, mapping, rows = package
    with tempfile.TemporaryDirectory(prefix="sse-ld-prop-") as tmp:
        pkg = Path(tmp) / "pkg"
        (pkg / "data").mkdir(parents=True)
        (pkg / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
        (pkg / "mapping.json").write_text(json.dumps(mapping), encoding="utf-8")
        (pkg / "data" / "rows.csv").write_text(_csv(rows), encoding="utf-8", newline="")
        result = sse_ld.build(pkg, Path(tmp) / "out")
        assert result.written, result.report.to_dict()
        graph = _all_parsers_agree(Path(tmp) / "out", "generated")
        assert len(set(graph.subjects())) == len(rows) - 1
