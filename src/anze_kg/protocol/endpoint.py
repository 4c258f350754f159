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

Queries run in child processes, never in the event loop, in two lanes: each
query is first given ``--fast-lane`` seconds (default 0.5) in a worker of its
own, the fast lane; one that takes longer there is stopped and run again in
the slow lane (``--workers``, default 2) with the rest of its time, and its
text is remembered so that it goes straight to the slow lane next time.  So
short queries are answered while slow ones run: it takes a stream of
different slow queries, each arriving within half a second of the last, to
keep the fast lane busy.  The workers are the killable children of ``anze-kg query``
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

Before any route, every request passes :class:`Hygiene`: its ``Host`` must be
one this server answers to (the loopback names 127.0.0.1, localhost and
[::1] with the served port, the address it is bound to, and each
``--allow-host`` name), or 400: a page on another site cannot reach the
endpoint through DNS rebinding.  A request carrying an ``Origin`` that is not
the origin of its ``Host`` gets 403 (no ``Origin``, as from curl or a SPARQL
client, is fine): another site's page cannot post queries on a visitor's
behalf.  Every response, errors included, carries ``X-Content-Type-Options:
nosniff`` and a Content-Security-Policy with ``frame-ancestors 'none'``
(added to the query page's own policy): no page can frame this one.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from functools import partial
from importlib import resources
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox

from anze_kg.errors import AnzeKGError, QueryError, UsageError
from anze_kg.protocol.connections import protocol_with
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
               "application/n-triples": "nt", "text/plain": "nt", "application/rdf+xml": "rdfxml",
               "application/ld+json": "jsonld"}
STATIC_FILES = {"query.js": "text/javascript", "query.css": "text/css"}
PAGE_POLICY = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'"
FRAME_POLICY = "frame-ancestors 'none'"   # merged into every response's Content-Security-Policy
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")


@dataclass(frozen=True)
class Limits:
    timeout: float = 10.0        # seconds per query, from hand-over to a worker to the full answer
    max_rows: int = 10_000       # rows of a SELECT, or triples of a CONSTRUCT/DESCRIBE
    max_body: int = 100_000      # bytes of a POST body (or of the query in a GET)
    workers: int = 2             # child processes evaluating queries (the slow lane)
    fast: float = 0.5            # seconds a query may take in the fast lane before it moves to the slow one
    max_answer: int = 32 << 20   # bytes of a serialised answer (larger: 422)
    request_timeout: float = 10.0  # seconds for a request's head to arrive, and again for its body

    def __post_init__(self) -> None:
        if self.timeout <= 0 or self.max_rows < 1 or self.max_body < 1 or self.workers < 1 or self.max_answer < 1 \
                or self.request_timeout <= 0:
            raise UsageError("--timeout, --max-rows, --max-answer-mb, --workers and --request-timeout must be positive")
        if self.fast < 0:
            raise UsageError("--fast-lane must be 0 (no fast lane) or more seconds")


