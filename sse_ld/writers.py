"""Streaming RDF writers: N-Triples, Turtle and JSON-LD, one subject block at a time.

A :class:`Serializer` turns a block ``(subject, [(predicate, object), ...])`` into its
N-Triples lines, its Turtle paragraph and its JSON-LD node object, caching the spelling of
predicates, datatypes and namespaces so that a million rows stay fast. Nothing holds the
graph: a dump is a header, then the blocks in the order they come, then a footer. The
order is the caller's (the build uses the canonical streaming order, see
docs/publishing-order in the README); within a block, ``rdf:type`` comes first and triples
keep the mapping's order, grouped by predicate in Turtle and JSON-LD. Output is UTF-8 with
``\\n`` line ends and no timestamps, so the same blocks give the same bytes.
"""

from __future__ import annotations

import json
import re
import string
from collections.abc import Callable, Iterable, Mapping
from typing import IO, Any, NamedTuple, TypeAlias

from .terms import RDF_TYPE, XSD, XSD_STRING, Block, Obj, escape_literal, nt_object

__all__ = [
    "PrefixMap",
    "Serializer",
    "Spelled",
    "Spelling",
    "jsonld_context",
    "write_jsonld",
    "write_ntriples",
    "write_turtle",
]

# A conservative PN_LOCAL: letters, digits, '_', '-' and inner '.'; no '/', ':' or '%',
# which some Turtle parsers handle differently.
_LOCAL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?\Z|\Z")
_TTL_INTEGER = re.compile(r"[+-]?[0-9]+\Z")
_TTL_DECIMAL = re.compile(r"[+-]?[0-9]*\.[0-9]+\Z")
_TTL_BOOLEAN = re.compile(r"(?:true|false)\Z")
_BARE = {XSD + "integer": _TTL_INTEGER, XSD + "decimal": _TTL_DECIMAL}
# Characters that N-Triples and Turtle strings escape (see terms.escape_literal).
_NEEDS_ESCAPE = re.compile(r'[\x00-\x1f"\\\x7f]')
# The characters json.dumps(ensure_ascii=False) escapes; strings without them are quoted as is.
_JSON_ESCAPED = re.compile(r'["\\\x00-\x1f]')
_CACHE_LIMIT = 30_000  # entries per cache: a few MB, enough for every code-list concept


def _json_string(text: str) -> str:
    return f'"{text}"' if _JSON_ESCAPED.search(text) is None else json.dumps(text, ensure_ascii=False)


class _Cache(dict[str, str]):
    """A dict that forgets everything when it grows too large (bounded memory)."""

    def put(self, key: str, value: str) -> str:
        if len(self) >= _CACHE_LIMIT:
            self.clear()
        self[key] = value
        return value


class PrefixMap:
    """Prefixes for compact names. Namespaces end in ``/`` or ``#``; an IRI is compacted
    with the namespace ending at its last ``/`` or ``#`` (Turtle), or at any of them,
    longest first (JSON-LD, whose compact IRIs may contain ``/``)."""

    def __init__(self, prefixes: Mapping[str, str]) -> None:
        self.prefixes = dict(sorted(prefixes.items()))
        by_ns: dict[str, str] = {}
        for p, ns in self.prefixes.items():
            if ns.endswith(("/", "#")):
                by_ns.setdefault(ns, p)  # the first prefix in name order wins a shared namespace
        self._by_ns = by_ns
        self._ttl: dict[str, str] = {}

    def split(self, iri: str) -> tuple[str, str] | None:
        """``(prefix, local)`` for ``iri`` if a prefix fits with a safe Turtle local part."""
        cut = max(iri.rfind("/"), iri.rfind("#")) + 1
        prefix = self._by_ns.get(iri[:cut]) if cut else None
        if prefix is not None and _LOCAL.match(iri[cut:]):
            return prefix, iri[cut:]
        return None

    def turtle(self, iri: str) -> str:
        """The Turtle spelling of an IRI: a prefixed name if one fits, else ``<iri>``."""
        hit = self.split(iri)
        return f"{hit[0]}:{hit[1]}" if hit else f"<{iri}>"

    def both(self, iri: str) -> tuple[str, str]:
        """The Turtle spelling of an IRI and its JSON-LD compact IRI as a JSON string."""
        hit = self.split(iri)
        if hit is not None and hit[1]:
            # The namespace ending at the last '/' or '#' is also the longest JSON-LD can use.
            name = hit[0] + ":" + hit[1]
            return name, _json_string(name)
        return self.turtle(iri), _json_string(self.jsonld(iri))

    def jsonld(self, iri: str) -> str:
        """The compact IRI used in JSON-LD: the longest namespace, any suffix except one that
        starts with ``//`` (which JSON-LD would read as an absolute IRI)."""
        pos = len(iri)
        while True:
            pos = max(iri.rfind("/", 0, pos), iri.rfind("#", 0, pos))
            if pos < 0:
                return iri
            prefix = self._by_ns.get(iri[: pos + 1])
            if prefix is not None and pos + 1 < len(iri) and not iri[pos + 1 :].startswith("//"):
                return f"{prefix}:{iri[pos + 1 :]}"


