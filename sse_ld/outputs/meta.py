"""Publication metadata: what a catalog says about a build, read from ``datapackage.json``.

Frictionless fields are used where they exist (``title``, ``description``, ``version``,
``homepage``, ``keywords``, ``licenses``, ``contributors``, ``sources``); what Frictionless
has no field for lives under ``"sse_ld": {"catalog": {...}}``::

    "sse_ld": {
      "title_es": "...", "description_es": "...",         # titles in other languages
      "catalog": {
        "language": "en",                                   # language of "title"/"description"
        "download_base": "https://example.org/dumps/",      # where the files will be hosted
        "publisher": {"name": "...", "url": "...", "email": "...", "type": "NonProfitOrganisation"},
        "contact": {"name": "...", "url": "...", "email": "..."},
        "themes": ["SOCI", "ECON"],                         # EU data themes
        "country": "PER",                                   # EU country code of the coverage
        "availability": "EXPERIMENTAL",                     # EU planned availability of the files
        "temporal": {"start": "1991-02-12", "end": "2013"}  # else derived from the data's dates
      }
    }

The publisher falls back to the contributor with role ``publisher``, then the first
``author``/``creator``; the contact point to the contributor with role ``maintainer`` or
``contact``, then the publisher. A mistake here is an :class:`~sse_ld.errors.InputError`
naming the JSON pointer, raised before anything is written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import InputError, UsageError
from ..iri import iri_problem
from .context import BuildContext

__all__ = ["AVAILABILITY", "EU_THEMES", "PUBLISHER_TYPES", "Agent", "Licence", "Publication", "publication"]

#: The EU data themes (``http://publications.europa.eu/resource/authority/data-theme``) and
#: their English labels.
EU_THEMES: dict[str, str] = {
    "AGRI": "Agriculture, fisheries, forestry and food",
    "ECON": "Economy and finance",
    "EDUC": "Education, culture and sport",
    "ENER": "Energy",
    "ENVI": "Environment",
    "GOVE": "Government and public sector",
    "HEAL": "Health",
    "INTR": "International issues",
    "JUST": "Justice, legal system and public safety",
    "REGI": "Regions and cities",
    "SOCI": "Population and society",
    "TECH": "Science and technology",
    "TRAN": "Transport",
}

#: ADMS publisher types (``http://purl.org/adms/publishertype/``) and their English labels.
PUBLISHER_TYPES: dict[str, str] = {
    "Academia-ScientificOrganisation": "Academia/Scientific organisation",
    "Company": "Company",
    "IndustryConsortium": "Industry consortium",
    "LocalAuthority": "Local Authority",
    "NationalAuthority": "National authority",
    "NonGovernmentalOrganisation": "Non-Governmental Organisation",
    "NonProfitOrganisation": "Non-Profit Organisation",
    "PrivateIndividual(s)": "Private Individual(s)",
    "RegionalAuthority": "Regional authority",
    "StandardisationBody": "Standardisation body",
    "SupraNationalAuthority": "Supra-national authority",
}

#: The EU planned-availability levels (``.../authority/planned-availability``), labelled.
AVAILABILITY: dict[str, str] = {
    "TEMPORARY": "temporary",
    "EXPERIMENTAL": "experimental",
    "AVAILABLE": "available",
    "STABLE": "stable",
}

_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?\Z")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+\Z")
_COUNTRY = re.compile(r"[A-Z]{3}\Z")
_LANG = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{1,8})*\Z")


@dataclass(frozen=True)
class Agent:
    """A publisher or contact point."""

    name: str
    url: str | None = None
    email: str | None = None
    type: str | None = None


@dataclass(frozen=True)
class Licence:
    """A licence of the package (Frictionless ``licenses`` item)."""

    name: str | None
    path: str | None
    title: str | None


@dataclass(frozen=True)
class Publication:
    """Everything the catalog, VoID and schema.org outputs say about a build.

    Attributes:
        base: the base IRI of the dataset's resources (the VoID URI space).
        dataset: the IRI of the dataset (DCAT and VoID).
        catalog: the IRI of the catalog.
        download_base: URL the output folder is served under (ends with ``/``).
        titles / descriptions: language -> text.
        issued: the publication date given with ``--issued`` or ``SOURCE_DATE_EPOCH``.
    """

    name: str
    base: str
    dataset: str
    catalog: str
    download_base: str
    titles: Mapping[str, str]
    descriptions: Mapping[str, str]
    version: str | None
    homepage: str | None
    keywords: tuple[str, ...]
    licences: tuple[Licence, ...]
    publisher: Agent | None
    contact: Agent | None
    themes: tuple[str, ...]
    country: str | None
    availability: str | None
    temporal: tuple[str, str] | None
    issued: str | None
    sources: tuple[tuple[str, str | None], ...]

    def url(self, file: str) -> str:
        """The download URL of a file of the output folder."""
        return self.download_base + "/".join(_quote_segment(s) for s in file.split("/"))


def _quote_segment(segment: str) -> str:
    from urllib.parse import quote

    return quote(segment, safe="-._~!$&'()*+,;=:@")


def _fail(pointer: str, message: str, hint: str | None = None) -> InputError:
    return InputError(f"{pointer}: {message}", file="datapackage.json", hint=hint)


def _text(value: Any, pointer: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise _fail(pointer, "must be a non-empty string")
    return value.strip()


def _url(value: Any, pointer: str) -> str | None:
    text = _text(value, pointer)
    if text is None:
        return None
    problem = iri_problem(text)
    if problem or not text.startswith(("http://", "https://")):
        raise _fail(pointer, f"{text!r} is not an http(s) URL" + (f": {problem}" if problem else ""))
    return text


def _agent(value: Any, pointer: str) -> Agent | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise _fail(pointer, "must be an object with a name")
    name = _text(value.get("name") or value.get("title"), pointer + "/name")
    if name is None:
        raise _fail(pointer + "/name", "is required")
    email = _text(value.get("email"), pointer + "/email")
    if email is not None and not _EMAIL.match(email):
        raise _fail(pointer + "/email", f"{email!r} is not an e-mail address")
    kind = _text(value.get("type"), pointer + "/type")
    if kind is not None and kind not in PUBLISHER_TYPES:
        raise _fail(pointer + "/type", f"unknown publisher type {kind!r}", "use one of: " + ", ".join(PUBLISHER_TYPES))
    return Agent(name, _url(value.get("url") or value.get("path"), pointer + "/url"), email, kind)


def _contributor(descriptor: Mapping[str, Any], *roles: str) -> Agent | None:
    items = descriptor.get("contributors")
    if not isinstance(items, list):
        return None
    for role in roles:
        for i, c in enumerate(items):
            if isinstance(c, Mapping) and c.get("role") == role and (c.get("title") or c.get("name")):
                return _agent(c, f"/contributors/{i}")
    return None


def _date(value: Any, pointer: str) -> str:
    text = _text(value, pointer)
    if text is None or not _DATE.match(text):
        raise _fail(pointer, f"{value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
    return text


def _languages(descriptor: Mapping[str, Any], ext: Mapping[str, Any], key: str, main_lang: str) -> dict[str, str]:
    out: dict[str, str] = {}
    main = descriptor.get(key)
    if isinstance(main, str) and main.strip():
        out[main_lang] = main.strip()
    for k, v in sorted(ext.items()):
        if k.startswith(key + "_") and isinstance(v, str) and v.strip():
            out[k[len(key) + 1 :]] = v.strip()
    return out


def check_download_base(url: str) -> str:
    """A download base URL as used in the catalog: absolute http(s), ending with ``/``.

    Raises:
        UsageError: the URL is not an absolute http(s) URL.
    """
    problem = iri_problem(url)
    if problem or not url.startswith(("http://", "https://")) or "?" in url or "#" in url:
        raise UsageError(
            f"the download base {url!r} is not an http(s) URL" + (f" ({problem})" if problem else ""),
            hint="give the URL the output folder will be served under, e.g. https://example.org/data/peru-sse/",
        )
    return url if url.endswith("/") else url + "/"


def publication(ctx: BuildContext) -> Publication:
    """The publication metadata of a build (computed once per build)."""
    cached = ctx.derived.get("publication")
    if isinstance(cached, Publication):
        return cached
    d = ctx.package.descriptor
    ext = d.get("sse_ld") if isinstance(d.get("sse_ld"), Mapping) else {}
    assert isinstance(ext, Mapping)
    cat = ext.get("catalog", {})
    if not isinstance(cat, Mapping):
        raise _fail("/sse_ld/catalog", "must be an object")
    lang = _text(cat.get("language"), "/sse_ld/catalog/language") or "en"
    if not _LANG.match(lang):
        raise _fail("/sse_ld/catalog/language", f"{lang!r} is not a language tag such as 'en' or 'es'")
    titles = _languages(d, ext, "title", lang) or {lang: ctx.name}
    descriptions = _languages(d, ext, "description", lang) or {lang: titles.get(lang, ctx.name)}
    base = ctx.mapping.base
    homepage = _url(d.get("homepage"), "/homepage")
    if ctx.options.download_base:
        download_base = check_download_base(ctx.options.download_base)
    elif cat.get("download_base") is not None:
        url = _url(cat.get("download_base"), "/sse_ld/catalog/download_base")
        assert url is not None
        download_base = check_download_base(url)
    else:
        download_base = check_download_base(homepage or base)
    themes = cat.get("themes", [])
    if not isinstance(themes, list):
        raise _fail("/sse_ld/catalog/themes", "must be a list of EU data theme codes")
    for i, t in enumerate(themes):
        if t not in EU_THEMES:
            raise _fail(f"/sse_ld/catalog/themes/{i}", f"unknown EU data theme {t!r}", "use: " + ", ".join(EU_THEMES))
    country = _text(cat.get("country"), "/sse_ld/catalog/country")
    if country is not None and not _COUNTRY.match(country):
        raise _fail("/sse_ld/catalog/country", f"{country!r} is not an EU country code such as 'PER'")
    availability = _text(cat.get("availability"), "/sse_ld/catalog/availability")
    if availability is not None and availability not in AVAILABILITY:
        raise _fail(
            "/sse_ld/catalog/availability", f"unknown availability {availability!r}", "use: " + ", ".join(AVAILABILITY)
        )
    temporal = None
    if cat.get("temporal") is not None:
        t = cat["temporal"]
        if not isinstance(t, Mapping):
            raise _fail("/sse_ld/catalog/temporal", "must be an object with start and end")
        temporal = (
            _date(t.get("start"), "/sse_ld/catalog/temporal/start"),
            _date(t.get("end"), "/sse_ld/catalog/temporal/end"),
        )
    licences = []
    for i, lic in enumerate(d.get("licenses") or []):
        if isinstance(lic, Mapping):
            licences.append(
                Licence(
                    _text(lic.get("name"), f"/licenses/{i}/name"),
                    _url(lic.get("path"), f"/licenses/{i}/path"),
                    _text(lic.get("title"), f"/licenses/{i}/title"),
                )
            )
    keywords = tuple(k.strip() for k in d.get("keywords") or [] if isinstance(k, str) and k.strip())
    sources = tuple(
        (s["title"].strip(), s.get("path") if isinstance(s.get("path"), str) else None)
        for s in d.get("sources") or []
        if isinstance(s, Mapping) and isinstance(s.get("title"), str) and s["title"].strip()
    )
    publisher = _agent(cat.get("publisher"), "/sse_ld/catalog/publisher") or _contributor(
        d, "publisher", "author", "creator"
    )
    contact = _agent(cat.get("contact"), "/sse_ld/catalog/contact") or _contributor(d, "maintainer", "contact")
    version = d.get("version") if isinstance(d.get("version"), str) and d.get("version") else None
    issued = ctx.options.issued
    if issued is not None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", issued):
        raise UsageError(f"the publication date {issued!r} is not a date written YYYY-MM-DD")
    pub = Publication(
        name=ctx.name,
        base=base,
        dataset=base + "dataset",
        catalog=base + "catalog",
        download_base=download_base,
        titles=titles,
        descriptions=descriptions,
        version=version,
        homepage=homepage,
        keywords=keywords,
        licences=tuple(licences),
        publisher=publisher,
        contact=contact or publisher,
        themes=tuple(themes),
        country=country,
        availability=availability,
        temporal=temporal,
        issued=issued,
        sources=sources,
    )
    ctx.derived["publication"] = pub
    return pub
