"""Fault injection: whatever goes wrong while publishing, the previous output stays as it
was, nothing half-written is left in its place, and the user is told what happened.

Real faults where this machine allows them: SIGKILL and SIGINT of a build process (at a
chosen point: half-way through a dump, just before the swap, between the two renames of
the portable swap), a real full disk (a 2 MiB tmpfs in a private mount namespace), a real
kernel write error (RLIMIT_FSIZE), real concurrent builds. Injected ones where a real fault
cannot be produced on demand: a serializer error, a rename that fails, a file that changes
after it was written.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import netguard
import pytest
from conftest import CASES, run_cli

import sse_ld
from sse_ld.publish import MARKER

ORGS = CASES / "valid" / "organisations"
CHILD = Path(__file__).resolve().parent / "fault_child.py"


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _verify(folder: Path) -> None:
    """Every file listed in SHA256SUMS is there with that digest, and nothing else is."""
    listed = {}
    for line in (folder / MARKER).read_text().splitlines():
        digest, name = line.split("  ", 1)
        listed[name] = digest
    assert set(listed) == set(_files(folder)) - {MARKER}
    for name, digest in listed.items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest, name


def _leftovers(parent: Path, name: str = "out") -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith(f".{name}.") and not p.name.endswith(".lock"))


@pytest.fixture
def published(tmp_path: Path) -> tuple[Path, Path, dict[str, bytes]]:
    """A package copy, an output folder built from it, and that output's bytes; the copy is
    then changed, so that a new build would publish something different."""
    pkg = tmp_path / "pkg"
    shutil.copytree(ORGS, pkg)
    out = tmp_path / "out"
    assert sse_ld.build(pkg, out).written
    before = _files(out)
    csv = pkg / "data" / "organisations.csv"
    csv.write_text(csv.read_text().replace("Comedor Santa Rosa", "Comedor Santa Rosa de Lima"))
    return pkg, out, before


def _start(fault: str, signals: Path, *args: str | Path) -> subprocess.Popen[str]:
    signals.mkdir(exist_ok=True)
    argv = netguard.guarded_argv(str(CHILD), fault, str(signals), *(str(a) for a in args))
    return subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_ready(signals: Path, proc: subprocess.Popen[str], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not (signals / "ready").exists():
        if proc.poll() is not None:
            out, err = proc.communicate()
            pytest.fail(f"the child ended before the fault point: {proc.returncode}\n{out}\n{err}")
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail("the child never reached the fault point")
        time.sleep(0.05)


# --- real signals ----------------------------------------------------------------------


@pytest.mark.parametrize("point", ["pause-mid-write", "pause-before-swap"])
def test_sigkill_leaves_the_previous_output_and_the_next_build_cleans_up(
    point: str, published: tuple[Path, Path, dict[str, bytes]], tmp_path: Path
) -> None:
    pkg, out, before = published
    signals = tmp_path / "signals"
    proc = _start(point, signals, "build", pkg, "--out", out)
    _wait_ready(signals, proc)
    staging = [p for p in tmp_path.iterdir() if p.name.startswith(".out.tmp-")]
    assert len(staging) == 1 and (staging[0] / "organisations.ttl").stat().st_size > 0  # really mid-write
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL

    assert _files(out) == before, "a killed build changed the published output"
    _verify(out)
    assert _leftovers(tmp_path) == [staging[0].name]  # the dead build's staging folder, hidden

    result = sse_ld.build(pkg, out)  # the next build: the lock was released by the kernel
    assert result.written
    assert "Santa Rosa de Lima" in (out / "organisations.ttl").read_text()
    _verify(out)
    assert _leftovers(tmp_path) == []


def test_sigkill_between_the_two_renames_of_the_portable_swap_is_recovered(
    published: tuple[Path, Path, dict[str, bytes]], tmp_path: Path
) -> None:
    """Where renameat2(RENAME_EXCHANGE) is unavailable the swap is two renames; a build
    killed between them has moved the previous output aside. The next build puts it back
    before anything else, then publishes."""
    pkg, out, before = published
    proc = _start("kill-between-renames", tmp_path / "signals", "build", pkg, "--out", out)
    proc.wait(timeout=120)
    assert proc.returncode == -signal.SIGKILL, proc.communicate()
    assert not out.exists()
    aside = [p for p in tmp_path.iterdir() if p.name.startswith(".out.old-")]
    assert len(aside) == 1 and _files(aside[0]) == before  # intact, beside the target

    from sse_ld.publish import OutputFolder

    with OutputFolder(out):  # entering (what any build does first) restores it...
        assert _files(out) == before
    assert _files(out) == before  # ...and leaving without a commit keeps it
    assert sse_ld.build(pkg, out).written
    assert "Santa Rosa de Lima" in (out / "organisations.ttl").read_text()
    assert _leftovers(tmp_path) == []


def test_ctrl_c_mid_write_says_nothing_was_published(
    published: tuple[Path, Path, dict[str, bytes]], tmp_path: Path
) -> None:
    pkg, out, before = published
    signals = tmp_path / "signals"
    proc = _start("pause-mid-write", signals, "build", pkg, "--out", out)
    _wait_ready(signals, proc)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert "interrupted; nothing was published" in err
    assert "Traceback" not in err
    assert _files(out) == before
    assert _leftovers(tmp_path) == []  # an interrupt unwinds: the staging folder is removed


# --- real write errors -----------------------------------------------------------------


def test_a_real_write_error_from_the_kernel_is_reported(
    published: tuple[Path, Path, dict[str, bytes]], tmp_path: Path
) -> None:
    """RLIMIT_FSIZE makes write() fail with EFBIG past 100 kB, as a full disk fails with
    ENOSPC: the 650 kB regions file cannot be written."""
    pkg, out, before = published
    proc = _start("file-size-limit=100000", tmp_path / "signals", "build", pkg, "--out", out)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 2, err
    assert "File too large" in err and "nothing was published: the previous output is unchanged" in err
    assert "Traceback" not in err
    assert _files(out) == before
    assert _leftovers(tmp_path) == []


_DISK_FULL_DRIVER = """
import json, os, subprocess, sys
mnt, pkg, argv_json = sys.argv[1], sys.argv[2], sys.argv[3]
guarded = json.loads(argv_json)
subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", mnt], check=True)
out = os.path.join(mnt, "out")
def build():
    p = subprocess.run(guarded + ["build", pkg, "--out", out], capture_output=True, text=True)
    return {"code": p.returncode, "err": p.stderr}
