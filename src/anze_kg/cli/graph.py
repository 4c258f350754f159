"""Commands on the network of named things: ``analyze``, ``path``, ``neighbors``, ``viz``.

Each builds the projection (:mod:`analyze`), calls one library function and
renders its result; the text renderings are below, the JSON ones are the
library objects' ``to_dict``.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from anze_kg.cli.base import add_out_option, command, out, out_dir_of, project_of
from anze_kg.errors import EXIT_OK, UsageError
from anze_kg.network.charts import write_chart
from anze_kg.network.metrics import analyze, neighbours, projection, shortest_paths
from anze_kg.network.pictures import Figure, write_figure, write_page
from anze_kg.sparql.evaluate import answer


def _graph_options(p: argparse.ArgumentParser) -> None:
    add_out_option(p)
    p.add_argument("--report", metavar="ID", help="only this report's named graph (default: all reports)")
    p.add_argument("--with-observations", action="store_true", help="include indicators and observations as nodes")
    p.add_argument("--no-concepts", action="store_true",
                   help="sectors, industry chains and programme domains as node attributes, not nodes")


def _graph_of(args):
    project = project_of(args)
    return projection(project, out_dir_of(args, project), report=args.report,
                      include_observations=args.with_observations, include_concepts=not args.no_concepts)


def _name(r, lang: str = "zh") -> str:
    main, other = (r.label_zh, r.label_en) if lang == "zh" else (r.label_en, r.label_zh)
    return f"{main or other} ({other})" if main and other and main != other else (main or other)


def _value(metric: str, value: float) -> str:
    return str(int(value)) if metric == "degree" else f"{value:.4f}"


def analysis_markdown(a, top: int) -> str:
    """The analysis as Markdown: leaders, classes, communities, structure."""
    how = a.betweenness
    note = "exact" if how["method"] == "exact" else f"sampled from k={how['k']} sources, seed {how['seed']}"
    lines = [f"# Network of named things: {a.nodes} nodes, {a.edges} relations ({a.pairs} related pairs)", ""]
    for metric, title in (("degree", "Degree (distinct neighbours)"), ("betweenness", f"Betweenness ({note})"),
                          ("pagerank", "PageRank")):
        lines += [f"## {title}", "", "| # | entity | class | value |", "| --- | --- | --- | --- |"]
        lines += [f"| {i} | {_name(r)} | {r.cls} | {_value(metric, r.value)} |"
                  for i, r in enumerate(a.leaders[metric], 1)]
        lines.append("")
    lines += ["## Leaders per class", "", "| class | n | degree | betweenness | PageRank |", "| --- | --- | --- | --- | --- |"]
    for cls, n in a.class_sizes.items():
        cells = [", ".join(r.label_zh or r.label_en for r in a.by_class[cls][m][:3])
                 for m in ("degree", "betweenness", "pagerank")]
        lines.append(f"| {cls} | {n} | " + " | ".join(cells) + " |")
    lines += ["", f"## Communities (Louvain, modularity {a.modularity:.3f})", "",
              "| # | size | named by | classes |", "| --- | --- | --- | --- |"]
    for c in a.communities[:max(top, 10)]:
        classes = ", ".join(f"{k} {v}" for k, v in list(c.classes.items())[:4])
        lines.append(f"| {c.id} | {c.size} | {c.name} | {classes} |")
    if len(a.communities) > max(top, 10):
        lines.append(f"\n… and {len(a.communities) - max(top, 10)} smaller communities")
    sizes = ", ".join(map(str, a.components[:10])) + (" …" if len(a.components) > 10 else "")
    lines += ["", "## Structure", "", f"- connected components: {len(a.components)} (sizes {sizes})",
              f"- articulation points: {a.articulation_count}; most connected: "
              + ", ".join(_name(r) for r in a.articulation_points),
              f"- bridges: {a.bridge_count}; between two non-leaf entities: "
              + ("; ".join(f"{_name(x)} — {_name(y)}" for x, y in a.bridges) or "none")]
    return "\n".join(lines)


def _analyze_options(p: argparse.ArgumentParser) -> None:
    _graph_options(p)
    p.add_argument("--format", choices=("md", "json"), default="md", help="Markdown (default) or JSON")
    p.add_argument("--top", type=int, default=10, metavar="K", help="leaders to list (default 10)")
    p.add_argument("--sample", type=int, default=None, metavar="K",
                   help="betweenness from K sampled sources when the graph has over 1000 nodes (default 100)")


@command("analyze", "network metrics of the named things: hubs, brokers, communities, bridges", _analyze_options)
def cmd_analyze(args) -> int:
    extra = {} if args.sample is None else {"sample": args.sample}
    result = analyze(_graph_of(args), top=args.top, **extra)
    out(result.to_json() if args.format == "json" else analysis_markdown(result, args.top))
    return EXIT_OK


def _path_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("source", metavar="A", help="an entity: label (zh/en/pinyin, exact or unique part) or IRI")
    p.add_argument("target", metavar="B", help="another entity")
    _graph_options(p)
    p.add_argument("--limit", type=int, default=10, help="at most this many shortest paths (default 10)")
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help="relation labels in Chinese or English")
    p.add_argument("--json", action="store_true", help="print the paths as JSON")


@command("path", "shortest relationship paths between two entities", _path_options)
def cmd_path(args) -> int:
    result = shortest_paths(_graph_of(args), args.source, args.target, limit=args.limit)
    out(json.dumps(result.to_dict(), ensure_ascii=False, indent=2) if args.json else "\n".join(result.chains(args.lang)))
    return EXIT_OK


def neighbours_text(hood, lang: str = "zh") -> str:
    lines = [f"{hood.labels[hood.center]} ({hood.classes[hood.center]})"]
    for n in hood.neighbours:
        rels = [(zh if lang == "zh" else en, fwd) for _, zh, en, fwd in n.via.relations]
        arrow = " / ".join(f"—{label}→" if fwd else f"←{label}—" for label, fwd in rels)
        origin = "" if n.depth == 1 else f"{hood.labels[n.via.source]} "
        lines.append(f"{'  ' * n.depth}{origin}{arrow} {hood.labels[n.node]} ({hood.classes[n.node]})")
    return "\n".join(lines)


def _neighbors_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("entity", metavar="A", help="an entity: label (zh/en/pinyin, exact or unique part) or IRI")
    _graph_options(p)
    p.add_argument("--depth", type=int, default=1, help="how many relations away (default 1)")
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help="relation labels in Chinese or English")
    p.add_argument("--json", action="store_true", help="print the neighbourhood as JSON")


@command("neighbors", "the entities within --depth relations of one entity", _neighbors_options)
def cmd_neighbors(args) -> int:
    hood = neighbours(_graph_of(args), args.entity, depth=args.depth)
    out(json.dumps(hood.to_dict(), ensure_ascii=False, indent=2) if args.json else neighbours_text(hood, args.lang))
    return EXIT_OK


def _viz_options(p: argparse.ArgumentParser) -> None:
    _graph_options(p)
    p.add_argument("-o", "--output", metavar="FILE", help="the interactive page (default: OUT/graph.html)")
    p.add_argument("--static", metavar="FILE", help="a static figure instead: .svg or .png")
    p.add_argument("--focus", metavar="A", help="static figure of one entity's neighbourhood or community")
    p.add_argument("--view", choices=("ego", "community"), default="ego", help="with --focus: ego network or community")
    p.add_argument("--depth", type=int, default=1, help="with --focus --view ego: radius (default 1)")
    p.add_argument("--size-by", choices=("degree", "pagerank", "betweenness"), default="degree",
                   help="node size (default degree)")
    p.add_argument("--title", help="title of the page or figure")
    p.add_argument("--max-nodes", type=int, metavar="N",
                   help="draw at most the N largest nodes (default: 5000 on the page, 300 in a whole-graph figure)")


def _limit(args) -> dict:
    return {} if args.max_nodes is None else {"max_nodes": args.max_nodes}


@command("viz", "an offline interactive page of the network (or a static SVG/PNG figure)", _viz_options)
def cmd_viz(args) -> int:
    if args.focus and not args.static:
        raise UsageError("--focus draws a static figure: give --static FILE.svg or FILE.png")
    G = _graph_of(args)
    if args.static:
        figure = Figure(focus=args.focus, view=args.view, depth=args.depth, size_by=args.size_by, title=args.title,
                        **_limit(args))
        path = write_figure(G, Path(args.static), figure)
    else:
        path = Path(args.output) if args.output else out_dir_of(args, project_of(args)) / "graph.html"
        write_page(G, path, size_by=args.size_by, title=args.title, **_limit(args))
    out(f"wrote {path}")
    return EXIT_OK


def _chart_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("indicator", nargs="?", default="gdp", metavar="INDICATOR",
                   help="an indicator id (gdp, fixed-asset-investment ...) or IRI (default gdp)")
    p.add_argument("--area", metavar="AREA", help="an area id (anze, county/zizhou) or IRI (default: the query's, Anze)")
    p.add_argument("--report", metavar="ID", help="instead: bars of one report's growth rates, each with its level")
    p.add_argument("--compare", action="store_true",
                   help="instead: the indicator in every area, each area's latest actual year side by side")
    p.add_argument("-o", "--output", metavar="FILE", help="FILE.svg or FILE.png (default: OUT/chart.svg)")
    p.add_argument("--title", help="the chart's title (default: area and indicator, in Chinese and English)")
    p.add_argument("--store", metavar="SPEC", default="memory", help="memory (default) or oxigraph:PATH")
    add_out_option(p)


@command("chart", "a chart of one indicator over the years (levels, growth, targets), of one report's growth "
                  "rates (--report), or of an indicator across areas (--compare); SVG or PNG", _chart_options)
def cmd_chart(args) -> int:
    project = project_of(args)
    if sum(map(bool, (args.area, args.report, args.compare))) > 1:
        raise UsageError("give one of --area, --report and --compare", hint="anze-kg chart --help")
    if args.report:
        kind, name, given = "report", "report-figures", {"report_id": args.report}
    elif args.compare:
        kind, name, given = "compare", "indicator-by-area", {"indicator": args.indicator}
    else:
        kind, name = "series", "indicator-series"
        given = {"indicator": args.indicator, **({"area": args.area} if args.area else {})}
    path = Path(args.output) if args.output else out_dir_of(args, project) / "chart.svg"
    if path.suffix.lower() not in (".svg", ".png"):
        raise UsageError(f"a chart is written as .svg or .png, not {path.name!r}", hint="-o out/chart.svg")
    rows = answer(project, out_dir_of(args, project), name, given=given, store_spec=args.store).records()
    write_chart(rows, path, args.title, kind)
    out(f"wrote {path} ({len(rows)} figures)")
    return EXIT_OK
