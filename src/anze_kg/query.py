"""Named SPARQL queries, parameters as bindings, guarded evaluation and the
W3C result formats.

Named queries are ``queries/*.rq``; each starts with a comment header::

    # title: 2023年主要经济社会指标 | All indicators of a year
    # answers: Every reported figure for an area in a year, sorted by growth.
    # param: area = https://w3id.org/anze-kg/id/county/anze (iri)
    # param: year = 2023 (gYear)

Parameters reach the query as bindings of the variable of the same name
(``?area``; pyoxigraph ``substitutions``), never by pasting text into the
query.  A SELECT query must project each parameter's variable (pyoxigraph
binds only projected variables); a CONSTRUCT must use it in a pattern.  A
value becomes:

* an IRI when the parameter is declared ``(iri)``, or when it is undeclared
  (or declared ``(term)``) and starts with ``http://``, ``https://`` or ``urn:``;
* a typed literal when declared ``(integer)``, ``(decimal)``, ``(double)``,
  ``(boolean)``, ``(date)`` or ``(gYear)`` (the value must be valid for the
  type), or when undeclared and it looks like a number (``12`` ->
  xsd:integer, ``12.5`` -> xsd:decimal);
* a literal with a language tag when declared ``(zh)`` or ``(en)``;
* otherwise (``(string)``, ``(term)`` or undeclared) a plain literal.

Before anything is evaluated, :func:`check_query` parses the text with
Oxigraph's SPARQL parser (against an empty store) and, with a small lexer
that skips strings, IRIs and comments, refuses any update (INSERT, DELETE,
LOAD, CLEAR, CREATE, DROP, COPY, MOVE, ADD, WITH), ``SERVICE``, and ``FROM``
/ ``FROM NAMED`` naming a graph other than the local ones
(``https://w3id.org/anze-kg/graph/...``): nothing is ever fetched.  Syntax
errors point at the token where reading stops (line and column, 1-based).

The project's prefixes (``akg:``, ``rdfs:``, ``skos:``, ``oa:`` ...) are
predeclared for typed queries; the named queries declare theirs, so they run
unchanged on any SPARQL 1.1 engine.  The default graph is the union of the
named graphs, unless the query names its own with FROM.

:func:`run_query` evaluates in a forked child process (POSIX; see
:mod:`anze_kg.querychild`) that is killed at the deadline, so a runaway
query really stops; the child may add at most ``querychild.MEMORY_LIMIT_BYTES`` of heap,
and a result over ``max_rows`` rows (or triples) is an error, never a
cut-off answer.
"""

from __future__ import annotations

import difflib
import os
import re
import time
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyoxigraph as ox

from .errors import NotFoundError, QueryError, UsageError
from .querychild import in_child
from .sources import Project
from .sparql_guard import PREFIX_MAP, check_query, display_width, has_dataset_clause, tokens  # noqa: F401 (API)

XSD = "http://www.w3.org/2001/XMLSchema#"
DEFAULT_TIMEOUT_S = 10.0
DEFAULT_MAX_ROWS = 100_000


@dataclass(frozen=True)
class ResultFormat:
    name: str
    media_type: str
    forms: tuple[str, ...]  # query forms it can carry


RESULT_FORMATS = {
    f.name: f
    for f in (
        ResultFormat("table", "text/plain; charset=utf-8", ("SELECT", "ASK")),
        ResultFormat("csv", "text/csv; charset=utf-8", ("SELECT", "ASK")),
        ResultFormat("tsv", "text/tab-separated-values; charset=utf-8", ("SELECT", "ASK")),
        ResultFormat("json", "application/sparql-results+json", ("SELECT", "ASK")),
        ResultFormat("xml", "application/sparql-results+xml", ("SELECT", "ASK")),
        ResultFormat("turtle", "text/turtle; charset=utf-8", ("CONSTRUCT", "DESCRIBE")),
        ResultFormat("nt", "application/n-triples", ("CONSTRUCT", "DESCRIBE")),
    )
}
_OX_RESULTS = {"csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV,
               "json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML}
_OX_GRAPH = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES}


def default_format(form: str) -> str:
    """``table`` for SELECT and ASK, ``turtle`` for CONSTRUCT and DESCRIBE."""
    return "table" if form in ("SELECT", "ASK") else "turtle"


# --------------------------------------------------------------------------- named queries

