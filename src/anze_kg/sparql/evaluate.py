"""The one evaluation of a SPARQL query, used by ``anze-kg query``, the
Python API and the endpoint (``anze-kg serve``) alike.

Before anything is evaluated, :func:`anze_kg.sparql.guard.check_query`
parses the text with Oxigraph's SPARQL parser (against an empty store) and,
with a small lexer that skips strings, IRIs and comments, refuses any update
(INSERT, DELETE, LOAD, CLEAR, CREATE, DROP, COPY, MOVE, ADD, WITH),
``SERVICE``, and ``FROM`` / ``FROM NAMED`` naming a graph other than the
local ones (``https://w3id.org/anze-kg/graph/...``): nothing is ever
fetched.  Syntax errors point at the token where reading stops (line and
column, 1-based).

The project's prefixes (``akg:``, ``rdfs:``, ``skos:``, ``oa:`` ...) are
predeclared for typed queries; the named queries declare theirs, so they run
unchanged on any SPARQL 1.1 engine.  The dataset of a query is, in this
order: the graphs a protocol request names (``default-graph-uri``,
``named-graph-uri``); else the query's own ``FROM`` / ``FROM NAMED``; else
the union of the named graphs as the default graph, each triple once (see
:mod:`anze_kg.sparql.stores`).

:func:`evaluate` runs in a killable child process (:mod:`anze_kg.sparql.worker`):
:func:`run_query` sends it a :class:`Request` and waits at most the time
limit; the child may add at most ``worker.MEMORY_LIMIT_BYTES`` of heap, and a
result over ``max_rows`` rows (or triples) is an error, never a cut-off
answer.
"""

from __future__ import annotations

import functools
import time
from collections import namedtuple
from pathlib import Path

import pyoxigraph as ox

from anze_kg.errors import QueryError, UsageError
from anze_kg.inputs.project import Project
from anze_kg.namespaces import PREFIX_MAP
from anze_kg.sparql.guard import check_query, uses_named_graphs
from anze_kg.sparql.named import LOOKUP, adhoc_query, bind_params, get_query
from anze_kg.sparql.results import QueryResult
from anze_kg.sparql.stores import default_keywords, open_store
from anze_kg.sparql.worker import in_child

DEFAULT_TIMEOUT_S = 10.0
DEFAULT_MAX_ROWS = 100_000
TOO_MANY = "too-many"  # the kind of the error outcome of a result over max_rows
# A named query of the project (a file of its queries/ folder: trusted text, and still guarded) on a
# memory store of at most this many quads (named graphs and their union counted apart), with a time
# limit of at least TRUSTED_MIN_TIMEOUT_S, runs in this process: on a store that small every named
# query answers well inside that limit (measured in memory, the slowest, observations-table: 0.02 s on
# the 22,000 quads of the Anze report, 0.11 s on the 49,000 of three synthetic reports), and the child (fork, network namespace, heap
# cap: 10-15 ms of a cold `anze-kg query`) buys nothing.  The union alone (out/anze.ttl, loaded for a
# query without GRAPH) of the Anze report is 11,000 quads.
TRUSTED_MAX_QUADS = 30_000
TRUSTED_MIN_TIMEOUT_S = DEFAULT_TIMEOUT_S


class Request(namedtuple("Request", "text form bindings max_rows default_graphs named_graphs",
                         defaults=((), DEFAULT_MAX_ROWS, (), ()))):
    """One guarded query to evaluate: its ``text`` and ``form`` (from ``check_query``),
    ``bindings`` (pairs of variable name and pyoxigraph term), ``max_rows``, the row
    limit, and the graphs a protocol request named (``default_graphs``,
    ``named_graphs``; empty: the query's FROM, or the union).  A named tuple: see
    :class:`anze_kg.errors.Location`."""

    __slots__ = ()


def evaluate(ox_store: ox.Store, request: Request) -> tuple:
    """Evaluate ``request`` on ``ox_store``: ``("ok", QueryResult)``, or
    ``("error", message, hint, kind)`` (kind ``failed`` or :data:`TOO_MANY`).
    Never raises for a query the engine rejects."""
    try:
        answer = _query(ox_store, request)
        if isinstance(answer, ox.QueryBoolean):
            return "ok", QueryResult(request.form, boolean=bool(answer))
        if isinstance(answer, ox.QuerySolutions):
            names = [v.value for v in answer.variables]
            rows = []
            for solution in answer:
                if len(rows) == request.max_rows:
                    return _too_many(request.max_rows, "rows")
                rows.append(tuple(solution))
            return "ok", QueryResult(request.form, names, rows=rows)
        triples = set()
        for triple in answer:
            triples.add(triple)
            if len(triples) > request.max_rows:
                return _too_many(request.max_rows, "triples")
        return "ok", QueryResult(request.form, triples=sorted(triples, key=str))
    except (RuntimeError, ValueError, OSError, SyntaxError, TypeError) as exc:
        return _failed(exc)


