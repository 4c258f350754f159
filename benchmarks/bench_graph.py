"""Benchmark of the network stage: projection, metrics and the interactive page
on a synthetic corpus (benchmarks/synth.py), and how close sampled betweenness
stays to the exact one on a corpus small enough for both.

Usage (from the repository root, after ``anze-kg build``)::

    .venv/bin/python benchmarks/bench_graph.py --reports 1000 [--agreement-reports 10] [--source out/anze.trig]

Prints one line per phase: seconds, the process's peak resident memory so far
(``ru_maxrss``) and the resident memory the phase added; then the page size
and the agreement figures (Spearman rank correlation over all nodes and over
the nodes with non-zero betweenness, overlap of the top 10 and top 50).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

import networkx as nx
import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synth import corpus_quads  # noqa: E402  (the sibling benchmark module)

from anze_kg.network.metrics import BETWEENNESS_SAMPLE, SEED, analyze, simple_undirected  # noqa: E402
from anze_kg.network.pictures import page_html  # noqa: E402
from anze_kg.network.projection import project_quads  # noqa: E402


def rss_mb() -> float:
    with open("/proc/self/statm", encoding="ascii") as handle:
        return int(handle.read().split()[1]) * resource.getpagesize() / 2**20


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def phase(name: str, rows: list, fn, *args, **kwargs):
    before = rss_mb()
    started = time.perf_counter()
    result = fn(*args, **kwargs)
    seconds = time.perf_counter() - started
    rows.append({"phase": name, "seconds": round(seconds, 2), "peak_rss_mb": round(peak_mb()),
                 "added_rss_mb": round(rss_mb() - before)})
    print(f"{name:<34} {seconds:8.2f} s   peak RSS {peak_mb():7.0f} MB   +{rss_mb() - before:6.0f} MB", flush=True)
    return result


def ranks(values: dict) -> dict:
    order = sorted(values, key=values.get)
    out, i = {}, 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            out[order[k]] = (i + j) / 2
        i = j + 1
    return out


def spearman(a: dict, b: dict) -> float:
    ra, rb = ranks(a), ranks(b)
    n = len(ra)
    ma, mb = sum(ra.values()) / n, sum(rb.values()) / n
    cov = sum((ra[k] - ma) * (rb[k] - mb) for k in ra)
    va, vb = sum((v - ma) ** 2 for v in ra.values()), sum((v - mb) ** 2 for v in rb.values())
    return cov / (va * vb) ** 0.5 if va and vb else 1.0


def top(values: dict, k: int) -> set:
    return set(sorted(values, key=lambda n: (-values[n], n))[:k])


def agreement(source: list, reports: int, samples: list[int]) -> dict:
    """Exact vs sampled betweenness on a corpus of ``reports`` reports."""
    U = simple_undirected(project_quads(corpus_quads(source, reports)))
    started = time.perf_counter()
    exact = nx.betweenness_centrality(U, normalized=True)
    result = {"reports": reports, "nodes": len(U), "pairs": U.number_of_edges(),
              "exact_seconds": round(time.perf_counter() - started, 2), "sampled": []}
    nonzero = [n for n in U if exact[n] > 0]
    for k in samples:
        started = time.perf_counter()
        sampled = nx.betweenness_centrality(U, k=k, normalized=True, seed=SEED)
        result["sampled"].append({
            "k": k, "seconds": round(time.perf_counter() - started, 2),
            "spearman_all": round(spearman(exact, sampled), 3),
            "spearman_nonzero": round(spearman({n: exact[n] for n in nonzero}, {n: sampled[n] for n in nonzero}), 3),
            "top10_overlap": len(top(exact, 10) & top(sampled, 10)),
            "top50_overlap": len(top(exact, 50) & top(sampled, 50))})
    return result


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--reports", type=int, default=1000)
    p.add_argument("--source", type=Path, default=Path("out/anze.trig"), help="built TriG (default: out/anze.trig)")
    p.add_argument("--agreement-reports", type=int, default=10, help="corpus size for exact vs sampled (0: skip)")
    p.add_argument("--skip-page", action="store_true")
    p.add_argument("--page-max-nodes", type=int, default=5000, help="the page's node cap (default 5000, as anze-kg viz)")
    p.add_argument("--json", type=Path, help="also write the figures here")
    args = p.parse_args(argv)
    if not args.source.is_file():
        p.error(f"no {args.source}: run anze-kg build first, or give --source")
    source = list(ox.parse(path=str(args.source)))
    rows: list = []
    figures: dict = {"reports": args.reports, "phases": rows}
    quads = phase(f"synthetic corpus ({args.reports} reports)", rows, corpus_quads, source, args.reports)
    figures["quads"] = len(quads)
    G = phase("projection", rows, project_quads, quads)
    del quads
    figures.update(nodes=G.number_of_nodes(), edges=G.number_of_edges())
    print(f"  {len(G)} nodes, {G.number_of_edges()} relations", flush=True)
    result = phase(f"metrics (betweenness k={BETWEENNESS_SAMPLE})", rows, analyze, G)
    figures["betweenness"] = result.betweenness
    figures["communities"], figures["modularity"] = len(result.communities), round(result.modularity, 3)
    if not args.skip_page:
        page = phase(f"interactive page (<= {args.page_max_nodes} nodes)", rows, page_html, G,
                     max_nodes=args.page_max_nodes)
        figures["page_mb"] = round(len(page) / 2**20, 1)
        print(f"  page: {len(page) / 2**20:.1f} MB", flush=True)
    if args.agreement_reports:
        figures["agreement"] = agreement(source, args.agreement_reports, [50, BETWEENNESS_SAMPLE, 200])
        print(json.dumps(figures["agreement"], indent=1), flush=True)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
