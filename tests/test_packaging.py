"""The wheel ships the ontology, code lists, shapes and schemas, and an installed sse-ld
works from any folder: build the wheel, install it in a fresh virtual environment, run it."""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest
from conftest import PERU, ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (whl,) = out.glob("sse_ld-*.whl")
    return whl


def test_wheel_contains_the_bundled_resources(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for ttl in (ROOT / "ontology").rglob("*.ttl"):
        assert f"sse_ld/_bundled/ontology/{ttl.relative_to(ROOT / 'ontology').as_posix()}" in names
    for ttl in (ROOT / "shapes").rglob("*.ttl"):
        assert f"sse_ld/_bundled/shapes/{ttl.relative_to(ROOT / 'shapes').as_posix()}" in names
    assert "sse_ld/schemas/mapping-1.schema.json" in names
    assert any(n.endswith("entry_points.txt") for n in names)


def test_installed_wheel_validates_from_any_folder(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    # The fresh venv sees the test environment's third-party packages through a .pth file,
    # so pip resolves the wheel's declared dependencies offline (--no-index) and only the
    # wheel itself is installed; sse_ld is then imported from the wheel, not the checkout.
    vpy = venv / "bin" / "python"
    site = subprocess.run(
        [str(vpy), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    Path(site, "test-env.pth").write_text("\n".join(sorted(ours)) + "\n")
    install = subprocess.run(
        [str(vpy), "-m", "pip", "install", "--no-index", "--no-deps", "--force-reinstall", str(wheel)],
        capture_output=True,
        text=True,
    )
    assert install.returncode == 0, install.stdout + install.stderr
    # Every dependency the wheel declares is satisfied by what is installed.
    check = subprocess.run([str(vpy), "-m", "pip", "check"], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout
    pkg = tmp_path / "elsewhere" / "peru-sse"
    shutil.copytree(PERU, pkg)
    exe = venv / "bin" / "sse-ld"
    proc = subprocess.run(
        [str(exe), "validate", str(pkg), "--format", "json"], cwd=tmp_path, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    assert '"valid": true' in proc.stdout
    where = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import sse_ld.resources as r; print(r.bundled_dir('shapes'))"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "_bundled" in where.stdout and str(ROOT) not in where.stdout
