"""Release notes between two builds: what changed in the data, by class and by region.

:func:`diff_folders` merges the two main N-Triples dumps by subject, like ``comm``: one pass
over each, one subject block of each in memory at a time. A dump whose subjects are not in
sorted order (sse-ld writes them in its streaming order, see docs/performance.md) is sorted
on disk first, with bounded memory. An *entity* is a subject; it is added, removed, changed (its triples differ) or
unchanged. Counts are exact; the lists of entities and label changes keep the first
``limit`` of each kind (the counts say how many there are).

An entity's *region* is the first-level area it lies in: the area it links to (``sse:locatedIn``,
``sse:area``, ``eli:jurisdiction``), or itself for an area, followed up ``skos:broader`` to
an area of level 1; the country itself for national entities. The area hierarchy comes from
both dumps and from the ontology's region schemes (given as extra triples).
"""

from __future__ import annotations

import heapq
import re
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from .errors import InputError
from .published import BuildFolder
from .terms import RDF_TYPE
from .vocab import DCTERMS, ELI, FOAF, RDFS, SDO, SKOS, SSE

__all__ = ["DIFF_FORMAT", "BuildDiff", "diff_folders", "parse_nt_line", "render_markdown"]

#: Version of the layout of :meth:`BuildDiff.to_dict` (``--format json``).
DIFF_FORMAT = "1.0"
LABELS = (str(SKOS.prefLabel), str(RDFS.label), str(SDO.name), str(FOAF.name), str(DCTERMS.title), str(ELI.title))
AREA_LINKS = (str(SSE.locatedIn), str(SSE.area), str(ELI.jurisdiction))
BROADER = str(SKOS.broader)
LEVEL = str(SSE.administrativeLevel)
FIRST_LEVEL = str(SSE.FirstLevelArea)
AREA_CLASSES = {str(SSE.Country): 0, str(SSE.FirstLevelArea): 1, str(SSE.SecondLevelArea): 2,
                str(SSE.ThirdLevelArea): 3}  # fmt: skip
NO_REGION = ""
_LINE = re.compile(r"(<[^>]*>|_:\S+) <([^>]*)> (.*) \.\s*\Z")
_ESC = re.compile(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)")
_SIMPLE = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def parse_nt_line(line: str) -> tuple[str, str, str] | None:
    """``(subject, predicate, object spelling)`` of an N-Triples line; ``None`` for a blank
    line or a comment. The subject keeps its ``<>`` (blank nodes their ``_:``).

    Raises:
        ValueError: the line is not an N-Triples triple.
    """
    stripped = line.strip()
    if not stripped or stripped.startswith("#"):
        return None
    m = _LINE.match(stripped)
    if m is None:
        raise ValueError("not an N-Triples triple")
    return m.group(1), m.group(2), m.group(3)


def _unescape(text: str) -> str:
    def one(m: re.Match[str]) -> str:
        g = m.group(1)
        if g[0] in "uU" and len(g) > 1:
            return chr(int(g[1:], 16))
        return _SIMPLE.get(g, g)

    return _ESC.sub(one, text)


def literal_text(spelling: str) -> tuple[str, str] | None:
    """``(lexical form, language)`` of an N-Triples literal spelling; ``None`` for an IRI."""
    if not spelling.startswith('"'):
        return None
    end = spelling.rfind('"')
    tail = spelling[end + 1 :]
    return _unescape(spelling[1:end]), tail[1:] if tail.startswith("@") else ""


@dataclass
class _Side:
    """Counters of one build."""

    subjects: int = 0
    triples: int = 0
    class_entities: Counter[str] = field(default_factory=Counter)
    class_triples: Counter[str] = field(default_factory=Counter)


