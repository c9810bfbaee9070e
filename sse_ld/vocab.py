"""Vocabulary in one place: every namespace and term the code uses.

Standard namespaces come from rdflib's closed namespaces (an unknown term raises), ELI and
ESSGlobal are declared here from their published term lists, and the project's own
namespace :data:`SSE` lists the terms of ``ontology/sse.ttl``. ``tests/test_vocab.py``
fails when a term listed here is not declared in the ontology, or the ontology declares a
term missing here, so the two cannot drift. No other module spells a namespace IRI.
"""

from __future__ import annotations

from rdflib.namespace import (
    DCAT,
    DCTERMS,
    GEO,
    ORG,
    OWL,
    PROV,
    QB,
    RDF,
    RDFS,
    SDO,
    SH,
    SKOS,
    VOID,
    XSD,
    DefinedNamespace,
    Namespace,
)
from rdflib.term import URIRef

__all__ = [
    "CODE_BASE",
    "DCAT",
    "DCTERMS",
    "ELI",
    "ESSGLOBAL",
    "GEO",
    "ORG",
    "OWL",
    "PERU_AREAS",
    "PROV",
    "QB",
    "RDF",
    "RDFS",
    "SDO",
    "SH",
    "SKOS",
    "SSE",
    "STANDARD_PREFIXES",
    "VOID",
    "XSD",
]


class ELI(DefinedNamespace):
    """European Legislation Identifier ontology (the terms sse_ld uses).

    Source: https://op.europa.eu/en/web/eu-vocabularies/eli (ontology 1.5).
    """

    _NS = Namespace("http://data.europa.eu/eli/ontology#")
    _fail = True

    LegalResource: URIRef
    LegalExpression: URIRef
    id_local: URIRef
    title: URIRef
    type_document: URIRef
    date_document: URIRef
    date_publication: URIRef
    jurisdiction: URIRef
    is_about: URIRef
    based_on: URIRef
    basis_for: URIRef
    amends: URIRef
    amended_by: URIRef
    changes: URIRef
    repeals: URIRef
    in_force: URIRef


class ESSGLOBAL(DefinedNamespace):
    """ESSGlobal vocabulary for the social and solidarity economy (the terms sse_ld uses).

    Source: http://purl.org/essglobal/vocab/ (RIPESS ESSGlobal, v1 and v2a).
    """

    _NS = Namespace("http://purl.org/essglobal/vocab/")
    _fail = True

    SSEInitiative: URIRef
    Network: URIRef
    totalOfMembers: URIRef
    totalWomen: URIRef
    totalMen: URIRef
    legalForm: URIRef
    economicSector: URIRef
    hasAddress: URIRef
    qualifier: URIRef


class SSE(DefinedNamespace):
    """The sse_ld ontology (``ontology/sse.ttl``)."""

    _NS = Namespace("https://w3id.org/sse-ld/ontology#")
    _fail = True

    # classes
    SSEOrganisation: URIRef
    Network: URIRef
    AdministrativeArea: URIRef
    Country: URIRef
    FirstLevelArea: URIRef
    SecondLevelArea: URIRef
    ThirdLevelArea: URIRef
    PolicyFramework: URIRef
    PolicyNeed: URIRef
    # datatypes
    IneiUbigeo: URIRef
    ReniecUbigeo: URIRef
    ISO3166_2: URIRef
    # object properties
    organisationType: URIRef
    locatedIn: URIRef
    memberOf: URIRef
    activity: URIRef
    instrumentType: URIRef
    legalStatus: URIRef
    concernsOrganisationType: URIRef
    regulates: URIRef
    replaces: URIRef
    area: URIRef
    metric: URIRef
    unit: URIRef
    observationStatus: URIRef
    # datatype properties
    memberCount: URIRef
    womenMemberCount: URIRef
    foundingYear: URIRef
    administrativeLevel: URIRef
    capitalName: URIRef
    surfaceArea: URIRef
    altitude: URIRef
    dateStatus: URIRef
    verificationNote: URIRef
    period: URIRef
    value: URIRef
    sourceNote: URIRef
    # individuals
    observationsStructure: URIRef


#: Base of the code-list (SKOS concept scheme) IRIs shipped in ``ontology/codes/``.
CODE_BASE = "https://w3id.org/sse-ld/code/"

#: The bundled SKOS scheme of Peru's administrative areas (``ontology/regions/``), whose
#: concepts are found by INEI UBIGEO code.
PERU_AREAS = "https://w3id.org/sse-ld/peru/areas"

#: Prefixes every mapping and every dump knows, without declaring them.
STANDARD_PREFIXES: dict[str, str] = {
    "dcat": str(DCAT),
    "dct": str(DCTERMS),
    "eli": str(ELI._NS),
    "essglobal": str(ESSGLOBAL._NS),
    "geo": str(GEO),
    "org": str(ORG),
    "owl": str(OWL),
    "prov": str(PROV),
    "qb": str(QB),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "schema": str(SDO),
    "sh": str(SH),
    "skos": str(SKOS),
    "sse": str(SSE._NS),
    "ssecode": CODE_BASE,
    "void": str(VOID),
    "xsd": str(XSD),
}
