"""Named SPARQL queries and their parameters.

Named queries are ``queries/*.rq``; each starts with a comment header::

    # title: 2023年主要经济社会指标 | All indicators of a year
    # answers: Every reported figure for an area in a year, sorted by growth.
    # param: area = https://w3id.org/anze-kg/id/county/anze (iri)
    # param: year = 2023 (gYear)

Each default is also in the query itself, so that the file runs as it is
on any SPARQL engine (Jena, GraphDB, a notebook) and answers what it
answers here: one line per parameter, at the top of the outermost group::

    VALUES ?year { "2023"^^<http://www.w3.org/2001/XMLSchema#gYear> }  # default

Here that line is blanked (spaces, so line and column numbers stay) before
the query runs, and the parameters, defaults or ``--param`` values, reach
the query as bindings of the variable of the same name (``?area``;
pyoxigraph ``substitutions``), never by pasting text into the query.  A
SELECT query must project each parameter's variable (pyoxigraph binds only
projected variables); a CONSTRUCT must use it in a pattern.  A
value becomes:

* an IRI when the parameter is declared ``(iri)``, or when it is undeclared
  (or declared ``(term)``) and starts with ``http://``, ``https://`` or ``urn:``;
* a typed literal when declared ``(integer)``, ``(decimal)``, ``(double)``,
  ``(boolean)``, ``(date)`` or ``(gYear)`` (the value must be valid for the
  type), or when undeclared and it looks like a number (``12`` ->
  xsd:integer, ``12.5`` -> xsd:decimal);
* a literal with a language tag when declared ``(zh)`` or ``(en)``;
* otherwise (``(string)``, ``(term)`` or undeclared) a plain literal.
"""

from __future__ import annotations

import os
import re
from collections import namedtuple
from pathlib import Path

import pyoxigraph as ox

from anze_kg.errors import NotFoundError, QueryError
from anze_kg.inputs.project import Project
from anze_kg.namespaces import ID
from anze_kg.sparql.guard import tokens

XSD = "http://www.w3.org/2001/XMLSchema#"


class NamedQuery(namedtuple("NamedQuery",
                            "name path title_zh title_en description params text param_types source cost",
                            defaults=("", ""))):
    """A query with its header: ``name``, ``path`` (None for an ad-hoc query),
    titles, ``description`` (what it answers), ``params`` (name -> default),
    ``text`` (what runs here: the file with its default lines blanked),
    ``param_types`` (name -> declared type) and ``source``
    (the file as written, defaults included: runs as it is anywhere) and
    ``cost`` (``lookup`` when the header says so, see :data:`LOOKUP`).
    A named tuple: see :class:`anze_kg.errors.Location`."""

    __slots__ = ()

    @property
    def title(self) -> str:
        return " | ".join(t for t in (self.title_zh, self.title_en) if t)


_HEADER = re.compile(r"^#\s*(title|answers|param|cost)\s*:\s*(.*?)\s*$")
# "# cost: lookup": the answer is read from the bound terms' own triples (an ASK or DESCRIBE of
# bound terms, or a SELECT whose patterns start from them, with no grouping, aggregate, DISTINCT,
# subquery, EXISTS, MINUS or path of any length; ORDER BY sorts those few rows), so its work does
# not grow with the store.  A named query of the project that says so runs in the calling process
# on any store (anze_kg.sparql.evaluate.run_named); the line on a query with any of the forms
# above is refused when the query is read (that its patterns start from the bound terms is the
# author's to keep).
LOOKUP = "lookup"
_NOT_A_LOOKUP = {"GROUP", "HAVING", "DISTINCT", "REDUCED", "COUNT", "SUM", "AVG", "MIN", "MAX",
                 "SAMPLE", "GROUP_CONCAT", "CONSTRUCT", "SERVICE", "EXISTS", "MINUS"}
_PARAM = re.compile(r"^([A-Za-z_]\w*)\s*=\s*(.*?)\s*(?:\(\s*([A-Za-z]+)\s*\))?$")
PARAM_TYPES = ("iri", "term", "string", "zh", "en", "integer", "decimal", "double", "boolean", "date", "gYear")


def parse_named_query(text: str, name: str, path: Path | None = None) -> NamedQuery:
    """Read the comment header of a query (lines starting with ``#`` before the first other line)."""
    fields: dict[str, str] = {}
    params: dict[str, str] = {}
    types: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        if not line.lstrip().startswith("#"):
            break
        match = _HEADER.match(line.strip())
        if not match:
            continue
        key, value = match.groups()
        if key != "param":
            fields[key] = value
            continue
        pm = _PARAM.match(value)
        if not pm or (pm.group(3) and pm.group(3) not in PARAM_TYPES):
            where = f"{path or name}:{number}"
            raise QueryError(f"{where}: malformed parameter line {value!r}",
                             hint=f"write: # param: NAME = DEFAULT (TYPE), TYPE one of {', '.join(PARAM_TYPES)}")
        params[pm.group(1)] = pm.group(2)
        if pm.group(3):
            types[pm.group(1)] = pm.group(3)
    zh, _, en = fields.get("title", "").partition("|")
    cost = fields.get("cost", "")
    if cost:
        _check_lookup(text, cost, path or name)
    return NamedQuery(name, path, zh.strip(), en.strip(), fields.get("answers", ""), params,
                      blank_defaults(text, params), types, text, cost)


