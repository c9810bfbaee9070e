"""``build-provenance.ttl``: how the build was made, in W3C PROV.

The build is a ``prov:Activity`` that used the package's files (the descriptor, the mapping
and each CSV, with its SHA-256 and size), the SHACL shapes and the ontology, was associated
with the sse-ld release that ran it, and generated the dataset and its validation report
(a ``sh:ValidationReport`` with ``sh:conforms`` and the counts). Its IRI is derived from
the checksums of everything it used, so the same inputs name the same build and the file
is byte-identical on rebuild; no clock time appears unless ``--issued`` is given.

Input files get the IRIs the row provenance uses (``<base>source/<path>``), so a
subject's ``prov:wasDerivedFrom`` row leads to the file and its checksum here.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from .. import __version__
from ..iri import pct_encode
from ..publish import OutputFolder, sha256_file
from ..report import Severity
from ..resources import bundled_dir, ontology_files, shapes_files
from ..vocab import DCAT, DCTERMS, FOAF, PROV, RDFS, SDO, SH, SHAPES_IRI, SPDX, TOOL_IRI
from .context import BuildContext
from .graph import Graph, lang, plain, typed
from .meta import publication

__all__ = ["Input", "build_activity", "build_inputs", "publish_build_provenance"]


class Input:
    """A file the build read: its IRI, the name shown, SHA-256 and size."""

    def __init__(self, iri: str, name: str, sha256: str, size: int) -> None:
        self.iri, self.name, self.sha256, self.size = iri, name, sha256, size


def _source_iri(ctx: BuildContext, rel: str) -> str:
    return ctx.mapping.base + "source/" + "/".join(pct_encode(part) for part in rel.split("/"))


def build_inputs(ctx: BuildContext) -> list[Input]:
    """The package files the build read (descriptor, mapping, data), computed once."""
    cached = ctx.derived.get("inputs")
    if isinstance(cached, list):
        return cached
    root = ctx.package.root
    files: dict[str, Path] = {ctx.package.descriptor_file.name: ctx.package.descriptor_file}
    if ctx.mapping.file != ctx.package.descriptor_file.name:
        files[ctx.mapping.file] = root / ctx.mapping.file
    out = []
    for res in ctx.package.resources:
        stored = res.stored or res.file  # the file as held or downloaded, not a decompressed copy
        if res.remote:
            out.append(Input(res.path, res.path, sha256_file(stored), stored.stat().st_size))
        else:
            files[res.path] = stored
    for rel, path in files.items():
        out.append(Input(_source_iri(ctx, rel), rel, sha256_file(path), path.stat().st_size))
    out.sort(key=lambda i: i.iri)
    ctx.derived["inputs"] = out
    return out


def _tool_files() -> list[tuple[str, Path]]:
    shapes, onto = bundled_dir("shapes"), bundled_dir("ontology")
    return [(f"shapes/{p.relative_to(shapes).as_posix()}", p) for p in shapes_files()] + [
        (f"ontology/{p.relative_to(onto).as_posix()}", p) for p in ontology_files()
    ]


def build_activity(ctx: BuildContext) -> str:
    """The IRI of the build activity: a digest of the tool version, the options that change
    the output, and every input's checksum."""
    cached = ctx.derived.get("activity")
    if isinstance(cached, str):
        return cached
    h = hashlib.sha256(f"sse-ld {__version__}\n{ctx.mapping.base}\n".encode())
    for i in build_inputs(ctx):
        h.update(f"{i.iri} {i.sha256}\n".encode())
    for name, path in _tool_files():
        h.update(f"{name} {sha256_file(path)}\n".encode())
    pub = publication(ctx)
    h.update(f"{pub.download_base}\n{pub.issued or ''}\n".encode())
    iri = f"{ctx.mapping.base}build/{h.hexdigest()[:20]}"
    ctx.derived["activity"] = iri
    return iri


def _checksum(g: Graph, node: str, digest: str) -> None:
    c = f"{node}#sha256"
    g.add(node, SPDX.checksum, c)
    g.a(c, SPDX.Checksum)
    g.add(c, SPDX.algorithm, SPDX.checksumAlgorithm_sha256)
    g.add(c, SPDX.checksumValue, typed(digest, "hexBinary"))


def publish_build_provenance(ctx: BuildContext, folder: OutputFolder) -> None:
    """``build-provenance.ttl``."""
    pub = publication(ctx)
    g = Graph({"foaf": str(FOAF), "spdx": str(SPDX._NS)})
    act = build_activity(ctx)
    tool = f"{TOOL_IRI}release/{__version__}"
    g.a(act, PROV.Activity)
    g.add(act, RDFS.label, lang(f"sse-ld build of {pub.name}", "en"))
    g.add(act, PROV.wasAssociatedWith, tool)
    if pub.issued:
        g.add(act, PROV.endedAtTime, typed(f"{pub.issued}T00:00:00Z", "dateTime"))
    g.a(tool, PROV.SoftwareAgent)
    g.add(tool, RDFS.label, plain(f"sse-ld {__version__}"))
    g.add(tool, SDO.softwareVersion, plain(__version__))
    g.add(tool, SDO.url, TOOL_IRI)
    for i in build_inputs(ctx):
        g.add(act, PROV.used, i.iri)
        g.a(i.iri, PROV.Entity)
        g.add(i.iri, RDFS.label, plain(i.name))
        g.add(i.iri, DCAT.byteSize, typed(str(i.size), "nonNegativeInteger"))
        _checksum(g, i.iri, i.sha256)
        g.add(pub.dataset, PROV.wasDerivedFrom, i.iri)
    for name, path in _tool_files():
        used = pub.url(name)
        g.add(act, PROV.used, used)
        g.a(used, PROV.Entity)
        g.add(used, RDFS.label, plain(name))
        _checksum(g, used, sha256_file(path))
        if name.startswith("shapes/"):
            g.add(used, DCTERMS.isPartOf, SHAPES_IRI)
    g.a(pub.dataset, PROV.Entity)
    g.add(pub.dataset, PROV.wasGeneratedBy, act)
    g.add(pub.dataset, PROV.wasAttributedTo, tool)
    report = pub.url("report.json")
    counts = ctx.report.counts()
    errors, warnings, infos = (counts.get(s.value, 0) for s in (Severity.ERROR, Severity.WARNING, Severity.INFO))
    g.a(report, PROV.Entity, SH.ValidationReport)
    g.add(report, PROV.wasGeneratedBy, act)
    g.add(report, SH.conforms, typed("true" if errors == 0 else "false", "boolean"))
    g.add(report, DCTERMS.conformsTo, SHAPES_IRI)
    g.add(
        report,
        RDFS.comment,
        lang(f"tables, mapping and SHACL shapes: {errors} error(s), {warnings} warning(s), {infos} info(s)", "en"),
    )
    g.add(act, PROV.generated, pub.dataset)
    g.add(act, PROV.generated, report)
    header = f"Provenance of the build of {pub.name} (W3C PROV), written by sse-ld {__version__}."
    folder.write_with("build-provenance.ttl", lambda f: g.write_turtle(f, header=header))
