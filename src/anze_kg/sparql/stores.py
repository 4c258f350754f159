"""Where graphs live for querying: an in-memory Oxigraph store (the default) or
a persistent Oxigraph store on disk.

Specs (``--store``):

* ``memory`` (default): a :class:`pyoxigraph.Store` in memory, filled from
  the last build, ``out/anze.trig``, when ``out/build.json`` records the
  fingerprint of the current inputs (:func:`anze_kg.inputs.manifest.is_fresh`).
  When the inputs changed since that build, the graph is built and checked
  against the shapes in memory (about a second or more) and kept as the
  query cache ``out/.query-cache/graph-<fingerprint>.nq`` (N-Quads, one named graph
  per report), so only the first query after an edit is slow; a graph that
  does not conform is never cached (the query stops with exit 1).
* ``oxigraph:PATH``: a persistent Oxigraph (RocksDB) store in the folder
  ``PATH``, filled by ``anze-kg build --store oxigraph:PATH`` or
  ``anze-kg load --store oxigraph:PATH``.  Queries read it as it is (no
  freshness check: the store is whatever was last loaded into it).

What is cached where, and when it is refreshed: ``out/anze.trig`` (with the
input fingerprint in ``out/build.json``) is rewritten by every successful
``anze-kg build``; ``out/.query-cache/graph-<fingerprint>.nq`` is written by the
first query whose inputs differ from the last build, and replaced (older
cache files deleted) when they change again.  Nothing else in ``out/`` is
written by a query.  A store on disk is refreshed only by ``build --store``
or ``load``.

Every store answers queries with the union of its named graphs as the
default graph (one named graph per report, one for the vocabulary, one for
the ontology), so the same query works over one report or many.  That union
is a set, as SPARQL's RDF merge is: the store's default graph holds every
triple of the named graphs once (kept so by the build's landing, and filled
so when a memory store is opened), since Oxigraph's own union view returns a
triple once per graph that holds it.  A store whose default graph is empty
(one anze-kg did not fill) is queried through that union view.  Loading
replaces each named graph wholesale: the graph is cleared, then bulk loaded.

A store on disk that a load left half-done (graphs marked ``dirty`` in its
marker, :class:`anze_kg.storespec.Marker`) is refused with a StoreError: a
query never answers silently from part of the graphs.
"""

from __future__ import annotations

import weakref
from functools import partial
from pathlib import Path

import pyoxigraph as ox

from anze_kg.errors import AnzeKGError, StoreError
from anze_kg.inputs.manifest import (
    DATASET_TRIG,
    built_with_drafts,
    fingerprint,
    is_fresh,
    outputs_whole,
    read_manifest,
)
from anze_kg.inputs.project import Project
from anze_kg.namespaces import PREFIX_MAP
from anze_kg.sparql.guard import has_dataset_clause
from anze_kg.sparql.worker import QueryWorker
from anze_kg.storespec import MEMORY, StoreSpec, parse_spec, read_marker

FILL_DEFAULT = "INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"


def default_keywords(ox_store: ox.Store, text: str) -> dict:
    """The dataset keywords of ``pyoxigraph.Store.query`` for a query without a
    protocol dataset: its own FROM if it has one; else the store's default
    graph, which holds the union as a set; else (an empty default graph) the
    union view of the named graphs."""
    if has_dataset_clause(text):
        return {}
    if next(iter(ox_store.quads_for_pattern(None, None, None, ox.DefaultGraph())), None) is not None:
        return {}
    return {"use_default_graph_as_union": True}


def fill_default(ox_store: ox.Store) -> None:
    """Make the default graph of ``ox_store`` the union of its named graphs, each triple once."""
    ox_store.update("CLEAR DEFAULT")
    ox_store.update(FILL_DEFAULT)


