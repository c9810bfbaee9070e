"""Loading a Frictionless data package safely.

:func:`open_package` reads
``datapackage.json`` and prepares each resource so that nothing a package says can make
sse_ld read outside its folder, reach the network or guess:

* paths must stay inside the package folder (:func:`safe_member`: no absolute path,
  ``..``, ``~``, backslash, ``file:`` URL, NUL, symbolic link leading out, and only regular
  files: no folder, pipe or device);
* ``http(s)`` resources are downloaded only when remote data is allowed
  (:mod:`sse_ld.remote`: address checks, redirect checks, size cap, total timeout);
* compressed resources are expanded into a private file with a size cap, and a declared
  ``hash`` or ``bytes`` is checked (:mod:`sse_ld.safeio`);
* every data file is read once, strictly, in its declared encoding (UTF-8 by default):
  no undecodable byte, no NUL, no line longer than the cap;
* schema and dialect files are inlined, the dialect is completed (:mod:`sse_ld.dialect`)
  and ``pattern`` constraints that could take exponential time are refused
  (:mod:`sse_ld.patterns`).

The table checks (:mod:`sse_ld.tablecheck`, and :mod:`sse_ld.frictionless_tables`, which
owns frictionless) read only these checked resources.
"""

from __future__ import annotations

import codecs
import json
import os
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from .dialect import CsvDialect, parse_dialect
from .errors import InputError, UnsafeInputError
from .limits import Limits
from .patterns import pattern_problem
from .safeio import check_text_file, compression_of, decompress, text_encoding, verify_hash

__all__ = [
    "DESCRIPTOR_NAME",
    "DataPackage",
    "Resource",
    "load_json_file",
    "open_package",
    "regular_file",
    "safe_member",
]

DESCRIPTOR_NAME = "datapackage.json"
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://")
_DRIVE = re.compile(r"^[A-Za-z]:")
_FILE_URL = re.compile(r"^file:", re.I)
_DEFAULT_DIALECT = CsvDialect()


