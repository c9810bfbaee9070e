"""What VoID and the catalog say about the data, counted while the dumps are written.

:class:`SummaryBuilder` sees every subject block the dumps receive (in the streaming pass,
in each worker process for its chunk) and keeps only counters whose size follows the
vocabulary, not the data: per class, per property, per linkset, plus the few regions and
dates the catalog reports. The one count that grows with the data, distinct objects, goes
through :class:`~sse_ld.distinct.DistinctCounter` (by their N-Triples spelling, which the
writer has made anyway): exact, with memory bounded by spilling runs to disk. Builders of
consecutive chunks merge (:meth:`SummaryBuilder.absorb`) into the summary of the whole
file, equal to one built in a single pass.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from operator import itemgetter

from .distinct import DistinctCounter, Run
from .terms import RDF_TYPE, XSD, Lit, Obj, nt_object
from .vocab import LINK_TARGETS, SKOS, SSE, STANDARD_PREFIXES

__all__ = ["GraphSummary", "SummaryBuilder", "SummaryPart"]

#: Classes whose instances are the regions a catalog lists as spatial coverage.
REGION_CLASSES = frozenset({str(SSE.Country), str(SSE.FirstLevelArea)})
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


@dataclass
class SummaryPart:
    """What a builder hands over from a worker process: its counters and the spilled runs of
    its distinct objects (files the receiving builder takes ownership of)."""

    summary: GraphSummary
    first: tuple[str, str] | None
    last: tuple[str, str] | None
    runs: list[Run]


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


#: Every namespace of the datasets VoID names as link targets (one ``startswith`` call).
_LINK_SPACES = tuple(space for _dataset, spaces in LINK_TARGETS.values() for space in spaces)


_first = itemgetter(0)


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


class SummaryBuilder:
    """Accumulates a :class:`GraphSummary` from subject blocks, in the dumps' order.

    Args:
        base: the dataset's base IRI (subjects under it are its entities).
        prefixes: the dumps' prefixes (to name the vocabularies used).
        scratch: where the distinct-object counter spills its runs.
    """

    def __init__(self, base: str, prefixes: Mapping[str, str], scratch: str | os.PathLike[str] | None = None) -> None:
        self.base = base
        self.prefixes = dict(prefixes)
        self.scratch = scratch
        self.summary = GraphSummary()
        self.first: tuple[str, str] | None = None
        self.last: tuple[str, str] | None = None
        self._namespace = _Namespaces(prefixes)
        self._objects: DistinctCounter[str] = DistinctCounter(tmpdir=scratch)
        self._sequences: dict[tuple[str, ...], int] = {}

    def add(self, subject: str, pairs: Sequence[tuple[str, Obj]]) -> None:
        """Count one subject block."""
        self.add_spelled(subject, pairs, [(nt_object(o),) for _p, o in pairs])

    def add_spelled(
        self,
        subject: str,
        pairs: Sequence[tuple[str, Obj]],
        spelled: Sequence[tuple[str, ...]],
        predicates: tuple[str, ...] | None = None,
    ) -> None:
        """Count one subject block whose objects' N-Triples spellings the writer has made
        (the first item of each of ``spelled``, in the order of ``pairs``), and perhaps its
        sequence of predicates."""
        s = self.summary
        s.subjects += 1
        if subject.startswith(self.base):
            s.entities += 1
        # Per-property counts follow from the block's sequence of predicates, which most
        # blocks share: counted once per distinct sequence (see _fold).
        key = predicates if predicates is not None else tuple([p for p, _o in pairs])
        self._sequences[key] = self._sequences.get(key, 0) + 1
        is_region = False
        for p, o in pairs:
            if o.__class__ is str:
                if p == RDF_TYPE:
                    s.classes[o] += 1
                    if o not in s.examples:
                        s.examples[o] = subject
                        s.vocabularies.add(self._namespace(o))
                    is_region = is_region or o in REGION_CLASSES
                elif o.startswith(_LINK_SPACES) and (target := _link_target(o)) is not None:
                    s.links[(target, p)] += 1
            elif o[2]:  # a language tag (items, not attribute names: this runs per triple)
                s.languages.add(o[2])
            elif o[1] in _DATE_TYPES:
                self._date(o)  # type: ignore[arg-type]
        # Distinct objects are counted by their N-Triples spelling, one-to-one with the terms.
        self._objects.update(map(_first, spelled))
        if is_region:
            s.regions[subject] = {o.lang: o.lexical for p, o in pairs if p == _PREF_LABEL and isinstance(o, Lit)}

    def _fold(self) -> None:
        """Move the counts of predicate sequences into the per-property counts."""
        s = self.summary
        for sequence, blocks in self._sequences.items():
            s.triples += len(sequence) * blocks
            for p in sequence:
                counts = s.properties.get(p)
                if counts is None:
                    counts = s.properties[p] = [0, 0]
                    s.vocabularies.add(self._namespace(p))
                counts[0] += blocks
            for p in set(sequence):
                s.properties[p][1] += blocks
        self._sequences.clear()

    def _date(self, o: Lit) -> None:
        bounds = _date_bounds(o)
        if bounds is not None:
            if self.first is None or bounds[0] < self.first[0]:
                self.first = (bounds[0], o.lexical[: _DATE_TYPES[o.datatype]])
            if self.last is None or bounds[1] > self.last[0]:
                self.last = (bounds[1], o.lexical[: _DATE_TYPES[o.datatype]])

    def fresh(self) -> SummaryBuilder:
        """An empty builder with the same settings (for a worker's chunk)."""
        return SummaryBuilder(self.base, self.prefixes, self.scratch)

    def export(self) -> SummaryPart:
        """Hand this builder's counts over (from a worker process); the builder is spent."""
        self._fold()
        return SummaryPart(self.summary, self.first, self.last, self._objects.export())

    def absorb(self, part: SummaryPart) -> None:
        """Add the counts of the blocks that came after this builder's (a later chunk)."""
        s, o = self.summary, part.summary
        s.triples += o.triples
        s.subjects += o.subjects
        s.entities += o.entities
        s.classes.update(o.classes)
        for p, (triples, subjects) in o.properties.items():
            counts = s.properties.setdefault(p, [0, 0])
            counts[0] += triples
            counts[1] += subjects
        s.vocabularies |= o.vocabularies
        s.links.update(o.links)
        for cls, example in o.examples.items():
            s.examples.setdefault(cls, example)
        s.languages |= o.languages
        s.regions.update(o.regions)
        # Ties keep the earlier block's value, as a single pass would.
        if part.first is not None and (self.first is None or part.first[0] < self.first[0]):
            self.first = part.first
        if part.last is not None and (self.last is None or part.last[0] > self.last[0]):
            self.last = part.last
        self._objects.adopt(part.runs)

    def result(self) -> GraphSummary:
        """The summary of every block added or absorbed (counts the distinct objects)."""
        self._fold()
        s = self.summary
        s.distinct_objects = self._objects.count()
        s.first_date = self.first[1] if self.first else None
        s.last_date = self.last[1] if self.last else None
        return s

    def close(self) -> None:
        """Remove the distinct counter's temporary runs."""
        self._objects.close()
