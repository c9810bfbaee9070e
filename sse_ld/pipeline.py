"""The pipeline: validate (tables, mapping, SHACL) and build (validate, then publish).

This is the high layer that composes the middle-layer modules. Its two verbs,
:func:`validate` and :func:`build`, are what the CLI calls and what library users call.
Findings come back in a :class:`~sse_ld.report.Report`; exceptions from
:mod:`sse_ld.errors` mean the pipeline could not run.

Both verbs make one streaming pass over the rows (:mod:`sse_ld.engine`); ``build`` writes
the dumps during that pass into a staging folder that is swapped in only when the report
allows publication.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .engine import Engine, RerunSerially, subclass_axioms
from .errors import InputError
from .finish import finish
from .mapping import CompiledMapping, Vocabulary, compile_mapping, load_mapping_document, load_vocabulary
from .options import Options
from .outputs import PUBLISHERS, BuildContext, open_dumps
from .package import DataPackage, open_package, safe_member
from .package_shapes import load_package_shapes
from .publish import OutputFolder
from .report import Issue, Location, Report, Severity, Stage
from .resources import shapes_files
from .shacl import load_shapes
from .shaclc import ShapeProgram
from .tablecheck import check_descriptor

__all__ = ["BuildResult", "Options", "build", "validate"]


@dataclass(frozen=True)
class BuildResult:
    """What :func:`build` did.

    Attributes:
        report: the validation report (also written as ``report.json``).
        out: the output folder.
        written: whether the output was published (``False`` when blocked by errors).
        files: names of the files written, relative to ``out``.
        triples: number of triples in the main dump.
    """

    report: Report
    out: Path
    written: bool
    files: tuple[str, ...] = ()
    triples: int = 0


@dataclass
class _Prepared:
    package: DataPackage
    issues: list[Issue]
    mapping: CompiledMapping | None
    vocabulary: Vocabulary | None
    runnable: bool
    shapes: Any  #: the bundled shapes and the package's own


def _prepare(source: str | os.PathLike[str], options: Options, download_dir: Path) -> _Prepared:
    """Read the package, check its descriptor, load the vocabulary and compile the mapping."""
    options.say("reading the package")
    package = open_package(
        source,
        allow_remote=options.allow_remote,
        allow_local_network=options.allow_local_network,
        limits=options.limits,
        download_dir=download_dir,
    )
    bundled_shapes = load_shapes(shapes_files())
    own_shapes = load_package_shapes(
        package, trusted=options.trust_package_shapes, limits=options.limits, bundled=bundled_shapes
    )
    shapes = bundled_shapes if own_shapes is None else bundled_shapes + own_shapes
    issues = check_descriptor(package)
    found = load_mapping_document(package, options.limits)
    mapping: CompiledMapping | None = None
    vocabulary: Vocabulary | None = None
    if found is None:
        issues.append(
            Issue(
                Stage.MAPPING,
                "mapping-missing",
                Severity.ERROR,
                "the package has no mapping to RDF",
                Location(file=package.descriptor_file.name, pointer="/sse_ld"),
                'add "sse_ld": {"mapping": "mapping.json"} to datapackage.json (see docs/mapping.md)',
            )
        )
    else:
        document, file, prefix = found
        extra = _vocabulary_files(package, document)
        vocabulary = load_vocabulary(extra.values(), limits=options.limits, shown={p: n for n, p in extra.items()})
        mapping, mapping_issues = compile_mapping(package, document, file, prefix, vocabulary, options.base)
        issues.extend(mapping_issues)
    # A descriptor frictionless cannot load cannot be read row by row either.
    runnable = not any(i.stage is Stage.PACKAGE for i in issues)
    return _Prepared(package, issues, mapping, vocabulary, runnable, shapes)


def _program(prep: _Prepared) -> ShapeProgram | None:
    if prep.vocabulary is None:
        return None
    return ShapeProgram(prep.shapes, subclass_axioms(prep.vocabulary))


def _pass(
    prep: _Prepared, options: Options, sink: Any = None, scratch: Path | None = None
) -> tuple[list[Issue], dict[str, int]]:
    """The streaming pass; returns all findings (deduplicated) and the counts."""
    issues = list(prep.issues)
    stats = {"rows": 0, "triples": 0, "subjects": 0, "resources": len(prep.package.resources)}
    if prep.runnable:
        engine = Engine(prep.package, prep.mapping, prep.vocabulary, _program(prep), options, sink, scratch=scratch)
        with _quiet_collector(freeze=True):
            result = engine.run()
        issues.extend(result.issues)
        stats.update(rows=result.rows, triples=result.triples, subjects=result.subjects)
    return finish(_deduplicate(issues), prep.package, prep.vocabulary, options.lang), stats


#: The young generation's threshold while sse-ld runs, instead of CPython's 700. Loading
#: the vocabulary and shapes and the pass allocate millions of objects, nearly all freed by
#: reference counting or kept to the end: with the collector off, a 100 k-row build peaked at
#: the same memory. Collecting every 700 of them found little to free, and made full
#: collections walk everything kept so far. Timed with ``gc.callbacks``: a Peru build
#: spent 0.43-0.55 s collecting with 700 and 0.14-0.19 s with this, and a 100 k-row pass in
#: one process 0.60 s with 50 000 and 0.13 s with this; the peak memory did not change.
_YOUNG_THRESHOLD = 100_000


@contextlib.contextmanager
def _quiet_collector(freeze: bool = False) -> Iterator[None]:
    """Make Python's cyclic garbage collector run rarely, and restore the caller's settings.

    With ``freeze`` (for the pass), what was loaded before is also moved out of the
    collector's sight: the vocabulary, shapes and compiled mapping are long-lived and form
    no garbage, and a million-row pass would otherwise have full collections walk them again.
    A caller that froze objects itself keeps its frozen generation as it is: unfreezing ours
    would unfreeze its objects too, so nothing is frozen then.
    """
    threshold = gc.get_threshold()
    freeze = freeze and gc.get_freeze_count() == 0
    if freeze:
        gc.freeze()
    gc.set_threshold(max(threshold[0], _YOUNG_THRESHOLD), threshold[1], threshold[2])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        if freeze:
            gc.unfreeze()


def _vocabulary_files(package: DataPackage, document: Any) -> dict[str, Path]:
    out: dict[str, Path] = {}
    if isinstance(document, dict):
        for i, rel in enumerate(document.get("vocabularies", []) or []):
            if isinstance(rel, str):
                out[rel] = safe_member(package.root, rel, what="vocabulary", where=f"mapping /vocabularies/{i}")
                if not out[rel].is_file():
                    raise InputError(
                        f"the vocabulary file {rel!r} named in the mapping does not exist", file=str(package.root)
                    )
    return out


def _deduplicate(issues: list[Issue]) -> list[Issue]:
    """One finding per cause. At a cell, the earliest stage's findings hide later stages'
    (a mapping or SHACL finding at a cell with a table finding is its consequence); a
    row-level table finding (a duplicate key, a blank row) hides later findings in that
    row; among SHACL findings at one cell, a ``sh:node`` wrapper yields to a specific one."""
    earliest: dict[tuple[str, int, str], int] = {}
    table_rows: set[tuple[str, int]] = set()
    specific: set[tuple[str, int, str | None]] = set()
    for i in issues:
        loc = i.location
        if loc.resource is None or loc.row is None:
            continue
        if loc.field:
            cell = (loc.resource, loc.row, loc.field)
            earliest[cell] = min(earliest.get(cell, i.stage.order), i.stage.order)
        elif i.stage is Stage.TABLE:
            table_rows.add((loc.resource, loc.row))
        if i.stage is Stage.SHACL and i.code != "sh:NodeConstraintComponent":
            specific.add((loc.resource, loc.row, loc.field))
    out = []
    for i in issues:
        loc = i.location
        if loc.resource is not None and loc.row is not None:
            if i.stage is not Stage.TABLE and (loc.resource, loc.row) in table_rows:
                continue
            if loc.field and i.stage.order > earliest[(loc.resource, loc.row, loc.field)]:
                continue
            if i.code == "sh:NodeConstraintComponent" and (loc.resource, loc.row, loc.field) in specific:
                continue
        out.append(i)
    return out


def validate(source: str | os.PathLike[str], options: Options | None = None) -> Report:
    """Validate a data package: tables (frictionless), mapping, and SHACL shapes.

    Args:
        source: the package folder or its ``datapackage.json``.
        options: see :class:`Options`.

    Returns:
        The report; ``report.valid`` is ``False`` when there is at least one error.

    Raises:
        InputError: the package cannot be read (missing descriptor, malformed JSON, unsafe path).
    """
    options = options or Options()
    try:
        with _quiet_collector(), tempfile.TemporaryDirectory(prefix="sse-ld-") as tmp:
            prep = _prepare(source, options, Path(tmp))
            issues, stats = _pass(prep, options, scratch=Path(tmp))
    except RerunSerially:
        return validate(source, dataclasses.replace(options, workers=1))
    return Report.of(str(source), issues, stats)


def build(
    source: str | os.PathLike[str], out: str | os.PathLike[str], options: Options | None = None, *, force: bool = False
) -> BuildResult:
    """Validate a data package and, when it has no errors, publish it into ``out``.

    The dumps are written during the validation pass into a staging folder; it replaces
    ``out`` atomically only when publication is allowed, so on any failure or refusal the
    previous output stays as it was. Publishing is refused when the report has errors,
    unless ``force``. Outputs beyond the dumps come from :data:`sse_ld.outputs.PUBLISHERS`.

    Raises:
        InputError: the package cannot be read.
        OutputError: the output folder cannot be written (the previous one is unchanged).
    """
    options = options or Options()
    with _quiet_collector():
        try:
            return _build(source, Path(out), options, force)
        except RerunSerially:
            # Nothing was published: the staging folder of the first attempt is gone.
            return _build(source, Path(out), dataclasses.replace(options, workers=1), force)


def _build(source: str | os.PathLike[str], out_path: Path, options: Options, force: bool) -> BuildResult:
    with tempfile.TemporaryDirectory(prefix="sse-ld-") as tmp:
        prep = _prepare(source, options, Path(tmp))
        if prep.mapping is None or prep.vocabulary is None or not prep.runnable:
            issues, stats = _pass(prep, options)
            return BuildResult(Report.of(str(source), issues, stats), out_path, False)
        with OutputFolder(out_path) as folder:
            with open_dumps(prep.package, prep.mapping, folder, Path(tmp)) as sink:
                issues, stats = _pass(prep, options, sink, Path(tmp))
                summary = sink.summary.result() if sink.summary is not None else None
            report = Report.of(str(source), issues, stats)
            if not report.valid and not force:
                return BuildResult(report, out_path, False)
            options.say(f"writing {out_path}")
            ctx = BuildContext(
                prep.package, prep.mapping, prep.vocabulary, report, options, folder, {"triples": stats["triples"]}
            )
            if summary is not None:
                ctx.derived["summary"] = summary
            for publish in PUBLISHERS:
                publish(ctx, folder)
            files = folder.commit()
    return BuildResult(report, out_path, True, tuple(files), stats["triples"])
