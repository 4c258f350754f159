"""Pictures of the projection: an interactive page and static figures.

* :func:`page_html` -> one self-contained HTML file (UTF-8): the graph as JSON in
  a ``<script type="application/json">`` (every ``<``, ``>`` and ``&`` escaped),
  Cytoscape.js with the fCoSE layout (``static/vendor/``, MIT, vendored whole)
  and the explorer of ``static/viz.js`` (labels that never overlap, relation
  labels on focus, exact-match-first search, the side panel) inlined.  It loads nothing: a Content-Security-Policy of
  ``default-src 'none'`` forbids any request.  Labels reach the page through
  ``textContent`` only.
* :func:`figure_bytes` -> an SVG (text kept as text) or PNG figure drawn with
  matplotlib (the optional ``viz`` extra): the whole graph, an ego network or
  a community.  PNG needs a CJK font (Debian: ``fonts-noto-cjk``).
"""

from __future__ import annotations

import html
import io
import json
import warnings
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from string import Template

import networkx as nx

from anze_kg.errors import AnzeKGError, UsageError
from anze_kg.files import write_files
from anze_kg.network.metrics import (
    betweenness,
    label_communities,
    pagerank,
    resolve,
    simple_undirected,
)
from anze_kg.network.palette import grouped_colours

SIZE_METRICS = ("degree", "pagerank", "betweenness")
CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Source Han Sans SC", "WenQuanYi Micro Hei",
                "Microsoft YaHei", "PingFang SC")
_HIDDEN = {"iri", "class", "label", "label_zh", "label_en", "label_pinyin", "alt_labels", "quotes", "reports", "community"}


def size_values(G: nx.MultiDiGraph, size_by: str = "degree") -> dict[str, float]:
    """The centrality that sizes the nodes."""
    if size_by not in SIZE_METRICS:
        raise UsageError(f"unknown size metric {size_by!r}", hint=f"choose one of {', '.join(SIZE_METRICS)}")
    if size_by == "pagerank":
        return pagerank(G)
    U = simple_undirected(G)
    return dict(U.degree()) if size_by == "degree" else betweenness(U)[0]


def class_colours(G: nx.MultiDiGraph) -> dict[str, str]:
    """A distinct colour per class, grouped by kind (:mod:`anze_kg.network.palette`), in legend order."""
    counts: dict[str, int] = {}
    for _, d in G.nodes(data=True):
        counts[d["class"]] = counts.get(d["class"], 0) + 1
    return grouped_colours(counts)


def _quote(q: dict) -> dict:
    return {"r": q["report"], "b": q.get("before", ""), "x": q["exact"], "a": q.get("after", ""),
            "s": q["start"], "e": q["end"]}


def _facts(d: dict) -> list[list[str]]:
    rows = [[k, str(v)] for k, v in d.items() if k not in _HIDDEN and isinstance(v, (str, int, float))]
    return sorted(rows, key=lambda r: (r[0] == "note", r[0]))


MAX_PAGE_NODES = 5000


def page_data(G: nx.MultiDiGraph, *, size_by: str = "degree", title: str | None = None,
              max_nodes: int = MAX_PAGE_NODES) -> dict:
    """What the page embeds: nodes, edges, classes, communities, predicate labels.  A graph of
    more than ``max_nodes`` nodes is cut to the ``max_nodes`` largest by ``size_by`` (sizes and
    communities are those of the whole graph; ``total`` says how much there is)."""
    if max_nodes < 1:
        raise UsageError(f"--max-nodes must be at least 1, not {max_nodes}")
    named, _, membership = label_communities(G)
    values = size_values(G, size_by)
    colours = class_colours(G)
    shown = G if len(G) <= max_nodes else G.subgraph(sorted(G, key=lambda n: (-values[n], n))[:max_nodes])
    present = {membership[n] for n in shown}
    labels = G.graph.get("classes", {})
    return {
        "title": title or "anze-kg", "lang": "zh", "sizeBy": size_by,
        **_page_graph(shown, values, list(colours), membership),
        "total": {"nodes": len(G), "edges": G.number_of_edges()},
        "classes": [{"name": c, "zh": labels.get(c, {}).get("zh", c), "en": labels.get(c, {}).get("en", c),
                     "color": colour} for c, colour in colours.items()],
        "communities": [{"id": c.id, "size": c.size, "name": c.name,
                         "name_en": " / ".join(r.label_en or r.label_zh for r in c.central)}
                        for c in named if c.id in present],
        "hint": {"zh": "点击节点查看事实、关系和原文;滚轮或双指缩放,拖动平移;放大可见更多标签。",
                 "en": "Click or tap a node for its facts, relations and source quotes; wheel or pinch to zoom, "
                       "drag to pan; zoom in for more labels."},
        "searchHint": {"zh": "搜索 中文 / English / pinyin", "en": "search 中文 / English / pinyin"},
    }


