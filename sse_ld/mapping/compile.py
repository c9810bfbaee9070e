"""Checking a mapping and compiling it into per-resource plans.

Every mistake in a mapping is a finding with a JSON-pointer location in the mapping file,
never an exception: the JSON Schema (``sse_ld/schemas/mapping-1.schema.json``) catches
shape errors, then the semantic checks below catch unknown resources, columns, prefixes,
terms, code lists and foreign keys. Only a mapping without findings is compiled.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from rdflib import URIRef

from .. import vocab
from ..iri import Template, TemplateError, iri_problem
from ..package import DataPackage, Resource
from ..report import Issue, Location, Severity, Stage
from ..resources import schema_path
from ..terms import RDF_LANGSTRING, XSD_STRING, has_surrogates
from .lexical import DEFAULT_DATATYPE, UNMAPPABLE_TYPES, Caster, lexical_problem, make_caster
from .vocabulary import Vocabulary

__all__ = [
    "ColumnPlan",
    "CompiledMapping",
    "NodePlan",
    "PropPlan",
    "ResourcePlan",
    "compile_mapping",
]

#: URI schemes accepted as absolute IRIs in a mapping without a prefix declaration.
KNOWN_SCHEMES = frozenset({"http", "https", "urn", "mailto", "tag", "info", "ftp", "did"})
_CURIE = re.compile(r"([A-Za-z][A-Za-z0-9+.\-_]*):")
_CHECKED_NAMESPACES = (
    vocab.DCAT,
    vocab.DCTERMS,
    vocab.GEO,
    vocab.ORG,
    vocab.OWL,
    vocab.PROV,
    vocab.QB,
    vocab.RDF,
    vocab.RDFS,
    vocab.SDO,
    vocab.SKOS,
    vocab.VOID,
    vocab.ELI,
    vocab.ESSGLOBAL,
)


@dataclass(frozen=True, slots=True)
class ColumnPlan:
    """A column the mapping reads: its position, name, caster and missing-value texts."""

    index: int
    name: str
    type: str
    cast: Caster
    missing: frozenset[str]


@dataclass(frozen=True, slots=True)
class PropPlan:
    """One property map, compiled.

    ``kind`` is ``literal`` (one column), ``template`` (a literal from several columns),
    ``iri`` (an IRI template), ``ref`` (a foreign key) or ``code`` (a code list).
    """

    predicate: str
    kind: str
    columns: tuple[str, ...]
    pointer: str
    column: str | None = None
    datatype: str = XSD_STRING
    lang: str = ""
    check_lexical: bool = False
    separator: str | None = None
    template: Template | None = None
    ref_vars: Mapping[str, str] = field(default_factory=dict)
    scheme: str | None = None


@dataclass(frozen=True, slots=True)
class NodePlan:
    """A nested node with a minted IRI, linked from the row's subject by ``link``."""

    subject: Template
    link: str
    types: tuple[str, ...]
    props: tuple[PropPlan, ...]
    constants: tuple[tuple[str, Any], ...]
    pointer: str


@dataclass(frozen=True, slots=True)
class ResourcePlan:
    """Everything needed to map the rows of one resource."""

    resource: Resource
    subjects: tuple[Template, ...]
    types: tuple[str, ...]
    constants: tuple[tuple[str, Any], ...]
    props: tuple[PropPlan, ...]
    nodes: tuple[NodePlan, ...]
    columns: Mapping[str, ColumnPlan]
    pointer: str

    def predicate_fields(self) -> dict[str, tuple[str, ...]]:
        """For each predicate, the columns that feed it (to place findings about absent values)."""
        out: dict[str, list[str]] = {}
        for p in (*self.props, *(q for n in self.nodes for q in n.props)):
            out.setdefault(p.predicate, []).extend(c for c in p.columns if c not in out.get(p.predicate, []))
        for n in self.nodes:
            out.setdefault(n.link, []).extend(c for p in n.props for c in p.columns)
        return {k: tuple(dict.fromkeys(v)) for k, v in out.items()}


@dataclass(frozen=True, slots=True)
class CompiledMapping:
    """A checked mapping, ready to run."""

    base: str
    prefixes: Mapping[str, str]
    resources: tuple[ResourcePlan, ...]
    vocabulary: Vocabulary
    file: str


