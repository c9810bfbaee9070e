"""The pipeline: validate (tables, mapping, SHACL) and build (validate, then publish).

This is the high layer that composes the middle-layer modules. Its two verbs,
:func:`validate` and :func:`build`, are what the CLI calls and what library users call.
Findings come back in a :class:`~sse_ld.report.Report`; exceptions from
:mod:`sse_ld.errors` mean the pipeline could not run.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .csvio import read_records
from .dataset import MappedDataset, from_rdflib_term, to_rdflib
from .errors import InputError
from .finish import finish
from .mapping import CompiledMapping, Vocabulary, compile_mapping, load_mapping_document, load_vocabulary, map_rows
from .options import Options
from .outputs import PUBLISHERS, BuildContext
from .package import DataPackage, open_package, safe_member, structural_failure, validate_tables
from .package_shapes import load_package_shapes
from .publish import OutputFolder
from .report import Issue, Location, Report, Severity, Stage
from .resources import shapes_files
from .shacl import curie, is_iri, load_shapes, run_shacl
from .tables import check_delimiters
from .terms import Lit

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
class _Run:
    package: DataPackage
    report: Report
    dataset: MappedDataset
    mapping: CompiledMapping | None
    vocabulary: Vocabulary | None


def _run(source: str | os.PathLike[str], options: Options, download_dir: Path) -> _Run:
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
    options.say("validating tables (frictionless)")
    issues: list[Issue] = check_delimiters(package, validate_tables(package))
    dataset = MappedDataset()
    found = load_mapping_document(package, options.limits)
    mapping: CompiledMapping | None = None
    vocabulary: Vocabulary | None = None
    rows_read = 0
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
    wanted_lines = _rows_needing_lines(issues)
    lines: dict[tuple[str, int], int] = {}
    if mapping is not None:
        for plan in mapping.resources:
            name = plan.resource.name
            if structural_failure(issues, name):
                continue
            options.say(f"mapping {name}")
            dataset.predicate_fields[name] = plan.predicate_fields()
            need = wanted_lines.get(name, set())
            for blocks, row_issues in map_rows(
                plan, _tap(read_records(plan.resource, options.limits), need, name, lines), vocabulary
            ):
                rows_read += 1
                issues.extend(row_issues)
                if blocks and _duplicate(dataset, blocks[0], plan, issues):
                    continue
                for b in blocks:
                    dataset.add(b)
        if dataset.subjects:
            options.say(f"checking {dataset.triple_count} triples against the SHACL shapes")
            issues.extend(_shacl(dataset, vocabulary, options, shapes))
    issues = [_with_line(i, lines) for i in issues]
    issues = finish(_deduplicate(issues), package, vocabulary, options.lang)
    stats = {
        "rows": rows_read,
        "triples": dataset.triple_count,
        "subjects": len(dataset.subjects),
        "resources": len(package.resources),
    }
    return _Run(package, Report.of(str(source), issues, stats), dataset, mapping, vocabulary)


def _duplicate(dataset: MappedDataset, block: Any, plan: Any, issues: list[Issue]) -> bool:
    """A second row of the same resource minting an existing subject is a duplicate: it is
    reported (unless a primary-key finding already says so) and its triples are left out,
    so that later stages do not report the merge's consequences."""
    first = dataset.origins.get(block.subject)
    if first is None or first.resource != block.origin.resource:
        return False
    o = block.origin
    columns = ",".join(dict.fromkeys(v for t in plan.subjects for v in t.variables))
    issues.append(
        Issue(
            Stage.MAPPING,
            "duplicate-subject",
            Severity.ERROR,
            f"this row gets the same IRI as row {first.row}: {block.subject}",
            Location(resource=o.resource, file=o.file, row=o.row, line=o.line, field=columns),
            "give each row its own identifier",
        )
    )
    return True


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


def _rows_needing_lines(issues: Iterable[Issue]) -> dict[str, set[int]]:
    out: dict[str, set[int]] = {}
    for i in issues:
        if i.location.resource and i.location.row is not None and i.location.line is None:
            out.setdefault(i.location.resource, set()).add(i.location.row)
    return out


