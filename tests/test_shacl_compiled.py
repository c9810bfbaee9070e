"""The compiled SHACL evaluation finds exactly what pyshacl finds on the whole graph.

For each package: the build's N-Triples dump plus the part of the vocabulary it reaches is
validated by pyshacl (the reference); the streaming engine's own results are compared on
(focus node, path, constraint component, severity) of the top-level results.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from conftest import CASES, PERU, ROOT
from rdflib import Graph
from rdflib.namespace import SH

import sse_ld
from sse_ld.engine import Engine
from sse_ld.options import Options
from sse_ld.pipeline import _prepare, _program
from sse_ld.resources import shapes_files
from sse_ld.shacl import load_shapes, support_graph

PACKAGES = sorted(p for p in (*(CASES / "valid").iterdir(), *(CASES / "invalid").iterdir()) if p.is_dir())


def _keys_from_pyshacl(nt: Path, vocabulary_graph: Graph) -> set[tuple[str, str | None, str, str]]:
    from pyshacl import validate

    data = Graph().parse(nt, format="nt")
    data += support_graph(data, vocabulary_graph)
    _c, results, _t = validate(
        data,
        shacl_graph=load_shapes(shapes_files()),
        inference="none",
        advanced=True,
        allow_warnings=True,
        allow_infos=True,
        do_owl_imports=False,
    )
    severity = {SH.Violation: "error", SH.Warning: "warning", SH.Info: "info"}
    out = set()
    for r in results.objects(None, SH.result):
        path = results.value(r, SH.resultPath)
        out.add(
            (
                str(results.value(r, SH.focusNode)),
                None if path is None else str(path),
                str(results.value(r, SH.sourceConstraintComponent)),
                severity[results.value(r, SH.resultSeverity)],
            )
        )
    return out


def _compare(package: Path, tmp: Path) -> tuple[set, set]:
    try:
        result = sse_ld.build(package, tmp / "out", force=True)
    except sse_ld.SseLdError:
        pytest.skip("the package cannot be read (an input error)")
    if not result.written:
        pytest.skip("the package cannot be built (a mapping or descriptor error)")
    with tempfile.TemporaryDirectory() as dl:
        prep = _prepare(package, Options(), Path(dl))
        engine = Engine(prep.package, prep.mapping, prep.vocabulary, _program(prep), Options(), keep_results=True)
        engine.run()
    assert prep.vocabulary is not None and engine.shacl_results is not None
    ours = {r.key() for r in engine.shacl_results}
    reference = _keys_from_pyshacl(tmp / "out" / f"{prep.package.name}.nt", prep.vocabulary.graph)
    return ours, reference


@pytest.mark.parametrize("package", [*PACKAGES, PERU], ids=[*(p.name for p in PACKAGES), "peru-sse"])
def test_same_results_as_pyshacl(package: Path, tmp_path: Path) -> None:
    ours, reference = _compare(package, tmp_path)
    assert ours == reference


def test_same_results_as_pyshacl_on_a_generated_package_with_seeded_violations(tmp_path: Path) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("generate", ROOT / "bench" / "generate.py")
    assert spec and spec.loader
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    gen.generate(10_000, tmp_path / "pkg", seed=11)
    ours, reference = _compare(tmp_path / "pkg", tmp_path)
    assert len(reference) >= 6  # the seeded SHACL violations (and their consequences) are there
    assert ours == reference


_NOT_COMPILED = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix sse: <https://w3id.org/sse-ld/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<urn:test:AreaHasNoBroader> a sh:NodeShape ;
    sh:targetClass sse:SSEOrganisation ;
    sh:property [
        sh:path ( sse:locatedIn skos:broader ) ;
        sh:maxCount 0 ;
        sh:severity sh:Warning ;
        sh:message "the area of an organisation has a broader area"@en
    ] .
"""


def test_shapes_the_compiler_does_not_support_are_validated_by_pyshacl(tmp_path: Path) -> None:
    """A sequence path is not compiled: pyshacl validates that shape on the graph after the
    pass, its results placed at their rows like the others; the compiled shapes still run."""
    from sse_ld.engine import subclass_axioms
    from sse_ld.shaclc import ShapeProgram

    package = CASES / "valid" / "organisations"
    shapes = load_shapes(shapes_files())
    shapes.parse(data=_NOT_COMPILED, format="turtle")
    with tempfile.TemporaryDirectory() as dl:
        prep = _prepare(package, Options(), Path(dl))
        assert prep.vocabulary is not None
        program = ShapeProgram(shapes, subclass_axioms(prep.vocabulary))
        assert [str(s) for s in program.fallback] == ["urn:test:AreaHasNoBroader"]
        engine = Engine(prep.package, prep.mapping, prep.vocabulary, program, Options(workers=2), keep_results=True)
        result = engine.run()
    found = [i for i in result.issues if i.code == "sh:MaxCountConstraintComponent"]
    assert {(i.location.file, i.location.row, i.severity.value) for i in found} == {
        ("data/organisations.csv", row, "warning") for row in (2, 3, 4, 5)
    }
    assert all(i.message == "the area of an organisation has a broader area" for i in found)
    # The same results as pyshacl on the whole graph with every shape.
    sse_ld.build(package, tmp_path / "out")
    from pyshacl import validate

    data = Graph().parse(tmp_path / "out" / f"{prep.package.name}.nt", format="nt")
    data += support_graph(data, prep.vocabulary.graph)
    _c, results, _t = validate(data, shacl_graph=shapes, inference="none", allow_warnings=True, do_owl_imports=False)
    reference = {
        (str(results.value(r, SH.focusNode)), str(results.value(r, SH.sourceConstraintComponent)))
        for r in results.objects(None, SH.result)
    }
    assert engine.shacl_results is not None
    assert {(r.focus, r.component) for r in engine.shacl_results} == reference
