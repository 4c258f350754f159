"""One changed report lands in a store on disk by the difference of its two
cache entries (:meth:`anze_kg.build.landing.Lander._patch`), not by
removing and bulk loading its whole graph: the store must end exactly as a
whole load leaves it (each named graph as in ``out/anze.trig``, the default
graph their union as a set), including for a triple another report still
states."""

from __future__ import annotations

import re
import shutil

import pyoxigraph as ox
import pytest
from conftest import copy_project

import anze_kg.build.landing
from anze_kg.build.pipeline import build

WINTER = "https://w3id.org/anze-kg/id/program/winter-action"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


def _rename(project, report: str, english: str) -> None:
    facts = project.reports_dir / report / "facts" / "economy.yaml"
    text, found = re.subn(r"(- id: winter-action\n  type: Program\n  zh: 冬季行动\n  en: )[^\n]*\n", rf"\g<1>{english}\n",
                          facts.read_text(encoding="utf-8"))
    assert found == 1, "the test's fact record moved: update _rename"
    facts.write_text(text, encoding="utf-8")


def _as_built(store_dir, out) -> None:
    """The store holds the named graphs of out/anze.trig and, in the default graph, their union."""
    held = set(ox.Store.read_only(str(store_dir)).quads_for_pattern(None, None, None, None))
    reference = ox.Store()
    reference.load(path=str(out / "anze.trig"), format=ox.RdfFormat.TRIG)
    named = {q for q in reference.quads_for_pattern(None, None, None, None) if not isinstance(q.graph_name, ox.DefaultGraph)}
    union = {ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in named}
    assert held == named | union, (len(held - (named | union)), len((named | union) - held))


def _default_labels(store_dir) -> set[str]:
    store = ox.Store.read_only(str(store_dir))
    return {q.object.value for q in store.quads_for_pattern(ox.NamedNode(WINTER), ox.NamedNode(LABEL), None,
                                                              ox.DefaultGraph())}


@pytest.fixture
def twins(tmp_path):
    """Anze and a second report stating the same facts (so they share the winter action's labels)."""
    project = copy_project(tmp_path / "project")
    twin = project.reports_dir / "anze-twin"
    shutil.copytree(project.reports_dir / "anze-2023", twin)
    meta = twin / "report.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("id: anze-2023", "id: anze-twin", 1), encoding="utf-8")
    return project


def test_a_changed_fact_is_patched_into_the_store_and_the_store_stays_the_build(twins, tmp_path, monkeypatch):
    out, store_dir = tmp_path / "out", tmp_path / "store"
    spec = f"oxigraph:{store_dir}"
    first = build(twins, out, store=spec)
    assert not first.failures, first.failures
    _as_built(store_dir, out)

    def no_whole_load(self, batch):
        raise AssertionError(f"loaded whole: {sorted(batch)}")

    monkeypatch.setattr(anze_kg.build.landing.Lander, "_load_whole", no_whole_load)
    _rename(twins, "anze-2023", "The Winter Action")
    again = build(twins, out, store=spec)
    assert not again.failures and "1 graph(s) replaced" in again.store
    _as_built(store_dir, out)
    # the old label is still stated by the twin: it stays in the default graph beside the new one
    assert {"Winter Action", "The Winter Action"} <= _default_labels(store_dir)
    _rename(twins, "anze-twin", "The Winter Action")
    build(twins, out, store=spec)
    _as_built(store_dir, out)
    assert "Winter Action" not in _default_labels(store_dir)


def test_without_the_held_entry_in_the_cache_the_graph_is_loaded_whole(twins, tmp_path, monkeypatch):
    out, store_dir = tmp_path / "out", tmp_path / "store"
    spec = f"oxigraph:{store_dir}"
    build(twins, out, store=spec)
    for meta in (out / ".cache" / "anze-2023").glob("*.json"):  # a build without the store pruned it, say
        meta.unlink()
    whole = []
    real = anze_kg.build.landing.Lander._load_whole
    monkeypatch.setattr(anze_kg.build.landing.Lander, "_load_whole", lambda self, batch: (whole.append(sorted(batch)),
                                                                                           real(self, batch)))
    _rename(twins, "anze-2023", "The Winter Action")
    assert not build(twins, out, store=spec).failures
    assert whole == [["https://w3id.org/anze-kg/graph/anze-2023"]]
    _as_built(store_dir, out)


def test_a_held_entry_that_does_not_match_its_digest_is_not_patched_from(twins, tmp_path, monkeypatch):
    out, store_dir = tmp_path / "out", tmp_path / "store"
    spec = f"oxigraph:{store_dir}"
    build(twins, out, store=spec)
    [nt] = (out / ".cache" / "anze-2023").glob("*.nt")
    nt.write_bytes(nt.read_bytes().replace(b"Winter Action", b"Winter Actiom"))
    _rename(twins, "anze-2023", "The Winter Action")
    assert not build(twins, out, store=spec).failures
    _as_built(store_dir, out)
    assert "Winter Actiom" not in _default_labels(store_dir)
