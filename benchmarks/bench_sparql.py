"""Latency of every named query: memory store, Oxigraph store on disk, bare
pyoxigraph, the endpoint, and cold ``anze-kg query NAME`` as a whole process.

Usage (from the repository root)::

    .venv/bin/python benchmarks/bench_sparql.py [--corpora anze,100,1000] [--runs 5]
        [--work DIR] [--no-endpoint] [--no-cold] [--cold-all]

The project is first copied, with the Anze report only, to ``--work``/project
(default /tmp/anze-kg-bench) and built there, so that edits to data/ while the
benchmark runs change nothing measured.  Corpora: ``anze`` is that build;
``100`` and ``1000`` are synthetic corpora made from it by benchmarks/synth.py
(cached in ``--work``: delete them to regenerate).  Each corpus is bulk loaded
once into an Oxigraph store on disk; the memory store is measured up to 100
reports only (at 1,000 reports the graph stays on disk, as the scale path in
DESIGN.md says).

Columns, all medians of ``--runs`` runs after one warm-up, in milliseconds:

* ``memory``    the query as ``anze-kg query`` runs it (anze_kg.sparql.evaluate.run_named) on the
                memory store (the default store);
* ``bare_mem``  the same query with the same bindings on the bare pyoxigraph memory store;
* ``oxigraph``  run_named on the Oxigraph store on disk;
* ``bare``      the same query with the same bindings on a bare pyoxigraph
                store over the same folder (read-only), results consumed;
* ``ratio``     oxigraph / bare (the aim: at most 1.5 on 1,000 reports);
* ``endpoint``  POST to ``anze-kg serve`` over the same store, full answer read;
* ``ep_ratio``  endpoint / bare of the store it serves (memory for anze, the Oxigraph store otherwise);
* ``cold``      ``anze-kg query NAME`` as a new process (the aim: < 0.5 s on anze).

A query whose warm-up run takes more than 10 s is run once (that time is
given); one that fails (the time limit of 600 s) shows ``-`` and its error
is in the JSON; the bare run of a query the library stopped is skipped (it
has no time limit).

The table is printed and the figures are written to
benchmarks/results/bench-sparql-<time>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO / "tests"))

import synth  # noqa: E402

from anze_kg.build.pipeline import build
from anze_kg.inputs.manifest import is_fresh
from anze_kg.inputs.project import Project
from anze_kg.sparql.stores import Store, open_store
from anze_kg.storespec import StoreSpec

BIN = Path(sys.executable).parent
QUERY_TIMEOUT = 600.0
MAX_ROWS = 100_000_000
SLOW_S = 10.0


def median_ms(fn: Callable[[], object], runs: int) -> tuple[float | None, object]:
    """Median wall time of ``fn`` in ms over ``runs`` runs after one warm-up, and its last result.
    A warm-up slower than ``SLOW_S`` is the only run (its time is given); a failure gives (None, message)."""
    started = time.perf_counter()
    try:
        result = fn()
    except Exception as exc:  # noqa: BLE001 - a timeout or a refused query is a figure too
        return None, f"{type(exc).__name__}: {str(exc)[:200]}"
    warm = (time.perf_counter() - started) * 1000
    if warm > SLOW_S * 1000:
        return warm, result
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        try:
            result = fn()
        except Exception as exc:  # noqa: BLE001
            return None, f"{type(exc).__name__}: {str(exc)[:200]}"
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


# -- the queries, through the library and bare ----------------------------------------------------------

def named_queries(project: Project) -> list:
    from anze_kg.sparql.named import list_queries

    return list(list_queries(project))


def library_runner(project: Project, store, named) -> Callable[[], int]:
    """The query with its default bindings as ``anze-kg query`` and ``anze_kg.query`` run it
    (anze_kg.sparql.evaluate.run_named: the long-lived killable child, or this process for a
    lookup or a named query on a small memory store)."""
    from anze_kg.sparql.evaluate import run_named
    from anze_kg.sparql.named import bind_params

    bindings = bind_params(named, {})

    def run() -> int:
        return len(run_named(project, store, named, bindings, timeout_s=QUERY_TIMEOUT, max_rows=MAX_ROWS))
    return run


def bare_runner(ox_store: ox.Store, named) -> Callable[[], int]:
    """The same query and bindings straight on a pyoxigraph store, in this process, results read
    (every row's values taken, as any caller that uses the answer does)."""
    from anze_kg.namespaces import PREFIX_MAP
    from anze_kg.sparql.named import bind_params

    subs = {ox.Variable(k): v for k, v in bind_params(named, {}).items()} or None

    def run() -> int:
        results = ox_store.query(named.text, use_default_graph_as_union=True, substitutions=subs, prefixes=PREFIX_MAP)
        if isinstance(results, ox.QueryBoolean):
            return 1
        return len(set(results)) if isinstance(results, ox.QueryTriples) else len([tuple(row) for row in results])
    return run


# -- stores ---------------------------------------------------------------------------------------------

def snapshot(project: Project, work: Path, report: str = "anze-2023") -> Project:
    """A copy of the project with the one report ``report``, built into its out/: edits made to
    data/ while the benchmark runs (or a half-added report) change nothing measured."""
    root = work / "project"
    shutil.rmtree(root, ignore_errors=True)
    for folder in ("ontology", "queries", "data/vocab", f"data/reports/{report}"):
        shutil.copytree(project.root / folder, root / folder)
    copy = Project(root)
    build(copy, root / "out")
    return copy


def ensure_built(project: Project) -> Path:
    out = project.root / "out"
    if not is_fresh(project, out):
        build(project, out)
    return out


def corpus_file(name: str, project: Project, work: Path) -> Path:
    out = ensure_built(project)
    if name == "anze":
        return out / "anze.trig"
    path = work / f"synth-{name}.nq"
    if not path.exists():
        synth.write_corpus(out / "anze.trig", int(name), work)
    return path


def disk_store(data: Path, work: Path) -> tuple[Path, float]:
    """An Oxigraph folder bulk loaded from ``data`` (kept between runs); seconds spent loading (0 when kept)."""
    folder = work / (data.stem + ".oxigraph")
    done = folder / "LOADED"
    if done.exists():
        return folder, 0.0
    started = time.perf_counter()
    store = ox.Store(str(folder))
    store.bulk_load(path=str(data))
    store.flush()
    store.optimize()
    del store
    done.write_text(str(data))
    return folder, time.perf_counter() - started


def memory_store(data: Path) -> Store:
    store = ox.Store()
    store.bulk_load(path=str(data))
    return Store(store, StoreSpec("memory"))


# -- endpoint and cold process ------------------------------------------------------------------------------

class Endpoint:
    def __init__(self, spec: str, out: Path, max_rows: int) -> None:
        from conftest_servers import anze_kg_server

        self.context = anze_kg_server("--project", str(out.parent), "serve", "--store", spec, "--out", str(out),
                                      "--timeout", str(QUERY_TIMEOUT), "--max-rows", str(max_rows))

    def __enter__(self) -> "Endpoint":
        self.base = self.context.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        self.context.__exit__(*exc)

    def runner(self, text: str) -> Callable[[], int]:
        def run() -> int:
            request = urllib.request.Request(self.base + "/query", data=text.encode(), headers={
                "Content-Type": "application/sparql-query",
                "Accept": "application/sparql-results+json, text/turtle;q=0.9"})
            try:
                with urllib.request.urlopen(request, timeout=QUERY_TIMEOUT + 30) as response:
                    return len(response.read())
            except urllib.error.HTTPError as exc:
                raise RuntimeError(f"{exc.code}: {exc.read()[:300].decode(errors='replace')}") from None
        return run


def cold_ms(project: Project, name: str, spec: str | None, runs: int) -> float | None:
    command = [str(BIN / "anze-kg"), "--project", str(project.root), "query", name, "--timeout", str(QUERY_TIMEOUT)] + (["--store", spec] if spec else [])

    def run() -> int:
        done = subprocess.run(command, cwd=project.root, capture_output=True, timeout=QUERY_TIMEOUT)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(command)}: {done.stderr.decode()[-500:]}")
        return len(done.stdout)
    return median_ms(run, runs)[0]