@dataclass
class BuildDiff:
    """What changed between two builds (see the module docstring).

    Attributes:
        old, new: the names, versions and paths of the builds.
        by_class: class -> counters (``added``, ``removed``, ``changed``, ``old_entities``,
            ``new_entities``, ``old_triples``, ``new_triples``).
        by_region: region IRI (``""`` for none) -> counters (``added``, ``removed``, ``changed``).
        region_labels: region IRI -> label.
        properties: property -> number of changed entities where its values changed.
        label_changes: (entity, property, old labels, new labels), the first ``limit``.
        entities: ``added``/``removed``/``changed`` -> (entity, class), the first ``limit``.
        counts: totals (``added``, ``removed``, ``changed``, ``unchanged``,
            ``label_changes``, ``triples_added``, ``triples_removed``).
    """

    old: dict[str, Any]
    new: dict[str, Any]
    limit: int
    by_class: dict[str, Counter[str]] = field(default_factory=dict)
    by_region: dict[str, Counter[str]] = field(default_factory=dict)
    region_labels: dict[str, str] = field(default_factory=dict)
    properties: Counter[str] = field(default_factory=Counter)
    label_changes: list[tuple[str, str, list[str], list[str]]] = field(default_factory=list)
    entities: dict[str, list[tuple[str, str]]] = field(
        default_factory=lambda: {"added": [], "removed": [], "changed": []}
    )
    counts: Counter[str] = field(default_factory=Counter)

    @property
    def identical(self) -> bool:
        """True when the two graphs hold the same triples."""
        return not (self.counts["added"] or self.counts["removed"] or self.counts["changed"])

    def to_dict(self) -> dict[str, Any]:
        """The diff as plain data (``sse-ld diff --format json``)."""
        keys = ("added", "removed", "changed", "unchanged", "label_changes", "triples_added", "triples_removed")
        return {
            "format": DIFF_FORMAT,
            "old": self.old,
            "new": self.new,
            "identical": self.identical,
            "counts": {k: self.counts[k] for k in keys},
            "by_class": [
                {
                    "class": c,
                    **{
                        k: v[k]
                        for k in (
                            "old_entities",
                            "new_entities",
                            "added",
                            "removed",
                            "changed",
                            "old_triples",
                            "new_triples",
                        )
                    },
                }
                for c, v in sorted(self.by_class.items())
            ],
            "by_region": [
                {
                    "region": r or None,
                    "label": self.region_labels.get(r),
                    **{k: v[k] for k in ("added", "removed", "changed")},
                }
                for r, v in sorted(self.by_region.items())
            ],
            "changed_properties": [{"property": p, "entities": n} for p, n in sorted(self.properties.items())],
            "label_changes": [{"entity": e, "property": p, "old": o, "new": n} for e, p, o, n in self.label_changes],
            "entities": {k: [{"entity": e, "class": c or None} for e, c in v] for k, v in self.entities.items()},
            "limit": self.limit,
        }


def _title(side: dict[str, Any]) -> str:
    return f"{side['name']} {side['version']}" if side.get("version") else f"{side['name']} ({side['path']})"


