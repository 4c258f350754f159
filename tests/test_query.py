"""``anze-kg query`` and ``anze-kg queries``: every result format, parameters as
bindings, and every bad input with its exact message and exit code.  Hostile
queries (updates, SERVICE, LOAD, remote FROM) are refused before anything is
fetched: a listening socket on 127.0.0.1 proves that nothing connects to it."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import xml.etree.ElementTree as ET
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest_query import PROJECT, anze_quads, disk_store, memory_store  # noqa: F401
from rdflib.namespace import RDF

from anze_kg.cli import main
from anze_kg.errors import QueryError
from anze_kg.sparql.evaluate import run_query
from anze_kg.sparql.guard import check_query
from anze_kg.sparql.named import (
    adhoc_query,
    bind_params,
    get_query,
    parse_named_query,
    to_term,
)

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture
def cli(built, disk_store, capsysbinary):
    """Run ``anze-kg ARGS``; returns (exit code, stdout, stderr).  ``query`` reads
    the Anze report's graph (an Oxigraph store of conftest_query) unless the
    test gives its own --store; ``query`` and ``load`` get the session's build
    as --out."""
    def call(*args: str) -> tuple[int, str, str]:
        argv = list(args)
        if args[0] == "query" and "--store" not in args:
            argv += ["--store", str(disk_store.spec)]
        if args[0] in ("query", "load"):
            argv += ["--out", str(built[1])]
        code = main(argv)
        captured = capsysbinary.readouterr()
        return code, captured.out.decode("utf-8"), captured.err.decode("utf-8")
    return call


class Listener:
    """A TCP socket on 127.0.0.1 that records whether anything connected."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(5)
        self.sock.settimeout(0.2)
        self.connections = 0
        self.running = True
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}/sparql"

    def _accept(self) -> None:
        while self.running:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> int:
        self.running = False
        self.thread.join(timeout=5)
        self.sock.close()
        return self.connections


@pytest.fixture
def listener():
    server = Listener()
    yield server
    server.close()


# ----------------------------------------------------------------------------- formats

def test_table_is_the_default_for_select(cli):
    code, out, err = cli("query", "growth-above")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["indicator_zh", "indicator_en", "value"]
    assert "地区生产总值" in out and "12.6" in out
    assert lines[-1] == "(6 rows)"


def test_csv_and_tsv(cli):
    code, out, _ = cli("query", "growth-above", "--format", "csv")
    assert code == 0
    rows = out.splitlines()
    assert rows[0] == "indicator_zh,indicator_en,value,unit,growth,period,observation,min_growth"
    assert "地区生产总值,Gross regional product,121.6,亿元,12.6,2023," in out
    assert len(rows) == 7
    code, out, _ = cli("query", "growth-above", "-f", "tsv")
    assert out.splitlines()[0].startswith("?indicator_zh\t?indicator_en\t?value")
    assert '"地区生产总值"@zh\t"Gross regional product"@en\t121.6\t"亿元"\t12.6\t' in out  # RDF term syntax


def test_json_results(cli):
    code, out, _ = cli("query", "growth-above", "--format", "json")
    doc = json.loads(out)
    assert doc["head"]["vars"][:3] == ["indicator_zh", "indicator_en", "value"]
    first = doc["results"]["bindings"][0]
    assert first["growth"] == {"type": "literal", "value": "18", "datatype": "http://www.w3.org/2001/XMLSchema#decimal"}
    assert first["indicator_zh"] == {"type": "literal", "value": "规模以上工业增加值", "xml:lang": "zh"}
    assert len(doc["results"]["bindings"]) == 6


def test_xml_results(cli):
    code, out, _ = cli("query", "growth-above", "--format", "xml")
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    root = ET.fromstring(out)
    assert len(root.findall("r:results/r:result", ns)) == 6
    assert [v.get("name") for v in root.findall("r:head/r:variable", ns)][:2] == ["indicator_zh", "indicator_en"]


@pytest.mark.parametrize("fmt, expected", [("table", "true\n"), ("csv", "true"), ("tsv", "true"),
                                           ("json", '{"head":{},"boolean":true}')])