@dataclass(frozen=True)
class NamedQuery:
    """A query with its header: titles, what it answers, parameters with defaults."""

    name: str
    path: Path | None
    title_zh: str
    title_en: str
    description: str
    params: dict[str, str]
    text: str
    param_types: dict[str, str] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return " | ".join(t for t in (self.title_zh, self.title_en) if t)


_HEADER = re.compile(r"^#\s*(title|answers|param)\s*:\s*(.*?)\s*$")
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
    return NamedQuery(name, path, zh.strip(), en.strip(), fields.get("answers", ""), params, text, types)


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


# --------------------------------------------------------------------------- guards: see sparql_guard

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
        bindings[name] = to_term(name, value, query.param_types.get(name))
    return bindings


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
    try:
        Decimal(value)
    except InvalidOperation:
        return False
    return bool(_INTEGER.match(value) or _DECIMAL.match(value))


_DOUBLE = re.compile(r"^(?:[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|[+-]?INF|NaN)$")


def _is_double(value: str) -> bool:
    return bool(_DOUBLE.match(value))


# --------------------------------------------------------------------------- evaluation

@dataclass
class QueryResult:
    """What a query returned: ``rows`` (SELECT: tuples of terms, None where
    unbound), ``boolean`` (ASK) or ``triples`` (CONSTRUCT, DESCRIBE; sorted)."""

    form: str
    variables: list[str] = field(default_factory=list)
    rows: list[tuple] | None = None
    boolean: bool | None = None
    triples: list | None = None
    seconds: float = 0.0

    def __len__(self) -> int:
        if self.rows is not None:
            return len(self.rows)
        return len(self.triples) if self.triples is not None else 1

    def serialize(self, fmt: str | None = None) -> bytes:
        """Bytes in ``fmt`` (see RESULT_FORMATS; default: table or turtle)."""
        fmt = fmt or default_format(self.form)
        spec = RESULT_FORMATS.get(fmt)
        if spec is None:
            raise UsageError(f"unknown result format {fmt!r}", hint=f"choose one of {', '.join(RESULT_FORMATS)}")
        if self.form not in spec.forms:
            usable = ", ".join(f.name for f in RESULT_FORMATS.values() if self.form in f.forms)
            raise UsageError(f"format {fmt} cannot carry the result of a {self.form} query", hint=f"use {usable}")
        if fmt == "table":
            return (table_text(self) + "\n").encode("utf-8")
        if fmt in _OX_GRAPH:
            prefixes = {k: v for k, v in PREFIX_MAP.items() if k != "id"} if fmt == "turtle" else None
            return ox.serialize(self.triples, format=_OX_GRAPH[fmt], prefixes=prefixes)
        parsed = ox.parse_query_results(self.json_bytes(), format=ox.QueryResultsFormat.JSON)
        return parsed.serialize(format=_OX_RESULTS[fmt])

    def json_bytes(self) -> bytes:
        """SPARQL 1.1 Query Results JSON."""
        import json

        if self.form == "ASK":
            doc = {"head": {}, "boolean": bool(self.boolean)}
        else:
            bindings = [{v: term_json(t) for v, t in zip(self.variables, row) if t is not None} for row in self.rows]
            doc = {"head": {"vars": self.variables}, "results": {"bindings": bindings}}
        return json.dumps(doc, ensure_ascii=False).encode("utf-8")


