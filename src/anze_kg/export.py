"""Serialising graphs to the W3C formats, and writing files so that nothing is
ever half-written: every output goes to a temporary file in the same folder
and is renamed into place only when all outputs of a step are ready.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph

from .errors import OutputError, UsageError
from .namespaces import bind_prefixes


@dataclass(frozen=True)
class Format:
    name: str
    rdflib: str
    suffix: str
    quads: bool
    media_type: str


FORMATS = {
    f.name: f
    for f in (
        Format("turtle", "turtle", ".ttl", False, "text/turtle"),
        Format("nt", "nt", ".nt", False, "application/n-triples"),
        Format("jsonld", "json-ld", ".jsonld", False, "application/ld+json"),
        Format("trig", "trig", ".trig", True, "application/trig"),
        Format("nquads", "nquads", ".nq", True, "application/n-quads"),
    )
}


def get_format(name: str) -> Format:
    try:
        return FORMATS[name]
    except KeyError:
        raise UsageError(f"unknown format {name!r}", hint=f"choose one of {', '.join(FORMATS)}") from None


def sorted_ntriples(graph: Graph) -> bytes:
    """Canonical bytes of a blank-node-free graph: N-Triples lines, sorted."""
    text = graph.serialize(format="nt", encoding="utf-8").decode("utf-8")
    lines = sorted(line for line in text.splitlines() if line.strip())
    return ("\n".join(lines) + "\n").encode("utf-8")


def sorted_nquads(dataset: Dataset) -> bytes:
    text = dataset.serialize(format="nquads", encoding="utf-8").decode("utf-8")
    lines = sorted(line for line in text.splitlines() if line.strip())
    return ("\n".join(lines) + "\n").encode("utf-8")


def serialize(graph: Graph, dataset: Dataset | None, fmt: Format) -> bytes:
    """Bytes of ``graph`` (or, for quad formats, ``dataset``) in ``fmt``."""
    if fmt.quads:
        if dataset is None:
            raise UsageError(f"{fmt.name} needs named graphs, which this input does not have")
        if fmt.name == "nquads":
            return sorted_nquads(dataset)
        bind_prefixes(dataset)
        return dataset.serialize(format=fmt.rdflib, encoding="utf-8")
    if fmt.name == "nt":
        return sorted_ntriples(graph)
    bind_prefixes(graph)
    if fmt.name == "jsonld":
        context = {prefix: str(ns) for prefix, ns in graph.namespaces() if prefix}
        return graph.serialize(format="json-ld", context=context, auto_compact=True, encoding="utf-8")
    return graph.serialize(format=fmt.rdflib, encoding="utf-8")


def write_files(files: dict[Path, bytes]) -> None:
    """Write all files or none: temporaries first, then renames."""
    staged: list[tuple[Path, Path]] = []
    try:
        for path, data in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
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