@dataclass(frozen=True)
class Job:
    """One query to evaluate, with its parameter values and what the client accepts."""

    query: str
    accept: tuple[str, ...] = ()
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    params: tuple[tuple[str, str], ...] = ()
    max_rows: int = Limits.max_rows
    max_answer: int = Limits.max_answer


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
        named = parse_named_query(job.query, "the query")  # its default lines blanked: the bindings replace them
        bindings = bind_params(named, dict(job.params))
        offers, default = (SOLUTION_TYPES, RESULTS_JSON) if form in ("SELECT", "ASK") else (GRAPH_TYPES, "text/turtle")
        media = negotiate(job.accept, offers, default)
        if media is None:
            return Answer.error(406, "none of the media types in Accept can carry this result; "
                                     f"offered: {', '.join(offers)}")
        outcome = evaluate(store, Request(named.text, form, tuple(bindings.items()), job.max_rows,
                                          job.default_graphs, job.named_graphs))
        if outcome[0] == "error":
            if outcome[3] == TOO_MANY:
                return Answer.error(422, f"{outcome[1]}, the limit of this endpoint; read it in pages with LIMIT "
                                         "and OFFSET, or restart the server with a larger --max-rows")
            return Answer.error(400, outcome[1] + (f"\n  hint: {outcome[2]}" if outcome[2] else ""))
        fmt = offers[media]
        body = outcome[1].serialize(fmt)
        if len(body) > job.max_answer:
            return Answer.error(422, f"the answer is {len(body):,} bytes, over this endpoint's limit of "
                                     f"{job.max_answer:,}; read it in pages with LIMIT and OFFSET, or restart "
                                     "the server with a larger --max-answer-mb")
        return Answer(200, RESULT_FORMATS[fmt].media_type, body)
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
    fast_idle: asyncio.Queue = field(default_factory=asyncio.Queue)
    threads: ThreadPoolExecutor | None = None
    workers: list = field(default_factory=list)
    slow_texts: dict = field(default_factory=dict)  # query text -> True: went past the fast lane once (LRU)

    def start(self) -> None:
        self.threads = ThreadPoolExecutor(max_workers=2 * self.limits.workers + 4, thread_name_prefix="sparql")
        for lane, count in ((self.idle, self.limits.workers), (self.fast_idle, 1 if self.limits.fast else 0)):
            for _ in range(count):
                worker = QueryWorker(partial(answer_job, self.store), close_sockets=True)
                worker.start()  # forked now, before the server has threads
                self.workers.append(worker)
                lane.put_nowait(worker)

    async def run(self, job: Job) -> Answer:
        """Answer ``job``: first in the fast lane (one worker, ``limits.fast`` seconds),
        so that short queries are answered while slow ones run; a query that does
        not finish there (or went past it before) moves to the slow lane with the
        rest of its time."""
        started = time.monotonic()
        if self.limits.fast and job.query not in self.slow_texts:
            try:
                worker = await asyncio.wait_for(self.fast_idle.get(), self.limits.fast)
            except asyncio.TimeoutError:
                worker = None  # the fast lane is busy: straight to the slow lane
            if worker is not None:
                try:
                    return await self._call(worker, job, min(self.limits.fast, self.limits.timeout))
                except QueryError:  # past the fast lane's budget: the worker was stopped (forked again next time)
                    self._remember_slow(job.query)
                finally:
                    self.fast_idle.put_nowait(worker)
        remaining = self.limits.timeout - (time.monotonic() - started)
        if remaining <= 0:
            return Answer.error(503, f"the query ran longer than the time limit of {self.limits.timeout:g} s")
        try:
            worker = await asyncio.wait_for(self.idle.get(), remaining)
        except asyncio.TimeoutError:
            return Answer.error(503, f"all {self.limits.workers} query workers stayed busy for "
                                     f"{self.limits.timeout:g} s; try again later")
        try:
            return await self._call(worker, job, self.limits.timeout - (time.monotonic() - started))
        except QueryError as exc:  # past the time limit, or out of memory: the worker was stopped
            return Answer.error(503, f"{exc}")
        finally:
            self.idle.put_nowait(worker)

    async def _call(self, worker: QueryWorker, job: Job, seconds: float) -> Answer:
        return await asyncio.get_running_loop().run_in_executor(self.threads, worker.call, job, max(seconds, 0.001))

    def _remember_slow(self, text: str) -> None:
        self.slow_texts[text] = True
        while len(self.slow_texts) > 1000:
            self.slow_texts.pop(next(iter(self.slow_texts)))

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


# -- request checks and response headers (every route) ------------------------------------------------------

def _host_port(value: str) -> tuple[str, int | None] | None:
    """``(host, port)`` of a Host header value or an ``--allow-host`` name, the
    host lower-cased (an IPv6 address keeps its brackets); None if malformed."""
    value = value.strip().lower()
    if value.startswith("["):
        host, _, rest = value.partition("]")
        host += "]"
        if rest and not rest.startswith(":"):
            return None
        port = rest[1:] if rest else None
    else:
        host, _, port = value.partition(":") if value.count(":") == 1 else (value, "", None)
        port = port if port != "" else None
    if not host or host == "[]" or any(c in host for c in " \t/@?#\\") or (":" in host and not host.startswith("[")):
        return None
    if port is not None and not (port.isdigit() and 0 < int(port) < 65536):
        return None
    return host, int(port) if port is not None else None


