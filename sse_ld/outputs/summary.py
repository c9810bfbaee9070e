"""One streaming pass over the graph, giving what VoID and the catalog say about the data.

:func:`summarise` iterates ``ctx.blocks()`` once (subject blocks in canonical order) and
keeps only counters whose size follows the vocabulary, not the data: per class, per
property, per linkset, plus the few regions and dates the catalog reports. The one count
that grows with the data, distinct objects, goes through
:class:`~sse_ld.distinct.DistinctCounter`: exact, with memory bounded by spilling sorted
runs to disk.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from ..distinct import DistinctCounter
from ..terms import RDF_TYPE, XSD, Lit, nt_object
from ..vocab import LINK_TARGETS, SKOS, SSE, STANDARD_PREFIXES
from .context import BuildContext

__all__ = ["GraphSummary", "summarise"]

#: Classes whose instances are the regions a catalog lists as spatial coverage.
REGION_CLASSES = (str(SSE.Country), str(SSE.FirstLevelArea))
_DATE_TYPES = {XSD + "date": 10, XSD + "dateTime": 10, XSD + "gYear": 4, XSD + "gYearMonth": 7}
_PREF_LABEL = str(SKOS.prefLabel)


@dataclass
class GraphSummary:
    """Counts and facts about the published graph.

    Attributes:
        triples: number of triples.
        subjects: distinct subjects.
        entities: subjects inside the dataset's URI space (its base IRI).
        distinct_objects: distinct objects (IRIs and literals).
        classes: class IRI -> number of its instances.
        properties: property IRI -> (triples, distinct subjects).
        vocabularies: namespaces of the classes and properties used.
        links: (target dataset name, predicate) -> triples linking to that dataset.
        examples: class IRI -> its first instance in canonical order.
        languages: language tags of the literals.
        first_date / last_date: earliest and latest date-typed value (lexical form, trimmed
            to its precision), the data's own temporal extent.
        regions: IRI -> labels (language -> text) of the country and first-level areas.
    """

    triples: int = 0
    subjects: int = 0
    entities: int = 0
    distinct_objects: int = 0
    classes: Counter[str] = field(default_factory=Counter)
    properties: dict[str, list[int]] = field(default_factory=dict)
    vocabularies: set[str] = field(default_factory=set)
    links: Counter[tuple[str, str]] = field(default_factory=Counter)
    examples: dict[str, str] = field(default_factory=dict)
    languages: set[str] = field(default_factory=set)
    first_date: str | None = None
    last_date: str | None = None
    regions: dict[str, dict[str, str]] = field(default_factory=dict)


class _Namespaces:
    """The namespace of a term: the longest known prefix it starts with, else up to its last
    ``#`` or ``/``. Cached, as a dataset uses few distinct terms."""

    def __init__(self, prefixes: Mapping[str, str]) -> None:
        self._known = sorted({*prefixes.values(), *STANDARD_PREFIXES.values()}, key=len, reverse=True)
        self._cache: dict[str, str] = {}

    def __call__(self, iri: str) -> str:
        hit = self._cache.get(iri)
        if hit is None:
            hit = next((ns for ns in self._known if iri.startswith(ns) and iri != ns), None)
            if hit is None:
                cut = max(iri.rfind("#"), iri.rfind("/"))
                hit = iri[: cut + 1] if cut > 0 else iri
            self._cache[iri] = hit
        return hit


def _link_target(iri: str) -> str | None:
    for name, (_dataset, spaces) in LINK_TARGETS.items():
        if iri.startswith(spaces):
            return name
    return None


def _date_bounds(o: Lit) -> tuple[str, str] | None:
    """(earliest, latest) day a date-typed literal covers, as sortable text."""
    width = _DATE_TYPES.get(o.datatype)
    if width is None:
        return None
    text = o.lexical[:width]
    if len(text) != width or not text[:4].isdigit():
        return None
    start = text + "-01-01"[len(text) - 4 :] if width < 10 else text
    end = text + "-12-31"[len(text) - 4 :] if width == 4 else (text + "-31" if width == 7 else text)
    return start, end


def summarise(ctx: BuildContext) -> GraphSummary:
    """The summary of ``ctx``'s graph, computed on first use and shared by the publishers."""
    cached = ctx.derived.get("summary")
    if isinstance(cached, GraphSummary):
        return cached
    s = GraphSummary()
    base = ctx.mapping.base
    namespace = _Namespaces(ctx.prefixes)
    first: tuple[str, str] | None = None
    last: tuple[str, str] | None = None
    with DistinctCounter() as objects:
        for subject, pairs in ctx.blocks():
            s.subjects += 1
            s.triples += len(pairs)
            if subject.startswith(base):
                s.entities += 1
            seen_predicates: set[str] = set()
            is_region = False
            for p, o in pairs:
                objects.add(nt_object(o))
                if p not in seen_predicates:
                    seen_predicates.add(p)
                    counts = s.properties.setdefault(p, [0, 0])
                    counts[1] += 1
                s.properties[p][0] += 1
                if isinstance(o, str):
                    if p == RDF_TYPE:
                        s.classes[o] += 1
                        s.examples.setdefault(o, subject)
                        s.vocabularies.add(namespace(o))
                        is_region = is_region or o in REGION_CLASSES
                    else:
                        target = _link_target(o)
                        if target is not None:
                            s.links[(target, p)] += 1
                    continue
                if o.lang:
                    s.languages.add(o.lang)
                bounds = _date_bounds(o)
                if bounds is not None:
                    if first is None or bounds[0] < first[0]:
                        first = (bounds[0], o.lexical[: _DATE_TYPES[o.datatype]])
                    if last is None or bounds[1] > last[0]:
                        last = (bounds[1], o.lexical[: _DATE_TYPES[o.datatype]])
            for p in seen_predicates:
                s.vocabularies.add(namespace(p))
            if is_region:
                s.regions[subject] = {o.lang: o.lexical for p, o in pairs if p == _PREF_LABEL and isinstance(o, Lit)}
        s.distinct_objects = objects.count()
    s.first_date = first[1] if first else None
    s.last_date = last[1] if last else None
    ctx.derived["summary"] = s
    return s
