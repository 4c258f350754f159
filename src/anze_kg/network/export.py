"""``anze-kg export``: the built graph in any supported format, as bytes.

RDF formats come from :mod:`anze_kg.graph.formats` (quad formats, JSON-LD
included, keep the named graphs); network formats (GraphML, GEXF, Cytoscape
JSON) from :mod:`anze_kg.network.files`.  The observations table (csv, xlsx)
is the query stage's (:mod:`anze_kg.sparql.tables`); the command line asks it.
"""

from __future__ import annotations

from pathlib import Path

from anze_kg.build.current import current_quads
from anze_kg.errors import UsageError
from anze_kg.graph.formats import FORMATS, TABLE_FORMATS, serialize
from anze_kg.inputs.project import Project
from anze_kg.network.metrics import network_bytes

NETWORK_FORMATS = ("graphml", "gexf", "cytoscape")


def export_bytes(project: Project, out_dir: Path, fmt: str) -> bytes:
    if fmt in NETWORK_FORMATS:
        return network_bytes(project, out_dir, fmt)
    if fmt not in FORMATS:
        known = ", ".join([*FORMATS, *NETWORK_FORMATS, *TABLE_FORMATS])
        raise UsageError(f"unknown format {fmt!r}", hint=f"choose one of {known}")
    return serialize(current_quads(project, out_dir), FORMATS[fmt])
