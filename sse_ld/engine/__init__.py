"""The streaming engine (see :mod:`sse_ld.engine.core`)."""

from .core import Engine, EngineResult, RerunSerially, subclass_axioms
from .sink import Sink

__all__ = ["Engine", "EngineResult", "RerunSerially", "Sink", "subclass_axioms"]
