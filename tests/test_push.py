"""``anze-kg push``: the graph into a real Oxigraph server through the Graph Store
Protocol, twice without duplicates; and every way a store can fail, against
fake servers."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request

import pyoxigraph as ox
import pytest
from conftest import REPO
from conftest_servers import fake_store, oxigraph_binary, oxigraph_server

from anze_kg.cli import main
from anze_kg.errors import UsageError
from anze_kg.protocol.push import derive_query_endpoint, target_from

GRAPH = "https://w3id.org/anze-kg/graph/"
REPORT_GRAPH = GRAPH + "anze-2023"


def push(out, *args) -> list[str]:
    return ["--project", str(REPO), "push", "--out", str(out), *args]


@pytest.fixture(autouse=True)
def no_credentials(monkeypatch):
    monkeypatch.delenv("ANZE_KG_PUSH_USER", raising=False)
    monkeypatch.delenv("ANZE_KG_PUSH_PASSWORD", raising=False)


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory):
    if oxigraph_binary() is None:
        pytest.skip("the oxigraph server (pip install oxigraph) is not installed")
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as base:
        yield base


def sparql(base: str, query: str) -> list[dict]:
    data = urllib.parse.urlencode({"query": query}).encode()
    request = urllib.request.Request(base + "/query", data=data, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)["results"]["bindings"]


def counts(base: str) -> dict[str, int]:
    rows = sparql(base, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    return {row["g"]["value"]: int(row["n"]["value"]) for row in rows}


def built_graphs(out) -> set[str]:
    """The named graphs of the build (ontology, vocab, and every report it holds)."""
    return set(json.loads((out / "build.json").read_text(encoding="utf-8"))["graphs"].values())


def built_counts(out) -> dict[str, int]:
    found: dict[str, int] = {}
    for q in ox.parse(path=str(out / "anze.trig")):
        found[q.graph_name.value] = found.get(q.graph_name.value, 0) + 1
    return found


# -- the real server ---------------------------------------------------------------------------------

def test_push_twice_into_oxigraph_gives_the_same_counts(oxigraph, built, capsys):
    _, out = built
    assert main(push(out, "--endpoint", oxigraph + "/store")) == 0
    first = counts(oxigraph)
    assert main(push(out, "--endpoint", oxigraph + "/store")) == 0
    assert counts(oxigraph) == first == built_counts(out)
    graphs = built_graphs(out)
    assert set(first) == graphs and {REPORT_GRAPH, GRAPH + "vocab", GRAPH + "ontology"} <= graphs
    text = capsys.readouterr().out
    assert f"pushed {len(graphs)} graphs" in text and "the store holds the same" in text


def test_the_pushed_graph_holds_the_reports_gdp(oxigraph, built):
    # 全县地区生产总值完成121.6亿元,同比增长12.6%
    main(push(built[1], "--endpoint", oxigraph + "/store"))
    rows = sparql(oxigraph, f"""PREFIX akg: <https://w3id.org/anze-kg/ontology#>
        SELECT ?growth WHERE {{ GRAPH <{REPORT_GRAPH}> {{
          ?o akg:valueAsWritten "121.6" ; akg:unitAsWritten "亿元" ; akg:growthRate ?growth }} }}""")
    assert [r["growth"]["value"] for r in rows] == ["12.6"]


def test_push_replaces_a_stale_graph(oxigraph, built):
    stale = "<urn:x:stale> <urn:x:p> \"left over\" ."
    request = urllib.request.Request(f"{oxigraph}/store?graph={urllib.parse.quote(REPORT_GRAPH)}",
                                     data=stale.encode(), method="POST",
                                     headers={"Content-Type": "application/n-triples"})
    urllib.request.urlopen(request, timeout=30).close()
    assert sparql(oxigraph, "SELECT * { GRAPH ?g { <urn:x:stale> ?p ?o } }")
    assert main(push(built[1], "--endpoint", oxigraph + "/store")) == 0
    assert not sparql(oxigraph, "SELECT * { GRAPH ?g { <urn:x:stale> ?p ?o } }")
    assert counts(oxigraph)[REPORT_GRAPH] == built_counts(built[1])[REPORT_GRAPH]


def test_push_one_graph_as_json(oxigraph, built, capsys):
    capsys.readouterr()
    assert main(push(built[1], "--endpoint", oxigraph + "/store", "--graph", GRAPH + "vocab", "--json")) == 0
    summary = json.loads(capsys.readouterr().out)
    assert [g["graph"] for g in summary["graphs"]] == [GRAPH + "vocab"]
    assert summary["graphs"][0]["sent"] == summary["graphs"][0]["in_store"] == built_counts(built[1])[GRAPH + "vocab"]


# -- failing stores ------------------------------------------------------------------------------------

def run_failing(out, answer, capsys, *extra) -> tuple[int, str, list]:
    with fake_store(answer) as fake:
        code = main(push(out, "--endpoint", fake.url + "/store", *extra))
    return code, capsys.readouterr().err, fake.seen


def test_a_store_that_fails_with_500(built, capsys):
    code, err, seen = run_failing(built[1], lambda s: (500, b"disk full", 0), capsys)
    assert code == 2
    assert "answered 500 Internal Server Error: disk full" in err
    assert "the store failed" in err and "Traceback" not in err
    assert len(seen) == 1 and seen[0].method == "PUT"


def test_a_store_that_refuses_the_credentials(built, capsys, monkeypatch):
    monkeypatch.setenv("ANZE_KG_PUSH_USER", "analyst")
    monkeypatch.setenv("ANZE_KG_PUSH_PASSWORD", "s3cret-pw")
    code, err, seen = run_failing(built[1], lambda s: (401, b"", 0), capsys)
    assert code == 2
    assert "answered 401 Unauthorized" in err and "ANZE_KG_PUSH_USER" in err
    assert seen[0].headers["Authorization"] == "Basic YW5hbHlzdDpzM2NyZXQtcHc="  # analyst:s3cret-pw
    assert "s3cret-pw" not in err


def test_a_200_whose_body_is_an_error(built, capsys):
    def answer(seen):
        return (204, b"", 0) if seen.method == "PUT" else (200, b"Error: query timed out", 0)

    code, err, seen = run_failing(built[1], answer, capsys)
    assert code == 2
    assert "answered 200 but its body is not SPARQL JSON results: Error: query timed out" in err
    assert [s.method for s in seen] == ["PUT"] * len(built_graphs(built[1])) + ["POST"]
    assert seen[-1].path == "/query"


def test_a_store_that_counts_fewer_triples_than_sent(built, capsys):
    body = json.dumps({"head": {"vars": ["g", "n"]}, "results": {"bindings": [
        {"g": {"type": "uri", "value": REPORT_GRAPH}, "n": {"type": "literal", "value": "5"}}]}}).encode()

    code, err, _ = run_failing(built[1], lambda s: (204, b"", 0) if s.method == "PUT" else (200, body, 0), capsys)
    assert code == 2
    assert f"the store holds 5 triples in {GRAPH}anze-2023, not the" in err


def test_a_slow_store(built, capsys):
    code, err, _ = run_failing(built[1], lambda s: (204, b"", 3.0), capsys, "--timeout", "0.5")
    assert code == 2
    assert "did not answer PUT within 0.5 s" in err and "raise --timeout" in err


def test_a_store_that_is_down(built, capsys):
    with fake_store(lambda s: (204, b"", 0)) as fake:
        url = fake.url  # the port is free again once the server is closed
    assert main(push(built[1], "--endpoint", url + "/store")) == 2
    err = capsys.readouterr().err
    assert f"cannot reach {url}/store" in err and "is running" in err


# -- bad options -----------------------------------------------------------------------------------

@pytest.mark.parametrize("args, message", [
    (["--endpoint", "http://user:pw@127.0.0.1:1/store"], "--endpoint must not carry credentials"),
    (["--endpoint", "ftp://127.0.0.1/store"], "--endpoint must be an http(s) URL"),
    (["--endpoint", "http://127.0.0.1:1/somewhere"], "cannot tell the query endpoint of http://127.0.0.1:1/somewhere"),
    (["--endpoint", "http://127.0.0.1:1/store", "--graph", GRAPH + "nope"], f"no graph {GRAPH}nope in the store"),
    (["--endpoint", "http://127.0.0.1:1/store", "--timeout", "0"], "timeouts must be positive"),
])
def test_bad_options(built, capsys, args, message):
    assert main(push(built[1], *args)) == 2
    err = capsys.readouterr().err
    assert err.startswith("anze-kg push: ") and message in err


def test_half_the_credentials(built, capsys, monkeypatch):
    monkeypatch.setenv("ANZE_KG_PUSH_USER", "analyst")
    assert main(push(built[1], "--endpoint", "http://127.0.0.1:1/store")) == 2
    assert "set both ANZE_KG_PUSH_USER and ANZE_KG_PUSH_PASSWORD, or neither" in capsys.readouterr().err


@pytest.mark.parametrize("endpoint, query_endpoint", [
    ("http://localhost:7878/store", "http://localhost:7878/query"),
    ("http://fuseki.example:3030/anze/data", "http://fuseki.example:3030/anze/query"),
    ("http://graphdb.example:7200/repositories/anze/rdf-graphs/service", "http://graphdb.example:7200/repositories/anze"),
])
def test_query_endpoints_of_the_common_stores(endpoint, query_endpoint):
    assert derive_query_endpoint(endpoint) == query_endpoint


def test_credentials_come_from_the_environment_only():
    target = target_from("http://h/store", environ={"ANZE_KG_PUSH_USER": "u", "ANZE_KG_PUSH_PASSWORD": "p"})
    assert target.auth == ("u", "p")
    assert target_from("http://h/store", environ={}).auth is None
    with pytest.raises(UsageError):
        target_from("http://u:p@h/store", environ={})
