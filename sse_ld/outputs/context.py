"""The build context handed to every publisher."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..mapping import CompiledMapping, Vocabulary
from ..ntriples import read_blocks
from ..options import Options
from ..package import DataPackage
from ..publish import OutputFolder
from ..report import Report
from ..terms import Block

__all__ = ["BuildContext", "Publisher"]


@dataclass
class BuildContext:
    """Everything a publisher may use.

    The dumps are written during the streaming pass, before the publishers run; publishers
    read them back when they need the graph (:meth:`blocks`).

    Attributes:
        package: the data package.
        mapping: its compiled mapping (base IRI, prefixes, resource plans).
        vocabulary: ontology, code lists and package vocabularies.
        report: the validation report.
        options: the build options.
        folder: the staging output folder (the dumps are already in it).
        stats: counts publishers add (e.g. ``triples``), merged into ``report.json``.
        derived: values publishers compute once and share (e.g. the graph summary that
            VoID and the catalog both need), by name.
    """

    package: DataPackage
    mapping: CompiledMapping
    vocabulary: Vocabulary
    report: Report
    options: Options
    folder: OutputFolder
    stats: dict[str, int] = field(default_factory=dict)
    derived: dict[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """The package name, used to name the dumps (``<name>.ttl`` ...)."""
        return self.package.name

    @property
    def prefixes(self) -> Mapping[str, str]:
        """Prefixes for the dumps: standard, code-list and mapping prefixes."""
        return self.mapping.prefixes

    def blocks(self) -> Iterator[Block]:
        """The dataset's subject blocks in the dumps' order, read back from the N-Triples dump."""
        return read_blocks(self.folder.staging / f"{self.name}.nt")


#: A publisher writes some outputs of a build into the staging folder.
Publisher = Callable[[BuildContext, OutputFolder], None]