def _query(ox_store: ox.Store, request: Request):
    return ox_store.query(request.text, substitutions={ox.Variable(k): v for k, v in request.bindings} or None,
                          prefixes=PREFIX_MAP, **dataset_of(ox_store, request))


def _failed(exc: Exception) -> tuple:
    message = str(exc)
    hint = None
    if "SELECT projection" in message:
        hint = "a parameter's variable must appear in the SELECT clause (SELECT ?name ...)"
    return "error", f"the query failed: {message}", hint, "failed"


def evaluate_encoded(ox_store: ox.Store, request: Request) -> tuple:
    """:func:`evaluate` for an answer that crosses a pipe (the killable child of
    :func:`run_query`): ``("ok", (kind, form, variables, payload))`` with the rows
    as SPARQL TSV and the triples as N-Triples, both written by Oxigraph itself,
    or the error tuple of :func:`evaluate`.  Pickling pyoxigraph terms one by
    one cost more than the query for small answers (13 DESCRIBE triples:
    0.12 ms to pickle, 0.09 ms to unpickle, against 0.11 ms to evaluate); the
    parent reads the payload back with :func:`decode` (exact: the TSV of a
    store's terms parses to the same terms, tested on every named query)."""
    if request.form != "SELECT":  # a boolean, or triples already gathered (and sorted) as Python terms
        outcome = evaluate(ox_store, request)
        if outcome[0] != "ok":
            return outcome
        result = outcome[1]
        if result.triples is None:
            return "ok", ("boolean", result.form, [], result.boolean)
        return "ok", ("triples", result.form, [], ox.serialize(result.triples, format=ox.RdfFormat.N_TRIPLES))
    try:
        answer = _query(ox_store, request)
        data = answer.serialize(format=ox.QueryResultsFormat.TSV)
        # one line a row after the header: TSV escapes a newline inside a term
        if data.count(b"\n") - 1 > request.max_rows:
            return _too_many(request.max_rows, "rows")
        return "ok", ("rows", request.form, [v.value for v in answer.variables], data)
    except (RuntimeError, ValueError, OSError, SyntaxError, TypeError) as exc:
        return _failed(exc)


def decode(payload: tuple) -> QueryResult:
    """The :class:`QueryResult` of an answer of :func:`evaluate_encoded`."""
    kind, form, names, data = payload
    if kind == "boolean":
        return QueryResult(form, boolean=data)
    if kind == "rows":
        return QueryResult(form, names, rows=[tuple(s) for s in ox.parse_query_results(
            data, format=ox.QueryResultsFormat.TSV)])
    return QueryResult(form, triples=[quad.triple for quad in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)])


def dataset_of(ox_store: ox.Store, request: Request) -> dict:
    """The dataset keywords of ``pyoxigraph.Store.query`` for ``request`` on ``ox_store``."""
    if request.default_graphs or request.named_graphs:
        try:
            return {"default_graph": [ox.NamedNode(g) for g in request.default_graphs] or None,
                    "named_graphs": [ox.NamedNode(g) for g in request.named_graphs] or None}
        except ValueError as exc:
            raise UsageError(f"bad default-graph-uri or named-graph-uri: {exc}") from None
    return default_keywords(ox_store, request.text)


def _too_many(limit: int, what: str) -> tuple:
    return "error", f"the result has more than {limit} {what}", "add LIMIT, or narrow the query", TOO_MANY


