"""Value-level constraint evaluators: each factory returns a :data:`~.model.Check`.

Literal semantics follow pyshacl's (its datatype well-formedness and literal comparison), so
the compiled validator and pyshacl agree on every value.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable
from decimal import Decimal
from functools import lru_cache
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, XSD

from ..terms import Lit, Obj
from .model import Check, Hits, NodeView, rdf_literal, to_rdflib


def lexically_checked(datatype: str) -> bool:
    """Whether rdflib (so pyshacl) checks the lexical form of literals of ``datatype``; a
    literal of any other datatype (``geo:wktLiteral``, say) is always well-typed."""
    from rdflib.term import _toPythonMapping

    return URIRef(datatype) in _toPythonMapping


def always_typed(datatype: str, lang: str, rule: str) -> bool:
    """Whether a well-formed literal of this datatype/language always passes ``sh:datatype rule``."""
    if lang:
        return rule == str(RDF.langString)
    return datatype == rule


def string_of(v: Obj) -> str:
    return v if isinstance(v, str) else v.lexical


def each(test: Callable[[Obj], bool]) -> Check:
    def check(focus: str, values: list[Obj], view: NodeView) -> Hits:
        return [(v, []) for v in values if not test(v)]

    return check


def node_kind_check(kind: Any) -> Check:
    iri_ok = kind in (SH.IRI, SH.BlankNodeOrIRI, SH.IRIOrLiteral)
    lit_ok = kind in (SH.Literal, SH.BlankNodeOrLiteral, SH.IRIOrLiteral)
    return each(lambda v: iri_ok if isinstance(v, str) else lit_ok)


def datatype_check(rule: Any) -> Check:
    """pyshacl's DatatypeConstraintComponent: the datatype must match and the literal be well-typed."""

    def actual(value: Any) -> bool:
        if rule in (XSD.string, RDF.langString):
            return isinstance(value, (str, bytes))
        if rule == XSD.integer:
            return isinstance(value, int)
        if rule == XSD.float:
            return isinstance(value, float)
        if rule == XSD.decimal:
            return isinstance(value, Decimal)
        if rule == XSD.boolean:
            return isinstance(value, bool)
        if rule == XSD.dateTime:
            return isinstance(value, _dt.datetime)
        if rule == XSD.date:
            return isinstance(value, _dt.date)
        if rule == XSD.time:
            return isinstance(value, _dt.time)
        return True

    @lru_cache(maxsize=1 << 16)
    def literal_ok(lexical: str, datatype: str, lang: str) -> bool:
        lit = rdf_literal(lexical, datatype, lang)
        dt, language = lit.datatype, lit.language
        if dt == rule:
            return getattr(lit, "ill_typed", None) is not True and actual(lit.value)
        if rule == RDFS.Literal:
            return True
        if rule == RDFS.Datatype and dt:
            return True
        if dt is None and language is None and rule == XSD.string:
            return actual(lit.value)
        if rule == RDF.langString and language:
            return actual(lit.value)
        return False

    def check(focus: str, values: list[Obj], view: NodeView) -> Hits:
        return [(v, []) for v in values if isinstance(v, str) or not literal_ok(*v)]

    return check


_INTEGERS = {
    str(XSD[t])
    for t in (
        "integer",
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "long",
        "int",
        "short",
        "byte",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
    )
}
_INT_LEXICAL = re.compile(r"[+-]?[0-9]+\Z")


def compare_pair(other: str, test: Callable[[Any, Any], bool]) -> Check:
    """pyshacl's lessThan/lessThanOrEquals: strings compare with strings, other values by value."""

    def as_comparable(o: Obj) -> tuple[Any, bool]:
        if isinstance(o, str):
            return o, True
        if o.datatype in _INTEGERS and _INT_LEXICAL.match(o.lexical):
            return int(o.lexical), False  # the value rdflib would compare, without building a Literal
        lit = rdf_literal(o.lexical, o.datatype, o.lang)
        if isinstance(lit.value, str):
            return lit.value, True
        return lit, False

    def check(focus: str, values: list[Obj], view: NodeView) -> Hits:
        out: Hits = []
        others = list(dict.fromkeys(view.values(focus, other)))
        for v in values:
            a, a_str = as_comparable(v)
            for w in others:
                b, b_str = as_comparable(w)
                if a_str != b_str:
                    out.append((v, []))
                    continue
                if isinstance(a, int) != isinstance(b, int):  # one fast-pathed, one not: compare as rdflib does
                    a, b = (to_rdflib(v) if isinstance(v, Lit) else a), (to_rdflib(w) if isinstance(w, Lit) else b)
                try:
                    ok = bool(test(a, b))
                except TypeError:
                    ok = False
                if not ok:
                    out.append((v, []))
        return out

    return check


def min_count(low: int) -> Check:
    """sh:minCount: fewer than ``low`` values fail on the focus node."""
    return lambda focus, values, view: [(None, [])] if len(values) < low else []


def max_count(high: int) -> Check:
    """sh:maxCount: more than ``high`` values fail on the focus node."""
    return lambda focus, values, view: [(None, [])] if len(values) > high else []


def min_length(low: int) -> Check:
    """sh:minLength on the string form of each value."""
    return each(lambda v: len(string_of(v)) >= low)


def max_length(high: int) -> Check:
    """sh:maxLength on the string form of each value."""
    return each(lambda v: len(string_of(v)) <= high)


def pattern(rx: re.Pattern[str]) -> Check:
    """sh:pattern: the string form of each value must match (search, as SPARQL regex)."""
    return each(lambda v: rx.search(string_of(v)) is not None)


def language_in(ranges: list[str]) -> Check:
    """sh:languageIn: each value is a literal whose language matches one of ``ranges``."""

    def test(v: Obj) -> bool:
        if not isinstance(v, Lit) or not v.lang:
            return False
        lang = v.lang.lower()
        return any(r == "*" or lang == r or lang.startswith(r + "-") for r in ranges)

    return each(test)


def unique_lang(focus: str, values: list[Obj], view: NodeView) -> Hits:
    """sh:uniqueLang true: one failure per language used more than once."""
    seen: dict[str, int] = {}
    for v in values:
        if isinstance(v, Lit) and v.lang:
            seen[v.lang.lower()] = seen.get(v.lang.lower(), 0) + 1
    return [(None, []) for n in seen.values() if n > 1]


def member_of(allowed: set[Obj | None]) -> Check:
    """sh:in: each value must be one of ``allowed``."""
    return each(lambda v: v in allowed)


def in_range(bound: Literal, ok: Callable[[int], bool]) -> Check:
    """sh:min/maxIn/Exclusive: pyshacl's literal comparison of each value with ``bound``
    (strings compare only with strings; incomparable values fail)."""
    from pyshacl.rdfutil.compare import compare_literal

    compare: Callable[[Literal, Literal], int] = compare_literal
    bound_is_string = isinstance(bound.value, str)

    def check(focus: str, values: list[Obj], view: NodeView) -> Hits:
        out: Hits = []
        for v in values:
            flag = False
            if isinstance(v, Lit):
                lit = rdf_literal(v.lexical, v.datatype, v.lang)
                if isinstance(lit.value, str) == bound_is_string:
                    try:
                        flag = ok(compare(lit, bound))
                    except (TypeError, NotImplementedError):
                        flag = False
            if not flag:
                out.append((v, []))
        return out

    return check
