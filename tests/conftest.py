"""Shared fixtures: a private copy of the project to break, and one good build."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from anze_kg.build.pipeline import build
from anze_kg.inputs.project import Project

REPO = Path(__file__).resolve().parents[1]
REPORT_TEXT = REPO / "data" / "reports" / "anze-2023" / "report.txt"


def copy_project(dest: Path, reports: tuple[str, ...] = ("anze-2023",)) -> Project:
    """A copy of ontology/, data/vocab/, queries/ and the named reports (default:
    Anze only) that a test may change freely."""
    for folder in ("ontology", "queries", "data/vocab"):
        if (REPO / folder).is_dir():
            shutil.copytree(REPO / folder, dest / folder)
    for report in reports:
        shutil.copytree(REPO / "data" / "reports" / report, dest / "data" / "reports" / report)
    return Project(dest)


@pytest.fixture
def project_copy(tmp_path: Path) -> Project:
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """One build of the real project (both reports, Anze and Zizhou) into a
    temporary out/; the repo's out/ is never used."""
    out = tmp_path_factory.mktemp("out")
    outcome = build(Project(REPO), out)
    return outcome, out


@pytest.fixture(scope="session")
def report_text() -> str:
    return REPORT_TEXT.read_text(encoding="utf-8")


ANZE_GRAPH = "https://w3id.org/anze-kg/graph/anze-2023"


def report_graph(out: Path, report: str = "anze-2023"):
    """One report's named graph from a build's anze.trig."""
    from rdflib import Dataset, URIRef

    ds = Dataset()
    ds.parse(out / "anze.trig", format="trig")
    return ds.graph(URIRef(f"https://w3id.org/anze-kg/graph/{report}"))