def test_ask_in_every_format(cli, fmt, expected):
    code, out, _ = cli("query", "ask-rank-first", "--format", fmt)
    assert code == 0 and out == expected


def test_ask_xml(cli):
    code, out, _ = cli("query", "ask-rank-first", "-f", "xml", "-p", "scope=https://w3id.org/anze-kg/id/province/shanxi")
    assert ET.fromstring(out).find("{http://www.w3.org/2005/sparql-results#}boolean").text == "false"


def test_construct_as_turtle_and_ntriples(cli):
    code, turtle, _ = cli("query", "village-subgraph")
    assert code == 0 and "@prefix akg:" in turtle
    graph = {q.triple for q in ox.parse(turtle.encode(), format=ox.RdfFormat.TURTLE)}
    code, nt, _ = cli("query", "village-subgraph", "--format", "nt")
    assert {q.triple for q in ox.parse(nt.encode(), format=ox.RdfFormat.N_TRIPLES)} == graph
    assert len(nt.splitlines()) == len(graph)
    label = ox.Triple(ox.NamedNode("https://w3id.org/anze-kg/id/village/anze-xiaoli-village"),
                      ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), ox.Literal("小李村", language="zh"))
    assert label in graph


def test_describe_as_turtle(cli):
    code, out, _ = cli("query", "describe-entity", "-p", "entity=https://w3id.org/anze-kg/id/enterprise/kexin")
    triples = list(ox.parse(out.encode(), format=ox.RdfFormat.TURTLE))
    assert code == 0 and {t.subject.value for t in triples} == {"https://w3id.org/anze-kg/id/enterprise/kexin"}


def test_a_format_that_cannot_carry_the_result(cli):
    code, out, err = cli("query", "village-subgraph", "--format", "csv")
    assert code == 2 and out == ""
    assert "anze-kg query: format csv cannot carry the result of a CONSTRUCT query" in err
    assert "hint: use turtle, nt" in err
    code, _, err = cli("query", "growth-above", "--format", "turtle")
    assert code == 2 and "format turtle cannot carry the result of a SELECT query" in err


def test_unknown_format(cli):
    code, _, err = cli("query", "growth-above", "--format", "yaml")
    assert code == 2 and "unknown result format 'yaml'" in err and "table, csv, tsv, json, xml, turtle, nt" in err


# ----------------------------------------------------------------------------- ways to give the query

def test_sparql_text(cli):
    code, out, _ = cli("query", "--sparql", "SELECT ?l WHERE { ?v a akg:Village ; rdfs:label ?l FILTER(LANG(?l) = 'zh') }"
                       " ORDER BY ?l", "-f", "csv")
    assert code == 0
    assert sorted(out.splitlines()[1:]) == sorted(["小李村", "石渠村", "飞岭村", "高壁村", "小黄村", "岭南村"])


def test_sparql_text_with_a_parameter_for_one_of_its_variables(cli):
    code, out, _ = cli("query", "--sparql", "SELECT ?v ?l WHERE { ?v rdfs:label ?l FILTER(LANG(?l) = 'en') }",
                       "-p", "v=https://w3id.org/anze-kg/id/village/anze-xiaoli-village", "-f", "csv")
    assert code == 0 and out.splitlines()[1] == "https://w3id.org/anze-kg/id/village/anze-xiaoli-village,Xiaoli Village"


def test_query_file_with_its_own_header(cli, tmp_path):
    path = tmp_path / "enterprises-in-sector.rq"
    path.write_text("# title: 某产业企业 | Enterprises of a sector\n"
                    "# param: sector = https://w3id.org/anze-kg/id/sector/coal-mining (iri)\n"
                    "SELECT ?e ?sector WHERE { ?e a akg:Enterprise ; akg:sector ?sector }\n", encoding="utf-8")
    code, out, _ = cli("query", str(path), "-f", "csv")
    assert code == 0 and len(out.splitlines()) == 4  # 玉华煤业, 安鑫煤业, 登茂通煤业
    code, out, _ = cli("query", str(path), "-f", "csv", "-p", "sector=https://w3id.org/anze-kg/id/sector/coking")
    assert len(out.splitlines()) == 5  # 永鑫焦化, 太岳能源, 蔺鑫, 圣鑫