def run_query(store, text: str, bindings: dict | None = None, timeout_s: float = DEFAULT_TIMEOUT_S,
              max_rows: int = DEFAULT_MAX_ROWS) -> QueryResult:
    """Check ``text`` (see :func:`check_query`), then evaluate it on ``store`` (an
    :class:`anze_kg.sparql.stores.Store` or a bare ``pyoxigraph.Store``) in a child
    process killed after ``timeout_s`` seconds; more than ``max_rows`` rows
    (or triples) is a QueryError, never a cut-off result.  On a
    :class:`anze_kg.sparql.stores.Store` the child is a long-lived worker, reused from
    query to query (:class:`anze_kg.sparql.worker.QueryWorker`); on a bare
    pyoxigraph store, a child per query."""
    form = check_query(text)
    if timeout_s <= 0 or max_rows <= 0:
        raise UsageError("the time limit and the row limit must be positive")
    request = Request(text, form, tuple((bindings or {}).items()), max_rows)
    started = time.perf_counter()
    if hasattr(store, "query_worker"):
        outcome = store.query_worker(evaluate_encoded).call(request, timeout_s)
    else:
        outcome = in_child(lambda: evaluate_encoded(store, request), timeout_s)
    if outcome[0] == "error":
        raise QueryError(outcome[1], hint=outcome[2])
    result = decode(outcome[1])
    result.seconds = time.perf_counter() - started
    return result


def run_trusted(store, text: str, bindings: dict | None = None, max_rows: int = DEFAULT_MAX_ROWS) -> QueryResult:
    """Check ``text`` and evaluate it on ``store`` in this process: no child, so no time
    limit, heap cap or network namespace of its own.  Only for a named query of the
    project that is a lookup, or on a small memory store (see :func:`run_named`)."""
    form = check_query(text)
    if max_rows <= 0:
        raise UsageError("the time limit and the row limit must be positive")
    started = time.perf_counter()
    outcome = evaluate(store.ox, Request(text, form, tuple((bindings or {}).items()), max_rows))
    if outcome[0] == "error":
        raise QueryError(outcome[1], hint=outcome[2])
    result = outcome[1]
    result.seconds = time.perf_counter() - started
    return result


def is_trusted(project: Project, query) -> bool:
    """Whether ``query`` is a file of the project's queries/ folder (a named query), not a
    file given by path elsewhere nor a text typed in."""
    if query.path is None:
        return False
    return _in_queries(query.path, project.root)


@functools.lru_cache(maxsize=256)
def _in_queries(path: Path, root: Path) -> bool:
    """Whether the file ``path`` is in the queries/ folder of the project at ``root``, links
    resolved (once per process and pair: resolving both took as long as a lookup's answer)."""
    try:
        return path.resolve().parent == Project(root).queries_dir.resolve()
    except OSError:
        return False


def run_named(project: Project, store, query, bindings: dict | None = None, *, timeout_s: float = DEFAULT_TIMEOUT_S,
              max_rows: int = DEFAULT_MAX_ROWS) -> QueryResult:
    """Run ``query`` (a :class:`~anze_kg.sparql.named.NamedQuery`) on ``store`` where it
    belongs.  In this process (:func:`run_trusted`), with a time limit of at least
    :data:`TRUSTED_MIN_TIMEOUT_S`: a named query of the project that is a lookup
    (``# cost: lookup``: its work does not grow with the store, and the row limit
    bounds what it reads), on any store; or any named query of the project on a
    memory store of at most :data:`TRUSTED_MAX_QUADS` quads.  Anything else in
    the killable child (:func:`run_query`).  A lookup's answer is 0.1-0.2 ms on
    1,000 reports, and the child's round trip as much again."""
    if timeout_s >= TRUSTED_MIN_TIMEOUT_S and is_trusted(project, query) and (
            query.cost == LOOKUP or (store.is_memory and len(store.ox) <= TRUSTED_MAX_QUADS)):
        return run_trusted(store, query.text, bindings, max_rows=max_rows)
    return run_query(store, query.text, bindings, timeout_s=timeout_s, max_rows=max_rows)


def answer(project: Project, out_dir: Path, target: str | None = None, *, sparql: str | None = None,
           given: dict[str, str] | None = None, store_spec: str | None = None,
           timeout_s: float = DEFAULT_TIMEOUT_S, max_rows: int = DEFAULT_MAX_ROWS) -> QueryResult:
    """Run the named query or ``.rq`` file ``target``, or the text ``sparql``,
    with the parameters ``given`` on the store ``store_spec``, in this process or
    the killable child as :func:`run_named` decides."""
    if (target is None) == (sparql is None):
        raise UsageError("give a query NAME, a FILE.rq, or --sparql TEXT (one of them)",
                         hint="list the named queries with: anze-kg queries")
    query = get_query(project, target) if target is not None else adhoc_query(sparql)
    bindings = bind_params(query, given)
    check_query(query.text)  # refuse before the store is even opened
    with open_store(store_spec, project, out_dir, read_only=True,
                    named_graphs=uses_named_graphs(query.text)) as store:
        return run_named(project, store, query, bindings, timeout_s=timeout_s, max_rows=max_rows)
