"""Byte-level checks of input files, before any parser sees them.

* :func:`check_text_file` reads a data file once in its encoding (UTF-8 unless declared;
  a byte that does not decode is left to frictionless's ``encoding-error`` finding): it
  must hold no NUL character (the mark of UTF-16 or a
  spreadsheet saved under a ``.csv`` name, and a character some RDF parsers cut strings
  at), no noncharacter U+FFFE or U+FFFF (which RDF parsers such as Raptor reject) and no
  line longer than the cap. Errors name the line.
* :func:`decompress` expands a ``.gz``, ``.bz2``, ``.xz`` or ``.zip`` resource into a
  private file, stopping at the size cap (decompression bombs), never using a name from
  the archive as a path (zip slip).
* :func:`verify_hash` checks a resource against the ``hash`` and ``bytes`` its
  descriptor declares.
* :func:`text_encoding` accepts only real text encodings.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from .errors import InputError, UnsafeInputError
from .limits import Limits

__all__ = [
    "COMPRESSIONS",
    "check_text_file",
    "compression_of",
    "decompress",
    "text_encoding",
    "verify_hash",
]

#: Compression formats read, by file suffix.
COMPRESSIONS = {".gz": "gz", ".gzip": "gz", ".bz2": "bz2", ".xz": "xz", ".zip": "zip"}
_CHUNK = 1 << 20
# Codecs that are text encodings to Python but rewrite their input (escape sequences,
# punycode, base64-like UTF-7): refused, so the bytes in the file are the text that is read.
_REFUSED_CODECS = frozenset({"unicode-escape", "raw-unicode-escape", "idna", "punycode", "utf-7", "undefined"})
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_BOMB_HINT = "this may be a decompression bomb; if the data really is that large, raise --max-file-bytes"


def text_encoding(name: object, where: str) -> str:
    """The canonical Python name of a declared encoding.

    Raises:
        InputError: not a string, unknown, or not a plain text encoding.
    """
    hint = "use 'utf-8' (recommended) or a standard encoding name such as 'latin-1' or 'windows-1252'"
    if not isinstance(name, str) or not name:
        raise InputError(f"{where}: the encoding must be a text such as 'utf-8', not {name!r}", hint=hint)
    try:
        info = codecs.lookup(name)
    except LookupError:
        raise InputError(f"{where}: {name!r} is not a known encoding", hint=hint) from None
    canonical = info.name.replace("_", "-")
    if canonical in _REFUSED_CODECS or not getattr(info, "_is_text_encoding", True):
        raise InputError(f"{where}: the encoding {name!r} is refused: it rewrites the text it reads", hint=hint)
    return canonical


def check_text_file(path: Path, *, encoding: str, limits: Limits, shown: str) -> None:
    """Read ``path`` once and refuse it if it is empty, holds a NUL character or a
    noncharacter U+FFFE/U+FFFF, or a line longer than ``limits.max_line_chars``.

    A byte that does not decode in ``encoding`` ends the check silently: frictionless then
    reports it as an ``encoding-error`` finding at that byte, and the file is not mapped.

    Raises:
        InputError: an empty file, a NUL character or a noncharacter.
        UnsafeInputError: a line longer than ``limits.max_line_chars``.
    """
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    cap = limits.max_line_chars
    line = 1  # line number at the start of the current chunk
    run = 0  # characters since the last line break
    with path.open("rb") as f:
        if not f.read(1):
            raise InputError(
                "the file is empty", file=shown, hint="write the header row and the data, or remove the resource"
            )
        f.seek(0)
        while True:
            chunk = f.read(_CHUNK)
            final = not chunk
            try:
                text = decoder.decode(chunk, final)
            except UnicodeDecodeError:
                return  # reported by frictionless, with the position of the byte
            nul = text.find("\x00")
            if nul >= 0:
                at = line + text.count("\n", 0, nul)
                raise InputError(
                    f"line {at}: the file contains a NUL character, so it is not a text CSV file",
                    file=shown,
                    hint="it may be UTF-16 or a spreadsheet saved under a .csv name: export it as CSV UTF-8",
                )
            for bad in ("\ufffe", "\uffff"):
                at = text.find(bad)
                if at >= 0:
                    raise InputError(
                        f"line {line + text.count(chr(10), 0, at)}: the file contains the noncharacter "
                        f"U+{ord(bad):04X}, which no RDF text may hold (and some parsers reject)",
                        file=shown,
                        hint="remove it; U+FFFE is often a byte-order mark read the wrong way round (UTF-16)",
                    )
            run = _check_lines(text, run, cap, line, shown)
            line += text.count("\n")
            if final:
                return


def _check_lines(text: str, run: int, cap: int, line: int, shown: str) -> int:
    """Return the length of the unfinished last line after ``text``; raise if a line is too long.

    ``run`` is the length of the line unfinished before ``text``; ``line`` its number."""
    last = max(text.rfind("\n"), text.rfind("\r"))
    if last < 0:
        run += len(text)
        if run > cap:
            raise _too_long(line, cap, shown)
        return run
    if run + len(text) > cap:  # only then can a line in this chunk be too long
        start = 0
        for m in _LINE_BREAK.finditer(text, 0, last + 1):
            if m.start() - start + (run if start == 0 else 0) > cap:
                raise _too_long(line, cap, shown)
            line += m.group().endswith("\n")
            start = m.end()
    return len(text) - last - 1


def _too_long(line: int, cap: int, shown: str) -> UnsafeInputError:
    return UnsafeInputError(
        f"line {line} is longer than the limit of {cap} characters",
        file=shown,
        hint="check that the file has line breaks and the right delimiter; raise --max-line-chars if the line is real",
    )


def compression_of(path: str, declared: object, where: str) -> str | None:
    """The compression of a resource: its ``compression`` property, else its file suffix."""
    if declared is not None:
        if declared in ("", "no"):
            return None
        if declared not in COMPRESSIONS.values():
            raise InputError(
                f"{where}: the compression {declared!r} is not supported",
                hint="use gz, bz2, xz or zip, or decompress the file into the package",
            )
        return str(declared)
    suffix = Path(path.split("?", 1)[0]).suffix.lower()
    return COMPRESSIONS.get(suffix)


def _copy_capped(src: IO[bytes], dest: Path, cap: int, shown: str) -> None:
    total = 0
    with dest.open("wb") as out:
        while chunk := src.read(_CHUNK):
            total += len(chunk)
            if total > cap:
                raise UnsafeInputError(
                    f"the file decompresses to more than the limit of {cap} bytes",
                    file=shown,
                    hint=_BOMB_HINT,
                )
            out.write(chunk)


def decompress(src: Path, kind: str, dest: Path, limits: Limits, *, shown: str, member: object = None) -> Path:
    """Expand ``src`` (compressed as ``kind``) into ``dest``, at most ``limits.max_file_bytes``.

    A zip archive must hold exactly one file, or ``member`` must name one; the names inside
    the archive are never used as paths.

    Raises:
        InputError: the archive is damaged, encrypted or ambiguous.
        UnsafeInputError: the content is larger than the cap.
    """
    import bz2
    import gzip
    import lzma
    import zipfile
    import zlib

    cap = limits.max_file_bytes
    damaged = (OSError, EOFError, zlib.error, lzma.LZMAError, zipfile.BadZipFile, NotImplementedError, RuntimeError)
    try:
        if kind == "zip":
            with zipfile.ZipFile(src) as archive:
                files = [i for i in archive.infolist() if not i.is_dir()]
                if member is not None:
                    chosen = [i for i in files if i.filename == member]
                    if not chosen:
                        names = ", ".join(repr(i.filename) for i in files[:10])
                        raise InputError(
                            f"the zip archive holds no file called {member!r}",
                            file=shown,
                            hint=f'set "innerpath" to one of: {names}',
                        )
                elif len(files) != 1:
                    raise InputError(
                        f"the zip archive holds {len(files)} files; sse_ld reads one",
                        file=shown,
                        hint='name the file to read with "innerpath", or zip only that file',
                    )
                else:
                    chosen = files
                info = chosen[0]
                if info.flag_bits & 0x1:
                    raise InputError(
                        "the zip archive is encrypted", file=shown, hint="give the data unencrypted inside the package"
                    )
                if info.file_size > cap:
                    raise UnsafeInputError(
                        f"the zip archive says its file is {info.file_size} bytes, more than the limit of {cap}",
                        file=shown,
                        hint=_BOMB_HINT,
                    )
                with archive.open(info) as stream:
                    _copy_capped(stream, dest, cap, shown)
        else:
            opener: Any = {"gz": gzip.open, "bz2": bz2.open, "xz": lzma.open}[kind]
            with opener(src, "rb") as compressed:
                _copy_capped(compressed, dest, cap, shown)
    except InputError:
        dest.unlink(missing_ok=True)
        raise
    except damaged as exc:
        dest.unlink(missing_ok=True)
        raise InputError(
            f"the {kind} file is damaged or not {kind} at all ({exc})",
            file=shown,
            hint="compress the file again, or put the plain CSV file in the package",
        ) from None
    return dest


_HASHES = {"md5": 32, "sha1": 40, "sha256": 64, "sha512": 128}


def _chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            yield chunk


def verify_hash(path: Path, declared_hash: object, declared_bytes: object, *, where: str, shown: str) -> None:
    """Check ``path`` against a declared ``hash`` (``"sha256:..."``; bare hex is MD5, as in
    the Data Package standard) and ``bytes`` count.

    Raises:
        InputError: a malformed declaration, or a file that does not match it.
    """
    hint = (
        "the file is not the one datapackage.json describes: get the right file, "
        'or update "hash" and "bytes" if you changed the data on purpose'
    )
    if declared_bytes is not None:
        if not isinstance(declared_bytes, int) or isinstance(declared_bytes, bool) or declared_bytes < 0:
            raise InputError(f"{where}: 'bytes' must be a whole number, not {declared_bytes!r}")
        size = path.stat().st_size
        if size != declared_bytes:
            raise InputError(
                f"{where}: size mismatch: {shown} has {size} bytes, datapackage.json declares {declared_bytes}",
                hint=hint,
            )
    if declared_hash is None:
        return
    if not isinstance(declared_hash, str):
        raise InputError(f"{where}: 'hash' must be a text such as 'sha256:…', not {declared_hash!r}")
    algorithm, _, digest = declared_hash.rpartition(":")
    algorithm = algorithm.lower() or "md5"
    digest = digest.lower()
    if algorithm not in _HASHES or not re.fullmatch(f"[0-9a-f]{{{_HASHES[algorithm]}}}", digest):
        raise InputError(
            f"{where}: the hash {declared_hash!r} is not a valid md5, sha1, sha256 or sha512 checksum",
            hint="write it as 'sha256:' followed by 64 hexadecimal digits",
        )
    h = hashlib.new(algorithm)
    for chunk in _chunks(path):
        h.update(chunk)
    if h.hexdigest() != digest:
        raise InputError(
            f"{where}: checksum mismatch: the {algorithm} of {shown} is {h.hexdigest()}, "
            f"datapackage.json declares {digest}",
            hint=hint,
        )
