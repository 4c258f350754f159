"""Landing built graphs in a persistent Oxigraph store, incrementally.

The store folder holds ``anze-kg-graphs.json`` (:class:`anze_kg.storespec.Marker`):
for each named graph, the key of the build entry it holds.  Only graphs whose
key changed are replaced: by the difference between the entry the store
holds and the new one when the held entry is still in the cache and matches
its digest (one changed fact changes a few quads, not the whole graph twice),
else removed and bulk loaded from the entry's N-Quads; graphs of reports
that no longer exist are removed.  Before a graph
is touched its key is set to ``dirty`` on disk, so a load killed halfway is
redone by the next build, and queries refuse a store left that way.

The store's default graph holds the union of its named graphs **as a set**:
every triple once, however many reports state it.  (Oxigraph's own union
view, ``use_default_graph_as_union``, returns a triple once per graph that
holds it, so an entity two reports share would be counted twice.)  It is
kept up to date with each load: the triples of a replaced or removed graph
leave the default graph unless another named graph still holds them, and the
new graph's triples are added.  While that runs the marker's default graph
is ``dirty``; a build that finds it so (or a store from before the default
graph was kept) rebuilds the default graph from the named graphs.

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
from anze_kg.inputs.manifest import graph_of, sha256
from anze_kg.storespec import DIRTY, MARKER, UNION, Marker, disk_spec, read_marker

BATCH_BYTES = 32 << 20
# The fragments a graph is loaded from.  Both are checked against their digests before
# they go in, so the bulk loader reads them leniently (no IRI validation: 10-15% faster).
LANDED = ("nq", "nt")
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
        found = read_marker(self.path)
        if found is None and next(iter(self.store.quads_for_pattern(None, None, None, None)), None) is not None:
            raise StoreError(f"the Oxigraph store at {self.path} holds data anze-kg did not put there (it has no {MARKER})",
                             hint="build into a new folder, or empty this one first")
        self.marker = found.graphs if found else {}
        # The default graph is rebuilt at the end unless it is known to hold the union
        # (an empty new store holds the union of nothing).
        self.rebuild_default = found is not None and found.default != UNION
        self.touched = self.rebuild_default
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
        gone = sorted(set(self.marker) - set(wanted))
        removed = 0
        if gone:
            self.touched = True
            self._save(DIRTY)
            try:
                for graph in gone:
                    old = self._take_out(graph)
                    del self.marker[graph]
                    self._save(DIRTY)
                    self._drop_from_default(old)
                    removed += 1
            except OSError as exc:
                raise StoreError(f"cannot update the Oxigraph store at {self.path}: {exc}",
                                 hint="the next build brings it up to date") from None
        if self.rebuild_default:
            self._rebuild_default()
        if self.touched:
            self._save(UNION)
        self.store.flush()
        self.store = None  # released: another process may open the folder now
        return f"oxigraph:{self.path}: {self.replaced} graph(s) replaced, {removed} removed, {len(wanted)} held"

    def abandon(self, graphs: list[str]) -> None:
        """Mark ``graphs`` dirty (what was loaded into them may not match their inputs)
        and release the store: the next build loads them again."""
        self.marker.update((g, DIRTY) for g in graphs if g in self.marker or g in self.pending)
        self.pending.clear()
        self._save(DIRTY if self.rebuild_default else UNION)
        self.store.flush()
        self.store = None

    def _load(self) -> None:
        """Replace the pending graphs: marked dirty on disk first, so a load
        killed halfway is redone by the next build.  A graph whose previous
        entry is still in the cache (and matches its digests) is changed by
        the difference of the two entries' N-Triples alone (:meth:`_patch`);
        the others are removed and bulk loaded whole."""
        batch, self.pending, self.pending_bytes = dict(sorted(self.pending.items())), {}, 0
        if not batch:
            return
        before = {graph: self.marker.get(graph) for graph in batch}
        self.marker.update((graph, DIRTY) for graph in batch)
        self._save(DIRTY)
        self.touched = True
        try:
            whole = {graph: entry for graph, entry in batch.items() if not self._patch(graph, entry, before[graph])}
            if whole:
                self._load_whole(whole)
        except (OSError, SyntaxError) as exc:
            raise StoreError(f"cannot load into the Oxigraph store at {self.path}: {exc}",
                             hint="the graphs being loaded stay marked dirty: the next build loads them again") from None
        self.marker.update((graph, entry.key) for graph, entry in batch.items())
        self._save(DIRTY)
        self.replaced += len(batch)

    def _load_whole(self, batch: dict[str, Entry]) -> None:
        old: set = set()
        for graph in batch:
            old |= self._take_out(graph)
        with _Chain([entry.path("nq") for entry in batch.values()]) as stream:
            self.store.bulk_load(input=stream, format=ox.RdfFormat.N_QUADS, lenient=True)
        if not self.rebuild_default:
            if old:  # a triple the new graphs state again stays: only the others may leave the default graph
                for graph in batch:
                    old.difference_update(q.triple for q in self.store.quads_for_pattern(None, None, None,
                                                                                         ox.NamedNode(graph)))
            self._drop_from_default(old)
            with _Chain([entry.path("nt") for entry in batch.values()]) as stream:
                self.store.bulk_load(input=stream, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph(),
                                     lenient=True)

    def _patch(self, graph: str, entry: Entry, held: str | None) -> bool:
        """Change ``graph`` from the entry the store holds (key ``held``) to ``entry``
        by their difference, when the held entry is still in the cache and matches
        its digest and the two differ in at most half of the new graph's lines
        (one changed fact, the usual rebuild: a few quads instead of the whole
        graph twice).  Both entries' N-Triples are sorted lines of one serialiser,
        so a triple in both is the same line in both; a triple written two ways
        is taken out and put back, which leaves it in.  False: nothing was done."""
        if not held or held == DIRTY or held == entry.key:
            return False
        previous = entry.sibling(held)
        if previous is None:
            return False
        old_bytes, new_bytes = _read(previous.path("nt")), _read(entry.path("nt"))
        if sha256(old_bytes) != previous.digests.get("nt"):
            return False
        old_lines, new_lines = set(old_bytes.splitlines()), set(new_bytes.splitlines())
        gone, added = old_lines - new_lines, new_lines - old_lines
        if len(gone) + len(added) > len(new_lines) // 2:
            return False
        node = ox.NamedNode(graph)
        gone_triples = _triples(gone)
        for t in gone_triples:
            self.store.remove(ox.Quad(t.subject, t.predicate, t.object, node))
        added_triples = _triples(added)
        self.store.extend(ox.Quad(t.subject, t.predicate, t.object, node) for t in added_triples)
        if not self.rebuild_default:
            self._drop_from_default(set(gone_triples))
            self.store.extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in added_triples)
        return True

    def _take_out(self, graph: str) -> set:
        """Remove the named graph ``graph``; its triples, for the default graph to forget."""
        node = ox.NamedNode(graph)
        if not self.store.contains_named_graph(node):
            return set()
        triples = set() if self.rebuild_default else {q.triple for q in self.store.quads_for_pattern(None, None, None, node)}
        self.store.remove_graph(node)
        return triples

    def _drop_from_default(self, triples: set) -> None:
        """Remove from the default graph each of ``triples`` no named graph holds any more."""
        default = ox.DefaultGraph()
        for t in triples:
            if not any(not isinstance(q.graph_name, ox.DefaultGraph)
                       for q in self.store.quads_for_pattern(t.subject, t.predicate, t.object, None)):
                self.store.remove(ox.Quad(t.subject, t.predicate, t.object, default))

    def _rebuild_default(self) -> None:
        """The default graph made again from the named graphs (a store from an earlier
        version, or one whose default graph a killed load left half-done)."""
        self._save(DIRTY)
        try:
            self.store.clear_graph(ox.DefaultGraph())
            for graph in sorted(self.marker):
                self.store.bulk_extend(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph())
                                       for q in list(self.store.quads_for_pattern(None, None, None, ox.NamedNode(graph))))
        except OSError as exc:
            raise StoreError(f"cannot update the Oxigraph store at {self.path}: {exc}",
                             hint="the next build rebuilds its default graph") from None
        self.rebuild_default = False

    def _save(self, default: str) -> None:
        write_files({self.path / MARKER: (json.dumps(Marker(self.marker, default).to_json(), indent=1) + "\n").encode()})


def _read(path: Path) -> bytes:
    """The bytes of a fragment (read as the bulk loader reads them)."""
    with _Chain([path]) as stream:
        return stream.read()


def _triples(lines) -> list:
    """N-Triples lines (bytes, sorted) as pyoxigraph triples."""
    data = b"".join(line + b"\n" for line in sorted(lines) if line.strip())
    return list(ox.parse(data, format=ox.RdfFormat.N_TRIPLES, lenient=True)) if data else []


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
