"""IRI templates and IRI checks.

Templates follow RFC 6570 level 2 simple and reserved expansion: ``{name}`` inserts the
cell value percent-encoded (everything but the unreserved characters ``A-Z a-z 0-9 - .
_ ~`` is encoded as UTF-8 ``%XX``), so a cell can never change the structure of the IRI;
``{+name}`` keeps reserved characters (``/ ? # : @ ...``) and valid ``%XX`` triplets, for
cells that hold a whole IRI or path. The result is checked with :func:`iri_problem`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

__all__ = ["Template", "TemplateError", "expand_curie", "iri_problem", "pct_encode"]

_UNRESERVED = re.compile(r"[A-Za-z0-9._~-]*\Z")
_RESERVED_SAFE = ":/?#[]@!$&'()*+,;=-._~%"
_BAD_PCT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
# Schemes whose links run code or embed content where a portal or a browser shows them: a
# cell that spells a whole IRI ({+website}) must not publish ``javascript:alert(1)``.
_ACTIVE_SCHEMES = frozenset({"javascript", "vbscript", "data"})
# Characters that may not appear in an IRI (RFC 3987) nor in an N-Triples IRIREF.
_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\\x7f-\x9f\ufffe\uffff]')
_PCT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_VAR = re.compile(r"\{([^{}]*)\}")
_NAME = re.compile(r"[^{}+]+\Z")


def pct_encode(value: str, reserved: bool = False) -> str:
    """Percent-encode a cell value for use inside an IRI.

    Args:
        value: the text to encode.
        reserved: keep reserved characters and valid ``%XX`` triplets (RFC 6570 ``{+x}``).
    """
    if _UNRESERVED.match(value):
        return value
    if not reserved:
        return quote(value, safe="-._~")
    return _BAD_PCT.sub("%25", quote(value, safe=_RESERVED_SAFE))


# RFC 3987 character classes (as regular-expression class bodies).
_UCS = (
    "\u00a0-\ud7ff\uf900-\ufdcf\ufdf0-\uffef\U00010000-\U0001fffd\U00020000-\U0002fffd"
    "\U00030000-\U0003fffd\U00040000-\U0004fffd\U00050000-\U0005fffd\U00060000-\U0006fffd"
    "\U00070000-\U0007fffd\U00080000-\U0008fffd\U00090000-\U0009fffd\U000a0000-\U000afffd"
    "\U000b0000-\U000bfffd\U000c0000-\U000cfffd\U000d0000-\U000dfffd\U000e1000-\U000efffd"
)
_PRIVATE = "\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd"
_UNRES = "A-Za-z0-9\\-._~" + _UCS
_SUB = "!$&'()*+,;="
_PCT_ENC = "%[0-9A-Fa-f]{2}"
_PCHAR = f"(?:[{_UNRES}{_SUB}:@]|{_PCT_ENC})"
_PARTS = re.compile(r"([^:/?#]+):(?://([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?\Z", re.S)
_USERINFO = re.compile(f"(?:[{_UNRES}{_SUB}:]|{_PCT_ENC})*\\Z")
_REG_NAME = re.compile(f"(?:[{_UNRES}{_SUB}]|{_PCT_ENC})*\\Z")
_IPV_FUTURE = re.compile(f"v[0-9A-Fa-f]+\\.[{_UNRES[: -len(_UCS)]}{_SUB}:]+\\Z")
_PATH = re.compile(f"(?:{_PCHAR}|/)*\\Z")
_QUERY = re.compile(f"(?:{_PCHAR}|[/?{_PRIVATE}])*\\Z")
_FRAGMENT = re.compile(f"(?:{_PCHAR}|[/?])*\\Z")


def _host_problem(host: str) -> str | None:
    if host.startswith("["):
        inner = host[1:-1] if host.endswith("]") else None
        if inner is None:
            return "its host starts with '[' but has no closing ']'"
        if _IPV_FUTURE.match(inner):
            return None
        if "%" in inner:
            return f"its host [{inner}] has a zone index, which an IRI cannot have"
        import ipaddress

        try:
            ipaddress.IPv6Address(inner)
        except ValueError:
            return f"its host [{inner}] is not an IPv6 address"
        return None
    if not _REG_NAME.match(host):
        return f"its host {host!r} contains a character a host name cannot have"
    return None


def iri_problem(iri: str) -> str | None:
    """Why ``iri`` is not a valid absolute IRI (RFC 3987), or ``None`` if it is.

    Checks a scheme, no character RFC 3987 forbids (spaces, ``<>"{}|^`\\``, control
    characters, non-characters), well-formed percent-encoding, and the syntax of each part
    (``[`` only around an IPv6 host, a numeric port, one ``#``), as strict parsers such as
    Oxigraph's require, so that every published IRI reads the same in every parser. The
    ``javascript:``, ``vbscript:`` and ``data:`` schemes are refused: valid IRIs, but links
    that run code or embed content when a portal shows them.
    """
    m_scheme = _SCHEME.match(iri)
    if not m_scheme:
        return "it has no scheme (an absolute IRI starts with e.g. 'https:')"
    scheme = iri[: m_scheme.end() - 1].lower()
    if scheme in _ACTIVE_SCHEMES:
        return f"its scheme '{scheme}:' makes a link that runs code or embeds content in a browser"
    bad = _FORBIDDEN.search(iri)
    if bad:
        return f"it contains the character {bad.group()!r}, which is not allowed in an IRI"
    if _PCT.search(iri):
        return "it contains a '%' that is not followed by two hexadecimal digits"
    try:
        iri.encode("utf-8")
    except UnicodeEncodeError:
        return "it contains an invalid Unicode character (a lone surrogate)"
    m = _PARTS.match(iri)
    if m is None:
        return "it is not a valid IRI"
    _scheme, authority, path, query, fragment = m.groups()
    if authority is not None:
        userinfo, at, hostport = authority.rpartition("@")
        if at and not _USERINFO.match(userinfo):
            return "its user part contains a character that is not allowed there"
        host, port = hostport, ""
        if hostport.startswith("["):
            end = hostport.find("]")
            if end >= 0:
                host, port = hostport[: end + 1], hostport[end + 1 :]
                if port and not port.startswith(":"):
                    return "its host is followed by something other than ':port'"
                port = port[1:]
        elif ":" in hostport:
            host, _, port = hostport.partition(":")
        if port and not (port.isascii() and port.isdigit()):
            return f"its port {port!r} is not a number"
        problem = _host_problem(host)
        if problem:
            return problem
    elif path.startswith("//"):
        return "its path starts with '//'"
    if not _PATH.match(path):
        return "its path contains a character that is not allowed there (such as '[', ']' or a non-character)"
    if query is not None and not _QUERY.match(query):
        return "its query contains a character that is not allowed there (such as '[' or ']')"
    if fragment is not None and not _FRAGMENT.match(fragment):
        return "its fragment contains a character that is not allowed there (such as a second '#', '[' or ']')"
    return None


class TemplateError(ValueError):
    """A template string is malformed (unbalanced braces, empty or bad variable)."""


@dataclass(frozen=True, slots=True)
class Template:
    """A parsed IRI or literal template such as ``department/{inei}`` or ``{+website}``.

    Attributes:
        source: the template text as written.
        parts: literal text and variables alternately: ``str`` for text,
            ``(name, reserved)`` for a variable.
    """

    source: str
    parts: tuple[str | tuple[str, bool], ...]

    @classmethod
    def parse(cls, source: str) -> Template:
        """Parse a template; raise :class:`TemplateError` with the reason if malformed."""
        parts: list[str | tuple[str, bool]] = []
        pos = 0
        for m in _VAR.finditer(source):
            text = source[pos : m.start()]
            if "{" in text or "}" in text:
                raise TemplateError(f"unbalanced braces in template {source!r}")
            if text:
                parts.append(text)
            inner = m.group(1)
            reserved = inner.startswith("+")
            name = inner[1:] if reserved else inner
            if not name or not _NAME.match(name):
                raise TemplateError(f"bad variable {{{inner}}} in template {source!r}")
            parts.append((name, reserved))
            pos = m.end()
        rest = source[pos:]
        if "{" in rest or "}" in rest:
            raise TemplateError(f"unbalanced braces in template {source!r}")
        if rest:
            parts.append(rest)
        return cls(source, tuple(parts))

    @property
    def variables(self) -> tuple[str, ...]:
        """Names of the variables, in order of appearance."""
        return tuple(p[0] for p in self.parts if isinstance(p, tuple))

    def expand(self, values: dict[str, str], encode: bool = True) -> str | None:
        """Fill the template; ``None`` if a variable has no value (an empty cell).

        Args:
            values: variable name to text.
            encode: percent-encode values (IRI templates); ``False`` for literal templates.
        """
        out: list[str] = []
        for p in self.parts:
            if isinstance(p, str):
                out.append(p)
                continue
            v = values.get(p[0])
            if v is None or v == "":
                return None
            out.append(pct_encode(v, p[1]) if encode else v)
        return "".join(out)


def expand_curie(text: str, prefixes: dict[str, str], base: str | None) -> str:
    """Resolve a term written in a mapping: a CURIE (``sse:Organisation``), an absolute
    IRI (``https://...``) or, when ``base`` is given, a path relative to the base IRI.

    A declared prefix wins over a scheme of the same name, so declare no prefix called
    ``http`` or ``https``. Raises :class:`ValueError` when the text resolves to nothing.
    """
    m = _SCHEME.match(text)
    if m:
        prefix = m.group()[:-1]
        if prefix in prefixes and not text[m.end() :].startswith("//"):
            return prefixes[prefix] + text[m.end() :]
        return text
    if base is not None:
        return base + text
    raise ValueError(f"{text!r} is neither a CURIE with a declared prefix nor an absolute IRI")
