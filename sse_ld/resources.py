"""Files shipped with sse_ld: the ontology, code lists, SHACL shapes and JSON Schemas.

In a wheel, ``ontology/`` and ``shapes/`` are copied to ``sse_ld/_bundled/``; in a source
checkout (editable install, tests) they are read from the top of the repository. Either
way callers get real paths, never network locations.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from .errors import InternalError

__all__ = ["bundled_dir", "ontology_files", "schema_path", "shapes_files"]

_HERE = Path(__file__).resolve().parent


@cache
def bundled_dir(name: str) -> Path:
    """The folder of a bundled resource set: ``"ontology"`` or ``"shapes"``."""
    for candidate in (_HERE / "_bundled" / name, _HERE.parent / name):
        if candidate.is_dir():
            return candidate
    raise InternalError(f"the bundled folder {name!r} is missing from this installation")


def ontology_files() -> list[Path]:
    """Every Turtle file of the ontology and its code lists, in a stable order."""
    return sorted(bundled_dir("ontology").rglob("*.ttl"))


def shapes_files() -> list[Path]:
    """Every Turtle file of the bundled SHACL shapes, in a stable order."""
    return sorted(bundled_dir("shapes").rglob("*.ttl"))


def schema_path(name: str) -> Path:
    """Path of a JSON Schema shipped inside the package, e.g. ``"mapping-1.schema.json"``."""
    path = _HERE / "schemas" / name
    if not path.is_file():
        raise InternalError(f"the JSON Schema {name!r} is missing from this installation")
    return path
