"""The contributor's tools besides the report: a new package from `sse-ld init`, an annotated
copy of the data from `--annotate`, `sse-ld explain`, validating the files a commit touched,
and the positions (line, column) findings point at."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from conftest import CASES, PERU

from sse_ld.csvio import csv_options
from sse_ld.package import open_package
from sse_ld.positions import cell_starts, json_positions
from sse_ld.scaffold import init_package
from sse_ld.workspace import find_packages

# --- sse-ld init ----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["es", "en"])
def test_init_writes_a_package_that_validates_and_builds(lang: str, cli, tmp_path: Path) -> None:
    folder = tmp_path / "mi-paquete"
    res = cli("init", folder, "--lang", lang)
    assert res.code == 0, res.err
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()) == [
        "README.md",
        "data/networks.csv",
        "data/organisations.csv",
        "datapackage.json",
        "mapping.json",
    ]
    check = cli("validate", folder, "--format", "json")
    assert check.code == 0, check.out
    assert json.loads(check.out)["issues"] == []
    built = cli("build", folder, "--out", tmp_path / "out", "-q")
    assert built.code == 0, built.err
    nt = (tmp_path / "out" / "mi-paquete.nt").read_text(encoding="utf-8")
    # the example row is linked to the bundled code list and Lima's district by UBIGEO
    assert "<https://w3id.org/sse-ld/code/organisation-type/comedor-popular-autogestionario>" in nt
    assert "<https://w3id.org/sse-ld/peru/area/150101>" in nt
    example = {"es": "EJEMPLO, borre esta fila", "en": "EXAMPLE, delete this row"}[lang]
    assert example in (folder / "data" / "organisations.csv").read_text(encoding="utf-8")
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    titles = {f["name"]: f["title"] for f in descriptor["resources"][0]["schema"]["fields"]}
    assert titles["members"] == {"es": "miembros", "en": "members"}[lang]


def test_init_templates_catch_a_broken_cell(cli, tmp_path: Path) -> None:
    folder = tmp_path / "p"
    init_package(folder, lang="es")
    orgs = folder / "data" / "organisations.csv"
    orgs.write_text(orgs.read_text(encoding="utf-8").replace(",150101,", ",159999,"), encoding="utf-8")
    res = cli("validate", folder, "--lang", "es")
    assert res.code == 1
    assert "'159999' no es un código de la lista https://w3id.org/sse-ld/peru/areas" in res.out


def test_init_refuses_a_folder_that_is_not_empty(cli, tmp_path: Path) -> None:
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "notes.txt").write_text("mine")
    res = cli("init", tmp_path / "taken")
    assert res.code == 2
    assert "not empty" in res.err and "Traceback" not in res.err
    assert sorted(p.name for p in (tmp_path / "taken").iterdir()) == ["notes.txt"]
    assert [p.name for p in tmp_path.iterdir()] == ["taken"]  # no staging folder left behind


def test_init_uses_an_existing_empty_folder(cli, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert cli("init", tmp_path / "empty", "--name", "lima-2024").code == 0
    assert json.loads((tmp_path / "empty" / "datapackage.json").read_text())["name"] == "lima-2024"


@pytest.mark.parametrize("args", [["--name", "Not A Name"], ["--base", "example.org/x/"]])
def test_init_refuses_bad_options(args: list[str], cli, tmp_path: Path) -> None:
    res = cli("init", tmp_path / "x", *args)
    assert res.code == 2 and not (tmp_path / "x").exists()


# --- --annotate -------------------------------------------------------------------------------


def _rows(path: Path, delimiter: str = ",") -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f, delimiter=delimiter))


def test_annotate_writes_each_row_s_findings_beside_it(cli, tmp_path: Path) -> None:
    case = CASES / "invalid" / "mixed-all-stages"
    out = tmp_path / "annotated"
    res = cli("validate", case, "--annotate", out, "--lang", "es")
    assert res.code == 1
    assert (out / "data" / "organisations.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # for spreadsheets
    rows = _rows(out / "data" / "organisations.csv")
    original = _rows(case / "data" / "organisations.csv")
    assert [r[1:] for r in rows] == original  # the data is untouched, one column in front
    assert rows[0][0] == "hallazgos sse-ld"
    assert rows[1][0].startswith("members: 'treinta' no es un número entero válido (cómo corregirlo: escriba")
    assert rows[2][0].startswith("type: 'olla-comunal' no es un código de la lista")
    assert "¿quiso decir 'olla-comun'?" in rows[2][0]
    assert rows[3][0] == ""
    assert rows[4][0].startswith("women: El número de mujeres miembros no puede ser mayor")
    assert [r[0] for r in _rows(out / "data" / "areas.csv")][1:] == ["", "", ""]
    assert "NO VÁLIDO" in (out / "report.txt").read_text(encoding="utf-8")
    assert (out / "SHA256SUMS").is_file()


def test_annotate_keeps_the_file_s_delimiter_and_header_findings(cli, tmp_path: Path) -> None:
    out = tmp_path / "a"
    cli("validate", CASES / "invalid" / "csv-semicolon-type-error", "--annotate", out)
    rows = _rows(out / "data" / "organisations.csv", delimiter=";")
    assert rows[2][0].startswith("members: 'cuarenta' is not a valid integer")
    out2 = tmp_path / "b"
    cli("validate", CASES / "invalid" / "csv-header-typo", "--annotate", out2)
    header = _rows(out2 / "data" / "organisations.csv")[0][0]
    assert header.startswith("sse-ld findings: members: column 7 is headed 'miembros'")


def test_annotate_refuses_to_replace_a_folder_it_did_not_write(cli, tmp_path: Path) -> None:
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "thesis.docx").write_text("precious")
    res = cli("validate", CASES / "invalid" / "table-enum", "--annotate", tmp_path / "mine")
    assert res.code == 2 and "not written by sse-ld" in res.err
    assert (tmp_path / "mine" / "thesis.docx").read_text() == "precious"


def test_annotate_skips_a_file_that_cannot_be_read(cli, tmp_path: Path) -> None:
    out = tmp_path / "a"
    res = cli("validate", CASES / "invalid" / "csv-latin1-encoding", "--annotate", out)
    assert res.code == 1
    assert not (out / "data" / "organisations.csv").exists()
    assert (out / "data" / "areas.csv").exists()


# --- sse-ld explain ---------------------------------------------------------------------------


def test_explain_says_what_a_code_means(cli) -> None:
    res = cli("explain", "unknown-code", "--lang", "es")
    assert res.code == 0
    assert res.out.startswith("unknown-code (mapping): código que no está en la lista")
    assert "cómo corregirlo:" in res.out
    listing = cli("explain", "--lang", "en").out
    assert "csv-delimiter" in listing and "sh:MinCountConstraintComponent" in listing
    bad = cli("explain", "no-such-code")
    assert bad.code == 2 and "unknown finding code" in bad.err


# --- validating the files a commit touched ----------------------------------------------------


def test_files_inside_packages_stand_for_their_packages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    a = tmp_path / "a"
    shutil.copytree(CASES / "valid" / "organisations", a)
    (tmp_path / "README.md").write_text("not data")
    monkeypatch.chdir(tmp_path)
    found = find_packages(["a/data/areas.csv", "a/mapping.json", "a/datapackage.json", "README.md", "a"])
    assert found.packages == ("a",)
    assert found.outside == ("README.md",)


def test_validate_takes_changed_files(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(CASES / "valid" / "organisations", tmp_path / "good")
    shutil.copytree(CASES / "invalid" / "table-enum", tmp_path / "bad")
    (tmp_path / "notes.txt").write_text("x")
    monkeypatch.chdir(tmp_path)
    res = cli("validate", "good/data/areas.csv", "bad/data/organisations.csv", "bad/mapping.json", "notes.txt")
    assert res.code == 1
    assert "good: valid" in res.out and "bad: INVALID" in res.out
    assert "notes.txt: not inside a data package; skipped" in res.err
    only_outside = cli("validate", "notes.txt")
    assert only_outside.code == 0 and "nothing to check" in only_outside.err


def test_one_unreadable_package_among_several_exits_2_after_checking_the_others(cli, tmp_path: Path) -> None:
    res = cli("validate", CASES / "valid" / "organisations", tmp_path / "nothing-here")
    assert res.code == 2
    assert "organisations: valid" in res.out and "no datapackage.json found" in res.err


# --- positions ----------------------------------------------------------------------------------


def test_cell_starts_follow_quotes_and_escapes() -> None:
    opts = {"delimiter": ",", "quotechar": '"', "doublequote": True}
    assert cell_starts('a,"b,""c""",d\n', opts) == [0, 2, 12]
    assert cell_starts('1,"two\nlines",3\n', opts) == [0, 2, 14]
    assert cell_starts("x;y;z\r\n", {**opts, "delimiter": ";"}) == [0, 2, 4]
    assert cell_starts("a,b\\,c,d", {**opts, "escapechar": "\\"}) == [0, 2, 7]


def test_json_positions_point_at_values() -> None:
    table = json_positions(PERU / "datapackage.json")
    text = (PERU / "datapackage.json").read_text(encoding="utf-8").splitlines()
    line, column = table["/resources/0/path"]
    assert text[line - 1][column - 1 :].startswith('"')
    assert (
        json.loads(text[line - 1][column - 1 :].split(",")[0].rstrip("}]"))
        == json.loads((PERU / "datapackage.json").read_text())["resources"][0]["path"]
    )


def test_the_columns_of_every_cell_match_a_csv_reader() -> None:
    """For every line of every table of the Peru dataset, reading from each cell start that
    cell_starts finds gives back that cell first."""
    package = open_package(PERU)
    checked = 0
    for res in package.resources:
        options = csv_options(res)
        for line in res.file.read_text(encoding="utf-8-sig").splitlines(keepends=True):
            (cells,) = list(csv.reader([line], **options))
            starts = cell_starts(line, options)
            assert len(starts) == len(cells)
            for start, cell in zip(starts, cells, strict=True):
                first = next(csv.reader([line[start:]], **options)) or [""]  # [] for an empty last cell
                assert first[0] == cell
                checked += 1
    assert checked > 500
