"""A published build folder, as the commands that use one (query, push, diff) see it.

:func:`open_build` checks that a folder was written by ``sse-ld build`` (it has
``SHA256SUMS``), finds the dataset's name and files, and can verify the files against their
checksums before they are loaded anywhere. *The queryable graph* of a build is defined here,
once, for the embedded store and for ``sse-ld push`` alike: the main N-Triples dump plus the
Turtle files of ``ontology/`` (so code-list labels answer queries), in that order.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .errors import InputError
from .publish import MARKER, sha256_file

__all__ = ["BuildFolder", "GraphFile", "open_build"]


@dataclass(frozen=True)
class GraphFile:
    """One file of the queryable graph: its path, name in the folder and RDF syntax."""

    path: Path
    name: str
    syntax: str  # "ntriples" or "turtle"

    @property
    def media_type(self) -> str:
        """The media type to upload it with."""
        return "application/n-triples" if self.syntax == "ntriples" else "text/turtle"


@dataclass(frozen=True)
class BuildFolder:
    """An output folder of ``sse-ld build``.

    Attributes:
        path: the folder.
        name: the dataset name (the dumps are ``<name>.nt``, ``<name>.ttl`` ...).
        checksums: file name -> SHA-256, from ``SHA256SUMS``.
    """

    path: Path
    name: str
    checksums: dict[str, str]

    @property
    def dump(self) -> Path:
        """The main dump, sorted N-Triples."""
        return self.path / f"{self.name}.nt"

    @property
    def queries_dir(self) -> Path:
        """The canned queries copied from the package."""
        return self.path / "queries"

    @property
    def store_dir(self) -> Path:
        """Where the embedded query store is persisted (not part of ``SHA256SUMS``)."""
        return self.path / ".store"

    def graph_files(self) -> list[GraphFile]:
        """The files of the queryable graph: the main dump, then ``ontology/**/*.ttl`` sorted."""
        out = [GraphFile(self.dump, self.dump.name, "ntriples")]
        for name in sorted(self.checksums):
            if name.startswith("ontology/") and name.endswith(".ttl"):
                out.append(GraphFile(self.path / name, name, "turtle"))
        return out

    def file(self, name: str) -> Path:
        """A file listed in ``SHA256SUMS``.

        Raises:
            InputError: the build has no such file.
        """
        if name not in self.checksums:
            raise InputError(f"the build has no file {name!r}", file=str(self.path))
        return self.path / name

    def verify(self, names: list[str] | None = None) -> None:
        """Check files against ``SHA256SUMS`` (all files when ``names`` is ``None``).

        Raises:
            InputError: a file is missing or its content does not match its checksum.
        """
        for name in sorted(self.checksums) if names is None else names:
            path = self.path / name
            if not path.is_file():
                raise InputError("a file listed in SHA256SUMS is missing", file=str(path))
            if sha256_file(path) != self.checksums.get(name):
                raise InputError(
                    "the file does not match its SHA-256 in SHA256SUMS: it changed after the build",
                    file=str(path),
                    hint="rebuild with 'sse-ld build', or restore the file",
                )


def _read_sums(path: Path) -> dict[str, str]:
    sums: dict[str, str] = {}
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read SHA256SUMS: {exc}", file=str(path)) from None
    for n, line in enumerate(text.splitlines(), 1):
        digest, sep, name = line.partition("  ")
        parts = PurePosixPath(name).parts
        if (
            not sep
            or len(digest) != 64
            or not all(c in "0123456789abcdef" for c in digest)
            or not parts
            or name.startswith("/")
            or ".." in parts
        ):
            raise InputError(f"line {n} is not '<sha256>  <file>'", file=str(path))
        sums[name] = digest
    return sums


def open_build(folder: str | os.PathLike[str]) -> BuildFolder:
    """Open an output folder of ``sse-ld build``.

    Raises:
        InputError: the folder does not exist, was not written by sse-ld, or has no single
            main N-Triples dump.
    """
    path = Path(folder)
    if not path.is_dir():
        raise InputError("no such build folder", file=str(path), hint="give the --out folder of 'sse-ld build'")
    marker = path / MARKER
    if not marker.is_file():
        raise InputError(
            f"not an sse-ld build folder (it has no {MARKER})",
            file=str(path),
            hint="give the --out folder of 'sse-ld build'",
        )
    sums = _read_sums(marker)
    dumps = [n for n in sums if "/" not in n and n.endswith(".nt") and n != "provenance.nt"]
    if len(dumps) != 1:
        raise InputError(
            f"expected one main N-Triples dump in {MARKER}, found {len(dumps)}: {', '.join(sorted(dumps)) or 'none'}",
            file=str(path),
        )
    return BuildFolder(path, dumps[0][: -len(".nt")], sums)
