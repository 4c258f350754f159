"""The default graph of a store is the union of its named graphs as a set
(SPARQL's RDF merge): a triple two reports state is one triple.  Anze and
Zizhou both name 党的二十大, so its four triples are in two named graphs.
Oxigraph's own union view would return each of them twice, and a pattern
of four such triples 2⁴ = 16 times."""

from __future__ import annotations

import json
import shutil

import jena
import pyoxigraph as ox
import pytest
from conftest import REPO, copy_project
from conftest_query import PROJECT

from anze_kg.build.pipeline import build
from anze_kg.cli import main
from anze_kg.errors import StoreError
from anze_kg.sparql.evaluate import answer
from anze_kg.sparql.guard import uses_named_graphs
from anze_kg.sparql.stores import open_store
from anze_kg.storespec import MARKER

CONGRESS = "https://w3id.org/anze-kg/id/event/cpc-20th-national-congress"
BOTH = ("anze-2023", "zizhou-2023")


def named_triples(ox_store: ox.Store) -> set:
    return {q.triple for q in ox_store.quads_for_pattern(None, None, None, None)
            if not isinstance(q.graph_name, ox.DefaultGraph)}


def default_triples(ox_store: ox.Store) -> set:
    return {q.triple for q in ox_store.quads_for_pattern(None, None, None, ox.DefaultGraph())}


def shared(ox_store: ox.Store) -> set:
    seen, twice = set(), set()
    for q in ox_store.quads_for_pattern(None, None, None, None):
        if not isinstance(q.graph_name, ox.DefaultGraph):
            (twice if q.triple in seen else seen).add(q.triple)
    return twice


def test_the_two_reports_share_triples(built):
    """The premise of the tests below: without it they could not fail."""
    with open_store("memory", PROJECT, built[1]) as store:
        both = shared(store.ox)
    assert {t.predicate.value for t in both if t.subject.value == CONGRESS} >= {
        "http://www.w3.org/2000/01/rdf-schema#label", "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"}


def test_the_memory_store_counts_a_shared_triple_once(built):
    with open_store("memory", PROJECT, built[1]) as store:
        assert default_triples(store.ox) == named_triples(store.ox)
        count = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        assert int(next(iter(count))[0].value) == len(named_triples(store.ox))
        rows = list(store.query(f"SELECT ?l WHERE {{ <{CONGRESS}> a ?t ; <http://www.w3.org/2000/01/rdf-schema#label> ?l }}"))
        assert len(rows) == 2  # @zh and @en, once each


def test_the_events_query_agrees_with_jena(built):
    """Jena reads anze.nt (the union, merged as RDF merges) and answers the same rows."""
    if jena.available() is not None:
        pytest.skip(jena.available())
    ours = answer(PROJECT, built[1], "events")
    congress = [r for r in ours.rows if r[-1].value == CONGRESS]
    assert len(congress) == 1, congress
    done = jena.run("arq.sparql", "--data", str(built[1] / "anze.nt"), "--query", str(REPO / "queries" / "events.rq"),
                    "--results", "json")
    assert done.returncode == 0, done.stderr
    theirs = json.loads(done.stdout)["results"]["bindings"]
    assert len(theirs) == len(ours.rows)
    assert sorted(b["event"]["value"] for b in theirs) == sorted(r[-1].value for r in ours.rows)


def test_a_store_on_disk_keeps_its_default_graph_the_union_through_every_change(tmp_path):
    project = copy_project(tmp_path / "project", reports=BOTH)
    out, folder = tmp_path / "out", tmp_path / "store"
    spec = f"oxigraph:{folder}"

    def check(expect_shared: bool):
        held = ox.Store.read_only(str(folder))
        assert default_triples(held) == named_triples(held)
        assert bool({t for t in shared(held) if t.subject.value == CONGRESS}) == expect_shared
        assert json.loads((folder / MARKER).read_text(encoding="utf-8"))["default graph"] == "union"
        del held

    build(project, out, store=spec)
    check(expect_shared=True)
    # A changed fact in one report: its old triples leave the default graph, shared ones stay.
    facts = project.reports_dir / "anze-2023" / "facts" / "economy.yaml"
    facts.write_text(facts.read_text(encoding="utf-8").replace("  en: Winter Action\n", "  en: The Winter Action\n"),
                     encoding="utf-8")
    build(project, out, store=spec)
    check(expect_shared=True)
    with open_store(spec, project, out, read_only=True) as store:
        labels = {str(r[0].value) for r in store.query(
            "SELECT ?l WHERE { <https://w3id.org/anze-kg/id/program/winter-action> rdfs:label ?l }")}
    assert "The Winter Action" in labels and "Winter Action" not in labels
    # A report removed: what only it stated leaves; the congress, stated by Zizhou too, stays.
    shutil.rmtree(project.reports_dir / "anze-2023")
    build(project, out, store=spec)
    check(expect_shared=False)
    held = ox.Store.read_only(str(folder))
    assert any(t.subject.value == CONGRESS for t in default_triples(held))
    assert not any("winter-action" in t.subject.value for t in default_triples(held) if isinstance(t.subject, ox.NamedNode))


