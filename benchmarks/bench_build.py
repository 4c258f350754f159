"""Build speed and memory, measured as whole processes.

    python benchmarks/bench_build.py anze [--runs 7]
        `anze-kg build` on the real project (cold: empty out/; warm: nothing
        changed) beside `python -c "import rdflib, pyshacl"`, interleaved.

    python benchmarks/bench_build.py corpus --reports 100 [--jobs 2] [--naive [--naive-timeout S]] [--no-files]
        a synthetic corpus (benchmarks/synth_facts.py): full build into an
        Oxigraph store and out/ (anze.ttl, .nt, .trig; not with --no-files),
        rebuild after changing one report, a no-change build;
        with --naive also the naive path (one rdflib graph, one pyshacl call)
        in the same run.  Time and peak memory of the whole process tree.

Figures print as a table; --json writes them to benchmarks/results/.

Measured 2026-12-03 (2 cores; the aims of issue 14 in brackets):

* ``anze --runs 9``: cold build 0.360 s, import rdflib, pyshacl 0.188 s: 1.92x
  [at most 2x] (before: 0.525 s, 2.7x); no change 0.168 s.
* ``corpus --reports 100 --jobs 2 --naive``: full build 11.4 s (308 MB), naive
  37.2 s (929 MB): 3.3x [at least 3x] (21.0 s against 38.7 s, 1.8x, before the
  fast SHACL engine; 11.7 s against 35.6 s, 3.0x, with it, before this
  round); one report rebuilt 1.22 s with out/, 0.71 s into the store only.
* ``corpus --reports 1000 --jobs 2``: full build 122 s (340 MB) [60 s, 1 GB]
  (before: 157 s, 384 MB); one report rebuilt 6.6 s with out/ [2 s] (6.7 s),
  1.64 s into the store only [1 s] (2.67 s); no change 0.71 s.  Bulk loading
  the 14 M quads into the store takes about 64 s of it by itself.

Measured 2026-12-07, a slower day on the same machine (``import rdflib,
pyshacl`` 0.56 s against 0.19 s above; ratios are what compare):

* ``anze --runs 9``: cold build 1.169 s, import 0.563 s: 2.08x; no change 0.452 s.
* ``corpus --reports 100 --jobs 2 --naive``: full build 25.0 s (318 MB), naive
  88.4 s (964 MB): 3.5x; one report rebuilt 1.62 s, 1.63 s into the store only.
* 1,000 reports, by hand (see README, Large corpora): one report rebuilt
  9.0-10.6 s with the one-file dumps, 2.07-2.31 s with ``--per-report-files``,
  1.61-2.18 s into the store only.

Measured 2026-12-08 (``import rdflib, pyshacl`` 0.62 s), after the rebuild's
input keys, cache metadata and ontology index were made cheaper:

* ``anze --runs 9 --bytecode``: cold build 1.059 s, import 0.620 s: 1.71x; no
  change 0.471 s (without ``--bytecode``, an hour earlier: 2.38x).
* ``corpus --reports 100 --jobs 2 --naive --bytecode``: full build 26.5 s
  (324 MB), naive 87.1 s (962 MB): 3.29x; one report rebuilt 1.42 s, 1.33 s
  into the store only; no change 0.91 s.
* 1,000 reports, by hand: one report rebuilt 1.50-1.78 s with
  ``--per-report-files``, 1.44-1.52 s into the store only.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PY = sys.executable
sys.path.insert(0, str(Path(__file__).parent))


def tree_pids(pid: int) -> list[int]:
    """A process and all its descendants (one pass over /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    parent = int(handle.read().rsplit(")", 1)[1].split()[1])
                children.setdefault(parent, []).append(int(entry))
            except (OSError, ValueError, IndexError):
                continue
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo += children.get(current, [])
    return found


def rss_kb(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/status") as handle:
                total += next(int(line.split()[1]) for line in handle if line.startswith("VmRSS:"))
        except (OSError, StopIteration):
            continue
    return total


def run(cmd: list[str], cwd: Path | None = None, timeout: float | None = None) -> tuple[float, int, int]:
    """Wall seconds, peak tree RSS (KB) and exit code of a command (killed
    after ``timeout`` seconds: exit code -9)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak, pids, scanned = 0, [proc.pid], 0.0
    while proc.poll() is None:
        if time.perf_counter() - scanned > 1.0:  # the process tree is scanned once a second (it costs CPU)
            pids, scanned = tree_pids(proc.pid), time.perf_counter()
        peak = max(peak, rss_kb(pids))
        if timeout is not None and time.perf_counter() - start > timeout:
            proc.kill()
            proc.wait()
            break
        time.sleep(0.1)
    seconds = time.perf_counter() - start
    if proc.returncode not in (0,):
        sys.stderr.write(proc.stderr.read().decode(errors="replace")[-2000:])
    return seconds, peak, proc.returncode


def wall(cmd: list[str]) -> float:
    """Wall seconds of a command, timed exactly (``run`` polls every 0.1 s for memory)."""
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def anze(runs: int) -> dict:
    cli = [PY, "-m", "anze_kg", "--project", str(REPO)]
    imports, cold, warm = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        wall([PY, "-c", "import rdflib, pyshacl"]), wall([*cli, "build", "--out", str(out)])  # warm-up (bytecode)
        for _ in range(runs):
            imports.append(wall([PY, "-c", "import rdflib, pyshacl"]))
            shutil.rmtree(out, ignore_errors=True)
            cold.append(wall([*cli, "build", "--out", str(out)]))
            warm.append(wall([*cli, "build", "--out", str(out)]))
    med = {k: statistics.median(v) for k, v in (("import rdflib, pyshacl", imports), ("build (cold)", cold),
                                                ("build (no change)", warm))}
    med["cold / import"] = med["build (cold)"] / med["import rdflib, pyshacl"]
    return med


NAIVE = """
import sys, time
from pathlib import Path
from anze_kg.graph.triples import build_dataset
from anze_kg.inputs.project import Project
from anze_kg.graph.shacl import load_shapes, validate_graph
p = Project(Path(sys.argv[1]))
built = build_dataset(p)
r = validate_graph(built.union, load_shapes(p.shapes_file))
print(len(built.union), r.conforms)
"""


def corpus(reports: int, jobs: int, naive: bool, keep: Path | None, files: bool = True,
           naive_timeout: float | None = None) -> dict:
    from synth_facts import make_corpus

    tmp = Path(tempfile.mkdtemp(prefix=f"corpus{reports}-"))
    try:
        project = make_corpus(tmp / "project", reports)
        out, store = tmp / "out", tmp / "store"
        cli = [PY, "-m", "anze_kg", "--project", str(project), "build", "--out", str(out), "--jobs", str(jobs),
               "--store", f"oxigraph:{store}", *([] if files else ["--no-files"])]
        figures = {"reports": reports, "jobs": jobs, "writes out/ files": files}
        figures["full build s"], figures["full build peak MB"], rc = run(cli)
        figures["full build ok"] = rc == 0
        facts = project / "data" / "reports" / "synth-0001" / "facts" / "economy.yaml"
        facts.write_text(facts.read_text(encoding="utf-8").replace("en: Winter Action", "en: Winter Action (changed)"),
                         encoding="utf-8")
        figures["rebuild one changed s"], figures["rebuild peak MB"], _ = run(cli)
        figures["no-change build s"], _, _ = run(cli)
        if files:  # the same once more with the store as the only output (the corpus-scale mode)
            other = project / "data" / "reports" / "synth-0002" / "facts" / "economy.yaml"
            other.write_text(other.read_text(encoding="utf-8").replace("en: Winter Action", "en: Winter Action (2)"),
                             encoding="utf-8")
            figures["rebuild one changed, --no-files s"], _, _ = run([*cli, "--no-files"])
        if naive:
            figures["naive s"], figures["naive peak MB"], rc = run([PY, "-c", NAIVE, str(project)], timeout=naive_timeout)
            figures["naive finished"] = rc == 0
        for key in list(figures):
            if key.endswith("MB"):
                figures[key] = round(figures[key] / 1024)
        if keep:
            shutil.copytree(store, keep, dirs_exist_ok=True)
        return figures
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["anze", "corpus"])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--reports", type=int, default=100)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--naive", action="store_true")
    parser.add_argument("--naive-timeout", type=float, help="stop the naive path after this many seconds")
    parser.add_argument("--no-files", action="store_true", help="build into the store only (no anze.ttl/.nt/.trig)")
    parser.add_argument("--keep-store", type=Path, help="copy the corpus's Oxigraph store here (for query benchmarks)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--bytecode", action="store_true",
                        help="every process with a (private, warmed) bytecode cache, as a user's Python has one; "
                             "without it, under PYTHONDONTWRITEBYTECODE, the package is compiled from source on every run")
    args = parser.parse_args()
    if args.bytecode:  # inherited by every process the benchmark starts
        os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
        os.environ["PYTHONPYCACHEPREFIX"] = tempfile.mkdtemp(prefix="bench-build-pyc-")
    figures = anze(args.runs) if args.what == "anze" else corpus(args.reports, args.jobs, args.naive,
                                                                       args.keep_store, not args.no_files,
                                                                       args.naive_timeout)
    for key, value in figures.items():
        print(f"{key:<28} {value:.3f}" if isinstance(value, float) else f"{key:<28} {value}")
    if args.json:
        results = REPO / "benchmarks" / "results"
        results.mkdir(exist_ok=True)
        name = f"build-{args.what}" + (f"-{args.reports}" if args.what == "corpus" else "") + ".json"
        (results / name).write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