@cache
def _schema_validator() -> Any:
    import jsonschema

    schema = json.loads(schema_path("mapping-1.schema.json").read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def _ptr(*parts: object) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


class _Checker:
    """Collects findings while resolving the terms and columns of a mapping."""

    def __init__(self, file: str, prefix_pointer: str, vocabulary: Vocabulary) -> None:
        self.file = file
        self.prefix_pointer = prefix_pointer
        self.vocabulary = vocabulary
        self.issues: list[Issue] = []
        self.resource: str | None = None  # the resource being compiled, for locations
        self.prefixes: dict[str, str] = {**vocabulary.prefixes, **vocab.STANDARD_PREFIXES}
        self.base = ""

    def add(self, code: str, message: str, pointer: str, hint: str | None = None, resource: str | None = None) -> None:
        loc = Location(resource=resource or self.resource, file=self.file, pointer=self.prefix_pointer + pointer)
        self.issues.append(Issue(Stage.MAPPING, code, Severity.ERROR, message, loc, hint))

    def term(self, text: str, pointer: str, *, declared: bool = True) -> str | None:
        """Resolve a CURIE or absolute IRI; ``declared`` also checks known vocabularies."""
        m = _CURIE.match(text)
        if not m:
            self.add(
                "mapping-bad-term",
                f"{text!r} is not a CURIE or an absolute IRI",
                pointer,
                "write a term such as 'schema:name' or a full IRI such as 'https://schema.org/name'",
            )
            return None
        prefix = m.group(1)
        if prefix in self.prefixes and not text[m.end() :].startswith("//"):
            iri = self.prefixes[prefix] + text[m.end() :]
        elif prefix in KNOWN_SCHEMES:
            iri = text
        else:
            self.add(
                "mapping-unknown-prefix",
                f"the prefix {prefix!r} in {text!r} is not declared",
                pointer,
                f'declare it under "prefixes", or use one of: {", ".join(sorted(self.prefixes))}',
            )
            return None
        problem = iri_problem(iri)
        if problem:
            self.add("mapping-bad-term", f"{text!r} is not a valid IRI: {problem}", pointer)
            return None
        if declared and not self._known(iri):
            self.add(
                "mapping-unknown-term",
                f"{text!r} is not a term of its vocabulary",
                pointer,
                "check the spelling against the vocabulary (terms are case-sensitive)",
            )
            return None
        return iri

    def _known(self, iri: str) -> bool:
        if iri.startswith(str(vocab.SSE._NS)) or iri.startswith(vocab.CODE_BASE):
            return iri in self.vocabulary.declared
        for ns in _CHECKED_NAMESPACES:
            base = str(ns._NS) if hasattr(ns, "_NS") else str(ns)
            if iri.startswith(base) and iri != base:
                return URIRef(iri) in ns
        return True

    def iri_template(self, text: str, pointer: str, relative: bool) -> Template | None:
        """Parse an IRI template. A leading CURIE prefix is expanded; when ``relative``
        (subjects, constants) any other text is appended to the base IRI, unless it
        starts with a reserved variable ``{+x}`` holding whole IRIs. Otherwise (value IRIs)
        a template must start with a prefix, a scheme, or a variable whose value is an
        absolute IRI, which is checked row by row."""
        m = _CURIE.match(text)
        if m:
            prefix, rest = m.group(1), text[m.end() :]
            if prefix in self.prefixes and not rest.startswith("//"):
                text = self.prefixes[prefix] + rest
            elif prefix not in KNOWN_SCHEMES:
                self.add(
                    "mapping-unknown-prefix",
                    f"the prefix {prefix!r} in {text!r} is not declared",
                    pointer,
                    f'declare it under "prefixes", or use one of: {", ".join(sorted(self.prefixes))}',
                )
                return None
        elif relative and not text.startswith("{+"):
            text = self.base + text
        elif not text.startswith("{"):
            self.add(
                "mapping-bad-template",
                f"the IRI template {text!r} is neither absolute nor a CURIE",
                pointer,
                "start it with a declared prefix (e.g. 'wd:{id}') or 'https://'",
            )
            return None
        try:
            return Template.parse(text)
        except TemplateError as exc:
            self.add("mapping-bad-template", str(exc), pointer, "write variables as {column} or {+column}")
            return None


def load_mapping_document(package: DataPackage, limits: Any) -> tuple[Any, str, str] | None:
    """Find the mapping of ``package``: ``(document, file shown in findings, pointer prefix)``.

    ``None`` when the package has no ``sse_ld.mapping``.
    """
    from ..package import load_json_file, safe_member

    section = package.descriptor.get("sse_ld")
    if not isinstance(section, dict) or "mapping" not in section:
        return None
    value = section["mapping"]
    if isinstance(value, str):
        where = f"{package.descriptor_file.name} /sse_ld/mapping"
        path = safe_member(package.root, value, what="mapping", where=where)
        return load_json_file(path, limits, what="the mapping file", shown=value), value, ""
    return value, package.descriptor_file.name, "/sse_ld/mapping"


def compile_mapping(
    package: DataPackage,
    document: Any,
    file: str,
    prefix_pointer: str,
    vocabulary: Vocabulary,
    base_override: str | None = None,
) -> tuple[CompiledMapping | None, list[Issue]]:
    """Check ``document`` against the schema and the package, and compile it.

    Returns the compiled mapping (``None`` if there were findings) and the findings.
    """
    ck = _Checker(file, prefix_pointer, vocabulary)
    errors = sorted(_schema_validator().iter_errors(document), key=lambda e: list(e.absolute_path))
    for err in errors:
        ck.add(
            "mapping-invalid",
            _schema_message(err),
            _ptr(*err.absolute_path),
            "see docs/mapping.md for the mapping language",
        )
    if errors:
        return None, ck.issues
    for name, iri in document.get("prefixes", {}).items():
        ck.prefixes[name] = iri
    base = base_override or document["base"]
    if base_override is not None:
        problem = iri_problem(base_override)
        if problem or not base_override.endswith(("/", "#")):
            ck.add(
                "mapping-bad-base",
                f"the base IRI {base_override!r} is not usable: {problem or 'it must end with / or #'}",
                "/base",
            )
    ck.base = base
    plans: list[ResourcePlan] = []
    for name, rmap in document["resources"].items():
        rptr = _ptr("resources", name)
        res = package.resource(name)
        if res is None:
            ck.add(
                "mapping-unknown-resource",
                f"the mapping names the resource {name!r}, which the package does not have",
                rptr,
                f"use one of: {', '.join(r.name for r in package.resources)}",
            )
            continue
        ck.resource = name
        plan = _compile_resource(ck, res, rmap, rptr, document["resources"], package)
        ck.resource = None
        if plan:
            plans.append(plan)
    if ck.issues:
        return None, ck.issues
    return CompiledMapping(base, dict(ck.prefixes), tuple(plans), vocabulary, file), ck.issues


def _schema_message(err: Any) -> str:
    where = "/".join(str(p) for p in err.absolute_path) or "the mapping"
    if err.validator == "oneOf" and isinstance(err.instance, dict):
        keys = ", ".join(sorted(err.instance))
        return f"{where}: this combination of keys is not allowed ({keys})"
    if err.validator == "additionalProperties":
        return f"{where}: {err.message}"
    return f"{where}: {err.message}"


def _columns(ck: _Checker, res: Resource, names: list[str], pointer: str) -> dict[str, ColumnPlan] | None:
    fields = list(res.schema.get("fields", []))
    index = {f.get("name"): (i, f) for i, f in enumerate(fields)}
    out: dict[str, ColumnPlan] = {}
    ok = True
    for name in names:
        if name not in index:
            ck.add(
                "mapping-unknown-column",
                f"resource {res.name!r} has no column {name!r}",
                pointer,
                f"use one of: {', '.join(str(f.get('name')) for f in fields)}",
                res.name,
            )
            ok = False
            continue
        i, f = index[name]
        out[name] = ColumnPlan(i, name, str(f.get("type", "string")), make_caster(f), res.missing_values)
    return out if ok else None


def _compile_resource(
    ck: _Checker, res: Resource, rmap: Mapping[str, Any], rptr: str, all_maps: Mapping[str, Any], package: DataPackage
) -> ResourcePlan | None:
    start = len(ck.issues)
    subject_src = rmap["subject"]
    subject_texts = [subject_src] if isinstance(subject_src, str) else list(subject_src)
    subjects = []
    for i, text in enumerate(subject_texts):
        t = ck.iri_template(text, rptr + "/subject" + (f"/{i}" if not isinstance(subject_src, str) else ""), True)
        if t:
            if not t.variables:
                ck.add(
                    "mapping-bad-template",
                    f"the subject template {text!r} has no {{column}}: every row would get the same IRI",
                    rptr + "/subject",
                    "include the key column(s), e.g. 'organisation/{id}'",
                    res.name,
                )
            subjects.append(t)
    types = tuple(c for i, typ in enumerate(rmap["types"]) if (c := ck.term(typ, f"{rptr}/types/{i}")))
    constants = _constants(ck, rmap.get("constants", []), rptr + "/constants")
    props = tuple(
        p
        for i, pm in enumerate(rmap.get("properties", []))
        if (p := _prop(ck, res, pm, f"{rptr}/properties/{i}", all_maps, package))
    )
    nodes: list[NodePlan] = []
    for i, nm in enumerate(rmap.get("nodes", [])):
        nptr = f"{rptr}/nodes/{i}"
        subj = ck.iri_template(nm["subject"], nptr + "/subject", True)
        link = ck.term(nm["link"], nptr + "/link")
        ntypes = tuple(c for j, typ in enumerate(nm.get("types", [])) if (c := ck.term(typ, f"{nptr}/types/{j}")))
        nprops = tuple(
            p
            for j, pm in enumerate(nm.get("properties", []))
            if (p := _prop(ck, res, pm, f"{nptr}/properties/{j}", all_maps, package))
        )
        nconst = _constants(ck, nm.get("constants", []), nptr + "/constants")
        if subj and link:
            nodes.append(NodePlan(subj, link, ntypes, nprops, nconst, nptr))
    needed = {v for t in subjects for v in t.variables}
    for p in props:
        needed.update(p.columns)
    for n in nodes:
        needed.update(n.subject.variables)
        for p in n.props:
            needed.update(p.columns)
    columns = _columns(ck, res, sorted(needed), rptr)
    if columns is None or len(ck.issues) > start:
        return None
    return ResourcePlan(res, tuple(subjects), types, constants, props, tuple(nodes), columns, rptr)


def _constants(ck: _Checker, items: list[Mapping[str, Any]], pointer: str) -> tuple[tuple[str, Any], ...]:
    from ..terms import Lit

    out: list[tuple[str, Any]] = []
    for i, c in enumerate(items):
        ptr = f"{pointer}/{i}"
        pred = ck.term(c["predicate"], ptr + "/predicate")
        if "iri" in c:
            t = ck.iri_template(c["iri"], ptr + "/iri", True)
            if t and t.variables:
                ck.add("mapping-bad-template", "a constant IRI cannot contain {variables}", ptr + "/iri")
                continue
            obj: Any = t.source if t else None
        else:
            value = c["value"]
            if has_surrogates(value):
                ck.add("mapping-bad-literal", "the constant contains an invalid Unicode character", ptr + "/value")
                continue
            if "lang" in c:
                obj = Lit(value, RDF_LANGSTRING, c["lang"].lower())
            else:
                dt = ck.term(c["datatype"], ptr + "/datatype", declared=False) if "datatype" in c else XSD_STRING
                if dt and (problem := lexical_problem(value, dt)):
                    ck.add("mapping-bad-literal", f"the constant {problem}", ptr + "/value")
                    continue
                obj = Lit(value, dt, "") if dt else None
        if pred and obj is not None:
            out.append((pred, obj))
    return tuple(out)


def _prop(
    ck: _Checker, res: Resource, pm: Mapping[str, Any], ptr: str, all_maps: Mapping[str, Any], package: DataPackage
) -> PropPlan | None:
    pred = ck.term(pm["predicate"], ptr + "/predicate")
    fields = {f.get("name"): f for f in res.schema.get("fields", [])}
    column: str | None = pm.get("column")
    separator: str | None = pm.get("separator")
    if column is not None and column not in fields:
        ck.add(
            "mapping-unknown-column",
            f"resource {res.name!r} has no column {column!r}",
            ptr + "/column",
            f"use one of: {', '.join(str(n) for n in fields)}",
            res.name,
        )
        return None
    ftype = str(fields[column].get("type", "string")) if column else "string"
    if column and ftype in UNMAPPABLE_TYPES:
        ck.add(
            "mapping-unsupported-type",
            f"column {column!r} has type {ftype!r}, which has no literal form",
            ptr + "/column",
            'map it through a "template" (e.g. a WKT point) instead',
            res.name,
        )
        return None
    if pred is None:
        return None
    if "ref" in pm:
        return _ref(ck, res, pm, pred, ptr, all_maps, package)
    if "codeList" in pm:
        scheme = ck.term(pm["codeList"], ptr + "/codeList", declared=False)
        if scheme is None:
            return None
        if scheme not in ck.vocabulary.schemes:
            ck.add(
                "mapping-unknown-code-list",
                f"no SKOS concept scheme {pm['codeList']!r} is known",
                ptr + "/codeList",
                'use a scheme from ontology/codes/ or list the package\'s own Turtle file under "vocabularies"',
                res.name,
            )
            return None
        assert column is not None  # the schema requires a column with codeList
        return PropPlan(pred, "code", (column,), ptr, column=column, separator=separator, scheme=scheme)
    if "iri" in pm:
        t = ck.iri_template(pm["iri"], ptr + "/iri", False)
        if t is None:
            return None
        cols = (column,) if column else t.variables
        if column and column not in t.variables:
            ck.add(
                "mapping-bad-template",
                f"the IRI template {pm['iri']!r} does not use its column {column!r}",
                ptr + "/iri",
            )
            return None
        return PropPlan(
            pred,
            "iri",
            tuple(dict.fromkeys((*cols, *t.variables))),
            ptr,
            column=column,
            separator=separator,
            template=t,
        )
    lang = pm.get("lang", "").lower()
    if lang and ftype not in ("string", "any") and column:
        ck.add(
            "mapping-bad-literal",
            f"column {column!r} has type {ftype!r}; only text can carry a language tag",
            ptr + "/lang",
            'remove "lang", or declare the column as a string',
            res.name,
        )
        return None
    datatype = DEFAULT_DATATYPE.get(ftype, XSD_STRING)
    explicit = "datatype" in pm
    if explicit:
        dt = ck.term(pm["datatype"], ptr + "/datatype", declared=False)
        if dt is None:
            return None
        datatype = dt
    if lang:
        datatype = RDF_LANGSTRING
    if "template" in pm:
        try:
            t = Template.parse(pm["template"])
        except TemplateError as exc:
            ck.add("mapping-bad-template", str(exc), ptr + "/template")
            return None
        return PropPlan(
            pred, "template", t.variables, ptr, datatype=datatype, lang=lang, check_lexical=explicit, template=t
        )
    assert column is not None  # the schema requires a column or a template for literals
    return PropPlan(
        pred,
        "literal",
        (column,),
        ptr,
        column=column,
        datatype=datatype,
        lang=lang,
        check_lexical=explicit or separator is not None,
        separator=separator,
    )


def _ref(
    ck: _Checker,
    res: Resource,
    pm: Mapping[str, Any],
    pred: str,
    ptr: str,
    all_maps: Mapping[str, Any],
    package: DataPackage,
) -> PropPlan | None:
    column = pm["column"]
    target = pm["ref"]
    fks = res.schema.get("foreignKeys", []) or []
    chosen = None
    for fk in fks:
        fields = fk.get("fields")
        fields = [fields] if isinstance(fields, str) else list(fields or [])
        ref = fk.get("reference", {}) or {}
        ref_res = ref.get("resource") or res.name
        if column in fields and ref_res == target:
            ref_fields = ref.get("fields")
            chosen = (fields, [ref_fields] if isinstance(ref_fields, str) else list(ref_fields or []))
            break
    if chosen is None:
        ck.add(
            "mapping-no-foreign-key",
            f"column {column!r} links to {target!r}, but the Table Schema declares no foreign key "
            f"from it to {target!r}",
            ptr + "/ref",
            f'add to the schema of {res.name!r}: "foreignKeys": [{{"fields": "{column}", '
            f'"reference": {{"resource": "{target}", "fields": "..."}}}}]',
            res.name,
        )
        return None
    fields, ref_fields = chosen
    if target not in all_maps or package.resource(target) is None:
        ck.add(
            "mapping-no-foreign-key",
            f"column {column!r} links to {target!r}, which the mapping does not map",
            ptr + "/ref",
            f"add a mapping for {target!r} so its rows have IRIs",
            res.name,
        )
        return None
    tmap = all_maps[target]
    subj = tmap["subject"] if isinstance(tmap["subject"], str) else tmap["subject"][0]
    t = ck.iri_template(subj, ptr + "/ref", True)
    if t is None:
        return None
    ref_vars = dict(zip(ref_fields, fields, strict=False))
    missing = [v for v in t.variables if v not in ref_vars]
    if missing:
        ck.add(
            "mapping-no-foreign-key",
            f"the subject of {target!r} uses column(s) {', '.join(missing)} that the foreign key does not cover",
            ptr + "/ref",
            "make the foreign key reference the columns of the referenced subject template",
            res.name,
        )
        return None
    if pm.get("separator") and len(fields) > 1:
        ck.add("mapping-bad-literal", "a multi-column foreign key cannot have a separator", ptr + "/separator")
        return None
    return PropPlan(
        pred, "ref", tuple(fields), ptr, column=column, separator=pm.get("separator"), template=t, ref_vars=ref_vars
    )
