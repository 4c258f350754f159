"""Put the graph into any SPARQL 1.1 store through the Graph Store HTTP Protocol.

Each named graph (one per report, plus the vocabulary and the ontology) is
sent as N-Triples with ``PUT {endpoint}?graph={iri}``.  PUT replaces the
graph, so pushing twice leaves the store exactly as pushing once.  Then one
SPARQL ``COUNT`` per graph, asked at the store's query endpoint, must give
back the number of triples sent.

URL forms of the common stores (graph store endpoint -> query endpoint)::

    Oxigraph  http://HOST:7878/store                     -> http://HOST:7878/query
    Fuseki    http://HOST:3030/DATASET/data              -> http://HOST:3030/DATASET/query
    GraphDB   http://HOST:7200/repositories/REPO/rdf-graphs/service -> http://HOST:7200/repositories/REPO
    Virtuoso  http://HOST:8890/sparql-graph-crud-auth    -> http://HOST:8890/sparql-auth  (give --query-endpoint)

Credentials come only from the environment (``ANZE_KG_PUSH_USER`` and
``ANZE_KG_PUSH_PASSWORD``), never from the command line or the URL.  They
go with every request as HTTP basic auth; a store that answers 401 with a
Digest challenge (Virtuoso's ``-auth`` endpoints take nothing else) gets the
same request again with digest auth, and every later request with digest
only.  A 401 without any challenge (Virtuoso's answer to basic credentials)
is asked once more without credentials, to get the challenge.

The HTTP client is httpx: it has separate connect, read and write timeouts,
basic auth, proxy settings from the environment and one exception type per
failure (refused connection, read timeout...), which map one-to-one onto the
messages below.  The standard library has a single socket timeout for all of
these.
"""

from __future__ import annotations

import base64
import json
import os
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx
import pyoxigraph as ox

from anze_kg.errors import StoreError, UsageError
from anze_kg.sparql.stores import open_store
from anze_kg.storespec import parse_spec

USER_VAR = "ANZE_KG_PUSH_USER"
PASSWORD_VAR = "ANZE_KG_PUSH_PASSWORD"
NTRIPLES = "application/n-triples"
SPARQL_JSON = "application/sparql-results+json"
BODY_EXCERPT = 300
# graph store endpoint path suffix -> query endpoint path suffix
QUERY_ENDPOINT_OF = (("/rdf-graphs/service", ""), ("/store", "/query"), ("/data", "/query"))


@dataclass(frozen=True)
class Target:
    """Where to push: the graph store endpoint, the query endpoint, auth and timeouts."""

    endpoint: str
    query_endpoint: str
    auth: tuple[str, str] | None = None
    connect_timeout: float = 10.0
    read_timeout: float = 60.0


@dataclass(frozen=True)
class GraphPayload:
    iri: str
    body: bytes
    triples: int


@dataclass(frozen=True)
class PushedGraph:
    iri: str
    sent: int
    in_store: int
    seconds: float

    @property
    def ok(self) -> bool:
        return self.sent == self.in_store


@dataclass(frozen=True)
class PushResult:
    endpoint: str
    graphs: tuple[PushedGraph, ...]

    @property
    def triples(self) -> int:
        return sum(g.sent for g in self.graphs)

    def summary(self) -> dict:
        return {"endpoint": self.endpoint, "triples": self.triples,
                "graphs": [{"graph": g.iri, "sent": g.sent, "in_store": g.in_store,
                            "seconds": round(g.seconds, 3)} for g in self.graphs]}


def target_from(endpoint: str, query_endpoint: str | None = None, *, timeout: float = 60.0,
                connect_timeout: float = 10.0, environ: Mapping[str, str] | None = None) -> Target:
    """A checked :class:`Target`; credentials are read from ``environ`` (default: the process environment)."""
    _check_url(endpoint, "--endpoint")
    query_endpoint = query_endpoint or derive_query_endpoint(endpoint)
    _check_url(query_endpoint, "--query-endpoint")
    if timeout <= 0 or connect_timeout <= 0:
        raise UsageError("timeouts must be positive numbers of seconds")
    return Target(endpoint, query_endpoint, _credentials(os.environ if environ is None else environ),
                  connect_timeout, timeout)


