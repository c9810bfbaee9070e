"""``catalog.ttl`` and ``catalog.jsonld``: a DCAT-AP 3 catalog of the build, for data portals.

One ``dcat:Catalog`` with one ``dcat:Dataset`` and one ``dcat:Distribution`` per dump, each
with its download URL (under the configurable download base), media type, file format,
byte size and SHA-256 checksum. It conforms to the DCAT-AP 3.0.1 SHACL shapes (base and
range files) checked offline: every node a shape's ``sh:class`` looks at is typed here
(licence documents, locations, languages, media types, agents...), since validators must
not fetch the EU vocabularies. Controlled values come from the EU Publications Office
authority tables (languages, file types, data themes, access rights, countries) and IANA
media types, as DCAT-AP recommends.

Checksums use the SPDX term ``http://spdx.org/rdf/terms#checksumAlgorithm_sha256`` (the
SPDX namespace, as in the DCAT-AP specification and its base shapes). DCAT-AP 3.0.1's
controlled-vocabulary shape file alone expects an ``https://spdx.org/rdf/terms`` spelling,
which is not the SPDX term; see README, "What a portal should harvest".
"""

from __future__ import annotations

from .. import __version__
from ..publish import OutputFolder, sha256_file
from ..vocab import (
    ADMS,
    DCAT,
    DCAT3,
    DCATAP,
    DCTERMS,
    EU_AUTHORITY,
    FOAF,
    IANA_MEDIA_TYPES,
    PROV,
    RDFS,
    SHAPES_IRI,
    SKOS,
    SPDX,
    SSE,
    VCARD,
)
from .buildprov import build_activity
from .context import BuildContext
from .graph import Graph, lang, plain, typed
from .meta import AVAILABILITY, EU_THEMES, PUBLISHER_TYPES, Publication, publication
from .summary import GraphSummary, summarise

__all__ = ["DISTRIBUTIONS", "Distribution", "distributions", "file_sha256", "publish_catalog"]

ADMS_NS = str(ADMS._NS)
_LICENCE_TYPES = {  # SPDX id -> ADMS licence types
    "CC-BY-4.0": ("Attribution",),
    "CC-BY-SA-4.0": ("Attribution", "ShareAlike"),
    "CC0-1.0": ("PublicDomain",),
    "ODbL-1.0": ("Attribution", "ShareAlike"),
    "ODC-By-1.0": ("Attribution",),
    "PDDL-1.0": ("PublicDomain",),
    "MIT": ("Attribution",),
}
_LICENCE_TYPE_LABELS = {"Attribution": "Attribution", "PublicDomain": "Public domain", "ShareAlike": "Share-alike"}
#: ISO 639-1 language tags and the EU authority table's codes.
_EU_LANGUAGES = {
    "ca": "CAT",
    "de": "DEU",
    "en": "ENG",
    "es": "SPA",
    "fr": "FRA",
    "it": "ITA",
    "nl": "NLD",
    "pt": "POR",
}
_LANGUAGE_NAMES = {"ca": "Catalan", "de": "German", "en": "English", "es": "Spanish", "fr": "French",
                   "it": "Italian", "nl": "Dutch", "pt": "Portuguese"}  # fmt: skip


class Distribution:
    """A dump as a DCAT distribution: file suffix, media type, EU file type, titles."""

    def __init__(self, suffix: str, media: str, filetype: str, en: str, es: str, compress: str | None = None) -> None:
        self.suffix, self.media, self.filetype, self.compress = suffix, media, filetype, compress
        self.titles = {"en": en, "es": es}


#: The dumps described as distributions, in catalog order.
DISTRIBUTIONS = (
    Distribution(".nt", "application/n-triples", "RDF_N_TRIPLES", "N-Triples dump (sorted, one triple per line)",
                 "Volcado N-Triples (ordenado, un triple por línea)"),
    Distribution(".nt.gz", "application/n-triples", "RDF_N_TRIPLES", "N-Triples dump, gzip-compressed",
                 "Volcado N-Triples comprimido con gzip", compress="application/gzip"),
    Distribution(".ttl", "text/turtle", "RDF_TURTLE", "Turtle dump (prefixed, grouped by subject)",
                 "Volcado Turtle (con prefijos, agrupado por sujeto)"),
    Distribution(".jsonld", "application/ld+json", "JSON_LD", "JSON-LD dump (compacted; context in context.jsonld)",
                 "Volcado JSON-LD (compactado; contexto en context.jsonld)"),
)  # fmt: skip


def file_sha256(ctx: BuildContext, folder: OutputFolder, name: str) -> str:
    """SHA-256 of a file written by an earlier publisher, computed once per build (dumps
    can be gigabytes; the catalog and schema.org both need their checksums). A dump's hash
    was taken while it was written; other files are read."""
    cache: dict[str, str] = ctx.derived.setdefault("sha256", {})
    if name not in cache:
        cache[name] = folder.written_sha256(name) or sha256_file(folder.path(name))
    return cache[name]


