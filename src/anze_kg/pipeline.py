"""The build as a whole: facts -> graph -> SHACL -> files, all or nothing.

``out/`` holds the last good build:

* ``anze.ttl``   the union of all graphs (ontology + vocabulary + every report), Turtle
* ``anze.nt``    the same, sorted N-Triples (byte-identical for identical inputs)
* ``anze.trig``  the same as named graphs: one per report, one for the vocabulary, one for the ontology
* ``build.json`` the manifest: input fingerprint, counts, verdict

A failed build (bad input, or a graph that does not conform) leaves ``out/``
exactly as it was.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph

from . import __version__
from .build import Built, build_dataset, class_counts
from .errors import ValidationFailed
from .export import FORMATS, serialize, write_files
from .sources import Project
from .validate import ValidationReport, load_shapes, validate_graph

UNION_TTL = "anze.ttl"
UNION_NT = "anze.nt"
DATASET_TRIG = "anze.trig"
MANIFEST = "build.json"


@dataclass(frozen=True)
class BuildOutcome:
    built: Built
    union: Graph
    validation: ValidationReport
    counts: dict[str, int]
    files: tuple[Path, ...]
    fingerprint: str
    seconds: float

    @property
    def triples(self) -> int:
        return len(self.union)

    def summary(self) -> dict:
        return {
            "triples": self.triples,
            "reports": [r.id for r in self.built.reports],
            "counts": self.counts,
            "conforms": self.validation.conforms,
            "files": [str(p) for p in self.files],
            "seconds": round(self.seconds, 3),
        }


def fingerprint(project: Project) -> str:
    return project.fingerprint(extra=f"anze-kg {__version__}")


def build(project: Project, out_dir: Path, *, allow_drafts: bool = False) -> BuildOutcome:
    """Build, validate and write ``out_dir``; raise before writing anything if any step fails."""
    started = time.perf_counter()
    print_fp = fingerprint(project)
    built = build_dataset(project, allow_drafts=allow_drafts)
    union = built.union()
    validation = validate_graph(union, load_shapes(project.shapes_file))
    if not validation.conforms:
        raise ValidationFailed(validation)
    counts = class_counts(union, built.index)
    files = {
        out_dir / UNION_TTL: serialize(union, None, FORMATS["turtle"]),
        out_dir / UNION_NT: serialize(union, None, FORMATS["nt"]),
        out_dir / DATASET_TRIG: serialize(union, built.dataset, FORMATS["trig"]),
    }
    seconds = time.perf_counter() - started
    manifest = {"fingerprint": print_fp, "version": __version__, "triples": len(union),
                "reports": [r.id for r in built.reports], "counts": counts, "conforms": True}
    files[out_dir / MANIFEST] = (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode()
    write_files(files)
    return BuildOutcome(built, union, validation, counts, tuple(files), print_fp, seconds)


def is_fresh(project: Project, out_dir: Path) -> bool:
    """Whether ``out_dir`` holds a build of exactly the current inputs."""
    try:
        manifest = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return manifest.get("fingerprint") == fingerprint(project) and (out_dir / DATASET_TRIG).is_file()


def current_dataset(project: Project, out_dir: Path) -> Dataset:
    """The built dataset: read from ``out_dir`` when fresh, else built (and validated) in memory."""
    if is_fresh(project, out_dir):
        dataset = Dataset()
        dataset.parse(out_dir / DATASET_TRIG, format="trig")
        return dataset
    built = build_dataset(project)
    report = validate_graph(built.union(), load_shapes(project.shapes_file))
    if not report.conforms:
        raise ValidationFailed(report)
    return built.dataset


def union_of(dataset: Dataset) -> Graph:
    graph = Graph()
    for ctx in dataset.graphs():
        for triple in ctx:
            graph.add(triple)
    return graph
