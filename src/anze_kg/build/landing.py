"""Landing built graphs in a persistent Oxigraph store, incrementally.

The store folder holds ``anze-kg-graphs.json``: for each named graph, the key
of the build entry it holds.  Only graphs whose key changed are replaced
(removed, then bulk loaded from the entry's N-Quads); graphs of reports that
no longer exist are removed.  Before a graph is touched its key is set to
``dirty`` on disk, so a load killed halfway is redone by the next build.

During a build, each report is loaded as soon as its worker is done (the
store fills while the other reports are still being validated), in batches
of about ``BATCH_BYTES`` of N-Quads read straight from the cache entries one
after the other: Oxigraph's bulk loader writes new files on each call, and
its memory grows with the batch (measured: 32 MB of N-Quads, 190 MB peak).
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pyoxigraph as ox

from anze_kg.build.cache import Entry
from anze_kg.errors import StoreError, UsageError
from anze_kg.files import write_files
from anze_kg.inputs.manifest import graph_of
from anze_kg.storespec import disk_spec

MARKER = "anze-kg-graphs.json"
BATCH_BYTES = 32 << 20
BATCH_ENV = "ANZE_KG_LOAD_BATCH_MB"  # overrides BATCH_BYTES (0: load each report on its own)


class Lander:
    """Graphs landed in one Oxigraph store: :meth:`add` while a build runs
    (each conforming report as soon as its worker is done, loaded a batch at
    a time), :meth:`finish` when it is over (whatever is still missing or
    stale, then the graphs of reports that are gone are removed)."""

    def __init__(self, spec: str) -> None:
        self.path = disk_spec(spec, "building into").path
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            self.store = ox.Store(str(self.path))
        except OSError as exc:
            raise StoreError(f"cannot open the Oxigraph store at {self.path}: {exc}") from None
        self.marker = _read_marker(self.path)
        self.pending: dict[str, Entry] = {}
        self.pending_bytes = 0
        self.replaced = 0
        try:
            self.batch_bytes = int(float(os.environ.get(BATCH_ENV, BATCH_BYTES / 2**20)) * 2**20)
        except ValueError:
            raise UsageError(f"{BATCH_ENV} must be a number of megabytes") from None

    def needs(self, graph: str, entry: Entry) -> bool:
        """Whether the store lacks ``entry`` as ``graph`` (and it is not queued)."""
        return self.marker.get(graph) != entry.key and self.pending.get(graph) is not entry

    def add(self, graph: str, entry: Entry) -> None:
        """Queue ``entry`` (a verified cache entry) as the content of ``graph``."""
        if self.marker.get(graph) == entry.key:
            return
        self.pending[graph] = entry
        self.pending_bytes += entry.path("nq").stat().st_size
        if self.pending_bytes >= self.batch_bytes:
            self._load()

    def finish(self, landed: dict[str, Entry]) -> str:
        wanted = {graph_of(unit): entry for unit, entry in landed.items()}
        self.pending = {g: e for g, e in self.pending.items() if wanted.get(g) is e}
        for graph, entry in sorted(wanted.items()):
            self.add(graph, entry)
        self._load()
        removed = 0
        for graph in sorted(set(self.marker) - set(wanted)):
            self.store.remove_graph(ox.NamedNode(graph))
            del self.marker[graph]
            _write_marker(self.path, self.marker)
            removed += 1
        self.store.flush()
        self.store = None  # released: another process may open the folder now
        return f"oxigraph:{self.path}: {self.replaced} graph(s) replaced, {removed} removed, {len(wanted)} held"

    def _load(self) -> None:
        """Replace the pending graphs: marked dirty on disk first, so a load
        killed halfway is redone by the next build."""
        batch, self.pending, self.pending_bytes = dict(sorted(self.pending.items())), {}, 0
        if not batch:
            return
        self.marker.update((graph, "dirty") for graph in batch)
        _write_marker(self.path, self.marker)
        try:
            for graph in batch:
                if self.store.contains_named_graph(ox.NamedNode(graph)):
                    self.store.remove_graph(ox.NamedNode(graph))
            with _Chain([entry.path("nq") for entry in batch.values()]) as stream:
                self.store.bulk_load(input=stream, format=ox.RdfFormat.N_QUADS)
        except (OSError, SyntaxError) as exc:
            raise StoreError(f"cannot load into the Oxigraph store at {self.path}: {exc}",
                             hint="the graphs being loaded stay marked dirty: the next build loads them again") from None
        self.marker.update((graph, entry.key) for graph, entry in batch.items())
        _write_marker(self.path, self.marker)
        self.replaced += len(batch)


class _Chain(io.RawIOBase):
    """The files, read one after the other as one binary stream."""

    def __init__(self, paths: list[Path]) -> None:
        self._paths = list(paths)
        self._current = None

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while True:
            if self._current is None:
                if not self._paths:
                    return 0
                self._current = open(self._paths.pop(0), "rb")
            n = self._current.readinto(buffer)
            if n:
                return n
            self._current.close()
            self._current = None

    def close(self) -> None:
        if self._current is not None:
            self._current.close()
            self._current = None
        super().close()


def _read_marker(path: Path) -> dict:
    try:
        return json.loads((path / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _write_marker(path: Path, marker: dict) -> None:
    write_files({path / MARKER: (json.dumps(marker, indent=1, sort_keys=True) + "\n").encode()})
