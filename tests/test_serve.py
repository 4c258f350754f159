"""``anze-kg serve``: the SPARQL 1.1 Protocol endpoint, tested with a real SPARQL
client (SPARQLWrapper) against the installed command started on a free port.
Expected values come from the report: 全县地区生产总值完成121.6亿元,同比增长12.6%."""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from conftest import REPO
from conftest_servers import anze_kg_server, fake_store
from rdflib import Graph, Literal, URIRef
from SPARQLWrapper import CSV, JSON, POST, POSTDIRECTLY, TSV, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from anze_kg.cli import main
from anze_kg.protocol.endpoint import (
    GRAPH_TYPES,
    SOLUTION_TYPES,
    negotiate,
    parse_accept,
)

TIMEOUT_S = 4
MAX_ROWS = 500
AKG = "https://w3id.org/anze-kg/ontology#"
GDP = "https://w3id.org/anze-kg/id/observation/anze-2023/gdp-2023"
GDP_QUERY = f"""PREFIX akg: <{AKG}>
SELECT ?value ?unit ?growth WHERE {{
  ?o akg:valueAsWritten ?value ; akg:unitAsWritten ?unit ; akg:growthRate ?growth .
  FILTER(?value = "121.6")
}}"""
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def endpoint(built):
    _, out = built
    with anze_kg_server("--project", str(REPO), "serve", "--out", str(out), "--timeout", str(TIMEOUT_S),
                        "--max-rows", str(MAX_ROWS), "--workers", "2") as base:
        yield base


def client(endpoint: str, query: str, fmt=JSON, method=None) -> SPARQLWrapper:
    sw = SPARQLWrapper(endpoint + "/query")
    sw.setQuery(query)
    sw.setReturnFormat(fmt)
    sw.setTimeout(120)
    if method == POSTDIRECTLY:
        sw.setMethod(POST)
        sw.setRequestMethod(POSTDIRECTLY)
    elif method:
        sw.setMethod(method)
    return sw


def http(url: str, data: bytes | None = None, method: str | None = None, **headers) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def get(endpoint: str, query: str, **headers) -> tuple[int, dict, bytes]:
    return http(endpoint + "/query?" + urllib.parse.urlencode({"query": query}), **headers)


# -- answers in every format ----------------------------------------------------------------------------

@pytest.mark.parametrize("method", ["GET", POST, POSTDIRECTLY])
def test_select_as_json_by_get_post_form_and_post_direct(endpoint, method):
    result = client(endpoint, GDP_QUERY, JSON, method).queryAndConvert()
    rows = [{k: v["value"] for k, v in b.items()} for b in result["results"]["bindings"]]
    assert rows == [{"value": "121.6", "unit": "亿元", "growth": "12.6"}]


def test_select_as_xml(endpoint):
    document = client(endpoint, GDP_QUERY, XML).queryAndConvert()
    literals = {b.getAttribute("name"): b.getElementsByTagName("literal")[0].firstChild.data
                for b in document.getElementsByTagName("binding")}
    assert literals == {"value": "121.6", "unit": "亿元", "growth": "12.6"}


def test_select_as_csv_and_tsv(endpoint):
    csv = client(endpoint, GDP_QUERY, CSV).queryAndConvert().decode("utf-8")
    assert csv.splitlines() == ["value,unit,growth", "121.6,亿元,12.6"]
    tsv = client(endpoint, GDP_QUERY, TSV).queryAndConvert().decode("utf-8")
    assert tsv.splitlines()[0] == "?value\t?unit\t?growth"
    assert '"亿元"' in tsv.splitlines()[1]


def test_ask(endpoint):
    result = client(endpoint, f"ASK {{ <{GDP}> <{AKG}growthRate> 12.6 }}").queryAndConvert()
    assert result["boolean"] is True


def test_construct_as_turtle_and_ntriples(endpoint):
    query = f"CONSTRUCT {{ <{GDP}> ?p ?o }} WHERE {{ <{GDP}> ?p ?o }}"
    turtle = client(endpoint, query, TURTLE).queryAndConvert()
    graph = Graph().parse(data=turtle, format="turtle")
    assert (URIRef(GDP), URIRef(AKG + "valueAsWritten"), Literal("121.6")) in graph
    status, headers, body = get(endpoint, query, Accept="application/n-triples")
    assert status == 200 and headers["content-type"].startswith("application/n-triples")
    assert set(Graph().parse(data=body.decode(), format="nt")) == set(graph)


def test_not_acceptable(endpoint):
    status, _, body = get(endpoint, GDP_QUERY, Accept="image/png")
    assert status == 406 and b"application/sparql-results+json" in body


