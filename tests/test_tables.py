"""The streaming table checks find exactly what frictionless's own validation finds.

The engine (``sse_ld.tablecheck``) reads each row once with frictionless's cell readers and
its own loop for keys, blank rows and extra or missing cells; ``frictionless.validate``
(through :func:`sse_ld.frictionless_tables.validate_tables`, with the same pinned dialect)
is the reference. For every test package, the Peru dataset and a generated package with
seeded errors, the (code, resource, row, field) of the table findings must be the same.
"""

from __future__ import annotations

import importlib.util
import tempfile
from pathlib import Path

import pytest
from conftest import CASES, PERU, ROOT

import sse_ld
from sse_ld.engine import Engine
from sse_ld.frictionless_tables import validate_tables
from sse_ld.options import Options
from sse_ld.pipeline import _prepare
from sse_ld.report import Issue, Stage

PACKAGES = sorted(p for p in (*(CASES / "valid").iterdir(), *(CASES / "invalid").iterdir()) if p.is_dir())
Key = tuple[str, str | None, int | None, str | None]


def _keys(issues: list[Issue]) -> set[Key]:
    return {
        (i.code, i.location.resource, i.location.row, i.location.field)
        for i in issues
        if i.stage in (Stage.TABLE, Stage.PACKAGE)
    }


def _compare(package: Path) -> tuple[set[Key], set[Key]]:
    with tempfile.TemporaryDirectory() as dl:
        try:
            prep = _prepare(package, Options(), Path(dl))
        except sse_ld.SseLdError:
            pytest.skip("the package cannot be read (an input error)")
        if not prep.runnable:
            pytest.skip("frictionless cannot load the descriptor")
        engine = Engine(prep.package, None, None, None, Options(workers=1))
        ours = engine.run().issues
        if any(i.code == "csv-delimiter" for i in ours):
            pytest.skip("the file is not read with its declared delimiter (sse-ld reads nothing else)")
        reference = validate_tables(prep.package, limit_errors=10**9)
    return _keys(ours), _keys(reference)


@pytest.mark.parametrize("package", [*PACKAGES, PERU], ids=[*(p.name for p in PACKAGES), "peru-sse"])
def test_same_table_findings_as_frictionless(package: Path) -> None:
    ours, reference = _compare(package)
    assert ours == reference


def test_same_table_findings_as_frictionless_on_a_generated_package(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("generate", ROOT / "bench" / "generate.py")
    assert spec and spec.loader
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    gen.generate(3_000, tmp_path / "pkg", seed=2)
    ours, reference = _compare(tmp_path / "pkg")
    assert len(reference) >= 9  # the seeded table errors are there
    assert ours == reference
