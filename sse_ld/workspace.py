"""Finding the data packages that a list of paths belongs to.

Hooks and CI jobs know which files changed, not which packages: ``sse-ld validate`` accepts
package folders, their ``datapackage.json``, or any file inside a package (a CSV file, the
mapping), and validates each package concerned once. A file that lies in no package is
skipped, so a hook can pass every changed file.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

__all__ = ["DESCRIPTOR", "Packages", "find_packages"]

DESCRIPTOR = "datapackage.json"


@dataclass(frozen=True)
class Packages:
    """The packages found for some paths.

    Attributes:
        packages: package folders, each once, in the order met.
        outside: the given files that lie in no package.
    """

    packages: tuple[str, ...]
    outside: tuple[str, ...] = ()


def _enclosing(path: Path) -> Path | None:
    for folder in path.resolve().parents:
        if (folder / DESCRIPTOR).is_file():
            return folder
    return None


def find_packages(paths: Iterable[str]) -> Packages:
    """The packages that ``paths`` name or lie in.

    A folder is taken as a package as given (a folder without a descriptor is reported as
    such when it is opened), a ``datapackage.json`` stands for its folder, and any other
    file for the nearest folder above it that holds a ``datapackage.json``.
    """
    found: list[str] = []
    seen: set[Path] = set()
    outside: list[str] = []
    for text in paths:
        path = Path(text)
        if path.is_dir() or path.name == DESCRIPTOR or not path.exists():
            folder = path.parent if path.name == DESCRIPTOR and path.is_file() else path
            key = folder.resolve()
            shown = text if folder is path else (str(folder) if str(folder) else ".")
        else:
            enclosing = _enclosing(path)
            if enclosing is None:
                outside.append(text)
                continue
            key = enclosing
            shown = _shown(enclosing)
        if key not in seen:
            seen.add(key)
            found.append(shown)
    return Packages(tuple(found), tuple(outside))


def _shown(folder: Path) -> str:
    """``folder`` relative to the current folder when it lies under it (as hooks show paths)."""
    try:
        rel = folder.relative_to(Path.cwd().resolve())
    except ValueError:
        return str(folder)
    return str(rel) if str(rel) != "." else "."
