"""SHACL compiled for streaming: the shapes evaluated node by node, as pyshacl would.

pyshacl validates a whole rdflib graph; a build streams rows and never holds the graph.
This module reads the same shapes files and evaluates them on one focus node at a time,
given what that node's row knows about it (its triples), what the vocabulary knows (code
lists, areas, the class hierarchy), and which plan minted any other IRI it links to (so the
class of a linked node is known from its key). Value-level semantics reuse rdflib terms and
pyshacl's own literal comparison, so results match pyshacl's: ``tests/test_shacl_compiled.py``
checks that the set of (focus node, path, constraint component, severity) is the same as
pyshacl's on the whole graph, for every test package and a generated one.

Supported: node and property shapes with IRI paths; targets ``sh:targetClass`` (with
subclasses), implicit class targets, ``sh:targetNode`` and ``sh:targetSubjectsOf``; the core
components class, datatype, nodeKind, min/maxCount, min/max In/Exclusive, min/maxLength,
pattern (with flags), languageIn, uniqueLang, equals, disjoint, lessThan, lessThanOrEquals,
hasValue, in, closed, node, property, and, or, xone, not,
qualifiedValueShape (with min/max counts and disjointness). Anything else (complex paths,
SPARQL constraints and targets, ``sh:targetObjectsOf``) makes the shape *not compilable*: :attr:`ShapeProgram.fallback`
names those shapes, and the pipeline validates them with pyshacl instead.

The package is split by concern: :mod:`.model` (results, the node view, term conversions),
:mod:`.checks` (value-level constraint evaluators), :mod:`.compile` (shapes graph to
compiled shapes) and :mod:`.program` (targets, pruning and evaluation).
"""

from .model import Deferred, NodeView, PathFacts, Result, from_rdflib, to_rdflib
from .program import ShapeProgram

__all__ = ["Deferred", "NodeView", "PathFacts", "Result", "ShapeProgram", "from_rdflib", "to_rdflib"]