def test_default_graph_uri_limits_the_dataset(endpoint):
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    url = endpoint + "/query?" + urllib.parse.urlencode(
        {"query": query, "default-graph-uri": "https://w3id.org/anze-kg/graph/vocab"})
    _, _, body = http(url, Accept="text/csv")
    _, _, everything = get(endpoint, query, Accept="text/csv")
    vocab, total = int(body.split()[1]), int(everything.split()[1])
    assert 0 < vocab < total


GROWTH_QUERY = """# title: 增速高于阈值 | Growth above a threshold
# param: min_growth = 17 (decimal)
SELECT ?growth ?min_growth WHERE {
  GRAPH <https://w3id.org/anze-kg/graph/anze-2023> { ?o akg:growthRate ?growth }
  FILTER(?growth > ?min_growth) }"""


def growths(endpoint: str, **params) -> set[str]:
    body = urllib.parse.urlencode({"query": GROWTH_QUERY, **params}).encode()
    status, _, answer = http(endpoint + "/query", body, Accept="text/csv")
    assert status == 200, answer
    return {line.split(",")[0] for line in answer.decode().split()[1:]}


def test_a_header_default_is_bound_and_a_dollar_parameter_overrides_it(endpoint):
    # 增速18%, 17.7%, 17.03%, 17.2% are above 17; only 18% and 17.7% above 17.5
    assert growths(endpoint) == {"18", "17.7", "17.03", "17.2"}
    assert growths(endpoint, **{"$min_growth": "17.5"}) == {"18", "17.7"}


def test_a_malformed_or_unknown_parameter(endpoint):
    body = urllib.parse.urlencode({"query": GROWTH_QUERY, "$min_growth": "high"}).encode()
    status, _, answer = http(endpoint + "/query", body)
    assert status == 400 and b"'high' is not a valid decimal" in answer
    body = urllib.parse.urlencode({"query": GROWTH_QUERY, "$area": "x"}).encode()
    status, _, answer = http(endpoint + "/query", body)
    assert status == 400 and b"unknown parameter 'area'" in answer


# -- refused ------------------------------------------------------------------------------------------

def test_an_update_is_refused(endpoint):
    sw = client(endpoint, "INSERT DATA { <urn:a> <urn:b> <urn:c> }", JSON, POST)
    with pytest.raises(urllib.error.HTTPError) as caught:
        sw.query()
    assert caught.value.code == 403
    status, _, body = http(endpoint + "/query", b"DELETE WHERE { ?s ?p ?o }",
                           **{"Content-Type": "application/sparql-query"})
    assert status == 400
    assert client(endpoint, "ASK { ?s ?p ?o }").queryAndConvert()["boolean"] is True  # nothing was deleted


def test_service_is_refused_and_nothing_is_fetched(endpoint):
    with fake_store(lambda seen: (200, b"{}", 0)) as remote:
        with pytest.raises(QueryBadFormed) as caught:
            client(endpoint, f"SELECT * WHERE {{ SERVICE <{remote.url}/sparql> {{ ?s ?p ?o }} }}").query()
        assert "SERVICE" in str(caught.value)
        assert remote.seen == []


def test_a_syntax_error_gives_line_and_column(endpoint):
    status, _, body = get(endpoint, "SELECT ?s\nWHERE { ?s ?p }")
    assert status == 400
    assert b"syntax error at line 2, column " in body  # the triple pattern lacks its object


def test_a_runaway_query_ends_in_503_not_a_cut_off_200(endpoint):
    started = time.monotonic()
    status, headers, body = get(endpoint, CARTESIAN)
    assert status == 503
    assert b"time limit" in body and headers["content-type"].startswith("text/plain")
    assert time.monotonic() - started < 60
    assert get(endpoint, GDP_QUERY)[0] == 200  # the worker was replaced


def test_other_clients_are_answered_during_a_slow_query(endpoint):
    slow: dict = {}
    thread = threading.Thread(target=lambda: slow.update(answer=get(endpoint, CARTESIAN)))
    thread.start()
    try:
        time.sleep(0.5)
        for _ in range(3):
            assert get(endpoint, GDP_QUERY)[0] == 200
            assert http(endpoint + "/")[0] == 200
        assert thread.is_alive(), "the slow query should still be running"
    finally:
        thread.join(120)
    assert slow["answer"][0] == 503


def test_too_many_rows(endpoint):
    status, _, body = get(endpoint, "SELECT * WHERE { ?s ?p ?o }")
    assert status == 422
    assert f"more than {MAX_ROWS} rows".encode() in body and b"LIMIT" in body


