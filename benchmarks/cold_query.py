"""Cold ``anze-kg query NAME`` against a bare pyoxigraph process, side by side.

Each run is a new process.  The bare one imports pyoxigraph, loads
``out/anze.trig`` and runs the same query file as written (its defaults are
VALUES lines of its own text), with pyoxigraph's union of the named graphs
as default graph; ours is
the installed command, with its guard, freshness check, worker and output.
Median wall time of ``--runs`` alternating runs, and the ratio (the aim of
issue 14: at most 2x).

    python benchmarks/cold_query.py [NAME ...] [--runs 7] [--bytecode]

Needs a fresh build (``anze-kg build``) in the project of the working directory.

``--bytecode`` runs both with Python's bytecode cache on (a private
``PYTHONPYCACHEPREFIX``, warmed first), as a normal install has it: where
``PYTHONDONTWRITEBYTECODE`` is set, as in this project's sessions, every run of
ours compiles the package's 25 modules of the query path again (about 20 ms);
the bare process compiles nothing.

Measured 2026-12-03 (2 cores, 9 runs; growth-above, villages, indicators-2023):
bare 0.044-0.046 s; ours 0.127-0.128 s (2.8-2.9x), with ``--bytecode`` 0.107 s
(2.4x).  The rest of the difference: Python's start-up and the standard
library the command needs (argparse, dataclasses, pathlib, json, hashlib,
pickle, decimal, datetime: about 30 ms that ``import pyoxigraph`` alone does
not pay), the guard (1-2 ms), and the killable query child without a
network (fork, unshare, heap limit, results pickled back: about 4 ms).
Loading the file costs the same in both (about 25 ms).

Measured 2026-12-07, after a named query on the small memory store stopped
forking its child (9 runs, the machine shared: load average about 4 on 2
cores, so every figure is 4x slower than above): bare 0.17-0.20 s, ours
0.50-0.59 s (2.6-3.3x).  Without a fresh build the query reads the query
cache and the ratio is about 4x.  What is left is mostly Python compiling
the package's query path from source (``PYTHONDONTWRITEBYTECODE``): under
cProfile, ``compile`` of 26 modules took 94 ms of a 435 ms run, regular
expressions compiled at import 56 ms, loading the file 98 ms.

Measured 2026-12-07 later, quiet machine (11 runs), after the table's cell cut
became one pass and the query path stopped importing dataclasses, typing,
tempfile, difflib and decimal: with ``--bytecode`` bare 0.127-0.136 s, ours
0.259-0.272 s (1.9-2.1x; 2.2-2.3x before, same day, same conditions);
without it 2.4-2.5x (2.6-2.8x before).

Measured 2026-12-07, a later session, quiet machine, 7 runs, ``--bytecode``:
bare 0.142-0.148 s, ours 0.286-0.302 s (1.9-2.1x).  The same command run on a
stale ``out/`` (the code had changed since the build) gave 2.9-3.2x: the
script now refuses to measure that.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from anze_kg.inputs.manifest import is_fresh
from anze_kg.inputs.project import find_project
from anze_kg.sparql.named import get_query

# The query file as written: its defaults are VALUES lines of its own text.
BARE = """
import sys, pyoxigraph as ox
store = ox.Store()
store.load(path=sys.argv[1], format=ox.RdfFormat.TRIG)
rows = store.query(open(sys.argv[2], encoding="utf-8").read(), use_default_graph_as_union=True)
print(sum(1 for _ in rows) if hasattr(rows, "__iter__") else rows)
"""


def wall(cmd: list[str], env: dict | None = None) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=env)
    return time.perf_counter() - started


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("names", nargs="*", default=["growth-above", "villages", "indicators-2023"])
    p.add_argument("--runs", type=int, default=7)
    p.add_argument("--bytecode", action="store_true", help="both with a (private, warmed) bytecode cache")
    args = p.parse_args()
    env = None
    if args.bytecode:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = tempfile.mkdtemp(prefix="cold-query-pyc-")
    project = find_project()
    trig = project.root / "out" / "anze.trig"
    if not is_fresh(project, project.root / "out"):  # ours would build the graph: not the cold query measured here
        sys.exit(f"{project.root / 'out'} is not a fresh build of the current inputs and code: run `anze-kg build` first")
    command = str(Path(sys.executable).with_name("anze-kg"))
    print(f"{'query':<28} {'bare s':>8} {'ours s':>8} {'ratio':>6}")
    for name in args.names:
        bare_cmd = [sys.executable, "-c", BARE, str(trig), str(get_query(project, name).path)]
        ours_cmd = [command, "query", name, "-f", "csv"]
        bare, ours = [], []
        wall(bare_cmd, env), wall(ours_cmd, env)  # warm-up (fills the bytecode cache with --bytecode)
        for _ in range(args.runs):
            bare.append(wall(bare_cmd, env))
            ours.append(wall(ours_cmd, env))
        b, o = statistics.median(bare), statistics.median(ours)
        print(f"{name:<28} {b:>8.3f} {o:>8.3f} {o / b:>6.1f}")


if __name__ == "__main__":
    main()
