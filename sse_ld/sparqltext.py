"""What a SPARQL text is, read without running it: its form and whether it calls out.

``sse-ld query`` must refuse federated ``SERVICE`` calls (network access) by default and
run only read queries. Searching the text for ``SERVICE`` is not enough (it may sit in a
comment, a string, an IRI, a variable ``?service`` or a prefixed name ``ex:SERVICE``), so
:func:`scan` tokenises the text the way the SPARQL grammar does for those constructs and
looks at bare keywords only. Being conservative, an odd text that *might* hold the keyword
is treated as holding it; the real parser (Oxigraph) then rejects what is not SPARQL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["QueryText", "scan"]

_TOKEN = re.compile(
    r"""
      (?P<comment>\#[^\n\r]*)
    | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
                 |"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<var>[?$][\w\u00B7\u0300-\u036F\u203F-\u2040]+)
    | (?P<pname>(?:[^\W\d][\w.\-\u00B7]*)?:(?:[\w.\-:%\u00B7]|\\.)*)
    | (?P<word>[^\W\d_]+)
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_FORMS = {"SELECT": "select", "ASK": "ask", "CONSTRUCT": "construct", "DESCRIBE": "describe"}
_UPDATES = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}


@dataclass(frozen=True)
class QueryText:
    """What :func:`scan` found.

    Attributes:
        form: ``select``, ``ask``, ``construct``, ``describe``, ``update`` or ``None`` (unknown).
        service: the text calls ``SERVICE`` (federated query, network access).
        variables: names of the variables it mentions (without ``?``/``$``).
    """

    form: str | None
    service: bool
    variables: frozenset[str]


def scan(text: str) -> QueryText:
    """Tokenise a SPARQL query or update just enough to know its form and calls."""
    form: str | None = None
    service = False
    variables: set[str] = set()
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind == "var":
            variables.add(m.group()[1:])
        elif kind == "word":
            word = m.group().upper()
            if word == "SERVICE":
                service = True
            elif form is None and word in _FORMS:
                form = _FORMS[word]
            elif form is None and word in _UPDATES:
                form = "update"
    return QueryText(form, service, frozenset(variables))