def distributions(ctx: BuildContext, folder: OutputFolder) -> list[tuple[Distribution, str]]:
    """The distributions whose files the build wrote: ``(distribution, file name)``."""
    return [(d, f"{ctx.name}{d.suffix}") for d in DISTRIBUTIONS if f"{ctx.name}{d.suffix}" in folder.files]


def _concept(g: Graph, iri: str, scheme: str, label: str, scheme_title: str, *classes: str) -> None:
    """A concept of an outside vocabulary, described just enough for offline validation."""
    g.a(iri, SKOS.Concept, *classes)
    g.add(iri, SKOS.prefLabel, lang(label, "en"))
    g.add(iri, SKOS.inScheme, scheme)
    g.a(scheme, SKOS.ConceptScheme)
    g.add(scheme, DCTERMS.title, lang(scheme_title, "en"))


def _agents(g: Graph, pub: Publication) -> tuple[str, str | None]:
    publisher = pub.base + "agent/publisher"
    g.a(publisher, FOAF.Agent)
    if pub.publisher is None:
        g.add(publisher, FOAF.name, lang("publisher not stated in the data package", "en"))
    else:
        g.add(publisher, FOAF.name, plain(pub.publisher.name))
        g.add(publisher, FOAF.homepage, pub.publisher.url)
        if pub.publisher.email:
            g.add(publisher, FOAF.mbox, f"mailto:{pub.publisher.email}")
        if pub.publisher.type:
            t = f"http://purl.org/adms/publishertype/{pub.publisher.type}"
            _concept(g, t, "http://purl.org/adms/publishertype/1.0", PUBLISHER_TYPES[pub.publisher.type],
                     "Publisher type")  # fmt: skip
            g.add(publisher, DCTERMS.type, t)
    if pub.contact is None:
        return publisher, None
    contact = pub.base + "agent/contact"
    g.a(contact, VCARD.Kind, VCARD.Organization)
    g.add(contact, VCARD.fn, plain(pub.contact.name))
    g.add(contact, VCARD.hasURL, pub.contact.url)
    if pub.contact.email:
        g.add(contact, VCARD.hasEmail, f"mailto:{pub.contact.email}")
    return publisher, contact


def _licences(g: Graph, pub: Publication) -> str | None:
    first = None
    for lic in pub.licences:
        if lic.path is None:
            continue
        first = first or lic.path
        g.a(lic.path, DCTERMS.LicenseDocument)
        g.add(lic.path, DCTERMS.title, plain(lic.title) if lic.title else None)
        g.add(lic.path, DCTERMS.identifier, plain(lic.name) if lic.name else None)
        for t in _LICENCE_TYPES.get(lic.name or "", ()):
            iri = f"http://purl.org/adms/licencetype/{t}"
            _concept(g, iri, "http://purl.org/adms/licencetype/1.0", _LICENCE_TYPE_LABELS[t], "Licence type")
            g.add(lic.path, DCTERMS.type, iri)
    return first


def _languages(g: Graph, pub: Publication, s: GraphSummary) -> list[str]:
    tags = sorted({t.split("-")[0].lower() for t in (*s.languages, *pub.titles)})
    out = []
    for tag in tags:
        if tag in _EU_LANGUAGES:
            iri = f"{EU_AUTHORITY}language/{_EU_LANGUAGES[tag]}"
            g.add(iri, SKOS.inScheme, f"{EU_AUTHORITY}language")
            g.add(iri, SKOS.prefLabel, lang(_LANGUAGE_NAMES[tag], "en"))
        else:
            iri = f"http://id.loc.gov/vocabulary/iso639-1/{tag}"
        g.a(iri, DCTERMS.LinguisticSystem)
        out.append(iri)
    return out


def _spatial(g: Graph, pub: Publication, s: GraphSummary) -> list[str]:
    out = []
    if pub.country:
        iri = f"{EU_AUTHORITY}country/{pub.country}"
        g.a(iri, DCTERMS.Location)
        g.add(iri, SKOS.inScheme, f"{EU_AUTHORITY}country")
        out.append(iri)
    for area, labels in sorted(s.regions.items()):
        g.a(area, DCTERMS.Location)
        for tag, text in sorted(labels.items()):
            g.add(area, SKOS.prefLabel, lang(text, tag))
        out.append(area)
    return out


