"""``build --per-report-files``: out/graphs/{unit}.ttl, .nt and .trig, one graph
each, in place of the one-file dumps, so one changed report rewrites only its
own three files; the same bytes the dumps are made of."""

from __future__ import annotations

import subprocess
import sys

import pyoxigraph as ox
import pytest
from conftest import copy_project

import anze_kg.build.outputs as outputs
from anze_kg.build.outputs import GRAPH_FILES, ordered
from anze_kg.build.pipeline import build
from anze_kg.inputs.manifest import OUTPUTS, read_manifest, union_files

REPORTS = ("anze-2023", "zizhou-2023")


@pytest.fixture
def project(tmp_path):
    return copy_project(tmp_path / "project", REPORTS)


def _inodes(folder):
    return {p.name: p.stat().st_ino for p in folder.iterdir()}


def test_each_graph_is_its_own_file_and_together_they_are_the_dump(project, tmp_path):
    dumps, graphs = tmp_path / "dumps", tmp_path / "graphs"
    assert build(project, dumps).exit_code == 0
    outcome = build(project, graphs, per_report=True)
    assert outcome.exit_code == 0
    folder = graphs / GRAPH_FILES
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        f"{u}.{f}" for u in ("ontology", "vocab", *REPORTS) for f in ("ttl", "nt", "trig"))
    assert not any((graphs / name).exists() for name in OUTPUTS)
    assert read_manifest(graphs)["graph_files"] == GRAPH_FILES and read_manifest(graphs)["outputs"] == []
    for fragment in ("trig", "nt", "ttl"):
        joined = b"".join((folder / f"{e.unit}.{fragment}").read_bytes() for e in ordered(outcome.landed))
        assert joined == (dumps / f"anze.{fragment}").read_bytes()
    store = ox.Store()
    store.load(path=str(folder / "zizhou-2023.trig"), format=ox.RdfFormat.TRIG)
    assert {str(g) for g in store.named_graphs()} == {"<https://w3id.org/anze-kg/graph/zizhou-2023>"}


def test_one_changed_report_rewrites_only_its_own_files(project, tmp_path, monkeypatch):
    out = tmp_path / "out"
    build(project, out, per_report=True)
    before = _inodes(out / GRAPH_FILES)
    linked = []
    real = outputs._link
    monkeypatch.setattr(outputs, "_link", lambda source, target: (linked.append(target.name), real(source, target)))
    first = project.reports_dir / "zizhou-2023" / "facts" / "overview.yaml"
    text = first.read_text(encoding="utf-8")
    assert "\n  en: " in text, "the test's fact file has no English label: pick another"
    first.write_text(text.replace("\n  en: ", "\n  en: Changed ", 1), encoding="utf-8")
    outcome = build(project, out, per_report=True)
    assert [r.report for r in outcome.results if r.status == "built"] == ["zizhou-2023"]
    after = _inodes(out / GRAPH_FILES)
    mine = ["zizhou-2023.nt", "zizhou-2023.trig", "zizhou-2023.ttl"]
    assert sorted(n for n in after if after[n] != before[n]) == mine and sorted(linked) == mine
    assert b"Changed " in (out / GRAPH_FILES / "zizhou-2023.ttl").read_bytes()
    assert (out / GRAPH_FILES / "zizhou-2023.ttl").read_bytes() == outcome.landed["zizhou-2023"].path("ttl").read_bytes()


def test_a_removed_report_takes_its_files_and_switching_layouts_leaves_no_stale_file(project, tmp_path):
    out = tmp_path / "out"
    build(project, out)
    assert (out / "anze.trig").is_file()
    build(project, out, per_report=True)
    assert not (out / "anze.trig").exists() and (out / GRAPH_FILES / "zizhou-2023.trig").is_file()
    for path in sorted((project.reports_dir / "zizhou-2023").rglob("*"), reverse=True):
        path.rmdir() if path.is_dir() else path.unlink()
    (project.reports_dir / "zizhou-2023").rmdir()
    build(project, out, per_report=True)
    assert not any(p.name.startswith("zizhou") for p in (out / GRAPH_FILES).iterdir())
    build(project, out)
    assert (out / "anze.trig").is_file() and not (out / GRAPH_FILES).exists()
    assert "graph_files" not in read_manifest(out)


def test_a_cache_fragment_changed_behind_the_build_is_never_linked(project, tmp_path):
    out = tmp_path / "out"
    good = build(project, out, per_report=True)
    reference = (out / GRAPH_FILES / "zizhou-2023.trig").read_bytes()
    (out / GRAPH_FILES / "zizhou-2023.trig").unlink()  # so the next build puts it back
    fragment = good.landed["zizhou-2023"].path("trig")
    fragment.write_bytes(fragment.read_bytes().replace(b"@zh", b"@ja", 1))
    assert build(project, out, per_report=True).exit_code == 0
    assert (out / GRAPH_FILES / "zizhou-2023.trig").read_bytes() == reference


def test_no_files_and_per_report_files_do_not_go_together(project, tmp_path):
    done = subprocess.run([sys.executable, "-m", "anze_kg", "--project", str(project.root), "build", "--out",
                           str(tmp_path / "out"), "--no-files", "--per-report-files"], capture_output=True, text=True)
    assert done.returncode == 2 and "not allowed with" in done.stderr
    assert not (tmp_path / "out").exists()


def test_validate_reads_the_per_report_files_when_the_build_wrote_them(project, tmp_path):
    out = tmp_path / "out"
    build(project, out, per_report=True)
    assert union_files(out) == [out / GRAPH_FILES / f"{u}.ttl" for u in ("ontology", "vocab", *REPORTS)]
    done = subprocess.run([sys.executable, "-m", "anze_kg", "--project", str(project.root), "validate", "--out",
                           str(out)], capture_output=True, text=True)
    assert done.returncode == 0 and "conforms" in done.stdout.lower(), done.stdout + done.stderr
    bad = out / GRAPH_FILES / "zizhou-2023.ttl"
    bad.unlink()
    bad.write_text("@prefix x: <urn:x#> .\nx:a x:b x:c .\n", encoding="utf-8")
    assert build(project, out, per_report=True).exit_code == 0  # put back: it is not the cache's fragment
    assert "urn:x#" not in bad.read_text(encoding="utf-8")
    build(project, out)
    assert union_files(out) == [out / "anze.ttl"]


def test_a_corrupt_entry_replaces_no_file_before_it_is_rebuilt(project, tmp_path, monkeypatch):
    out = tmp_path / "out"
    first = build(project, out, per_report=True)
    (out / GRAPH_FILES / "anze-2023.ttl").unlink()
    (out / GRAPH_FILES / "zizhou-2023.ttl").unlink()
    fragment = first.landed["zizhou-2023"].path("ttl")
    fragment.write_bytes(fragment.read_bytes().replace(b"@zh", b"@ja", 1))
    landed = {u: first.landed[u] for u in ("ontology", "vocab", "anze-2023", "zizhou-2023")}  # anze-2023's first
    with pytest.raises(outputs.CorruptEntry):
        outputs.write_graph_files(out, landed)
    assert not (out / GRAPH_FILES / "anze-2023.ttl").exists()
