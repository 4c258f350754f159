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

from rdflib import Graph

from . import __version__
from .build import Built, build_dataset, class_counts
from .errors import ValidationFailed
from .export import FORMATS, parse_quads, serialize, to_ox_quads, write_files
from .sources import Project
from .validate import ValidationReport, load_shapes, validate_graph

DATASET_TRIG = "anze.trig"
MANIFEST = "build.json"
OUTPUTS = {"anze.ttl": "turtle", "anze.nt": "nt", DATASET_TRIG: "trig"}


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
    union = built.union
    validation = validate_graph(union, load_shapes(project.shapes_file))
    if not validation.conforms:
        raise ValidationFailed(validation)
    counts = class_counts(union, built.index)
    quads = to_ox_quads(built.quads())
    files = {out_dir / name: serialize(quads, FORMATS[fmt]) for name, fmt in OUTPUTS.items()}
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


def current_quads(project: Project, out_dir: Path) -> list:
    """The built graph as sorted pyoxigraph quads: read from ``out_dir`` when it
    holds a build of the current inputs, else built and validated in memory
    (``out_dir`` is not touched)."""
    if is_fresh(project, out_dir):
        return parse_quads(out_dir / DATASET_TRIG)
    built = build_dataset(project)
    report = validate_graph(built.union, load_shapes(project.shapes_file))
    if not report.conforms:
        raise ValidationFailed(report)
    return to_ox_quads(built.quads())