def term_json(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD + "string":
            out["datatype"] = term.datatype.value
        return out
    return {"type": "triple", "value": {"subject": term_json(term.subject), "predicate": term_json(term.predicate),
                                        "object": term_json(term.object)}}


def run_query(store, text: str, bindings: dict | None = None, timeout_s: float = DEFAULT_TIMEOUT_S,
              max_rows: int = DEFAULT_MAX_ROWS) -> QueryResult:
    """Check ``text`` (see :func:`check_query`), then evaluate it on ``store`` (an
    :class:`anze_kg.store.Store` or a bare ``pyoxigraph.Store``) in a child
    process killed after ``timeout_s`` seconds; more than ``max_rows`` rows
    (or triples) is a QueryError, never a cut-off result.  On a
    :class:`anze_kg.store.Store` the child is a long-lived worker, reused from
    query to query (:class:`anze_kg.querychild.QueryWorker`); on a bare
    pyoxigraph store, a child per query."""
    form = check_query(text)
    if timeout_s <= 0 or max_rows <= 0:
        raise UsageError("the time limit and the row limit must be positive")
    subs = {ox.Variable(name): term for name, term in (bindings or {}).items()}
    ox_store = getattr(store, "ox", store)
    started = time.perf_counter()
    union = not has_dataset_clause(text)
    worker = store.query_worker(_evaluate_request) if hasattr(store, "query_worker") else None
    if worker is not None:
        outcome = worker.call((text, subs, form, max_rows, union), timeout_s)
    else:
        outcome = in_child(lambda: _evaluate(ox_store, text, subs, form, max_rows, union), timeout_s)
    if outcome[0] == "error":
        raise QueryError(outcome[1], hint=outcome[2])
    result = outcome[1]
    result.seconds = time.perf_counter() - started
    return result


def _evaluate_request(ox_store, request: tuple):
    return _evaluate(ox_store, *request)


def _evaluate(ox_store, text: str, subs: dict, form: str, max_rows: int, union: bool):
    try:
        answer = ox_store.query(text, use_default_graph_as_union=union, substitutions=subs or None,
                                prefixes=PREFIX_MAP)
        if isinstance(answer, ox.QueryBoolean):
            return "ok", QueryResult(form, boolean=bool(answer))
        if isinstance(answer, ox.QuerySolutions):
            names = [v.value for v in answer.variables]
            rows = []
            for solution in answer:
                if len(rows) == max_rows:
                    return _too_many(max_rows, "rows")
                rows.append(tuple(solution))
            return "ok", QueryResult(form, names, rows=rows)
        triples = set()
        for triple in answer:
            triples.add(triple)
            if len(triples) > max_rows:
                return _too_many(max_rows, "triples")
        return "ok", QueryResult(form, triples=sorted(triples, key=str))
    except (RuntimeError, ValueError, OSError, SyntaxError) as exc:
        message = str(exc)
        hint = None
        if "SELECT projection" in message:
            hint = "a parameter's variable must appear in the SELECT clause (SELECT ?name ...)"
        return "error", f"the query failed: {message}", hint


def _too_many(limit: int, what: str):
    return "error", f"the result has more than {limit} {what}", "add LIMIT, or narrow the query"


# --------------------------------------------------------------------------- the text table

def display(term) -> str:
    """A term as a person reads it: prefixed IRIs, literal values without quotes."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return compact_iri(term.value)
    if isinstance(term, ox.Literal):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return str(term)


def compact_iri(iri: str) -> str:
    best = ""
    for prefix, ns in PREFIX_MAP.items():
        if iri.startswith(ns) and len(ns) > len(PREFIX_MAP.get(best, "")):
            best = prefix
    return f"{best}:{iri[len(PREFIX_MAP[best]):]}" if best else f"<{iri}>"


MAX_CELL = 80  # display columns of one table cell; longer values are cut with "…"


def _cell(term) -> str:
    text = display(term).replace("\n", " ")
    if _width(text) <= MAX_CELL:
        return text
    while _width(text) > MAX_CELL - 1:
        text = text[:-1]
    return text + "…"


_width = display_width


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def table_text(result: QueryResult) -> str:
    """A plain-text table of a SELECT result (or the ASK answer)."""
    if result.form == "ASK":
        return "true" if result.boolean else "false"
    cells = [[_cell(t) for t in row] for row in result.rows]
    widths = [max([_width(v)] + [_width(r[i]) for r in cells]) for i, v in enumerate(result.variables)]
    lines = ["  ".join(_pad(v, w) for v, w in zip(result.variables, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(_pad(c, w) for c, w in zip(row, widths)).rstrip() for row in cells]
    lines.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    return "\n".join(lines)


# --------------------------------------------------------------------------- one call for the command line

def answer(project: Project, out_dir: Path, target: str | None = None, *, sparql: str | None = None,
           given: dict[str, str] | None = None, store_spec: str | None = None,
           timeout_s: float = DEFAULT_TIMEOUT_S, max_rows: int = DEFAULT_MAX_ROWS) -> QueryResult:
    """Run the named query or ``.rq`` file ``target``, or the text ``sparql``,
    with the parameters ``given`` on the store ``store_spec``."""
    from .store import open_store

    if (target is None) == (sparql is None):
        raise UsageError("give a query NAME, a FILE.rq, or --sparql TEXT (one of them)",
                         hint="list the named queries with: anze-kg queries")
    query = get_query(project, target) if target is not None else adhoc_query(sparql)
    bindings = bind_params(query, given)
    check_query(query.text)  # refuse before the store is even opened
    store = open_store(store_spec, project, out_dir, read_only=True)
    try:
        return run_query(store, query.text, bindings, timeout_s=timeout_s, max_rows=max_rows)
    finally:
        store.close()