def derive_query_endpoint(endpoint: str) -> str:
    """The query endpoint next to a graph store endpoint (Oxigraph, Fuseki, GraphDB URL forms)."""
    parts = urlsplit(endpoint)
    path = parts.path.rstrip("/")
    for suffix, replacement in QUERY_ENDPOINT_OF:
        if path.endswith(suffix):
            return parts._replace(path=path[: -len(suffix)] + replacement, query="").geturl()
    raise UsageError(f"cannot tell the query endpoint of {endpoint}",
                     hint="give it with --query-endpoint URL (the store's SPARQL query URL)")


def _check_url(url: str, option: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"{option} must be an http(s) URL, not {url!r}")
    if parts.username or parts.password:
        raise UsageError(f"{option} must not carry credentials",
                         hint=f"set {USER_VAR} and {PASSWORD_VAR} in the environment instead")


def _credentials(environ: Mapping[str, str]) -> tuple[str, str] | None:
    user, password = environ.get(USER_VAR), environ.get(PASSWORD_VAR)
    if user is None and password is None:
        return None
    if not user or password is None:
        raise UsageError(f"set both {USER_VAR} and {PASSWORD_VAR}, or neither")
    return user, password


class BasicThenDigest(httpx.Auth):
    """Basic auth up front; digest auth (httpx's) from the first 401 that offers a Digest challenge on."""

    requires_request_body = True  # a PUT may be sent twice

    def __init__(self, user: str, password: str) -> None:
        self.basic = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
        self.digest = httpx.DigestAuth(user, password)
        self.use_digest = False

    def auth_flow(self, request: httpx.Request):
        if self.use_digest:
            yield from self.digest.auth_flow(request)
            return
        request.headers["Authorization"] = self.basic
        response = yield request
        if response.status_code == 401 and "www-authenticate" not in response.headers:
            # a 401 must name the schemes it takes (RFC 9110 15.5.2); Virtuoso names none to basic
            # credentials, so ask once without any to learn them
            del request.headers["Authorization"]
            response = yield request
        if response.status_code != 401 or not any(
                h.lower().startswith("digest ") for h in response.headers.get_list("www-authenticate")):
            return
        self.use_digest = True
        request.headers.pop("Authorization", None)
        digest = self.digest.auth_flow(request)
        next(digest)  # digest's unauthenticated first try, not sent: its answer is the 401 just received
        while True:
            try:
                request = digest.send(response)
            except StopIteration:
                return
            response = yield request


def graph_payloads(store: ox.Store, only: Iterable[str] = ()) -> list[GraphPayload]:
    """One N-Triples body per named graph of ``store`` (all of them, or those in ``only``)."""
    names = sorted(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode))
    wanted = list(only)
    missing = [iri for iri in wanted if iri not in names]
    if missing:
        raise UsageError(f"no graph {missing[0]} in the store", hint=f"graphs: {', '.join(names) or 'none'}")
    payloads = []
    for iri in wanted or names:
        triples = sorted((q.triple for q in store.quads_for_pattern(None, None, None, ox.NamedNode(iri))), key=str)
        payloads.append(GraphPayload(iri, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), len(triples)))
    if not payloads:
        raise StoreError("the store holds no named graph to push", hint="build the graph first: anze-kg build")
    return payloads


