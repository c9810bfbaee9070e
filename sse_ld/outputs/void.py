"""``void.ttl``: the VoID description of the dataset, computed from the graph at build time.

Counts come from :func:`~sse_ld.outputs.summary.summarise` (one streaming pass): triples,
entities, distinct subjects and objects, one class partition per class (its instances), one
property partition per property (its triples and distinct subjects), the vocabularies used,
one linkset per outside dataset and link predicate (Wikidata, GeoNames, ESSGlobal
standards), the dumps as ``void:dataDump``, the URI space and example resources.
"""

from __future__ import annotations

import hashlib

from ..publish import OutputFolder
from ..vocab import DCTERMS, FOAF, LINK_TARGETS, VOID
from ..writers import PrefixMap
from .context import BuildContext
from .graph import Graph, lang, plain, typed
from .meta import publication
from .summary import summarise

__all__ = ["DUMP_FORMATS", "publish_void"]

#: Dump files (by suffix) and the W3C format IRIs VoID features name.
DUMP_FORMATS = {
    ".nt": "http://www.w3.org/ns/formats/N-Triples",
    ".ttl": "http://www.w3.org/ns/formats/Turtle",
    ".jsonld": "http://www.w3.org/ns/formats/JSON-LD",
}
_TARGET_TITLES = {"wikidata": "Wikidata", "geonames": "GeoNames", "essglobal": "ESSGlobal standard vocabularies"}


def _slug(iri: str, pm: PrefixMap) -> str:
    hit = pm.split(iri)
    if hit and hit[1]:
        return f"{hit[0]}-{hit[1]}"
    return hashlib.sha256(iri.encode("utf-8")).hexdigest()[:12]


def dump_files(ctx: BuildContext, folder: OutputFolder) -> list[str]:
    """The dump files written so far, in a stable order."""
    names = [f"{ctx.name}{suffix}" for suffix in (".nt", ".nt.gz", ".ttl", ".jsonld")]
    return [n for n in names if n in folder.files]


def publish_void(ctx: BuildContext, folder: OutputFolder) -> None:
    """``void.ttl``."""
    pub = publication(ctx)
    s = summarise(ctx)
    g = Graph({"foaf": str(FOAF)})
    pm = PrefixMap(ctx.prefixes)
    d = pub.dataset
    doc = pub.url("void.ttl")
    g.a(doc, VOID.DatasetDescription)
    g.add(doc, FOAF.primaryTopic, d)
    g.add(doc, DCTERMS.title, lang(f"VoID description of {pub.name}", "en"))
    g.a(d, VOID.Dataset)
    for tag, text in pub.titles.items():
        g.add(d, DCTERMS.title, lang(text, tag))
    g.add(d, VOID.uriSpace, plain(pub.base))
    g.add(d, VOID.triples, typed(str(s.triples), "integer"))
    g.add(d, VOID.entities, typed(str(s.entities), "integer"))
    g.add(d, VOID.distinctSubjects, typed(str(s.subjects), "integer"))
    g.add(d, VOID.distinctObjects, typed(str(s.distinct_objects), "integer"))
    g.add(d, VOID.classes, typed(str(len(s.classes)), "integer"))
    g.add(d, VOID.properties, typed(str(len(s.properties)), "integer"))
    for licence in pub.licences[:1]:
        g.add(d, DCTERMS.license, licence.path)
    if pub.homepage:
        g.add(d, FOAF.homepage, pub.homepage)
    for name in dump_files(ctx, folder):
        g.add(d, VOID.dataDump, pub.url(name))
    for suffix, fmt in DUMP_FORMATS.items():
        if f"{ctx.name}{suffix}" in folder.files:
            g.add(d, VOID.feature, fmt)
    for ns in sorted(s.vocabularies):
        g.add(d, VOID.vocabulary, ns)
    for cls in sorted(s.classes):
        g.add(d, VOID.exampleResource, s.examples[cls])
        part = f"{d}/void/class/{_slug(cls, pm)}"
        g.add(d, VOID.classPartition, part)
        g.add(part, VOID["class"], cls)
        g.add(part, VOID.entities, typed(str(s.classes[cls]), "integer"))
    for prop in sorted(s.properties):
        triples, subjects = s.properties[prop]
        part = f"{d}/void/property/{_slug(prop, pm)}"
        g.add(d, VOID.propertyPartition, part)
        g.add(part, VOID.property, prop)
        g.add(part, VOID.triples, typed(str(triples), "integer"))
        g.add(part, VOID.distinctSubjects, typed(str(subjects), "integer"))
    for (target, predicate), n in sorted(s.links.items()):
        target_iri, spaces = LINK_TARGETS[target]
        ls = f"{d}/void/linkset/{target}/{_slug(predicate, pm)}"
        g.a(ls, VOID.Linkset)
        g.add(d, VOID.subset, ls)
        g.add(ls, VOID.subjectsTarget, d)
        g.add(ls, VOID.objectsTarget, target_iri)
        g.add(ls, VOID.linkPredicate, predicate)
        g.add(ls, VOID.triples, typed(str(n), "integer"))
        g.a(target_iri, VOID.Dataset)
        g.add(target_iri, DCTERMS.title, lang(_TARGET_TITLES.get(target, target), "en"))
        for space in spaces:
            g.add(target_iri, VOID.uriSpace, plain(space))
    header = f"VoID description of {pub.name}, computed by sse-ld from the published graph."
    folder.write_with("void.ttl", lambda f: g.write_turtle(f, header=header))
