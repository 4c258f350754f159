"""Landing built graphs in a persistent Oxigraph store, incrementally.

The store folder holds ``anze-kg-graphs.json``: for each named graph, the key
of the build entry it holds.  Only graphs whose key changed are replaced
(removed, then bulk loaded from the entry's N-Quads); graphs of reports that
no longer exist are removed.  Before a graph is touched its key is set to
``dirty`` on disk, so a load killed halfway is redone by the next build.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox

from .cache import Entry
from .errors import StoreError, UsageError
from .export import write_files

MARKER = "anze-kg-graphs.json"


def _path_of(spec: str) -> Path:
    if not spec.startswith("oxigraph:") or not spec[len("oxigraph:"):].strip():
        if spec.strip() == "memory":
            raise UsageError("--store memory keeps nothing between commands; build writes out/ for it",
                             hint="use --store oxigraph:PATH to fill a persistent store")
        raise UsageError(f"unknown store {spec!r}", hint="use --store oxigraph:PATH")
    return Path(spec[len("oxigraph:"):].strip())


def land_in_store(spec: str, project, out_dir: Path, landed: dict[str, Entry]) -> str:
    """Make the store at ``spec`` hold exactly the landed graphs; returns a one-line summary."""
    from .pipeline import graph_of

    path = _path_of(spec)
    try:
        path.mkdir(parents=True, exist_ok=True)
        store = ox.Store(str(path))
    except OSError as exc:
        raise StoreError(f"cannot open the Oxigraph store at {path}: {exc}") from None
    marker = _read_marker(path)
    wanted = {graph_of(unit): entry for unit, entry in landed.items()}
    replaced = removed = 0
    for graph, entry in sorted(wanted.items()):
        if marker.get(graph) == entry.key:
            continue
        _set(path, marker, graph, "dirty")
        if store.contains_named_graph(ox.NamedNode(graph)):
            store.remove_graph(ox.NamedNode(graph))
        store.bulk_load(path=str(entry.path("nq")), format=ox.RdfFormat.N_QUADS)
        _set(path, marker, graph, entry.key)
        replaced += 1
    for graph in sorted(set(marker) - set(wanted)):
        store.remove_graph(ox.NamedNode(graph))
        del marker[graph]
        _write_marker(path, marker)
        removed += 1
    store.flush()
    return f"oxigraph:{path}: {replaced} graph(s) replaced, {removed} removed, {len(wanted)} held"


def _read_marker(path: Path) -> dict:
    try:
        return json.loads((path / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _set(path: Path, marker: dict, graph: str, key: str) -> None:
    marker[graph] = key
    _write_marker(path, marker)


def _write_marker(path: Path, marker: dict) -> None:
    write_files({path / MARKER: (json.dumps(marker, indent=1, sort_keys=True) + "\n").encode()})
