"""Canned queries: SPARQL files a data package ships for its researchers.

A package keeps them in ``queries/<name>.rq``, one query per file, starting with comment
lines that describe it::

    # title: Organisations per department
    # title@es: Organizaciones por departamento
    # description: How many organisations each department has, largest first.
    # param: type — an organisation type (a code-list concept IRI); all types when unbound
    PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
    SELECT ?type ...

``title`` is required; ``description`` and any number of ``param`` lines are optional;
``@xx`` gives a language variant. A ``param`` names a variable that ``sse-ld query --param
name=value`` binds from outside (as a binding, never pasted into the text); it must be a
variable the SELECT returns (SPARQL substitution binds the projected variables); unbound,
the variable stays free. A canned query declares its prefixes, so it runs on any SPARQL
server too. The build checks the files and copies them into the output's ``queries/``.

This module only reads the header; it imports nothing outside the standard library.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError

__all__ = ["MAX_QUERY_BYTES", "CannedQuery", "load_canned", "parse_canned", "pick"]

#: Largest query file accepted.
MAX_QUERY_BYTES = 256 * 1024
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]*\Z")
_HEADER = re.compile(r"#\s*(title|description|param)(?:@([A-Za-z]{2,3}(?:-[A-Za-z0-9]+)*))?\s*:\s*(.*?)\s*\Z")
_PARAM = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)\s*(?:\u2014|\u2013|-{1,2}|:)\s*(.+)\Z")  # em/en dash, -, --, :
_VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


@dataclass(frozen=True)
class CannedQuery:
    """A query file and what its header says.

    Attributes:
        name: the file name without ``.rq``.
        text: the whole file (header comments included; they are SPARQL comments).
        titles / descriptions: language (``""`` for the untagged line) -> text.
        params: variable name -> meaning, in file order.
    """

    name: str
    text: str
    titles: Mapping[str, str]
    descriptions: Mapping[str, str] = field(default_factory=dict)
    params: Mapping[str, str] = field(default_factory=dict)

    def title(self, lang: str = "en") -> str:
        """The title in ``lang``, else the untagged one, else any."""
        return pick(self.titles, lang)

    def description(self, lang: str = "en") -> str:
        """The description in ``lang``, else the untagged one, else any (``""`` if none)."""
        return pick(self.descriptions, lang)


def pick(texts: Mapping[str, str], lang: str) -> str:
    """The text in ``lang``, else the untagged one, else English, else any (``""`` if none)."""
    for key in (lang, "", "en"):
        if key in texts:
            return texts[key]
    return next(iter(texts.values()), "")


def parse_canned(name: str, text: str, file: str) -> CannedQuery:
    """Read the header of a canned query.

    Raises:
        InputError: no title, a malformed ``param`` line, or a repeated key.
    """
    titles: dict[str, str] = {}
    descriptions: dict[str, str] = {}
    params: dict[str, str] = {}
    for n, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break  # the header is the leading comment block
        m = _HEADER.match(stripped)
        if not m:
            continue
        key, tag, value = m.group(1), (m.group(2) or "").lower(), m.group(3)
        where = f"{file}, line {n}"
        if not value:
            raise InputError(f"{where}: '# {key}:' has no text", file=file)
        if key == "param":
            pm = _PARAM.match(value)
            if pm is None:
                raise InputError(
                    f"{where}: a param line reads '# param: name — meaning'", file=file, hint=f"got {value!r}"
                )
            if pm.group(1) in params and not tag:
                raise InputError(f"{where}: the param {pm.group(1)!r} is declared twice", file=file)
            if not tag:
                params[pm.group(1)] = pm.group(2)
            continue
        target = titles if key == "title" else descriptions
        if tag in target:
            raise InputError(f"{where}: '# {key}{'@' + tag if tag else ''}:' appears twice", file=file)
        target[tag] = value
    if not titles:
        raise InputError(
            "a canned query needs a '# title: ...' line at the top", file=file, hint="see docs: canned queries"
        )
    return CannedQuery(name, text, titles, descriptions, params)


def load_canned(folder: Path) -> list[CannedQuery]:
    """Every ``*.rq`` of ``folder`` (sorted by name); ``[]`` when the folder does not exist.

    Raises:
        InputError: a file that is not a regular file inside the folder, too large, not
            UTF-8, badly named, or whose header is malformed.
    """
    if not folder.is_dir():
        return []
    out = []
    root = folder.resolve()
    for path in sorted(folder.glob("*.rq")):
        name = path.name[:-3]
        shown = f"{folder.name}/{path.name}"
        if not _NAME.match(name):
            raise InputError(
                "a canned query's name may use only letters, digits, '.', '_' and '-'",
                file=shown,
                hint="rename the file, e.g. organisations-by-region.rq",
            )
        if path.is_symlink() and root not in path.resolve().parents:
            raise InputError(
                "the query file is a link leading out of the queries folder",
                file=shown,
                hint="copy the query into the package's queries folder instead of linking to it",
            )
        if not path.is_file():
            raise InputError("not a regular file", file=shown, hint="a canned query is a text file ending in .rq")
        if path.stat().st_size > MAX_QUERY_BYTES:
            raise InputError(
                f"the query file is larger than {MAX_QUERY_BYTES} bytes",
                file=shown,
                hint="a canned query is a short SPARQL text; check that this is the right file",
            )
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(
                f"the query file is not UTF-8 (byte {exc.start})", file=shown, hint="save it as UTF-8"
            ) from None
        out.append(parse_canned(name, text, shown))
    return out


def is_variable_name(name: str) -> bool:
    """Whether ``name`` can be a SPARQL variable name (without ``?``)."""
    return bool(_VARIABLE.match(name))
