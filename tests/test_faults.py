"""Faults in the middle of a job leave nothing half-done: the build's outputs
are replaced whole or not at all, a store load that fails stays marked dirty
and is redone, and a query on a bare pyoxigraph store is killed at its limit.
Each fault is planted with a patch on the one function that does the writing,
so these tests fail if that function stops being the only path."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap

import pyoxigraph as ox
import pytest
from conftest import REPO, copy_project

import anze_kg.build.landing
import anze_kg.build.outputs
from anze_kg.build.landing import MARKER
from anze_kg.build.pipeline import build
from anze_kg.errors import OutputError, StoreError

GRAPH = "https://w3id.org/anze-kg/graph/anze-2023"
WINTER = "https://w3id.org/anze-kg/id/program/winter-action"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
DUMPS = ("anze.ttl", "anze.nt", "anze.trig", "build.json")


def _rename_winter_action(project, english: str) -> None:
    facts = project.reports_dir / "anze-2023" / "facts" / "economy.yaml"
    text, found = re.subn(r"(- id: winter-action\n  type: Program\n  zh: 冬季行动\n  en: )[^\n]*\n", rf"\g<1>{english}\n",
                          facts.read_text(encoding="utf-8"))
    assert found == 1, "the test's fact record moved: update _rename_winter_action"
    facts.write_text(text, encoding="utf-8")


def _snapshot(out):
    return {name: ((out / name).read_bytes(), (out / name).stat().st_ino) for name in DUMPS}


def test_a_failed_rewrite_of_the_outputs_leaves_the_old_ones_whole(tmp_path, monkeypatch):
    project = copy_project(tmp_path / "project")
    out = tmp_path / "out"
    build(project, out)
    before = _snapshot(out)
    _rename_winter_action(project, "The Winter Action")
    real = anze_kg.build.outputs._concatenate

    def half_then_disk_full(handle, entries, fragment):
        handle.write(b"<half a line")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(anze_kg.build.outputs, "_concatenate", half_then_disk_full)
    with pytest.raises(OutputError):
        build(project, out)
    assert _snapshot(out) == before, "an output was changed by a rewrite that failed"
    assert not [p.name for p in out.iterdir() if p.name.endswith(".tmp")], "a temporary file was left in out/"
    monkeypatch.setattr(anze_kg.build.outputs, "_concatenate", real)
    build(project, out)
    after = _snapshot(out)
    for name in DUMPS:  # replaced by a rename: a new file, never the old one written over
        assert after[name][1] != before[name][1] and after[name][0] != before[name][0], name
    assert b"The Winter Action" in (out / "anze.nt").read_bytes()


def test_anze_nt_is_sorted_within_each_graph(built):
    """anze.nt is the sorted lines of each unit (vocabularies, ontology, reports), one after
    the other: lines go down in order at most once per boundary between graphs."""
    lines = (built[1] / "anze.nt").read_bytes().splitlines()
    graphs = len(json.loads((built[1] / "build.json").read_text(encoding="utf-8"))["units"])
    descents = sum(1 for a, b in zip(lines, lines[1:]) if b < a)
    assert len(lines) > 6000 and descents <= graphs - 1, (descents, graphs)


def _winter_labels(store_dir) -> set[str]:
    store = ox.Store.read_only(str(store_dir))
    return {b["l"].value for b in store.query(
        f"SELECT ?l WHERE {{ GRAPH <{GRAPH}> {{ <{WINTER}> <{LABEL}> ?l }} }}")}


def test_a_store_load_that_fails_stays_dirty_and_the_next_build_redoes_it(tmp_path, monkeypatch):
    project = copy_project(tmp_path / "project")
    out, store_dir = tmp_path / "out", tmp_path / "store"
    spec = f"oxigraph:{store_dir}"
    build(project, out, store=spec)
    assert "Winter Action" in _winter_labels(store_dir)
    _rename_winter_action(project, "The Winter Action")

    def broken_read(self, buffer):
        raise OSError(5, "Input/output error")

    real = anze_kg.build.landing._Chain.readinto
    monkeypatch.setattr(anze_kg.build.landing._Chain, "readinto", broken_read)
    with pytest.raises(StoreError, match="stay marked dirty"):
        build(project, out, store=spec)
    marker = json.loads((store_dir / MARKER).read_text(encoding="utf-8"))
    assert marker["graphs"][GRAPH] == "dirty" and marker["default graph"] == "dirty"
    monkeypatch.setattr(anze_kg.build.landing._Chain, "readinto", real)
    # Back to the first facts: the cache already holds that unit, but the store does not
    # (whatever the failed load left), so the build must load it again.
    _rename_winter_action(project, "Winter Action")
    again = build(project, out, store=spec)
    assert "1 graph(s) replaced" in again.store
    marker = json.loads((store_dir / MARKER).read_text(encoding="utf-8"))
    assert marker["graphs"][GRAPH] != "dirty" and marker["default graph"] == "union"
    labels = _winter_labels(store_dir)
    assert "Winter Action" in labels and "The Winter Action" not in labels
    reference = ox.Store()
    reference.load(path=str(out / "anze.trig"), format=ox.RdfFormat.TRIG)
    held = ox.Store.read_only(str(store_dir))
    graph = ox.NamedNode(GRAPH)
    assert set(held.quads_for_pattern(None, None, None, graph)) == set(reference.quads_for_pattern(None, None, None, graph))


CHILD = textwrap.dedent("""
    import pyoxigraph as ox
    from anze_kg.errors import QueryError
    from anze_kg.sparql.evaluate import run_query
    store = ox.Store()
    ex = lambda i: ox.NamedNode(f"http://example.org/{i}")
    store.extend(ox.Quad(ex(i), ex("p"), ex(i + 1), ox.DefaultGraph()) for i in range(400))
    try:
        run_query(store, "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }", timeout_s=1)
    except QueryError as exc:
        print("stopped:", exc)
    else:
        print("answered")
