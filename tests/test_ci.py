"""The CI integration, run for real in fixture git repositories:

- the GitHub Action (action.yml): GitHub cannot run here, so its own ``run:`` scripts are
  executed the way the runner does (``bash --noprofile --norc -eo pipefail``), with the
  ``${{ ... }}`` of their ``env:`` substituted from the inputs and a GitHub context; the
  install step installs sse-ld from this checkout into a fresh virtual environment;
- the pre-commit hook (.pre-commit-hooks.yaml), through ``pre-commit try-repo``, which builds
  the hook's own environment from this repository (pip needs the package index for that).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import CASES, ROOT

ACTION: dict[str, Any] = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.org",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.org",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_SYSTEM": os.devnull,
}


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, **GIT_ENV}
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True).stdout.strip()


def commit(repo: Path, message: str) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD")


def fixture_repo(path: Path) -> Path:
    """A data repository: two packages under datos/ and a README."""
    path.mkdir()
    git(path, "init", "-q", "-b", "main")
    shutil.copytree(CASES / "valid" / "organisations", path / "datos" / "lima", ignore=_no_goldens)
    shutil.copytree(CASES / "valid" / "peru-regions-code-list", path / "datos" / "distritos", ignore=_no_goldens)
    (path / "README.md").write_text("Datos de la ESS (ejemplo)\n")
    return path


def _no_goldens(_folder: str, names: list[str]) -> list[str]:
    return [n for n in names if n.startswith("expected.")]


def break_cell(repo: Path) -> None:
    orgs = repo / "datos" / "lima" / "data" / "organisations.csv"
    orgs.write_text(orgs.read_text(encoding="utf-8").replace(",45,40,", ",cuarenta y cinco,40,"), encoding="utf-8")


# --- the GitHub Action -------------------------------------------------------------------------


def _lookup(path: str, ctx: dict[str, Any]) -> str:
    value: Any = ctx
    for part in path.strip().split("."):
        value = value.get(part, "") if isinstance(value, dict) else ""
    return "" if value is None else str(value)


def substitute(text: str, ctx: dict[str, Any]) -> str:
    """``text`` with each ``${{ a.b || c.d }}`` replaced from ``ctx`` (the subset of GitHub's
    expression language that action.yml uses: context lookups and ``||``)."""

    def expr(m: re.Match[str]) -> str:
        for alternative in m.group(1).split("||"):
            value = _lookup(alternative, ctx)
            if value:
                return value
        return ""

    return re.sub(r"\$\{\{\s*(.*?)\s*\}\}", expr, text)


@dataclass
class ActionRun:
    code: int
    out: str
    summary: str


class Runner:
    """Runs the steps of action.yml as the GitHub runner would, with ``venv`` standing in for
    the Python that actions/setup-python provides."""

    def __init__(self, venv: Path, temp: Path) -> None:
        self.venv = venv
        self.temp = temp

    def env(self, extra: dict[str, str]) -> dict[str, str]:
        base = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHON"))}
        return {**base, "PATH": f"{self.venv / 'bin'}{os.pathsep}{os.environ['PATH']}", **extra}

    def run(
        self, repo: Path, *, inputs: dict[str, str] | None = None, github: dict[str, Any] | None = None, only: str = ""
    ) -> ActionRun:
        defaults = {name: str(spec.get("default", "")) for name, spec in ACTION["inputs"].items()}
        self.temp.mkdir(exist_ok=True)
        ctx = {
            "inputs": {**defaults, **(inputs or {})},
            "github": {"action_path": str(ROOT), **(github or {})},
            "runner": {"temp": str(self.temp)},
        }
        summary = self.temp / "step-summary.md"
        summary.write_text("")
        out: list[str] = []
        for step in ACTION["runs"]["steps"]:
            if "uses" in step:
                assert step["uses"].startswith("actions/setup-python@")  # the venv is the Python
                continue
            if only and step["name"] != only:
                continue
            assert step["shell"] == "bash"
            assert "${{" not in step["run"], "inputs must reach the scripts through env, not the script text"
            step_env = {k: substitute(str(v), ctx) for k, v in step.get("env", {}).items()}
            env = self.env({**step_env, "GITHUB_STEP_SUMMARY": str(summary), "RUNNER_TEMP": str(self.temp)})
            proc = subprocess.run(
                ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
                cwd=repo,
                env=env,
                capture_output=True,
                text=True,
                timeout=600,
            )
            out.append(proc.stdout + proc.stderr)
            if proc.returncode != 0:
                return ActionRun(proc.returncode, "".join(out), summary.read_text())
        return ActionRun(0, "".join(out), summary.read_text())


def _dependencies_only(dest: Path) -> Path:
    """A folder of links to every package of the test environment except sse-ld itself, so
    that the action's install step really installs sse-ld, and only sse-ld."""
    dest.mkdir()
    for folder in {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}:
        for entry in Path(folder).iterdir():
            name = entry.name.lower()
            if name.startswith(("sse_ld", "sse-ld", "_editable_impl_sse_ld", "__editable__")) or name.endswith(".pth"):
                continue
            if not (dest / entry.name).exists():
                (dest / entry.name).symlink_to(entry)
    return dest


