"""The graph summary VoID and the catalog share.

A build counts it while the dumps are written (:class:`~sse_ld.graphstats.SummaryBuilder`
in the sink, merged across worker processes) and leaves it in ``ctx.derived``; without
one (a context built by hand), :func:`summarise` counts the N-Triples dump read back.
"""

from __future__ import annotations

from ..graphstats import REGION_CLASSES, GraphSummary, SummaryBuilder
from .context import BuildContext

__all__ = ["REGION_CLASSES", "GraphSummary", "summarise"]


def summarise(ctx: BuildContext) -> GraphSummary:
    """The summary of ``ctx``'s graph, computed on first use and shared by the publishers."""
    cached = ctx.derived.get("summary")
    if isinstance(cached, GraphSummary):
        return cached
    builder = SummaryBuilder(ctx.mapping.base, ctx.prefixes)
    try:
        for subject, pairs in ctx.blocks():
            builder.add(subject, pairs)
        summary = builder.result()
    finally:
        builder.close()
    ctx.derived["summary"] = summary
    return summary
