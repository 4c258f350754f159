"""Input digests read once per process where the files' stat says they are
unchanged (anze_kg.inputs.manifest.digest_files), and never where it does not."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import copy_project

import anze_kg.build.outputs as outputs
from anze_kg.build.pipeline import build
from anze_kg.inputs import manifest


def _new_process(monkeypatch, settled: bool = False) -> None:
    """The memo as a new process finds it (empty); ``settled``: every file counts as settled."""
    if settled:
        monkeypatch.setattr(manifest, "SETTLED_S", -3600.0)
    monkeypatch.setattr(manifest, "_KNOWN", {})
    monkeypatch.setattr(manifest, "_USED", set())


@pytest.fixture
def reads(monkeypatch) -> list[Path]:
    seen: list[Path] = []
    real = Path.read_bytes

    def counting(self):
        seen.append(self)
        return real(self)
    monkeypatch.setattr(Path, "read_bytes", counting)
    real_read = manifest._read

    def counting_read(name):
        seen.append(Path(name))
        return real_read(name)
    monkeypatch.setattr(manifest, "_read", counting_read)
    monkeypatch.setattr(manifest, "_KNOWN", {})
    return seen


def test_settled_files_are_read_once(tmp_path, reads, monkeypatch):
    monkeypatch.setattr(manifest, "SETTLED_S", -3600.0)  # every file counts as settled
    files = [tmp_path / "a.yaml", tmp_path / "b.yaml"]
    for i, f in enumerate(files):
        f.write_text(f"value: {i}\n")
    first = manifest.digest_files(files, "extra")
    assert manifest.digest_files(files, "extra") == first
    assert len(reads) == 2
    assert manifest.digest_files(files, "other") != first  # the extra is part of the key
    assert len(reads) == 4


def test_a_file_written_since_is_read_again(tmp_path, reads, monkeypatch):
    monkeypatch.setattr(manifest, "SETTLED_S", -3600.0)
    f = tmp_path / "facts.yaml"
    f.write_text("value: 1\n")
    first = manifest.digest_files([f])
    f.write_text("value: 2\n")  # same size
    st = f.stat()
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    second = manifest.digest_files([f])
    assert second != first
    f.write_text("value: 22\n")
    assert manifest.digest_files([f]) not in (first, second)
    assert len(reads) == 3


def test_a_file_changed_just_before_it_was_read_is_never_trusted(tmp_path, reads):
    f = tmp_path / "facts.yaml"
    f.write_text("value: 1\n")  # its change time is now: within SETTLED_S of the read
    first = manifest.digest_files([f])
    assert manifest.digest_files([f]) == first
    assert len(reads) == 2
    assert manifest._KNOWN == {}


def test_missing_files_are_not_remembered(tmp_path, reads, monkeypatch):
    monkeypatch.setattr(manifest, "SETTLED_S", -3600.0)
    f = tmp_path / "gone.yaml"
    missing = manifest.digest_files([f])
    f.write_text("value: 1\n")
    assert manifest.digest_files([f]) != missing


def test_the_memo_a_build_keeps_spares_the_next_process_reading_its_inputs(tmp_path, reads, monkeypatch):
    monkeypatch.setattr(manifest, "SETTLED_S", -3600.0)
    monkeypatch.setattr(manifest, "_USED", set())
    files = [tmp_path / "a.yaml", tmp_path / "b.yaml"]
    for i, f in enumerate(files):
        f.write_text(f"value: {i}\n")
    first = manifest.digest_files(files, "extra")
    memo = tmp_path / "cache" / "inputs.json"
    manifest.save_memo(memo)
    monkeypatch.setattr(manifest, "_KNOWN", {})  # a new process
    monkeypatch.setattr(manifest, "_USED", set())
    manifest.load_memo(memo)
    assert manifest.digest_files(files, "extra") == first
    assert len(reads) == 2  # read once, by the first process
    files[1].write_text("value: 9\n")  # same size: only the stat tells
    assert manifest.digest_files(files, "extra") != first
    assert len(reads) == 4


def test_a_memo_entry_for_a_file_written_since_is_not_trusted(tmp_path, reads, monkeypatch):
    monkeypatch.setattr(manifest, "SETTLED_S", -3600.0)
    monkeypatch.setattr(manifest, "_USED", set())
    f = tmp_path / "facts.yaml"
    f.write_text("value: 1\n")
    real = manifest.digest_files([f])
    memo = tmp_path / "inputs.json"
    manifest.save_memo(memo)
    f.write_text("value: 2\n")
    st = f.stat()
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    monkeypatch.setattr(manifest, "_KNOWN", {})
    manifest.load_memo(memo)
    assert manifest.digest_files([f]) != real
    assert len(reads) == 2


@pytest.mark.parametrize("text", ["", "{", "[]", '{"version": 1, "digests": [["x", ["a"], [[1, 2]], "d"]]}',
                                  '{"version": 99, "digests": []}', '{"version": 1, "digests": [[1]]}'])
def test_a_memo_that_does_not_read_is_ignored(tmp_path, reads, monkeypatch, text):
    monkeypatch.setattr(manifest, "SETTLED_S", -3600.0)
    f = tmp_path / "facts.yaml"
    f.write_text("value: 1\n")
    memo = tmp_path / "inputs.json"
    memo.write_text(text)
    manifest.load_memo(memo)
    assert manifest._KNOWN == {}
    manifest.digest_files([f])
    assert len(reads) == 1


def test_save_keeps_only_what_was_asked_for(tmp_path, reads, monkeypatch):
    monkeypatch.setattr(manifest, "SETTLED_S", -3600.0)
    monkeypatch.setattr(manifest, "_USED", set())
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old.write_text("a: 1\n")
    new.write_text("a: 2\n")
    manifest.digest_files([old])
    manifest.save_memo(tmp_path / "m1.json")
    monkeypatch.setattr(manifest, "_KNOWN", {})
    monkeypatch.setattr(manifest, "_USED", set())
    manifest.load_memo(tmp_path / "m1.json")
    manifest.digest_files([new])  # the next build's inputs: old.yaml is no longer one
    manifest.save_memo(tmp_path / "m2.json")
    rows = json.loads((tmp_path / "m2.json").read_text())["digests"]
    assert [names for _, names, _, _ in rows] == [[str(new)]]


def test_a_build_in_a_new_process_reads_only_the_inputs_that_changed(tmp_path, reads, monkeypatch):
    _new_process(monkeypatch, settled=True)
    project = copy_project(tmp_path / "project")
    out = tmp_path / "out"
    first = build(project, out, outputs=False)
    assert first.exit_code == 0 and (out / ".cache" / "inputs.json").is_file()
    _new_process(monkeypatch)  # the next `anze-kg build`
    reads.clear()
    facts = project.reports_dir / "anze-2023" / "facts" / "economy.yaml"
    facts.write_text(facts.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    again = build(project, out, outputs=False)
    assert [r.report for r in again.results if r.status == "built"] == ["anze-2023"]
    inputs = {p for p in reads if project.root in p.parents and p.suffix in (".yaml", ".txt", ".ttl")}
    assert facts in inputs and all(p.parent.parent.name == "anze-2023" or p.parent.name == "anze-2023" for p in inputs), \
        sorted(map(str, inputs))


def test_out_copies_fragments_checked_by_an_earlier_build_without_hashing_them_again(tmp_path, monkeypatch):
    _new_process(monkeypatch, settled=True)
    project = copy_project(tmp_path / "project")
    out = tmp_path / "out"
    assert build(project, out).exit_code == 0
    hashed = []
    real = outputs.hashlib.sha256

    class Counting:  # outputs' digests, the only ones started empty
        def __init__(self, *data):
            hashed.extend([] if data else [1])
            self.inner = real(*data)

        def update(self, data):
            self.inner.update(data)

        def hexdigest(self):
            return self.inner.hexdigest()
    monkeypatch.setattr(outputs.hashlib, "sha256", Counting)
    _new_process(monkeypatch)  # the next `anze-kg build`
    facts = project.reports_dir / "anze-2023" / "facts" / "economy.yaml"
    facts.write_text(facts.read_text(encoding="utf-8").replace("\n  en: ", "\n  en: A ", 1), encoding="utf-8")
    again = build(project, out)
    monkeypatch.setattr(outputs.hashlib, "sha256", real)
    reports = len([u for u in again.landed if u not in manifest.SHARED_UNITS])
    assert again.changed and reports >= 1  # with the ontology and vocabulary: 3 x (2 + reports) fragments
    assert len(hashed) == len(manifest.OUTPUTS)  # the changed report's ttl, nt and trig, nothing else
    whole = b"".join(e.path("trig").read_bytes() for e in outputs.ordered(again.landed))
    assert (out / "anze.trig").read_bytes() == whole


def test_a_fragment_written_after_an_earlier_build_checked_it_is_checked_again(tmp_path, monkeypatch):
    _new_process(monkeypatch, settled=True)
    project = copy_project(tmp_path / "project")
    out = tmp_path / "out"
    first = build(project, out)
    good = (out / "anze.trig").read_bytes()
    fragment = first.landed["anze-2023"].path("trig")  # checked only as out/ is written
    data = fragment.read_bytes()
    fragment.write_bytes(data.replace(b"@zh", b"@ja", 1))  # same size, other bytes: only its change time tells
    monkeypatch.setattr(manifest, "_KNOWN", {})
    monkeypatch.setattr(manifest, "_USED", set())
    (out / "anze.trig").unlink()  # so the next build writes out/ again
    assert build(project, out).exit_code == 0
    assert (out / "anze.trig").read_bytes() == good


def test_a_new_process_reads_no_cache_entry_metadata_an_earlier_build_read(tmp_path, monkeypatch):
    _new_process(monkeypatch, settled=True)
    project = copy_project(tmp_path / "project", ("anze-2023", "hailar-gwr-2012"))
    out = tmp_path / "out"
    assert build(project, out, outputs=False).exit_code == 0
    assert build(project, out, outputs=False, jobs=1).exit_code == 0  # reads the entries written by the first
    opened: list[str] = []
    real = Path.read_text

    def counting(self, *args, **kwargs):
        if self.suffix == ".json" and ".cache" in self.parts:
            opened.append(self.parent.name)
        return real(self, *args, **kwargs)
    monkeypatch.setattr(Path, "read_text", counting)
    _new_process(monkeypatch, settled=True)  # the next `anze-kg build`
    facts = project.reports_dir / "anze-2023" / "facts" / "economy.yaml"
    facts.write_text(facts.read_text(encoding="utf-8").replace("\n  en: ", "\n  en: A ", 1), encoding="utf-8")
    again = build(project, out, outputs=False)
    assert [r.report for r in again.results if r.status == "built"] == ["anze-2023"]
    assert again.landed["hailar-gwr-2012"].triples > 0
    assert "hailar-gwr-2012" not in opened, opened  # from the memo
    corrupt = out / ".cache" / "hailar-gwr-2012" / f"{again.landed['hailar-gwr-2012'].key}.json"
    corrupt.write_text("{", encoding="utf-8")  # rewritten: its stat is no longer the memo's
    _new_process(monkeypatch, settled=True)
    opened.clear()
    assert build(project, out, outputs=False).exit_code == 0
    assert "hailar-gwr-2012" in opened  # read again, found corrupt, rebuilt
    assert json.loads(corrupt.read_text(encoding="utf-8"))["triples"] == again.landed["hailar-gwr-2012"].triples


def test_the_cache_keeps_one_entry_per_unit_and_no_folder_of_a_removed_report(tmp_path):
    project = copy_project(tmp_path / "project", ("anze-2023", "hailar-gwr-2012"))
    out = tmp_path / "out"
    first = build(project, out, outputs=False)
    facts = project.reports_dir / "anze-2023" / "facts" / "economy.yaml"
    facts.write_text(facts.read_text(encoding="utf-8").replace("\n  en: ", "\n  en: A ", 1), encoding="utf-8")
    stray = out / ".cache" / "hailar-gwr-2012" / "0123.nq"  # left by a build killed halfway, say
    stray.write_text("", encoding="utf-8")
    again = build(project, out, outputs=False)
    new, old = again.landed["anze-2023"].key, first.landed["anze-2023"].key
    assert new != old
    assert sorted(p.name for p in (out / ".cache" / "anze-2023").iterdir()) == sorted(
        f"{new}.{ext}" for ext in ("json", "nq", "nt", "ttl", "trig"))
    assert not stray.exists()
    import shutil  # deferred: only this test removes a report
    shutil.rmtree(project.reports_dir / "hailar-gwr-2012")
    assert build(project, out, outputs=False).exit_code == 0
    assert not (out / ".cache" / "hailar-gwr-2012").exists() and (out / ".cache" / "anze-2023").is_dir()
