"""The one parser of ``--store`` values, shared by the build's store landing,
queries, the endpoint and push.

* ``memory`` (or nothing): an in-memory store filled from the built graph;
* ``oxigraph:PATH``: a persistent Oxigraph store in the folder ``PATH``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from anze_kg.errors import UsageError

MEMORY = "memory"
OXIGRAPH_PREFIX = "oxigraph:"


@dataclass(frozen=True)
class StoreSpec:
    """A parsed ``--store`` value: ``kind`` is ``memory`` or ``oxigraph``."""

    kind: str
    path: Path | None = None

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