def _temporal(g: Graph, pub: Publication, s: GraphSummary) -> str | None:
    span = pub.temporal or ((s.first_date, s.last_date) if s.first_date and s.last_date else None)
    if span is None:
        return None
    node = pub.dataset + "#temporal"
    g.a(node, DCTERMS.PeriodOfTime)
    for prop, value in zip((DCAT.startDate, DCAT.endDate), span, strict=True):
        g.add(node, prop, typed(value, {4: "gYear", 7: "gYearMonth"}.get(len(value), "date")))
    if pub.temporal is None:
        g.add(node, RDFS.comment, lang("from the earliest to the latest date stated in the data", "en"))
    return node


def _distribution(g: Graph, ctx: BuildContext, folder: OutputFolder, pub: Publication, dist: Distribution,
                  file: str, licence: str | None, rights: str | None) -> str:  # fmt: skip
    node = f"{pub.dataset}/distribution/{file}"
    path = folder.path(file)
    url = pub.url(file)
    g.a(node, DCAT.Distribution)
    for tag, text in dist.titles.items():
        g.add(node, DCTERMS.title, lang(text, tag))
    g.add(node, DCTERMS.description, lang(f"{ctx.name}: the whole dataset as one file ({file}).", "en"))
    g.add(node, DCTERMS.description, lang(f"{ctx.name}: el conjunto de datos completo en un archivo ({file}).", "es"))
    g.add(node, DCAT.accessURL, url)
    g.add(node, DCAT.downloadURL, url)
    media = IANA_MEDIA_TYPES + dist.media
    g.add(node, DCAT.mediaType, media)
    g.a(media, DCTERMS.MediaType)
    fmt = f"{EU_AUTHORITY}file-type/{dist.filetype}"
    g.add(node, DCTERMS.format, fmt)
    g.a(fmt, DCTERMS.MediaTypeOrExtent)
    g.add(fmt, SKOS.inScheme, f"{EU_AUTHORITY}file-type")
    if dist.compress:
        compress = IANA_MEDIA_TYPES + dist.compress
        g.add(node, DCAT.compressFormat, compress)
        g.a(compress, DCTERMS.MediaType)
    g.add(node, DCAT.byteSize, typed(str(path.stat().st_size), "nonNegativeInteger"))
    checksum = node + "#sha256"
    g.add(node, SPDX.checksum, checksum)
    g.a(checksum, SPDX.Checksum)
    g.add(checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256)
    g.a(SPDX.checksumAlgorithm_sha256, SPDX.ChecksumAlgorithm)
    g.add(checksum, SPDX.checksumValue, typed(file_sha256(ctx, folder, file), "hexBinary"))
    g.add(node, DCTERMS.license, licence)
    g.add(node, DCTERMS.rights, rights)
    if pub.availability:
        level = f"{EU_AUTHORITY}planned-availability/{pub.availability}"
        _concept(g, level, f"{EU_AUTHORITY}planned-availability", AVAILABILITY[pub.availability],
                 "Planned availability")  # fmt: skip
        g.add(node, DCATAP.availability, level)
    if pub.issued:
        g.add(node, DCTERMS.issued, typed(pub.issued, "date"))
    return node


def _standards(g: Graph, files: list[str], pub: Publication) -> list[str]:
    onto = str(SSE._NS).rstrip("#")
    g.a(onto, DCTERMS.Standard)
    g.add(onto, DCTERMS.title, lang("sse_ld ontology for the Social and Solidarity Economy", "en"))
    g.add(onto, RDFS.seeAlso, pub.url("ontology/sse.ttl"))
    g.a(SHAPES_IRI, DCTERMS.Standard)
    g.add(SHAPES_IRI, DCTERMS.title, lang("sse_ld SHACL shapes", "en"))
    for name in sorted(n for n in files if n.startswith("shapes/")):
        g.add(SHAPES_IRI, RDFS.seeAlso, pub.url(name))
    return [onto, SHAPES_IRI]


