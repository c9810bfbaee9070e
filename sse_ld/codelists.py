"""The code lists a package can use: the SKOS concept schemes bundled with sse_ld (and any a
package brings), with their codes and labels, for people choosing a code.

A code is the ``skos:notation`` of a concept; a code-list column of a package must hold one
(see the mapping's ``codeList``). New codes are added to the scheme, with their source, by
the maintainers of the ontology: the contributor guide says how to ask.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import URIRef
from rdflib.namespace import SKOS

from .mapping import Vocabulary, load_vocabulary

__all__ = ["Code", "CodeList", "code_lists"]


@dataclass(frozen=True, slots=True)
class Code:
    """One code of a list: what to write in the cell, and what it means."""

    notation: str
    iri: str
    label: str
    broader: str | None = None


@dataclass(frozen=True, slots=True)
class CodeList:
    """A code list (SKOS concept scheme) with its codes, sorted by notation."""

    iri: str
    label: str
    definition: str
    codes: tuple[Code, ...]


def _text(vocabulary: Vocabulary, subject: str, predicate: URIRef, lang: str) -> str:
    found: dict[str, str] = {}
    for o in vocabulary.graph.objects(URIRef(subject), predicate):
        found.setdefault(getattr(o, "language", None) or "", str(o))
    return found.get(lang) or found.get("en") or found.get("es") or found.get("") or ""


def code_lists(lang: str = "en", vocabulary: Vocabulary | None = None) -> list[CodeList]:
    """Every code list known (the bundled ones by default), in IRI order, labelled in ``lang``."""
    vocabulary = vocabulary or load_vocabulary()
    notation_of = {iri: n for scheme in vocabulary.schemes.values() for n, iri in scheme.items()}
    out = []
    for scheme, concepts in sorted(vocabulary.schemes.items()):
        codes = []
        for notation, iri in sorted(concepts.items()):
            broader = next(iter(vocabulary.graph.objects(URIRef(iri), SKOS.broader)), None)
            codes.append(
                Code(
                    notation,
                    iri,
                    _text(vocabulary, iri, SKOS.prefLabel, lang),
                    notation_of.get(str(broader)) if broader is not None else None,
                )
            )
        out.append(
            CodeList(
                scheme,
                _text(vocabulary, scheme, SKOS.prefLabel, lang),
                _text(vocabulary, scheme, SKOS.definition, lang),
                tuple(codes),
            )
        )
    return out
