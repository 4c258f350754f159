"""Where a project's files are: ontology, data, queries (an anze-kg checkout,
or any folder laid out the same way)."""

from __future__ import annotations

import os
from collections import namedtuple
from pathlib import Path

from anze_kg.errors import AnzeKGError

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


class Project(namedtuple("Project", "root")):
    """The folders of one anze-kg checkout (or any folder laid out the same way):
    ``root``, a Path."""

    __slots__ = ()

    @property
    def ontology_dir(self) -> Path:
        return self.root / "ontology"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def reports_dir(self) -> Path:
        return self.data_dir / "reports"

    @property
    def vocab_dir(self) -> Path:
        return self.data_dir / "vocab"

    @property
    def queries_dir(self) -> Path:
        return self.root / "queries"

    def ontology_files(self) -> list[Path]:
        return [self.ontology_dir / "anze.ttl", self.ontology_dir / "concepts.ttl"]

    @property
    def shapes_file(self) -> Path:
        return self.ontology_dir / "shapes.ttl"

    def report_dirs(self) -> list[Path]:
        """The report folders (those with a report.yaml file), sorted by name: one
        directory read (Path.iterdir and sorting Paths were a tenth of a build's input
        keys at 1,000 reports)."""
        reports = self.reports_dir
        try:
            with os.scandir(reports) as entries:
                names = sorted(entry.name for entry in entries)
        except OSError:  # no reports folder: no reports
            return []
        return [reports / name for name in names if os.path.isfile(os.path.join(reports, name, "report.yaml"))]

    def relative(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return path.as_posix()


def find_project(start: Path | None = None) -> Project:
    """The nearest folder at or above ``start`` (default: the working directory)
    that holds ``ontology/anze.ttl`` and ``data/``; else the checkout this
    package was installed from (editable installs)."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "ontology" / "anze.ttl").is_file() and (folder / "data").is_dir():
            return Project(folder)
    checkout = Path(__file__).resolve().parents[3]
    if (checkout / "ontology" / "anze.ttl").is_file():
        return Project(checkout)
    raise AnzeKGError(
        f"no anze-kg project found at or above {here}",
        hint="run inside the project folder, or pass --project DIR",
    )