def is_loopback(host: str) -> bool:
    """Whether ``host`` (a name or address to listen on) is this machine only."""
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def allowed_hosts(port: int | None, allow: tuple[str, ...] = (), bound: str | None = None) -> frozenset:
    """The ``(host, port)`` pairs a request's Host may name (port None: any;
    a Host without a port matches any pair of its name): the loopback names with ``port``, the address listened on (unless it is
    a wildcard such as 0.0.0.0), and each ``allow`` entry (``NAME`` for any
    port, or ``NAME:PORT``).  Raises UsageError for a malformed entry."""
    pairs = {(name, port) for name in LOOPBACK_NAMES}
    if bound:
        address = bound.strip("[]")
        try:
            wildcard = ipaddress.ip_address(address).is_unspecified
        except ValueError:
            wildcard = False
        if not wildcard:
            pairs.add(((f"[{address}]" if ":" in address else address).lower(), port))
    for name in allow:
        parsed = _host_port(name)
        if parsed is None:
            raise UsageError(f"--allow-host {name!r} is not a host name (NAME or NAME:PORT)")
        pairs.add(parsed)
    return frozenset(pairs)


def host_problem(host: str | None, allowed: frozenset) -> str | None:
    """Why a request with this Host header is refused (None: it is not)."""
    if host is None:
        return "a Host header is required"
    parsed = _host_port(host)
    if parsed is None:
        return "the Host header is malformed"
    name, port = parsed
    # An allowed name is what defeats DNS rebinding; a Host without a port
    # (curl --header, HTTP/1.0 clients) names the server's own port.
    if (name, None) in allowed or (name, port) in allowed or (port is None and any(n == name for n, _ in allowed)):
        return None
    return (f"this server does not answer to the host {host!r}; if it is reached under that name "
            "(behind a proxy), restart it with --allow-host NAME")


def origin_problem(origin: str | None, host: str) -> str | None:
    """Why a request with this Origin is refused: an Origin other than the
    origin of the (already allowed) Host.  No Origin is fine."""
    if origin is None:
        return None
    refused = f"cross-origin requests are refused (Origin {origin!r} is not this server)"
    try:
        parts = urlsplit(origin.strip())
        origin_port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    except ValueError:
        return refused
    target = _host_port(host)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path or target is None:
        return refused
    name = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    host_name, host_port = target
    if name.lower() != host_name or origin_port != (host_port or {"http": 80, "https": 443}[parts.scheme]):
        return refused
    return None


def _with_policy(headers: list) -> list:
    """Response headers with nosniff, and frame-ancestors 'none' merged into
    the Content-Security-Policy (or as one)."""
    out, has_policy = [], False
    for key, value in headers:
        name = key.lower()
        if name == b"x-content-type-options":
            continue
        if name == b"content-security-policy":
            has_policy = True
            if b"frame-ancestors" not in value.lower():
                value = value.rstrip(b"; ") + b"; " + FRAME_POLICY.encode()
        out.append((key, value))
    if not has_policy:
        out.append((b"content-security-policy", FRAME_POLICY.encode()))
    out.append((b"x-content-type-options", b"nosniff"))
    return out