def test_name_and_sparql_together_or_neither(cli):
    code, _, err = cli("query", "growth-above", "--sparql", "ASK {}")
    assert code == 2 and "give a query NAME, a FILE.rq, or --sparql TEXT (one of them)" in err
    code, _, err = cli("query")
    assert code == 2 and "give a query NAME, a FILE.rq, or --sparql TEXT (one of them)" in err


def test_oxigraph_store_on_disk(cli, tmp_path):
    code, out, _ = cli("load", "--store", f"oxigraph:{tmp_path / 'ox'}")
    assert code == 0 and out.startswith("loaded ")
    code, out, _ = cli("query", "growth-above", "--store", f"oxigraph:{tmp_path / 'ox'}", "-f", "csv")
    assert code == 0 and "地区生产总值,Gross regional product,121.6,亿元,12.6,2023," in out


def test_queries_lists_every_named_query(cli):
    code, out, _ = cli("queries", "--wide")  # one line a query (tests/test_terminal.py: wrapped to 100 columns)
    lines = out.splitlines()
    assert code == 0 and len(lines) >= 25
    line = next(x for x in lines if x.startswith("growth-above "))
    assert "Indicators growing faster than a threshold" in line and "[min_growth=10]" in line
    code, out, _ = cli("queries", "--json")
    rows = {r["name"]: r for r in json.loads(out)}
    assert rows["indicators-2023"]["title_zh"] == "2023年主要经济社会指标"
    assert rows["indicators-2023"]["param_types"] == {"area": "iri", "year": "gYear"}


# ----------------------------------------------------------------------------- bad input

def test_syntax_error_gives_line_and_column(cli):
    code, out, err = cli("query", "--sparql", "SELECT ?s WHERE {\n  ?s ?p ?o .\n  FILTER(?s = )\n}")
    assert code == 2 and out == ""
    assert "anze-kg query: SPARQL syntax error at line 3, column 3: cannot read the query from 'FILTER' on" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("text, message", [
    ("SELECT * WHERE {\n  ?s ex:p ?o }", "line 2, column 6: unknown prefix ex:"),
    ("SELECT * WHERE { ?s ?p <relative> }", "line 1, column 24: relative IRI <relative> and no BASE"),
    ("SELECT * WHERE { ?s ?p ?o ", "line 1, column 16: '{' is never closed"),
    ("SELECT * WHERE { ?s ?p ?o ) }", "line 1, column 27: unexpected ')'"),
    ('SELECT * WHERE { ?s ?p "open }', "line 1, column 24: a string is not closed on this line"),
    ("SELEC * WHERE { ?s ?p ?o }", "line 1, column 1: cannot read the query from 'SELEC' on"),
    ("SELECT ?s WHERE { ?s ?p ?o } ORDER ?s", "line 1, column 30: cannot read the query from 'ORDER' on"),
])
def test_syntax_errors_point_at_the_token(text, message):
    with pytest.raises(QueryError) as info:
        check_query(text)
    assert f"SPARQL syntax error at {message}" in str(info.value)


def test_unknown_query_name_suggests_close_names(cli):
    code, _, err = cli("query", "indicators-2024")
    assert code == 2
    assert "anze-kg query: no named query 'indicators-2024'" in err
    assert "hint: did you mean indicators-2023" in err


def test_unknown_query_file(cli, tmp_path):
    code, _, err = cli("query", str(tmp_path / "none.rq"))
    assert code == 2 and f"no query file {tmp_path / 'none.rq'}" in err


def test_unknown_parameter(cli):
    code, _, err = cli("query", "growth-above", "-p", "max_growth=3")
    assert code == 2
    assert "unknown parameter 'max_growth' for growth-above" in err and "its parameters: min_growth" in err


def test_parameter_for_a_variable_the_text_does_not_have(cli):
    code, _, err = cli("query", "--sparql", "ASK { ?s ?p ?o }", "-p", "x=1")
    assert code == 2 and "unknown parameter 'x' for --sparql" in err


