"""Load a built dataset into an in-memory Oxigraph store and run SPARQL over it, as a user
of the published files would: the main N-Triples dump plus the ontology files published
beside it (so code-list labels and the data structure definitions are queryable)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox


def load_store(dist: Path) -> ox.Store:
    """A store with ``<name>.nt`` and every ``ontology/**/*.ttl`` of the build output ``dist``."""
    store = ox.Store()
    for nt in sorted(dist.glob("*.nt")):
        if nt.name != "provenance.nt":
            store.bulk_load(path=str(nt), format=ox.RdfFormat.N_TRIPLES)
    for ttl in sorted((dist / "ontology").rglob("*.ttl")):
        store.bulk_load(path=str(ttl), format=ox.RdfFormat.TURTLE)
    return store


def plain(term: object) -> object:
    """A Python value for a SPARQL result term: IRIs and strings as str, numbers as int or
    float, unbound as None; so expected answers can be written as plain tuples."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.Literal):
        dt = term.datatype.value
        if dt.endswith(("#integer", "#long", "#int", "#nonNegativeInteger")):
            return int(term.value)
        if dt.endswith("#decimal"):
            number = float(term.value)
            return int(number) if number.is_integer() else number
        return term.value
    return str(term)


def select(store: ox.Store, query: str, **bindings: str) -> list[tuple[object, ...]]:
    """Rows of a SELECT query as tuples of plain values; ``bindings`` bind variables to IRIs."""
    subs = {ox.Variable(k): ox.NamedNode(v) for k, v in bindings.items()}
    solutions = store.query(query, substitutions=subs)
    assert isinstance(solutions, ox.QuerySolutions)
    names = [v.value for v in solutions.variables]
    return [tuple(plain(s[n]) for n in names) for s in solutions]


def ask(store: ox.Store, query: str) -> bool:
    """The answer of an ASK query."""
    result = store.query(query)
    assert isinstance(result, ox.QueryBoolean)
    return bool(result)