@dataclass(frozen=True, slots=True)
class Resource:
    """One tabular resource of a package, with everything needed to read it.

    Attributes:
        name: the resource name.
        path: the path as written in the descriptor (relative, POSIX), or the URL.
        file: the local file to read: inside the package, or a private downloaded or
            decompressed copy.
        schema: the Table Schema, inlined.
        dialect: the CSV dialect as declared (inlined; ``{}`` when none); ``csv`` is the
            complete one every reader uses.
        encoding: the text encoding to read with (as frictionless reads it: ``utf-8-sig``
            when a UTF-8 file starts with a byte-order mark).
        pointer: JSON pointer of the resource in ``datapackage.json``.
        remote: the data was downloaded from ``path`` (a URL) into ``file``.
        csv: the complete CSV dialect.
        compression: how the stored file was compressed (``gz``, ``bz2``, ``xz``, ``zip``).
        stored: the file as the package holds it (or as downloaded), before decompression;
            its bytes are the ones a declared ``hash`` describes.
    """

    name: str
    path: str
    file: Path
    schema: Mapping[str, Any]
    dialect: Mapping[str, Any]
    encoding: str
    pointer: str
    remote: bool = False
    csv: CsvDialect = _DEFAULT_DIALECT
    compression: str | None = None
    stored: Path | None = None

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
        descriptor: the descriptor as written (without ``profile`` and ``$schema``, which
            are never fetched); frictionless gets one rebuilt from ``resources``.
        resources: the tabular resources, in descriptor order.
        limits: the caps the package was opened with (also applied by frictionless).
    """

    root: Path
    descriptor_file: Path
    descriptor: Mapping[str, Any]
    resources: tuple[Resource, ...]
    limits: Limits = field(default_factory=Limits)

    @property
    def name(self) -> str:
        """The package name, or the folder name when the descriptor gives none."""
        name = self.descriptor.get("name")
        return name if isinstance(name, str) and name else self.root.name

    def resource(self, name: str) -> Resource | None:
        """The resource called ``name``, if any."""
        return next((r for r in self.resources if r.name == name), None)


def regular_file(path: Path, *, what: str, shown: str) -> os.stat_result:
    """``stat`` of ``path``, refusing anything but an existing regular file.

    A folder, a named pipe (which would block the read forever) or a device is refused.

    Raises:
        InputError: the file is missing or not a regular file.
    """
    try:
        st = path.stat()
    except FileNotFoundError:
        raise InputError(
            f"{what} not found", file=shown, hint="check the path: it is relative to the package folder"
        ) from None
    except OSError as exc:
        raise InputError(f"cannot read {what}: {exc.strerror}", file=shown) from None
    if not stat.S_ISREG(st.st_mode):
        kind = "a folder" if stat.S_ISDIR(st.st_mode) else "a pipe, socket or device"
        raise InputError(
            f"{what} is {kind}, not a regular file",
            file=shown,
            hint="point to a regular file inside the package folder",
        )
    return st


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def _parse_int(text: str) -> int:
    if len(text) > 100:
        raise ValueError(f"a number with {len(text)} digits is far larger than any a descriptor needs")
    return int(text)


def load_json_file(path: Path, limits: Limits, *, what: str, shown: str | None = None) -> Any:
    """Read a JSON file strictly: a regular file, under the size cap, UTF-8 (a byte-order
    mark is accepted), no duplicate keys, no ``NaN`` or ``Infinity``.

    Raises:
        InputError: the file is missing, too large, not UTF-8 or not valid JSON.
    """
    shown = shown or str(path)
    size = regular_file(path, what=what, shown=shown).st_size
    if size > limits.max_descriptor_bytes:
        raise UnsafeInputError(
            f"{what} is {size} bytes, more than the limit of {limits.max_descriptor_bytes}",
            file=shown,
            hint="descriptors and mappings are small JSON files; check that this is the right file",
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {what}: {exc.strerror}", file=shown) from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputError(f"{what} is UTF-16, not UTF-8", file=shown, hint="save the file as UTF-8")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(
            f"{what} is not valid UTF-8 (line {line}, byte {exc.start + 1})", file=shown, hint="save the file as UTF-8"
        ) from None

    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in pairs:
            if key in out:
                raise ValueError(f"the key {key!r} appears twice in the same object")
            out[key] = value
        return out

    try:
        return json.loads(text, object_pairs_hook=no_duplicates, parse_constant=_refuse_constant, parse_int=_parse_int)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{what} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}",
            file=shown,
            hint="check for a missing comma, quote or bracket near that position",
        ) from None
    except RecursionError:
        raise InputError(
            f"{what} is nested too deeply to be read", file=shown, hint="a descriptor needs only a few levels"
        ) from None
    except ValueError as exc:
        raise InputError(
            f"{what} is not usable JSON: {exc}", file=shown, hint="correct the JSON at that place"
        ) from None


def safe_member(root: Path, relpath: object, *, what: str, where: str) -> Path:
    """Resolve ``relpath`` inside ``root``, refusing anything that could escape it.

    Refused: non-strings, empty paths, absolute paths, drive letters, ``~``, backslashes,
    ``..`` segments, URLs (``file:`` included), NUL bytes, symbolic-link loops and symbolic
    links whose target lies outside ``root``.

    Raises:
        UnsafeInputError: with the reason and the place in the descriptor.
    """
    hint = "write a relative path such as 'data/organisations.csv' to a file inside the package folder"
    if not isinstance(relpath, str) or not relpath:
        raise InputError(f"{where}: the {what} path must be a non-empty string, not {relpath!r}", hint=hint)
    reason = None
    if "\x00" in relpath:
        reason = "contains a NUL byte"
    elif _FILE_URL.match(relpath):
        reason = "is a file: URL, which names a file anywhere on this computer"
    elif _URL.match(relpath):
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
    try:
        root_real = root.resolve()
        target = (root / relpath).resolve()
    except (RuntimeError, OSError):
        raise UnsafeInputError(
            f"{where}: the {what} path {relpath!r} is a loop of symbolic links",
            hint="replace the links with the file itself",
        ) from None
    if target != root_real and root_real not in target.parents:
        raise UnsafeInputError(
            f"{where}: the {what} path {relpath!r} leads outside the package folder (through a symbolic link)",
            hint="copy the file into the package folder instead of linking to it",
        )
    return target


def _pointer(*parts: object) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


@dataclass(frozen=True)
class _Opener:
    root: Path
    descriptor_name: str
    limits: Limits
    allow_remote: bool
    allow_local_network: bool
    work_dir: Path | None


def open_package(
    source: str | os.PathLike[str],
    *,
    allow_remote: bool = False,
    allow_local_network: bool = False,
    limits: Limits | None = None,
    download_dir: Path | None = None,
) -> DataPackage:
    """Open a data package folder (or its ``datapackage.json``) safely.

    Args:
        source: the package folder, or the path of its descriptor.
        allow_remote: accept ``http(s)://`` resource paths and download them (see
            :func:`sse_ld.remote.download`).
        allow_local_network: with ``allow_remote``, also accept URLs on loopback and
            private-network addresses (never link-local ones).
        limits: size caps; defaults to :class:`~sse_ld.limits.Limits`.
        download_dir: a private folder for downloaded and decompressed copies; required
            when the package has remote or compressed resources.

    Raises:
        InputError: the descriptor is missing or malformed, or a data file is unusable.
        UnsafeInputError: a path escapes the package, a URL is given without
            ``allow_remote``, or a file exceeds a cap.
    """
    limits = limits or Limits()
    src = Path(source)
    if src.is_dir():
        root, name = src, DESCRIPTOR_NAME
    else:
        root, name = src.parent, src.name
    descriptor_file = root / name
    if not descriptor_file.exists() and not descriptor_file.is_symlink():
        raise InputError(
            f"no {DESCRIPTOR_NAME} found",
            file=str(descriptor_file),
            hint="give the folder of a data package, or run 'sse-ld init DIR' to start one",
        )
    safe_member(root, name, what="descriptor", where=str(descriptor_file))
    raw = load_json_file(descriptor_file, limits, what="the package descriptor", shown=str(descriptor_file))
    if not isinstance(raw, dict):
        raise InputError(
            "the package descriptor must be a JSON object",
            file=str(descriptor_file),
            hint='start it with {"name": ..., "resources": [...]}',
        )
    descriptor = dict(raw)
    # A remote profile or $schema would make a validator fetch it: never follow them.
    for key in ("profile", "$schema"):
        descriptor.pop(key, None)
    resources_raw = descriptor.get("resources")
    if not isinstance(resources_raw, list) or not resources_raw:
        raise InputError(
            "the package descriptor has no 'resources' list",
            file=str(descriptor_file),
            hint='list each CSV file under "resources" with a name, a path and a schema',
        )
    opener = _Opener(root, descriptor_file.name, limits, allow_remote, allow_local_network, download_dir)
    resources: list[Resource] = []
    for index, res in enumerate(resources_raw):
        resource = _open_resource(opener, res, index)
        if any(r.name == resource.name for r in resources):
            raise InputError(
                f"{descriptor_file.name} {resource.pointer}: two resources are called {resource.name!r}",
                hint="resource names must be unique",
            )
        resources.append(resource)
    return DataPackage(
        root=root, descriptor_file=descriptor_file, descriptor=descriptor, resources=tuple(resources), limits=limits
    )


def _open_resource(op: _Opener, res: Any, index: int) -> Resource:
    pointer = _pointer("resources", index)
    where = f"{op.descriptor_name} {pointer}"
    if not isinstance(res, dict):
        raise InputError(
            f"{where}: each resource must be a JSON object",
            hint='describe it as {"name": ..., "path": ..., "schema": ...}',
        )
    name = res.get("name")
    if not isinstance(name, str) or not name:
        raise InputError(f"{where}: the resource has no name", hint='give every resource a unique "name"')
    if "data" in res and "path" not in res:
        raise InputError(
            f"{where}: resource {name!r} has inline data; sse_ld reads CSV files",
            hint='move the rows into a CSV file and give its "path"',
        )
    path = res.get("path")
    if isinstance(path, list) or "extrapaths" in res:
        raise InputError(
            f"{where}: resource {name!r} has several paths (a multipart resource), which sse_ld does not read",
            hint="concatenate the parts into one CSV file",
        )
    if res.get("scheme") not in (None, "file", "http", "https"):
        raise InputError(
            f"{where}: resource {name!r} asks for the scheme {res.get('scheme')!r}; sse_ld reads files and "
            "http(s) URLs",
            hint='remove "scheme"',
        )
    fmt = res.get("format")
    fmt = fmt.lower() if isinstance(fmt, str) else fmt
    if fmt not in (None, "csv", "tsv"):
        raise InputError(
            f"{where}: resource {name!r} has format {fmt!r}; sse_ld reads CSV files",
            hint='export the table as CSV (UTF-8) and set "format": "csv"',
        )
    remote = isinstance(path, str) and bool(_URL.match(path)) and not _FILE_URL.match(path)
    if remote:
        assert isinstance(path, str)
        file = _remote(op, path, where, index)
    else:
        file = safe_member(op.root, path, what="resource", where=where)
        if not file.exists():
            raise InputError(
                f"{where}: the file {path!r} of resource {name!r} does not exist",
                file=str(op.root),
                hint="check the path: it is relative to the package folder",
            )
        size = regular_file(file, what=f"the file of resource {name!r}", shown=str(path)).st_size
        if size > op.limits.max_file_bytes:
            raise UnsafeInputError(
                f"{where}: {path!r} is {size} bytes, more than the limit of {op.limits.max_file_bytes}",
                file=str(path),
                hint="split the table, or raise --max-file-bytes",
            )
    assert isinstance(path, str)
    stored = file
    verify_hash(file, res.get("hash"), res.get("bytes"), where=where, shown=path)
    compression = compression_of(path, res.get("compression"), where)
    if "innerpath" in res and compression != "zip":
        raise InputError(f"{where}: 'innerpath' only applies to zip archives", hint='remove "innerpath"')
    if compression:
        if op.work_dir is None:
            raise InputError(f"{where}: reading a compressed resource needs a work folder (download_dir)")
        op.work_dir.mkdir(parents=True, exist_ok=True)
        file = decompress(
            file, compression, op.work_dir / f"{index}.csv", op.limits, shown=path, member=res.get("innerpath")
        )
    plain = path[: -len(Path(path).suffix)] if compression and Path(path).suffix else path
    tsv = fmt == "tsv" or (fmt is None and plain.lower().endswith(".tsv"))
    schema = _inline(op, res, "schema", name, where)
    if not isinstance(schema, dict):
        raise InputError(
            f"{where}: resource {name!r} has no Table Schema",
            hint='add a "schema" with the "fields" of the CSV file',
        )
    schema = {k: v for k, v in schema.items() if k not in ("$schema", "profile")}
    _check_patterns(schema, where)
    declared_dialect = _inline(op, res, "dialect", name, where)
    dialect = parse_dialect(declared_dialect, tsv=tsv, where=where)
    encoding = _effective_encoding(file, text_encoding(res.get("encoding", "utf-8"), where))
    check_text_file(file, encoding=encoding, limits=op.limits, shown=path)
    return Resource(
        name=name,
        path=path,
        file=file,
        schema=schema,
        dialect=dict(declared_dialect) if isinstance(declared_dialect, Mapping) else {},
        encoding=encoding,
        pointer=pointer,
        remote=remote,
        csv=dialect,
        compression=compression,
        stored=stored,
    )


def _inline(op: _Opener, res: Mapping[str, Any], part: str, name: str, where: str) -> Any:
    """The schema or dialect of a resource, read from its file when given as a path."""
    value = res.get(part)
    if not isinstance(value, str):
        return value
    if _URL.match(value) and not _FILE_URL.match(value):
        raise UnsafeInputError(
            f"{where}: the {part} of resource {name!r} is a URL; sse_ld does not fetch it",
            hint=f"save the {part} as a file inside the package and give its relative path",
        )
    member = safe_member(op.root, value, what=part, where=where)
    return load_json_file(member, op.limits, what=f"the {part} file", shown=value)


def _check_patterns(schema: Mapping[str, Any], where: str) -> None:
    fields = schema.get("fields")
    for i, f in enumerate(fields if isinstance(fields, list) else []):
        constraints = f.get("constraints") if isinstance(f, dict) else None
        pattern = constraints.get("pattern") if isinstance(constraints, dict) else None
        if isinstance(pattern, str) and (problem := pattern_problem(pattern)):
            raise UnsafeInputError(
                f"{where}/schema/fields/{i}: the pattern {pattern!r} of field {f.get('name')!r} is refused: {problem}",
                hint="rewrite it without a repetition inside a repetition: '[a-z]+' instead of '([a-z]+)+'",
            )


def _effective_encoding(file: Path, encoding: str) -> str:
    """The encoding as frictionless reads it: a byte-order mark selects the BOM-stripping codec."""
    with file.open("rb") as f:
        head = f.read(4)
    if encoding == "utf-8" and head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if (encoding == "utf-16-le" and head.startswith(codecs.BOM_UTF16_LE)) or (
        encoding == "utf-16-be" and head.startswith(codecs.BOM_UTF16_BE)
    ):
        return "utf-16"
    return encoding


def _remote(op: _Opener, url: str, where: str, index: int) -> Path:
    if not op.allow_remote:
        raise UnsafeInputError(
            f"{where}: the resource path {url!r} is a remote URL, and remote data is not allowed",
            hint="download the file into the package folder, or pass --allow-remote if you trust the source",
        )
    if op.work_dir is None:
        raise InputError(f"{where}: remote data needs a download folder (download_dir)")
    from .remote import download  # imported here: the HTTP client is only needed for remote data

    op.work_dir.mkdir(parents=True, exist_ok=True)
    return download(
        url, op.work_dir / f"{index}.download", op.limits, where=where, allow_local_network=op.allow_local_network
    )
