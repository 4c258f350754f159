"""The W3C serialisations: the formats the project writes and reads, and
sorted, byte-stable serialisation of pyoxigraph quads (files are written by
:mod:`anze_kg.files`).  Needs pyoxigraph only: reading a built graph loads no
rdflib."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from anze_kg.namespaces import PREFIX_MAP


@dataclass(frozen=True)
class Format:
    name: str
    ox: ox.RdfFormat
    suffix: str
    quads: bool
    media_type: str


FORMATS = {
    f.name: f
    for f in (
        Format("turtle", ox.RdfFormat.TURTLE, ".ttl", False, "text/turtle"),
        Format("nt", ox.RdfFormat.N_TRIPLES, ".nt", False, "application/n-triples"),
        Format("jsonld", ox.RdfFormat.JSON_LD, ".jsonld", False, "application/ld+json"),
        Format("trig", ox.RdfFormat.TRIG, ".trig", True, "application/trig"),
        Format("nquads", ox.RdfFormat.N_QUADS, ".nq", True, "application/n-quads"),
    )
}


def triples_of(quads: list[ox.Quad]) -> list[ox.Triple]:
    """The distinct triples of a quad list (graph names dropped), sorted."""
    unique = {q.triple for q in quads}
    return sorted(unique, key=str)


def serialize(quads: list[ox.Quad], fmt: Format) -> bytes:
    """Bytes of the quads in ``fmt``: quad formats keep the named graphs, triple
    formats give their union.  Sorted input gives byte-identical output."""
    data = quads if fmt.quads else triples_of(quads)
    prefixes = PREFIX_MAP if fmt.name in ("turtle", "trig") else None
    return ox.serialize(data, format=fmt.ox, prefixes=prefixes)


def parse_quads(path: Path) -> list[ox.Quad]:
    """Read a TriG / N-Quads file (as written by the build) back into sorted quads."""
    fmt = ox.RdfFormat.from_extension(path.suffix.lstrip("."))
    quads = list(ox.parse(path=str(path), format=fmt))
    quads.sort(key=str)
    return quads