def push(payloads: list[GraphPayload], target: Target) -> PushResult:
    """PUT every payload, then compare each graph's triple count in the store with what was sent."""
    timeout = httpx.Timeout(target.read_timeout, connect=target.connect_timeout)
    auth = BasicThenDigest(*target.auth) if target.auth else None
    with httpx.Client(auth=auth, timeout=timeout, follow_redirects=False) as client:
        took = {}
        for payload in payloads:
            started = time.perf_counter()
            _put(client, target.endpoint, payload)
            took[payload.iri] = time.perf_counter() - started
        counts = _count_triples(client, target.query_endpoint, [p.iri for p in payloads])
    graphs = tuple(PushedGraph(p.iri, p.triples, counts.get(p.iri, 0), took[p.iri]) for p in payloads)
    wrong = [g for g in graphs if not g.ok]
    if wrong:
        g = wrong[0]
        raise StoreError(f"after the push the store holds {g.in_store} triples in {g.iri}, not the {g.sent} sent",
                         hint="another writer may be using this graph, or the store dropped data; push again")
    return PushResult(target.endpoint, graphs)


def _put(client: httpx.Client, endpoint: str, payload: GraphPayload) -> None:
    response = _send(client, "PUT", endpoint, params={"graph": payload.iri},
                     headers={"Content-Type": NTRIPLES}, content=payload.body)
    if response.status_code not in (200, 201, 204):
        raise _status_error("PUT", endpoint, response, f"graph {payload.iri}")


def _count_triples(client: httpx.Client, query_endpoint: str, iris: list[str]) -> dict[str, int]:
    values = " ".join(str(ox.NamedNode(iri)) for iri in iris)  # checked IRIs, N-Triples syntax
    query = f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g"
    response = _send(client, "POST", query_endpoint, data={"query": query}, headers={"Accept": SPARQL_JSON})
    if response.status_code != 200:
        raise _status_error("POST", query_endpoint, response, "the triple count query")
    return _counts_of(response, query_endpoint)


def _counts_of(response: httpx.Response, query_endpoint: str) -> dict[str, int]:
    try:
        rows = json.loads(response.content)["results"]["bindings"]
        return {row["g"]["value"]: int(row["n"]["value"]) for row in rows}
    except (ValueError, KeyError, TypeError):
        raise StoreError(f"{query_endpoint} answered 200 but its body is not SPARQL JSON results: "
                         f"{_excerpt(response)}",
                         hint="the store may have failed or timed out inside a 200 answer; "
                              "check --query-endpoint and the store's log") from None


def _send(client: httpx.Client, method: str, url: str, **kwargs) -> httpx.Response:
    try:
        return client.request(method, url, **kwargs)
    except httpx.ConnectTimeout:
        raise StoreError(f"cannot reach {url}: no connection within {client.timeout.connect} s",
                         hint="check the host and port, and that the store is running") from None
    except httpx.ConnectError as exc:
        raise StoreError(f"cannot reach {url}: {exc}", hint="check the host and port, and that the store is running") from None
    except (httpx.ReadTimeout, httpx.WriteTimeout, httpx.PoolTimeout):
        raise StoreError(f"{url} did not answer {method} within {client.timeout.read} s",
                         hint="the store is slow or stuck; raise --timeout or try again later") from None
    except httpx.HTTPError as exc:
        raise StoreError(f"{method} {url} failed: {exc or type(exc).__name__}") from None


def _status_error(method: str, url: str, response: httpx.Response, what: str) -> StoreError:
    status = response.status_code
    if status in (401, 403):
        hint = f"the store refused the credentials; set {USER_VAR} and {PASSWORD_VAR}"
    elif 400 <= status < 500:
        hint = "the store refused the request: check the URL (the graph store endpoint) and the store's settings"
    else:
        hint = "the store failed; see its log"
    return StoreError(f"{method} {url} ({what}) answered {status} {response.reason_phrase}: {_excerpt(response)}",
                      hint=hint)


def _excerpt(response: httpx.Response) -> str:
    text = response.content[:BODY_EXCERPT].decode("utf-8", "replace").strip()
    return " ".join(text.split()) or "(empty body)"


def push_store(spec: str | None, project, out_dir, target: Target, only: Iterable[str] = ()) -> PushResult:
    """Push the named graphs of the store ``spec`` (default: the built graph in memory) to ``target``."""

    read_only = parse_spec(spec).kind == "oxigraph"
    with open_store(spec, project, out_dir, read_only=read_only) as store:
        payloads = graph_payloads(store.ox, only)
    return push(payloads, target)
