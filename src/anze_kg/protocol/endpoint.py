"""The SPARQL 1.1 Protocol endpoint: ``anze-kg serve``.

Why an ASGI app (Starlette on uvicorn) over pyoxigraph, and not Oxigraph's
own server (``oxigraph serve-read-only``):

* Oxigraph's server answers a query that hit ``--timeout-s`` with HTTP 200
  and the error inside the body, so a client can take a cut-off answer for a
  result; here every answer is computed and buffered in full before its
  status is chosen, and a query past the time limit gets 503.
* Its ``SERVICE`` cannot be switched off from the command line; here every
  query first passes :func:`anze_kg.sparql.guard.check_query` (no update, no
  ``SERVICE``, ``LOAD`` or remote ``FROM``), the same guard as ``anze-kg query``.
* It has no bound on result size and no page listing our named queries.

Queries run in child processes (``--workers``, default 2), never in the event
loop: a slow query occupies one worker while the others, and the page, keep
answering.  The workers are the killable children of ``anze-kg query``
(:class:`anze_kg.sparql.worker.QueryWorker`), forked from the server with
the store open (the built graph in memory, shared copy-on-write, or the
Oxigraph store on disk opened read-only) and with the server's sockets
closed; a worker past the time limit is killed (a Rust query cannot be
interrupted from Python) and forked again for its next query.

Queries are read as ``anze-kg query`` reads them: the project's prefixes
(``akg:``, ``rdfs:``...) are predeclared, and a named-query header
(``# param: NAME = DEFAULT (TYPE)``) in the text binds its defaults, so the
text of a named query gives the same answer here.  A request parameter
``$NAME=VALUE`` overrides a default (the value is typed by the header, as
``--param``); values are bound, never pasted into the text.

Answers:

* 200 with the result in the negotiated format: SPARQL JSON (default), XML,
  CSV or TSV for SELECT and ASK; Turtle (default) or N-Triples for CONSTRUCT
  and DESCRIBE.  The default graph is the union of the named graphs unless
  ``default-graph-uri`` is given.
* 400 syntax error (with line and column), refused query (update, SERVICE,
  LOAD, remote FROM), missing or repeated ``query``; 403 a SPARQL update
  request (the endpoint is read-only); 405 a method other than GET or POST;
  406 no acceptable result format; 413 a body over ``max_body`` bytes; 415 a
  POST that is neither ``application/sparql-query`` nor a form;
* 422 a result of more than ``max_rows`` rows (or triples): an error rather
  than a silently shortened table, with a hint to page with LIMIT/OFFSET;
* 503 the query ran past the time limit or out of memory (each worker may
  grow by 2 GiB, as ``anze-kg query``), or every worker stayed busy for
  the time limit.
"""

from __future__ import annotations

import asyncio
import socket
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from functools import partial
from importlib import resources
from pathlib import Path
from urllib.parse import parse_qs

import pyoxigraph as ox

from anze_kg.errors import AnzeKGError, QueryError, UsageError
from anze_kg.sparql.evaluate import TOO_MANY, Request, evaluate
from anze_kg.sparql.guard import check_query
from anze_kg.sparql.named import bind_params, list_queries, parse_named_query
from anze_kg.sparql.results import RESULT_FORMATS
from anze_kg.sparql.stores import open_store
from anze_kg.sparql.worker import QueryWorker
from anze_kg.storespec import parse_spec

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"
RESULTS_JSON = "application/sparql-results+json"
TEXT = "text/plain; charset=utf-8"
SOLUTION_TYPES = {  # media type -> format name of anze_kg.sparql.results.RESULT_FORMATS
    RESULTS_JSON: "json", "application/json": "json", "application/sparql-results+xml": "xml",
    "application/xml": "xml", "text/xml": "xml", "text/csv": "csv", "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {"text/turtle": "turtle", "application/turtle": "turtle", "application/x-turtle": "turtle",
               "application/n-triples": "nt", "text/plain": "nt"}