def render_markdown(diff: BuildDiff, prefixes: Mapping[str, str] | None = None) -> str:
    """The diff as Markdown release notes (IRIs shortened with ``prefixes``)."""
    from .writers import PrefixMap

    pm = PrefixMap(prefixes or {})

    def name(iri: str | None) -> str:
        if not iri:
            return "(none)"
        hit = pm.split(iri)
        return f"`{hit[0]}:{hit[1]}`" if hit else f"<{iri}>"

    c = diff.counts
    out = [f"# Release notes: {_title(diff.old)} → {_title(diff.new)}", ""]
    if diff.identical:
        out += ["The two builds hold the same triples.", ""]
        return "\n".join(out)
    out += [
        f"{c['added']} entities added, {c['removed']} removed, {c['changed']} changed, {c['unchanged']} unchanged; "
        f"{c['triples_added']} triples in added entities, {c['triples_removed']} in removed ones. "
        f"Triples: {diff.old.get('triples')} → {diff.new.get('triples')}.",
        "",
        "## By class",
        "",
        "| class | entities before | entities after | added | removed | changed | triples before | triples after |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for cls, v in sorted(diff.by_class.items()):
        out.append(
            f"| {name(cls) if cls else '(untyped)'} | {v['old_entities']} | {v['new_entities']} | {v['added']} | "
            f"{v['removed']} | {v['changed']} | {v['old_triples']} | {v['new_triples']} |"
        )
    out += ["", "## By region", "", "| region | added | removed | changed |", "| --- | ---: | ---: | ---: |"]
    for region, v in sorted(diff.by_region.items(), key=lambda kv: (kv[0] == "", diff.region_labels.get(kv[0], ""))):
        label = f"{diff.region_labels.get(region, '')} ({name(region)})" if region else "(no region)"
        out.append(f"| {label} | {v['added']} | {v['removed']} | {v['changed']} |")
    if diff.properties:
        out += ["", "## Properties whose values changed", "", "| property | entities |", "| --- | ---: |"]
        out += [f"| {name(p)} | {n} |" for p, n in sorted(diff.properties.items(), key=lambda kv: (-kv[1], kv[0]))]
    if c["label_changes"]:
        shown = len(diff.label_changes)
        out += [
            "",
            f"## Label changes ({c['label_changes']}{f', first {shown} shown' if shown < c['label_changes'] else ''})",
            "",
        ]
        for e, p, old, new in diff.label_changes:
            out.append(f"- {name(e)} {name(p)}: {' / '.join(old) or '(none)'} → {' / '.join(new) or '(none)'}")
    for change in ("added", "removed", "changed"):
        items = diff.entities[change]
        if items:
            more = f", first {len(items)} shown" if len(items) < c[change] else ""
            out += ["", f"## {change.capitalize()} entities ({c[change]}{more})", ""]
            out += [f"- {name(e)}" + (f" ({name(cls)})" if cls else "") for e, cls in items]
    return "\n".join(out) + "\n"


def _blocks(path: Path, label: str) -> Iterator[tuple[str, list[tuple[str, str]]]]:
    """Subject blocks of an N-Triples file: ``(subject, sorted [(predicate, object)])``, by
    subject. A file whose subjects are not sorted is sorted on disk first."""
    if _in_order(path, label):
        yield from _grouped(_lines(path, label), label, strict=True)
        return
    with tempfile.TemporaryDirectory(prefix="sse-ld-diff-") as tmp:
        yield from _grouped(_external_sort(_lines(path, label), Path(tmp)), label, strict=False)


def _in_order(path: Path, label: str) -> bool:
    """Whether the subjects of an N-Triples file never go backwards (one quick pass)."""
    last = ""
    try:
        with path.open("r", encoding="utf-8", newline="\n") as f:
            for line in f:
                subject = line[: line.find(" ")]
                if subject < last and subject and not subject.startswith("#"):
                    return False
                last = subject if subject and not subject.startswith("#") else last
    except UnicodeDecodeError as exc:
        raise InputError(f"the {label} dump is not UTF-8 (byte {exc.start})", file=str(path)) from None
    return True


def _lines(path: Path, label: str) -> Iterator[tuple[str, str, str]]:
    try:
        with path.open("r", encoding="utf-8", newline="\n") as f:
            for n, line in enumerate(f, 1):
                try:
                    t = parse_nt_line(line)
                except ValueError:
                    raise InputError(f"line {n} is not an N-Triples triple", file=str(path)) from None
                if t is not None:
                    yield t
    except UnicodeDecodeError as exc:
        raise InputError(f"the {label} dump is not UTF-8 (byte {exc.start})", file=str(path)) from None


def _grouped(
    triples: Iterable[tuple[str, str, str]], label: str, strict: bool
) -> Iterator[tuple[str, list[tuple[str, str]]]]:
    current: str | None = None
    pairs: list[tuple[str, str]] = []
    for s, p, o in triples:
        if s != current:
            if current is not None:
                if strict and s < current:
                    raise InputError(f"the {label} dump changed while it was read", file=None)
                yield current, sorted(set(pairs))
            current, pairs = s, []
        pairs.append((p, o))
    if current is not None:
        yield current, sorted(set(pairs))


def _external_sort(
    triples: Iterable[tuple[str, str, str]], tmp: Path, chunk: int = 500_000
) -> Iterator[tuple[str, str, str]]:
    runs: list[Path] = []
    buf: list[str] = []

    def spill() -> None:
        path = tmp / f"run-{len(runs)}"
        with path.open("w", encoding="utf-8", newline="\n") as f:
            f.writelines(f"{line}\n" for line in sorted(buf))
        runs.append(path)
        buf.clear()

    for s, p, o in triples:
        buf.append(f"{s}\t<{p}>\t{o}")  # tab cannot appear unescaped in N-Triples terms
        if len(buf) >= chunk:
            spill()
    spill()
    files: list[IO[str]] = [r.open("r", encoding="utf-8", newline="\n") for r in runs]
    try:
        for line in heapq.merge(*files):
            s, p, o = line.rstrip("\n").split("\t", 2)
            yield s, p[1:-1], o
    finally:
        for f in files:
            f.close()


def _classes(pairs: list[tuple[str, str]]) -> list[str]:
    return [o[1:-1] for p, o in pairs if p == RDF_TYPE and o.startswith("<")] or [""]


def _labels(pairs: list[tuple[str, str]], prop: str) -> list[str]:
    out = []
    for p, o in pairs:
        if p == prop:
            lit = literal_text(o)
            out.append(f"{lit[0]}@{lit[1]}" if lit and lit[1] else (lit[0] if lit else o))
    return sorted(out)


class _Areas:
    """The area hierarchy, learnt from the blocks and the ontology's region schemes."""

    def __init__(self) -> None:
        self.broader: dict[str, str] = {}
        self.level: dict[str, int] = {}
        self.labels: dict[str, dict[str, str]] = {}

    def learn(self, subject: str, pairs: Iterable[tuple[str, str]]) -> None:
        s = _bare(subject)
        for p, o in pairs:
            if p == BROADER and o.startswith("<"):
                self.broader.setdefault(s, o[1:-1])
            elif p == LEVEL:
                lit = literal_text(o)
                if lit and lit[0].isdigit():
                    self.level[s] = int(lit[0])
            elif p == RDF_TYPE and o[1:-1] in AREA_CLASSES:
                self.level.setdefault(s, AREA_CLASSES[o[1:-1]])
            elif p == str(SKOS.prefLabel):
                lit = literal_text(o)
                if lit:
                    self.labels.setdefault(s, {})[lit[1]] = lit[0]  # the newest build speaks last

    def is_area(self, iri: str) -> bool:
        return iri in self.level or iri in self.broader

    def region(self, area: str) -> str:
        """The first-level area above ``area`` (itself at level 1, the top for a country)."""
        seen = set()
        node = area
        while node not in seen:
            seen.add(node)
            if self.level.get(node) == 1:
                return node
            up = self.broader.get(node)
            if up is None:
                return node
            node = up
        return node

    def label(self, iri: str) -> str:
        labels = self.labels.get(iri, {})
        return labels.get("es") or labels.get("en") or labels.get("") or next(iter(labels.values()), iri)


def _bare(term: str) -> str:
    """An IRI without its ``<>`` (blank nodes unchanged)."""
    return term[1:-1] if term.startswith("<") else term


def _area_of(s: str, pairs: list[tuple[str, str]], areas: _Areas) -> str:
    for p, o in pairs:
        if p in AREA_LINKS and o.startswith("<"):
            return o[1:-1]
    if areas.is_area(_bare(s)):
        return _bare(s)
    return NO_REGION


def _meta(build: BuildFolder) -> dict[str, Any]:
    import json

    version = None
    try:
        doc = json.loads((build.path / "schemaorg.jsonld").read_text(encoding="utf-8"))
        version = doc.get("version") if isinstance(doc, dict) else None
    except (OSError, ValueError):
        pass
    return {"path": str(build.path), "name": build.name, "version": version}


def diff_folders(
    old: BuildFolder, new: BuildFolder, *, extra: Iterable[tuple[str, str, str]] = (), limit: int = 100
) -> BuildDiff:
    """Compare the main dumps of two builds (see the module docstring).

    Args:
        old, new: the builds.
        extra: more (subject, predicate, object spelling) triples describing areas, e.g. the
            ontology's region schemes, used only to place entities in regions.
        limit: how many entities and label changes to list per kind.

    Raises:
        InputError: a dump is missing, not UTF-8 or not N-Triples.
    """
    for build in (old, new):
        if not build.dump.is_file():
            raise InputError("the build has no main N-Triples dump", file=str(build.dump))
    diff = BuildDiff(_meta(old), _meta(new), limit)
    areas = _Areas()
    grouped: dict[str, list[tuple[str, str]]] = {}
    for s, p, o in extra:
        grouped.setdefault(s, []).append((p, o))
    for s, pairs in grouped.items():
        areas.learn(s, pairs)
    sides = {"old": _Side(), "new": _Side()}
    by_class: Counter[tuple[str, str]] = Counter()  # (change, class) -> entities
    by_area: Counter[tuple[str, str]] = Counter()  # (change, area) -> entities; regions resolved at the end

    def account(side: str, s: str, pairs: list[tuple[str, str]]) -> None:
        c = sides[side]
        c.subjects += 1
        c.triples += len(pairs)
        for cls in _classes(pairs):
            c.class_entities[cls] += 1
            c.class_triples[cls] += len(pairs)

    def note(change: str, s: str, pairs: list[tuple[str, str]]) -> None:
        diff.counts[change] += 1
        classes = _classes(pairs)
        by_area[(change, _area_of(s, pairs, areas))] += 1
        for cls in classes:
            by_class[(change, cls)] += 1
        if len(diff.entities[change]) < limit:
            diff.entities[change].append((_bare(s), classes[0]))

    old_iter, new_iter = _blocks(old.dump, "old"), _blocks(new.dump, "new")
    left, right = next(old_iter, None), next(new_iter, None)
    while left is not None or right is not None:
        if right is None or (left is not None and left[0] < right[0]):
            assert left is not None
            account("old", *left)
            areas.learn(*left)
            note("removed", *left)
            diff.counts["triples_removed"] += len(left[1])
            left = next(old_iter, None)
        elif left is None or right[0] < left[0]:
            account("new", *right)
            areas.learn(*right)
            note("added", *right)
            diff.counts["triples_added"] += len(right[1])
            right = next(new_iter, None)
        else:
            account("old", *left)
            account("new", *right)
            areas.learn(*left)
            areas.learn(*right)
            if left[1] == right[1]:
                diff.counts["unchanged"] += 1
            else:
                _changed(diff, right[0], left[1], right[1])
                note("changed", *right)
            left, right = next(old_iter, None), next(new_iter, None)
    for side, c in sides.items():
        getattr(diff, side).update(subjects=c.subjects, triples=c.triples)
        for cls in set(c.class_entities):
            counters = diff.by_class.setdefault(cls, Counter())
            counters[f"{side}_entities"] += c.class_entities[cls]
            counters[f"{side}_triples"] += c.class_triples[cls]
    for (change, cls), n in by_class.items():
        diff.by_class.setdefault(cls, Counter())[change] += n
    for (change, area), n in by_area.items():
        region = areas.region(area) if area else NO_REGION
        diff.by_region.setdefault(region, Counter())[change] += n
        if region:
            diff.region_labels[region] = areas.label(region)
    return diff


def _changed(diff: BuildDiff, s: str, old: list[tuple[str, str]], new: list[tuple[str, str]]) -> None:
    old_set, new_set = set(old), set(new)
    props = {p for p, _o in old_set ^ new_set}
    for p in props:
        diff.properties[p] += 1
        if p in LABELS:
            diff.counts["label_changes"] += 1
            if len(diff.label_changes) < diff.limit:
                diff.label_changes.append((_bare(s), p, _labels(old, p), _labels(new, p)))