class Hygiene:
    """ASGI layer around the whole app: checks Host and Origin before any
    route, and sets the policy headers on every response."""

    def __init__(self, app, allowed: frozenset) -> None:
        self.app = app
        self.allowed = allowed

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        hosts = [v.decode("latin-1") for k, v in scope["headers"] if k.lower() == b"host"]
        origins = [v.decode("latin-1") for k, v in scope["headers"] if k.lower() == b"origin"]
        problem = (400, "the Host header is given more than once") if len(hosts) > 1 else None
        if problem is None and (why := host_problem(hosts[0] if hosts else None, self.allowed)):
            problem = (400, why)
        if problem is None and len(origins) > 1:
            problem = (403, "the Origin header is given more than once")
        if problem is None and (why := origin_problem(origins[0] if origins else None, hosts[0])):
            problem = (403, why)

        async def send_with_policy(message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": _with_policy(list(message.get("headers", [])))}
            await send(message)

        if problem is None:
            await self.app(scope, receive, send_with_policy)
            return
        body = (problem[1] + "\n").encode()
        await send_with_policy({"type": "http.response.start", "status": problem[0],
                                "headers": [(b"content-type", TEXT.encode()), (b"content-length", str(len(body)).encode()),
                                            (b"cache-control", b"no-store")]})
        await send_with_policy({"type": "http.response.body", "body": body})


def open_served(spec: str | None, project, out_dir: Path) -> ox.Store:
    """The store the workers query: the built graph in memory (``memory``) or
    the Oxigraph store on disk opened read-only."""
    return open_store(spec, project, out_dir, read_only=parse_spec(spec).on_disk).ox


def create_app(store: ox.Store, limits: Limits, named_queries: list[dict], allowed: frozenset | None = None):
    """The Starlette app: ``/`` the query page, ``/queries`` the named queries, ``/query`` (and ``/sparql``) the
    endpoint; inside :class:`Hygiene`, with the Host names ``allowed`` (default: the loopback names, any port)."""
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
    return Hygiene(Starlette(routes=routes, lifespan=lifespan), allowed if allowed is not None else allowed_hosts(None))


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
        text = _utf8(await read_body(request, limits.max_body, limits.request_timeout))
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
               tuple(params.get("named-graph-uri", ())), bindings, limits.max_rows, limits.max_answer)


async def read_body(request, limit: int, seconds: float) -> bytes:
    """The body, at most ``limit`` bytes (413), all of it within ``seconds`` (408)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise Problem(413, f"the request body is larger than {limit} bytes, the limit of this endpoint")
    chunks, size = [], 0
    try:
        async with asyncio.timeout(seconds):
            async for chunk in request.stream():
                size += len(chunk)
                if size > limit:
                    raise Problem(413, f"the request body is larger than {limit} bytes, the limit of this endpoint")
                chunks.append(chunk)
    except TimeoutError:
        raise Problem(408, f"the request body did not arrive within {seconds:g} s") from None
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


def serve(store: ox.Store, limits: Limits, named_queries: list[dict], *, host: str, port: int,
          allow_hosts: tuple[str, ...] = ()) -> None:
    """Listen on ``host:port`` until interrupted (SIGINT/SIGTERM stop the workers too),
    answering requests whose Host is a loopback name, ``host`` or one of ``allow_hosts``."""
    import uvicorn  # deferred: see create_app

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    allowed = allowed_hosts(port, allow_hosts, host)  # a bad --allow-host is refused before listening
    try:
        sock = socket.create_server((host, port), family=family)
    except OSError as exc:
        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}",
                         hint="choose another --port, or stop what is using it") from None
    if port == 0:
        allowed = allowed_hosts(sock.getsockname()[1], allow_hosts, host)
    config = uvicorn.Config(create_app(store, limits, named_queries, allowed), log_level="warning", access_log=False,
                            http=protocol_with(limits.request_timeout))
    uvicorn.Server(config).run(sockets=[sock])


def serve_project(spec: str | None, project, out_dir: Path, limits: Limits, *, host: str, port: int,
                  allow_hosts: tuple[str, ...] = ()) -> None:
    """Serve the store ``spec`` of ``project`` with its named queries on the page."""
    if not 0 <= port <= 65535:
        raise UsageError(f"--port {port} is not a TCP port", hint="give 1-65535 (0: any free port)")
    allowed_hosts(port, allow_hosts, host)  # refuse a bad --allow-host before the store is opened
    serve(open_served(spec, project, out_dir), limits, named_query_list(project), host=host, port=port,
          allow_hosts=allow_hosts)


def named_query_list(project) -> list[dict]:
    """The named queries as the page lists them: name, title, description and text
    (as written, default lines included: copied out, it runs as it is anywhere)."""
    return [{"name": q.name, "title": q.title, "description": q.description, "text": q.source,
             "params": [{"name": k, "default": v, "type": q.param_types.get(k, "")} for k, v in q.params.items()]}
            for q in list_queries(project)]