def jsonld_context(prefixes: Mapping[str, str]) -> dict[str, Any]:
    """The JSON-LD context of the dumps: the prefixes, sorted."""
    return {"@context": dict(sorted(prefixes.items()))}


#: An object's spellings: N-Triples, Turtle, JSON-LD value, JSON-LD ``@type`` entry ("" for a literal).
Spelled: TypeAlias = tuple[str, str, str, str]


def _braces(text: str) -> str:
    """``text`` as literal text of a format string."""
    return text.replace("{", "{{").replace("}", "}}")


class Spelling(NamedTuple):
    """A block in the three syntaxes, with what the VoID counts need."""

    nt: str  #: its N-Triples lines
    ttl: str  #: its Turtle paragraph
    jsonld: str  #: its JSON-LD node object
    objects: list[Spelled]  #: each object's spellings, in the order of the block's pairs
    predicates: tuple[str, ...]  #: the block's sequence of predicates


class _Recipe:
    """How to spell every block with one sequence of predicates.

    ``nt``, ``ttl`` and ``jsonld`` are format strings: field 0 is the subject's spelling,
    field ``i`` the spellings of the ``i``-th object (``{i[k]}`` picks one). Once a sequence
    has been met :data:`_COMPILE_AFTER` times, the three are compiled into one function of
    f-strings (:func:`_compile`): ``str.format`` parses its format string on every call,
    an f-string was parsed when compiled, and the recipes of a resource are few.
    """

    __slots__ = ("jsonld", "nt", "spell", "ttl", "types", "uses")

    def __init__(self, nt: str, ttl: str, jsonld: str, types: tuple[int, ...]) -> None:
        self.nt, self.ttl, self.jsonld = nt, ttl, jsonld
        self.types = types  #: positions of the rdf:type objects, whose "@type" entry is used
        self.uses = 0
        self.spell: Callable[..., tuple[str, str, str]] | None = None


#: Blocks spelled with a recipe's format strings before it is compiled: compiling a recipe of
#: 13 predicates costs about as much as spelling sixty such blocks (530 µs against 8.6 µs), so
#: a sequence of predicates met only a few times is not compiled.
_COMPILE_AFTER = 64
_FIELD = re.compile(r"([0-9]+)(?:\[([0-9])\])?\Z")


def _compile(recipe: _Recipe, width: int) -> Callable[..., tuple[str, str, str]]:
    """The recipe's three format strings as one function ``(subject_nt, subject_ttl,
    subject_json, *objects) -> (nt, ttl, jsonld)`` made of f-strings.

    The generated source holds only argument names and digits: the text between fields
    (IRIs, punctuation) is passed as keyword defaults, so nothing from the data or the
    mapping is ever parsed as code.
    """
    constants: list[str] = []
    bodies: list[str] = []
    for syntax, template in enumerate((recipe.nt, recipe.ttl, recipe.jsonld)):
        parts: list[str] = []
        for text, name, _spec, _conversion in string.Formatter().parse(template):
            if text:
                parts.append(f"{{_k{len(constants)}}}")
                constants.append(text)
            if name is not None:
                m = _FIELD.match(name)
                if m is None:  # pragma: no cover - the recipes only hold such fields
                    raise ValueError(f"unexpected field {name!r} in a recipe")
                index, item = m.groups()
                parts.append(f"{{s{syntax}}}" if index == "0" else f"{{a{index}[{item}]}}")
        bodies.append('f"' + "".join(parts) + '"')
    arguments = ", ".join(["s0", "s1", "s2", *(f"a{i}" for i in range(1, width + 1))])
    defaults = "".join(f", _k{i}=_k{i}" for i in range(len(constants)))
    source = f"def spell({arguments}{', *' if defaults else ''}{defaults}):\n    return ({', '.join(bodies)})\n"
    namespace: dict[str, Any] = {f"_k{i}": text for i, text in enumerate(constants)}
    exec(compile(source, "<sse_ld.writers recipe>", "exec"), namespace)  # only names and digits: see the docstring
    spell: Callable[..., tuple[str, str, str]] = namespace["spell"]
    return spell


