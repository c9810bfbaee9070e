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

from .buildprov import publish_build_provenance
from .catalog import publish_catalog
from .context import BuildContext, Publisher
from .dumps import open_dumps, publish_context, publish_ontology, publish_report
from .files import publish_gzip, publish_queries, publish_shapes
from .ontology_docs import publish_ontology_docs
from .schemaorg import publish_schemaorg
from .void import publish_void

#: The publishers of a build, in the order they run: the dumps first, then what describes
#: them (VoID, build provenance, the DCAT catalog and schema.org read the dumps' sizes and
#: checksums), the report last.
PUBLISHERS: list[Publisher] = [
    publish_context,
    publish_ontology,
    publish_ontology_docs,
    publish_shapes,
    publish_gzip,
    publish_queries,
    publish_void,
    publish_build_provenance,
    publish_catalog,
    publish_schemaorg,
    publish_report,
]

__all__ = ["PUBLISHERS", "BuildContext", "Publisher", "open_dumps"]