def files():
    res = {}
    for root, _dirs, names in os.walk(out):
        for n in names:
            path = os.path.join(root, n)
            res[os.path.relpath(path, out)] = open(path, "rb").read().hex()
    return res
first = build()
before = files()
st = os.statvfs(mnt)
free = st.f_bavail * st.f_frsize
with open(os.path.join(mnt, "filler"), "wb") as f:  # leave about 300 kB: less than one output
    f.write(b"0" * max(0, free - 300_000))
second = build()
after = files()
leftovers = sorted(n for n in os.listdir(mnt) if n.startswith(".out.") and not n.endswith(".lock"))
print(json.dumps({"first": first, "second": second, "same": before == after, "n": len(before),
                  "leftovers": leftovers}))
"""


def test_a_full_disk_leaves_the_previous_output(tmp_path: Path) -> None:
    """A real full disk: an 8 MiB tmpfs in a private mount namespace, filled up after a
    first build so that the second cannot write its staging copy."""
    if shutil.which("unshare") is None or shutil.which("mount") is None:
        pytest.skip("needs unshare(1) and mount(8)")
    pkg = tmp_path / "pkg"
    shutil.copytree(ORGS, pkg)
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    driver = tmp_path / "driver.py"
    driver.write_text(_DISK_FULL_DRIVER)
    guarded = netguard.guarded_argv("-m", "sse_ld")
    unshare = ["unshare", "--mount"] if os.geteuid() == 0 else ["unshare", "--mount", "--map-root-user"]
    probe = subprocess.run([*unshare, "true"], capture_output=True, text=True)
    if probe.returncode != 0:
        pytest.skip(f"cannot create a mount namespace here: {probe.stderr.strip()}")
    argv = [*unshare, sys.executable, str(driver), str(mnt), str(pkg), json.dumps(guarded)]
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    assert report["first"]["code"] == 0, report["first"]["err"]
    assert report["n"] > 5
    assert report["second"]["code"] == 2, report["second"]["err"]
    err = report["second"]["err"]
    assert "No space left on device" in err and "free some disk space" in err, err
    assert "nothing was published: the previous output is unchanged" in err
    assert "Traceback" not in err
    assert report["same"], "the full disk damaged the previous output"
    assert report["leftovers"] == []


def test_an_injected_disk_full_error_names_the_file(
    published: tuple[Path, Path, dict[str, bytes]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The dumps are written together, row by row: an error writing one of them names that
    file, not the last one opened."""
    pkg, out, before = published
    from sse_ld import publish

    real = publish._HashingWriter.write

    def full(self: publish._HashingWriter, data: object) -> int:
        if self.name == "organisations.nt":
            raise OSError(28, "No space left on device")
        return real(self, data)

    monkeypatch.setattr(publish._HashingWriter, "write", full)
    res = run_cli("build", pkg, "--out", out)
    assert res.code == 2
    assert "could not write organisations.nt: No space left on device" in res.err
    assert "free some disk space" in res.err
    assert _files(out) == before


# --- injected faults -------------------------------------------------------------------


