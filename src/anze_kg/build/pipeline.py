"""The build as a whole: report by report, cached, in parallel, all or nothing.

Each named graph is a *unit* (the ontology, the shared vocabulary, one per
report) with a key, the digest of its inputs (:mod:`anze_kg.inputs.manifest`).
A report whose key has a verified
cache entry is not rebuilt; the others are built and validated against the
shapes each on its own (shapes are per node, so this gives the verdict of
validating the union), in ``jobs`` worker processes.

What *lands* is, per unit, the new entry if it conformed, else the last good
one (a failing report never replaces a good graph).  Landing writes
``out/`` (``anze.ttl``, ``anze.nt``, ``anze.trig``: each the concatenation of
the units' fragments, sorted within each graph) and, with
``store=oxigraph:PATH``, replaces the changed named graphs in that store:
there each conforming report is loaded as soon as its worker is done, so the
store fills while the rest are still being validated (each graph in it is
one that conformed; a build killed halfway leaves the store with some new
graphs and ``out/`` as it was, and the next build finishes the job).
``out/build.json`` records what landed.  Nothing is written when nothing
changed; every file is written to a temporary and renamed into place.
"""

from __future__ import annotations

import ctypes
import json
import os
import signal
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from anze_kg import __version__
from anze_kg.build.cache import FRAGMENTS, Cache, Entry
from anze_kg.build.landing import LANDED, Lander
from anze_kg.build.outputs import (
    GRAPH_FILES,
    CorruptEntry,
    graph_files_whole,
    remove_graph_files,
    write_graph_files,
    write_outputs,
)
from anze_kg.build.units import (
    DEFAULT_SHACL_ENGINE,
    build_report,
    build_shared,
    check_engine,
    shared_inputs,
    shared_ntriples,
)
from anze_kg.errors import AnzeKGError, InputError, OutputError, ValidationFailed
from anze_kg.graph.shacl import ValidationReport
from anze_kg.inputs.manifest import (
    MANIFEST,
    OUTPUTS,
    SHARED_UNITS,
    VOCAB,
    graph_of,
    load_memo,
    outputs_whole,
    read_manifest,
    save_memo,
    sha256,
    unit_keys,
)
from anze_kg.inputs.project import Project
from anze_kg.storespec import disk_spec

Progress = Callable[[int, int, str, str], None]
DIGEST_MEMO = "inputs.json"  # in the cache folder: the input digests this build read (manifest.load_memo)


@dataclass(frozen=True)
class ReportResult:
    """How one report fared: built, cached, failed (SHACL) or error (input)."""

    report: str
    status: str
    violations: tuple = ()
    error: str | None = None
    exit_code: int = 0


@dataclass(frozen=True)
class LoadSummary:
    """What :func:`load_built` put where."""

    store: str
    graphs: dict[str, int]  # graph IRI -> quads it holds

    @property
    def quads(self) -> int:
        return sum(self.graphs.values())


@dataclass
class BuildOutcome:
    landed: dict[str, Entry]
    results: list[ReportResult]
    files: tuple[Path, ...]
    store: str | None
    seconds: float
    changed: bool
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def triples(self) -> int:
        return sum(e.triples for e in self.landed.values())

    @property
    def failures(self) -> list[ReportResult]:
        return [r for r in self.results if r.status in ("failed", "error")]

    @property
    def exit_code(self) -> int:
        return max((r.exit_code for r in self.failures), default=0)

    def summary(self) -> dict:
        return {
            "triples": self.triples, "reports": sorted(u for u in self.landed if u not in SHARED_UNITS),
            "built": [r.report for r in self.results if r.status == "built"],
            "cached": [r.report for r in self.results if r.status == "cached"],
            "skipped": [r.report for r in self.results if r.status == "skipped"],
            "failed": [r.report for r in self.failures], "counts": self.counts,
            "conforms": not self.failures, "changed": self.changed,
            "files": [str(p) for p in self.files], "store": self.store, "seconds": round(self.seconds, 3),
        }