def _check_lookup(text: str, cost: str, where) -> None:
    """Refuse a ``# cost:`` line other than ``lookup``, or on a query that is not a lookup (see :data:`LOOKUP`)."""
    if cost != LOOKUP:
        raise QueryError(f"{where}: unknown cost {cost!r}", hint=f"write '# cost: {LOOKUP}' or leave the line out")
    toks = tokens(text)
    if sum(1 for t in toks if t.kind == "word" and t.value.upper() == "SELECT") > 1:
        _not_a_lookup(where, "a subquery")
    for i, tok in enumerate(toks):
        if tok.kind == "word" and tok.value.upper() in _NOT_A_LOOKUP:
            _not_a_lookup(where, tok.value)
        before = toks[i - 1] if i else None
        # a path of any length: * or + after a predicate (an IRI, a prefixed name, a or a closing bracket)
        if tok.value in ("*", "+") and before is not None and before.value.upper() != "SELECT" and (
                before.value == "a" or (before.kind in ("iri", "pname", "other") and before.value not in "{}.;,")):
            _not_a_lookup(where, tok.value)


def _not_a_lookup(where, what: str) -> None:
    raise QueryError(f"{where}: '# cost: {LOOKUP}' on a query whose work grows with the store ({what})",
                     hint="leave the cost line out: the query then runs in the time-limited child")


# One parameter's default in the query text: "VALUES ?name { term }  # default", a line of its own.
DEFAULT_LINE = re.compile(r"^[ \t]*VALUES[ \t]+\?(?P<name>[A-Za-z_]\w*)[ \t]*\{(?P<term>[^{}\n]*)\}"
                          r"[ \t]*#[ \t]*default\b[^\n]*$", re.M)


def default_lines(text: str) -> dict[str, str]:
    """``{parameter: its default term as written}`` of the default lines of a query text."""
    return {m.group("name"): m.group("term").strip() for m in DEFAULT_LINE.finditer(text)}


def blank_defaults(text: str, params: dict[str, str]) -> str:
    """``text`` with the default line of each declared parameter turned into spaces
    (the bindings replace it); other VALUES lines, and lines of undeclared names, stay."""
    return DEFAULT_LINE.sub(lambda m: " " * len(m.group(0)) if m.group("name") in params else m.group(0), text)


def default_line(query: NamedQuery, name: str) -> str:
    """The line that states parameter ``name``'s default in the query (for a new .rq file)."""
    term = bind_params(query._replace(params={name: query.params[name]}), None)[name]
    return f"  VALUES ?{name} {{ {term} }}  # default"


def list_queries(project: Project) -> list[NamedQuery]:
    """The named queries of ``queries/*.rq``, sorted by name."""
    return [_read_query(path) for path in sorted(project.queries_dir.glob("*.rq"))]


def get_query(project: Project, name_or_path: str) -> NamedQuery:
    """A named query by name, or any ``.rq`` file by path."""
    candidate = Path(name_or_path)
    if name_or_path.endswith(".rq") or os.sep in name_or_path:
        if candidate.is_file():
            return _read_query(candidate)
        if name_or_path.endswith(".rq") and os.sep not in name_or_path:
            name_or_path = candidate.stem
        else:
            raise NotFoundError(f"no query file {name_or_path}")
    path = project.queries_dir / f"{name_or_path}.rq"
    if path.is_file():
        return _read_query(path)
    names = [p.stem for p in sorted(project.queries_dir.glob("*.rq"))]
    import difflib  # deferred: only for a name not found, not on the path of every query

    close = difflib.get_close_matches(name_or_path, names, n=3, cutoff=0.5)
    close += [n for n in names if name_or_path.lower() in n and n not in close][: 3 - len(close)]
    hint = f"did you mean {', '.join(close)}?" if close else "list them with: anze-kg queries"
    raise NotFoundError(f"no named query {name_or_path!r}", hint=hint)


def _read_query(path: Path) -> NamedQuery:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise QueryError(f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}") from None
    return parse_named_query(text, path.stem, path)


def adhoc_query(text: str) -> NamedQuery:
    """A query typed on the command line (``--sparql``); its header, if any, is read too."""
    return parse_named_query(text, "--sparql")


# --------------------------------------------------------------------------- parameters

_INTEGER = re.compile(r"^[+-]?\d+$")
_DECIMAL = re.compile(r"^[+-]?(?:\d+\.\d*|\.\d+)$")
_IRI_LIKE = re.compile(r"^(?:https?|urn):\S+$", re.IGNORECASE)
_GYEAR = re.compile(r"^-?\d{4,}$")
_DATE = re.compile(r"^-?\d{4,}-\d\d-\d\d$")