# -- one corpus -----------------------------------------------------------------------------------------

def bench_corpus(name: str, args, project: Project) -> dict:
    data = corpus_file(name, project, args.work)
    folder, load_s = disk_store(data, args.work)
    spec = f"oxigraph:{folder}"
    queries = [q for q in named_queries(project) if (not args.only or q.name in args.only.split(","))
               and q.name not in (args.skip or "").split(",")]
    rows: dict[str, dict] = {q.name: {} for q in queries}
    memory = memory_store(data) if name in ("anze", "100") else None
    disk = open_store(spec, project, project.root / "out", read_only=True)
    bare = ox.Store.read_only(str(folder))
    for q in queries:
        row = rows[q.name]
        if memory is not None:
            row["memory"], _ = median_ms(library_runner(project, memory, q), args.runs)
            row["bare_mem"], _ = median_ms(bare_runner(memory.ox, q), args.runs)
        row["oxigraph"], row["rows"] = median_ms(library_runner(project, disk, q), args.runs)
        if row["oxigraph"] is None:  # the library stopped it at the time limit: bare has no limit to stop it
            row["bare"], bare_rows = None, "not run: the library run failed"
        else:
            row["bare"], bare_rows = median_ms(bare_runner(bare, q), args.runs)
        row["ratio"] = row["oxigraph"] / row["bare"] if row["oxigraph"] and row["bare"] else None
        row["same_rows"] = bare_rows == row["rows"] or row["bare"] is None
        print(f"  {name} {q.name}: {row}", file=sys.stderr, flush=True)
    disk.close()
    del bare, memory
    if not args.no_endpoint:
        with Endpoint("memory" if name == "anze" else spec, project.root / "out", MAX_ROWS) as endpoint:
            for q in queries:
                row = rows[q.name]
                row["endpoint"], answer = median_ms(endpoint.runner(_endpoint_text(q)), args.runs)
                if row["endpoint"] is None:
                    row["endpoint_error"] = answer
                base = row.get("bare_mem") if name == "anze" else row["bare"]  # the store the endpoint serves
                row["ep_ratio"] = row["endpoint"] / base if row["endpoint"] and base else None
    if not args.no_cold and (name == "anze" or args.cold_all):
        for q in queries:
            rows[q.name]["cold"] = cold_ms(project, q.name, None if name == "anze" else spec, args.cold_runs)
    triples = sum(1 for _ in ox.parse(path=str(data))) if name == "anze" else None
    return {"corpus": name, "data": str(data), "bytes": data.stat().st_size, "load_seconds": round(load_s, 2),
            "triples": triples, "max_rss_mb": _rss_mb(), "queries": rows}


