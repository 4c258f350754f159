"""Shared fixtures: a private copy of the project to break, and one good build."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from anze_kg.pipeline import build
from anze_kg.sources import Project

REPO = Path(__file__).resolve().parents[1]
REPORT_TEXT = REPO / "data" / "reports" / "anze-2023" / "report.txt"


def copy_project(dest: Path) -> Project:
    """A copy of ontology/, data/ and queries/ that a test may change freely."""
    for folder in ("ontology", "data", "queries"):
        if (REPO / folder).is_dir():
            shutil.copytree(REPO / folder, dest / folder)
    return Project(dest)


@pytest.fixture
def project_copy(tmp_path: Path) -> Project:
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """One build of the real project into a temporary out/ (the repo's out/ is never used)."""
    out = tmp_path_factory.mktemp("out")
    outcome = build(Project(REPO), out)
    return outcome, out


@pytest.fixture(scope="session")
def report_text() -> str:
    return REPORT_TEXT.read_text(encoding="utf-8")
