"""Cold ``anze-kg query NAME`` against a bare pyoxigraph process, side by side.

Each run is a new process.  The bare one imports pyoxigraph, loads
``out/anze.trig`` and runs the same query file as written (its defaults are
VALUES lines of its own text), with pyoxigraph's union of the named graphs
as default graph; ours is
the installed command, with its guard, freshness check, worker and output.
Median wall time of ``--runs`` alternating runs, and the ratio (the aim of
issue 14: at most 2x).

    python benchmarks/cold_query.py [NAME ...] [--runs 7]

Needs a fresh build (``anze-kg build``) in the project of the working directory.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

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


def wall(cmd: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("names", nargs="*", default=["growth-above", "villages", "indicators-2023"])
    p.add_argument("--runs", type=int, default=7)
    args = p.parse_args()
    project = find_project()
    trig = project.root / "out" / "anze.trig"
    command = str(Path(sys.executable).with_name("anze-kg"))
    print(f"{'query':<28} {'bare s':>8} {'ours s':>8} {'ratio':>6}")
    for name in args.names:
        bare_cmd = [sys.executable, "-c", BARE, str(trig), str(get_query(project, name).path)]
        ours_cmd = [command, "query", name, "-f", "csv"]
        bare, ours = [], []
        for _ in range(args.runs):
            bare.append(wall(bare_cmd))
            ours.append(wall(ours_cmd))
        b, o = statistics.median(bare), statistics.median(ours)
        print(f"{name:<28} {b:>8.3f} {o:>8.3f} {o / b:>6.1f}")


if __name__ == "__main__":
    main()
