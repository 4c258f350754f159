"""Helpers for the SPARQL tests (test_query, test_store, test_queries_answers):
the built graph in both stores, and running a named query by name.  Imported
explicitly by those tests; the session fixture ``built`` comes from conftest."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import REPO

from anze_kg.graph.formats import FORMATS, parse_quads, serialize
from anze_kg.inputs.project import Project
from anze_kg.sparql.evaluate import run_query
from anze_kg.sparql.named import bind_params, get_query
from anze_kg.sparql.results import QueryResult
from anze_kg.sparql.stores import Store, open_store
from anze_kg.storespec import parse_spec

PROJECT = Project(REPO)
ID = "https://w3id.org/anze-kg/id/"


ANZE_GRAPHS = ("https://w3id.org/anze-kg/graph/anze-2023", "https://w3id.org/anze-kg/graph/ontology",
               "https://w3id.org/anze-kg/graph/vocab")


@pytest.fixture(scope="session")
def anze_quads(built) -> list:
    """The session's build restricted to the Anze report's graph, the vocabulary
    and the ontology: the expected answers are read from that one report, and
    other reports in data/ must not change them."""
    quads = parse_quads(built[1] / "anze.trig")
    return [q for q in quads if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value in ANZE_GRAPHS]


@pytest.fixture(scope="session")
def anze_turtle(anze_quads, tmp_path_factory) -> Path:
    """The same graph exported as Turtle, for an independent engine."""
    path = tmp_path_factory.mktemp("turtle") / "anze.ttl"
    path.write_bytes(serialize(anze_quads, FORMATS["turtle"]))
    return path


@pytest.fixture(scope="session")
def memory_store(anze_quads) -> Store:
    """The default kind of store: pyoxigraph in memory."""
    store = Store(ox.Store(), parse_spec("memory"))
    store.load_quads(anze_quads, replace_graphs=False)
    return store


@pytest.fixture(scope="session")
def disk_store(anze_quads, tmp_path_factory) -> Store:
    """An Oxigraph store on disk with the same graph, reopened read-only."""
    path = tmp_path_factory.mktemp("oxigraph") / "store"
    with Store(ox.Store(str(path)), parse_spec(f"oxigraph:{path}")) as store:
        store.load_quads(anze_quads)
    return open_store(f"oxigraph:{path}", PROJECT, path.parent, read_only=True)


def run(store: Store, query_name: str, /, **params: str) -> QueryResult:
    query = get_query(PROJECT, query_name)
    return run_query(store, query.text, bind_params(query, params), timeout_s=60)


def value(term) -> str | None:
    """The lexical value of a term (IRI string or literal text), None when unbound."""
    return None if term is None else term.value


def column(result: QueryResult, variable: str) -> list:
    i = result.variables.index(variable)
    return [value(row[i]) for row in result.rows]


def records(result: QueryResult, *variables: str) -> list[tuple]:
    """Rows reduced to the given variables' values, in result order."""
    idx = [result.variables.index(v) for v in variables]
    return [tuple(value(row[i]) for i in idx) for row in result.rows]


def copy_store(store: Store) -> Store:
    """A private in-memory copy a test may change."""
    ox_store = ox.Store()
    ox_store.bulk_extend(list(store.ox.quads_for_pattern(None, None, None, None)))
    return Store(ox_store, store.spec)


def iri(path: str) -> str:
    return ID + path