def test_a_store_of_an_earlier_version_gets_its_default_graph(built, tmp_path):
    """A store whose marker is the earlier flat one (graphs only) has no default
    graph: queries refuse it until a build brings it up to date."""
    project = copy_project(tmp_path / "project", reports=BOTH)
    out, folder = tmp_path / "out", tmp_path / "store"
    spec = f"oxigraph:{folder}"
    build(project, out, store=spec)
    held = ox.Store(str(folder))
    held.clear_graph(ox.DefaultGraph())
    held.flush()
    del held
    marker = folder / MARKER
    marker.write_text(json.dumps(json.loads(marker.read_text(encoding="utf-8"))["graphs"]), encoding="utf-8")
    with pytest.raises(StoreError, match="half-loaded"):
        open_store(spec, project, out, read_only=True)
    again = build(project, out, store=spec)
    assert "0 graph(s) replaced" in again.store
    held = ox.Store.read_only(str(folder))
    assert default_triples(held) == named_triples(held) != set()


def test_a_half_loaded_store_is_refused_by_query(tmp_path, capsys):
    project = copy_project(tmp_path / "project")
    out, folder = tmp_path / "out", tmp_path / "store"
    spec = f"oxigraph:{folder}"
    build(project, out, store=spec)
    marker = folder / MARKER
    data = json.loads(marker.read_text(encoding="utf-8"))
    data["graphs"]["https://w3id.org/anze-kg/graph/anze-2023"] = "dirty"
    marker.write_text(json.dumps(data), encoding="utf-8")
    capsys.readouterr()
    code = main(["--project", str(project.root), "query", "indicators-2023", "--out", str(out), "--store", spec])
    err = capsys.readouterr().err
    assert code == 2
    assert "half-loaded (https://w3id.org/anze-kg/graph/anze-2023)" in err and f"build --store {spec}" in err
    assert build(project, out, store=spec).exit_code == 0
    assert main(["--project", str(project.root), "query", "indicators-2023", "--out", str(out), "--store", spec]) == 0


def test_a_query_of_the_default_graph_alone_reads_the_union_file_with_the_same_answer(built):
    with open_store("memory", PROJECT, built[1]) as full, \
            open_store("memory", PROJECT, built[1], named_graphs=False) as union:
        assert named_triples(union.ox) == set()  # only the union was loaded, from anze.ttl
        assert default_triples(union.ox) == default_triples(full.ox) == named_triples(full.ox)
        triples = len(default_triples(full.ox))
        quads = sum(1 for q in full.ox.quads_for_pattern(None, None, None, None)
                    if not isinstance(q.graph_name, ox.DefaultGraph))
    assert quads > triples  # the reports share triples: a count would tell which store answered
    # through the command's path: the same counts, whichever file each query needed
    counted = answer(PROJECT, built[1], sparql="SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    per_graph = answer(PROJECT, built[1], sparql="SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert int(counted.rows[0][0].value) == triples and int(per_graph.rows[0][0].value) == quads


@pytest.mark.parametrize(("text", "needs"), [
    ("SELECT * WHERE { ?s ?p ?o }", False),
    ("SELECT * WHERE { ?s akg:graph ?o . ?s <https://example.org/graph> 'graph' }", False),
    ("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }", True),
    ("select * where { graph ?g { ?s ?p ?o } }", True),
    ("SELECT * FROM <https://w3id.org/anze-kg/graph/anze-2023> WHERE { ?s ?p ?o }", True),
    ("SELECT * FROM NAMED <https://w3id.org/anze-kg/graph/anze-2023> WHERE { ?s ?p ?o }", True),
    ("SELECT * WHERE { #c\rGRAPH ?g { ?s ?p ?o } }", True),  # a comment ended by \r (Oxigraph's reading)
    ("SELECT * WHERE { \\u0047RAPH ?g { ?s ?p ?o } }", True),  # in doubt: an escape
])
def test_which_queries_need_the_named_graphs(text, needs):
    assert uses_named_graphs(text) is needs