STATIC_FILES = {"query.js": "text/javascript", "query.css": "text/css"}
PAGE_POLICY = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'"


@dataclass(frozen=True)
class Limits:
    timeout: float = 10.0        # seconds per query, from hand-over to a worker to the full answer
    max_rows: int = 10_000       # rows of a SELECT, or triples of a CONSTRUCT/DESCRIBE
    max_body: int = 100_000      # bytes of a POST body (or of the query in a GET)
    workers: int = 2             # child processes evaluating queries

    def __post_init__(self) -> None:
        if self.timeout <= 0 or self.max_rows < 1 or self.max_body < 1 or self.workers < 1:
            raise UsageError("--timeout, --max-rows and --workers must be positive")


@dataclass(frozen=True)
class Job:
    """One query to evaluate, with its parameter values and what the client accepts."""

    query: str
    accept: tuple[str, ...] = ()
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    params: tuple[tuple[str, str], ...] = ()
    max_rows: int = Limits.max_rows


@dataclass(frozen=True)
class Answer:
    status: int
    media_type: str
    body: bytes

    @classmethod
    def error(cls, status: int, message: str) -> "Answer":
        return cls(status, TEXT, (message.rstrip("\n") + "\n").encode())


# -- content negotiation ---------------------------------------------------------------------------

def parse_accept(header: str | None) -> tuple[str, ...]:
    """Media ranges of an Accept header, best first (stable for equal q); q=0 dropped."""
    ranked = []
    for position, item in enumerate((header or "*/*").split(",")):
        media, *params = [part.strip() for part in item.split(";")]
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if media and q > 0:
            ranked.append((-q, position, media.lower()))
    return tuple(media for _, _, media in sorted(ranked))


def negotiate(accept: tuple[str, ...], offers: dict, default: str) -> str | None:
    """The first offered media type the client accepts (``*/*`` and ``type/*`` give ``default``)."""
    for media in accept or ("*/*",):
        if media in offers:
            return media
        if media == "*/*" or (media.endswith("/*") and default.startswith(media[:-1])):
            return default
        if media.endswith("/*"):
            match = next((m for m in offers if m.startswith(media[:-1])), None)
            if match:
                return match
    return None


# -- evaluation (in a worker process) ---------------------------------------------------------------

def answer_job(store: ox.Store, job: Job) -> Answer:
    """Check, bind, run and serialise one query (in a worker); every outcome is
    an :class:`Answer`, never an exception.  The evaluation is the one of
    ``anze-kg query`` (:func:`anze_kg.sparql.evaluate.evaluate`).

    A query text with a named-query header (``# param: NAME = DEFAULT (TYPE)``)
    gets its defaults bound, as ``anze-kg query`` does; ``$NAME=VALUE``
    request parameters override them (typed by the header)."""
    try:
        form = check_query(job.query)
        bindings = bind_params(parse_named_query(job.query, "the query"), dict(job.params))
        offers, default = (SOLUTION_TYPES, RESULTS_JSON) if form in ("SELECT", "ASK") else (GRAPH_TYPES, "text/turtle")
        media = negotiate(job.accept, offers, default)
        if media is None:
            return Answer.error(406, "none of the media types in Accept can carry this result; "
                                     f"offered: {', '.join(offers)}")
        outcome = evaluate(store, Request(job.query, form, tuple(bindings.items()), job.max_rows,
                                          job.default_graphs, job.named_graphs))
        if outcome[0] == "error":
            if outcome[3] == TOO_MANY:
                return Answer.error(422, f"{outcome[1]}, the limit of this endpoint; read it in pages with LIMIT "
                                         "and OFFSET, or restart the server with a larger --max-rows")
            return Answer.error(400, outcome[1] + (f"\n  hint: {outcome[2]}" if outcome[2] else ""))
        fmt = offers[media]
        return Answer(200, RESULT_FORMATS[fmt].media_type, outcome[1].serialize(fmt))
    except AnzeKGError as exc:
        return Answer.error(400, str(exc))
    except OSError as exc:
        return Answer.error(500, f"cannot read the store: {exc}")