@pytest.mark.parametrize("method, path, data, headers, status, message", [
    ("PUT", "/query", b"ASK {}", {"Content-Type": "application/sparql-query"}, 405, b""),
    ("DELETE", "/query", None, {}, 405, b""),
    ("POST", "/query", b"ASK {}", {"Content-Type": "text/plain"}, 415, b"not text/plain"),
    ("POST", "/query", b"ASK {}", {"Content-Type": ""}, 415, b"without a Content-Type"),
    ("POST", "/query", b"ASK {}", {"Content-Type": "application/sparql-update"}, 403, b"read-only"),
    ("POST", "/query", b"#" * 200_000, {"Content-Type": "application/sparql-query"}, 413, b"larger than 100000"),
    ("POST", "/query", b"default-graph-uri=x", {"Content-Type": "application/x-www-form-urlencoded"}, 400,
     b"missing the 'query' parameter"),
    ("POST", "/query", b"\xff\xfe", {"Content-Type": "application/sparql-query"}, 400, b"not UTF-8"),
    ("GET", "/query", None, {}, 400, b"missing the 'query' parameter"),
    ("GET", "/query?query=ASK%7B%7D&query=ASK%7B%7D", None, {}, 400, b"given 2 times"),
    ("GET", "/query?query=%20", None, {}, 400, b"empty"),
    ("GET", "/nowhere", None, {}, 404, b""),
])
def test_bad_requests_are_4xx(endpoint, method, path, data, headers, status, message):
    got, _, body = http(endpoint + path, data, method, **headers)
    assert got == status, body
    assert message in body


# -- the page -----------------------------------------------------------------------------------------

def test_the_page_uses_nothing_outside_the_server(endpoint):
    status, headers, body = http(endpoint + "/")
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert headers["content-security-policy"].startswith("default-src 'self'")
    assert b'src="http' not in body and b'href="http' not in body
    status, _, css = http(endpoint + "/static/query.css")
    assert status == 200 and b"url(" not in css and b"@import" not in css
    status, headers, js = http(endpoint + "/static/query.js")
    assert status == 200 and headers["content-type"].startswith("text/javascript")
    assert http(endpoint + "/static/../serve.py")[0] == 404


def test_the_named_queries_are_listed(endpoint):
    status, _, body = http(endpoint + "/queries")
    listed = json.loads(body)
    names = sorted(p.stem for p in (REPO / "queries").glob("*.rq"))
    assert status == 200 and listed and sorted(q["name"] for q in listed) == names
    assert all(q["text"].strip() and q["title"] for q in listed)


# -- unit: content negotiation ------------------------------------------------------------------------------

def test_accept_is_ranked_by_q_then_order():
    assert parse_accept("text/csv;q=0.5, application/sparql-results+xml, */*;q=0.1") == (
        "application/sparql-results+xml", "text/csv", "*/*")
    assert parse_accept("text/csv;q=0") == ()
    assert parse_accept(None) == ("*/*",)


@pytest.mark.parametrize("accept, offers, expected", [
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", SOLUTION_TYPES, "application/xml"),
    ("*/*", SOLUTION_TYPES, "application/sparql-results+json"),
    ("text/*", GRAPH_TYPES, "text/turtle"),
    ("application/sparql-results+json, application/n-triples;q=0.9", GRAPH_TYPES, "application/n-triples"),
    ("image/png", GRAPH_TYPES, None),
])
def test_negotiation(accept, offers, expected):
    default = "text/turtle" if offers is GRAPH_TYPES else "application/sparql-results+json"
    assert negotiate(parse_accept(accept), offers, default) == expected


# -- the command -----------------------------------------------------------------------------------------

def test_a_port_in_use(built, capsys):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        code = main(["--project", str(REPO), "serve", "--out", str(built[1]), "--port", str(port)])
    assert code == 2
    assert f"cannot listen on 127.0.0.1:{port}" in capsys.readouterr().err


def test_bad_limits(built, capsys):
    assert main(["--project", str(REPO), "serve", "--out", str(built[1]), "--timeout", "0"]) == 2
    assert "--timeout, --max-rows, --max-answer-mb, --workers and --request-timeout must be positive" \
        in capsys.readouterr().err
    assert main(["--project", str(REPO), "serve", "--out", str(built[1]), "--request-timeout", "0"]) == 2
    assert "--request-timeout must be positive" in capsys.readouterr().err
    assert main(["--project", str(REPO), "serve", "--out", str(built[1]), "--fast-lane", "-1"]) == 2
    assert "--fast-lane must be 0" in capsys.readouterr().err


def test_serving_an_oxigraph_store_on_disk(built, tmp_path):
    folder = tmp_path / "store"
    import pyoxigraph as ox

    store = ox.Store(str(folder))
    store.bulk_load(path=str(built[1] / "anze.trig"))
    store.flush()
    del store
    with anze_kg_server("--project", str(REPO), "serve", "--store", f"oxigraph:{folder}", "--out", str(built[1]),
                        "--workers", "1") as base:
        result = client(base, GDP_QUERY).queryAndConvert()
    assert [b["growth"]["value"] for b in result["results"]["bindings"]] == ["12.6"]


