"""The build as a whole: report by report, cached, in parallel, all or nothing.

Each named graph is a *unit*: the ontology, the shared vocabulary, and one per
report.  A unit's key is the digest of every input it depends on (for a
report: its text, metadata and fact files, plus the ontology, the shapes, the
vocabulary and the builder's version).  A report whose key has a verified
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

import gc
import hashlib
import json
import os
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from . import namespaces as ns
from .cache import FRAGMENTS, Cache, Entry, digest_files, sha256
from .errors import AnzeKGError, OutputError, SourceUnavailable
from .export import FILE_MODE
from .sources import Project

DATASET_TRIG = "anze.trig"
MANIFEST = "build.json"
OUTPUTS = {"anze.ttl": "ttl", "anze.nt": "nt", DATASET_TRIG: "trig"}
ONTOLOGY, VOCAB = "ontology", "vocab"
Progress = Callable[[int, int, str, str], None]


@dataclass(frozen=True)
class ReportResult:
    """How one report fared: built, cached, failed (SHACL) or error (input)."""

    report: str
    status: str
    violations: tuple = ()
    error: str | None = None
    exit_code: int = 0


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
            "triples": self.triples, "reports": sorted(u for u in self.landed if u not in (ONTOLOGY, VOCAB)),
            "built": [r.report for r in self.results if r.status == "built"],
            "cached": [r.report for r in self.results if r.status == "cached"],
            "skipped": [r.report for r in self.results if r.status == "skipped"],
            "failed": [r.report for r in self.failures], "counts": self.counts,
            "conforms": not self.failures, "changed": self.changed,
            "files": [str(p) for p in self.files], "store": self.store, "seconds": round(self.seconds, 3),
        }


# ---------------------------------------------------------------- keys


def _shared_files(project: Project) -> list[Path]:
    return [*project.ontology_files(), project.shapes_file, *sorted(project.vocab_dir.glob("*.yaml"))]


def _report_files(folder: Path) -> list[Path]:
    return [folder / "report.yaml", folder / "report.txt", *sorted((folder / "facts").glob("*.yaml"))]


def unit_keys(project: Project, allow_drafts: bool = False) -> dict[str, str]:
    """The key of every unit: the digest of exactly the inputs it depends on."""
    version = f"anze-kg {__version__} drafts={allow_drafts}"
    shared = digest_files(_shared_files(project), version)
    keys = {ONTOLOGY: digest_files(project.ontology_files(), version), VOCAB: shared}
    for folder in project.report_dirs():
        keys[folder.name] = digest_files(_report_files(folder), shared)
    return keys


def fingerprint(project: Project) -> str:
    return sha256(json.dumps(unit_keys(project), sort_keys=True).encode())


def graph_of(unit: str) -> str:
    return str({ONTOLOGY: ns.ONTOLOGY_GRAPH, VOCAB: ns.VOCAB_GRAPH}.get(unit) or ns.report_graph(unit))


# ---------------------------------------------------------------- workers

_SHARED: dict = {}


def _load_shared(project_root: str, allow_drafts: bool) -> dict:
    """Ontology, vocabulary and shapes: loaded once per process."""
    if _SHARED.get("key") != (project_root, allow_drafts):
        from .build import vocab_triples
        from .facts import FactSet, check_references, load_vocab
        from .schema import load_ontology
        from .validate import load_shapes

        project = Project(Path(project_root))
        index = load_ontology(project.ontology_files())
        vocab = load_vocab(project, index)
        check_references(FactSet(vocab, {}), index, allow_drafts)
        _SHARED.clear()
        from rdflib.namespace import RDF, RDFS

        ontology = list(index.graph)
        # What the shapes need of the ontology: the class hierarchy and the concepts' types.
        axioms = [t for t in ontology if t[1] in (RDFS.subClassOf, RDF.type)]
        _SHARED.update(key=(project_root, allow_drafts), project=project, index=index, vocab=vocab,
                       shapes=load_shapes(project.shapes_file), ontology=ontology, axioms=axioms,
                       vocab_triples=vocab_triples(index, FactSet(vocab, {})))
    return _SHARED


def fragments_of(triples: list[tuple], graph: str) -> dict[str, bytes]:
    """The graph's fragments in each output format.  The quads are sorted once;
    the N-Triples are the N-Quads with the graph name cut from each line (the
    same bytes ``serialize`` would give, in a tenth of the time)."""
    import pyoxigraph as ox
    from rdflib import URIRef

    from .export import FORMATS, PREFIX_MAP, serialize, to_ox_quads

    quads = to_ox_quads((s, p, o, URIRef(graph)) for s, p, o in dict.fromkeys(triples))
    nq = serialize(quads, FORMATS["nquads"])
    nt = nq.replace(f" <{graph}> .\n".encode(), b" .\n")
    ttl = ox.serialize([q.triple for q in quads], format=FORMATS["turtle"].ox, prefixes=PREFIX_MAP)
    fragments = {"nq": nq, "nt": nt, "ttl": ttl, "trig": serialize(quads, FORMATS["trig"])}
    return {name: fragments[name] for name in FRAGMENTS}


def _counts(triples: list[tuple], index) -> dict[str, int]:
    from rdflib.namespace import RDF

    by_iri = {iri: name for name, iri in index.classes.items()}
    counts: dict[str, int] = {}
    for s, p, o in dict.fromkeys(triples):
        if p == RDF.type and o in by_iri:
            counts[by_iri[o]] = counts.get(by_iri[o], 0) + 1
    return counts


def build_report_unit(project_root: str, out_dir: str, folder: str, key: str, allow_drafts: bool) -> ReportResult:
    """Build, validate and cache one report (runs in a worker process).

    Python's cyclic garbage collector is paused while a report is built: the
    build makes many small objects and no cycles that matter (measured: a
    quarter less time for the graph construction); it runs again in between."""
    gc.disable()
    try:
        return _build_report_unit(project_root, out_dir, folder, key, allow_drafts)
    finally:
        gc.enable()


def _build_report_unit(project_root: str, out_dir: str, folder: str, key: str, allow_drafts: bool) -> ReportResult:
    from rdflib import Graph

    from .build import report_triples
    from .facts import FactSet, check_references, load_report_facts
    from .sources import load_report
    from .validate import validate_graph

    name = Path(folder).name
    try:
        shared = _load_shared(project_root, allow_drafts)
        report = load_report(Path(folder))
        facts = FactSet(shared["vocab"], {report.id: load_report_facts(shared["project"], report, shared["index"], shared["vocab"])})
        check_references(facts, shared["index"], allow_drafts)
        triples = report_triples(shared["index"], facts, report)
    except SourceUnavailable as exc:
        return ReportResult(name, "skipped", error=str(exc))
    except AnzeKGError as exc:
        return ReportResult(name, "error", error=str(exc), exit_code=exc.exit_code)
    graph = Graph()
    for part in (shared["axioms"], shared["vocab_triples"], triples):
        for triple in part:
            graph.add(triple)
    verdict = validate_graph(graph, shared["shapes"])
    if not verdict.conforms:
        return ReportResult(name, "failed", violations=verdict.violations, exit_code=1)
    Cache(Path(out_dir)).put(name, key, fragments_of(triples, graph_of(name)), len(set(triples)),
                             _counts(triples, shared["index"]))
    return ReportResult(name, "built")


# ---------------------------------------------------------------- the build


def read_manifest(out_dir: Path) -> dict:
    try:
        return json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _shared_unit(cache: Cache, unit: str, key: str, project: Project, allow_drafts: bool) -> Entry:
    entry = cache.get(unit, key)
    if entry is not None and entry.verify():
        return entry
    shared = _load_shared(str(project.root), allow_drafts)
    triples = shared["ontology"] if unit == ONTOLOGY else shared["vocab_triples"]
    return cache.put(unit, key, fragments_of(triples, graph_of(unit)), len(set(triples)), _counts(triples, shared["index"]))


def _run_reports(project: Project, out_dir: Path, todo: dict[str, str], jobs: int, allow_drafts: bool,
                 progress: Progress | None, done: Callable[[ReportResult], None]) -> list[ReportResult]:
    args = [(str(project.root), str(out_dir), str(project.reports_dir / rid), key, allow_drafts) for rid, key in todo.items()]
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
    with ProcessPoolExecutor(max_workers=min(jobs, len(args))) as pool:
        for future in as_completed([pool.submit(build_report_unit, *a) for a in args]):
            finished(future.result())
    return results


def build(project: Project, out_dir: Path, *, allow_drafts: bool = False, jobs: int = 1, store: str | None = None,
          progress: Progress | None = None, outputs: bool = True) -> BuildOutcome:
    """Build what changed, validate it, land what conforms (see the module docstring)."""
    started = time.perf_counter()
    keys = unit_keys(project, allow_drafts)
    cache, previous = Cache(out_dir), read_manifest(out_dir).get("units", {})
    landed = {u: _shared_unit(cache, u, keys[u], project, allow_drafts) for u in (ONTOLOGY, VOCAB)}
    reports = [u for u in keys if u not in (ONTOLOGY, VOCAB)]
    cached = {u: cache.get(u, keys[u]) for u in reports}
    todo = {u: keys[u] for u in reports if cached[u] is None}
    results = [ReportResult(u, "cached") for u in reports if cached[u] is not None]
    lander = None
    if store:
        from .storeload import Lander
        lander = Lander(store)

    def stream(result: ReportResult) -> None:
        """Land a conforming report in the store while the others are still being built."""
        entry = cache.get(result.report, keys[result.report]) if lander and result.status == "built" else None
        if entry is not None and entry.verify(("nq",)):
            lander.add(graph_of(result.report), entry)

    results += _run_reports(project, out_dir, todo, jobs, allow_drafts, progress, stream)
    for result in results:
        entry = cache.get(result.report, keys[result.report]) if result.status in ("built", "cached") else None
        entry = entry or (cache.get(result.report, previous[result.report]) if result.report in previous else None)
        if entry is not None:
            landed[result.report] = entry
    outcome = BuildOutcome(landed, sorted(results, key=lambda r: r.report), (), None, 0.0, False)
    _land(outcome, project, out_dir, cache, previous, lander, outputs, allow_drafts)
    outcome.seconds = time.perf_counter() - started
    return outcome


class _CorruptEntry(Exception):
    def __init__(self, unit: str) -> None:
        super().__init__(unit)
        self.unit = unit


def _land(outcome: BuildOutcome, project: Project, out_dir: Path, cache: Cache, previous: dict, lander,
          outputs: bool, allow_drafts: bool) -> None:
    """Land what was built: the store (graphs it lacks), then ``out/``.  A cache
    entry is checked against its digests as it is read (its N-Quads before
    they go into the store, the other fragments while they are copied into
    ``out/``); a corrupt one is rebuilt and landing tried again."""
    landed = outcome.landed
    if lander is not None:
        for _ in range(3):
            corrupt = [u for u, e in landed.items() if lander.needs(graph_of(u), e) and not e.verify(("nq",))]
            if not corrupt:
                break
            _rebuild(corrupt, outcome, project, out_dir, cache, allow_drafts)
        outcome.store = lander.finish(landed)
    for attempt in range(3):
        keys = {u: e.key for u, e in landed.items()}
        outcome.counts = _sum_counts(landed.values())
        outcome.changed = keys != previous or not _outputs_present(out_dir, outputs)
        if not outcome.changed:
            return
        files = [out_dir / name for name in OUTPUTS] if outputs else []
        manifest = {"fingerprint": sha256(json.dumps(unit_keys(project, allow_drafts), sort_keys=True).encode()),
                    "version": __version__, "units": keys, "graphs": {u: graph_of(u) for u in keys},
                    "triples": outcome.triples, "counts": outcome.counts,
                    "failed": [r.report for r in outcome.failures], "outputs": [p.name for p in files]}
        try:
            _write_outputs(out_dir, landed, files, manifest)
            if not outputs:  # files of an earlier build no longer match build.json
                for name in OUTPUTS:
                    (out_dir / name).unlink(missing_ok=True)
            break
        except _CorruptEntry as exc:
            if attempt == 2:
                raise OutputError(f"the cache entry of {exc.unit} is corrupt again after a rebuild",
                                  hint=f"delete {cache.folder(exc.unit)} and build again") from None
            _rebuild([exc.unit], outcome, project, out_dir, cache, allow_drafts)
    outcome.files = (*files, out_dir / MANIFEST)
    cache.prune(keys)


def _rebuild(units: list[str], outcome: BuildOutcome, project: Project, out_dir: Path, cache: Cache,
             allow_drafts: bool) -> None:
    keys = unit_keys(project, allow_drafts)
    for unit in units:
        for fragment in FRAGMENTS:
            outcome.landed[unit].path(fragment).unlink(missing_ok=True)
        (outcome.landed[unit].folder / f"{outcome.landed[unit].key}.json").unlink(missing_ok=True)
        if unit in (ONTOLOGY, VOCAB):
            outcome.landed[unit] = _shared_unit(cache, unit, keys[unit], project, allow_drafts)
            continue
        result = build_report_unit(str(project.root), str(out_dir), str(project.reports_dir / unit), keys[unit], allow_drafts)
        entry = cache.get(unit, keys[unit])
        if entry is None:
            del outcome.landed[unit]
            outcome.results = [r for r in outcome.results if r.report != unit] + [result]


def _outputs_present(out_dir: Path, outputs: bool) -> bool:
    return (out_dir / MANIFEST).is_file() and (not outputs or all((out_dir / n).is_file() for n in OUTPUTS))


def _sum_counts(entries) -> dict[str, int]:
    total: dict[str, int] = {}
    for entry in entries:
        for name, n in entry.counts.items():
            total[name] = total.get(name, 0) + n
    return dict(sorted(total.items()))


def _order(landed: dict[str, Entry]) -> list[Entry]:
    return [landed[u] for u in (ONTOLOGY, VOCAB) if u in landed] + [landed[u] for u in sorted(landed) if u not in (ONTOLOGY, VOCAB)]


def _write_outputs(out_dir: Path, landed: dict[str, Entry], files: list[Path], manifest: dict) -> None:
    """Concatenate the fragments into each output, streaming, checking each
    fragment against its digest on the way (raises _CorruptEntry, nothing
    renamed), then rename all into place.  The outputs are written side by
    side in threads (file I/O and hashing release the GIL): at 1,000 reports
    that is 3 GB, and most of what an incremental rebuild costs."""
    from concurrent.futures import ThreadPoolExecutor

    staged: list[tuple[Path, Path]] = []
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        for path in files:
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=out_dir)
            os.close(fd)
            os.chmod(tmp, FILE_MODE)
            staged.append((Path(tmp), path))
        order = _order(landed)
        with ThreadPoolExecutor(max_workers=max(1, len(files))) as pool:
            for done in [pool.submit(_concatenate, tmp, order, OUTPUTS[path.name]) for tmp, path in staged]:
                done.result()
        fd, tmp = tempfile.mkstemp(prefix=f".{MANIFEST}.", suffix=".tmp", dir=out_dir)
        os.chmod(tmp, FILE_MODE)
        with os.fdopen(fd, "wb") as handle:
            handle.write((json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode())
        staged.append((Path(tmp), out_dir / MANIFEST))
        for tmp, path in staged:
            os.replace(tmp, path)
    except OSError as exc:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        raise OutputError(f"cannot write {exc.filename or out_dir}: {exc.strerror or exc}",
                          hint="check the folder exists and is writable; nothing was changed") from None
    except _CorruptEntry:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        raise


def _concatenate(target: Path, entries: list[Entry], fragment: str) -> None:
    with open(target, "wb") as handle:
        for entry in entries:
            digest = hashlib.sha256()
            try:
                part = open(entry.path(fragment), "rb")
            except FileNotFoundError:
                raise _CorruptEntry(entry.unit) from None
            with part:
                while chunk := part.read(1 << 20):
                    digest.update(chunk)
                    handle.write(chunk)
            if digest.hexdigest() != entry.digests.get(fragment):
                raise _CorruptEntry(entry.unit)


# ---------------------------------------------------------------- readers


def is_fresh(project: Project, out_dir: Path) -> bool:
    """Whether ``out_dir`` holds what the last build of exactly the current inputs landed."""
    manifest = read_manifest(out_dir)
    return (bool(manifest) and manifest.get("fingerprint") == fingerprint(project)
            and DATASET_TRIG in manifest.get("outputs", OUTPUTS) and (out_dir / DATASET_TRIG).is_file())


def current_quads(project: Project, out_dir: Path) -> list:
    """The built graph as sorted pyoxigraph quads: read from ``out_dir`` when it
    holds a build of the current inputs, else built and validated in memory
    (``out_dir`` is not touched)."""
    from .export import parse_quads, to_ox_quads

    if is_fresh(project, out_dir):
        return parse_quads(out_dir / DATASET_TRIG)
    from .build import build_dataset
    from .errors import ValidationFailed
    from .validate import load_shapes, validate_graph

    built = build_dataset(project)
    report = validate_graph(built.union, load_shapes(project.shapes_file))
    if not report.conforms:
        raise ValidationFailed(report)
    return to_ox_quads(built.quads())
