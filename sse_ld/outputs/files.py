"""Outputs that are copies: the SHACL shapes, a gzip copy of the N-Triples dump, and the
package's canned queries."""

from __future__ import annotations

import os

from ..canned import load_canned
from ..errors import InputError
from ..package import safe_member
from ..pgzip import gzip_file
from ..publish import OutputFolder
from ..resources import bundled_dir, shapes_files
from ..store import check_query
from .context import BuildContext

__all__ = ["publish_gzip", "publish_queries", "publish_shapes"]


def publish_shapes(ctx: BuildContext, folder: OutputFolder) -> None:
    """``shapes/``: the SHACL shapes the data was validated against (the catalog's
    ``dct:conformsTo``), byte for byte."""
    root = bundled_dir("shapes")
    for path in shapes_files():
        folder.path(f"shapes/{path.relative_to(root).as_posix()}").write_bytes(path.read_bytes())


def publish_gzip(ctx: BuildContext, folder: OutputFolder) -> None:
    """``<name>.nt.gz``: the N-Triples dump gzipped (N-Triples compresses about tenfold and
    is what triple stores bulk-load), on as many cores as the build uses. Deterministic: no
    file name and no time in the header, and the same bytes whatever the number of cores
    (see :mod:`sse_ld.pgzip`)."""
    source = folder.path(f"{ctx.name}.nt")
    target = folder.path(f"{ctx.name}.nt.gz")
    with source.open("rb") as src, target.open("wb") as raw:
        gzip_file(src, raw, level=6, threads=ctx.options.workers)
        raw.flush()
        os.fsync(raw.fileno())


def publish_queries(ctx: BuildContext, folder: OutputFolder) -> None:
    """``queries/``: the package's canned queries (``queries/*.rq``), checked first: each has
    a title, parses as a SPARQL query, and calls no ``SERVICE`` (the query command refuses
    network access by default)."""
    folder_path = ctx.package.root / "queries"
    if folder_path.is_symlink():  # a linked folder must stay inside the package, as every path
        safe_member(ctx.package.root, "queries", what="queries folder", where="queries")
    queries = load_canned(folder_path)
    for q in queries:
        shown = f"queries/{q.name}.rq"
        try:
            check_query(q.text)  # no implicit prefixes: a canned query must run on any server
        except InputError as exc:
            raise InputError(exc.message, file=shown, hint=exc.hint) from None
        undeclared = [p for p in q.params if f"?{p}" not in q.text and f"${p}" not in q.text]
        if undeclared:
            raise InputError(f"the param {undeclared[0]!r} is not a variable of the query", file=shown)
        folder.path(shown).write_text(q.text, encoding="utf-8", newline="\n")
