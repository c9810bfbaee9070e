"""Reading back the N-Triples dumps sse_ld writes (canonical N-Triples, grouped by subject).

Publishers that need the graph after the streaming pass (statistics, catalogues) read the
dump rather than keep the graph in memory. This parser handles exactly the canonical form
:mod:`sse_ld.terms` writes: IRIs, and literals with ECHAR/UCHAR escapes, a language tag or a
datatype; no blank nodes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from .terms import RDF_LANGSTRING, XSD_STRING, Block, Lit, Obj

__all__ = ["parse_line", "read_blocks"]

_LINE = re.compile(r'<([^>]*)> <([^>]*)> (?:<([^>]*)>|"((?:[^"\\]|\\.)*)"(?:@([A-Za-z0-9-]+)|\^\^<([^>]*)>)?) \.\n?\Z')
_ESC = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))")
_SIMPLE = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _unescape(text: str) -> str:
    if "\\" not in text:
        return text

    def sub(m: re.Match[str]) -> str:
        if m.group(1) or m.group(2):
            return chr(int(m.group(1) or m.group(2), 16))
        return _SIMPLE[m.group(3)]

    return _ESC.sub(sub, text)


def parse_line(line: str) -> tuple[str, str, Obj]:
    """Parse one canonical N-Triples line into (subject, predicate, object)."""
    m = _LINE.match(line)
    if m is None:
        raise ValueError(f"not a canonical N-Triples line: {line!r}")
    s, p, iri, lexical, lang, datatype = m.groups()
    if iri is not None:
        return s, p, iri
    text = _unescape(lexical)
    if lang:
        return s, p, Lit(text, RDF_LANGSTRING, lang)
    return s, p, Lit(text, datatype or XSD_STRING, "")


def read_blocks(path: Path) -> Iterator[Block]:
    """The subject blocks of an N-Triples dump, in file order (consecutive lines of one subject)."""
    current: str | None = None
    pairs: list[tuple[str, Obj]] = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            s, p, o = parse_line(line)
            if s != current:
                if current is not None:
                    yield current, pairs
                current, pairs = s, []
            pairs.append((p, o))
    if current is not None:
        yield current, pairs