def _page_graph(G: nx.MultiDiGraph, values: dict[str, float], classes: list[str], membership: dict[str, int]) -> dict:
    """Nodes and edges as compact rows (indices into ``nodes``, ``preds`` and ``classes``)."""
    class_index = {c: i for i, c in enumerate(classes)}
    node_index = {n: i for i, n in enumerate(G.nodes)}
    preds: dict[str, int] = {}
    pred_rows, edges, nodes = [], [], []
    for s, o, k, d in G.edges(keys=True, data=True):
        if k not in preds:
            preds[k] = len(pred_rows)
            pred_rows.append({"key": k, "zh": d["label_zh"], "en": d["label_en"]})
        row = [node_index[s], node_index[o], preds[k]]
        if d.get("quotes"):
            row.append([_quote(q) for q in d["quotes"]])
        edges.append(row)
    for n, d in G.nodes(data=True):
        value = values.get(n, 0)
        nodes.append({"iri": n, "c": class_index[d["class"]], "zh": d["label_zh"], "en": d["label_en"],
                      "py": d["label_pinyin"], "alt": d["alt_labels"], "cm": membership[n],
                      "v": round(value, 6) if isinstance(value, float) else value,
                      "f": _facts(d), "q": [_quote(q) for q in d["quotes"]]})
    return {"nodes": nodes, "edges": edges, "preds": pred_rows}


