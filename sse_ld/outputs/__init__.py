"""What a build writes, one *publisher* per kind of output.

A publisher is a function ``(ctx, folder) -> None`` that writes files into the staging
:class:`~sse_ld.publish.OutputFolder` from the :class:`BuildContext`. :data:`PUBLISHERS`
runs in order (later publishers may read what earlier ones wrote, e.g. checksums of the
dumps); ``SHA256SUMS`` is written last by the folder itself. To add an output, write a
publisher and add it to the list.
"""

from __future__ import annotations

from .context import BuildContext, Publisher
from .dumps import publish_dumps, publish_ontology, publish_provenance, publish_report
from .ontology_docs import publish_ontology_docs

#: The publishers of a build, in the order they run.
PUBLISHERS: list[Publisher] = [
    publish_dumps,
    publish_provenance,
    publish_ontology,
    publish_ontology_docs,
    publish_report,
]

__all__ = ["PUBLISHERS", "BuildContext", "Publisher"]
