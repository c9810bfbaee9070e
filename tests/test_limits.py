"""Resource limits: documented (docs/limits.md is generated from sse_ld/limits.py),
configurable from the command line and the library, refusing nonsense, and with defaults
that let the full Peru dataset and a one-million-row package through.

Regenerate the table with ``python tests/test_limits.py``.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from conftest import PERU, ROOT, run_cli

from sse_ld.cli import make_parser
from sse_ld.cli.common import IO, package_options
from sse_ld.csvio import read_records
from sse_ld.limits import LIMIT_FIELDS, Limits, limits_markdown
from sse_ld.package import open_package

DOC = ROOT / "docs" / "limits.md"
_TABLE = re.compile(r"(<!-- limits:start[^>]*-->\n)(.*?)(<!-- limits:end -->)", re.S)


def render(doc: str) -> str:
    """docs/limits.md with its generated table brought up to date."""
    return _TABLE.sub(lambda m: m.group(1) + limits_markdown() + m.group(3), doc)


def test_the_limits_table_is_current() -> None:
    doc = DOC.read_text(encoding="utf-8")
    assert _TABLE.search(doc), "docs/limits.md lost its generated table markers"
    assert doc == render(doc), "docs/limits.md is stale: python tests/test_limits.py"


def test_every_limit_is_documented_with_what_it_guards() -> None:
    for f in LIMIT_FIELDS:
        assert f.metadata["what"] and f.metadata["guards"] and f.metadata["unit"], f.name
        assert f"`{f.name}`" in DOC.read_text(encoding="utf-8")


def test_command_line_limits_reach_the_library(tmp_path: Path) -> None:
    args = make_parser().parse_args(
        ["build", "pkg", "--out", "o", "--max-file-bytes", "10", "--max-rows", "11", "--max-cell-chars", "12",
         "--max-line-chars", "13", "--remote-timeout", "1.5"]
    )  # fmt: skip
    limits = package_options(args, IO(io.StringIO(), io.StringIO())).limits
    assert limits == Limits(max_file_bytes=10, max_rows=11, max_cell_chars=12, max_line_chars=13, remote_timeout=1.5)
    options = {f.metadata["option"] for f in LIMIT_FIELDS if f.metadata["option"]}
    doc = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")  # generated from --help, checked
    for command in ("build", "validate"):
        section = doc.split(f"## `sse-ld {command}`", 1)[1].split("\n## ", 1)[0]
        assert all(o in section for o in options), command


@pytest.mark.parametrize("bad", [0, -1, True, "10"])
def test_limits_refuse_nonsense(bad: object) -> None:
    with pytest.raises(ValueError, match="must be a positive number"):
        Limits(max_rows=bad)  # type: ignore[arg-type]


def test_a_zero_limit_on_the_command_line_is_a_usage_error() -> None:
    res = run_cli("validate", PERU, "--max-rows", "0")
    assert res.code == 2 and "--max-rows must be a positive number" in res.err


def test_the_defaults_let_the_full_peru_dataset_through_with_a_wide_margin() -> None:
    limits = Limits()
    package = open_package(PERU, limits=limits)  # the preflight of every file, with the defaults
    for res in package.resources:
        assert res.file.stat().st_size * 100 < limits.max_file_bytes
        rows = list(read_records(res, limits))
        assert len(rows) * 100 < limits.max_rows
        longest_cell = max((len(c) for _, _, cells in rows for c in cells), default=0)
        assert longest_cell * 100 < limits.max_cell_chars
        longest_line = max(len(line) for line in res.file.read_text(encoding="utf-8").splitlines())
        assert longest_line * 100 < limits.max_line_chars


def test_the_defaults_let_a_million_row_package_through(tmp_path: Path) -> None:
    """Reading only (the preflight and sse-ld's CSV reader): building a million rows is
    measured in bench/, not timed here."""
    pkg = tmp_path / "big"
    (pkg / "data").mkdir(parents=True)
    with (pkg / "data" / "rows.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "name", "members"])
        w.writerows((i, f"Organización {i}", i % 500) for i in range(1_000_000))
    (pkg / "datapackage.json").write_text(
        '{"name": "big", "resources": [{"name": "rows", "path": "data/rows.csv", "schema": {"fields": ['
        '{"name": "id", "type": "integer"}, {"name": "name", "type": "string"}, {"name": "members", "type": "integer"}'
        "]}}]}"
    )
    package = open_package(pkg)
    assert sum(1 for _ in read_records(package.resources[0])) == 1_000_000


if __name__ == "__main__":
    DOC.write_text(render(DOC.read_text(encoding="utf-8")), encoding="utf-8")