# -- worker processes --------------------------------------------------------------------------------

@dataclass
class Pool:
    """``limits.workers`` query workers (:class:`anze_kg.sparql.worker.QueryWorker`,
    the killable child of ``anze-kg query``), each forked from this process
    with the store open, handed out one job at a time.  A worker stopped at the
    time limit is forked again on its next job."""

    store: ox.Store
    limits: Limits
    idle: asyncio.Queue = field(default_factory=asyncio.Queue)
    threads: ThreadPoolExecutor | None = None
    workers: list = field(default_factory=list)

    def start(self) -> None:
        self.threads = ThreadPoolExecutor(max_workers=2 * self.limits.workers + 2, thread_name_prefix="sparql")
        for _ in range(self.limits.workers):
            worker = QueryWorker(partial(answer_job, self.store), close_sockets=True)
            worker.start()  # forked now, before the server has threads
            self.workers.append(worker)
            self.idle.put_nowait(worker)

    async def run(self, job: Job) -> Answer:
        loop = asyncio.get_running_loop()
        try:
            worker = await asyncio.wait_for(self.idle.get(), self.limits.timeout)
        except asyncio.TimeoutError:
            return Answer.error(503, f"all {self.limits.workers} query workers stayed busy for "
                                     f"{self.limits.timeout:g} s; try again later")
        try:
            return await loop.run_in_executor(self.threads, worker.call, job, self.limits.timeout)
        except QueryError as exc:  # past the time limit, or out of memory: the worker was stopped
            return Answer.error(503, f"{exc}")
        finally:
            self.idle.put_nowait(worker)

    def close(self) -> None:
        for worker in self.workers:
            worker.stop()
        if self.threads is not None:
            self.threads.shutdown(wait=False, cancel_futures=True)


# -- HTTP ------------------------------------------------------------------------------------------

