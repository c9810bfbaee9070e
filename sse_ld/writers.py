"""Streaming RDF writers: N-Triples, Turtle and JSON-LD from subject blocks.

The writers take subject blocks already in canonical order (see
:mod:`sse_ld.dataset`) and never hold the graph: each block is written and forgotten.
Output is deterministic: prefixes sorted, subjects and predicates in canonical order,
``rdf:type`` first, UTF-8, ``\\n`` line ends, no timestamps.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import IO, Any

from .terms import RDF_TYPE, XSD, XSD_STRING, Block, Lit, Obj, escape_literal, nt_triple_lines

__all__ = ["PrefixMap", "jsonld_context", "write_jsonld", "write_ntriples", "write_turtle"]

# A conservative PN_LOCAL: letters, digits, '_', '-' and inner '.'; no '/', ':' or '%',
# which some Turtle parsers handle differently.
_LOCAL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?\Z|\Z")
_TTL_INTEGER = re.compile(r"[+-]?[0-9]+\Z")
_TTL_DECIMAL = re.compile(r"[+-]?[0-9]*\.[0-9]+\Z")


class PrefixMap:
    """Prefixes for compact names, choosing the longest namespace that fits."""

    def __init__(self, prefixes: Mapping[str, str]) -> None:
        self.prefixes = dict(sorted(prefixes.items()))
        self._by_ns = sorted(((ns, p) for p, ns in self.prefixes.items()), key=lambda t: -len(t[0]))

    def split(self, iri: str) -> tuple[str, str] | None:
        """``(prefix, local)`` for ``iri`` if a prefix fits with a safe local part."""
        for ns, p in self._by_ns:
            if iri.startswith(ns):
                local = iri[len(ns) :]
                if _LOCAL.match(local):
                    return p, local
        return None

    def turtle(self, iri: str) -> str:
        """The Turtle spelling of an IRI: a prefixed name if one fits, else ``<iri>``."""
        hit = self.split(iri)
        return f"{hit[0]}:{hit[1]}" if hit else f"<{iri}>"

    def jsonld(self, iri: str) -> str:
        """The compact IRI used in JSON-LD (any suffix but one starting with ``//``)."""
        for ns, p in self._by_ns:
            if iri.startswith(ns) and iri != ns and not iri[len(ns) :].startswith("//"):
                return f"{p}:{iri[len(ns) :]}"
        return iri


def write_ntriples(blocks: Iterable[Block], out: IO[str]) -> int:
    """Write canonical N-Triples; return the number of triples."""
    n = 0
    for block in blocks:
        lines = nt_triple_lines(block)
        out.writelines(lines)
        n += len(lines)
    return n


def _ttl_object(o: Obj, pm: PrefixMap) -> str:
    if isinstance(o, str):
        return pm.turtle(o)
    lexical, datatype, lang = o
    if lang:
        return f'"{escape_literal(lexical)}"@{lang}'
    if datatype == XSD_STRING:
        return f'"{escape_literal(lexical)}"'
    if datatype == XSD + "integer" and _TTL_INTEGER.match(lexical):
        return lexical
    if datatype == XSD + "decimal" and _TTL_DECIMAL.match(lexical):
        return lexical
    if datatype == XSD + "boolean" and lexical in ("true", "false"):
        return lexical
    return f'"{escape_literal(lexical)}"^^{pm.turtle(datatype)}'


def write_turtle(blocks: Iterable[Block], out: IO[str], prefixes: Mapping[str, str], header: str = "") -> int:
    """Write readable Turtle: sorted ``@prefix`` lines, one paragraph per subject."""
    pm = PrefixMap(prefixes)
    if header:
        out.write("".join(f"# {line}\n" if line else "#\n" for line in header.splitlines()))
    for p, ns in pm.prefixes.items():
        out.write(f"@prefix {p}: <{ns}> .\n")
    n = 0
    for subject, pairs in blocks:
        out.write(f"\n{pm.turtle(subject)}")
        groups: dict[str, list[str]] = {}
        for p, o in pairs:
            groups.setdefault(p, []).append(_ttl_object(o, pm))
        order = sorted(groups, key=lambda p: (p != RDF_TYPE, p))
        for i, p in enumerate(order):
            verb = "a" if p == RDF_TYPE else pm.turtle(p)
            sep = " " if i == 0 else " ;\n    "
            out.write(f"{sep}{verb} {', '.join(groups[p])}")
            n += len(groups[p])
        out.write(" .\n")
    return n


def jsonld_context(prefixes: Mapping[str, str]) -> dict[str, Any]:
    """The JSON-LD context of the dumps: the prefixes, sorted."""
    return {"@context": dict(sorted(prefixes.items()))}


def _jsonld_value(o: Obj, pm: PrefixMap) -> Any:
    if isinstance(o, str):
        return {"@id": pm.jsonld(o)}
    lexical, datatype, lang = o
    if lang:
        return {"@value": lexical, "@language": lang}
    if datatype == XSD_STRING:
        return lexical
    return {"@value": lexical, "@type": pm.jsonld(datatype)}


def write_jsonld(blocks: Iterable[Block], out: IO[str], prefixes: Mapping[str, str]) -> int:
    """Write compacted JSON-LD: the context inline, then one ``@graph`` node per subject."""
    pm = PrefixMap(prefixes)
    ctx = json.dumps(jsonld_context(prefixes)["@context"], ensure_ascii=False, indent=2)
    out.write('{\n"@context": ' + ctx + ',\n"@graph": [')
    n = 0
    first = True
    for subject, pairs in blocks:
        node: dict[str, Any] = {"@id": pm.jsonld(subject)}
        types = [pm.jsonld(o) for p, o in pairs if p == RDF_TYPE and isinstance(o, str)]
        if types:
            node["@type"] = types if len(types) > 1 else types[0]
        props: dict[str, list[Any]] = {}
        for p, o in pairs:
            if p == RDF_TYPE and isinstance(o, str):
                continue
            props.setdefault(pm.jsonld(p), []).append(_jsonld_value(o, pm))
            n += 1
        n += len(types)
        for key in sorted(props):
            values = props[key]
            node[key] = values if len(values) > 1 else values[0]
        out.write(("\n" if first else ",\n") + json.dumps(node, ensure_ascii=False, separators=(",", ": ")))
        first = False
    out.write("\n]\n}\n")
    return n


def literal_for_nt(o: Lit) -> str:
    """Re-exported for tests: the N-Triples spelling of a literal."""
    from .terms import nt_object

    return nt_object(o)
