"""The SPARQL 1.1 Protocol endpoint: ``anze-kg serve``.

Why an ASGI app (Starlette on uvicorn) over pyoxigraph, and not Oxigraph's
own server (``oxigraph serve-read-only``):

* Oxigraph's server answers a query that hit ``--timeout-s`` with HTTP 200
  and the error inside the body, so a client can take a cut-off answer for a
  result; here every answer is computed and buffered in full before its
  status is chosen, and a query past the time limit gets 503.
* Its ``SERVICE`` cannot be switched off from the command line; here every
  query first passes :func:`anze_kg.query.check_query` (no update, no
  ``SERVICE``, ``LOAD`` or remote ``FROM``), the same guard as ``anze-kg query``.
* It has no bound on result size and no page listing our named queries.

Queries run in child processes (``--workers``, default 2), never in the event
loop: a slow query occupies one worker while the others, and the page, keep
answering.  A worker past the time limit is killed (a Rust query cannot be
interrupted from Python) and replaced.  Each worker holds its own copy of the
graph: the built graph loaded in memory, or the Oxigraph store on disk opened
read-only.

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
import multiprocessing
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from importlib import resources
from itertools import islice
from pathlib import Path
from urllib.parse import parse_qs

import pyoxigraph as ox

from .errors import AnzeKGError, StoreError, UsageError

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"
RESULTS_JSON = "application/sparql-results+json"
TEXT = "text/plain; charset=utf-8"
SOLUTION_TYPES = {  # media type -> format name of anze_kg.query.RESULT_FORMATS
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

def evaluate(store: ox.Store, job: Job) -> Answer:
    """Check, bind, run and serialise one query; every outcome is an :class:`Answer`, never an exception.

    A query text with a named-query header (``# param: NAME = DEFAULT (TYPE)``)
    gets its defaults bound, as ``anze-kg query`` does; ``$NAME=VALUE``
    request parameters override them (typed by the header)."""
    from .query import bind_params, check_query, parse_named_query

    try:
        form = check_query(job.query)
        bindings = bind_params(parse_named_query(job.query, "the query"), dict(job.params))
        offers, default = (SOLUTION_TYPES, RESULTS_JSON) if form in ("SELECT", "ASK") else (GRAPH_TYPES, "text/turtle")
        media = negotiate(job.accept, offers, default)
        if media is None:
            return Answer.error(406, "none of the media types in Accept can carry this result; "
                                     f"offered: {', '.join(offers)}")
        result = _materialize(store, job, form, bindings)
        if isinstance(result, Answer):
            return result
        return Answer(200, _media_type(offers[media]), result.serialize(offers[media]))
    except AnzeKGError as exc:
        return Answer.error(400, str(exc))
    except (SyntaxError, ValueError, TypeError, RuntimeError) as exc:
        hint = ("\n  hint: a parameter's variable must appear in the SELECT clause"
                if "SELECT projection" in str(exc) else "")
        return Answer.error(400, f"the query failed: {exc}{hint}")
    except OSError as exc:
        return Answer.error(500, f"cannot read the store: {exc}")


def _materialize(store: ox.Store, job: Job, form: str, bindings: dict):
    """The whole result as an :class:`anze_kg.query.QueryResult`, or a 422 answer past ``max_rows``."""
    from .query import PREFIX_MAP, QueryResult

    subs = {ox.Variable(name): term for name, term in bindings.items()} or None
    answer = store.query(job.query, substitutions=subs, prefixes=PREFIX_MAP, **_dataset(job))
    if isinstance(answer, ox.QueryBoolean):
        return QueryResult(form, boolean=bool(answer))
    if isinstance(answer, ox.QuerySolutions):
        names = [v.value for v in answer.variables]
        rows = [tuple(solution) for solution in islice(answer, job.max_rows + 1)]
        return _too_many(job.max_rows, "rows") if len(rows) > job.max_rows else QueryResult(form, names, rows=rows)
    triples = set()
    for triple in answer:
        triples.add(triple)
        if len(triples) > job.max_rows:
            return _too_many(job.max_rows, "triples")
    return QueryResult(form, triples=sorted(triples, key=str))


def _dataset(job: Job) -> dict:
    if not (job.default_graphs or job.named_graphs):
        return {"use_default_graph_as_union": True}
    try:
        return {"default_graph": [ox.NamedNode(g) for g in job.default_graphs] or None,
                "named_graphs": [ox.NamedNode(g) for g in job.named_graphs] or None}
    except ValueError as exc:
        raise UsageError(f"bad default-graph-uri or named-graph-uri: {exc}") from None


def _too_many(limit: int, what: str) -> Answer:
    return Answer.error(422, f"the result has more than {limit} {what}, the limit of this endpoint; "
                             "read it in pages with LIMIT and OFFSET, or restart the server with a larger --max-rows")


def _media_type(fmt: str) -> str:
    from .query import RESULT_FORMATS

    return RESULT_FORMATS[fmt].media_type


# -- worker processes --------------------------------------------------------------------------------

@dataclass(frozen=True)
class StoreSource:
    """How a worker gets its graph: N-Quads bytes to load in memory, or an Oxigraph folder to open read-only."""

    nquads: bytes | None = None
    path: str | None = None

    def open(self) -> ox.Store:
        if self.path is not None:
            return ox.Store.read_only(self.path)
        store = ox.Store()
        store.bulk_load(self.nquads or b"", format=ox.RdfFormat.N_QUADS)
        return store


def _worker_main(conn, source: StoreSource) -> None:
    """Child process: open the graph, say ready, then answer jobs until the pipe closes."""
    from .querychild import limit_memory  # the same heap allowance as anze-kg query (2 GiB)

    try:
        store = source.open()
        limit_memory()
        conn.send("ready")
    except (OSError, ValueError, SyntaxError) as exc:
        conn.send(f"cannot open the store: {exc}")
        return
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        conn.send(evaluate(store, job))


class Worker:
    """One child process and the pipe to it."""

    START_TIMEOUT = 120.0

    def __init__(self, source: StoreSource) -> None:
        self.source = source
        self.process = None
        self.conn = None

    def start(self) -> None:
        ctx = multiprocessing.get_context("spawn")
        parent, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker_main, args=(child, self.source), daemon=True)
        self.process.start()
        child.close()
        self.conn = parent
        if not parent.poll(self.START_TIMEOUT):
            self.stop()
            raise StoreError("a query worker did not start within two minutes")
        try:
            hello = parent.recv()
        except EOFError:
            hello = "the query worker exited while opening the store"
        if hello != "ready":
            self.stop()
            raise StoreError(hello)

    def call(self, job: Job, timeout: float) -> Answer | None:
        """The worker's answer; None when it ran past ``timeout``; a 503 answer when it
        died (out of memory).  In both cases the worker is stopped."""
        try:
            self.conn.send(job)
            if not self.conn.poll(timeout):
                self.stop()
                return None
            return self.conn.recv()
        except (EOFError, OSError):
            self.stop()
            return Answer.error(503, "the query was stopped: it ran out of memory (or crashed); "
                                     "narrow it (more specific patterns, LIMIT)")

    @property
    def alive(self) -> bool:
        return self.process is not None

    def stop(self) -> None:
        if self.process is not None and self.process.is_alive():
            self.process.kill()
        if self.process is not None:
            self.process.join(5)
        if self.conn is not None:
            self.conn.close()
        self.process = self.conn = None


@dataclass
class Pool:
    """Workers handed out one job at a time; a worker that timed out is replaced in the background."""

    source: StoreSource
    limits: Limits
    idle: asyncio.Queue = field(default_factory=asyncio.Queue)
    threads: ThreadPoolExecutor | None = None
    workers: list = field(default_factory=list)

    def start(self) -> None:
        self.threads = ThreadPoolExecutor(max_workers=2 * self.limits.workers + 2, thread_name_prefix="sparql")
        for _ in range(self.limits.workers):
            worker = Worker(self.source)
            worker.start()
            self.workers.append(worker)
            self.idle.put_nowait(worker)

    async def run(self, job: Job) -> Answer:
        loop = asyncio.get_running_loop()
        try:
            worker = await asyncio.wait_for(self.idle.get(), self.limits.timeout)
        except asyncio.TimeoutError:
            return Answer.error(503, f"all {self.limits.workers} query workers stayed busy for "
                                     f"{self.limits.timeout:g} s; try again later")
        answer = await loop.run_in_executor(self.threads, worker.call, job, self.limits.timeout)
        if worker.alive:
            self.idle.put_nowait(worker)
        else:
            loop.run_in_executor(self.threads, self._replace, worker, loop)
        return answer or Answer.error(
            503, f"the query ran past the time limit of {self.limits.timeout:g} s and was stopped; "
                 "narrow it (a LIMIT, more selective patterns) or ask for a larger --timeout")

    def _replace(self, worker: Worker, loop: asyncio.AbstractEventLoop) -> None:
        try:
            worker.start()
        except StoreError:
            return  # the store went away: the pool shrinks; remaining workers keep serving
        loop.call_soon_threadsafe(self.idle.put_nowait, worker)

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


def store_source(spec: str | None, project, out_dir: Path) -> StoreSource:
    """What the workers load: the built graph as N-Quads (``memory``) or the folder of an Oxigraph store."""
    from .store import open_store, parse_spec

    parsed = parse_spec(spec)
    if parsed.kind != "oxigraph":
        with open_store(spec, project, out_dir) as store:
            return StoreSource(nquads=store.ox.dump(format=ox.RdfFormat.N_QUADS))
    with open_store(spec, project, out_dir, read_only=True):
        pass
    return StoreSource(path=str(parsed.path))


def create_app(source: StoreSource, limits: Limits, named_queries: list[dict]):
    """The Starlette app: ``/`` the query page, ``/queries`` the named queries, ``/query`` (and ``/sparql``) the endpoint."""
    from contextlib import asynccontextmanager

    from starlette.applications import Starlette
    from starlette.responses import JSONResponse, PlainTextResponse, Response
    from starlette.routing import Route

    pool = Pool(source, limits)
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


def serve(source: StoreSource, limits: Limits, named_queries: list[dict], *, host: str, port: int) -> None:
    """Listen on ``host:port`` until interrupted (SIGINT/SIGTERM stop the workers too)."""
    import socket

    import uvicorn

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        sock = socket.create_server((host, port), family=family)
    except OSError as exc:
        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}",
                         hint="choose another --port, or stop what is using it") from None
    config = uvicorn.Config(create_app(source, limits, named_queries), log_level="warning", access_log=False)
    uvicorn.Server(config).run(sockets=[sock])


def serve_project(spec: str | None, project, out_dir: Path, limits: Limits, *, host: str, port: int) -> None:
    """Serve the store ``spec`` of ``project`` with its named queries on the page."""
    serve(store_source(spec, project, out_dir), limits, named_query_list(project), host=host, port=port)


def named_query_list(project) -> list[dict]:
    """The named queries as the page lists them: name, title, description and text."""
    from .query import list_queries

    return [{"name": q.name, "title": q.title, "description": q.description, "text": q.text,
             "params": [{"name": k, "default": v, "type": q.param_types.get(k, "")} for k, v in q.params.items()]}
            for q in list_queries(project)]
