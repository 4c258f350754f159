"""``out/``: the corpus dumps (``anze.ttl``, ``anze.nt``, ``anze.trig``) and
``build.json``, written from the landed cache entries.

Each dump is the concatenation of the units' fragments (ontology, vocabulary,
then the reports by id), streamed, each fragment checked against its digest
on the way; the files are written side by side in threads (file I/O and
hashing release the GIL: at 1,000 reports that is 3 GB, most of what an
incremental rebuild costs), all through one :func:`anze_kg.files.replacing`,
so either every file is replaced or none is.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import BinaryIO

from anze_kg.build.cache import Entry
from anze_kg.errors import OutputError
from anze_kg.files import replacing
from anze_kg.inputs.manifest import (
    MANIFEST,
    OUTPUTS,
    known_sha256,
    note_sha256,
    unit_order,
)

GRAPH_FILES = "graphs"  # out/graphs/{unit}.ttl, .nt, .trig: one report's graph per file (build --per-report-files)
GRAPH_FRAGMENTS = ("ttl", "nt", "trig")


class CorruptEntry(Exception):
    """A cache entry's fragment is missing or does not match its digest (nothing was renamed)."""

    def __init__(self, unit: str) -> None:
        super().__init__(unit)
        self.unit = unit


def ordered(landed: dict[str, Entry]) -> list[Entry]:
    """The shared units first, then the reports by id."""
    return [landed[u] for u in unit_order(landed)]


def write_outputs(out_dir: Path, landed: dict[str, Entry], names: list[str], manifest: dict) -> list[Path]:
    """Write the dumps ``names`` (of OUTPUTS) and ``build.json``; all or nothing.
    Raises :class:`CorruptEntry` (nothing written) or OutputError."""
    files = [out_dir / name for name in names]
    entries = ordered(landed)
    # The size of each output, recorded so that a later reader can tell a truncated file
    # (a full disk, a copy cut short) from the one this build wrote.
    manifest = {**manifest, "sizes": {path.name: _size(entries, OUTPUTS[path.name]) for path in files}}
    with replacing([*files, out_dir / MANIFEST]) as handles:
        with ThreadPoolExecutor(max_workers=max(1, len(files))) as pool:
            for done in [pool.submit(_concatenate, handles[path], entries, OUTPUTS[path.name]) for path in files]:
                done.result()
        handles[out_dir / MANIFEST].write((json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode())
    return [*files, out_dir / MANIFEST]


def _size(entries: list[Entry], fragment: str) -> int:
    total = 0
    for entry in entries:
        try:
            total += entry.path(fragment).stat().st_size
        except FileNotFoundError:
            raise CorruptEntry(entry.unit) from None
    return total


def _concatenate(handle: BinaryIO, entries: list[Entry], fragment: str) -> None:
    """Copy each entry's fragment into ``handle``, checked against its digest on
    the way, except a fragment the build memo says has that digest for its
    stat as it is now (checked by an earlier build and not written since:
    :func:`anze_kg.inputs.manifest.known_sha256`); at 1,000 reports hashing
    the 2.3 GB again took most of a one-report rebuild's time in ``out/``."""
    for entry in entries:
        path, expected = entry.path(fragment), entry.digests.get(fragment)
        known, stat = known_sha256(path)
        read_at = time.time_ns()
        digest = None if known == expected else hashlib.sha256()
        try:
            part = open(path, "rb")
        except FileNotFoundError:
            raise CorruptEntry(entry.unit) from None
        with part:
            while chunk := part.read(1 << 20):
                if digest is not None:
                    digest.update(chunk)
                handle.write(chunk)
        if digest is not None:
            if digest.hexdigest() != expected:
                raise CorruptEntry(entry.unit)
            note_sha256(path, expected, stat, read_at)


def write_graph_files(out_dir: Path, landed: dict[str, Entry]) -> list[Path]:
    """``out/graphs/{unit}.ttl``, ``.nt`` and ``.trig`` for every landed unit:
    hard links to the cache entry's fragments (a copy where the file system
    has none), each checked against its digest first and put in place by a
    rename (all checked before the first is replaced: a corrupt entry leaves
    every file as it was); a file that already is the entry's fragment is left as it is, so
    one changed report rewrites its own three files and nothing else.  The
    files of units no longer landed are removed.  Raises :class:`CorruptEntry`."""
    folder = out_dir / GRAPH_FILES
    try:
        folder.mkdir(parents=True, exist_ok=True)
        files, todo = [], []
        for unit, entry in landed.items():
            for fragment in GRAPH_FRAGMENTS:
                source, target = entry.path(fragment), folder / f"{unit}.{fragment}"
                files.append(target)
                if not _same_file(source, target):
                    _check(entry, fragment)  # every fragment checked before any file is replaced
                    todo.append((source, target))
        for source, target in todo:
            _link(source, target)
        wanted = set(files)
        for path in folder.iterdir():
            if path not in wanted:
                path.unlink()
    except OSError as exc:
        raise OutputError(f"cannot write {folder}: {exc.strerror or exc}") from None
    return files


def remove_graph_files(out_dir: Path) -> None:
    """Remove ``out/graphs/`` (written by an earlier build with per-report files)."""
    folder = out_dir / GRAPH_FILES
    if folder.is_dir():
        for path in folder.iterdir():
            path.unlink(missing_ok=True)
        folder.rmdir()


def graph_files_whole(out_dir: Path, landed: dict[str, Entry]) -> bool:
    """Whether ``out/graphs/`` holds exactly the landed units' fragments."""
    folder = out_dir / GRAPH_FILES
    wanted = {folder / f"{u}.{f}" for u in landed for f in GRAPH_FRAGMENTS}
    try:
        present = set(folder.iterdir())
    except OSError:
        return False
    return present == wanted and all(_same_file(e.path(f), folder / f"{u}.{f}")
                                     for u, e in landed.items() for f in GRAPH_FRAGMENTS)


def _same_file(source: Path, target: Path) -> bool:
    try:
        return os.path.samefile(source, target)
    except OSError:
        return False


def _check(entry: Entry, fragment: str) -> None:
    path, expected = entry.path(fragment), entry.digests.get(fragment)
    known, stat = known_sha256(path)
    if known == expected:
        return
    read_at = time.time_ns()
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise CorruptEntry(entry.unit) from None
    if hashlib.sha256(data).hexdigest() != expected:
        raise CorruptEntry(entry.unit)
    note_sha256(path, expected, stat, read_at)


def _link(source: Path, target: Path) -> None:
    staged = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    staged.unlink(missing_ok=True)
    try:
        os.link(source, staged)
    except OSError:  # no hard links here (another file system, a FAT disk): a copy
        shutil.copyfile(source, staged)
    os.replace(staged, target)
