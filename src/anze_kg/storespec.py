"""The one parser of ``--store`` values, shared by the build's store landing,
queries, the endpoint and push.

* ``memory`` (or nothing): an in-memory store filled from the built graph;
* ``oxigraph:PATH``: a persistent Oxigraph store in the folder ``PATH``.
"""

from __future__ import annotations

import json
from collections import namedtuple
from pathlib import Path

from anze_kg.errors import UsageError

MEMORY = "memory"
OXIGRAPH_PREFIX = "oxigraph:"


class StoreSpec(namedtuple("StoreSpec", "kind path", defaults=(None,))):
    """A parsed ``--store`` value: ``kind`` is ``memory`` or ``oxigraph``, ``path``
    the folder of an Oxigraph store (None in memory)."""

    __slots__ = ()

    def __str__(self) -> str:
        return MEMORY if self.kind == MEMORY else f"{OXIGRAPH_PREFIX}{self.path}"

    @property
    def on_disk(self) -> bool:
        return self.kind != MEMORY


def parse_spec(spec: str | None) -> StoreSpec:
    """``memory`` (or empty) or ``oxigraph:PATH``; anything else is a UsageError."""
    text = (spec or MEMORY).strip()
    if text == MEMORY:
        return StoreSpec(MEMORY)
    if text.startswith(OXIGRAPH_PREFIX) and text[len(OXIGRAPH_PREFIX):].strip():
        return StoreSpec("oxigraph", Path(text[len(OXIGRAPH_PREFIX):].strip()))
    raise UsageError(f"unknown store {text!r}", hint="use --store memory or --store oxigraph:PATH")


def disk_spec(spec: str | None, doing: str) -> StoreSpec:
    """``spec`` parsed, for a job that needs a store on disk (``doing`` it into
    memory would keep nothing between commands)."""
    parsed = parse_spec(spec)
    if not parsed.on_disk:
        raise UsageError(f"{doing} --store memory keeps nothing", hint="give a store on disk: --store oxigraph:PATH")
    return parsed


# The marker file of a store on disk filled by anze-kg (``build --store``, ``load``).
MARKER = "anze-kg-graphs.json"
DIRTY = "dirty"
UNION = "union"  # the state of a default graph that holds the union of the named graphs, as a set


class Marker(namedtuple("Marker", "graphs default", defaults=(None,))):
    """What a store on disk holds: for each named graph (``graphs``), the key of
    the build entry loaded into it (or ``dirty`` while it is being replaced),
    and the state of its ``default`` graph: ``union`` when it holds every triple
    of the named graphs once, ``dirty`` while that is being brought up to date,
    None for a store written by an anze-kg before the default graph was kept."""

    __slots__ = ()

    @property
    def dirty(self) -> list[str]:
        """The graphs (and ``default graph``) a load left half-done."""
        half = sorted(g for g, key in self.graphs.items() if key == DIRTY)
        return half + (["default graph"] if self.graphs and self.default != UNION else [])

    def to_json(self) -> dict:
        return {"graphs": dict(sorted(self.graphs.items())), "default graph": self.default}


def read_marker(folder: Path) -> Marker | None:
    """The marker of the store in ``folder``; None when there is none (a store
    anze-kg did not fill).  An unreadable marker reads as all dirty."""
    try:
        data = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return Marker({}, DIRTY)
    if isinstance(data, dict) and isinstance(data.get("graphs"), dict):
        return Marker({str(k): str(v) for k, v in data["graphs"].items()}, data.get("default graph"))
    if isinstance(data, dict):  # the flat marker of earlier versions: graphs only
        return Marker({str(k): str(v) for k, v in data.items()}, None)
    return Marker({}, DIRTY)
