"""Answers that cross the pipe from the query child as Oxigraph's own TSV and
N-Triples (``evaluate_encoded`` and ``decode``) are the answers the store
gives in this process (``evaluate``), term for term, on every named query and
on terms chosen to be hard to write: tabs, newlines, quotes and backslashes in
literals, language tags, blank nodes, numbers, booleans, unbound variables."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from conftest_query import PROJECT, anze_quads, memory_store  # noqa: F401

from anze_kg.errors import QueryError
from anze_kg.sparql.evaluate import (
    Request,
    decode,
    evaluate,
    evaluate_encoded,
    run_query,
)
from anze_kg.sparql.guard import check_query
from anze_kg.sparql.named import bind_params, list_queries

XSD = "http://www.w3.org/2001/XMLSchema#"
EX = "http://example.org/"


def both(ox_store: ox.Store, text: str, bindings: tuple = (), max_rows: int = 100_000):
    request = Request(text, check_query(text), bindings, max_rows)
    direct, crossed = evaluate(ox_store, request), evaluate_encoded(ox_store, request)
    return direct, crossed


@pytest.mark.parametrize("query", list_queries(PROJECT), ids=lambda q: q.name)
def test_every_named_query_crosses_the_pipe_unchanged(memory_store, query):  # noqa: F811
    direct, crossed = both(memory_store.ox, query.text, tuple(bind_params(query, {}).items()))
    assert direct[0] == crossed[0] == "ok", (direct, crossed)
    mine, theirs = direct[1], decode(crossed[1])
    assert (theirs.form, theirs.variables, theirs.boolean) == (mine.form, mine.variables, mine.boolean)
    assert theirs.rows == mine.rows
    assert theirs.triples == mine.triples


@pytest.fixture
def awkward() -> ox.Store:
    store = ox.Store()
    s, p = ox.BlankNode("b1"), ox.NamedNode(EX + "p")
    for literal in (ox.Literal('tab\there\nnewline "quoted" back\\slash', language="zh"),
                    ox.Literal("1.50", datatype=ox.NamedNode(XSD + "decimal")),
                    ox.Literal("INF", datatype=ox.NamedNode(XSD + "double")),
                    ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean")),
                    ox.Literal("2023", datatype=ox.NamedNode(XSD + "gYear")),
                    ox.Literal("地区生产总值"), ox.Literal("")):
        store.add(ox.Quad(s, p, literal))
    store.add(ox.Quad(ox.NamedNode(EX + "中文?q=1&x#frag"), p, s))
    return store


def test_awkward_terms_and_unbound_variables_cross_unchanged(awkward):
    direct, crossed = both(awkward, "SELECT ?s ?o ?unbound WHERE { ?s ?p ?o } ORDER BY STR(?o)")
    assert len(direct[1].rows) == 8
    assert decode(crossed[1]).rows == direct[1].rows
    assert all(row[2] is None for row in decode(crossed[1]).rows)


def test_describe_and_construct_triples_cross_unchanged(awkward):
    for text in ("CONSTRUCT { ?o ?p ?s } WHERE { ?s ?p ?o FILTER(isLiteral(?o) = false) }",
                 "CONSTRUCT WHERE { ?s ?p ?o }", "DESCRIBE ?s WHERE { ?s ?p ?o }"):
        direct, crossed = both(awkward, text)
        assert decode(crossed[1]).triples == direct[1].triples, text
        assert direct[1].triples


def test_ask_crosses_as_a_boolean(awkward):
    for text, answer in (("ASK { ?s ?p ?o }", True), ("ASK { ?s <http://example.org/none> ?o }", False)):
        direct, crossed = both(awkward, text)
        assert decode(crossed[1]).boolean is direct[1].boolean is answer


def test_the_row_limit_counts_rows_not_newlines_inside_terms(awkward):
    # 8 rows, one literal with a newline in it: a limit of 8 passes, 7 is too many
    text = "SELECT ?s ?o WHERE { ?s ?p ?o }"
    assert both(awkward, text, max_rows=8)[1][0] == "ok"
    assert both(awkward, text, max_rows=7)[1][0] == "error"
    with pytest.raises(QueryError, match="more than 7 rows"):
        run_query(awkward, text, max_rows=7)
    assert len(run_query(awkward, text, max_rows=8).rows) == 8
