"""What a build writes.

The dumps (``<name>.nt``, ``.ttl``, ``.jsonld``) and ``provenance.nt`` are written during
the streaming pass (:func:`open_dumps`). Everything else is the work of *publishers*: a
publisher is a function ``(ctx, folder) -> None`` that writes files into the staging
:class:`~sse_ld.publish.OutputFolder` from the :class:`BuildContext`. :data:`PUBLISHERS` runs
in order after the pass (later publishers may read what earlier ones wrote, e.g. checksums
of the dumps); ``SHA256SUMS`` is written last by the folder itself. To add an output, write
a publisher and add it to the list.
"""

from __future__ import annotations

from .context import BuildContext, Publisher
from .dumps import open_dumps, publish_context, publish_ontology, publish_report

#: The publishers of a build, in the order they run.
PUBLISHERS: list[Publisher] = [publish_context, publish_ontology, publish_report]

__all__ = ["PUBLISHERS", "BuildContext", "Publisher", "open_dumps"]