@pytest.mark.parametrize("param, message", [
    ("min_growth=", "missing value for parameter 'min_growth' of growth-above"),
    ("min_growth", "malformed parameter 'min_growth'"),
    ("=10", "malformed parameter '=10'"),
    ("min_growth=ten", "parameter 'min_growth': 'ten' is not a valid decimal"),
    ("min_growth=1e3", "parameter 'min_growth': '1e3' is not a valid decimal"),
])
def test_missing_or_malformed_parameter(cli, param, message):
    code, out, err = cli("query", "growth-above", "-p", param)
    assert code == 2 and out == "" and message in err


@pytest.mark.parametrize("param, message", [
    ("area=not an iri", "parameter 'area': 'not an iri' is not an absolute IRI"),
    ("year=23", "parameter 'year': '23' is not a valid gYear"),
])
def test_malformed_typed_parameters(cli, param, message):
    code, _, err = cli("query", "indicators-2023", "-p", param)
    assert code == 2 and message in err


def test_a_parameter_value_is_never_query_text(cli):
    """A value that tries to close the string and add patterns is only a literal that matches nothing."""
    code, out, err = cli("query", "village-subgraph", "-f", "nt", "-p", 'name=小李村" } UNION { ?s ?p ?o . } #')
    assert code == 0 and out == "" and err == ""


@pytest.mark.parametrize("text, message", [
    ("INSERT DATA { <http://a/s> <http://a/p> <http://a/o> }", "updates are refused (INSERT) (line 1, column 1); nothing was run"),
    ("PREFIX x: <http://a/>\nDELETE WHERE { ?s ?p ?o }", "updates are refused (DELETE) (line 2, column 1)"),
    ("DROP ALL", "updates are refused (DROP)"),
    ("CLEAR GRAPH <https://w3id.org/anze-kg/graph/anze-2023>", "updates are refused (CLEAR)"),
])
def test_updates_are_refused(cli, text, message):
    code, out, err = cli("query", "--sparql", text)
    assert code == 2 and out == "" and message in err


def test_service_is_refused_before_anything_is_fetched(cli, listener):
    code, _, err = cli("query", "--sparql", f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}")
    assert code == 2
    assert "SERVICE (federated query) is refused (line 1, column 18); nothing was run" in err
    assert listener.close() == 0


def test_load_is_refused_before_anything_is_fetched(cli, listener):
    code, _, err = cli("query", "--sparql", f"LOAD <{listener.url}>")
    assert code == 2 and "updates are refused (LOAD)" in err
    assert listener.close() == 0


def test_remote_from_is_refused_before_anything_is_fetched(cli, listener):
    code, _, err = cli("query", "--sparql", f"SELECT * FROM <{listener.url}> WHERE {{ ?s ?p ?o }}")
    assert code == 2 and f"FROM <{listener.url}> is refused: not a local graph" in err
    code, _, err = cli("query", "--sparql", f"PREFIX r: <{listener.url}#>\nASK FROM NAMED r:g {{ ?s ?p ?o }}")
    assert code == 2 and f"FROM <{listener.url}#g> is refused" in err and "(line 2, column 5)" in err
    assert listener.close() == 0


def test_from_a_local_graph_is_allowed(cli):
    village = "<https://w3id.org/anze-kg/id/village/anze-xiaoli-village>"
    code, out, _ = cli("query", "--sparql", f"ASK FROM <https://w3id.org/anze-kg/graph/anze-2023> {{ {village} ?p ?o }}")
    assert code == 0 and out == "true\n"
    code, out, _ = cli("query", "--sparql", f"ASK FROM <https://w3id.org/anze-kg/graph/vocab> {{ {village} ?p ?o }}")
    assert code == 0 and out == "false\n"  # the village is in the report's graph, not the vocabulary's