class _Decoration(NamedTuple):
    """What surrounds the lexical form of a literal of one datatype or language."""

    nt: str  #: N-Triples suffix
    ttl: str  #: Turtle suffix (when the literal is not written bare)
    json_prefix: str
    json_suffix: str
    bare: re.Pattern[str] | None  #: the lexical forms Turtle writes without quotes
    same_ttl: bool  #: Turtle spells these literals exactly as N-Triples does


class Serializer:
    """Spells subject blocks in N-Triples, Turtle and JSON-LD, with caches for speed."""

    def __init__(self, prefixes: Mapping[str, str]) -> None:
        self.pm = PrefixMap(prefixes)
        self._pred_ttl: dict[str, str] = {RDF_TYPE: "a"}
        self._pred_json: dict[str, str] = {}
        self._dt_ttl: dict[str, str] = {}
        self._dt_json: dict[str, str] = {}
        self._obj_json = _Cache()
        self._obj_ttl = _Cache()
        self._iri3: dict[str, tuple[str, str, str]] = {}
        self._objects: dict[Obj, Spelled] = {}
        self._predicates: dict[str, tuple[str, str, str]] = {}
        self._deco: dict[str, _Decoration] = {}
        self._recipes: dict[tuple[str, ...], _Recipe] = {}

    # -- all three at once (the build's hot path) ------------------------------------------

    def _iri_spellings(self, iri: str) -> tuple[str, str, str]:
        hit = self._iri3.get(iri)
        if hit is None:
            ttl, js = self.pm.both(iri)
            hit = (f"<{iri}>", ttl, '{"@id": ' + js + "}")
            if len(self._iri3) >= _CACHE_LIMIT:
                self._iri3.clear()
            self._iri3[iri] = hit
        return hit

    def _decoration(self, datatype: str, lang: str) -> _Decoration:
        """How a literal of this datatype or language is spelled in each syntax (cached
        under the language tag, or the datatype when there is none: a tag holds no ``:``,
        a datatype IRI does, so the two kinds of key cannot meet)."""
        if lang:
            hit = _Decoration(f'"@{lang}', f'"@{lang}', '{"@value": ', f', "@language": "{lang}"}}', None, True)
        elif datatype == XSD_STRING:
            hit = _Decoration('"', '"', "", "", None, True)
        else:
            bare: Any = _BARE.get(datatype)
            if datatype == XSD + "boolean":
                bare = _TTL_BOOLEAN
            dt_json = self._json_iri(datatype)
            ttl_suffix = '"^^' + self.pm.turtle(datatype)
            hit = _Decoration(f'"^^<{datatype}>', ttl_suffix, '{"@value": ', f', "@type": {dt_json}}}', bare, False)
        self._deco[lang or datatype] = hit
        return hit

    def _spell_object(self, o: Obj) -> Spelled:
        """An object's (N-Triples, Turtle, JSON-LD value, JSON-LD ``@type`` entry) spellings, cached."""
        if o.__class__ is str:
            nt, ttl, js = self._iri_spellings(o)
            out = (nt, ttl, js, js[8:-1])
        else:
            lexical, datatype, lang = o  # type: ignore[str-unpack]
            deco = self._deco.get(lang or datatype) or self._decoration(datatype, lang)
            if _NEEDS_ESCAPE.search(lexical) is None:  # then JSON escapes nothing either
                esc, quoted = lexical, '"' + lexical + '"'
            else:
                esc, quoted = escape_literal(lexical), _json_string(lexical)
            nt = '"' + esc + deco.nt
            if deco.same_ttl:  # text: Turtle spells it as N-Triples does
                ttl = nt
            elif deco.bare is not None and deco.bare.match(lexical):
                ttl = lexical
            else:
                ttl = '"' + esc + deco.ttl
            out = (nt, ttl, deco.json_prefix + quoted + deco.json_suffix, "")
        cache = self._objects
        if len(cache) >= _CACHE_LIMIT:
            cache.clear()
        cache[o] = out
        return out

    def _predicate(self, p: str) -> tuple[str, str, str]:
        """A predicate's N-Triples spelling with a space after it, Turtle verb and JSON-LD key."""
        out = (f"<{p}> ", "a" if p == RDF_TYPE else self.pm.turtle(p), self._json_iri(p))
        self._predicates[p] = out
        return out

    def spell(self, subject: str, pairs: list[tuple[str, Obj]]) -> Spelling:
        """A block's N-Triples lines, Turtle paragraph and JSON-LD node at once (what
        :meth:`ntriples`, :meth:`turtle` and :meth:`jsonld` give), with each object's
        spellings (in the order of ``pairs``; the first item of each is its N-Triples
        spelling) and the block's sequence of predicates.

        A block's layout in each syntax follows from its sequence of predicates alone, which
        most blocks share (every row of a resource gives the same one, but for empty cells).
        So the layout is built once per sequence as three format strings, with a field for
        each object's spelling (:class:`_Recipe`), and a block costs a spelling per object
        and three ``str.format`` calls; a sequence met often is compiled into f-strings,
        which skip parsing the format strings.
        """
        objects = self._objects
        spelled = [objects.get(o) or self._spell_object(o) for _p, o in pairs]
        key = tuple([p for p, _o in pairs])
        recipe = self._recipes.get(key)
        if recipe is None:
            recipe = self._recipe(key)
        for i in recipe.types:
            if not spelled[i][3]:  # a literal as rdf:type: no "@type" entry, spelled triple by triple
                block = (subject, pairs)
                return Spelling(self.ntriples(block), self.turtle(block), self.jsonld(block), spelled, key)
        known = self._iri3.get(subject)  # a nested node's IRI was just spelled as its parent's object
        if known is not None:
            s_ttl, s_json = known[1], known[2][8:-1]
        else:
            s_ttl, s_json = self.pm.both(subject)
        fast = recipe.spell
        if fast is not None:
            return Spelling(*fast("<" + subject + "> ", s_ttl, s_json, *spelled), spelled, key)
        recipe.uses += 1
        if recipe.uses >= _COMPILE_AFTER:
            recipe.spell = _compile(recipe, len(key))
        return Spelling(
            recipe.nt.format("<" + subject + "> ", *spelled),
            recipe.ttl.format(s_ttl, *spelled),
            recipe.jsonld.format(s_json, *spelled),
            spelled,
            key,
        )

    def _recipe(self, key: tuple[str, ...]) -> _Recipe:
        """The format strings of blocks with this sequence of predicates (cached)."""
        for p in key:
            if p not in self._predicates:
                self._predicate(p)
        predicates = self._predicates
        groups: dict[str, list[int]] = {}
        json_groups: dict[str, list[int]] = {}
        types: list[int] = []
        for i, p in enumerate(key, start=1):
            groups.setdefault(p, []).append(i)
            if p == RDF_TYPE:
                types.append(i)
            else:
                json_groups.setdefault(p, []).append(i)
        nt = "".join("{0}" + _braces(predicates[p][0]) + f"{{{i}[0]}} .\n" for i, p in enumerate(key, start=1))
        verbs = [_braces(predicates[p][1]) + " " + ", ".join(f"{{{i}[1]}}" for i in at) for p, at in groups.items()]
        ttl = "\n{0} " + " ;\n    ".join(verbs) + " .\n"

        def listed(fields: list[str]) -> str:
            return fields[0] if len(fields) == 1 else "[" + ", ".join(fields) + "]"

        js = ['{{"@id": {0}']
        if types:
            js.append(', "@type": ' + listed([f"{{{i}[3]}}" for i in types]))
        for p, at in json_groups.items():
            js.append(", " + _braces(predicates[p][2]) + ": " + listed([f"{{{i}[2]}}" for i in at]))
        js.append("}}")
        recipe = _Recipe(nt, ttl, "".join(js), tuple(i - 1 for i in types))
        if len(self._recipes) >= _CACHE_LIMIT:
            self._recipes.clear()
        self._recipes[key] = recipe
        return recipe

    # -- N-Triples ----------------------------------------------------------------------

    @staticmethod
    def ntriples(block: Block) -> str:
        """The N-Triples lines of a block (canonical form, ``\\n`` after each)."""
        subject, pairs = block
        s = f"<{subject}> "
        return "".join([f"{s}<{p}> {nt_object(o)} .\n" for p, o in pairs])

    # -- Turtle -------------------------------------------------------------------------

    def turtle_header(self, comment: str = "") -> str:
        """Comment lines, then the ``@prefix`` lines."""
        head = "".join(f"# {line}\n" if line else "#\n" for line in comment.splitlines())
        return head + "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in self.pm.prefixes.items())

    def _ttl_object(self, o: Obj) -> str:
        if isinstance(o, str):
            hit = self._obj_ttl.get(o)
            return hit if hit is not None else self._obj_ttl.put(o, self.pm.turtle(o))
        lexical, datatype, lang = o
        if lang:
            return f'"{escape_literal(lexical)}"@{lang}'
        if datatype == XSD_STRING:
            return f'"{escape_literal(lexical)}"'
        bare = _BARE.get(datatype)
        if bare is not None and bare.match(lexical):
            return lexical
        if datatype == XSD + "boolean" and lexical in ("true", "false"):
            return lexical
        dt = self._dt_ttl.get(datatype)
        if dt is None:
            dt = self._dt_ttl[datatype] = self.pm.turtle(datatype)
        return f'"{escape_literal(lexical)}"^^{dt}'

    def turtle(self, block: Block) -> str:
        """The Turtle paragraph of a block: a blank line, the subject, its predicates grouped."""
        subject, pairs = block
        groups: dict[str, list[str]] = {}
        for p, o in pairs:
            groups.setdefault(p, []).append(self._ttl_object(o))
        parts = []
        for p, objects in groups.items():
            verb = self._pred_ttl.get(p)
            if verb is None:
                verb = self._pred_ttl[p] = self.pm.turtle(p)
            parts.append(f"{verb} {', '.join(objects)}")
        return f"\n{self.pm.turtle(subject)} " + " ;\n    ".join(parts) + " .\n"

    # -- JSON-LD ------------------------------------------------------------------------

    def jsonld_header(self) -> str:
        """The start of the JSON-LD document: the context inline, then ``@graph``."""
        ctx = json.dumps(jsonld_context(self.pm.prefixes)["@context"], ensure_ascii=False, indent=2)
        return '{\n"@context": ' + ctx + ',\n"@graph": ['

    @staticmethod
    def jsonld_footer() -> str:
        """The end of the JSON-LD document."""
        return "\n]\n}\n"

    def _json_iri(self, iri: str) -> str:
        return _json_string(self.pm.jsonld(iri))

    def _json_value(self, o: Obj) -> str:
        if isinstance(o, str):
            hit = self._obj_json.get(o)
            return hit if hit is not None else self._obj_json.put(o, '{"@id": ' + self._json_iri(o) + "}")
        lexical, datatype, lang = o
        value = _json_string(lexical)
        if lang:
            return '{"@value": ' + value + ', "@language": "' + lang + '"}'
        if datatype == XSD_STRING:
            return value
        dt = self._dt_json.get(datatype)
        if dt is None:
            dt = self._dt_json[datatype] = self._json_iri(datatype)
        return '{"@value": ' + value + ', "@type": ' + dt + "}"

    def jsonld(self, block: Block) -> str:
        """The JSON-LD node object of a block, on one line (without a separator)."""
        subject, pairs = block
        types: list[str] = []
        groups: dict[str, list[str]] = {}
        for p, o in pairs:
            if p == RDF_TYPE and isinstance(o, str):
                t = self._pred_json.get(o)  # classes are few: cached with the predicates
                types.append(t if t is not None else self._pred_json.setdefault(o, self._json_iri(o)))
                continue
            key = self._pred_json.get(p)
            if key is None:
                key = self._pred_json[p] = self._json_iri(p)
            groups.setdefault(key, []).append(self._json_value(o))
        out = ['{"@id": ', self._json_iri(subject)]
        if types:
            out.append(', "@type": ' + (types[0] if len(types) == 1 else "[" + ", ".join(types) + "]"))
        for key, values in groups.items():
            out.append(", " + key + ": " + (values[0] if len(values) == 1 else "[" + ", ".join(values) + "]"))
        out.append("}")
        return "".join(out)


def write_ntriples(blocks: Iterable[Block], out: IO[str]) -> int:
    """Write N-Triples; return the number of triples."""
    n = 0
    for block in blocks:
        out.write(Serializer.ntriples(block))
        n += len(block[1])
    return n


def write_turtle(blocks: Iterable[Block], out: IO[str], prefixes: Mapping[str, str], header: str = "") -> int:
    """Write readable Turtle: comment header, sorted ``@prefix`` lines, one paragraph per subject."""
    ser = Serializer(prefixes)
    out.write(ser.turtle_header(header))
    n = 0
    for block in blocks:
        out.write(ser.turtle(block))
        n += len(block[1])
    return n


def write_jsonld(blocks: Iterable[Block], out: IO[str], prefixes: Mapping[str, str]) -> int:
    """Write compacted JSON-LD: the context inline, then one ``@graph`` node per subject."""
    ser = Serializer(prefixes)
    out.write(ser.jsonld_header())
    n = 0
    sep = "\n"
    for block in blocks:
        out.write(sep + ser.jsonld(block))
        sep = ",\n"
        n += len(block[1])
    out.write(ser.jsonld_footer())
    return n
