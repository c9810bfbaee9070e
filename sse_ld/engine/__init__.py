"""The streaming engine (see :mod:`sse_ld.engine.core`)."""

from .core import Engine, EngineResult, subclass_axioms
from .sink import Sink

__all__ = ["Engine", "EngineResult", "Sink", "subclass_axioms"]
