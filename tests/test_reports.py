"""The reports a contributor and a CI job see: text (snapshots), JSON (against the documented
schema), SARIF (against the official SARIF 2.1.0 schema), GitHub annotations, the Spanish
and English messages, and --fail-on.

Every invalid case of tests/cases/invalid/ runs once per format here; snapshots of the text
report live in tests/snapshots/ and are rewritten only by ``pytest --update-goldens``.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import jsonschema
import pytest
from conftest import CASES, ROOT, CliResult, run_cli

from sse_ld import Issue, Location, Report, Severity, Stage
from sse_ld.messages import KINDS, localize
from sse_ld.report import REPORT_FORMAT_VERSION
from sse_ld.reporters.github import escape_data, escape_property

INVALID = sorted(p for p in (CASES / "invalid").iterdir() if p.is_dir())
SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"


@pytest.fixture(autouse=True)
def _at_the_repository_root(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reports name files relative to the current folder; run from the repository root."""
    monkeypatch.chdir(ROOT)


def _args(case: Path) -> list[str]:
    expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    return [a for a in expected.get("args", []) if a not in ("--lang", "es", "en")]


def _listed(case: Path) -> bool:
    """The case runs and lists its findings (the big case, summarised, has its own tests)."""
    return "issues" in json.loads((case / "expected.json").read_text(encoding="utf-8"))


RUNNABLE = [c for c in INVALID if _listed(c)]


@cache
def _validate(case: Path, fmt: str, lang: str = "en") -> CliResult:
    """The CLI run of an invalid case in a format and a language (each run once per session)."""
    return run_cli("validate", case, "--format", fmt, "--lang", lang, *_args(case))