@pytest.fixture(scope="module")
def runner(tmp_path_factory: pytest.TempPathFactory) -> Runner:
    """A fresh virtual environment into which the action's install step installs sse-ld from
    this checkout. The environment sees the test environment's packages through a .pth file,
    and pip works offline (no index, no build isolation), as in test_packaging.py."""
    base = tmp_path_factory.mktemp("action")
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    vpy = venv / "bin" / "python"
    site = subprocess.run(
        [str(vpy), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    Path(site, "test-env.pth").write_text(str(_dependencies_only(base / "deps")) + "\n")
    r = Runner(venv, base / "runner-temp")
    install = next(s for s in ACTION["runs"]["steps"] if s.get("name") == "Install sse-ld")
    offline = {"PIP_NO_INDEX": "1", "PIP_NO_BUILD_ISOLATION": "0", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    step_env = {
        k: substitute(str(v), {"inputs": {"version": ""}, "github": {"action_path": str(ROOT)}})
        for k, v in install["env"].items()
    }
    proc = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", install["run"]],
        cwd=base,
        env=r.env({**step_env, **offline}),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.strip().endswith("sse-ld 0.1.0")
    where = subprocess.run(
        [str(vpy), "-c", "import sse_ld; print(sse_ld.__file__)"], cwd=base, capture_output=True, text=True
    )
    assert str(venv) in where.stdout, "sse-ld must come from the action's install, not the checkout"
    return r


def test_action_annotates_a_broken_cell_in_a_pull_request(runner: Runner, tmp_path: Path) -> None:
    repo = fixture_repo(tmp_path / "repo")
    base = commit(repo, "datos")
    break_cell(repo)
    (repo / "README.md").write_text("cambiado\n")
    commit(repo, "un error")
    run = runner.run(repo, github={"event": {"pull_request": {"base": {"sha": base}}}}, inputs={"lang": "es"})
    assert run.code == 1, run.out
    assert "sse-ld: 1 data file(s) changed since" in run.out
    assert (
        "::error file=datos/lima/data/organisations.csv,line=3,col=43,title=type-error (valor de tipo incorrecto)::"
        "'cuarenta y cinco' no es un número entero válido. Cómo corregirlo: escriba un número entero"
    ) in run.out
    assert "datos/distritos" not in run.out  # an unchanged package is not checked
    assert run.summary.startswith("```text\ndatos/lima: NO VÁLIDO — 1 error, 0 avisos")
    assert "::" not in run.summary


def test_action_passes_once_the_cell_is_fixed(runner: Runner, tmp_path: Path) -> None:
    repo = fixture_repo(tmp_path / "repo")
    break_cell(repo)
    broken = commit(repo, "roto")
    shutil.copy(CASES / "valid" / "organisations" / "data" / "organisations.csv", repo / "datos/lima/data")
    commit(repo, "arreglado")
    run = runner.run(repo, github={"event": {"before": broken}})
    assert run.code == 0, run.out
    assert "datos/lima: válido — 0 errores, 0 avisos" in run.out


def test_action_has_nothing_to_check_when_no_data_changed(runner: Runner, tmp_path: Path) -> None:
    repo = fixture_repo(tmp_path / "repo")
    base = commit(repo, "datos")
    (repo / "README.md").write_text("solo texto\n")
    commit(repo, "texto")
    run = runner.run(repo, github={"event": {"pull_request": {"base": {"sha": base}}}})
    assert run.code == 0 and "nothing to check" in run.out


def test_action_checks_every_package_without_a_base_and_writes_sarif_and_annotated_copy(
    runner: Runner, tmp_path: Path
) -> None:
    repo = fixture_repo(tmp_path / "repo")
    break_cell(repo)
    commit(repo, "primero")
    sarif = tmp_path / "sse-ld.sarif"
    run = runner.run(
        repo,
        github={"event": {"before": "0000000000000000000000000000000000000000"}},
        inputs={"lang": "en", "annotate": "anotado", "sarif": str(sarif)},
    )
    assert run.code == 1
    assert "checking every package" in run.out
    assert "datos/distritos: valid" in run.out and "datos/lima: INVALID" in run.out
    log = json.loads(sarif.read_text(encoding="utf-8"))
    (result,) = log["runs"][0]["results"]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "datos/lima/data/organisations.csv"
    annotated = (repo / "anotado" / "datos" / "lima" / "data" / "organisations.csv").read_text(encoding="utf-8-sig")
    assert "members: 'cuarenta y cinco' is not a valid integer" in annotated


def test_action_checks_the_paths_given_and_honours_fail_on(runner: Runner, tmp_path: Path) -> None:
    repo = fixture_repo(tmp_path / "repo")
    commit(repo, "datos")
    run = runner.run(repo, inputs={"paths": "datos/distritos\n datos/lima/data/areas.csv", "fail-on": "warning"})
    assert run.code == 0, run.out
    assert "checking the paths given: datos/distritos datos/lima/data/areas.csv" in run.out
    assert "datos/distritos: válido" in run.out and "datos/lima: válido" in run.out
    odd = runner.run(repo, inputs={"paths": "datos/*"})  # a pattern is a path, never expanded
    assert odd.code == 2 and "datos/*" in odd.out


def test_workflow_example_in_the_guides_uses_the_action_s_inputs() -> None:
    inputs = set(ACTION["inputs"])
    for guide in ("contributing.en.md", "contributing.es.md"):
        text = (ROOT / "docs" / guide).read_text(encoding="utf-8")
        (block,) = re.findall(r"```yaml\n(# \.github/workflows/.*?)```", text, re.S)
        workflow = yaml.safe_load(block)
        steps = [s for job in workflow["jobs"].values() for s in job["steps"]]
        ours = [s for s in steps if "sse_ld" in s.get("uses", "")]
        assert ours and all(set(s.get("with", {})) <= inputs for s in ours), guide
        checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout"))
        assert checkout["with"]["fetch-depth"] == 0  # the base commit must be there to diff against


# --- the pre-commit hook ------------------------------------------------------------------------

HOOKS: list[dict[str, Any]] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One pre-commit cache for the module, so the hook's environment is built once."""
    return tmp_path_factory.mktemp("pre-commit-home")


def try_repo(repo: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never", "LC_ALL": "C.UTF-8"}
    env.pop("VIRTUAL_ENV", None)
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "sse-ld-validate", "--all-files"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=1200,
    )


_PYPI = pytest.mark.network(
    "pypi.org", "files.pythonhosted.org", reason="pre-commit installs the hook's environment from PyPI"
)


@_PYPI
def test_pre_commit_hook_passes_on_a_good_package(pre_commit_home: Path, tmp_path: Path) -> None:
    repo = fixture_repo(tmp_path / "repo")
    git(repo, "add", "-A")
    proc = try_repo(repo, pre_commit_home)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert re.search(r"sse-ld validate\.+Passed", proc.stdout)


@_PYPI
def test_pre_commit_hook_fails_on_a_bad_package_and_says_why(pre_commit_home: Path, tmp_path: Path) -> None:
    repo = fixture_repo(tmp_path / "repo")
    break_cell(repo)
    git(repo, "add", "-A")
    proc = try_repo(repo, pre_commit_home)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert re.search(r"sse-ld validate\.+Failed", proc.stdout)
    assert "datos/lima: INVALID — 1 error" in proc.stdout
    assert "line 3, row 3: 'cuarenta y cinco' is not a valid integer" in proc.stdout
    assert "datos/distritos: valid" in proc.stdout  # each package once, although many files were passed


def test_pre_commit_hook_definition() -> None:
    (hook,) = HOOKS
    assert hook["id"] == "sse-ld-validate" and hook["entry"] == "sse-ld validate"
    assert hook["require_serial"] is True  # one process sees all the files of a package
    pattern = re.compile(hook["files"])
    assert pattern.search("datos/lima/data/organisations.csv") and pattern.search("datos/lima/datapackage.json")
    assert not pattern.search("README.md")