def test_serving_a_missing_store(built, tmp_path, capsys):
    code = main(["--project", str(REPO), "serve", "--store", f"oxigraph:{tmp_path / 'none'}", "--out", str(built[1])])
    assert code == 2
    assert f"no Oxigraph store at {tmp_path / 'none'}" in capsys.readouterr().err


def test_the_endpoint_honours_from_as_anze_kg_query_does(endpoint, built):
    """One evaluation for both: a query's own FROM picks its default graph (it
    used to be ignored by the endpoint, which always queried the union)."""
    query = ("SELECT (COUNT(*) AS ?n) FROM <https://w3id.org/anze-kg/graph/ontology> "
             "WHERE { ?s ?p ?o }")
    status, _, body = get(endpoint, query, Accept="application/sparql-results+json")
    served = int(json.loads(body)["results"]["bindings"][0]["n"]["value"])
    code = main(["--project", str(REPO), "query", "--out", str(built[1]), "--sparql", query, "--format", "json"])
    assert status == 200 and code == 0
    ontology_triples = built[0].landed["ontology"].triples
    assert served == ontology_triples < built[0].triples


def test_a_client_reading_to_the_end_gets_the_end(built):
    """The workers are forked from the server: one forked again after a
    timeout must not keep the server's client sockets open, or a client
    reading an answer until the connection closes would wait forever."""
    with anze_kg_server("--project", str(REPO), "serve", "--out", str(built[1]), "--timeout", "2",
                        "--workers", "1") as base:
        assert get(base, CARTESIAN)[0] == 503  # the one worker is killed; the next query forks it again
        with socket.create_connection(("127.0.0.1", int(base.rsplit(":", 1)[1])), timeout=30) as conn:
            query = urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"})
            conn.sendall(f"GET /query?{query} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
            data = b""
            while chunk := conn.recv(65536):  # a socket timeout here fails the test
                data += chunk
    assert data.startswith(b"HTTP/1.1 200") and b'"boolean":true' in data.replace(b" ", b"")


def test_graph_results_reach_clients_that_ask_for_rdf_xml_or_json_ld(endpoint):
    """SPARQLWrapper's default for CONSTRUCT/DESCRIBE is RDF/XML (and rdflib's
    SPARQLStore asks for it too): both must get the graph, not 406."""
    from rdflib import Graph

    query = f"CONSTRUCT {{ <{GDP}> ?p ?o }} WHERE {{ <{GDP}> ?p ?o }}"
    sw = SPARQLWrapper(endpoint + "/query")
    sw.setQuery(query)
    graph = sw.queryAndConvert()  # RDF/XML by default, parsed by rdflib
    assert isinstance(graph, Graph) and len(graph) > 5
    status, headers, body = get(endpoint, query, Accept="application/ld+json")
    assert status == 200 and headers["content-type"].startswith("application/ld+json")
    assert len(Graph().parse(data=body, format="json-ld")) == len(graph)
    status, headers, _ = get(endpoint, f"DESCRIBE <{GDP}>", Accept="application/rdf+xml")
    assert status == 200 and headers["content-type"].startswith("application/rdf+xml")


def test_a_fast_query_is_answered_while_slow_ones_run(built):
    """Two slow queries hold both workers of the slow lane; an ASK still answers at
    once, from the fast lane.  Without it (--fast-lane 0) the ASK waits for a worker."""
    import threading

    def timed_ask(base: str, lane: str) -> float:
        started = time.monotonic()
        status, _, body = get(base, "ASK { ?s ?p ?o }")
        if lane != "0":  # without the lane the ASK waits for a slow-lane worker, and may get its time's end
            assert status == 200 and b"true" in body, body
        return time.monotonic() - started

    timings = {}
    for lane in ("0.5", "0"):
        with anze_kg_server("--project", str(REPO), "serve", "--out", str(built[1]), "--timeout", "6",
                            "--workers", "2", "--fast-lane", lane) as base:
            slow = [threading.Thread(target=get, args=(base, CARTESIAN)) for _ in range(2)]
            for t in slow:
                t.start()
            time.sleep(1.5)  # both slow queries are past the fast lane, in the slow lane's two workers
            timings[lane] = timed_ask(base, lane)
            for t in slow:
                t.join()
    assert timings["0.5"] < 1.0, timings
    assert timings["0"] > 2.0, timings  # the check above can fail: without the lane the ASK waits


def test_an_answer_over_the_byte_limit_is_refused(built):
    with anze_kg_server("--project", str(REPO), "serve", "--out", str(built[1]), "--max-answer-mb", "0.01") as base:
        status, _, body = get(base, "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 5000")
        assert status == 422 and b"bytes, over this endpoint's limit of 10,485" in body
        status, _, _ = get(base, "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1")
        assert status == 200