def test_an_escaped_keyword_outside_a_string_is_not_a_keyword(listener):
    """SPARQL engines that unescape \\u sequences before parsing would read SERVICE here; Oxigraph does not."""
    with pytest.raises(QueryError, match="SPARQL syntax error"):
        check_query(f"SELECT * WHERE {{ \\u0053ERVICE <{listener.url}> {{ ?s ?p ?o }} }}")
    assert listener.close() == 0


def test_keywords_inside_strings_iris_and_comments_are_not_refused():
    text = ('SELECT ?s WHERE { ?s <http://example.org/SERVICE> "INSERT DATA, LOAD <x>" . '
            "?s ?p 'FROM <http://x/>'@en } # SERVICE <http://x/>")
    assert check_query(text) == "SELECT"
    assert check_query('ASK { ?s ?p "x"@load }') == "ASK"  # a language tag is not a keyword
    assert check_query("describe <https://w3id.org/anze-kg/id/county/anze>") == "DESCRIBE"


def test_runaway_query_is_stopped_by_the_time_limit(cli):
    code, out, err = cli("query", "--sparql", RUNAWAY, "--timeout", "1")
    assert code == 2 and out == ""
    assert "anze-kg query: the query was stopped: it ran longer than the time limit of 1 s" in err
    assert "raise --timeout" in err


def test_too_many_rows_is_an_error_not_a_cut_off_result(cli):
    code, out, err = cli("query", "indicators-2023", "--max-rows", "5")
    assert code == 2 and out == "" and "the result has more than 5 rows" in err


def test_parameter_variable_must_be_projected(cli):
    code, _, err = cli("query", "--sparql", "SELECT ?s WHERE { ?s ?p ?o FILTER(?o = ?x) }", "-p", "x=1")
    assert code == 2 and "SELECT projection" in err and "hint: a parameter's variable must appear in the SELECT" in err


def test_unknown_store(cli):
    code, _, err = cli("query", "growth-above", "--store", "postgres:db")
    assert code == 2 and "unknown store 'postgres:db'" in err and "oxigraph:PATH" in err


def test_missing_disk_store(cli, tmp_path):
    code, _, err = cli("query", "growth-above", "--store", f"oxigraph:{tmp_path / 'none'}")
    assert code == 2 and f"no Oxigraph store at {tmp_path / 'none'}" in err
    assert not (tmp_path / "none").exists()  # querying never creates a store


# ----------------------------------------------------------------------------- the library

