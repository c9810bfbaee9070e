"""The declarative mapping from tables to RDF: checking, compiling and running it.

See docs/mapping.md for the language and ``sse_ld/schemas/mapping-1.schema.json`` for its
JSON Schema.
"""

from .compile import CompiledMapping, ResourcePlan, compile_mapping, load_mapping_document
from .run import MappedBlock, Origin, RowMapper
from .vocabulary import Vocabulary, load_vocabulary

__all__ = [
    "CompiledMapping",
    "MappedBlock",
    "Origin",
    "ResourcePlan",
    "RowMapper",
    "Vocabulary",
    "compile_mapping",
    "load_mapping_document",
    "load_vocabulary",
]
