"""Options shared by the pipeline's verbs (validate, build) and their outputs."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field

from .limits import Limits

__all__ = ["Options", "Progress", "Status"]

#: A callback receiving short status lines as the pipeline advances.
Progress = Callable[[str], None]


class Status(str):
    """A progress text that replaces the previous status line (a live meter) rather than
    adding a message; a progress callback may show it in place (``\\r`` on a terminal)."""


@dataclass(frozen=True)
class Options:
    """Options shared by :func:`~sse_ld.validate` and :func:`~sse_ld.build`.

    Attributes:
        base: base IRI for the dataset's resources, overriding the mapping's ``base``.
        allow_remote: accept ``http(s)://`` resource paths (downloaded with caps).
        allow_local_network: with ``allow_remote``, also download from loopback and
            private-network addresses (link-local ones stay refused).
        trust_package_shapes: let the package's own SHACL shapes use SHACL-SPARQL and
            SHACL-AF (refused by default: they run queries).
        limits: size and count caps.
        lang: preferred language of messages (``en`` or ``es``).
        progress: called with a short status line as stages advance (e.g. to print on stderr).
        workers: processes reading a large file at once (default: the number of CPUs).
        split_bytes: the size from which a file is shared among the workers (smaller files
            are read by one process: forking costs more than it saves).
        keys_in_memory: primary keys, unique values and subjects each table keeps in memory
            per process (about 130 bytes each: 600,000 subjects and as many keys are about
            150 MB); past that, they go to sorted runs on disk (:mod:`sse_ld.keyruns`), so
            memory stays flat however many rows a file has. The findings and the output do
            not depend on it.
        download_base: URL the output folder will be served under; the catalog's download
            links point there (default: the package's ``sse_ld.catalog.download_base``, else
            its homepage, else the base IRI).
        issued: publication date (``YYYY-MM-DD``) written into the catalog and provenance;
            ``None`` keeps wall-clock time out of the output.
    """

    base: str | None = None
    allow_remote: bool = False
    allow_local_network: bool = False
    trust_package_shapes: bool = False
    limits: Limits = field(default_factory=Limits)
    lang: str = "en"
    progress: Progress | None = None
    workers: int = field(default_factory=lambda: os.cpu_count() or 1)
    split_bytes: int = 4 << 20
    keys_in_memory: int = 600_000
    download_base: str | None = None
    issued: str | None = None

    def say(self, text: str) -> None:
        """Report progress, if anyone listens."""
        if self.progress:
            self.progress(text)

    def status(self, text: str) -> None:
        """Update the live status line (see :class:`Status`), if anyone listens."""
        if self.progress:
            self.progress(Status(text))
