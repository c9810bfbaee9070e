"""Refusing Table Schema ``pattern`` constraints that could take exponential time.

frictionless checks ``pattern`` constraints with Python's backtracking ``re`` engine, where a
pattern such as ``(a+)+$`` takes seconds on a 25-character cell and years on a 50-character
one (ReDoS). A package from a stranger chooses both the pattern and the cells, so patterns
are checked before validation: a repetition of something that can itself match in several
ways (a variable-length repetition, or alternatives that start alike) is refused, as are
backreferences. This is a structural check on the parsed pattern; it refuses the classic
exponential forms and lets the patterns real schemas use (``[0-9]{2}``, ``[A-Z]{2}-[0-9]+``,
``(es|en|qu)``) through.
"""

from __future__ import annotations

import functools
import importlib
import re
from typing import Any

try:  # the regular-expression parser: re._parser since Python 3.11, sre_parse before
    _sre: Any = importlib.import_module("re._parser")
    _c: Any = importlib.import_module("re._constants")
except ImportError:  # pragma: no cover - Python 3.10
    _sre = importlib.import_module("sre_parse")
    _c = importlib.import_module("sre_constants")

__all__ = ["pattern_problem"]

_REPEATS = {_c.MAX_REPEAT, _c.MIN_REPEAT} | ({_c.POSSESSIVE_REPEAT} if hasattr(_c, "POSSESSIVE_REPEAT") else set())
_ANY: None = None  # "could start with any character"
_CATEGORIES = {
    _c.CATEGORY_DIGIT: str.isdigit,
    _c.CATEGORY_SPACE: str.isspace,
    getattr(_c, "CATEGORY_UNI_DIGIT", _c.CATEGORY_DIGIT): str.isdigit,
    getattr(_c, "CATEGORY_UNI_SPACE", _c.CATEGORY_SPACE): str.isspace,
}


@functools.cache
def _category(category: Any) -> frozenset[int]:
    """The characters of ``\\d`` or ``\\s`` (all of Unicode's, as Python's ``re`` matches)."""
    test = _CATEGORIES[category]
    return frozenset(c for c in range(0x110000) if test(chr(c)))


def pattern_problem(pattern: str) -> str | None:
    """Why ``pattern`` is refused, or ``None`` when it is safe to run on any cell."""
    try:
        parsed = _sre.parse(pattern)
    except re.error as exc:
        return f"it is not a valid regular expression ({exc})"
    except RecursionError:
        return "it is nested too deeply"
    try:
        return _walk(list(parsed))
    except RecursionError:
        return "it is nested too deeply"


def _walk(items: list[tuple[Any, Any]]) -> str | None:
    for op, av in items:
        if op in _REPEATS:
            _low, high, body = av
            body = list(body)
            if high is _c.MAXREPEAT or high > 1:
                inner = [a for o, a in _sequence(body) if o in _REPEATS and a[0] != a[1]]
                if inner and not _delimited(body, inner):
                    return "it repeats a repetition (such as '(a+)+'), which can take exponential time"
                if _ambiguous(body):
                    return "it repeats alternatives that can match the same text (such as '(a|ab)*')"
            problem = _walk(body)
        elif op is _c.GROUPREF or op is _c.GROUPREF_EXISTS:
            return "it uses a backreference, which can take exponential time"
        elif op is _c.SUBPATTERN:
            problem = _walk(list(av[-1]))
        elif op is _c.BRANCH:
            problem = next((p for alt in av[1] if (p := _walk(list(alt)))), None)
        elif op in (_c.ASSERT, _c.ASSERT_NOT):
            problem = _walk(list(av[1]))
        elif getattr(_c, "ATOMIC_GROUP", None) is op:
            problem = _walk(list(av))
        else:
            problem = None
        if problem:
            return problem
    return None


def _sequence(items: list[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    """The items matched one after the other: groups opened, alternatives and repetitions
    kept whole."""
    out = []
    for op, av in items:
        if op is _c.SUBPATTERN:
            out.extend(_sequence(list(av[-1])))
        else:
            out.append((op, av))
    return out


def _delimited(body: list[tuple[Any, Any]], inner: list[Any]) -> bool:
    """True when each pass of the outer repetition must match a character none of the
    inner variable repetitions can (as the '-' in '([a-z]+-)*'), so passes cannot be
    split in several ways."""
    firsts = [_first(list(a[2])) for a in inner]
    inner_chars = [chars for chars in firsts if chars is not _ANY]
    if len(inner_chars) < len(firsts):
        return False  # an inner repetition of "any character" swallows every delimiter
    for op, av in _sequence(body):
        if not _mandatory(op, av) or (op in _REPEATS and av in inner):
            continue
        chars = _first([(op, av)])
        if chars is not _ANY and all(not (chars & other) for other in inner_chars):
            return True
    return False


def _mandatory(op: Any, av: Any) -> bool:
    if op in _REPEATS:
        return bool(av[0] > 0)
    return op not in (_c.AT, _c.ASSERT, _c.ASSERT_NOT)


def _flatten(items: list[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    """The items of a pattern and of the groups inside it (not inside nested repetitions)."""
    out = []
    for op, av in items:
        out.append((op, av))
        if op is _c.SUBPATTERN:
            out.extend(_flatten(list(av[-1])))
        elif op is _c.BRANCH:
            for alt in av[1]:
                out.extend(_flatten(list(alt)))
    return out


def _ambiguous(body: list[tuple[Any, Any]]) -> bool:
    """True when ``body`` holds alternatives whose first characters can coincide."""
    for op, av in _flatten(body):
        if op is _c.BRANCH:
            seen: set[int] = set()
            for alt in av[1]:
                first = _first(list(alt))
                if first is _ANY or seen & first:
                    return True
                seen |= first
    return False


def _first(items: list[tuple[Any, Any]]) -> set[int] | None:
    """The characters the pattern can start with, or ``None`` for "any" (or the empty string)."""
    if not items:
        return _ANY
    op, av = items[0]
    if op is _c.LITERAL:
        return {av}
    if op is _c.SUBPATTERN:
        return _first(list(av[-1]))
    if op is _c.IN:
        chars: set[int] = set()
        for kind, value in av:
            if kind is _c.LITERAL:
                chars.add(value)
            elif kind is _c.RANGE and value[1] - value[0] < 4096:
                chars.update(range(value[0], value[1] + 1))
            elif kind is _c.CATEGORY and value in _CATEGORIES:
                chars.update(_category(value))
            else:
                return _ANY
        return chars
    if op in _REPEATS and av[0] > 0:
        return _first(list(av[2]))
    if op is _c.BRANCH:
        out: set[int] = set()
        for alt in av[1]:
            first = _first(list(alt))
            if first is _ANY:
                return _ANY
            out |= first
        return out
    return _ANY
