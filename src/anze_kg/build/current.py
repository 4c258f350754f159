"""The built graph of the current inputs, for the stages after the build
(queries, network projection, exports): read from ``out/`` when it holds a
build of exactly these inputs, else built and checked in memory by the same
per-report path as ``anze-kg build`` (:func:`anze_kg.build.units.build_report`);
``out/`` is not touched.  Importing this module loads no RDF library but
pyoxigraph.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from anze_kg.errors import AnzeKGError, ValidationFailed
from anze_kg.graph.formats import parse_quads
from anze_kg.inputs.manifest import (
    DATASET_TRIG,
    SHARED_UNITS,
    VOCAB,
    built_with_drafts,
    is_fresh,
    unit_keys,
)
from anze_kg.inputs.project import Project


def current_quads(project: Project, out_dir: Path, *, allow_drafts: bool | None = None) -> list[ox.Quad]:
    """The built graph as sorted pyoxigraph quads (with drafts when the last build
    in ``out_dir`` let them in, unless ``allow_drafts`` says otherwise).

    Raises :class:`ValidationFailed` (with every violation of every report)
    when a report does not conform, and the report's input error when one
    cannot be read; a report whose text is absent is left out, as in a build."""
    if is_fresh(project, out_dir):
        return parse_quads(out_dir / DATASET_TRIG)
    # Deferred: the build (rdflib, pySHACL: half a second to import) loads only
    # when out/ is stale, so a query of a fresh build never pays for it.
    from anze_kg.build.units import build_report, build_shared
    from anze_kg.graph.shacl import ValidationReport  # deferred: as above

    if allow_drafts is None:
        allow_drafts = built_with_drafts(out_dir)
    root, keys = str(project.root), unit_keys(project, allow_drafts)
    parts = [build_shared(root, unit, keys[VOCAB], allow_drafts) for unit in SHARED_UNITS]
    violations: list = []
    for folder in project.report_dirs():
        done = build_report(root, str(folder), keys[VOCAB], allow_drafts)
        if done.status == "error":
            error = AnzeKGError(done.error or f"report {done.report} could not be built")
            error.exit_code = done.exit_code or error.exit_code
            raise error
        violations += done.violations
        if done.status == "built":
            parts.append(done)
    if violations:
        raise ValidationFailed(ValidationReport(False, tuple(violations), 0))
    quads = [q for part in parts for q in ox.parse(part.fragments["nq"], format=ox.RdfFormat.N_QUADS)]
    return sorted(quads, key=str)
