"""The build's one-call spelling of a block agrees with the three single-syntax writers.

``Serializer.spell`` lays blocks out from format strings cached per sequence of
predicates, compiled into f-strings once a sequence is met often (each test runs with the
format strings only, as built, and compiled at once); ``ntriples``, ``turtle`` and ``jsonld``
spell triple by triple. Random blocks mix repeated predicates, ``rdf:type`` with IRIs and
with a literal (no recipe then), braces (format-string syntax) in IRIs and literals,
characters each syntax escapes, and subjects met before as objects (whose spellings are
cached).
"""

from __future__ import annotations

import random

import pytest

from sse_ld import writers
from sse_ld.terms import RDF_TYPE, XSD, Lit
from sse_ld.writers import Serializer

PREFIXES = {"ex": "https://ex.org/", "exs": "https://ex.org/s/", "xsd": XSD}
PREDICATES = ["https://ex.org/p", "https://ex.org/q{x}", "urn:x:y", RDF_TYPE, "https://ex.org/s/name"]
OBJECTS: list[str | Lit] = [
    "https://ex.org/a",
    "https://ex.org/b}",
    "https://ex.org/s/",
    "urn:a:b",
    Lit('he said "{0}"\n', XSD + "string"),
    Lit("a\\b\x7f", XSD + "string"),
    Lit("12", XSD + "integer"),
    Lit("1.5", XSD + "decimal"),
    Lit("true", XSD + "boolean"),
    Lit("{x}", XSD + "string"),
    Lit("ñandú", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString", "es"),
]
SUBJECTS = ["https://ex.org/s/1", "https://ex.org/s/{2}", "urn:z", "https://ex.org/s//x"]
OBJECTS += SUBJECTS  # a subject met before as an object is spelled from the cache


@pytest.mark.parametrize("compile_after", [1, 64, 10**9], ids=["compiled", "as-built", "format-only"])
@pytest.mark.parametrize("seed", range(5))
def test_spell_equals_the_single_syntax_writers(seed: int, compile_after: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(writers, "_COMPILE_AFTER", compile_after)
    rng = random.Random(seed)
    fast = Serializer(PREFIXES)
    for _ in range(2000):
        subject = rng.choice(SUBJECTS)
        pairs = [(rng.choice(PREDICATES), rng.choice(OBJECTS)) for _ in range(rng.randint(0, 7))]
        nt, ttl, js, spelled, predicates = fast.spell(subject, pairs)
        one = Serializer(PREFIXES)  # no caches, no recipes
        assert nt == Serializer.ntriples((subject, pairs))
        assert ttl == one.turtle((subject, pairs))
        assert js == one.jsonld((subject, pairs))
        assert predicates == tuple(p for p, _o in pairs)
        assert [s[0] for s in spelled] == [line.split(" ", 2)[2][:-3] for line in nt.splitlines(keepends=True)]