def test_parameter_terms_follow_the_documented_rule():
    assert to_term("x", "https://w3id.org/anze-kg/id/county/anze") == ox.NamedNode("https://w3id.org/anze-kg/id/county/anze")
    assert to_term("x", "12") == ox.Literal("12", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
    assert to_term("x", "12.5") == ox.Literal("12.5", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal"))
    assert to_term("x", "小李村") == ox.Literal("小李村")
    assert to_term("x", "小李村", "zh") == ox.Literal("小李村", language="zh")
    assert to_term("x", "12", "string") == ox.Literal("12")
    assert to_term("x", "小李村", "term") == ox.Literal("小李村")
    assert to_term("x", "2023", "gYear") == ox.Literal("2023", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#gYear"))


def test_bind_params_applies_defaults_and_overrides():
    query = get_query(PROJECT, "indicators-2023")
    bound = bind_params(query, {"year": "2024"})
    assert bound["area"] == ox.NamedNode("https://w3id.org/anze-kg/id/county/anze")
    assert bound["year"] == ox.Literal("2024", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#gYear"))


def test_header_with_a_bad_parameter_line():
    with pytest.raises(QueryError, match=r"x\.rq:2: malformed parameter line 'area = 1 \(number\)'"):
        parse_named_query("# title: a | b\n# param: area = 1 (number)\nASK {}", "x", Path("x.rq"))


def test_adhoc_query_reads_a_header_too():
    query = adhoc_query("# param: v = 3 (integer)\nSELECT ?v WHERE {}")
    assert query.params == {"v": "3"} and query.param_types == {"v": "integer"}


def test_run_query_refuses_before_touching_the_store():
    class Untouchable:
        def __getattr__(self, name):
            raise AssertionError("the store was used")
    with pytest.raises(QueryError, match="SERVICE"):
        run_query(Untouchable(), "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")


def test_run_query_result_shapes(memory_store):
    select = run_query(memory_store, "SELECT ?l WHERE { <https://w3id.org/anze-kg/id/county/anze> rdfs:label ?l } ORDER BY ?l")
    assert select.form == "SELECT" and select.variables == ["l"]
    assert all(isinstance(row, tuple) and isinstance(row[0], ox.Literal) for row in select.rows)
    optional = run_query(memory_store, "SELECT ?s ?x WHERE { VALUES ?s { 1 } OPTIONAL { ?s ?p ?x } }")
    assert optional.rows == [(ox.Literal("1", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")), None)]
    assert run_query(memory_store, "ASK { ?s a akg:Village }").boolean is True


def test_installed_console_script(built):
    script = Path(sys.executable).parent / "anze-kg"
    done = subprocess.run([str(script), "query", "growth-above", "-f", "csv", "--out", str(built[1])],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "规模以上工业增加值,Value added of industry above designated size,96.7,亿元,18," in done.stdout
    done = subprocess.run([str(script), "query", "--sparql", "INSERT DATA { <http://a/s> <http://a/p> 1 }",
                           "--out", str(built[1])], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert done.stderr.startswith("anze-kg query: updates are refused (INSERT)") and "Traceback" not in done.stderr


def _alive(pid: int) -> bool:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_a_store_keeps_one_query_worker_and_replaces_it_after_a_timeout_or_a_change(anze_quads):
    """Guarded queries on a Store run in one long-lived child (warm caches, no
    fork per query); a runaway query kills it, the next query gets a new one;
    a write to the store retires it (it holds the store as it was); close()
    stops it."""
    from anze_kg.sparql.stores import Store
    from anze_kg.storespec import StoreSpec

    store = Store(ox.Store(), StoreSpec("memory"))
    store.load_quads(anze_quads)
    assert run_query(store, "ASK { ?s a akg:Village }").boolean is True
    first = store._worker.pid
    assert run_query(store, "ASK { ?s a akg:Town }").boolean is True
    assert store._worker.pid == first and _alive(first)
    with pytest.raises(QueryError, match="time limit of 0.5 s"):
        run_query(store, RUNAWAY, timeout_s=0.5)
    assert not _alive(first)
    assert run_query(store, "ASK { ?s a akg:Village }").boolean is True
    second = store._worker.pid
    assert second != first
    extra = ox.Quad(ox.NamedNode("https://example.org/x"), ox.NamedNode(str(RDF.type)),
                    ox.NamedNode("https://example.org/New"), ox.NamedNode("https://w3id.org/anze-kg/graph/extra"))
    store.load_quads([extra])
    assert run_query(store, "ASK { ?s a <https://example.org/New> }").boolean is True
    third = store._worker.pid
    assert third != second and not _alive(second)
    store.close()
    assert not _alive(third)


def test_a_query_error_in_the_worker_leaves_it_serving(memory_store):
    with pytest.raises(QueryError, match="the query failed"):
        run_query(memory_store, 'SELECT ?x WHERE { BIND(<x:y> AS ?x) ?x ?p ?o } ', {"nope": ox.Literal("1")})
    assert run_query(memory_store, "ASK { ?s a akg:Village }").boolean is True


def test_an_iri_parameter_takes_a_short_name(cli):
    """-p indicator=gdp and -p area=county/zizhou, as the README writes them."""
    # the Anze graph only (the cli fixture's store): Anze's GDP, 121.6
    code, out, err = cli("query", "indicator-series", "-p", "indicator=gdp", "-p", "area=county/anze", "-f", "csv")
    assert code == 0, err
    assert "121.6" in out and "安泽县" in out
    code, out, _ = cli("query", "indicator-series", "-p", "area=anze", "-f", "csv")
    assert code == 0 and "121.6" in out
    code, out, _ = cli("query", "indicator-series", "-p", "area=zizhou", "-f", "csv")
    assert code == 0 and "121.6" not in out
    code, _, err = cli("query", "indicator-series", "-p", "area=not an iri")
    assert code == 2 and "is not an absolute IRI" in err


def test_a_named_query_on_the_small_memory_store_runs_without_a_child(built, tmp_path, monkeypatch):
    """A named query of the project's queries/ on the built graph in memory (under
    TRUSTED_MAX_QUADS) is evaluated in this process; typed text, a .rq file from elsewhere
    and a time limit below TRUSTED_MIN_TIMEOUT_S still get the killable child."""
    import anze_kg.sparql.worker as worker
    from anze_kg.sparql.evaluate import TRUSTED_MIN_TIMEOUT_S, answer

    class Forked(Exception):
        pass

    def no_fork():
        raise Forked
    project, out = PROJECT, built[1]
    in_a_child = answer(project, out, "villages", timeout_s=TRUSTED_MIN_TIMEOUT_S / 2).records()
    monkeypatch.setattr(worker, "_fork", no_fork)
    assert answer(project, out, "villages").records() == in_a_child and len(in_a_child) > 10
    with pytest.raises(Forked):
        answer(project, out, sparql="ASK { ?s ?p ?o }")
    elsewhere = tmp_path / "villages.rq"
    elsewhere.write_text((project.queries_dir / "villages.rq").read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(Forked):
        answer(project, out, str(elsewhere))
    with pytest.raises(Forked):
        answer(project, out, "villages", timeout_s=TRUSTED_MIN_TIMEOUT_S / 2)


def test_a_lookup_runs_in_this_process_on_a_store_on_disk_and_a_false_lookup_is_refused(cli, built, tmp_path,
                                                                                       monkeypatch):
    """A named query whose header says ``# cost: lookup`` runs without the child on an
    Oxigraph store on disk, with the child's answer; a query of that store without the line
    still gets the child; and the line on a query whose work grows with the store is refused."""
    import anze_kg.sparql.worker as worker
    from anze_kg.errors import QueryError
    from anze_kg.sparql.evaluate import TRUSTED_MIN_TIMEOUT_S, answer
    from anze_kg.sparql.named import parse_named_query

    class Forked(Exception):
        pass

    def no_fork():
        raise Forked
    project, out = PROJECT, built[1]
    store = f"oxigraph:{tmp_path / 'ox'}"
    code, _, err = cli("load", "--store", store)
    assert code == 0, err
    answers = {}
    for name in ("describe-entity", "ask-holds-designation", "fact-evidence"):
        answers[name] = answer(project, out, name, store_spec=store, timeout_s=TRUSTED_MIN_TIMEOUT_S / 2)
    assert len(answers["describe-entity"].triples) > 5 and answers["ask-holds-designation"].boolean is True
    assert len(answers["fact-evidence"].rows) >= 1
    monkeypatch.setattr(worker, "_fork", no_fork)
    for name, in_a_child in answers.items():
        here = answer(project, out, name, store_spec=store)
        assert (here.triples, here.boolean, here.rows) == (in_a_child.triples, in_a_child.boolean, in_a_child.rows)
    with pytest.raises(Forked):
        answer(project, out, "villages", store_spec=store)
    with pytest.raises(Forked):
        answer(project, out, "describe-entity", store_spec=store, timeout_s=TRUSTED_MIN_TIMEOUT_S / 2)
    header = "# title: x | x\n# cost: lookup\n"
    for body in ("SELECT DISTINCT ?s WHERE { ?s ?p ?o }", "SELECT (COUNT(?s) AS ?n) WHERE { ?s ?p ?o }",
                 "ASK { ?a <urn:x:next>* ?b }", "SELECT ?s WHERE { { SELECT ?s WHERE { ?s ?p ?o } } }",
                 "ASK { ?s ?p ?o FILTER EXISTS { ?o ?q ?r } }"):
        with pytest.raises(QueryError, match="grows with the store"):
            parse_named_query(header + body, "x")
    with pytest.raises(QueryError, match="unknown cost"):
        parse_named_query("# cost: cheap\nASK { ?s ?p ?o }", "x")
    assert parse_named_query(header + "SELECT * WHERE { <urn:x:a> ?p ?o } ORDER BY ?p", "x").cost == "lookup"
