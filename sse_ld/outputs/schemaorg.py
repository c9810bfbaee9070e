"""``schemaorg.jsonld``: a schema.org ``Dataset`` for search engines (Google Dataset Search
and others read it from a page's ``<script type="application/ld+json">``).

The same facts as the catalog, in the shape search engines document: name, description,
URL, identifier, keywords, licence, creator, spatial and temporal coverage, and one
``DataDownload`` per dump with its URL, media type, size and SHA-256.
"""

from __future__ import annotations

import json
from typing import Any

from ..canned import pick
from ..publish import OutputFolder
from .catalog import distributions, file_sha256
from .context import BuildContext
from .meta import publication
from .summary import summarise

__all__ = ["publish_schemaorg", "schemaorg_dataset"]


def schemaorg_dataset(ctx: BuildContext, folder: OutputFolder) -> dict[str, Any]:
    """The schema.org description of the build, as a JSON-LD object."""
    pub = publication(ctx)
    s = summarise(ctx)
    lang = next(iter(pub.titles))
    doc: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "@id": pub.dataset,
        "name": pick(pub.titles, "en"),
        "alternateName": [t for t in pub.titles.values() if t != pick(pub.titles, "en")] or None,
        "description": pick(pub.descriptions, "en"),
        "url": pub.homepage or pub.download_base,
        "identifier": pub.dataset,
        "version": pub.version,
        "keywords": list(pub.keywords) or None,
        "license": next((lic.path for lic in pub.licences if lic.path), None),
        "isAccessibleForFree": True,
        "inLanguage": sorted({t.split("-")[0] for t in (*s.languages, *pub.titles)}) or [lang],
        "datePublished": pub.issued,
    }
    if pub.publisher:
        agent = {"@type": "Organization", "name": pub.publisher.name, "url": pub.publisher.url}
        doc["creator"] = doc["publisher"] = {k: v for k, v in agent.items() if v}
    places = [{"@type": "Place", "@id": iri, "name": pick(labels, "en")} for iri, labels in sorted(s.regions.items())]
    doc["spatialCoverage"] = places or None
    span = pub.temporal or ((s.first_date, s.last_date) if s.first_date and s.last_date else None)
    doc["temporalCoverage"] = f"{span[0]}/{span[1]}" if span else None
    doc["isBasedOn"] = [url for _title, url in pub.sources if url and url.startswith(("http://", "https://"))] or None
    doc["includedInDataCatalog"] = {"@type": "DataCatalog", "@id": pub.catalog, "name": pick(pub.titles, "en")}
    doc["distribution"] = [
        {
            "@type": "DataDownload",
            "name": dist.titles["en"],
            "contentUrl": pub.url(file),
            "encodingFormat": dist.media if not dist.compress else dist.compress,
            "contentSize": f"{folder.path(file).stat().st_size} B",
            "sha256": file_sha256(ctx, folder, file),
        }
        for dist, file in distributions(ctx, folder)
    ]
    return {k: v for k, v in doc.items() if v is not None}


def publish_schemaorg(ctx: BuildContext, folder: OutputFolder) -> None:
    """``schemaorg.jsonld``."""
    doc = schemaorg_dataset(ctx, folder)
    folder.write_text("schemaorg.jsonld", json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