def parse_assignments(items: list[str] | None) -> dict[str, str]:
    """``["k=v", ...]`` (from ``--param``) -> ``{k: v}``; a malformed item is a QueryError."""
    given: dict[str, str] = {}
    for item in items or []:
        name, sep, value = item.partition("=")
        if not sep or not re.fullmatch(r"[A-Za-z_]\w*", name.strip()):
            raise QueryError(f"malformed parameter {item!r}", hint="write --param NAME=VALUE")
        given[name.strip()] = value.strip()
    return given


def bind_params(query: NamedQuery, given: dict[str, str] | None) -> dict[str, object]:
    """The bindings for ``query``: its declared parameters with their defaults,
    overridden by ``given``, each turned into an RDF term (see the module
    docstring).  Unknown, missing (empty) or malformed values raise QueryError."""
    given = dict(given or {})
    declared = dict(query.params)
    if not declared:  # an ad-hoc query: any variable it mentions may be bound
        mentioned = {t.value[1:] for t in tokens(query.text) if t.kind == "var"}
        declared = {name: "" for name in given if name in mentioned}
    unknown = sorted(set(given) - set(declared))
    if unknown:
        known = ", ".join(sorted(query.params)) or "none"
        raise QueryError(f"unknown parameter {unknown[0]!r} for {query.name}", hint=f"its parameters: {known}")
    bindings = {}
    for name, default in declared.items():
        value = given.get(name, default)
        if value == "":
            raise QueryError(f"missing value for parameter {name!r} of {query.name}",
                             hint=f"give it: --param {name}=VALUE")
        if query.param_types.get(name) == "iri":
            value = expand_iri(value, default)
        bindings[name] = to_term(name, value, query.param_types.get(name))
    return bindings


ID_BASE = str(ID)
_SHORT = re.compile(r"^(?:(?P<kind>[a-z][a-z-]*)/)?(?P<slug>[a-z0-9][a-z0-9-]*(?:/[a-z0-9][a-z0-9-]*)?)$")


def expand_iri(value: str, default: str) -> str:
    """A short name of one of the project's IRIs, made whole: ``kind/slug``
    (``county/zizhou``) is ``…/id/county/zizhou``, and a bare ``slug`` takes the
    kind of the parameter's default (``-p indicator=gdp`` is ``…/id/indicator/gdp``).
    Anything else is left as it is."""
    found = _SHORT.match(value)
    if not found or ":" in value:
        return value
    if found.group("kind"):
        return f"{ID_BASE}{value}"
    kind, _, rest = default[len(ID_BASE):].partition("/") if default.startswith(ID_BASE) else ("", "", "")
    return f"{ID_BASE}{kind}/{value}" if kind and rest else value


def short_iri(value: str) -> str:
    """The short name ``-p`` takes for one of the project's IRIs (``county/zizhou``), else ``value``."""
    rest = value[len(ID_BASE):] if value.startswith(ID_BASE) else ""
    return rest if rest and expand_iri(rest, "") == value else value


def to_term(name: str, value: str, kind: str | None = None):
    """One parameter value as an RDF term, by its declared ``kind`` or by its look."""
    if kind is None:
        kind = "iri" if _IRI_LIKE.match(value) else "integer" if _INTEGER.match(value) else (
            "decimal" if _DECIMAL.match(value) else "string")
    elif kind == "term":
        kind = "iri" if _IRI_LIKE.match(value) else "string"
    if kind == "iri":
        return _iri(name, value)
    if kind in ("string", "zh", "en"):
        return ox.Literal(value) if kind == "string" else ox.Literal(value, language=kind)
    checks = {"integer": _INTEGER.match, "decimal": _is_decimal, "double": _is_double, "gYear": _GYEAR.match,
              "boolean": lambda v: v in ("true", "false"), "date": _DATE.match}
    if not checks[kind](value):
        raise QueryError(f"parameter {name!r}: {value!r} is not a valid {kind}")
    return ox.Literal(value, datatype=ox.NamedNode(XSD + kind))


def _iri(name: str, value: str):
    if not re.match(r"^[A-Za-z][\w+.-]*:\S+$", value):
        raise QueryError(f"parameter {name!r}: {value!r} is not an absolute IRI", hint="e.g. https://w3id.org/anze-kg/id/county/anze")
    try:
        return ox.NamedNode(value)
    except ValueError as exc:
        raise QueryError(f"parameter {name!r}: {value!r} is not a valid IRI: {exc}") from None


def _is_decimal(value: str) -> bool:
    # deferred: only for a decimal parameter
    from decimal import Decimal, InvalidOperation

    try:
        Decimal(value)
    except InvalidOperation:
        return False
    return bool(_INTEGER.match(value) or _DECIMAL.match(value))


_DOUBLE = re.compile(r"^(?:[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|[+-]?INF|NaN)$")


def _is_double(value: str) -> bool:
    return bool(_DOUBLE.match(value))
