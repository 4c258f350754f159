"""The W3C serialisations: the formats the project writes and reads, and
sorted, byte-stable serialisation of pyoxigraph quads (files are written by
:mod:`anze_kg.files`).  Needs pyoxigraph only (reading a built graph loads no
rdflib), but for JSON-LD, which rdflib writes with a context."""

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
        Format("jsonld", ox.RdfFormat.JSON_LD, ".jsonld", True, "application/ld+json"),
        Format("trig", ox.RdfFormat.TRIG, ".trig", True, "application/trig"),
        Format("nquads", ox.RdfFormat.N_QUADS, ".nq", True, "application/n-quads"),
    )
}


# The observations as one tidy table (anze-kg export; written by anze_kg.sparql.tables): name -> suffix.
TABLE_FORMATS = {"csv": ".csv", "xlsx": ".xlsx"}

# What users type for a format, beside its name (export and query results alike).
FORMAT_ALIASES = {"ttl": "turtle", "n-triples": "nt", "ntriples": "nt", "json-ld": "jsonld", "nq": "nquads",
                  "n-quads": "nquads", "rdf": "rdfxml", "rdf+xml": "rdfxml", "xml-rdf": "rdfxml", "excel": "xlsx"}


def format_name(written: str) -> str:
    """The format name ``written`` stands for (case-insensitive; an alias or the name itself)."""
    lowered = written.lower()
    return FORMAT_ALIASES.get(lowered, lowered)


def triples_of(quads: list[ox.Quad]) -> list[ox.Triple]:
    """The distinct triples of a quad list (graph names dropped), sorted."""
    unique = {q.triple for q in quads}
    return sorted(unique, key=str)


def serialize(quads: list[ox.Quad], fmt: Format) -> bytes:
    """Bytes of the quads in ``fmt``: quad formats keep the named graphs, triple
    formats give their union.  Sorted input gives byte-identical output."""
    if fmt.name == "jsonld":
        return jsonld_bytes(quads)
    data = quads if fmt.quads else triples_of(quads)
    prefixes = PREFIX_MAP if fmt.name in ("turtle", "trig") else None
    return ox.serialize(data, format=fmt.ox, prefixes=prefixes)


def jsonld_bytes(quads: list[ox.Quad]) -> bytes:
    """JSON-LD with the project's prefixes as its ``@context`` (compact IRIs such as
    ``akg:County``) and one ``@graph`` per named graph, so it reads back into
    the same quads.  (pyoxigraph writes JSON-LD without a context.)"""
    # Deferred: rdflib's JSON-LD writer compacts with a context; only this export needs it.
    from rdflib import Dataset

    dataset = Dataset()
    dataset.parse(data=ox.serialize(quads, format=ox.RdfFormat.N_QUADS), format="nquads")
    context = {k: v for k, v in PREFIX_MAP.items() if k != "id"}
    return dataset.serialize(format="json-ld", context=context, auto_compact=True, indent=1,
                             ensure_ascii=False).encode("utf-8")


def parse_quads(path: Path) -> list[ox.Quad]:
    """Read a TriG / N-Quads file (as written by the build) back into sorted quads."""
    fmt = ox.RdfFormat.from_extension(path.suffix.lstrip("."))
    quads = list(ox.parse(path=str(path), format=fmt))
    quads.sort(key=str)
    return quads