class Problem(Exception):
    """A request refused before evaluation: an HTTP status and a message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def open_served(spec: str | None, project, out_dir: Path) -> ox.Store:
    """The store the workers query: the built graph in memory (``memory``) or
    the Oxigraph store on disk opened read-only."""
    return open_store(spec, project, out_dir, read_only=parse_spec(spec).on_disk).ox


def create_app(store: ox.Store, limits: Limits, named_queries: list[dict]):
    """The Starlette app: ``/`` the query page, ``/queries`` the named queries, ``/query`` (and ``/sparql``) the endpoint."""
    # Deferred: Starlette (and uvicorn, below) load only for a server, not for
    # the protocol helpers the tests and the page use.
    from starlette.applications import Starlette
    from starlette.responses import JSONResponse, PlainTextResponse, Response
    from starlette.routing import Route

    pool = Pool(store, limits)
    page = {name: _static(name) for name in ("index.html", *STATIC_FILES)}

    @asynccontextmanager
    async def lifespan(app):
        pool.start()
        yield
        pool.close()

    async def sparql(request):
        try:
            job = await job_of(request, limits)
        except Problem as problem:
            return PlainTextResponse(problem.message + "\n", problem.status)
        answer = await pool.run(job)
        return Response(answer.body, answer.status, media_type=answer.media_type,
                        headers={"Cache-Control": "no-store", "Vary": "Accept"})

    async def index(request):
        return Response(page["index.html"], media_type="text/html; charset=utf-8",
                        headers={"Content-Security-Policy": PAGE_POLICY})

    async def static(request):
        name = request.path_params["name"]
        if name not in STATIC_FILES:
            return PlainTextResponse("not found\n", 404)
        return Response(page[name], media_type=f"{STATIC_FILES[name]}; charset=utf-8")

    async def queries(request):
        return JSONResponse(named_queries)

    routes = [Route("/", index), Route("/static/{name}", static), Route("/queries", queries),
              Route("/query", sparql, methods=["GET", "POST"]), Route("/sparql", sparql, methods=["GET", "POST"])]
    return Starlette(routes=routes, lifespan=lifespan)


async def job_of(request, limits: Limits) -> Job:
    """The query of a SPARQL 1.1 Protocol request (GET, POST form, POST direct), or a :class:`Problem`."""
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    params = _multi(request.query_params.multi_items())
    query = None
    if request.method == "POST":
        if ctype == SPARQL_UPDATE:
            raise Problem(403, "this endpoint is read-only: SPARQL updates are refused")
        if ctype not in (FORM, SPARQL_QUERY):
            raise Problem(415, f"a POST must be {SPARQL_QUERY} or {FORM}, not {ctype or 'without a Content-Type'}")
        text = _utf8(await _body(request, limits.max_body))
        if ctype == FORM:
            params = _form(text)
        else:
            query = text
    if "update" in params:
        raise Problem(403, "this endpoint is read-only: SPARQL updates are refused")
    if query is None:
        query = _one(params, "query")
    bindings = tuple((key[1:], _one(params, key)) for key in params if key.startswith("$"))
    if len(query.encode()) > limits.max_body:
        raise Problem(413, f"the query is longer than {limits.max_body} bytes, the limit of this endpoint")
    if not query.strip():
        raise Problem(400, "the query is empty")
    return Job(query, parse_accept(request.headers.get("accept")), tuple(params.get("default-graph-uri", ())),
               tuple(params.get("named-graph-uri", ())), bindings, limits.max_rows)


async def _body(request, limit: int) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise Problem(413, f"the request body is larger than {limit} bytes, the limit of this endpoint")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise Problem(413, f"the request body is larger than {limit} bytes, the limit of this endpoint")
        chunks.append(chunk)
    return b"".join(chunks)


def _utf8(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Problem(400, f"the request body is not UTF-8 (byte {exc.start})") from None


def _form(text: str) -> dict[str, list[str]]:
    try:
        return parse_qs(text, keep_blank_values=True, max_num_fields=200, errors="strict")
    except (ValueError, UnicodeDecodeError) as exc:
        raise Problem(400, f"malformed form body: {exc}") from None


def _multi(items) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key, value in items:
        out.setdefault(key, []).append(value)
    return out


def _one(params: dict[str, list[str]], name: str) -> str:
    values = params.get(name, [])
    if not values:
        raise Problem(400, f"missing the {name!r} parameter (the SPARQL query); the query page is at /")
    if len(values) > 1:
        raise Problem(400, f"the {name!r} parameter is given {len(values)} times; give it once")
    return values[0]


def _static(name: str) -> bytes:
    return resources.files(__package__).joinpath("static", name).read_bytes()


def serve(store: ox.Store, limits: Limits, named_queries: list[dict], *, host: str, port: int) -> None:
    """Listen on ``host:port`` until interrupted (SIGINT/SIGTERM stop the workers too)."""
    import uvicorn  # deferred: see create_app

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        sock = socket.create_server((host, port), family=family)
    except OSError as exc:
        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}",
                         hint="choose another --port, or stop what is using it") from None
    config = uvicorn.Config(create_app(store, limits, named_queries), log_level="warning", access_log=False)
    uvicorn.Server(config).run(sockets=[sock])


def serve_project(spec: str | None, project, out_dir: Path, limits: Limits, *, host: str, port: int) -> None:
    """Serve the store ``spec`` of ``project`` with its named queries on the page."""
    serve(open_served(spec, project, out_dir), limits, named_query_list(project), host=host, port=port)


def named_query_list(project) -> list[dict]:
    """The named queries as the page lists them: name, title, description and text."""
    return [{"name": q.name, "title": q.title, "description": q.description, "text": q.text,
             "params": [{"name": k, "default": v, "type": q.param_types.get(k, "")} for k, v in q.params.items()]}
            for q in list_queries(project)]
