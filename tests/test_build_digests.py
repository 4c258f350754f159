"""Input digests read once per process where the files' stat says they are
unchanged (anze_kg.inputs.manifest.digest_files), and never where it does not."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from anze_kg.inputs import manifest


@pytest.fixture
def reads(monkeypatch) -> list[Path]:
    seen: list[Path] = []
    real = Path.read_bytes

    def counting(self):
        seen.append(self)
        return real(self)
    monkeypatch.setattr(Path, "read_bytes", counting)
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
