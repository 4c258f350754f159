"""Stores: the in-memory default (from the build, or the query cache when the
inputs changed), an Oxigraph store on disk (load replaces, never duplicates),
and their errors."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from conftest_query import PROJECT, iri

import anze_kg.build.current
from anze_kg.build.pipeline import build, load_built
from anze_kg.cli import main
from anze_kg.errors import StoreError, UsageError, ValidationFailed
from anze_kg.sparql.stores import CACHE_DIR, Store, open_store
from anze_kg.storespec import StoreSpec, parse_spec

GRAPHS = ["https://w3id.org/anze-kg/graph/anze-2023", "https://w3id.org/anze-kg/graph/ontology",
          "https://w3id.org/anze-kg/graph/vocab"]
REPORT_GRAPH = GRAPHS[0]


def test_parse_spec(tmp_path):
    assert parse_spec(None) == StoreSpec("memory") and parse_spec("memory") == StoreSpec("memory")
    assert parse_spec(f"oxigraph:{tmp_path}") == StoreSpec("oxigraph", tmp_path)
    for bad in ("oxigraph:", "fuseki:http://x", "Memory"):
        with pytest.raises(UsageError, match=f"unknown store '{bad}'"):
            parse_spec(bad)


def test_memory_store_holds_one_named_graph_per_report_and_the_vocabularies(built):
    store = open_store("memory", PROJECT, built[1])
    names = store.graph_names()
    assert set(GRAPHS) <= set(names) and all(n.startswith("https://w3id.org/anze-kg/graph/") for n in names)
    assert store.count() == sum(store.count(g) for g in names)
    assert store.count(REPORT_GRAPH) > 6000
    # the union is the default graph: a report fact and a vocabulary fact in one pattern
    assert bool(store.query("ASK { ?obs akg:refArea ?area . ?area a akg:County ; akg:locatedIn ?city . ?city a akg:City }"))


def test_load_into_a_disk_store_twice_replaces_and_never_duplicates(built, tmp_path):
    spec = f"oxigraph:{tmp_path / 'ox'}"
    first = load_built(spec, PROJECT, built[1])
    second = load_built(spec, PROJECT, built[1])
    assert first == second and set(GRAPHS) <= set(first.graphs)
    with open_store(spec, PROJECT, built[1], read_only=True) as store:
        assert store.count() == first.quads
        assert {g: store.count(g) for g in first.graphs} == first.graphs


def test_loading_a_graph_replaces_it_wholesale(built, tmp_path):
    store = Store(ox.Store(str(tmp_path / "ox")), parse_spec(f"oxigraph:{tmp_path / 'ox'}"))
    memory = open_store("memory", PROJECT, built[1])
    store.load_quads(memory.ox.quads_for_pattern(None, None, None, None))
    graph = ox.NamedNode(REPORT_GRAPH)
    one = ox.Quad(ox.NamedNode(iri("village/x")), ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
                  ox.Literal("X村", language="zh"), graph)
    assert store.load_quads([one]) == 1
    assert store.count(REPORT_GRAPH) == 1  # the report's graph is now exactly the one quad
    assert store.count("https://w3id.org/anze-kg/graph/vocab") == memory.count("https://w3id.org/anze-kg/graph/vocab")
    store.load_quads([one], replace_graphs=False)
    assert store.count(REPORT_GRAPH) == 1  # a store holds a quad once
    store.close()


def test_the_load_command(built, tmp_path, capsys):
    assert main(["load", "--store", f"oxigraph:{tmp_path / 'ox'}", "--out", str(built[1])]) == 0
    out = capsys.readouterr().out
    with open_store(f"oxigraph:{tmp_path / 'ox'}", PROJECT, built[1], read_only=True) as store:
        assert out.startswith(f"loaded {store.count()} quads into oxigraph:{tmp_path / 'ox'}\n")
        assert f"  {REPORT_GRAPH}  {store.count(REPORT_GRAPH)}" in out


def test_load_needs_a_store_on_disk(built, capsys):
    assert main(["load", "--out", str(built[1])]) == 2
    err = capsys.readouterr().err
    assert "anze-kg load: loading into --store memory keeps nothing" in err and "--store oxigraph:PATH" in err


def test_read_only_store_that_does_not_exist(built, tmp_path):
    with pytest.raises(StoreError, match="no Oxigraph store at") as info:
        open_store(f"oxigraph:{tmp_path / 'missing'}", PROJECT, built[1], read_only=True)
    assert "anze-kg load --store oxigraph:" in str(info.value)


def test_store_path_that_is_a_file(built, tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(StoreError, match="is a file, not a folder"):
        open_store(f"oxigraph:{tmp_path / 'file'}", PROJECT, built[1])


def test_a_store_held_for_writing_cannot_be_opened_for_writing_again(built, tmp_path):
    spec = f"oxigraph:{tmp_path / 'ox'}"
    holder = open_store(spec, PROJECT, built[1])
    try:
        with pytest.raises(StoreError, match="cannot open the store"):
            open_store(spec, PROJECT, built[1])
    finally:
        holder.close()


def test_stale_inputs_are_built_once_then_read_from_the_query_cache(project_copy, tmp_path, monkeypatch):
    out = tmp_path / "out"  # never built: the inputs are "changed" since the (absent) last build
    first = open_store("memory", project_copy, out)
    caches = list((out / CACHE_DIR).glob("graph-*.nq"))
    assert len(caches) == 1 and first.count() > 8000
    assert not (out / "anze.trig").exists()  # a query never writes the build's own outputs

    def no_build(*args, **kwargs):
        raise AssertionError("rebuilt although the cache is fresh")
    monkeypatch.setattr(anze_kg.build.current, "current_quads", no_build)  # the query path imports it when stale
    assert open_store("memory", project_copy, out).count() == first.count()
    monkeypatch.undo()

    facts = project_copy.reports_dir / "anze-2023" / "facts" / "economy.yaml"
    facts.write_text(facts.read_text(encoding="utf-8").replace("en: Qinhe Bay", "en: Qinhe River Bay"), encoding="utf-8")
    edited = open_store("memory", project_copy, out)
    assert bool(edited.query('ASK { ?s rdfs:label "Qinhe River Bay"@en }'))
    assert [p.name for p in (out / CACHE_DIR).glob("graph-*.nq")] != [p.name for p in caches]  # old cache replaced
    assert len(list((out / CACHE_DIR).glob("graph-*.nq"))) == 1


def test_a_graph_that_does_not_conform_is_not_cached(project_copy, tmp_path):
    facts = project_copy.reports_dir / "anze-2023" / "facts" / "industry.yaml"
    text = facts.read_text(encoding="utf-8")
    facts.write_text(text.replace("  sector: coal-chemicals\n  inChain: coal\n  locatedIn: anze\n  operates: [kexin",
                                  "  inChain: coal\n  locatedIn: anze\n  operates: [kexin"), encoding="utf-8")
    with pytest.raises(ValidationFailed):
        open_store("memory", project_copy, tmp_path / "out")
    assert not list((tmp_path / "out").glob(f"{CACHE_DIR}/*.nq"))


def test_load_is_the_builds_landing(built, tmp_path):
    """`load` and `build --store` are one loader: after a load, a build into the
    same store finds every graph already there (its marker says so) and
    replaces none."""
    spec = f"oxigraph:{tmp_path / 'ox'}"
    summary = load_built(spec, PROJECT, built[1])
    marker = json.loads((tmp_path / "ox" / "anze-kg-graphs.json").read_text())
    assert marker["graphs"].keys() == summary.graphs.keys() and marker["default graph"] == "union"
    again = build(PROJECT, built[1], store=spec)
    assert again.store == f"{spec}: 0 graph(s) replaced, 0 removed, {len(summary.graphs)} held"
