"""Checks across reports: what a series of reports gets wrong, each finding a
fact of the graph with the quotes behind it.

Five checks, each a named query in ``queries/`` (so they run as they are on
any SPARQL 1.1 engine, and ``anze-kg query check-…`` shows their full rows):

* **revisions** (``check-revisions``): the same indicator, area and period
  stated with different values by two reports.  Both figures stay in the
  graph, each in its report's named graph; nothing is merged.
* **growth against levels** (``check-growth-vs-levels``): a stated growth
  rate against the growth its level implies over the level a year before
  (from any report), when they differ by more than ``tolerance`` percentage
  points.  GDP growth is stated at comparable prices and levels are nominal,
  so a gap of a point or two there may be inflation, not an error.
* **targets against actuals** (``check-targets``): each figure marked as a
  target against the actual figure for the same indicator, area and period,
  growth against growth and level against level: met or missed.
* **parts against their total** (``check-parts-sum``): a total stated with
  every one of its components (``akg:componentOf`` in data/vocab: the three
  sectors of 地区生产总值) by the same report, the components' sum against
  the total beyond ``parts_tolerance`` percent of it.
* **ranks against peers** (``check-ranks``): a stated rank (全市第一) against
  the figures the graph has for the area's peers in that scope: contradicted
  when more peers stand above than the rank allows.  With the peers of a
  scope missing from the graph, a rank is never proved, only contradicted.

:func:`run_checks` evaluates them through :func:`anze_kg.sparql.evaluate.run_query`
(guarded, in the killable worker) on one store and returns plain records.
"""

from __future__ import annotations

from collections import namedtuple
from pathlib import Path

from anze_kg.inputs.project import Project
from anze_kg.sparql.evaluate import DEFAULT_TIMEOUT_S, run_query
from anze_kg.sparql.named import bind_params, get_query
from anze_kg.sparql.stores import open_store

CHECKS = (("revisions", "check-revisions"), ("growth", "check-growth-vs-levels"), ("targets", "check-targets"),
          ("parts", "check-parts-sum"), ("ranks", "check-ranks"))
DEFAULT_TOLERANCE = 1.0
DEFAULT_PARTS_TOLERANCE = 0.5  # percent of the total: the components are rounded as written


class Finding(namedtuple("Finding", "kind problem row")):
    """One row of a check: ``kind`` (revisions, growth, targets, parts, ranks), whether it
    is a ``problem`` (a revision, a mismatch, a missed target, parts that do not add up, a
    contradicted rank; a met target or a consistent sum is not), and the query's ``row`` as
    plain values."""

    __slots__ = ()


class CheckReport:
    """The findings of the checks, with the tolerances they were run with (percentage points
    for growth against levels, percent of the total for parts)."""

    def __init__(self, tolerance: float, parts_tolerance: float = DEFAULT_PARTS_TOLERANCE,
                 findings: list[Finding] | None = None) -> None:
        self.tolerance, self.parts_tolerance = tolerance, parts_tolerance
        self.findings = [] if findings is None else findings

    def __repr__(self) -> str:
        return (f"CheckReport(tolerance={self.tolerance!r}, parts_tolerance={self.parts_tolerance!r}, "
                f"findings={self.findings!r})")

    def of(self, kind: str) -> list[Finding]:
        return [f for f in self.findings if f.kind == kind]

    @property
    def problems(self) -> int:
        return sum(f.problem for f in self.findings)

    def to_dict(self) -> dict:
        return {"tolerance": self.tolerance, "parts_tolerance": self.parts_tolerance, "problems": self.problems,
                "checks": {kind: [dict(f.row, problem=f.problem) for f in self.of(kind)] for kind, _ in CHECKS}}


def run_checks(project: Project, out_dir: Path, *, store_spec: str | None = None,
               tolerance: float = DEFAULT_TOLERANCE, parts_tolerance: float = DEFAULT_PARTS_TOLERANCE,
               timeout_s: float = DEFAULT_TIMEOUT_S) -> CheckReport:
    """Run every check on the store ``store_spec`` (default: the built graph in memory)."""
    report = CheckReport(tolerance, parts_tolerance)
    with open_store(store_spec, project, out_dir, read_only=True) as store:
        for kind, name in CHECKS:
            query = get_query(project, name)
            value = parts_tolerance if kind == "parts" else tolerance
            given = {"tolerance": repr(float(value))} if "tolerance" in query.params else {}
            result = run_query(store, query.text, bind_params(query, given), timeout_s=timeout_s)
            for row in result.records():
                report.findings.append(Finding(kind, _is_problem(kind, row), row))
    return report


def _is_problem(kind: str, row: dict) -> bool:
    verdict = row.get("verdict")
    return {"targets": verdict == "missed", "parts": verdict == "does not add up",
            "ranks": verdict == "contradicted"}.get(kind, True)
