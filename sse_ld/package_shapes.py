"""SHACL shapes a package brings along, read as untrusted input.

A package may add shapes of its own to the bundled ones::

    "sse_ld": {"mapping": "mapping.json", "shapes": ["shapes/extra.ttl"]}

Shapes are code: SHACL-SPARQL constraints, targets and rules run queries (a ``SERVICE``
or ``FROM`` clause makes the validator fetch URLs; a crafted query can run for hours),
SHACL-JS runs JavaScript, and a shape that speaks about the bundled shapes can switch them
off (``sh:deactivated true``). So package shapes are held to SHACL Core unless the user
trusts the package (``--trust-package-shapes``); even then ``SERVICE``, ``FROM``, JavaScript
and statements about bundled shapes are refused. Files are Turtle only (never RDF/XML, so
no XML entities), read from inside the package with the size cap, parsed without a base
that could reach the file system, ``owl:imports`` are never followed, ``sh:pattern``
regular expressions pass the same exponential-time check as Table Schema patterns, and the
shapes must pass the SHACL-for-SHACL check.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from .errors import InputError, UnsafeInputError
from .limits import Limits
from .package import DataPackage, regular_file, safe_member
from .patterns import pattern_problem

__all__ = ["CORE_PREDICATES", "load_package_shapes"]

_SH = str(SH)
#: The ``sh:`` predicates of SHACL Core (and descriptive ones) a package may always use.
_CORE_NAMES = (
    "targetClass targetNode targetSubjectsOf targetObjectsOf property path node class datatype nodeKind "
    "minCount maxCount minExclusive minInclusive maxExclusive maxInclusive minLength maxLength pattern "
    "flags languageIn uniqueLang equals disjoint lessThan lessThanOrEquals not and or xone "
    "qualifiedValueShape qualifiedMinCount qualifiedMaxCount qualifiedValueShapesDisjoint closed "
    "ignoredProperties hasValue in name description message severity deactivated order group "
    "defaultValue inversePath alternativePath zeroOrMorePath oneOrMorePath zeroOrOnePath"
)
CORE_PREDICATES = frozenset(_SH + name for name in _CORE_NAMES.split())
_CORE_TYPES = frozenset(_SH + n for n in ("NodeShape", "PropertyShape", "Shape", "PropertyGroup"))
_SPARQL_TEXT = frozenset(_SH + n for n in ("select", "ask", "construct", "update"))
_HINT_TRUST = (
    "use SHACL Core constraints (sh:minCount, sh:pattern, sh:lessThan ...), or pass --trust-package-shapes "
    "if you wrote these shapes or trust whoever did"
)


def load_package_shapes(package: DataPackage, *, trusted: bool, limits: Limits, bundled: Graph) -> Graph | None:
    """The shapes a package declares under ``sse_ld.shapes``, checked; ``None`` when none.

    Args:
        package: the opened package.
        trusted: allow SHACL-SPARQL and SHACL-AF (still without ``SERVICE``/``FROM``).
        limits: the size cap for each file (``max_descriptor_bytes``).
        bundled: the bundled shapes, which package shapes may not speak about.

    Raises:
        InputError: a file is missing, too large, not UTF-8 Turtle, or not valid SHACL.
        UnsafeInputError: a path leaves the package, or a feature is refused.
    """
    section = package.descriptor.get("sse_ld")
    if not isinstance(section, dict) or "shapes" not in section:
        return None
    files = section["shapes"]
    where = f"{package.descriptor_file.name} /sse_ld/shapes"
    if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
        raise InputError(f"{where}: must be a list of Turtle file paths", hint='e.g. "shapes": ["shapes/extra.ttl"]')
    graph = Graph()
    for i, rel in enumerate(files):
        path = safe_member(package.root, rel, what="shapes", where=f"{where}/{i}")
        size = regular_file(path, what="the shapes file", shown=rel).st_size
        if size > limits.max_descriptor_bytes:
            raise UnsafeInputError(
                f"the shapes file is {size} bytes, more than the limit of {limits.max_descriptor_bytes}",
                file=rel,
                hint="shapes are small Turtle files; check that this is the right file",
            )
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InputError("the shapes file is not valid UTF-8", file=rel, hint="save it as UTF-8") from None
        one = Graph()
        try:
            # Turtle only (no RDF/XML entities); parsed from text with a URN base, so that
            # relative IRIs never resolve against the file system.
            one.parse(data=text, format="turtle", publicID="urn:sse-ld:package-shapes")
        except Exception as exc:  # rdflib raises many parser exception types
            raise InputError(
                f"the shapes file is not valid Turtle: {exc}", file=rel, hint="shapes files are written in Turtle"
            ) from None
        _check(one, rel, trusted, bundled)
        graph += one
    _meta_check(graph, files)
    _check_depth(graph, bundled, files)
    return graph


def _check(g: Graph, rel: str, trusted: bool, bundled: Graph) -> None:
    bundled_nodes = {s for s in bundled.subjects() if isinstance(s, URIRef)}
    # In a stable order, so that the same file always gets the same message.
    for s, p, o in sorted(g, key=lambda t: (str(t[1]), str(t[2]), str(t[0]))):
        if s in bundled_nodes:
            raise UnsafeInputError(
                f"the shapes file makes statements about the bundled shape <{s}>",
                file=rel,
                hint="package shapes may add constraints, never change or switch off the bundled ones",
            )
        if str(p).startswith(_SH + "js") or (p == RDF.type and str(o).startswith(_SH + "JS")):
            raise UnsafeInputError(
                "the shapes file uses SHACL-JS (JavaScript), which sse_ld never runs",
                file=rel,
                hint="express the constraint in SHACL Core",
            )
        if p == SH.pattern and isinstance(o, Literal) and (problem := pattern_problem(str(o))):
            raise UnsafeInputError(
                f"the sh:pattern {str(o)!r} is refused: {problem}",
                file=rel,
                hint="rewrite it without a repetition inside a repetition: '[a-z]+' instead of '([a-z]+)+'",
            )
        if str(p) in _SPARQL_TEXT:
            _check_query(str(o), rel)
        if trusted:
            continue
        if str(p).startswith(_SH) and str(p) not in CORE_PREDICATES:
            raise UnsafeInputError(
                f"the shapes file uses {_curie(p)}, which runs SPARQL or rules; package shapes are limited to "
                "SHACL Core unless trusted",
                file=rel,
                hint=_HINT_TRUST,
            )
        if p == RDF.type and str(o).startswith(_SH) and str(o) not in _CORE_TYPES:
            raise UnsafeInputError(
                f"the shapes file declares a {_curie(o)}, which runs SPARQL or rules; package shapes are limited "
                "to SHACL Core unless trusted",
                file=rel,
                hint=_HINT_TRUST,
            )


def _curie(term: Any) -> str:
    text = str(term)
    return "sh:" + text[len(_SH) :] if text.startswith(_SH) else f"<{text}>"


def _walk(node: Any) -> Iterable[str]:
    """Names of every element in a parsed SPARQL query (pyparsing results)."""
    name = getattr(node, "name", None)
    if isinstance(name, str):
        yield name
    if isinstance(node, (str, Node)):
        return
    if isinstance(node, dict):
        for value in node.values():
            yield from _walk(value)
    elif hasattr(node, "__iter__"):
        for value in node:
            yield from _walk(value)


def _check_query(text: str, rel: str) -> None:
    """Refuse a SHACL-SPARQL query that could reach the network (``SERVICE``, ``FROM``)."""
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    upper = text.upper()
    try:
        parsed: Any = parseUpdate(text) if ("INSERT" in upper or "DELETE" in upper) else parseQuery(text)
    except Exception as exc:
        raise InputError(
            f"a SPARQL query in the shapes file does not parse: {exc}",
            file=rel,
            hint="check the query against the SPARQL 1.1 grammar",
        ) from None
    names = set(_walk(parsed))
    for bad, why in (
        ("ServiceGraphPattern", "SERVICE calls another SPARQL endpoint over the network"),
        ("DatasetClause", "FROM and FROM NAMED make the validator download graphs"),
        ("Load", "LOAD downloads a graph"),
    ):
        if bad in names:
            raise UnsafeInputError(
                f"a SPARQL query in the shapes file is refused: {why}",
                file=rel,
                hint="query only the data being validated",
            )


#: Deepest nesting of shapes allowed (pySHACL 0.40 stops with an error at 15).
MAX_SHAPE_DEPTH = 12
_NESTING = (SH.node, SH.property, SH["not"], SH.qualifiedValueShape)
_NESTING_LISTS = (SH["and"], SH["or"], SH.xone)


def _list_items(g: Graph, head: Any) -> list[Any]:
    items, seen = [], set()
    while head is not None and head != RDF.nil and head not in seen:
        seen.add(head)
        first = g.value(head, RDF.first)
        if first is not None:
            items.append(first)
        head = g.value(head, RDF.rest)
    return items


def _check_depth(package: Graph, bundled: Graph, files: list[str]) -> None:
    """Refuse shapes nested deeper than :data:`MAX_SHAPE_DEPTH` or referring to themselves
    (recursive shapes, which SHACL leaves undefined), instead of letting pySHACL stop half-way."""
    g = bundled + package

    def children(shape: Any) -> list[Any]:
        out = [o for p in _NESTING for o in g.objects(shape, p)]
        return out + [i for p in _NESTING_LISTS for lst in g.objects(shape, p) for i in _list_items(g, lst)]

    depth: dict[Any, int] = {}
    for root in set(package.subjects()):
        stack: list[tuple[Any, list[Any]]] = [(root, children(root))]
        on_path = {root}
        while stack:
            node, todo = stack[-1]
            if todo:
                child = todo.pop()
                if child in on_path:
                    raise UnsafeInputError(
                        f"the package shapes refer to themselves (through <{child}>): recursive shapes are not "
                        "supported",
                        file=", ".join(files),
                        hint="write the constraint without a shape that contains itself",
                    )
                if child not in depth:
                    stack.append((child, children(child)))
                    on_path.add(child)
                continue
            stack.pop()
            on_path.discard(node)
            depth[node] = 1 + max((depth.get(c, 0) for c in children(node)), default=0)
            if depth[node] > MAX_SHAPE_DEPTH:
                raise UnsafeInputError(
                    f"the package shapes are nested {depth[node]} levels deep (at <{node}>), more than "
                    f"{MAX_SHAPE_DEPTH}",
                    file=", ".join(files),
                    hint="flatten the shapes: a few levels of sh:node and sh:property are enough",
                )


def _meta_check(graph: Graph, files: list[str]) -> None:
    from .shacl import meta_validate

    problems = meta_validate(graph)
    if problems:
        first = next((line.strip() for line in problems[0].splitlines() if "Message:" in line), problems[0][:300])
        raise InputError(
            f"the package shapes are not valid SHACL: {first}",
            file=", ".join(files),
            hint="check the shapes against the SHACL specification (https://www.w3.org/TR/shacl/)",
        )
