"""What SHACL may know about a node while rows stream by: the row's own triples, the
vocabulary (code lists, areas, classes), and which plan minted any other IRI."""

from __future__ import annotations

import hashlib
import re
from typing import TYPE_CHECKING, Any

from rdflib import URIRef

from ..errors import InternalError
from ..mapping import ResourcePlan, Vocabulary
from ..shaclc import Deferred, NodeView, from_rdflib
from ..terms import RDF_TYPE, Obj

if TYPE_CHECKING:
    from .core import Engine

__all__ = ["Registry", "RowView", "VocabView", "digest", "template_regex"]


def digest(iri: str) -> bytes:
    """A 16-byte identity of an IRI: collisions are out of reach, and it is smaller than the IRI."""
    return hashlib.blake2b(iri.encode("utf-8"), digest_size=16).digest()


def template_regex(parts: tuple[Any, ...]) -> re.Pattern[str]:
    """A regex matching exactly the IRIs a template can produce."""
    out = []
    for p in parts:
        if isinstance(p, str):
            out.append(re.escape(p))
        else:
            out.append(".*" if p[1] else r"[A-Za-z0-9._~%-]+")
    return re.compile("".join(out) + r"\Z")


class Registry:
    """Which plan minted which IRI, for the plans whose IRIs other rows link to.

    The class of a linked node is then known from its plan (its ``types``) without keeping
    the node's triples; a link to an IRI that matches a plan's template but was never
    minted points to nothing, exactly as it would in the whole graph.
    """

    def __init__(self, plans: list[ResourcePlan], referenced: set[int]) -> None:
        self.matchers: list[tuple[re.Pattern[str], int, tuple[str, ...]]] = []
        for i, plan in enumerate(plans):
            if i in referenced:
                for t in plan.subjects:
                    self.matchers.append((template_regex(t.parts), i, plan.types))
        self.minted: dict[int, set[bytes]] = {i: set() for i in referenced}
        self.done: set[int] = set()
        #: values of the properties nested shapes read, for minted nodes of referenced plans
        self.side: dict[str, dict[str, list[Obj]]] = {}
        self.any_plan = [template_regex(t.parts) for plan in plans for t in plan.subjects]
        self.any_plan += [template_regex(n.subject.parts) for plan in plans for n in plan.nodes]
        self._could: dict[str, bool] = {}
        self._types: dict[str, set[str]] = {}

    def could_mint(self, iri: str) -> bool:
        """Whether some row could describe ``iri`` (it matches a subject or node template)."""
        hit = self._could.get(iri)
        if hit is None:
            hit = any(rx.match(iri) for rx in self.any_plan)
            if len(self._could) < 100_000:
                self._could[iri] = hit
        return hit

    def add(self, plan_index: int, iri: str) -> None:
        """Record that ``plan_index`` minted ``iri`` (if other rows may link to it)."""
        bucket = self.minted.get(plan_index)
        if bucket is not None:
            bucket.add(digest(iri))

    def remember(self, iri: str, pairs: list[tuple[str, Obj]], paths: frozenset[str]) -> None:
        """Keep the values of ``paths`` of a minted node, for shapes that look into linked nodes."""
        kept: dict[str, list[Obj]] = {}
        for p, o in pairs:
            if p in paths:
                kept.setdefault(p, []).append(o)
        if kept:
            self.side[iri] = kept

    def linked_values(self, iri: str, predicate: str) -> list[Obj] | None:
        """The values of ``predicate`` on a node another row minted (kept by :meth:`remember`);
        ``None`` when the node may still be minted later (the check is then deferred).

        Raises:
            InternalError: no referenced plan could have minted it: values of such nodes are
                not kept (a shape looks into nodes sse_ld did not expect it to).
        """
        matched = False
        for rx, i, _types in self.matchers:
            if rx.match(iri):
                matched = True
                if digest(iri) in self.minted[i]:
                    return list(self.side.get(iri, {}).get(predicate, []))
                if i not in self.done:
                    return None
        if matched:
            return []
        raise InternalError(
            f"a shape needs the properties of {iri}, which another row describes; streaming validation "
            "keeps only the properties of nodes other rows link to (see docs/performance.md)"
        )

    def types(self, iri: str) -> set[str] | None:
        """Types of ``iri`` if a referenced plan minted it; ``None`` if it may still be minted.

        An answer other than ``None`` is final (every plan that could mint ``iri`` has, or
        is done), so it is remembered: a million rows linking to a hundred networks look
        each network up once."""
        hit = self._types.get(iri)
        if hit is not None:
            return hit
        out: set[str] = set()
        for rx, i, types in self.matchers:
            if rx.match(iri):
                if digest(iri) in self.minted[i]:
                    out.update(types)
                elif i not in self.done:
                    return None
        if len(self._types) >= 100_000:
            self._types.clear()
        self._types[iri] = out
        return out


class VocabView:
    """Node data from the vocabulary graph, cached per node."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.graph = vocabulary.graph
        self._cache: dict[str, dict[str, list[Obj]]] = {}
        self.subjects = {str(s) for s in self.graph.subjects() if isinstance(s, URIRef)}

    def node(self, iri: str) -> dict[str, list[Obj]]:
        """The vocabulary's triples about ``iri``, by predicate."""
        hit = self._cache.get(iri)
        if hit is None:
            hit = {}
            if iri in self.subjects:
                for p, o in self.graph.predicate_objects(URIRef(iri)):
                    obj = from_rdflib(o)
                    if obj is not None:
                        hit.setdefault(str(p), []).append(obj)
            self._cache[iri] = hit
        return hit


class RowView(NodeView):
    """Node data for SHACL while a row is checked: the row's blocks, the vocabulary, and the
    registry of minted IRIs."""

    def __init__(self, local: dict[str, dict[str, list[Obj]]], engine: Engine) -> None:
        self.local = local
        self.vocab = engine.vocab
        self.registry = engine.registry

    def _voc(self, node: str) -> dict[str, list[Obj]] | None:
        vocab = self.vocab
        return vocab.node(node) if vocab is not None and node in vocab.subjects else None

    def values(self, node: str, predicate: str) -> list[Obj]:
        mine = self.local.get(node)
        voc = self._voc(node)
        if mine is None:
            if self.registry.could_mint(node):
                linked = self.registry.linked_values(node, predicate)
                if linked is None:
                    raise Deferred(node)
                if voc and predicate in voc:
                    return list(dict.fromkeys([*linked, *voc[predicate]]))
                return linked
            return list(voc.get(predicate, [])) if voc else []
        vals = mine.get(predicate, [])
        if voc and predicate in voc:
            return list(dict.fromkeys([*vals, *voc[predicate]]))
        return vals

    def predicates(self, node: str) -> set[str]:
        preds = set(self.local.get(node, {}))
        voc = self._voc(node)
        return preds | set(voc) if voc else preds

    def types(self, node: str) -> set[str] | None:
        mine = self.local.get(node)
        voc = self._voc(node) or {}
        out = {t for t in voc.get(RDF_TYPE, []) if isinstance(t, str)}
        if mine is not None:
            return out | {t for t in mine.get(RDF_TYPE, []) if isinstance(t, str)}
        minted = self.registry.types(node)
        if minted is None:
            return None
        return out | minted

    def stable(self, node: str) -> bool:
        return node not in self.local and self._voc(node) is not None and not self.registry.could_mint(node)