@cache
def _report_schema() -> jsonschema.protocols.Validator:
    schema = json.loads((ROOT / "docs" / "report.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


@cache
def _sarif_schema() -> jsonschema.protocols.Validator:
    schema = json.loads((Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())


def _errors(validator: jsonschema.protocols.Validator, data: object) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)]


# --- JSON ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", RUNNABLE, ids=[p.name for p in RUNNABLE])
def test_json_report_follows_the_documented_schema(case: Path) -> None:
    assert _errors(_report_schema(), json.loads(_validate(case, "json").out)) == []


def test_json_schema_is_the_current_report_version(cli, tmp_path: Path) -> None:
    schema = json.loads((ROOT / "docs" / "report.schema.json").read_text(encoding="utf-8"))
    assert f"report-{REPORT_FORMAT_VERSION}.schema.json" in schema["$id"]
    documented = set(schema["$defs"]["location"]["properties"])
    assert documented == set(Location.__dataclass_fields__)
    assert set(schema["$defs"]["issue"]["properties"]) == {"stage", "code", "severity", "message", "hint", "location"}


def test_the_schema_rejects_what_is_not_a_report() -> None:
    good = Report.of("p", [Issue(Stage.TABLE, "type-error", Severity.ERROR, "m", Location(row=2, column=3))]).to_dict()
    assert _errors(_report_schema(), good) == []
    for bad in (
        {**good, "valid": "yes"},
        {**good, "issues": [{**good["issues"][0], "severity": "fatal"}]},
        {**good, "issues": [{**good["issues"][0], "location": {"row": 0}}]},
        {**good, "issues": [{**good["issues"][0], "location": {"colum": 3}}]},
    ):
        assert _errors(_report_schema(), bad) != []


def test_json_of_several_packages_is_a_list_of_reports(cli) -> None:
    cases = [CASES / "invalid" / "table-enum", CASES / "valid" / "organisations"]
    res = cli("validate", *cases, "--format", "json")
    data = json.loads(res.out)
    assert res.code == 1
    assert [r["package"] for r in data] == [str(c) for c in cases]
    assert [r["valid"] for r in data] == [False, True]
    assert _errors(_report_schema(), data) == []


# --- SARIF --------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", RUNNABLE, ids=[p.name for p in RUNNABLE])
def test_sarif_report_is_valid_sarif_2_1_0(case: Path) -> None:
    log = json.loads(_validate(case, "sarif").out)
    assert _errors(_sarif_schema(), log) == []
    (run,) = log["runs"]
    report = json.loads(_validate(case, "json").out)
    assert len(run["results"]) == len(report["issues"])
    rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
    for result, issue in zip(run["results"], report["issues"], strict=True):
        assert rules[result["ruleIndex"]] == result["ruleId"] == issue["code"]
        assert result["message"]["text"].startswith(issue["message"])
        loc = issue["location"]
        if "line" in loc and "file" in loc:
            region = result["locations"][0]["physicalLocation"]["region"]
            assert region["startLine"] == loc["line"]
            assert region.get("startColumn") == loc.get("column")


def test_sarif_points_at_the_file_from_the_current_folder(cli) -> None:
    res = cli("validate", CASES / "invalid" / "table-type-error", "--format", "sarif", "--lang", "es")
    (run,) = json.loads(res.out)["runs"]
    (result,) = run["results"]
    physical = result["locations"][0]["physicalLocation"]
    uri = physical["artifactLocation"]["uri"]
    assert (Path.cwd() / uri).is_file() and uri.endswith("table-type-error/data/organisations.csv")
    assert physical["region"] == {"startLine": 3, "startColumn": 43}
    assert run["language"] == "es" and "no es un número entero válido" in result["message"]["text"]
    assert result["properties"]["row"] == 3 and result["properties"]["field"] == "members"


# --- GitHub -------------------------------------------------------------------------------------


def test_github_annotations_name_file_line_column_and_fix(cli) -> None:
    res = cli("validate", CASES / "invalid" / "table-pattern", "--format", "github")
    commands = [line for line in res.out.splitlines() if line.startswith("::")]
    assert res.code == 1
    assert commands[0] == (
        "::error file=tests/cases/invalid/table-pattern/data/areas.csv,line=3,col=1,"
        "title=constraint-error (value breaks a rule of its column)::'1A' does not match the pattern [0-9]{2}. "
        "Fix: correct the value so it has the expected form"
    )
    assert len(commands) == 3
    assert "tests/cases/invalid/table-pattern: INVALID" in res.out  # the text report follows, for the log


def test_github_annotations_are_capped_per_kind(cli) -> None:
    res = cli("validate", CASES / "invalid" / "table-10000-errors", "--format", "github", "--max-per-group", "2")
    commands = [line for line in res.out.splitlines() if line.startswith("::")]
    assert len(commands) == 4 * 3  # four kinds: two findings each, then one counting the rest
    assert sum("2498 more findings like this one" in c for c in commands) == 4


def test_github_escapes_what_would_break_a_command() -> None:
    assert escape_data("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert escape_property("a,b:c\n") == "a%2Cb%3Ac%0A"


# --- text ---------------------------------------------------------------------------------------

SNAPSHOT_CASES = [("mixed-all-stages", "es"), ("mixed-all-stages", "en"), ("table-10000-errors", "en")]


@pytest.mark.parametrize(("name", "lang"), SNAPSHOT_CASES, ids=[f"{n}.{lang}" for n, lang in SNAPSHOT_CASES])
def test_text_report_snapshot(name: str, lang: str, update_goldens: bool) -> None:
    res = _validate(Path("tests/cases/invalid") / name, "text", lang)
    snapshot = SNAPSHOTS / f"{name}.{lang}.txt"
    if update_goldens:
        snapshot.parent.mkdir(exist_ok=True)
        snapshot.write_text(res.out, encoding="utf-8")
    assert res.out == snapshot.read_text(encoding="utf-8"), f"the text report changed: compare with {snapshot}"


def test_ten_thousand_findings_make_a_short_report() -> None:
    assert len(json.loads(_validate(CASES / "invalid" / "table-10000-errors", "json").out)["issues"]) == 10_000
    text = _validate(Path("tests/cases/invalid/table-10000-errors"), "text", "en").out
    assert len(text.splitlines()) < 45 and max(len(line) for line in text.splitlines()) < 200


def test_a_huge_cell_does_not_flood_the_report(cli, tmp_path: Path) -> None:
    import shutil

    pkg = tmp_path / "pkg"
    shutil.copytree(CASES / "invalid" / "table-type-error", pkg)
    orgs = pkg / "data" / "organisations.csv"
    orgs.write_text(orgs.read_text(encoding="utf-8").replace("cuarenta", "x" * 100_000), encoding="utf-8")
    text = cli("validate", pkg).out
    assert max(len(line) for line in text.splitlines()) <= 320


# --- languages ----------------------------------------------------------------------------------


@pytest.mark.parametrize("case", RUNNABLE, ids=[p.name for p in RUNNABLE])
def test_every_finding_is_told_in_spanish_with_a_fix(case: Path) -> None:
    en = json.loads(_validate(case, "json", "en").out)["issues"]
    es = json.loads(_validate(case, "json", "es").out)["issues"]
    assert [(i["code"], i["location"]) for i in en] == [(i["code"], i["location"]) for i in es]
    for a, b in zip(en, es, strict=True):
        assert b["code"] in KINDS, f"{b['code']} is not in the catalogue (sse_ld/messages/)"
        assert b.get("hint") and a.get("hint") and a["hint"] != b["hint"], (a, b)
        if not b["code"].startswith("sh:") and b["code"] not in ("mapping-invalid", "field-error"):
            assert a["message"] != b["message"], f"no Spanish template matches: {a['message']!r}"


def test_language_defaults_from_the_environment(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    case = CASES / "invalid" / "table-type-error"
    monkeypatch.setenv("LANG", "es_PE.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    assert "no es un número entero válido" in cli("validate", case).out
    monkeypatch.setenv("LC_ALL", "en_GB.UTF-8")
    assert "is not a valid integer" in cli("validate", case).out
    assert "no es un número entero válido" in cli("validate", case, "--lang", "es").out


def test_a_spanish_report_can_be_told_again_in_english() -> None:
    issue = Issue(
        Stage.TABLE,
        "type-error",
        Severity.ERROR,
        "'12,5' is not a valid number",
        Location(value="12,5"),
        "write '12.5': the decimal separator is a dot, not a comma",
    )
    es = localize(issue, "es")
    assert es.message == "'12,5' no es un número válido"
    assert es.hint == "escriba '12.5': el separador decimal es el punto, no la coma"
    assert localize(es, "en") == issue


def test_an_unknown_message_is_kept_and_gets_its_kind_s_fix() -> None:
    issue = Issue(Stage.SHACL, "sh:MinCountConstraintComponent", Severity.ERROR, "Falta el nombre")
    es = localize(issue, "es")
    assert es.message == "Falta el nombre" and es.hint == "rellene la(s) celda(s) de esta fila"
    other = Issue(Stage.TABLE, "no-such-code", Severity.ERROR, "m")
    assert localize(other, "es") is other


# --- exit codes ---------------------------------------------------------------------------------


def test_fail_on_sets_the_exit_threshold(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """A report with only a warning: valid by default, failing with --fail-on warning. (No
    bundled shape or check yields a warning-only report yet, so the report is built here.)"""
    warned = Report.of("pkg", [Issue(Stage.SHACL, "sh:MaxCountConstraintComponent", Severity.WARNING, "w")])
    monkeypatch.setattr("sse_ld.cli.validate.validate", lambda *a, **k: warned)
    case = str(CASES / "valid" / "organisations")
    assert cli("validate", case).code == 0
    assert cli("validate", case, "--fail-on", "error").code == 0
    res = cli("validate", case, "--fail-on", "warning")
    assert res.code == 1 and "WARNING sh:MaxCountConstraintComponent" in res.out