def _tap(
    records: Iterable[tuple[int, int, list[str]]], need: set[int], name: str, lines: dict[tuple[str, int], int]
) -> Iterable[tuple[int, int, list[str]]]:
    """Pass records through, noting the physical line of the rows that have table findings."""
    if 1 in need:
        lines[(name, 1)] = 1
    for rec in records:
        if rec[0] in need:
            lines[(name, rec[0])] = rec[1]
        yield rec


def _with_line(issue: Issue, lines: dict[tuple[str, int], int]) -> Issue:
    loc = issue.location
    if loc.line is None and loc.resource and loc.row is not None:
        line = lines.get((loc.resource, loc.row))
        if line is not None:
            from dataclasses import replace

            return replace(issue, location=replace(loc, line=line))
    return issue


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


def _support(data: Any, vocabulary: Vocabulary | None) -> Any:
    """The part of the vocabulary the data reaches: the classes, concepts and areas it links
    to, and everything they link to in turn (superclasses, broader areas, schemes). SHACL
    needs these to see subclass targets and the classes of linked nodes; the rest of the
    vocabulary (thousands of areas no row mentions) is left out."""
    from rdflib import Graph, URIRef

    support = Graph()
    if vocabulary is None:
        return support
    vg = vocabulary.graph
    seen: set[Any] = set()
    frontier = [o for o in set(data.objects()) | set(data.subjects()) if isinstance(o, URIRef)]
    while frontier:
        node = frontier.pop()
        if node in seen:
            continue
        seen.add(node)
        for triple in vg.triples((node, None, None)):
            support.add(triple)
            if isinstance(triple[2], URIRef) and triple[2] not in seen:
                frontier.append(triple[2])
    return support


def _shacl(dataset: MappedDataset, vocabulary: Vocabulary | None, options: Options, shapes: Any) -> list[Issue]:
    data = to_rdflib(dataset.blocks())
    results = run_shacl(data, shapes, _support(data, vocabulary))
    issues = []
    for r in results:
        focus = str(r.focus)
        path = str(r.path) if is_iri(r.path) else None
        value = from_rdflib_term(r.value) if r.value is not None else None
        origin = dataset.origins.get(focus)
        message = (
            r.messages.get(options.lang)
            or r.messages.get("en")
            or r.messages.get("")
            or next(iter(r.messages.values()), "the data does not meet a SHACL constraint")
        )
        shown_value = None
        if value is not None:
            shown_value = value.lexical if isinstance(value, Lit) else value
        loc = Location(
            resource=origin.resource if origin else None,
            file=origin.file if origin else None,
            row=origin.row if origin else None,
            line=origin.line if origin else None,
            field=dataset.field_for(focus, path, value) if origin else None,
            value=shown_value,
            focus_node=focus,
            path=path if path is not None else (None if r.path is None else "(complex path)"),
            shape=str(r.shape) if is_iri(r.shape) else None,
        )
        issues.append(Issue(Stage.SHACL, curie(r.component), Severity(r.severity), message, loc))
    return issues


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
    with tempfile.TemporaryDirectory(prefix="sse-ld-") as tmp:
        return _run(source, options, Path(tmp)).report


def build(
    source: str | os.PathLike[str], out: str | os.PathLike[str], options: Options | None = None, *, force: bool = False
) -> BuildResult:
    """Validate a data package and, when it has no errors, publish it into ``out``.

    The output folder is replaced atomically: on any failure the previous output stays
    as it was. Publishing is refused when the report has errors, unless ``force``. What is
    written is the work of the publishers in :data:`sse_ld.outputs.PUBLISHERS`.

    Raises:
        InputError: the package cannot be read.
        OutputError: the output folder cannot be written (the previous one is unchanged).
    """
    options = options or Options()
    out_path = Path(out)
    # The work folder holds downloaded and decompressed resources, which publishers read
    # too (build provenance hashes them): it lives until the output is published.
    with tempfile.TemporaryDirectory(prefix="sse-ld-") as tmp:
        run = _run(source, options, Path(tmp))
        report = run.report
        if (not report.valid and not force) or run.mapping is None or run.vocabulary is None:
            return BuildResult(report, out_path, False)
        options.say(f"writing {out_path}")
        ctx = BuildContext(run.package, run.mapping, run.vocabulary, report, run.dataset, options)
        with OutputFolder(out_path) as folder:
            for publish in PUBLISHERS:
                publish(ctx, folder)
            files = folder.commit()
    return BuildResult(report, out_path, True, tuple(files), ctx.stats.get("triples", 0))