def test_a_serializer_failing_half_way_is_an_internal_error_that_publishes_nothing(
    published: tuple[Path, Path, dict[str, bytes]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pkg, out, before = published
    from sse_ld.writers import Serializer

    real = Serializer.spell
    calls = []

    def broken(self: Serializer, subject: str, pairs: list[Any]) -> object:
        calls.append(subject)
        if len(calls) > 3:  # some rows are written, then the serializer breaks
            raise ValueError("a serializer bug")
        return real(self, subject, pairs)

    monkeypatch.setattr(Serializer, "spell", broken)
    res = run_cli("build", pkg, "--out", out)
    assert res.code == 3
    assert "internal error" in res.err and "a serializer bug" in res.err
    assert f"nothing was published: the previous output is unchanged ({out.absolute()})" in res.err
    assert _files(out) == before
    assert _leftovers(tmp_path) == []


def test_a_failing_rename_leaves_the_previous_output(
    published: tuple[Path, Path, dict[str, bytes]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pkg, out, before = published

    def busy(a: Path, b: Path) -> bool:
        raise OSError(16, "Device or resource busy", str(b))

    monkeypatch.setattr("sse_ld.publish._exchange", busy)
    res = run_cli("build", pkg, "--out", out)
    assert res.code == 2
    assert "could not move the new output into place: Device or resource busy" in res.err
    assert "the previous output is unchanged" in res.err
    assert _files(out) == before
    assert _leftovers(tmp_path) == []


def test_a_failing_second_rename_of_the_portable_swap_puts_the_previous_output_back(
    published: tuple[Path, Path, dict[str, bytes]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pkg, out, before = published
    real_rename = os.rename

    def rename(src: os.PathLike[str], dst: os.PathLike[str]) -> None:
        if ".tmp-" in str(src):  # the new output moving into place
            raise OSError(18, "Invalid cross-device link", str(dst))
        real_rename(src, dst)

    monkeypatch.setattr("sse_ld.publish._exchange", lambda a, b: False)
    monkeypatch.setattr("sse_ld.publish.os.rename", rename)
    res = run_cli("build", pkg, "--out", out)
    assert res.code == 2 and "Invalid cross-device link" in res.err
    assert _files(out) == before
    assert _leftovers(tmp_path) == []


def test_a_file_changed_after_it_was_written_is_never_published(
    published: tuple[Path, Path, dict[str, bytes]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A checksum mismatch between what sse-ld wrote and what is on the disk (another
    program writing in the staging folder, a failing disk) stops the publication."""
    pkg, out, before = published
    from sse_ld.outputs import PUBLISHERS

    def tamper(ctx: object, folder: sse_ld.publish.OutputFolder) -> None:
        with (folder.staging / "organisations.nt").open("a") as f:
            f.write("<https://evil.example/s> <https://evil.example/p> <https://evil.example/o> .\n")

    monkeypatch.setattr("sse_ld.pipeline.PUBLISHERS", [*PUBLISHERS, tamper])
    res = run_cli("build", pkg, "--out", out)
    assert res.code == 2
    assert "checksum mismatch: organisations.nt changed between being written and being published" in res.err
    assert _files(out) == before
    assert _leftovers(tmp_path) == []


# --- concurrent builds -----------------------------------------------------------------


def test_a_second_build_on_a_busy_folder_is_told_and_changes_nothing(
    published: tuple[Path, Path, dict[str, bytes]], tmp_path: Path
) -> None:
    pkg, out, before = published
    signals = tmp_path / "signals"
    first = _start("pause-mid-write", signals, "build", pkg, "--out", out)
    _wait_ready(signals, first)
    second = _start("none", tmp_path / "signals-2", "build", pkg, "--out", out)
    _, err = second.communicate(timeout=120)
    assert second.returncode == 2
    assert "another sse-ld build is writing this output folder right now" in err
    assert _files(out) == before
    (signals / "go").touch()
    _, err = first.communicate(timeout=120)
    assert first.returncode == 0, err
    assert "Santa Rosa de Lima" in (out / "organisations.ttl").read_text()
    _verify(out)
    assert _leftovers(tmp_path) == []


def test_builds_racing_freely_end_with_one_complete_output(tmp_path: Path) -> None:
    pkg = tmp_path / "pkg"
    shutil.copytree(ORGS, pkg)
    out = tmp_path / "out"
    procs = [_start("none", tmp_path / f"signals-{i}", "build", pkg, "--out", out) for i in range(3)]
    results = [(p.wait(timeout=300), p.communicate()[1]) for p in procs]
    for code, err in results:
        assert code == 0 or (code == 2 and "another sse-ld build is writing" in err), err
    assert any(code == 0 for code, _ in results)
    _verify(out)
    assert _leftovers(tmp_path) == []