class Store:
    """A pyoxigraph store (``.ox``) with the few operations the package needs."""

    def __init__(self, ox_store: ox.Store, spec: StoreSpec, *, read_only: bool = False) -> None:
        self.ox = ox_store
        self.spec = spec
        self.read_only = read_only
        self.generation = 0  # bumped by every write through this object: a query worker forked before is stale
        self._worker = None
        self._worker_generation = -1

    def query_worker(self, handler):
        """The long-lived child process that evaluates guarded queries on this
        store (:class:`anze_kg.sparql.worker.QueryWorker`), forked again when the
        store changed since; ``handler(ox_store, request)`` runs in it."""
        if self._worker is None or self._worker_generation != self.generation:
            self._stop_worker()
            self._worker = QueryWorker(partial(handler, self.ox))
            self._worker_generation = self.generation
            weakref.finalize(self, self._worker.stop)
        return self._worker

    def _stop_worker(self) -> None:
        if self._worker is not None:
            self._worker.stop()
            self._worker = None

    @property
    def is_memory(self) -> bool:
        return self.spec.kind == MEMORY

    def query(self, text: str, substitutions: dict | None = None):
        """Evaluate ``text`` in this process with the project's prefixes and the
        union of the named graphs as default graph (unless the query has its own
        FROM).  No guard and no time limit: use :func:`anze_kg.sparql.evaluate.run_query`
        for anything a user typed."""
        try:
            return self.ox.query(text, substitutions=substitutions or None, prefixes=PREFIX_MAP,
                                 **default_keywords(self.ox, text))
        except OSError as exc:
            raise StoreError(f"cannot read the store {self.spec}: {exc}") from None

    def load_quads(self, quads, replace_graphs: bool = True) -> int:
        """Add ``quads``; with ``replace_graphs`` each named graph they mention is
        first removed, so loading again replaces and never duplicates.  The
        default graph is then made the union of the named graphs again.
        Returns the number of quads given."""
        quads = list(quads)
        self.generation += 1
        try:
            if replace_graphs:
                for graph in {q.graph_name for q in quads}:
                    if not isinstance(graph, ox.DefaultGraph) and self.ox.contains_named_graph(graph):
                        self.ox.remove_graph(graph)
            self.ox.bulk_extend(quads)
            fill_default(self.ox)
            self.ox.flush()
        except OSError as exc:
            raise StoreError(f"cannot write the store {self.spec}: {exc}") from None
        return len(quads)

    def graph_names(self) -> list[str]:
        """IRIs of the named graphs, sorted."""
        return sorted(g.value for g in self.ox.named_graphs() if isinstance(g, ox.NamedNode))

    def count(self, graph: str | None = None) -> int:
        """Quads in the named graphs of the store, or in the named graph ``graph``
        (the default graph, their union, is not counted again)."""
        if graph is None:
            found = self.ox.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
            return int(next(iter(found))[0].value)
        return sum(1 for _ in self.ox.quads_for_pattern(None, None, None, ox.NamedNode(graph)))

    def close(self) -> None:
        """Flush and release the store (a store on disk can then be opened by another process)."""
        self._stop_worker()
        if self.ox is not None and not self.is_memory and not self.read_only:
            try:
                self.ox.flush()
            except (OSError, RuntimeError):
                pass
        self.ox = None

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def open_store(spec: str | None, project: Project, out_dir: Path, *, read_only: bool = False,
               named_graphs: bool = True) -> Store:
    """Open the store ``spec`` (see the module docstring).  ``memory`` is filled
    from the last build (or the query cache, or a build in memory when the
    inputs changed); ``oxigraph:PATH`` is opened as it is on disk, created
    empty if missing unless ``read_only``.  Without ``named_graphs`` (for a
    query that reads the default graph alone) a memory store may hold the
    union only: the built ``anze.ttl`` is that union, and loading it alone
    takes half the time of the named graphs and their union."""
    parsed = parse_spec(spec)
    if parsed.kind != MEMORY:
        return Store(_open_disk(parsed, read_only), parsed, read_only=read_only)
    store = Store(ox.Store(), parsed)
    source = graph_file(project, out_dir, named_graphs)
    try:
        if isinstance(source, Path) and source.name == UNION_TTL:
            store.ox.load(path=str(source), format=ox.RdfFormat.TURTLE)  # the default graph: the union, a set
        elif isinstance(source, Path):
            store.ox.load(path=str(source), format=ox.RdfFormat.from_extension(source.suffix.lstrip(".")))
            fill_default(store.ox)
        else:
            store.load_quads(source, replace_graphs=False)
    except (OSError, SyntaxError) as exc:
        raise StoreError(f"cannot read the built graph {source}: {exc}",
                         hint="rebuild it: anze-kg build") from None
    return store


CACHE_DIR = ".query-cache"


UNION_TTL = "anze.ttl"  # the build's union of every graph, as triples


def graph_file(project: Project, out_dir: Path, named_graphs: bool = True):
    """Where the current built graph can be read from: ``out/anze.trig`` when
    it is fresh (``out/anze.ttl``, the union, when the named graphs are not
    needed and the build wrote it whole), else the query cache
    ``out/.query-cache/graph-<fingerprint>.nq``, written now (after a build and
    SHACL check in memory) if missing.  When the cache cannot be written, the
    quads themselves are returned."""
    if is_fresh(project, out_dir):
        manifest = read_manifest(out_dir)
        if not named_graphs and UNION_TTL in manifest.get("outputs", ()) \
                and outputs_whole(out_dir, [UNION_TTL], manifest):
            return out_dir / UNION_TTL
        return out_dir / DATASET_TRIG
    cache = out_dir / CACHE_DIR / f"graph-{fingerprint(project, built_with_drafts(out_dir))[:16]}.nq"
    if cache.is_file():
        return cache
    # deferred: the build, only when out/ is stale
    from anze_kg.build.current import current_quads

    quads = current_quads(project, out_dir)  # builds and validates; raises ValidationFailed
    try:
        _write_cache(cache, quads)
    except AnzeKGError:
        return quads
    return cache


def _write_cache(cache: Path, quads: list) -> None:
    # deferred: only a stale out/ writes the query cache
    from anze_kg.files import write_files

    write_files({cache: ox.serialize(quads, format=ox.RdfFormat.N_QUADS)})
    for old in cache.parent.glob("graph-*.nq"):
        if old != cache:
            old.unlink(missing_ok=True)


def _open_disk(spec: StoreSpec, read_only: bool) -> ox.Store:
    path = spec.path
    if read_only and not path.is_dir():
        raise StoreError(f"no Oxigraph store at {path}",
                         hint=f"fill one first: anze-kg load --store oxigraph:{path}")
    if path.exists() and not path.is_dir():
        raise StoreError(f"cannot open the store {spec}: {path} is a file, not a folder")
    marker = read_marker(path) if path.is_dir() else None
    if marker is not None and marker.dirty:
        half = ", ".join(marker.dirty[:3]) + (f" and {len(marker.dirty) - 3} more" if len(marker.dirty) > 3 else "")
        raise StoreError(f"the store {spec} was left half-loaded ({half}): a query would answer from part of it",
                         hint=f"finish the load: anze-kg build --store oxigraph:{path} (or anze-kg load)")
    try:
        return ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
    except OSError as exc:
        hint = "is another process (anze-kg serve?) holding it open for writing?" if "lock" in str(exc).lower() else None
        raise StoreError(f"cannot open the store {spec}: {exc}", hint=hint) from None