def _endpoint_text(q) -> str:
    """The query text the page sends for a named query (its defaults are in the text)."""
    return q.text


def _rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


# -- output ---------------------------------------------------------------------------------------------

COLUMNS = ("memory", "bare_mem", "oxigraph", "bare", "ratio", "endpoint", "ep_ratio", "cold", "rows")


def table(result: dict) -> str:
    lines = [f"corpus {result['corpus']}: {result['bytes'] / 1e6:.1f} MB, loaded in {result['load_seconds']} s, "
             f"max RSS {result['max_rss_mb']} MB (ms, medians)",
             f"{'query':38}" + "".join(f"{c:>10}" for c in COLUMNS)]
    for name, row in result["queries"].items():
        cells = []
        for c in COLUMNS:
            value = row.get(c)
            if isinstance(value, str):
                value = "error"
            cells.append(f"{'-':>10}" if value is None else f"{value:>10.2f}" if isinstance(value, float)
                         else f"{value:>10}")
        lines.append(f"{name[:38]:38}" + "".join(cells) + ("" if row.get("same_rows", True) else "  ROWS DIFFER"))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--corpora", default="anze,100,1000")
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--cold-runs", type=int, default=3)
    p.add_argument("--work", type=Path, default=Path("/tmp/anze-kg-bench"))
    p.add_argument("--no-endpoint", action="store_true")
    p.add_argument("--only", metavar="NAMES", help="only these named queries (comma-separated)")
    p.add_argument("--skip", metavar="NAMES", help="leave out these named queries (comma-separated)")
    p.add_argument("--no-cold", action="store_true")
    p.add_argument("--cold-all", action="store_true", help="cold runs on the synthetic corpora too (default: anze only)")
    args = p.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    project = snapshot(Project(REPO), args.work)
    results = []
    for name in args.corpora.split(","):
        result = bench_corpus(name.strip(), args, project)
        print(table(result), flush=True)
        print(flush=True)
        results.append(result)
    target = HERE / "results" / f"bench-sparql-{time.strftime('%Y%m%d-%H%M%S')}.json"
    target.parent.mkdir(exist_ok=True)
    target.write_text(json.dumps({"runs": args.runs, "cpus": os.cpu_count(), "results": results}, indent=2))
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
