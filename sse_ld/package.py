"""Loading a Frictionless data package safely, and validating its tables with frictionless.

This module owns the ``frictionless`` library. :func:`open_package` reads
``datapackage.json``, refuses paths that leave the package folder (absolute paths, ``..``,
``~``, symlinks pointing outside, URLs unless remote data is allowed), inlines schema and
dialect files and pins the encoding to UTF-8 unless one is declared, so that frictionless
only ever sees a self-contained descriptor. :func:`validate_tables` runs frictionless and
turns its errors into :class:`~sse_ld.report.Issue` values.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from .errors import InputError, UnsafeInputError
from .limits import Limits
from .report import Issue, Location, Severity, Stage

__all__ = [
    "DESCRIPTOR_NAME",
    "DataPackage",
    "Resource",
    "load_json_file",
    "open_package",
    "safe_member",
    "structural_failure",
    "validate_tables",
]

DESCRIPTOR_NAME = "datapackage.json"
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://")
_DRIVE = re.compile(r"^[A-Za-z]:")


@dataclass(frozen=True, slots=True)
class Resource:
    """One tabular resource of a package, with everything needed to read it.

    Attributes:
        name: the resource name.
        path: the path as written in the descriptor (relative, POSIX), or the URL.
        file: the local file to read (inside the package, or a downloaded copy).
        schema: the Table Schema, inlined.
        dialect: the CSV dialect options, inlined (may be empty).
        encoding: the text encoding to read with.
        pointer: JSON pointer of the resource in ``datapackage.json``.
        remote: the data was downloaded from ``path`` (a URL) into ``file``.
    """

    name: str
    path: str
    file: Path
    schema: Mapping[str, Any]
    dialect: Mapping[str, Any]
    encoding: str
    pointer: str
    remote: bool = False

    @property
    def field_names(self) -> list[str]:
        """Names of the Table Schema fields, in column order."""
        return [f.get("name", "") for f in self.schema.get("fields", [])]

    @property
    def missing_values(self) -> frozenset[str]:
        """Cell texts that mean "no value" (Table Schema ``missingValues``, default ``[""]``)."""
        mv = self.schema.get("missingValues", [""])
        return frozenset(v for v in mv if isinstance(v, str))


@dataclass(frozen=True, slots=True)
class DataPackage:
    """A data package opened by :func:`open_package`.

    Attributes:
        root: the package folder.
        descriptor_file: ``datapackage.json`` inside it.
        descriptor: the descriptor as handed to frictionless (schemas and dialects inlined).
        resources: the tabular resources, in descriptor order.
    """

    root: Path
    descriptor_file: Path
    descriptor: Mapping[str, Any]
    resources: tuple[Resource, ...]

    @property
    def name(self) -> str:
        """The package name, or the folder name when the descriptor gives none."""
        name = self.descriptor.get("name")
        return name if isinstance(name, str) and name else self.root.name

    def resource(self, name: str) -> Resource | None:
        """The resource called ``name``, if any."""
        return next((r for r in self.resources if r.name == name), None)


def load_json_file(path: Path, limits: Limits, *, what: str, shown: str | None = None) -> Any:
    """Read a JSON file strictly (UTF-8, size cap, duplicate keys refused).

    Raises:
        InputError: the file is missing, too large, not UTF-8 or not valid JSON.
    """
    shown = shown or str(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError(f"{what} not found", file=shown) from None
    except OSError as exc:
        raise InputError(f"cannot read {what}: {exc.strerror}", file=shown) from None
    if size > limits.max_descriptor_bytes:
        raise UnsafeInputError(
            f"{what} is {size} bytes, more than the limit of {limits.max_descriptor_bytes}",
            file=shown,
            hint="descriptors and mappings are small JSON files; check that this is the right file",
        )
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{what} is not valid UTF-8 (byte {exc.start})", file=shown, hint="save the file as UTF-8"
        ) from None
    except OSError as exc:
        raise InputError(f"cannot read {what}: {exc.strerror}", file=shown) from None

    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in pairs:
            if key in out:
                raise ValueError(f"the key {key!r} appears twice in the same object")
            out[key] = value
        return out

    try:
        return json.loads(text, object_pairs_hook=no_duplicates)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{what} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}",
            file=shown,
            hint="check for a missing comma, quote or bracket near that position",
        ) from None
    except (ValueError, RecursionError) as exc:
        raise InputError(f"{what} is not usable JSON: {exc}", file=shown) from None


def safe_member(root: Path, relpath: object, *, what: str, where: str) -> Path:
    """Resolve ``relpath`` inside ``root``, refusing anything that could escape it.

    Refused: non-strings, empty paths, absolute paths, drive letters, ``~``, backslashes,
    ``..`` segments, URLs, NUL bytes, and symlinks whose target lies outside ``root``.

    Raises:
        UnsafeInputError: with the reason and the place in the descriptor.
    """
    hint = "write a relative path such as 'data/organisations.csv' to a file inside the package folder"
    if not isinstance(relpath, str) or not relpath:
        raise InputError(f"{where}: the {what} path must be a non-empty string", hint=hint)
    reason = None
    if "\x00" in relpath:
        reason = "contains a NUL byte"
    elif _URL.match(relpath) or relpath.startswith("file:"):
        reason = "is a URL"
    elif relpath.startswith(("/", "\\")) or _DRIVE.match(relpath):
        reason = "is absolute"
    elif relpath.startswith("~"):
        reason = "starts with '~' (a home folder)"
    elif "\\" in relpath:
        reason = "contains a backslash"
    elif ".." in PurePosixPath(relpath).parts:
        reason = "contains '..'"
    if reason:
        raise UnsafeInputError(
            f"{where}: the {what} path {relpath!r} {reason}; it must stay inside the package folder", hint=hint
        )
    root_real = root.resolve()
    target = (root / relpath).resolve()
    if target != root_real and root_real not in target.parents:
        raise UnsafeInputError(
            f"{where}: the {what} path {relpath!r} leads outside the package folder (through a symbolic link)",
            hint="copy the file into the package folder instead of linking to it",
        )
    return target


def _pointer(*parts: object) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def open_package(
    source: str | os.PathLike[str],
    *,
    allow_remote: bool = False,
    limits: Limits | None = None,
    download_dir: Path | None = None,
) -> DataPackage:
    """Open a data package folder (or its ``datapackage.json``) safely.

    Args:
        source: the package folder, or the path of its descriptor.
        allow_remote: accept ``http(s)://`` resource paths and download them (with a size cap
            and a timeout, no redirects) into ``download_dir``.
        limits: size caps; defaults to :class:`~sse_ld.limits.Limits`.
        download_dir: where remote resources are saved; required when ``allow_remote``.

    Raises:
        InputError: the descriptor is missing or malformed.
        UnsafeInputError: a path escapes the package, or a URL is given without ``allow_remote``.
    """
    limits = limits or Limits()
    src = Path(source)
    if src.is_dir():
        root, descriptor_file = src, src / DESCRIPTOR_NAME
    else:
        root, descriptor_file = src.parent, src
    if not descriptor_file.exists():
        raise InputError(
            f"no {DESCRIPTOR_NAME} found",
            file=str(descriptor_file),
            hint="give the folder of a data package, or run 'sse-ld init DIR' to start one",
        )
    raw = load_json_file(descriptor_file, limits, what="the package descriptor", shown=str(descriptor_file))
    if not isinstance(raw, dict):
        raise InputError("the package descriptor must be a JSON object", file=str(descriptor_file))
    descriptor = dict(raw)
    # A remote profile or $schema would make frictionless fetch it: never follow them.
    for key in ("profile", "$schema"):
        descriptor.pop(key, None)
    resources_raw = descriptor.get("resources")
    if not isinstance(resources_raw, list) or not resources_raw:
        raise InputError(
            "the package descriptor has no 'resources' list",
            file=str(descriptor_file),
            hint='list each CSV file under "resources" with a name, a path and a schema',
        )
    shown_root = str(root)
    resources: list[Resource] = []
    cleaned: list[Any] = []
    seen: set[str] = set()
    for index, res in enumerate(resources_raw):
        where = f"{descriptor_file.name} {_pointer('resources', index)}"
        if not isinstance(res, dict):
            raise InputError(f"{where}: each resource must be a JSON object", file=shown_root)
        res = dict(res)
        res.pop("profile", None)
        res.pop("$schema", None)
        name = res.get("name")
        if not isinstance(name, str) or not name:
            raise InputError(f"{where}: the resource has no name", hint='give every resource a unique "name"')
        if name in seen:
            raise InputError(f"{where}: two resources are called {name!r}", hint="resource names must be unique")
        seen.add(name)
        if "data" in res and "path" not in res:
            raise InputError(
                f"{where}: resource {name!r} has inline data; sse_ld reads CSV files",
                hint='move the rows into a CSV file and give its "path"',
            )
        path = res.get("path")
        if isinstance(path, list):
            raise InputError(
                f"{where}: resource {name!r} has several paths (a multipart resource), which sse_ld does not read",
                hint="concatenate the parts into one CSV file",
            )
        if isinstance(path, str) and (_URL.match(path) or path.startswith("file:")):
            file = _remote(path, where, allow_remote, limits, download_dir)
        else:
            file = safe_member(root, path, what="resource", where=where)
            if not file.is_file():
                raise InputError(f"{where}: the file {path!r} of resource {name!r} does not exist", file=shown_root)
            size = file.stat().st_size
            if size > limits.max_file_bytes:
                raise UnsafeInputError(
                    f"{where}: {path!r} is {size} bytes, more than the limit of {limits.max_file_bytes}",
                    hint="split the table, or raise --max-file-bytes",
                )
        for part in ("schema", "dialect"):
            value = res.get(part)
            if isinstance(value, str):
                if _URL.match(value):
                    raise UnsafeInputError(
                        f"{where}: the {part} of resource {name!r} is a URL; sse_ld does not fetch it",
                        hint=f"save the {part} as a file inside the package and give its relative path",
                    )
                member = safe_member(root, value, what=part, where=where)
                res[part] = load_json_file(member, limits, what=f"the {part} file", shown=value)
        schema = res.get("schema")
        if not isinstance(schema, dict):
            raise InputError(
                f"{where}: resource {name!r} has no Table Schema",
                hint='add a "schema" with the "fields" of the CSV file',
            )
        dialect = res.get("dialect") if isinstance(res.get("dialect"), dict) else {}
        fmt = res.get("format")
        if fmt not in (None, "csv", "tsv"):
            raise InputError(f"{where}: resource {name!r} has format {fmt!r}; sse_ld reads CSV files")
        encoding = res.get("encoding") or "utf-8"
        if not isinstance(encoding, str):
            raise InputError(f"{where}: the encoding of resource {name!r} must be a string")
        try:
            "".encode(encoding)
        except LookupError:
            raise InputError(
                f"{where}: resource {name!r} declares the unknown encoding {encoding!r}",
                hint="use 'utf-8' (recommended) or a standard encoding name such as 'latin-1'",
            ) from None
        res["encoding"] = encoding
        remote = isinstance(path, str) and bool(_URL.match(path))
        if remote:
            # frictionless reads the downloaded copy (an absolute path: see validate_tables).
            res["path"] = str(file)
        cleaned.append(res)
        resources.append(
            Resource(
                name=name,
                path=path if isinstance(path, str) else "",
                file=file,
                schema=schema,
                dialect=dict(dialect or {}),
                encoding=encoding,
                pointer=_pointer("resources", index),
                remote=remote,
            )
        )
    descriptor["resources"] = cleaned
    return DataPackage(root=root, descriptor_file=descriptor_file, descriptor=descriptor, resources=tuple(resources))


def _remote(url: str, where: str, allow: bool, limits: Limits, download_dir: Path | None) -> Path:
    if not allow:
        raise UnsafeInputError(
            f"{where}: the resource path {url!r} is a remote URL, and remote data is not allowed",
            hint="download the file into the package folder, or pass --allow-remote if you trust the source",
        )
    from .remote import download  # imported here: requests is only needed for remote data

    if download_dir is None:
        raise UnsafeInputError(f"{where}: remote data needs a download folder")
    return download(url, download_dir, limits, where=where)


# --- table validation with frictionless -------------------------------------------------

_STRUCTURAL = frozenset(
    {
        "package-error",
        "resource-error",
        "schema-error",
        "field-error",
        "dialect-error",
        "checklist-error",
        "source-error",
        "scheme-error",
        "format-error",
        "encoding-error",
        "compression-error",
        "hash-count",
        "byte-count",
        "csv-delimiter",  # sse_ld's own check (sse_ld.tables): the file is not read as declared
    }
)

#: Table findings frictionless reports per resource before it stops counting (it then says
#: so, and :func:`validate_tables` turns that into a ``table-error-limit`` finding).
TABLE_ERROR_LIMIT = 50_000


def validate_tables(package: DataPackage, *, limit_errors: int = TABLE_ERROR_LIMIT) -> list[Issue]:
    """Validate every table of ``package`` with frictionless.

    Returns one :class:`~sse_ld.report.Issue` per frictionless error, its ``code`` being the
    frictionless error type and its location the resource, file, row and field. Rows are
    record numbers with the header as row 1 (frictionless's ``rowNumber``). After
    ``limit_errors`` findings in one resource frictionless stops, and a ``table-error-limit``
    warning says so.
    """
    import frictionless  # deferred: importing frictionless takes a noticeable fraction of a second

    # Paths were checked by open_package; downloaded copies live outside the package folder,
    # which frictionless only reads in trusted mode.
    trusted = any(r.remote for r in package.resources)
    try:
        with frictionless.system.use_context(trusted=trusted):
            pkg = frictionless.Package(dict(package.descriptor), basepath=str(package.root.resolve()))
            report = pkg.validate(limit_errors=limit_errors)
    except frictionless.FrictionlessException as exc:
        return [_descriptor_error(exc.error.to_descriptor(), package)]
    issues: list[Issue] = []
    for task in report.tasks:
        res = package.resource(task.name)
        for error in task.errors:
            issues.append(_from_error(error.to_descriptor(), res, package))
        if any(str(w).startswith("reached error limit") for w in task.warnings):
            issues.append(_limit_reached(res, task.name, limit_errors))
    for error in report.errors:
        issues.append(_from_error(error.to_descriptor(), None, package))
    return issues


def _descriptor_error(err: Mapping[str, Any], package: DataPackage) -> Issue:
    """A finding for a descriptor frictionless refused as a whole, placed at the resource and,
    when one can be told, the field it comes from (so that only that resource is skipped)."""
    from frictionless import Field, FrictionlessException, Schema

    issue = _from_error(err, None, package)
    for res in package.resources:
        try:
            Schema.from_descriptor(dict(res.schema))
        except FrictionlessException:
            pointer = res.pointer + "/schema"
            for i, f in enumerate(res.schema.get("fields", [])):
                try:
                    Field.from_descriptor(dict(f) if isinstance(f, dict) else f)
                except FrictionlessException:
                    pointer += f"/fields/{i}"
                    break
            loc = Location(resource=res.name, file=package.descriptor_file.name, pointer=pointer)
            return Issue(issue.stage, issue.code, issue.severity, issue.message, loc, issue.hint)
    return issue


def _limit_reached(res: Resource | None, name: str, limit: int) -> Issue:
    from .messages import fill
    from .messages.table import ERROR_LIMIT, ERROR_LIMIT_HINT

    return Issue(
        Stage.TABLE,
        "table-error-limit",
        Severity.WARNING,
        fill(ERROR_LIMIT.en, {"limit": limit}),
        Location(resource=name, file=res.path if res else None),
        ERROR_LIMIT_HINT.en,
    )


def structural_failure(issues: list[Issue], resource: str) -> bool:
    """True when frictionless could not read ``resource`` at all (so nothing can be mapped)."""
    return any(i.code in _STRUCTURAL and i.location.resource == resource for i in issues)


def _from_error(err: Mapping[str, Any], res: Resource | None, package: DataPackage) -> Issue:
    from .messages import table_message

    code = str(err.get("type", "error"))
    field_name = err.get("fieldName")
    value = err.get("cell")
    if field_name is None and err.get("fieldNames"):
        field_name = ",".join(err["fieldNames"])
        value = ",".join(str(c) for c in err.get("fieldCells", []))
    if code == "primary-key" and res is not None:
        key = res.schema.get("primaryKey") or []
        key = [key] if isinstance(key, str) else list(key)
        cells = err.get("cells") or []
        names = res.field_names
        field_name = ",".join(key) or None
        value = ",".join(str(cells[names.index(k)]) for k in key if k in names and names.index(k) < len(cells)) or None
    if code in ("incorrect-label", "blank-label", "duplicate-label", "extra-label", "missing-label"):
        value = err.get("label")
        field_name = field_name or err.get("label")
    location = Location(
        resource=res.name if res else None,
        file=res.path if res else None,
        row=err.get("rowNumber") if err.get("rowNumber") is not None else (1 if "label" in code else None),
        field=field_name,
        value=None if value is None else str(value),
        pointer=res.pointer if res and code in _STRUCTURAL else None,
    )
    message, hint = table_message(code, err, location)
    stage = Stage.PACKAGE if code in _STRUCTURAL else Stage.TABLE
    return Issue(stage, code, Severity.ERROR, message, location, hint)