def script_json(value) -> str:
    """JSON safe inside ``<script>``: no ``<``, ``>`` or ``&`` left to end the element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _asset(name: str) -> str:
    return (resources.files(__package__) / "static" / name).read_text(encoding="utf-8")


# The page's browser libraries, in load order (static/vendor/README.md: versions, licences, digests).
VENDORED = ("cytoscape.min.js", "layout-base.js", "cose-base.js", "cytoscape-fcose.js")


def _vendored() -> str:
    return "\n".join(_asset(f"vendor/{name}") for name in VENDORED)


def page_html(G: nx.MultiDiGraph, *, size_by: str = "degree", title: str | None = None,
              max_nodes: int = MAX_PAGE_NODES) -> bytes:
    """The interactive page as UTF-8 bytes (self-contained: see the module docstring)."""
    reports = G.graph.get("reports", [])
    title = title or f"anze-kg: {', '.join(reports) if len(reports) <= 3 else f'{len(reports)} reports'}"
    data = page_data(G, size_by=size_by, title=title, max_nodes=max_nodes)
    page = Template(_asset("page.html")).substitute(
        title=html.escape(title), css=_asset("viz.css"), data=script_json(data), vendor=_vendored(),
        script=_asset("viz.js"))
    return page.encode("utf-8")


def write_page(G: nx.MultiDiGraph, path: Path, *, size_by: str = "degree", title: str | None = None,
               max_nodes: int = MAX_PAGE_NODES) -> Path:
    write_files({path: page_html(G, size_by=size_by, title=title, max_nodes=max_nodes)})
    return path


# --------------------------------------------------------------------------- static figures

@dataclass(frozen=True)
class Figure:
    """What a static figure shows."""

    focus: str | None = None      # an entity: draw its ego network or community
    view: str = "ego"             # ego | community
    depth: int = 1                # ego radius
    size_by: str = "degree"
    title: str | None = None
    max_nodes: int = 300          # the whole graph: at most this many nodes, the largest by size
    labels: int = 60              # label at most this many nodes, the largest first


def _matplotlib():
    try:
        import matplotlib  # deferred: optional (the [viz] extra), for static figures only
    except ImportError:
        raise AnzeKGError("static figures need matplotlib", hint="pip install 'anze-kg[viz]'") from None
    return matplotlib


def cjk_family(required: bool) -> str | None:
    """The first CJK font family matplotlib can find (PNG needs one; SVG keeps text as text)."""
    from matplotlib import font_manager  # deferred: optional, see _matplotlib

    have = {f.name for f in font_manager.fontManager.ttflist}
    for family in CJK_FAMILIES:
        if family in have:
            return family
    if required:
        raise AnzeKGError("no CJK font found: Chinese labels in a PNG would be drawn as boxes",
                          hint="install the Noto CJK fonts (Debian/Ubuntu: apt-get install fonts-noto-cjk), "
                               "or write an SVG, which keeps text as text")
    return None


def focus_subgraph(G: nx.MultiDiGraph, figure: Figure, values: dict[str, float]) -> tuple[nx.MultiDiGraph, str | None]:
    """The nodes a figure draws, and the focus node if any."""
    if figure.focus:
        center = resolve(G, figure.focus)
        if figure.view == "community":
            membership = label_communities(G)[2]
            members = [n for n in G if membership[n] == membership[center]]
        else:
            members = nx.ego_graph(G.to_undirected(as_view=True), center, radius=figure.depth).nodes
        return G.subgraph(members), center
    if figure.max_nodes < 1:
        raise UsageError(f"--max-nodes must be at least 1, not {figure.max_nodes}")
    if len(G) <= figure.max_nodes:
        return G, None
    best = sorted(G, key=lambda n: (-values[n], n))[:figure.max_nodes]
    return G.subgraph(best), None


def figure_bytes(G: nx.MultiDiGraph, fmt: str, figure: Figure = Figure()) -> bytes:
    """An SVG or PNG figure of ``G`` (or of the part ``figure`` asks for)."""
    if fmt not in ("svg", "png"):
        raise UsageError(f"a static figure is .svg or .png, not .{fmt}")
    matplotlib = _matplotlib()
    family = cjk_family(required=fmt == "png")
    values = size_values(G, figure.size_by)
    H, center = focus_subgraph(G, figure, values)
    families = [family] if family else list(CJK_FAMILIES)
    settings = {"svg.fonttype": "none", "svg.hashsalt": "anze-kg", "font.family": [*families, "DejaVu Sans"]}
    with matplotlib.rc_context(settings), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # missing-glyph warnings when no CJK font measures an SVG's text
        fig = _draw(H, values, center, figure, G.graph.get("classes", {}), len(G), class_colours(G))
        buffer = io.BytesIO()
        metadata = {"Date": None} if fmt == "svg" else {"Software": None}
        fig.savefig(buffer, format=fmt, dpi=150, metadata=metadata)
    return buffer.getvalue()


def _draw(H: nx.MultiDiGraph, values: dict[str, float], center: str | None, figure: Figure, class_labels: dict,
          total: int, palette: dict[str, str]):
    # Deferred: matplotlib is optional (see _matplotlib).
    from matplotlib.collections import LineCollection
    from matplotlib.figure import Figure as MplFigure
    from matplotlib.lines import Line2D

    U = simple_undirected(H)
    pos = packed_layout(U)
    shown = {d["class"] for _, d in H.nodes(data=True)}
    colours = {c: colour for c, colour in palette.items() if c in shown}  # the page's colours, same in every view
    fig = MplFigure(figsize=(18, 12))
    ax = fig.add_axes((0.01, 0.01, 0.8, 0.93))
    ax.set_axis_off()
    ax.add_collection(LineCollection([(pos[a], pos[b]) for a, b in U.edges()], colors="#8c959f", linewidths=0.6,
                                     alpha=0.6, zorder=1))
    top = max((values[n] for n in U), default=1) or 1
    nodes = sorted(U, key=lambda n: (-values[n], n))
    sizes = [30 + 900 * (values[n] / top) for n in nodes]
    ax.scatter([pos[n][0] for n in nodes], [pos[n][1] for n in nodes], s=sizes, zorder=2,
               c=[colours[H.nodes[n]["class"]] for n in nodes], edgecolors="white", linewidths=0.8)
    xs, ys = [p[0] for p in pos.values()] or [0], [p[1] for p in pos.values()] or [0]
    ax.set_xlim(min(xs) - 0.05, max(xs) + 0.3)
    ax.set_ylim(min(ys) - 0.05, max(ys) + 0.05)
    _label_nodes(ax, H, pos, ([center] if center else []) + nodes, figure.labels, center)
    if center is not None:
        _label_edges(ax, H, U, pos)
    handles = [Line2D([], [], marker="o", linestyle="", color=colours[c], markersize=8,
                      label=f"{class_labels.get(c, {}).get('zh', c)} {c}") for c in colours]
    fig.legend(handles=handles, loc="center right", fontsize=8, frameon=False)
    fig.suptitle(figure.title or _figure_title(H, center, figure, total), fontsize=14)
    return fig


def _label_nodes(ax, H: nx.MultiDiGraph, pos: dict, ranked: list[str], budget: int, center: str | None) -> None:
    """Label the largest nodes first, skipping a label that would overlap one already placed."""
    used: set[tuple[int, int]] = set()
    cell = 6.0  # display points
    for n in dict.fromkeys(ranked):
        if budget <= 0:
            break
        size = 11 if n == center else 8
        text = H.nodes[n]["label"]
        x, y = ax.transData.transform(pos[n]) * 72.0 / ax.figure.dpi
        width = size * sum(1.0 if ord(ch) > 0x2E7F else 0.55 for ch in text)
        cells = {(int((x + 4 + dx) // cell), int((y + 4 + dy) // cell))
                 for dx in range(0, int(width) + 1, 3) for dy in range(0, size + 1, 3)}
        if cells & used and n != center:
            continue
        used |= cells
        budget -= 1
        ax.annotate(text, pos[n], xytext=(4, 4), textcoords="offset points", zorder=3, fontsize=size,
                    fontweight="bold" if n == center else "normal")


MAX_EDGE_LABELS = 120  # an ego or community view with more relations than this labels none (unreadable)


def edge_labels(H: nx.MultiDiGraph, U: nx.Graph) -> dict[tuple[str, str], str]:
    """The relation written at the middle of each drawn edge: the Chinese labels of
    every predicate between the two nodes, either way, once each (位于 / 建设)."""
    labels: dict[tuple[str, str], str] = {}
    if U.number_of_edges() > MAX_EDGE_LABELS:
        return labels
    for a, b in U.edges():
        names = [d["label_zh"] for x, y in ((a, b), (b, a)) for d in (H.get_edge_data(x, y) or {}).values()]
        labels[(a, b)] = " / ".join(dict.fromkeys(names))
    return labels


def _label_edges(ax, H: nx.MultiDiGraph, U: nx.Graph, pos: dict) -> None:
    for (a, b), text in edge_labels(H, U).items():
        (xa, ya), (xb, yb) = pos[a], pos[b]
        ax.text((xa + xb) / 2, (ya + yb) / 2, text, fontsize=6.5, color="#57606a", ha="center", va="center",
                zorder=2.5, bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none",
                                  "alpha": 0.8})


def packed_layout(U: nx.Graph, seed: int = 42) -> dict[str, tuple[float, float]]:
    """The largest component filling [-1, 1]² (each axis stretched to the box: the figure is
    wider than tall, and a core squeezed into a third of it is a hairball), the other
    components in a narrow strip to its right, in cells as small as their count allows,
    largest first; single nodes share a last row of dots."""
    comps = sorted((sorted(c) for c in nx.connected_components(U)), key=lambda c: (-len(c), c[0]))
    if not comps:
        return {}
    pos = _spread(U.subgraph(comps[0]), seed, fill=True)
    rest = [c for c in comps[1:] if len(c) > 1]
    singles = [c[0] for c in comps[1:] if len(c) == 1]
    rows = -(-len(rest) // 2) + (-(-len(singles) // 8) if singles else 0)
    cell = min(0.4, 2.0 / max(1, rows))
    for i, members in enumerate(rest):
        row, col = divmod(i, 2)
        part = _spread(U.subgraph(members), seed, fill=False)
        scale, cx, cy = min(0.16, 0.42 * cell), 1.1 + (col + 0.5) * 0.34, 1.0 - (row + 0.5) * cell
        for n, (px, py) in part.items():
            pos[n] = (cx + scale * px, cy + scale * py)
    first = -(-len(rest) // 2)
    for j, n in enumerate(singles):
        row, col = divmod(j, 8)
        pos[n] = (1.1 + (col + 0.5) * 0.085, 1.0 - (first + row + 0.5) * cell)
    return pos


def _spread(S: nx.Graph, seed: int, fill: bool) -> dict[str, tuple[float, float]]:
    """A component laid out by ForceAtlas2 (seeded) in [-1, 1]²: stretched to fill both axes
    when ``fill``, else with its own proportions."""
    if len(S) == 1:
        return {next(iter(S)): (0.0, 0.0)}
    laid = nx.forceatlas2_layout(S, seed=seed, max_iter=400, scaling_ratio=4.0, gravity=1.0,
                                 distributed_action=True, node_size={n: 1 for n in S})
    xs, ys = [float(p[0]) for p in laid.values()], [float(p[1]) for p in laid.values()]
    mx, my = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    hx, hy = (max(xs) - min(xs)) / 2 or 1.0, (max(ys) - min(ys)) / 2 or 1.0
    if not fill:
        hx = hy = max(hx, hy)
    return {n: ((float(x) - mx) / hx, (float(y) - my) / hy) for n, (x, y) in laid.items()}


def _figure_title(H: nx.MultiDiGraph, center: str | None, figure: Figure, total: int) -> str:
    if center:
        kind = "社区 community" if figure.view == "community" else f"{figure.depth} 步关系 ego network"
        return f"{H.nodes[center]['label']}: {kind} ({len(H)} nodes)"
    part = f"the {len(H)} largest of {total} nodes" if len(H) < total else f"{len(H)} nodes"
    return f"anze-kg: {part}, {H.number_of_edges()} relations (size: {figure.size_by})"


def write_figure(G: nx.MultiDiGraph, path: Path, figure: Figure = Figure()) -> Path:
    fmt = path.suffix.lower().lstrip(".")
    write_files({path: figure_bytes(G, fmt, figure)})
    return path
