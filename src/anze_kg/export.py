"""Serialising graphs to the W3C formats, and writing files so that nothing is
ever half-written: every output goes to a temporary file in the same folder
and is renamed into place only when all outputs of a step are ready.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef

from .errors import OutputError
from .namespaces import PREFIXES


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
PREFIX_MAP = {prefix: str(ns) for prefix, ns in PREFIXES.items()}


class _Converter:
    """rdflib terms -> pyoxigraph terms, with a cache for repeated IRIs."""

    def __init__(self) -> None:
        self.iris: dict[str, ox.NamedNode] = {}

    def iri(self, value: str) -> ox.NamedNode:
        node = self.iris.get(value)
        if node is None:
            node = self.iris[value] = ox.NamedNode(value)
        return node

    def term(self, term):
        if isinstance(term, URIRef):
            return self.iri(str(term))
        if isinstance(term, Literal):
            if term.language:
                return ox.Literal(str(term), language=term.language)
            if term.datatype is not None:
                return ox.Literal(str(term), datatype=self.iri(str(term.datatype)))
            return ox.Literal(str(term))
        if isinstance(term, BNode):
            return ox.BlankNode(str(term))
        raise TypeError(f"not an RDF term: {term!r}")


def to_ox_quads(quads) -> list[ox.Quad]:
    """(s, p, o, g) rdflib tuples -> pyoxigraph quads, sorted in N-Quads order."""
    conv = _Converter()
    out = [ox.Quad(conv.term(s), conv.term(p), conv.term(o), conv.term(g)) for s, p, o, g in quads]
    out.sort(key=str)
    return out


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


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


FILE_MODE = 0o666 & ~_umask()
_FILE_MODE = FILE_MODE


def write_files(files: dict[Path, bytes]) -> None:
    """Write all files or none: temporaries first, then renames."""
    staged: list[tuple[Path, Path]] = []
    try:
        for path, data in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            os.chmod(tmp, _FILE_MODE)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            staged.append((Path(tmp), path))
        for tmp, path in staged:
            os.replace(tmp, path)
    except OSError as exc:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        target = getattr(exc, "filename", None) or next(iter(files), "")
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}",
                          hint="check the folder exists and is writable; nothing was changed") from None