""")


def test_a_query_on_a_bare_pyoxigraph_store_is_killed_at_its_limit():
    """run_query on a bare pyoxigraph store (the library path, no worker) runs the query in a
    child killed at the deadline: 400⁴ rows to count would take hours."""
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    child = subprocess.Popen([sys.executable, "-c", CHILD], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, env=env, start_new_session=True)
    try:
        stdout, stderr = child.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, 9)
        child.communicate()
        pytest.fail("run_query on a bare store was not stopped at its 1 s limit (killed after 60 s)")
    assert child.returncode == 0, stderr
    assert stdout.startswith("stopped:") and "time limit of 1 s" in stdout, stdout


def test_an_input_changed_while_the_build_ran_fails_it_and_keeps_nothing_of_it(tmp_path, monkeypatch, capsys):
    """The facts change after the build read its keys and before the worker read the
    facts: the graph comes from the new facts, the key from the old.  The build must
    fail, write nothing, keep no cache entry under the old key, and mark the store's
    graph dirty; once the old facts are back, a build gives the old graph."""
    import anze_kg.build.pipeline
    from anze_kg.cli import main

    project = copy_project(tmp_path / "project")
    out, store_dir = tmp_path / "out", tmp_path / "store"
    spec = f"oxigraph:{store_dir}"
    build(project, out, store=spec)
    _rename_winter_action(project, "The Winter Action")
    build(project, out, store=spec)  # the cache now lacks the first facts' entry
    before = _snapshot(out)
    real = anze_kg.build.pipeline._run_reports

    def edited_meanwhile(*args, **kwargs):
        _rename_winter_action(project, "Winter Action")  # after the keys were read
        return real(*args, **kwargs)

    _rename_winter_action(project, "A Third Name")
    monkeypatch.setattr(anze_kg.build.pipeline, "_run_reports", edited_meanwhile)
    capsys.readouterr()
    assert main(["--project", str(project.root), "build", "--out", str(out), "--store", spec]) == 2
    err = capsys.readouterr().err
    assert "the inputs of anze-2023 changed while the build ran" in err and "nothing was written" in err
    assert _snapshot(out) == before
    marker = json.loads((store_dir / MARKER).read_text(encoding="utf-8"))
    assert marker["graphs"][GRAPH] == "dirty"
    monkeypatch.setattr(anze_kg.build.pipeline, "_run_reports", real)
    _rename_winter_action(project, "A Third Name")  # the key the failed build used
    build(project, out, store=spec)
    assert b"A Third Name" in (out / "anze.nt").read_bytes()
    assert b'"Winter Action"@en' not in (out / "anze.nt").read_bytes()
    assert "A Third Name" in _winter_labels(store_dir)


def test_a_file_where_a_cache_folder_goes_does_not_block_builds(tmp_path):
    project = copy_project(tmp_path / "project")
    out = tmp_path / "out"
    build(project, out)
    shutil.rmtree(out / ".cache" / "anze-2023")
    (out / ".cache" / "anze-2023").write_text("not a folder", encoding="utf-8")
    assert build(project, out).exit_code == 0
    assert (out / ".cache" / "anze-2023").is_dir()


def test_a_truncated_output_is_never_read_and_the_next_build_repairs_it(tmp_path):
    from anze_kg.sparql.evaluate import answer

    project = copy_project(tmp_path / "project")
    out = tmp_path / "out"
    build(project, out)
    whole = (out / "anze.trig").read_bytes()
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    full = answer(project, out, sparql=count).rows[0][0].value
    (out / "anze.trig").write_bytes(whole[: len(whole) // 2].rsplit(b"\n", 1)[0] + b"\n")  # cut at a line: still parses
    assert answer(project, out, sparql=count).rows[0][0].value == full  # not the half file
    again = build(project, out)
    assert again.changed and (out / "anze.trig").read_bytes() == whole


def test_a_full_disk_names_the_file_and_leaves_no_temporaries(tmp_path, monkeypatch):
    import io

    import anze_kg.files
    from anze_kg.files import write_files

    class Full(io.BytesIO):
        def write(self, data):
            raise OSError(28, "No space left on device")

    real = anze_kg.files.os.fdopen
    opened = []

    def fdopen(fd, mode="r", *args, **kwargs):
        opened.append(fd)
        handle = real(fd, mode, *args, **kwargs)
        return Full() if len(opened) == 2 else handle  # the second file's disk is full

    monkeypatch.setattr(anze_kg.files.os, "fdopen", fdopen)
    (tmp_path / "a.txt").write_bytes(b"old a")
    with pytest.raises(OutputError) as caught:
        write_files({tmp_path / "a.txt": b"new a", tmp_path / "b.txt": b"new b"})
    assert f"cannot write {tmp_path / 'b.txt'}: No space left on device" in str(caught.value)
    assert (tmp_path / "a.txt").read_bytes() == b"old a" and not (tmp_path / "b.txt").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]
