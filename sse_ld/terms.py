"""RDF terms as plain Python values, and their N-Triples spelling.

The build streams millions of triples, so terms are not rdflib objects: an IRI is a
``str`` and a literal is a :class:`Lit` named tuple. Triples are grouped per subject as
``(subject, [(predicate, object), ...])`` blocks. rdflib is used where graphs are small
(SHACL, tests); the writers in :mod:`sse_ld.writers` only need these values.

The N-Triples spelling follows the canonical form of RDF 1.1/1.2 N-Triples: IRIs as
``<...>``, ``xsd:string`` literals without datatype, ECHAR escapes for ``\\b \\t \\n \\f
\\r " \\\\`` and ``\\uXXXX`` (upper-case hex) for the other control characters.
"""

from __future__ import annotations

from typing import NamedTuple, TypeAlias

__all__ = [
    "RDF_LANGSTRING",
    "RDF_TYPE",
    "XSD",
    "XSD_STRING",
    "Block",
    "Lit",
    "Obj",
    "escape_literal",
    "has_surrogates",
    "nt_object",
    "nt_triple_lines",
]

XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


class Lit(NamedTuple):
    """A literal: lexical form, datatype IRI and language tag (``""`` when none).

    Language-tagged literals have datatype ``rdf:langString``; plain strings ``xsd:string``.
    """

    lexical: str
    datatype: str = XSD_STRING
    lang: str = ""


#: An object term: an IRI (``str``) or a literal.
Obj: TypeAlias = "str | Lit"
#: All triples of one subject: ``(subject IRI, [(predicate IRI, object), ...])``.
Block: TypeAlias = "tuple[str, list[tuple[str, Obj]]]"

_ESCAPES = {
    0x08: "\\b",
    0x09: "\\t",
    0x0A: "\\n",
    0x0C: "\\f",
    0x0D: "\\r",
    0x22: '\\"',
    0x5C: "\\\\",
}
for _cp in [*range(0x00, 0x08), 0x0B, *range(0x0E, 0x20), 0x7F]:
    _ESCAPES[_cp] = f"\\u{_cp:04X}"
_TABLE = str.maketrans(_ESCAPES)


def escape_literal(text: str) -> str:
    """Escape a lexical form for a double-quoted N-Triples/Turtle string (canonical form)."""
    return text.translate(_TABLE)


def has_surrogates(text: str) -> bool:
    """True when ``text`` holds lone UTF-16 surrogates, which cannot be written as UTF-8."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def nt_object(obj: Obj) -> str:
    """The N-Triples spelling of an object term."""
    if isinstance(obj, str):
        return f"<{obj}>"
    lexical, datatype, lang = obj
    if lang:
        return f'"{escape_literal(lexical)}"@{lang}'
    if datatype == XSD_STRING:
        return f'"{escape_literal(lexical)}"'
    return f'"{escape_literal(lexical)}"^^<{datatype}>'


def nt_triple_lines(block: Block) -> list[str]:
    """The N-Triples lines (with trailing newline) of one subject block."""
    subject, pairs = block
    s = f"<{subject}> "
    return [f"{s}<{p}> {nt_object(o)} .\n" for p, o in pairs]
