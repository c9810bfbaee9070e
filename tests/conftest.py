"""Shared fixtures and options for the sse_ld test suite."""

from __future__ import annotations

import io
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import netguard
import pytest

from sse_ld.cli import run

# No test may reach the network: see tests/netguard.py. Installed at import, before any test
# module (and anything it imports) can open a connection, and in every Python subprocess.
netguard.install()
_CHILD_LOG = Path(tempfile.mkdtemp(prefix="sse-ld-netguard-")) / "blocked.log"
_CHILD_LOG.touch()
netguard.guard_children(_CHILD_LOG)

ROOT = Path(__file__).resolve().parent.parent
CASES = Path(__file__).resolve().parent / "cases"
PERU = ROOT / "datasets" / "peru-sse"
#: ../shared beside the checkout (CI); SSE_LD_SHARED points elsewhere (e.g. from a git worktree).
SHARED = Path(os.environ.get("SSE_LD_SHARED") or ROOT.parent / "shared")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        default=False,
        help="rewrite expected.json / expected.ttl of the test cases from the current output",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "network(*hosts, reason): the Python processes this test starts may reach these hosts (only "
        "for installing tools, never for sse-ld itself; the reason says why)",
    )


@pytest.fixture(autouse=True)
def no_network(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail the test if it tried to reach anything but loopback, even if the code under
    test caught the error the guard raised."""
    before = len(netguard.BLOCKED)
    children_before = _CHILD_LOG.stat().st_size
    marker = request.node.get_closest_marker("network")
    if marker is not None:
        assert marker.args and marker.kwargs.get("reason"), "network(...) needs the hosts and a reason"
        os.environ["SSE_LD_NETGUARD_ALLOW"] = ",".join(marker.args)
    try:
        yield
    finally:
        os.environ.pop("SSE_LD_NETGUARD_ALLOW", None)
    tried = netguard.BLOCKED[before:]
    assert not tried, f"the test tried to reach the network: {tried}"
    with _CHILD_LOG.open(encoding="utf-8") as f:
        f.seek(children_before)
        tried_by_children = f.read()
    assert not tried_by_children, f"a process the test started tried to reach the network: {tried_by_children}"


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    children = _CHILD_LOG.read_text(encoding="utf-8")
    if (netguard.BLOCKED or children) and session.exitstatus == 0:
        session.exitstatus = 1
        print(f"\nno-network guard: blocked: {netguard.BLOCKED} {children}")


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens"))


@pytest.fixture(autouse=True)
def _english_unless_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reports follow the locale (LC_ALL, LC_MESSAGES, LANG); tests that do not pass --lang
    expect English whatever the machine is set to."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)


class CliResult:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err


def run_cli(*args: str | os.PathLike[str]) -> CliResult:
    """Run the sse-ld CLI in-process and capture its exit code, stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    code = run([str(a) for a in args], stdout=out, stderr=err)
    return CliResult(code, out.getvalue(), err.getvalue())


@pytest.fixture
def cli():
    return run_cli


@pytest.fixture
def peru_copy(tmp_path: Path) -> Iterator[Path]:
    """A private copy of the Peru package, safe to break."""
    dest = tmp_path / "peru-sse"
    shutil.copytree(PERU, dest)
    yield dest


@pytest.fixture(scope="session")
def peru_dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Peru dataset built once per test session (read-only: copy it before changing it)."""
    import sse_ld

    out = tmp_path_factory.mktemp("peru-dist") / "out"
    result = sse_ld.build(PERU, out)
    assert result.written and result.report.issues == (), [i.to_dict() for i in result.report.issues]
    return out
