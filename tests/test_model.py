"""The ontology, code lists and shapes: the Python vocabulary matches the ontology, every
term is labelled and defined in Spanish and English, the shapes are valid SHACL, and no
module spells a project IRI outside sse_ld/vocab.py."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import ROOT
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from sse_ld import vocab
from sse_ld.resources import ontology_files, shapes_files
from sse_ld.shacl import load_shapes, meta_validate

SSE = str(vocab.SSE._NS)
XSD_STRING = URIRef("http://www.w3.org/2001/XMLSchema#string")
TERM_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, RDFS.Datatype)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    g = Graph()
    for f in ontology_files():
        g.parse(f, format="turtle")
    return g


def _declared(g: Graph) -> set[str]:
    return {str(s) for t in TERM_TYPES for s in g.subjects(RDF.type, t) if str(s).startswith(SSE)}


def test_python_vocabulary_is_the_ontology(ontology: Graph) -> None:
    in_python = {str(vocab.SSE._NS[name]) for name in vocab.SSE.__annotations__}
    individuals = {str(s) for s in ontology.subjects() if str(s).startswith(SSE)} - _declared(ontology)
    assert in_python - _declared(ontology) - individuals == set(), "sse_ld/vocab.py lists terms the ontology lacks"
    assert _declared(ontology) - in_python == set(), "the ontology declares terms sse_ld/vocab.py lacks"


def test_no_undeclared_project_term_is_used(ontology: Graph) -> None:
    used = {str(t) for triple in ontology for t in triple if isinstance(t, URIRef) and str(t).startswith(SSE)}
    defined = {str(s) for s in ontology.subjects() if str(s).startswith(SSE)}
    assert used - defined == set()
    shapes = load_shapes(shapes_files())
    used_in_shapes = {str(t) for triple in shapes for t in triple if isinstance(t, URIRef) and str(t).startswith(SSE)}
    assert used_in_shapes - defined == set()


def _labels(g: Graph, s: URIRef, p: URIRef) -> dict[str, str]:
    return {o.language: str(o) for o in g.objects(s, p) if isinstance(o, Literal) and o.language}


def test_every_term_is_labelled_and_defined_in_spanish_and_english(ontology: Graph) -> None:
    problems = []
    for term in sorted(_declared(ontology)):
        s = URIRef(term)
        labels = _labels(ontology, s, RDFS.label)
        definitions = {**_labels(ontology, s, SKOS.definition), **_labels(ontology, s, RDFS.comment)}
        for lang in ("es", "en"):
            if not labels.get(lang, "").strip():
                problems.append(f"{term}: no rdfs:label@{lang}")
            if not definitions.get(lang, "").strip():
                problems.append(f"{term}: no definition@{lang}")
    assert problems == []


def test_every_concept_has_notation_labels_and_definitions() -> None:
    """Code lists (ontology/codes/); the region scheme (ontology/regions/) has names only."""
    ontology = Graph()
    for f in ontology_files():
        if f.parent.name == "codes":
            ontology.parse(f, format="turtle")
    problems = []
    concepts = set(ontology.subjects(RDF.type, SKOS.Concept))
    assert len(concepts) > 20
    for c in sorted(concepts):
        if len(list(ontology.objects(c, SKOS.notation))) != 1:
            problems.append(f"{c}: needs exactly one skos:notation")
        for lang in ("es", "en"):
            if not _labels(ontology, c, SKOS.prefLabel).get(lang, "").strip():
                problems.append(f"{c}: no prefLabel@{lang}")
            if not _labels(ontology, c, SKOS.definition).get(lang, "").strip():
                problems.append(f"{c}: no definition@{lang}")
        if not list(ontology.objects(c, SKOS.inScheme)):
            problems.append(f"{c}: in no concept scheme")
    assert problems == []


def test_ontology_has_a_version_iri(ontology: Graph) -> None:
    onto = URIRef("https://w3id.org/sse-ld/ontology")
    assert (onto, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(onto, OWL.versionIRI) is not None


def test_shapes_pass_meta_shacl() -> None:
    assert meta_validate(load_shapes(shapes_files())) == []


def test_every_property_shape_has_messages_in_both_languages() -> None:
    shapes = load_shapes(shapes_files())
    sh = URIRef("http://www.w3.org/ns/shacl#")
    for s in set(shapes.subjects(URIRef(str(sh) + "path"), None)):
        if isinstance(s, URIRef):
            langs = {m.language for m in shapes.objects(s, URIRef(str(sh) + "message"))}
            assert {"es", "en"} <= langs, s


def _text_problems(g: Graph) -> list[str]:
    problems = []
    for s, p, o in g:
        if isinstance(o, Literal) and (o.language or o.datatype in (None, XSD_STRING)):
            text = str(o)
            if not text.strip() or text != text.strip() or "  " in text or "\n" in text:
                problems.append(f"{s} {p}: {text!r}")
            if o.language not in (None, "es", "en"):
                problems.append(f"{s} {p}: language {o.language!r}")
    return problems


def test_no_empty_or_padded_text_and_only_spanish_and_english(ontology: Graph) -> None:
    """Lint of the ontology and every code list: no empty label, no stray white space, and
    only the languages the sources give (es, en; no source gives Quechua names)."""
    assert _text_problems(ontology) == []
    bad = Graph()
    bad.add((URIRef("urn:x"), RDFS.label, Literal(" ", lang="es")))
    bad.add((URIRef("urn:x"), RDFS.label, Literal("Perú", lang="qu")))
    assert len(_text_problems(bad)) == 2  # the lint can fail


def test_every_concept_scheme_is_labelled_and_defined_in_spanish_and_english(ontology: Graph) -> None:
    problems = []
    for scheme in sorted(ontology.subjects(RDF.type, SKOS.ConceptScheme)):
        for lang in ("es", "en"):
            if not _labels(ontology, scheme, SKOS.prefLabel).get(lang):
                problems.append(f"{scheme}: no prefLabel@{lang}")
            if not _labels(ontology, scheme, SKOS.definition).get(lang):
                problems.append(f"{scheme}: no definition@{lang}")
    assert problems == []


# Namespaces whose terms are checked: rdflib's closed namespaces and the ones vocab.py declares.
CHECKED = [
    vocab.DCAT, vocab.DCTERMS, vocab.GEO, vocab.ORG, vocab.OWL, vocab.PROV, vocab.QB, vocab.RDF, vocab.RDFS,
    vocab.SDO, vocab.SH, vocab.SKOS, vocab.XSD, vocab.ELI, vocab.ESSGLOBAL, vocab.ESSGLOBAL_ACTIVITIES,
    vocab.ESSGLOBAL_BASE_MEMBERSHIP_TYPE, vocab.ESSGLOBAL_LEGAL_FORM, vocab.ESSGLOBAL_ORGANISATIONAL_STRUCTURE,
]  # fmt: skip


def _undeclared(iris: set[str]) -> set[str]:
    out = set()
    for iri in iris:
        for ns in CHECKED:
            base = str(ns._NS) if hasattr(ns, "_NS") else str(ns)
            if iri.startswith(base) and iri != base and URIRef(iri) not in ns:
                out.add(iri)
    return out


def _iris(g: Graph) -> set[str]:
    return {str(t) for triple in g for t in triple if isinstance(t, URIRef)}


def test_no_undeclared_standard_term_is_used(ontology: Graph) -> None:
    """Every term the ontology, code lists, shapes and the Peru mapping use from ELI, ESSGlobal
    (vocabulary and standard concepts), W3C and schema.org vocabularies exists there; ELI and
    ESSGlobal terms are declared in sse_ld/vocab.py after checking the published term lists."""
    assert _undeclared(_iris(ontology)) == set()
    assert _undeclared(_iris(load_shapes(shapes_files()))) == set()
    mapping = json.loads((ROOT / "datasets" / "peru-sse" / "mapping.json").read_text(encoding="utf-8"))
    prefixes = {**vocab.STANDARD_PREFIXES, **mapping["prefixes"]}
    curies = set(
        re.findall(r'"((?:eli|essglobal|dct|skos|geo|qb|schema|org|rdfs|prov):[A-Za-z_]+)"', json.dumps(mapping))
    )
    assert curies and _undeclared({prefixes[c.split(":")[0]] + c.split(":")[1] for c in curies}) == set()


def test_every_code_list_iri_used_is_declared(ontology: Graph) -> None:
    """Code lists named by the ontology (qb:codeList), the shapes and the mappings exist."""
    declared = {str(s) for t in (SKOS.ConceptScheme, SKOS.Concept) for s in ontology.subjects(RDF.type, t)}
    used = {i for i in _iris(ontology) | _iris(load_shapes(shapes_files())) if i.startswith(vocab.CODE_BASE)}
    for path in (ROOT / "datasets").rglob("mapping.json"):
        used |= set(re.findall(r'"(https://w3id\.org/sse-ld/code/[^"]+)"', path.read_text(encoding="utf-8")))
    assert used and used - declared == set()


PROJECT_IRI = re.compile(r"https://w3id\.org/sse-ld/(ontology|code)\b")


def test_project_iris_are_spelled_only_in_the_vocabulary_module() -> None:
    offenders = []
    for path in (ROOT / "sse_ld").rglob("*.py"):
        if path.name == "vocab.py":
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if PROJECT_IRI.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{n}")
    assert offenders == []


LAYERS = {
    "errors": 0,
    "report": 0,
    "terms": 0,
    "iri": 0,
    "vocab": 0,
    "resources": 0,
    "limits": 0,
    "messages": 0,
    "options": 0,
    "canned": 0,
    "distinct": 0,
    "keyruns": 0,
    "pgzip": 0,
    "graphstats": 1,
    "sparqltext": 0,
    "dialect": 0,
    "patterns": 0,
    "safeio": 0,
    "package": 1,
    "frictionless_tables": 1,
    "package_shapes": 1,
    "remote": 1,
    "csvio": 1,
    "positions": 1,
    "tables": 1,
    "finish": 1,
    "scaffold": 1,
    "codelists": 1,
    "workspace": 0,
    "mapping": 1,
    "shacl": 1,
    "shaclc": 1,
    "tablecheck": 1,
    "chunks": 0,
    "ntriples": 0,
    "writers": 1,
    "publish": 1,
    "published": 1,
    "store": 1,
    "queryworker": 1,
    "push": 1,
    "gsp": 1,
    "diff": 1,
    "outputs": 2,
    "engine": 2,
    "pipeline": 2,
    "operations": 2,
    "reporters": 2,
    "annotate": 2,
    "cli": 3,
    "__main__": 3,
    "__init__": 3,
}


def _module_layer(path: Path) -> tuple[str, int]:
    rel = path.relative_to(ROOT / "sse_ld")
    top = rel.parts[0].removesuffix(".py")
    return top, LAYERS[top]


def test_layers_import_downward_only() -> None:
    """Low (0) -> middle (1) -> high (2) -> CLI (3): a module imports only from its layer or below."""
    import ast

    problems = []
    for path in (ROOT / "sse_ld").rglob("*.py"):
        _name, layer = _module_layer(path)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level > 0:
                depth = len(path.relative_to(ROOT / "sse_ld").parts) - 1
                if node.level > depth + 1 or (node.level == depth + 1 and node.module is None):
                    targets = [a.name for a in node.names]
                elif node.level == depth + 1:
                    targets = [node.module.split(".")[0]]
                else:
                    continue  # an import inside the same subpackage
                for t in targets:
                    if t in LAYERS and LAYERS[t] > layer and t != "__init__":
                        problems.append(f"{path.relative_to(ROOT)} (layer {layer}) imports {t} (layer {LAYERS[t]})")
    assert problems == []


def test_modules_stay_small() -> None:
    big = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "sse_ld").rglob("*.py")
        if len(p.read_text(encoding="utf-8").splitlines()) > 650
    ]
    assert big == []
