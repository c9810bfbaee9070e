"""The HTML documentation of the ontology and code lists, published with every build in
English and Spanish, generated from the same graph the data is checked against."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from sse_ld import vocab
from sse_ld.outputs import PUBLISHERS
from sse_ld.outputs.ontology_docs import LANGUAGES, publish_ontology_docs, render_ontology_docs
from sse_ld.resources import ontology_files

SSE = str(vocab.SSE._NS)


class _Links(HTMLParser):
    """Collects element ids, internal links and the nesting of a page (to catch broken HTML)."""

    VOID = frozenset({"meta", "br", "link", "img", "hr", "input"})

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.anchors: list[str] = []
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.lang = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang") or ""
        if a.get("id"):
            self.ids.add(str(a["id"]))
        if tag == "a" and (a.get("href") or "").startswith("#"):
            self.anchors.append(str(a["href"])[1:])
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.errors.append(f"unexpected </{tag}>")


@pytest.fixture(scope="module")
def vocabulary() -> Graph:
    g = Graph()
    for f in ontology_files():
        g.parse(f, format="turtle")
    return g


def test_the_publisher_is_registered() -> None:
    assert publish_ontology_docs in PUBLISHERS


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_pages_are_published_with_the_dumps(peru_dist: Path, lang: str) -> None:
    page = peru_dist / "docs" / f"ontology.{lang}.html"
    assert page.is_file()
    listed = (peru_dist / "SHA256SUMS").read_text(encoding="utf-8")
    assert f"  docs/ontology.{lang}.html\n" in listed


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_term_and_code_is_documented_in_each_language(peru_dist: Path, vocabulary: Graph, lang: str) -> None:
    text = (peru_dist / "docs" / f"ontology.{lang}.html").read_text(encoding="utf-8")
    parser = _Links()
    parser.feed(text)
    assert parser.lang == lang and parser.errors == [] and parser.stack == []
    assert set(parser.anchors) <= parser.ids, "every link inside the page has its target"
    for cls in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, RDFS.Datatype):
        for term in vocabulary.subjects(RDF.type, cls):
            if str(term).startswith(SSE):
                assert str(term)[len(SSE) :] in parser.ids, term
                label = next(o for o in vocabulary.objects(term, RDFS.label) if o.language == lang)
                assert f">{label} <small>" in text.replace("&#x27;", "'"), (term, lang)
    for concept in vocabulary.subjects(SKOS.inScheme, None):
        scheme = vocabulary.value(concept, SKOS.inScheme)
        if len(set(vocabulary.subjects(SKOS.inScheme, scheme))) <= 200:  # large schemes are summarised
            assert f"<code>{vocabulary.value(concept, SKOS.notation)}</code>" in text, concept
    other = "es" if lang == "en" else "en"
    assert f'href="ontology.{other}.html"' in text


def test_the_essglobal_mappings_are_shown(peru_dist: Path) -> None:
    text = (peru_dist / "docs" / "ontology.en.html").read_text(encoding="utf-8")
    assert "skos:exactMatch" in text and "http://purl.org/essglobal/standard/legal-form/L2" in text


def test_large_schemes_are_summarised_by_class(peru_dist: Path) -> None:
    text = (peru_dist / "docs" / "ontology.es.html").read_text(encoding="utf-8")
    assert "<tr><td><code>sse:ThirdLevelArea</code></td><td>1893</td></tr>" in text
    assert "SAN JUAN DE LOPECANCHA" not in text


def test_rendering_is_deterministic_and_escapes_text(vocabulary: Graph) -> None:
    prefixes = dict(vocab.STANDARD_PREFIXES)
    assert render_ontology_docs(vocabulary, "es", prefixes) == render_ontology_docs(vocabulary, "es", prefixes)
    g = Graph()
    term = URIRef(SSE + "Evil")
    g.add((term, RDF.type, OWL.Class))
    g.add((term, RDFS.label, Literal("<script>alert(1)</script>", lang="en")))
    page = render_ontology_docs(g, "en", prefixes)
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    with pytest.raises(KeyError):
        render_ontology_docs(g, "qu", prefixes)
