"""The Python API, for notebooks and scripts (re-exported by :mod:`anze_kg`).

Every function takes the project (a :class:`Project`, a folder, or nothing:
the project found from the working directory) and the build folder ``out``
(default: ``out/`` in the project), and does what the command of the same
name does, returning objects instead of printing::

    import anze_kg

    outcome = anze_kg.build_graph()               # facts -> RDF -> SHACL -> out/
    rows = anze_kg.query("indicators-2023")       # a named query (or .rq file)
    rows.records()                                # [{"indicator": "...", "value": Decimal(...)}, ...]
    frame = rows.to_dataframe()                   # pandas (pip install 'anze-kg[pandas]')
    table = anze_kg.observations()                # every observation, one row each (as export --format csv)
    G = anze_kg.to_networkx()                     # the named things as a NetworkX MultiDiGraph

Errors are :class:`anze_kg.errors.AnzeKGError` subclasses, with a message
that names the file and line (and a hint), as on the command line.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx

from anze_kg.build.pipeline import BuildOutcome
from anze_kg.build.pipeline import build as _build
from anze_kg.graph.shacl import ValidationReport, validate_files
from anze_kg.inputs.manifest import union_files
from anze_kg.inputs.project import Project, find_project
from anze_kg.network.projection import projection
from anze_kg.sparql.checks import (
    DEFAULT_PARTS_TOLERANCE,
    DEFAULT_TOLERANCE,
    CheckReport,
    run_checks,
)
from anze_kg.sparql.evaluate import DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT_S, run_named
from anze_kg.sparql.named import adhoc_query, bind_params, get_query
from anze_kg.sparql.results import QueryResult
from anze_kg.sparql.stores import Store
from anze_kg.sparql.stores import open_store as _open_store
from anze_kg.sparql.tables import (
    TABLE_MAX_ROWS,
    TABLE_QUERY,
    TABLE_TIMEOUT_S,
    observations_frame,
)

ProjectLike = Project | str | Path | None


def open_project(project: ProjectLike = None) -> Project:
    """``project`` as a :class:`Project`: a folder laid out as this repository
    (``ontology/``, ``data/``), or, given nothing, the one at or above the
    working directory."""
    if isinstance(project, Project):
        return project
    return find_project() if project is None else Project(Path(project).resolve())


def _out(project: Project, out: str | Path | None) -> Path:
    return Path(out) if out is not None else project.root / "out"


def build_graph(project: ProjectLike = None, *, out: str | Path | None = None, jobs: int = 1,
          allow_drafts: bool = False, store: str | None = None) -> BuildOutcome:
    """Build what changed, validate it against the shapes, land what conforms in
    ``out`` (and, with ``store="oxigraph:PATH"``, in that store).  The outcome
    says what was built, cached or failed (``outcome.failures``, each with its
    violations) and ``outcome.summary()`` gives it as a dict."""
    project = open_project(project)
    return _build(project, _out(project, out), allow_drafts=allow_drafts, jobs=jobs, store=store)


def validate(project: ProjectLike = None, files: list[str | Path] | None = None, *,
             out: str | Path | None = None, shapes: str | Path | None = None) -> ValidationReport:
    """Validate RDF files (default: the built ``out/anze.ttl``, or its
    per-report files, :func:`anze_kg.inputs.manifest.union_files`) against the
    shapes (default: ``ontology/shapes.ttl``).  ``report.conforms``,
    ``report.violations`` (focus node, path, message, fact file:line)."""
    project = open_project(project)
    paths = [Path(f) for f in files] if files else union_files(_out(project, out))
    return validate_files(paths, project, Path(shapes) if shapes else None)


def open_store(project: ProjectLike = None, *, store: str | None = "memory", out: str | Path | None = None,
               read_only: bool = True) -> Store:
    """The graph to query: ``memory`` (the current build, in memory; built and
    checked first if ``out`` is stale) or ``oxigraph:PATH`` (a store on disk).
    ``store.ox`` is the :class:`pyoxigraph.Store`; use it in a ``with`` block
    or call ``close()``."""
    project = open_project(project)
    return _open_store(store, project, _out(project, out), read_only=read_only)


def query(name: str | None = None, params: dict[str, str] | None = None, *, sparql: str | None = None,
          project: ProjectLike = None, store: str | Store | None = "memory", out: str | Path | None = None,
          timeout: float = DEFAULT_TIMEOUT_S, max_rows: int = DEFAULT_MAX_ROWS) -> QueryResult:
    """Run a named query (``queries/NAME.rq``), a ``.rq`` file, or the text
    ``sparql``, guarded and time-limited as ``anze-kg query`` runs it.
    ``params`` override the query's declared defaults (typed by its header).
    ``store`` is a spec (``memory``, ``oxigraph:PATH``) or an open
    :class:`Store` (reused: no reload per query).  The result has ``rows``,
    ``records()`` (dicts of Python values) and ``to_dataframe()``."""
    project = open_project(project)
    if (name is None) == (sparql is None):
        raise TypeError("give a query name (or .rq file) or sparql=TEXT, one of them")
    named = get_query(project, name) if name is not None else adhoc_query(sparql)
    bindings = bind_params(named, params)
    if isinstance(store, Store):
        return run_named(project, store, named, bindings, timeout_s=timeout, max_rows=max_rows)
    with _open_store(store, project, _out(project, out), read_only=True) as opened:
        return run_named(project, opened, named, bindings, timeout_s=timeout, max_rows=max_rows)


def observations(project: ProjectLike = None, *, out: str | Path | None = None, store: str | Store | None = "memory",
                 exact: bool = False):
    """Every observation as one tidy pandas DataFrame, a row each, sorted by
    report, indicator, area, period and observation: the table that ``anze-kg
    export --format csv|xlsx`` writes, from the named query
    ``observations-table``.  Its columns are
    :data:`anze_kg.sparql.tables.COLUMNS`: ids, labels, the period and the
    value and unit as written are text ("121.6" stays "121.6"); the normalised
    value, growth and change in points are float64 (``Decimal`` with
    ``exact``); rank, quote offsets and fact line Int64; ``is_target`` bool.
    Needs pandas (the [pandas] extra)."""
    project = open_project(project)
    result = query(TABLE_QUERY, project=project, store=store, out=out, timeout=TABLE_TIMEOUT_S,
                   max_rows=TABLE_MAX_ROWS)
    return observations_frame(result, exact=exact)


def check(project: ProjectLike = None, *, out: str | Path | None = None, store: str | None = "memory",
          tolerance: float = DEFAULT_TOLERANCE, parts_tolerance: float = DEFAULT_PARTS_TOLERANCE) -> CheckReport:
    """Compare the reports as ``anze-kg check`` does: revised figures, growth rates
    that their levels contradict by more than ``tolerance`` points, targets
    against actuals, parts against their total (``parts_tolerance`` percent) and
    stated ranks against the peers' figures.  ``report.findings`` holds each row
    with its quotes."""
    project = open_project(project)
    return run_checks(project, _out(project, out), store_spec=store, tolerance=tolerance,
                      parts_tolerance=parts_tolerance)


def to_networkx(project: ProjectLike = None, *, out: str | Path | None = None, report: str | None = None,
                with_observations: bool = False, concepts: bool = True) -> nx.MultiDiGraph:
    """The named things of the graph (enterprises, projects, villages,
    programmes, places...) as a NetworkX MultiDiGraph: nodes are IRIs with
    ``class``, ``label`` (Chinese as written), ``label_en``, ``reports`` and
    ``quotes`` (the evidence, with offsets); edges are keyed by the property's
    local name, with ``predicate`` (its IRI), ``label_zh`` and ``label_en``.
    ``report`` limits it to one report's named graph."""
    project = open_project(project)
    return projection(project, _out(project, out), report=report, include_observations=with_observations,
                      include_concepts=concepts)