def catalog_graph(ctx: BuildContext, folder: OutputFolder) -> Graph:
    """The DCAT-AP graph of the build."""
    pub = publication(ctx)
    s = summarise(ctx)
    g = Graph({"adms": ADMS_NS, "dcatap": str(DCATAP._NS), "foaf": str(FOAF), "spdx": str(SPDX._NS),
               "vcard": str(VCARD._NS)})  # fmt: skip
    cat, ds = pub.catalog, pub.dataset
    publisher, contact = _agents(g, pub)
    licence = _licences(g, pub)
    languages = _languages(g, pub, s)
    spatial = _spatial(g, pub, s)
    rights = None
    if len([lic for lic in pub.licences if lic.path]) > 1:
        rights = ds + "#rights"
        g.a(rights, DCTERMS.RightsStatement)
        text = "; ".join(lic.title or lic.name or str(lic.path) for lic in pub.licences)
        g.add(rights, RDFS.label, lang(f"Licences: {text}", "en"))
    # The catalog
    g.a(cat, DCAT.Catalog)
    for tag, text in pub.titles.items():
        g.add(cat, DCTERMS.title, lang(text, tag))
    for tag, text in pub.descriptions.items():
        g.add(cat, DCTERMS.description, lang(text, tag))
    g.add(cat, DCTERMS.publisher, publisher)
    g.add(cat, DCAT.dataset, ds)
    g.add(cat, DCTERMS.license, licence)
    g.add_all(cat, DCTERMS.language, languages)
    g.add_all(cat, DCTERMS.spatial, spatial)
    if pub.homepage:
        g.add(cat, FOAF.homepage, pub.homepage)
        g.a(pub.homepage, FOAF.Document)
    if pub.themes:
        taxonomy = f"{EU_AUTHORITY}data-theme"
        g.add(cat, DCAT.themeTaxonomy, taxonomy)
        g.a(taxonomy, SKOS.ConceptScheme)
        g.add(taxonomy, DCTERMS.title, lang("Data theme", "en"))
    if pub.issued:
        g.add(cat, DCTERMS.issued, typed(pub.issued, "date"))
        g.add(cat, DCTERMS.modified, typed(pub.issued, "date"))
    # The dataset
    g.a(ds, DCAT.Dataset)
    for tag, text in pub.titles.items():
        g.add(ds, DCTERMS.title, lang(text, tag))
    for tag, text in pub.descriptions.items():
        g.add(ds, DCTERMS.description, lang(text, tag))
    g.add(ds, DCTERMS.identifier, plain(ds))
    g.add(ds, DCAT3.version, plain(pub.version) if pub.version else None)
    g.add_all(ds, DCAT.keyword, (plain(k) for k in pub.keywords))
    for code in pub.themes:
        theme = f"{EU_AUTHORITY}data-theme/{code}"
        _concept(g, theme, f"{EU_AUTHORITY}data-theme", EU_THEMES[code], "Data theme")
        g.add(ds, DCAT.theme, theme)
    g.add(ds, DCTERMS.publisher, publisher)
    g.add(ds, DCAT.contactPoint, contact)
    g.add_all(ds, DCTERMS.spatial, spatial)
    g.add(ds, DCTERMS.temporal, _temporal(g, pub, s))
    g.add_all(ds, DCTERMS.language, languages)
    if pub.homepage:
        g.add(ds, DCAT.landingPage, pub.homepage)
    g.add_all(ds, DCTERMS.conformsTo, _standards(g, folder.files, pub))
    access = f"{EU_AUTHORITY}access-right/PUBLIC"
    g.add(ds, DCTERMS.accessRights, access)
    g.a(access, DCTERMS.RightsStatement)
    g.add(access, SKOS.inScheme, f"{EU_AUTHORITY}access-right")
    if pub.issued:
        g.add(ds, DCTERMS.issued, typed(pub.issued, "date"))
        g.add(ds, DCTERMS.modified, typed(pub.issued, "date"))
    statement = ds + "#provenance"
    g.add(ds, DCTERMS.provenance, statement)
    g.a(statement, DCTERMS.ProvenanceStatement)
    errors = ctx.report.counts().get("error", 0)
    g.add(
        statement,
        RDFS.label,
        lang(
            f"Built by sse-ld {__version__} from the data package {ctx.package.descriptor_file.name} and its CSV "
            f"files (checksums in build-provenance.ttl); validated against the sse_ld SHACL shapes with "
            f"{errors} error(s). Each subject's source row is in provenance.nt.",
            "en",
        ),
    )
    activity = build_activity(ctx)
    g.add(ds, PROV.wasGeneratedBy, activity)
    g.a(activity, PROV.Activity)
    for title, url in pub.sources:
        if url and url.startswith(("http://", "https://")):
            g.add(ds, PROV.wasDerivedFrom, url)
            g.add(url, RDFS.label, plain(title))
    g.add(ds, RDFS.seeAlso, pub.url("void.ttl"))
    g.add(ds, RDFS.seeAlso, pub.url("build-provenance.ttl"))
    for dist, file in distributions(ctx, folder):
        g.add(ds, DCAT.distribution, _distribution(g, ctx, folder, pub, dist, file, licence, rights))
    return g


def publish_catalog(ctx: BuildContext, folder: OutputFolder) -> None:
    """``catalog.ttl`` and ``catalog.jsonld`` (the same graph)."""
    g = catalog_graph(ctx, folder)
    pub = publication(ctx)
    header = (
        f"DCAT-AP 3 catalog of {pub.name}, written by sse-ld {__version__}.\n"
        f"Download links point under {pub.download_base} (sse-ld build --download-base URL)."
    )
    folder.write_with("catalog.ttl", lambda f: g.write_turtle(f, header=header))
    folder.write_with("catalog.jsonld", g.write_jsonld)
