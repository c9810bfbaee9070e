"""The vocabulary a mapping is checked against: the bundled ontology and code lists, plus
the SKOS concept schemes a package brings (``"vocabularies"`` in its mapping).

Code lists are the single source of truth for allowed codes: a code-list column is valid
when its cell equals the ``skos:notation`` of a concept in the scheme.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
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
    schemes: dict[str, dict[str, str]] = {
        name: {} for name in sorted({str(s) for s in graph.subjects(RDF.type, SKOS.ConceptScheme)})
    }
    for prop in (SKOS.inScheme, SKOS.topConceptOf):
        for concept, in_scheme in sorted(graph.subject_objects(prop), key=str):
            if str(in_scheme) not in schemes:
                continue
            for notation in sorted(str(n) for n in graph.objects(concept, SKOS.notation)):
                schemes[str(in_scheme)].setdefault(notation, str(concept))
    return schemes


def load_vocabulary(
    extra: Iterable[Path] = (), *, limits: Limits | None = None, shown: dict[Path, str] | None = None
) -> Vocabulary:
    """Read the bundled ontology and code lists, plus ``extra`` Turtle files of a package.

    Raises:
        InputError: a package vocabulary file is too large or not valid Turtle.
    """
    limits = limits or Limits()
    graph = Graph()
    files = list(ontology_files())
    for path in files:
        graph.parse(path, format="turtle")
    extra = list(extra)
    for path in extra:
        name = (shown or {}).get(path, str(path))
        if path.stat().st_size > limits.max_descriptor_bytes:
            raise InputError(f"the vocabulary file is larger than {limits.max_descriptor_bytes} bytes", file=name)
        try:
            # Parsed from bytes so rdflib never resolves anything relative to the file system.
            graph.parse(data=path.read_bytes().decode("utf-8"), format="turtle", publicID="urn:sse-ld:vocabulary")
        except UnicodeDecodeError:
            raise InputError("the vocabulary file is not valid UTF-8", file=name) from None
        except Exception as exc:  # rdflib raises many parser exception types
            raise InputError(f"the vocabulary file is not valid Turtle: {exc}", file=name) from None
    declared = frozenset(str(s) for t in _DECLARING_TYPES for s in graph.subjects(RDF.type, t) if isinstance(s, URIRef))
    return Vocabulary(graph, declared, _scheme_index(graph), (*files, *extra), _preferred_prefixes(graph))


def _preferred_prefixes(graph: Graph) -> dict[str, str]:
    vann = "http://purl.org/vocab/vann/"
    out: dict[str, str] = {}
    for s, prefix in sorted(graph.subject_objects(URIRef(vann + "preferredNamespacePrefix"))):
        uri = graph.value(s, URIRef(vann + "preferredNamespaceUri"))
        if uri is not None:
            out.setdefault(str(prefix), str(uri))
    return out
