"""The vocabulary a mapping is checked against: the bundled ontology and code lists, plus
the SKOS concept schemes a package brings (``"vocabularies"`` in its mapping).

Code lists are the single source of truth for allowed codes: a code-list column is valid
when its cell equals the ``skos:notation`` of a concept in the scheme.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from ..errors import InputError
from ..limits import Limits
from ..resources import ontology_files

__all__ = ["Vocabulary", "load_vocabulary"]

_DECLARING_TYPES = (
    OWL.Class,
    RDFS.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    RDF.Property,
    RDFS.Datatype,
    OWL.Ontology,
    OWL.NamedIndividual,
    SKOS.ConceptScheme,
    SKOS.Concept,
    URIRef("http://purl.org/linked-data/cube#DataStructureDefinition"),
    URIRef("http://purl.org/linked-data/cube#DimensionProperty"),
    URIRef("http://purl.org/linked-data/cube#MeasureProperty"),
    URIRef("http://purl.org/linked-data/cube#AttributeProperty"),
    URIRef("http://purl.org/linked-data/cube#ComponentSpecification"),
)


@dataclass
class Vocabulary:
    """Ontology terms and code lists known while mapping.

    Attributes:
        graph: every triple of the ontology, code lists and package vocabularies.
        declared: IRIs declared in it (classes, properties, datatypes, schemes, concepts).
        schemes: for each concept scheme IRI, its concepts by notation.
        files: the vocabulary files read, for provenance.
        prefixes: namespace prefixes the code lists prefer (``vann:preferredNamespacePrefix``).
    """

    graph: Graph
    declared: frozenset[str]
    schemes: dict[str, dict[str, str]] = field(default_factory=dict)
    files: tuple[Path, ...] = ()
    prefixes: dict[str, str] = field(default_factory=dict)

    def concept(self, scheme: str, notation: str) -> str | None:
        """The concept IRI whose notation is ``notation`` in ``scheme``, if any."""
        return self.schemes.get(scheme, {}).get(notation)


def _scheme_index(graph: Graph) -> dict[str, dict[str, str]]:
    """Concepts by notation, per scheme. A concept may carry several notations of different
    datatypes (an INEI and a RENIEC code); codes are looked up among the notations of the
    scheme's most common notation datatype only, so two code systems never mix."""
    members: dict[str, set[str]] = {
        str(s): set() for s in graph.subjects(RDF.type, SKOS.ConceptScheme) if isinstance(s, URIRef)
    }
    for prop in (SKOS.inScheme, SKOS.topConceptOf):
        for member, in_scheme in graph.subject_objects(prop):
            if str(in_scheme) in members and isinstance(member, URIRef):
                members[str(in_scheme)].add(str(member))
    schemes: dict[str, dict[str, str]] = {}
    for scheme in sorted(members):
        notations: list[tuple[str, str, str]] = []
        for concept in members[scheme]:
            for n in graph.objects(URIRef(concept), SKOS.notation):
                datatype = str(getattr(n, "datatype", None) or "")
                notations.append((datatype, str(n), concept))
        kinds = Counter(d for d, _, _ in notations)
        main = min(kinds, key=lambda d: (-kinds[d], d)) if kinds else ""
        schemes[scheme] = {lex: c for d, lex, c in sorted(notations) if d == main}
    return schemes


@cache
def _bundled() -> Graph:
    """The bundled ontology, code lists and regions, parsed once per process (read-only)."""
    graph = Graph()
    for path in ontology_files():
        graph.parse(path, format="turtle")
    return graph


def load_vocabulary(
    extra: Iterable[Path] = (), *, limits: Limits | None = None, shown: dict[Path, str] | None = None
) -> Vocabulary:
    """Read the bundled ontology and code lists, plus ``extra`` Turtle files of a package.

    The returned graph must be treated as read-only: without extra files it is shared.

    Raises:
        InputError: a package vocabulary file is too large or not valid Turtle.
    """
    limits = limits or Limits()
    extra = list(extra)
    if not extra:
        return _bundled_vocabulary()
    graph = Graph()
    graph += _bundled()
    for path in extra:
        name = (shown or {}).get(path, str(path))
        if path.stat().st_size > limits.max_descriptor_bytes:
            raise InputError(
                f"the vocabulary file is larger than {limits.max_descriptor_bytes} bytes",
                file=name,
                hint="a code list is a small Turtle file; check that this is the right file",
            )
        try:
            # Parsed from text, as Turtle only (never RDF/XML with its entities), with a URN
            # base so that rdflib never resolves anything against the file system.
            graph.parse(data=path.read_bytes().decode("utf-8"), format="turtle", publicID="urn:sse-ld:vocabulary")
        except UnicodeDecodeError:
            raise InputError("the vocabulary file is not valid UTF-8", file=name, hint="save it as UTF-8") from None
        except Exception as exc:  # rdflib raises many parser exception types
            raise InputError(
                f"the vocabulary file is not valid Turtle: {str(exc).splitlines()[0][:300]}",
                file=name,
                hint="vocabularies are read as Turtle (https://www.w3.org/TR/turtle/); convert other formats first",
            ) from None
    return _index(graph, (*ontology_files(), *extra))


@cache
def _bundled_vocabulary() -> Vocabulary:
    return _index(_bundled(), tuple(ontology_files()))


def _index(graph: Graph, files: tuple[Path, ...]) -> Vocabulary:
    declared = frozenset(str(s) for t in _DECLARING_TYPES for s in graph.subjects(RDF.type, t) if isinstance(s, URIRef))
    return Vocabulary(graph, declared, _scheme_index(graph), files, _preferred_prefixes(graph))


def _preferred_prefixes(graph: Graph) -> dict[str, str]:
    vann = "http://purl.org/vocab/vann/"
    out: dict[str, str] = {}
    for s, prefix in sorted(graph.subject_objects(URIRef(vann + "preferredNamespacePrefix"))):
        uri = graph.value(s, URIRef(vann + "preferredNamespaceUri"))
        if uri is not None:
            out.setdefault(str(prefix), str(uri))
    return out
