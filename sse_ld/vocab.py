"""Vocabulary in one place: every namespace and term the code uses.

Standard namespaces come from rdflib's closed namespaces (an unknown term raises), ELI and
ESSGlobal are declared here from their published term lists, and the project's own
namespace :data:`SSE` lists the terms of ``ontology/sse.ttl``. ``tests/test_vocab.py``
fails when a term listed here is not declared in the ontology, or the ontology declares a
term missing here, so the two cannot drift. No other module spells a namespace IRI.
"""

from __future__ import annotations

from typing import ClassVar

from rdflib.namespace import (
    DCAT,
    DCTERMS,
    FOAF,
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
    VANN,
    VOID,
    XSD,
    DefinedNamespace,
    Namespace,
)
from rdflib.term import URIRef

__all__ = [
    "ADMS",
    "CODE_BASE",
    "DCAT",
    "DCAT3",
    "DCATAP",
    "DCTERMS",
    "ELI",
    "ESSGLOBAL",
    "ESSGLOBAL_ACTIVITIES",
    "ESSGLOBAL_BASE_MEMBERSHIP_TYPE",
    "ESSGLOBAL_LEGAL_FORM",
    "ESSGLOBAL_ORGANISATIONAL_STRUCTURE",
    "EU_AUTHORITY",
    "FOAF",
    "GEO",
    "IANA_MEDIA_TYPES",
    "LINK_TARGETS",
    "ORG",
    "OWL",
    "PERU_AREAS",
    "PROV",
    "QB",
    "RDF",
    "RDFS",
    "SDO",
    "SH",
    "SHAPES_IRI",
    "SKOS",
    "SPDX",
    "SSE",
    "STANDARD_PREFIXES",
    "TOOL_IRI",
    "VANN",
    "VCARD",
    "VOID",
    "XSD",
]


class ELI(DefinedNamespace):
    """European Legislation Identifier ontology (the terms sse_ld uses).

    Source: https://op.europa.eu/en/web/eu-vocabularies/eli (ontology 1.x); each term was
    checked against the published term list.
    """

    _NS = Namespace("http://data.europa.eu/eli/ontology#")
    _fail = True
    # values of ELI's "in force" concept scheme (names with a hyphen)
    _extras: ClassVar[list[str]] = ["InForce-inForce", "InForce-notInForce", "InForce-partiallyInForce"]

    LegalResource: URIRef
    LegalExpression: URIRef
    id_local: URIRef
    title: URIRef
    type_document: URIRef
    date_document: URIRef
    date_publication: URIRef
    jurisdiction: URIRef
    is_about: URIRef
    is_realized_by: URIRef
    realizes: URIRef
    language: URIRef
    based_on: URIRef
    basis_for: URIRef
    amends: URIRef
    amended_by: URIRef
    changes: URIRef
    consolidates: URIRef
    consolidated_by: URIRef
    repeals: URIRef
    in_force: URIRef


class ESSGLOBAL(DefinedNamespace):
    """ESSGlobal vocabulary for the social and solidarity economy (the terms sse_ld uses).

    Source: http://purl.org/essglobal/vocab/ (RIPESS ESSGlobal 1.1, essglobal-vocab.ttl of
    the map-sse repositories).
    """

    _NS = Namespace("http://purl.org/essglobal/vocab/")
    _fail = True

    SSEInitiative: URIRef
    Network: URIRef
    totalOfMembers: URIRef
    totalWomen: URIRef
    totalMen: URIRef
    legalForm: URIRef
    organisationalStructure: URIRef
    baseMembershipType: URIRef
    economicSector: URIRef
    hasAddress: URIRef
    qualifier: URIRef


# The ESSGlobal standard concept schemes the code lists map to. Each concept was checked in
# the published SKOS file of its scheme (vocabs/standard/<scheme>.skos in the map-sse
# repositories; concept IRIs are the scheme's xml:base plus the concept's rdf:about).


class ESSGLOBAL_ORGANISATIONAL_STRUCTURE(DefinedNamespace):
    """ESSGlobal "organisational structure" concepts (the ones sse_ld's code lists map to)."""

    _NS = Namespace("http://purl.org/essglobal/standard/organisational-structure/")
    _fail = True

    OS10: URIRef  # Community group (formal or informal)
    OS60: URIRef  # Workers cooperative
    OS70: URIRef  # Housing cooperative
    OS80: URIRef  # Consumer/User coop
    OS115: URIRef  # Cooperative
    OS180: URIRef  # National apex
    OS190: URIRef  # National sectoral federation or union
    OS200: URIRef  # Regional, state or provincial level federation or union


class ESSGLOBAL_LEGAL_FORM(DefinedNamespace):
    """ESSGlobal "legal form" concepts (the ones sse_ld's code lists map to)."""

    _NS = Namespace("http://purl.org/essglobal/standard/legal-form/")
    _fail = True

    L2: URIRef  # Cooperative


