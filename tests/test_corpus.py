"""Many reports: parallel per-report builds give the union's verdict; incremental
rebuilds touch only what changed; failures, removals, corrupt cache entries and a
killed build leave the last good state."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import REPO
from rdflib import Dataset, Graph

from anze_kg.build.pipeline import build
from anze_kg.graph.shacl import load_shapes, validate_graph
from anze_kg.graph.triples import build_dataset
from anze_kg.inputs.project import Project

_spec = importlib.util.spec_from_file_location("synth_facts", REPO / "benchmarks" / "synth_facts.py")
synth = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(synth)

SECTORLESS = """- id: {prefix}-sectorless
  type: Enterprise
  zh: 某企业
  en: Some enterprise
  quote: 以开发区为主阵地
"""


@pytest.fixture
def corpus(tmp_path) -> Project:
    return Project(synth.make_corpus(tmp_path / "corpus", 3))


def graphs_in(out: Path) -> dict[str, int]:
    ds = Dataset()
    ds.parse(out / "anze.trig", format="trig")
    return {str(g.identifier).rsplit("/", 1)[1]: len(g) for g in ds.graphs() if len(g)}


def files_of(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_parallel_build_equals_the_naive_union(corpus, tmp_path):
    outcome = build(corpus, tmp_path / "out", jobs=2)
    assert outcome.exit_code == 0
    assert [r.status for r in outcome.results] == ["built"] * 3
    assert set(graphs_in(tmp_path / "out")) == {"ontology", "vocab", "synth-0001", "synth-0002", "synth-0003"}
    ours = set(Graph().parse(tmp_path / "out" / "anze.nt", format="nt"))
    naive = build_dataset(corpus).union
    assert ours == set(naive)


def test_a_planted_violation_fails_one_report_and_the_others_land(corpus, tmp_path):
    bad = corpus.reports_dir / "synth-0002" / "facts" / "zz.yaml"
    bad.write_text(SECTORLESS.format(prefix="s0002"), encoding="utf-8")
    outcome = build(corpus, tmp_path / "out", jobs=2)
    assert outcome.exit_code == 1
    failed = {r.report: r for r in outcome.failures}
    assert set(failed) == {"synth-0002"}
    assert set(graphs_in(tmp_path / "out")) == {"ontology", "vocab", "synth-0001", "synth-0003"}
    per_report = {v.focus for v in failed["synth-0002"].violations}
    naive = validate_graph(build_dataset(corpus).union, load_shapes(corpus.shapes_file))
    assert per_report == {v.focus for v in naive.violations} == {
        "https://w3id.org/anze-kg/id/enterprise/s0002-sectorless"}


def test_incremental_rebuild_touches_only_the_changed_report(corpus, tmp_path):
    out, store = tmp_path / "out", tmp_path / "store"
    build(corpus, out, jobs=2, store=f"oxigraph:{store}")
    before = files_of(out)
    again = build(corpus, out, jobs=2, store=f"oxigraph:{store}")
    assert [r.status for r in again.results] == ["cached"] * 3 and not again.changed
    assert files_of(out) == before
    facts = corpus.reports_dir / "synth-0003" / "facts" / "economy.yaml"
    facts.write_text(facts.read_text(encoding="utf-8").replace("en: Winter Action", "en: The Winter Action"),
                     encoding="utf-8")
    third = build(corpus, out, jobs=2, store=f"oxigraph:{store}")
    assert {r.report: r.status for r in third.results} == {"synth-0001": "cached", "synth-0002": "cached",
                                                           "synth-0003": "built"}
    assert "1 graph(s) replaced" in third.store
    s = ox.Store(str(store))
    labels = {str(b["l"].value) for b in s.query(
        'SELECT ?l WHERE { GRAPH ?g { <https://w3id.org/anze-kg/id/program/s0003-winter-action> '
        '<http://www.w3.org/2000/01/rdf-schema#label> ?l } }')}
    assert "The Winter Action" in labels and "Winter Action" not in labels
    assert len(list(s.named_graphs())) == 5


def test_removing_a_report_folder_removes_its_graph(corpus, tmp_path):
    import shutil

    out, store = tmp_path / "out", tmp_path / "store"
    build(corpus, out, store=f"oxigraph:{store}")
    shutil.rmtree(corpus.reports_dir / "synth-0001")
    outcome = build(corpus, out, store=f"oxigraph:{store}")
    assert "1 removed" in outcome.store
    assert "synth-0001" not in graphs_in(out)
    names = {str(g.value) for g in ox.Store(str(store)).named_graphs()}
    assert "https://w3id.org/anze-kg/graph/synth-0001" not in names and len(names) == 4


def test_a_corrupt_cache_entry_is_detected_and_rebuilt(corpus, tmp_path):
    out = tmp_path / "out"
    build(corpus, out)
    expected = (out / "anze.nt").read_bytes()
    fragment = next((out / ".cache" / "synth-0002").glob("*.nt"))
    fragment.write_bytes(fragment.read_bytes()[: 1000])
    (out / "anze.nt").unlink()  # force the outputs to be rewritten from the cache
    outcome = build(corpus, out)
    assert outcome.exit_code == 0
    assert (out / "anze.nt").read_bytes() == expected


def test_a_build_killed_halfway_leaves_the_last_good_state_and_the_next_one_finishes(corpus, tmp_path):
    out = tmp_path / "out"
    build(corpus, out)
    before = {k: v for k, v in files_of(out).items() if not k.startswith(".cache")}
    for folder in corpus.report_dirs():  # change every report, and add more, so the next build is long
        text = folder / "report.yaml"
        text.write_text(text.read_text(encoding="utf-8") + "note: changed\n", encoding="utf-8")
    for k in range(4, 9):
        synth.write_report(REPO / "data" / "reports" / "anze-2023", corpus.reports_dir, f"synth-{k:04d}", f"s{k:04d}")
    cmd = [sys.executable, "-m", "anze_kg", "--project", str(corpus.root), "build", "--out", str(out), "--jobs", "1"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list((out / ".cache").glob("synth-*/*.json"))) < 5:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    after_kill = {k: v for k, v in files_of(out).items() if not k.startswith(".cache")}
    assert after_kill == before
    outcome = build(corpus, out)
    statuses = [r.status for r in outcome.results]
    assert outcome.exit_code == 0 and "cached" in statuses and "built" in statuses
    assert len(graphs_in(out)) == 2 + 8


def store_graphs(folder: Path) -> dict[str, int]:
    s = ox.Store.read_only(str(folder))
    counts: dict[str, int] = {}
    for q in s:
        if isinstance(q.graph_name, ox.DefaultGraph):
            continue  # the union of the named graphs, as a set (tests/test_union.py)
        name = q.graph_name.value.rsplit("/", 1)[1]
        counts[name] = counts.get(name, 0) + 1
    return counts


def test_a_failing_report_keeps_its_last_good_graph_in_the_store(corpus, tmp_path):
    out, store = tmp_path / "out", tmp_path / "store"
    build(corpus, out, jobs=2, store=f"oxigraph:{store}")
    good = store_graphs(store)
    (corpus.reports_dir / "synth-0002" / "facts" / "zz.yaml").write_text(SECTORLESS.format(prefix="s0002"),
                                                                         encoding="utf-8")
    facts = corpus.reports_dir / "synth-0003" / "facts" / "economy.yaml"
    facts.write_text(facts.read_text(encoding="utf-8").replace("en: Winter Action", "en: The Winter Action"),
                     encoding="utf-8")
    outcome = build(corpus, out, jobs=2, store=f"oxigraph:{store}")
    assert outcome.exit_code == 1 and [r.report for r in outcome.failures] == ["synth-0002"]
    assert "1 graph(s) replaced" in outcome.store  # synth-0003 only
    assert store_graphs(store) == good == graphs_in(out)
    s = ox.Store.read_only(str(store))
    assert s.query('ASK { GRAPH ?g { ?s ?p "The Winter Action"@en } }')
    assert not s.query('ASK { GRAPH ?g { <https://w3id.org/anze-kg/id/enterprise/s0002-sectorless> ?p ?o } }')


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc; PR_SET_PDEATHSIG is Linux's")
def test_the_pool_workers_die_with_a_killed_build(corpus, tmp_path):
    for k in range(4, 12):
        synth.write_report(REPO / "data" / "reports" / "anze-2023", corpus.reports_dir, f"synth-{k:04d}", f"s{k:04d}")
    cmd = [sys.executable, "-m", "anze_kg", "--project", str(corpus.root), "build", "--out", str(tmp_path / "out"),
           "--jobs", "2"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    workers: list[int] = []
    while time.monotonic() < deadline and len(workers) < 2 and proc.poll() is None:
        workers = _children(proc.pid)
        time.sleep(0.05)
    assert len(workers) >= 2, "the build finished before its workers were seen: make it longer"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and any(_alive(w) for w in workers):
        time.sleep(0.1)
    left = [w for w in workers if _alive(w)]
    for w in left:
        os.kill(w, signal.SIGKILL)
    assert not left, f"pool workers {left} outlived the build killed with SIGKILL"


def test_a_build_into_a_store_killed_halfway_is_finished_by_the_next(corpus, tmp_path):
    """Reports are streamed into the store as their workers finish: a kill leaves
    the store with some new graphs (each one that conformed, recorded in the
    store's marker) and the next build loads the rest, with nothing doubled."""
    out, store = tmp_path / "out", tmp_path / "store"
    build(corpus, out, store=f"oxigraph:{store}")
    for k in range(4, 10):
        synth.write_report(REPO / "data" / "reports" / "anze-2023", corpus.reports_dir, f"synth-{k:04d}", f"s{k:04d}")
    cmd = [sys.executable, "-m", "anze_kg", "--project", str(corpus.root), "build", "--out", str(out), "--jobs", "1",
           "--store", f"oxigraph:{store}"]
    env = {**os.environ, "ANZE_KG_LOAD_BATCH_MB": "0"}  # each report loaded on its own as it is done
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    marker = store / "anze-kg-graphs.json"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and sum(f"synth-{k:04d}" in marker.read_text() for k in range(4, 10)) < 2:
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert len(graphs_in(out)) == 5  # out/ is as it was
    streamed = {g.rsplit("/", 1)[1] for g, key in json.loads(marker.read_text())["graphs"].items() if key != "dirty"}
    assert len(streamed & {f"synth-{k:04d}" for k in range(4, 10)}) >= 1
    assert len(streamed) < 11  # killed before the end
    outcome = build(corpus, out, store=f"oxigraph:{store}")
    assert outcome.exit_code == 0
    assert store_graphs(store) == graphs_in(out)
    assert len(graphs_in(out)) == 2 + 9


def test_a_corrupt_entry_is_never_loaded_into_the_store(corpus, tmp_path):
    import shutil

    out, store = tmp_path / "out", tmp_path / "store"
    build(corpus, out, store=f"oxigraph:{store}")
    good = store_graphs(store)
    fragment = next((out / ".cache" / "synth-0002").glob("*.nq"))
    fragment.write_bytes(fragment.read_bytes().replace(b"Winter Action", b"Summer Action"))
    shutil.rmtree(store)  # a fresh store: every graph is loaded from the cache
    outcome = build(corpus, out, store=f"oxigraph:{store}")
    assert outcome.exit_code == 0 and "5 graph(s) replaced" in outcome.store
    assert store_graphs(store) == good
    assert not ox.Store.read_only(str(store)).query('ASK { GRAPH ?g { ?s ?p "Summer Action"@en } }')


def test_a_build_without_files_leaves_no_stale_files_behind(corpus, tmp_path):
    from anze_kg.inputs.manifest import is_fresh

    out = tmp_path / "out"
    build(corpus, out)
    facts = corpus.reports_dir / "synth-0003" / "facts" / "economy.yaml"
    facts.write_text(facts.read_text(encoding="utf-8").replace("en: Winter Action", "en: The Winter Action"),
                     encoding="utf-8")
    outcome = build(corpus, out, outputs=False)
    assert outcome.exit_code == 0
    assert not any((out / name).exists() for name in ("anze.ttl", "anze.nt", "anze.trig"))
    assert json.loads((out / "build.json").read_text())["outputs"] == []
    assert not is_fresh(corpus, out)  # queries must not read an old anze.trig
    again = build(corpus, out)
    assert again.changed and is_fresh(corpus, out)
    assert "The Winter Action" in (out / "anze.ttl").read_text(encoding="utf-8")


EXTRA_SHAPE = """
shape:TestEveryEnterpriseHasAWebsite a sh:NodeShape ;
    sh:targetClass akg:Enterprise ;
    sh:property [ sh:path akg:testWebsite ; sh:minCount 1 ; sh:message "an enterprise has no website (test shape)" ] .
"""


def test_a_second_build_in_one_process_validates_against_the_changed_shapes(corpus, tmp_path):
    """The shared inputs are kept per process under the digest of their
    content: a build after the shapes changed validates against the new ones
    (it used to reuse the shapes cached for the project's folder, and to land
    a non-conforming graph as conforming)."""
    out = tmp_path / "out"
    assert build(corpus, out).exit_code == 0
    original = corpus.shapes_file.read_text(encoding="utf-8")
    corpus.shapes_file.write_text(original + EXTRA_SHAPE, encoding="utf-8")
    stricter = build(corpus, out)
    assert stricter.exit_code == 1 and {r.report for r in stricter.failures} == {"synth-0001", "synth-0002", "synth-0003"}
    assert all(v.message == "an enterprise has no website (test shape)"
               for r in stricter.failures for v in r.violations)
    assert build(corpus, out).exit_code == 1  # and the failing verdict is not cached as a pass
    corpus.shapes_file.write_text(original, encoding="utf-8")
    assert build(corpus, out).exit_code == 0


def test_the_graph_in_memory_is_built_by_the_builds_path(corpus, tmp_path):
    """Without a fresh out/, later stages build each report as `build` does
    (same quads as the build's out/anze.trig), and a failing report stops them."""
    from anze_kg.build.current import current_quads
    from anze_kg.errors import ValidationFailed
    from anze_kg.graph.formats import parse_quads

    build(corpus, tmp_path / "out")
    assert current_quads(corpus, tmp_path / "elsewhere") == parse_quads(tmp_path / "out" / "anze.trig")
    bad = corpus.reports_dir / "synth-0002" / "facts" / "zz.yaml"
    bad.write_text(SECTORLESS.format(prefix="s0002"), encoding="utf-8")
    with pytest.raises(ValidationFailed) as info:
        current_quads(corpus, tmp_path / "elsewhere")
    assert {v.focus for v in info.value.report.violations} == {
        "https://w3id.org/anze-kg/id/enterprise/s0002-sectorless"}