# ---------------------------------------------------------------- workers


def build_report_unit(project_root: str, out_dir: str, folder: str, key: str, shared_key: str,
                      allow_drafts: bool, engine: str = DEFAULT_SHACL_ENGINE) -> ReportResult:
    """Build, validate and cache one report (runs in a worker process)."""
    done = build_report(project_root, folder, shared_key, allow_drafts, engine)
    if done.status == "built":
        Cache(Path(out_dir)).put(done.report, key, done.fragments, done.triples, done.counts)
    return ReportResult(done.report, done.status, done.violations, done.error, done.exit_code)


def _shared_unit(cache: Cache, unit: str, keys: dict[str, str], project: Project, allow_drafts: bool) -> Entry:
    entry = cache.get(unit, keys[unit])
    if entry is not None and entry.verify():
        return entry
    done = build_shared(str(project.root), unit, keys[VOCAB], allow_drafts)
    return cache.put(unit, keys[unit], done.fragments, done.triples, done.counts)


def _die_with_parent(parent: int) -> None:
    """In a pool worker: be killed when the build process dies, even by SIGKILL (Linux's
    PR_SET_PDEATHSIG), so no worker outlives a killed build holding its pipes and files."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG = 1
        except (OSError, AttributeError):
            pass  # no prctl: the pool's own shutdown is all there is
    if os.getppid() != parent:  # the build died before the line above took effect
        os._exit(1)


def _run_reports(project: Project, out_dir: Path, todo: dict[str, str], shared_key: str, jobs: int,
                 allow_drafts: bool, progress: Progress | None,
                 done: Callable[[ReportResult], None], engine: str = DEFAULT_SHACL_ENGINE) -> list[ReportResult]:
    args = [(str(project.root), str(out_dir), str(project.reports_dir / rid), key, shared_key, allow_drafts, engine)
            for rid, key in todo.items()]
    results: list[ReportResult] = []

    def finished(result: ReportResult) -> None:
        results.append(result)
        done(result)
        if progress:
            progress(len(results), len(args), result.report, result.status)

    if jobs <= 1 or len(args) <= 1:
        for a in args:
            finished(build_report_unit(*a))
        return results
    with ProcessPoolExecutor(max_workers=min(jobs, len(args)), initializer=_die_with_parent,
                             initargs=(os.getpid(),)) as pool:
        for future in as_completed([pool.submit(build_report_unit, *a) for a in args]):
            finished(future.result())
    return results


# ---------------------------------------------------------------- the build


def build(project: Project, out_dir: Path, *, allow_drafts: bool = False, jobs: int = 1, store: str | None = None,
          progress: Progress | None = None, outputs: bool = True, per_report: bool = False,
          shacl_engine: str = DEFAULT_SHACL_ENGINE) -> BuildOutcome:
    """Build what changed, validate it (with ``shacl_engine``: ``fast``, the Rust
    ``shacl`` package, or ``pyshacl``, the reference), land what conforms (see
    the module docstring).  ``outputs``: write ``out/``'s files; ``per_report``:
    those files are ``out/graphs/{unit}.ttl``, ``.nt``, ``.trig`` (one report's
    graph each, so one changed report rewrites only its own) instead of the
    one-file dumps."""
    started = time.perf_counter()
    check_engine(shacl_engine)
    cache, previous = Cache(out_dir), read_manifest(out_dir).get("units", {})
    load_memo(cache.root / DIGEST_MEMO)
    keys = unit_keys(project, allow_drafts)
    landed = {u: _shared_unit(cache, u, keys, project, allow_drafts) for u in SHARED_UNITS}
    reports = [u for u in keys if u not in SHARED_UNITS]
    cached = {u: cache.get(u, keys[u]) for u in reports}
    todo = {u: keys[u] for u in reports if cached[u] is None}
    results = [ReportResult(u, "cached") for u in reports if cached[u] is not None]
    lander = Lander(store) if store else None

    def stream(result: ReportResult) -> None:
        """Land a conforming report in the store while the others are still being built."""
        entry = cache.get(result.report, keys[result.report]) if lander and result.status == "built" else None
        if entry is not None and entry.verify(LANDED):
            lander.add(graph_of(result.report), entry)

    if todo and shacl_engine == "fast":  # made once here, inherited by the forked workers
        shared_ntriples(shared_inputs(str(project.root), keys[VOCAB], allow_drafts))
    results += _run_reports(project, out_dir, todo, keys[VOCAB], jobs, allow_drafts, progress, stream, shacl_engine)
    for result in results:
        entry = (cached[result.report] if result.status == "cached" else
                 cache.get(result.report, keys[result.report]) if result.status == "built" else None)
        entry = entry or (cache.get(result.report, previous[result.report]) if result.report in previous else None)
        if entry is not None:
            landed[result.report] = entry
    outcome = BuildOutcome(landed, sorted(results, key=lambda r: r.report), (), None, 0.0, False)
    _land(outcome, project, out_dir, cache, previous, keys, lander, outputs, allow_drafts, per_report and outputs)
    memo = cache.root / DIGEST_MEMO
    if outcome.changed or not memo.is_file():  # a build that changed nothing writes nothing
        try:
            save_memo(memo)
        except OutputError:
            pass  # the memo only saves the next build reading its inputs again
    outcome.seconds = time.perf_counter() - started
    return outcome


def load_built(spec: str | None, project: Project, out_dir: Path, *, allow_drafts: bool = False,
               jobs: int = 1) -> LoadSummary:
    """Put the current built graph into the store on disk ``spec``, by the
    build's own landing (:class:`~anze_kg.build.landing.Lander`): what is
    stale is built first (cached), each named graph whose key changed is
    replaced wholesale and the graphs of deleted reports are removed.
    Raises :class:`ValidationFailed` when a report does not conform (the
    store then holds its last conforming graph, as after a build)."""
    parsed = disk_spec(spec, "loading into")
    outcome = build(project, out_dir, allow_drafts=allow_drafts, jobs=jobs, store=str(parsed))
    errors = [r for r in outcome.failures if r.status == "error"]
    if errors:
        error = AnzeKGError(f"report {errors[0].report}: {errors[0].error}")
        error.exit_code = errors[0].exit_code or error.exit_code
        raise error
    if outcome.failures:
        raise ValidationFailed(ValidationReport(False, tuple(v for r in outcome.failures for v in r.violations), 0))
    return LoadSummary(str(parsed), {graph_of(u): e.triples for u, e in sorted(outcome.landed.items())})


def _land(outcome: BuildOutcome, project: Project, out_dir: Path, cache: Cache, previous: dict,
          keys: dict[str, str], lander: Lander | None, outputs: bool, allow_drafts: bool,
          per_report: bool = False) -> None:
    """Land what was built: the store (graphs it lacks), then ``out/``.  A cache
    entry is checked against its digests as it is read (its N-Quads before
    they go into the store, the other fragments while they are copied into
    ``out/``); a corrupt one is rebuilt and landing tried again."""
    landed = outcome.landed
    _check_unchanged(project, keys, cache, lander, allow_drafts)
    if lander is not None:
        for _ in range(3):
            corrupt = [u for u, e in landed.items() if lander.needs(graph_of(u), e) and not e.verify(LANDED)]
            if not corrupt:
                break
            _rebuild(corrupt, outcome, project, out_dir, cache, keys, allow_drafts)
        outcome.store = lander.finish(landed)
    for attempt in range(3):
        units = {u: e.key for u, e in landed.items()}
        outcome.counts = _sum_counts(landed.values())
        dumps = outputs and not per_report
        outcome.changed = (units != previous or not _outputs_present(out_dir, dumps)
                           or bool(read_manifest(out_dir).get("graph_files")) != per_report
                           or (per_report and not graph_files_whole(out_dir, landed)))
        if not outcome.changed:
            return
        names = list(OUTPUTS) if dumps else []
        manifest = {"fingerprint": sha256(json.dumps(keys, sort_keys=True).encode()),
                    "version": __version__, "allow_drafts": allow_drafts, "units": units, "graphs": {u: graph_of(u) for u in units},
                    "triples": outcome.triples, "counts": outcome.counts,
                    "failed": [r.report for r in outcome.failures], "outputs": names}
        try:
            graph_files = write_graph_files(out_dir, landed) if per_report else []
            if per_report:
                manifest["graph_files"] = GRAPH_FILES
            outcome.files = tuple(write_outputs(out_dir, landed, names, manifest))
            if not dumps:  # files of an earlier build no longer match build.json
                for name in OUTPUTS:
                    (out_dir / name).unlink(missing_ok=True)
            if not per_report:
                remove_graph_files(out_dir)
            outcome.files = (*graph_files, *outcome.files)
            break
        except CorruptEntry as exc:
            if attempt == 2:
                raise OutputError(f"the cache entry of {exc.unit} is corrupt again after a rebuild",
                                  hint=f"delete {cache.folder(exc.unit)} and build again") from None
            _rebuild([exc.unit], outcome, project, out_dir, cache, keys, allow_drafts)
    cache.prune(units)


def _check_unchanged(project: Project, keys: dict[str, str], cache: Cache, lander: Lander | None,
                     allow_drafts: bool) -> None:
    """Fail when an input changed while the build ran: what was built may come from
    either version, so nothing of those units is kept (cache entries forgotten, their
    graphs in the store marked dirty) and nothing is written to ``out/``."""
    now = unit_keys(project, allow_drafts)
    changed = sorted(u for u in set(now) | set(keys) if now.get(u) != keys.get(u))
    if not changed:
        return
    for unit in changed:
        if unit in keys:
            cache.discard(unit, keys[unit])
    if lander is not None:
        lander.abandon([graph_of(u) for u in changed])
    where = [("data/vocab/, ontology/" if u in SHARED_UNITS else f"data/reports/{u}/") for u in changed]
    raise InputError(where[0], f"the inputs of {', '.join(changed)} changed while the build ran",
                     hint="nothing was written; build again once the files are saved")


def _rebuild(units: list[str], outcome: BuildOutcome, project: Project, out_dir: Path, cache: Cache,
             keys: dict[str, str], allow_drafts: bool) -> None:
    for unit in units:
        for fragment in FRAGMENTS:
            outcome.landed[unit].path(fragment).unlink(missing_ok=True)
        (outcome.landed[unit].folder / f"{outcome.landed[unit].key}.json").unlink(missing_ok=True)
        if unit in SHARED_UNITS:
            outcome.landed[unit] = _shared_unit(cache, unit, keys, project, allow_drafts)
            continue
        result = build_report_unit(str(project.root), str(out_dir), str(project.reports_dir / unit), keys[unit],
                                   keys[VOCAB], allow_drafts)
        entry = cache.get(unit, keys[unit])
        if entry is None:
            del outcome.landed[unit]
            outcome.results = [r for r in outcome.results if r.report != unit] + [result]


def _outputs_present(out_dir: Path, outputs: bool) -> bool:
    """Whether ``out/`` holds build.json and (when files are wanted) each output whole."""
    return (out_dir / MANIFEST).is_file() and (not outputs or outputs_whole(out_dir, list(OUTPUTS), read_manifest(out_dir)))


def _sum_counts(entries) -> dict[str, int]:
    total: dict[str, int] = {}
    for entry in entries:
        for name, n in entry.counts.items():
            total[name] = total.get(name, 0) + n
    return dict(sorted(total.items()))

