"""Fast-query latency of `anze-kg serve` while slow queries run (the fast lane).

    .venv/bin/python benchmarks/bench_serve_lanes.py

Starts the endpoint on the project's build (run `anze-kg build` first), keeps
N clients sending slow queries (the same text, or a different one each time),
and times an ASK every 0.2 s.  Prints the median and maximum latency.
"""

import statistics
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from conftest_servers import anze_kg_server  # noqa: E402
from test_serve import get  # noqa: E402

SLOW = "SELECT (COUNT(*) AS ?n) WHERE {{ ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . FILTER(?c != {k}) }}"


def run(n, distinct, lane):
    with anze_kg_server(
        "--project",
        str(REPO),
        "serve",
        "--out",
        str(REPO / "out"),
        "--timeout",
        "10",
        "--workers",
        "2",
        "--fast-lane",
        lane,
    ) as base:
        stop = time.monotonic() + 8

        def client(i):
            k = 0
            while time.monotonic() < stop:
                get(base, SLOW.format(k=(i * 1000 + k) if distinct else 0))
                k += 1

        ts = [threading.Thread(target=client, args=(i,)) for i in range(n)]
        for t in ts:
            t.start()
        time.sleep(2)
        lats = []
        while time.monotonic() < stop - 0.5:
            t0 = time.monotonic()
            st = get(base, "ASK { ?s ?p ?o }")[0]
            lats.append((time.monotonic() - t0, st))
            time.sleep(0.2)
        for t in ts:
            t.join()
        ok = [l for l, s in lats if s == 200]
        print(
            f"slow clients {n:2d} {'distinct' if distinct else 'same   '} fast-lane {lane}: ASK median {statistics.median([l for l, _ in lats]) * 1000:.0f} ms, max {max(l for l, _ in lats) * 1000:.0f} ms, {len(ok)}/{len(lats)} answered 200"
        )


for n, d, lane in [
    (2, False, "0"),
    (2, False, "0.5"),
    (20, False, "0.5"),
    (20, True, "0.5"),
]:
    run(n, d, lane)