class ESSGLOBAL_ACTIVITIES(DefinedNamespace):
    """ESSGlobal "activities" concepts (the ones sse_ld's code lists map to)."""

    _NS = Namespace("http://purl.org/essglobal/standard/activities/")
    _fail = True

    a01: URIRef  # Agriculture and environment
    a02: URIRef  # Mining and quarrying
    a08: URIRef  # Transport, logistics and storage
    a09: URIRef  # Hospitality and food service activities
    a11: URIRef  # Financial, insurance and related activities
    a12: URIRef  # Habitat and housing


class ESSGLOBAL_BASE_MEMBERSHIP_TYPE(DefinedNamespace):
    """ESSGlobal "base membership type" concepts (the ones sse_ld's code lists map to)."""

    _NS = Namespace("http://purl.org/essglobal/standard/base-membership-type/")
    _fail = True

    BMT10: URIRef  # Consumer/Users
    BMT30: URIRef  # Workers


class SPDX(DefinedNamespace):
    """SPDX 2.3 RDF terms used for checksums in DCAT-AP.

    Source: https://spdx.org/rdf/terms (namespace ``http://spdx.org/rdf/terms#``, the spelling
    the SPDX ontology and the DCAT-AP 3.0.1 specification use).
    """

    _NS = Namespace("http://spdx.org/rdf/terms#")
    _fail = True

    Checksum: URIRef
    ChecksumAlgorithm: URIRef
    checksum: URIRef
    algorithm: URIRef
    checksumValue: URIRef
    checksumAlgorithm_sha256: URIRef


class VCARD(DefinedNamespace):
    """vCard ontology (the terms DCAT-AP contact points use). Source: https://www.w3.org/TR/vcard-rdf/."""

    _NS = Namespace("http://www.w3.org/2006/vcard/ns#")
    _fail = True

    Kind: URIRef
    Organization: URIRef
    fn: URIRef
    hasEmail: URIRef
    hasURL: URIRef


class ADMS(DefinedNamespace):
    """Asset Description Metadata Schema (the terms sse_ld uses). Source: https://www.w3.org/TR/vocab-adms/."""

    _NS = Namespace("http://www.w3.org/ns/adms#")
    _fail = True

    identifier: URIRef
    versionNotes: URIRef


class DCATAP(DefinedNamespace):
    """DCAT-AP's own namespace (the terms sse_ld uses). Source: https://semiceu.github.io/DCAT-AP/releases/3.0.1/."""

    _NS = Namespace("http://data.europa.eu/r5r/")
    _fail = True

    availability: URIRef
    applicableLegislation: URIRef


class DCAT3(DefinedNamespace):
    """DCAT 3 terms that rdflib's DCAT namespace (DCAT 2) lacks. Source: https://www.w3.org/TR/vocab-dcat-3/."""

    _NS = Namespace("http://www.w3.org/ns/dcat#")
    _fail = True

    version: URIRef


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
    ISO3166Subdivision: URIRef
    AreaGroup: URIRef
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
    includesArea: URIRef
    instrumentType: URIRef
    legalStatus: URIRef
    concernsOrganisationType: URIRef
    regulates: URIRef
    replaces: URIRef
    area: URIRef
    organisation: URIRef
    metric: URIRef
    unit: URIRef
    observationStatus: URIRef
    valueQualifier: URIRef
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
    areaAsGiven: URIRef
    factId: URIRef
    # individuals (data structure definitions)
    observationsStructure: URIRef
    organisationFactsStructure: URIRef


#: Base of the code-list (SKOS concept scheme) IRIs shipped in ``ontology/codes/``.
CODE_BASE = "https://w3id.org/sse-ld/code/"

#: The bundled SKOS scheme of Peru's administrative areas (``ontology/regions/``), whose
#: concepts are found by INEI UBIGEO code.
PERU_AREAS = "https://w3id.org/sse-ld/peru/areas"

#: The sse_ld project: the software agent of build provenance is ``TOOL_IRI + "release/<version>"``.
TOOL_IRI = "https://w3id.org/sse-ld/"

#: The SHACL shapes of ``shapes/`` as one standard that published datasets conform to.
SHAPES_IRI = "https://w3id.org/sse-ld/shapes"

#: EU Publications Office authority tables (languages, file types, data themes, countries...),
#: the controlled vocabularies DCAT-AP recommends: ``EU_AUTHORITY + "file-type/RDF_TURTLE"``.
EU_AUTHORITY = "http://publications.europa.eu/resource/authority/"

#: IANA media types as IRIs, the spelling DCAT-AP expects for ``dcat:mediaType``.
IANA_MEDIA_TYPES = "http://www.iana.org/assignments/media-types/"

#: Outside datasets whose IRIs, when the data links to them, are counted as VoID linksets:
#: name -> (IRI of the dataset, its URI spaces).
LINK_TARGETS: dict[str, tuple[str, tuple[str, ...]]] = {
    "wikidata": ("http://www.wikidata.org/", ("http://www.wikidata.org/entity/", "https://www.wikidata.org/wiki/")),
    "geonames": ("https://www.geonames.org/", ("https://sws.geonames.org/", "http://sws.geonames.org/")),
    "essglobal": ("http://purl.org/essglobal/standard/", ("http://purl.org/essglobal/standard/",)),
}

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
