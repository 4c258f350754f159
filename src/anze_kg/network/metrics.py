"""Network metrics of the projection (:mod:`projection`), relationship paths and
neighbourhoods.

Metrics run on the undirected simple graph (one edge per related pair,
weighted by the number of relations); PageRank on the directed graph.
Betweenness is exact up to ``EXACT_BETWEENNESS_LIMIT`` nodes and sampled
from ``BETWEENNESS_SAMPLE`` sources (fixed seed) above; communities are
Louvain with a fixed seed.  The network file formats (GraphML, GEXF,
Cytoscape JSON) are :func:`network_bytes` (in :mod:`netformats`).
"""

from __future__ import annotations

import difflib
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx

from anze_kg.errors import NoPathError, NotFoundError, UsageError
from anze_kg.network.files import graph_bytes
from anze_kg.network.projection import Options, project_quads, projection

__all__ = ["Analysis", "Community", "Options", "PathResult", "Ranked", "analyze", "betweenness", "communities",
           "label_communities", "neighbours", "network_bytes", "pagerank", "project_quads", "projection",
           "resolve", "shortest_paths", "simple_undirected"]


EXACT_BETWEENNESS_LIMIT = 1000
BETWEENNESS_SAMPLE = 100
SEED = 42


@dataclass(frozen=True)
class Ranked:
    """One node with one metric value."""

    iri: str
    label_zh: str
    label_en: str
    cls: str
    value: float

    def to_dict(self) -> dict:
        return {"iri": self.iri, "label_zh": self.label_zh, "label_en": self.label_en, "class": self.cls,
                "value": round(self.value, 6)}


@dataclass(frozen=True)
class Community:
    id: int
    size: int
    name: str
    central: tuple[Ranked, ...]
    classes: dict[str, int]

    def to_dict(self) -> dict:
        return {"id": self.id, "size": self.size, "name": self.name,
                "central": [r.to_dict() for r in self.central], "classes": self.classes}


@dataclass(frozen=True)
class Analysis:
    """Network metrics of a projection (see :func:`analyze`)."""

    nodes: int
    edges: int
    pairs: int
    leaders: dict[str, tuple[Ranked, ...]]
    by_class: dict[str, dict[str, tuple[Ranked, ...]]]
    class_sizes: dict[str, int]
    betweenness: dict[str, object]
    communities: tuple[Community, ...]
    modularity: float
    components: tuple[int, ...]
    articulation_points: tuple[Ranked, ...]
    articulation_count: int
    bridges: tuple[tuple[Ranked, Ranked], ...]
    bridge_count: int
    membership: dict[str, int] = field(default_factory=dict, repr=False)  # node -> community (not in to_dict)

    def to_dict(self) -> dict:
        return {
            "nodes": self.nodes, "edges": self.edges, "related_pairs": self.pairs,
            "leaders": {m: [r.to_dict() for r in rs] for m, rs in self.leaders.items()},
            "by_class": {c: {m: [r.to_dict() for r in rs] for m, rs in ms.items()} for c, ms in self.by_class.items()},
            "class_sizes": self.class_sizes, "betweenness": self.betweenness,
            "communities": [c.to_dict() for c in self.communities], "modularity": round(self.modularity, 6),
            "components": {"count": len(self.components), "sizes": list(self.components)},
            "articulation_points": {"count": self.articulation_count,
                                    "top": [r.to_dict() for r in self.articulation_points]},
            "bridges": {"count": self.bridge_count, "non_pendant": [[a.to_dict(), b.to_dict()] for a, b in self.bridges]},
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)


def simple_undirected(G: nx.MultiDiGraph) -> nx.Graph:
    """One undirected edge per related pair, ``weight`` = number of relations."""
    U = nx.Graph()
    U.add_nodes_from(G.nodes)
    for s, o in G.edges():
        if s != o:
            U.add_edge(s, o, weight=U.edges[s, o]["weight"] + 1 if U.has_edge(s, o) else 1)
    return U


def pagerank(G: nx.MultiDiGraph, alpha: float = 0.85, tol: float = 1e-10, max_iter: int = 200) -> dict[str, float]:
    """PageRank on the directed graph, each relation a unit of weight (pure Python: no SciPy)."""
    n = len(G)
    if n == 0:
        return {}
    out_weight = {u: 0 for u in G}
    links = defaultdict(float)
    for u, v in G.edges():
        out_weight[u] += 1
        links[u, v] += 1.0
    incoming = defaultdict(list)
    for (u, v), w in links.items():
        incoming[v].append((u, w / out_weight[u]))
    dangling = [u for u, w in out_weight.items() if w == 0]
    rank = dict.fromkeys(G, 1.0 / n)
    for _ in range(max_iter):
        spread = alpha * sum(rank[u] for u in dangling) / n + (1 - alpha) / n
        new = {v: spread + alpha * sum(rank[u] * w for u, w in incoming.get(v, ())) for v in G}
        if sum(abs(new[v] - rank[v]) for v in G) < tol * n:
            return new
        rank = new
    return rank


def betweenness(U: nx.Graph, *, exact_limit: int = EXACT_BETWEENNESS_LIMIT, sample: int = BETWEENNESS_SAMPLE,
                seed: int = SEED) -> tuple[dict[str, float], dict[str, object]]:
    """Exact betweenness up to ``exact_limit`` nodes, else sampled from ``sample`` sources."""
    if sample < 1:
        raise UsageError(f"the betweenness sample must be at least 1 source, not {sample}")
    if len(U) <= exact_limit:
        return nx.betweenness_centrality(U, normalized=True), {"method": "exact", "k": None, "seed": None}
    k = min(sample, len(U))
    values = nx.betweenness_centrality(U, k=k, normalized=True, seed=seed)
    return values, {"method": "sampled", "k": k, "seed": seed}


def communities(U: nx.Graph, seed: int = SEED) -> tuple[list[set[str]], float]:
    """Louvain communities (fixed seed), largest first, and their modularity."""
    if U.number_of_edges() == 0:
        found = [{n} for n in U]
    else:
        found = nx.community.louvain_communities(U, weight="weight", seed=seed)
    found.sort(key=lambda c: (-len(c), min(c)))
    score = nx.community.modularity(U, found, weight="weight") if U.number_of_edges() else 0.0
    return found, score


def analyze(G: nx.MultiDiGraph, *, top: int = 10, seed: int = SEED, exact_limit: int = EXACT_BETWEENNESS_LIMIT,
            sample: int = BETWEENNESS_SAMPLE) -> Analysis:
    """Leaders (degree, betweenness, PageRank) overall and per class, Louvain communities,
    components, articulation points and bridges.  ``G`` is not changed."""
    if top < 1:
        raise UsageError(f"--top must be at least 1, not {top}")
    U = simple_undirected(G)
    metrics = {"degree": dict(U.degree()), "pagerank": pagerank(G)}
    metrics["betweenness"], how = betweenness(U, exact_limit=exact_limit, sample=sample, seed=seed)
    named, score, membership = label_communities(G, U, seed=seed, top=top)
    by_class = defaultdict(list)
    for n, d in G.nodes(data=True):
        by_class[d["class"]].append(n)
    art = list(nx.articulation_points(U))
    bridges = [(a, b) for a, b in nx.bridges(U)] if len(U) else []
    inner = [(a, b) for a, b in bridges if U.degree(a) > 1 and U.degree(b) > 1]
    degree = metrics["degree"]
    return Analysis(
        nodes=G.number_of_nodes(), edges=G.number_of_edges(), pairs=U.number_of_edges(),
        leaders={m: _top(G, values, list(G), top) for m, values in metrics.items()},
        by_class={c: {m: _top(G, values, members, top) for m, values in metrics.items()}
                  for c, members in sorted(by_class.items())},
        class_sizes={c: len(m) for c, m in sorted(by_class.items(), key=lambda kv: (-len(kv[1]), kv[0]))},
        betweenness=how,
        communities=named,
        modularity=score,
        membership=membership,
        components=tuple(sorted((len(c) for c in nx.connected_components(U)), reverse=True)),
        articulation_points=_top(G, degree, art, top), articulation_count=len(art),
        bridges=tuple((_ranked(G, a, degree[a]), _ranked(G, b, degree[b]))
                      for a, b in sorted(inner, key=lambda e: -(degree[e[0]] + degree[e[1]]))[:top]),
        bridge_count=len(bridges),
    )


def _ranked(G: nx.MultiDiGraph, n: str, value: float) -> Ranked:
    d = G.nodes[n]
    return Ranked(n, d["label_zh"], d["label_en"], d["class"], value)


def _top(G: nx.MultiDiGraph, values: dict[str, float], members: Iterable[str], k: int) -> tuple[Ranked, ...]:
    best = sorted(members, key=lambda n: (-values[n], n))[:k]
    return tuple(_ranked(G, n, values[n]) for n in best)


def label_communities(G: nx.MultiDiGraph, U: nx.Graph | None = None, *, seed: int = SEED,
                      top: int = 3) -> tuple[tuple[Community, ...], float, dict[str, int]]:
    """Louvain communities of ``G``, named, with their modularity and each node's community
    (its number, 0 = the largest)."""
    U = simple_undirected(G) if U is None else U
    comms, score = communities(U, seed)
    membership = {n: i for i, members in enumerate(comms) for n in members}
    return tuple(_community(G, U, i, members, top) for i, members in enumerate(comms)), score, membership


def _community(G, U, i: int, members: set[str], top: int) -> Community:
    """A community named by its members of highest degree inside it."""
    inner = U.subgraph(members)
    central = _top(G, dict(inner.degree()), members, min(top, 3))
    classes = defaultdict(int)
    for n in members:
        classes[G.nodes[n]["class"]] += 1
    name = " / ".join(r.label_zh or r.label_en for r in central)
    return Community(i, len(members), name, central, dict(sorted(classes.items(), key=lambda kv: (-kv[1], kv[0]))))


# --------------------------------------------------------------------------- paths and neighbours

@dataclass(frozen=True)
class Step:
    """One hop of a path: from ``source`` to ``target`` by ``relations`` (forward or backward)."""

    source: str
    target: str
    relations: tuple[tuple[str, str, str, bool], ...]  # (key, label_zh, label_en, forward)


@dataclass(frozen=True)
class PathResult:
    source: str
    target: str
    paths: tuple[tuple[Step, ...], ...]
    labels: dict[str, str]     # zh label (else en) of every node on a path
    labels_en: dict[str, str]  # en label (else zh)

    def chains(self, lang: str = "zh") -> list[str]:
        labels = self.labels if lang == "zh" else self.labels_en
        return [_chain(path, labels, lang) if path else f"{labels[self.source]} (the same entity: a path of 0 steps)"
                for path in self.paths]

    def to_dict(self) -> dict:
        return {"source": self.source, "target": self.target, "length": len(self.paths[0]) if self.paths else None,
                "paths": [[{"source": st.source, "target": st.target,
                            "relations": [{"key": k, "label_zh": zh, "label_en": en, "forward": fw}
                                          for k, zh, en, fw in st.relations]} for st in p] for p in self.paths]}


def _chain(path: tuple[Step, ...], labels: dict[str, str], lang: str) -> str:
    text = labels[path[0].source]
    for step in path:
        fwd = "/".join(zh if lang == "zh" else en for _, zh, en, f in step.relations if f)
        back = "/".join(zh if lang == "zh" else en for _, zh, en, f in step.relations if not f)
        arrow = " / ".join(([f"—{fwd}→"] if fwd else []) + ([f"←{back}—"] if back else []))
        text += f" {arrow} {labels[step.target]}"
    return text


def _step(G: nx.MultiDiGraph, a: str, b: str) -> Step:
    rels = [(k, d["label_zh"], d["label_en"], True) for k, d in G.get_edge_data(a, b, default={}).items()]
    rels += [(k, d["label_zh"], d["label_en"], False) for k, d in G.get_edge_data(b, a, default={}).items()]
    return Step(a, b, tuple(sorted(rels)))


def shortest_paths(G: nx.MultiDiGraph, source: str, target: str, *, limit: int = 10) -> PathResult:
    """All shortest relationship paths (edges walked either way), at most ``limit``."""
    a, b = resolve(G, source), resolve(G, target)
    labels = {n: G.nodes[n]["label"] for n in G}
    if a == b:
        return PathResult(a, b, ((),), {a: labels[a]}, _english(G, [a]))
    U = G.to_undirected(as_view=True)
    try:
        found = []
        for nodes in nx.all_shortest_paths(U, a, b):
            found.append(tuple(_step(G, x, y) for x, y in zip(nodes, nodes[1:])))
            if len(found) >= limit:
                break
    except nx.NetworkXNoPath:
        raise NoPathError(f"no path between {labels[a]} and {labels[b]}",
                          hint="they are in different connected components") from None
    found.sort(key=lambda p: [labels[s.target] for s in p])
    on_path = {a} | {s.target for p in found for s in p}
    return PathResult(a, b, tuple(found), {n: labels[n] for n in on_path}, _english(G, on_path))


def _english(G: nx.MultiDiGraph, nodes: Iterable[str]) -> dict[str, str]:
    return {n: G.nodes[n]["label_en"] or G.nodes[n]["label"] for n in nodes}


@dataclass(frozen=True)
class Neighbour:
    node: str
    depth: int
    via: Step  # from the node one step closer to the centre


@dataclass(frozen=True)
class Neighbourhood:
    center: str
    neighbours: tuple[Neighbour, ...]
    labels: dict[str, str]
    classes: dict[str, str]

    def to_dict(self) -> dict:
        return {"center": self.center, "neighbours": [
            {"iri": n.node, "label": self.labels[n.node], "class": self.classes[n.node], "depth": n.depth,
             "from": n.via.source, "relations": [{"key": k, "label_zh": zh, "label_en": en, "forward": f}
                                                 for k, zh, en, f in n.via.relations]} for n in self.neighbours]}


def neighbours(G: nx.MultiDiGraph, entity: str, *, depth: int = 1) -> Neighbourhood:
    """Everything within ``depth`` relations of ``entity`` (either direction), nearest first."""
    if depth < 1:
        raise UsageError(f"--depth must be at least 1, not {depth}")
    center = resolve(G, entity)
    U = G.to_undirected(as_view=True)
    seen, frontier, found = {center}, [center], []
    for level in range(1, depth + 1):
        nxt = []
        for parent in frontier:
            for n in sorted(set(U[parent]) - seen, key=lambda n: (G.nodes[n]["label"], n)):
                seen.add(n)
                nxt.append(n)
                found.append(Neighbour(n, level, _step(G, parent, n)))
        frontier = nxt
    return Neighbourhood(center, tuple(found), {n: G.nodes[n]["label"] for n in seen},
                         {n: G.nodes[n]["class"] for n in seen})


def _names(d: dict) -> list[str]:
    return [x for x in (d["label_zh"], d["label_en"], d["label_pinyin"], *d["alt_labels"]) if x]


def resolve(G: nx.MultiDiGraph, text: str) -> str:
    """The node named by ``text``: an IRI, an IRI's ``kind/slug`` or slug, a label (zh, en,
    pinyin, alternative; exact, else a unique substring).  Raises NotFoundError with near
    matches, or UsageError when the name is ambiguous."""
    wanted = text.strip()
    if wanted in G:
        return wanted
    if wanted in AREA_WORDS:
        return _report_area(G, wanted)
    fold = wanted.casefold()
    for test in (lambda n, d: any(x.casefold() == fold for x in _names(d)),
                 lambda n, d: n.endswith("/" + wanted),
                 lambda n, d: any(fold in x.casefold() for x in _names(d))):
        hits = sorted(n for n, d in G.nodes(data=True) if test(n, d))
        if len(hits) == 1:
            return hits[0]
        if hits:
            listed = "; ".join(f"{G.nodes[n]['label']} ({G.nodes[n]['class']}, {n})" for n in hits[:8])
            more = f" and {len(hits) - 8} more" if len(hits) > 8 else ""
            raise UsageError(f"{wanted!r} names {len(hits)} entities: {listed}{more}",
                             hint="give the IRI, its last part (kind/slug) or a longer label")
    hint = _suggest(G, wanted)
    if not G.graph.get("options", {}).get("include_observations"):
        hint += "; an area or indicator linked only through figures is in the network with --with-observations"
    raise NotFoundError(f"no entity named {wanted!r}", hint=hint)


# 全县 is the county of the report at hand (Anze in Anze's, Zizhou in Zizhou's): the class
# of the area each word names, counted from the report's own area upwards.
AREA_WORDS = {**dict.fromkeys(("全县", "本县", "全区", "本区", "全旗", "本旗"), "own"),
              **dict.fromkeys(("全市", "本市", "全州", "本州", "全盟"), "City"),
              **dict.fromkeys(("全省", "本省", "全区(省级)"), "Province"), "全国": "Country"}


def _report_area(G: nx.MultiDiGraph, word: str) -> str:
    """The area ``word`` (全县, 全市, 全省, 全国 ...) means in the one report of ``G``."""
    areas = G.graph.get("report_areas", {})
    if len({chain[0][0] for chain in areas.values()}) != 1:
        held = ", ".join(sorted(areas)) or "none"
        raise UsageError(f"{word!r} means the area of the report at hand, and this graph holds "
                         f"{len(areas)} reports ({held})", hint="name one report: --report ID")
    report, chain = next(iter(areas.items()))
    level = AREA_WORDS[word]
    found = chain[0] if level == "own" else next((a for a in chain if a[1] == level), None)
    if found is None:
        raise NotFoundError(f"{word!r} in {report} would be the {level} that {chain[0][2]} lies in, "
                            "and the graph does not say which", hint="data/vocab/ places each area in the one above it")
    if found[0] not in G:
        with_obs = G.graph.get("options", {}).get("include_observations")
        raise NotFoundError(f"{word!r} in {report} is {found[2]} ({found[0]}), which is not in this network",
                            hint="no fact of the report links to it" if with_obs else
                                 "it may be linked only through observations: add --with-observations")
    return found[0]


def _suggest(G: nx.MultiDiGraph, wanted: str) -> str:
    names = {}
    for _, d in G.nodes(data=True):
        for x in _names(d):
            names.setdefault(x.casefold(), x)
    close = difflib.get_close_matches(wanted.casefold(), list(names), n=5, cutoff=0.4)
    if not close:
        return "no near matches; `anze-kg analyze` lists the most connected entities"
    return "did you mean: " + ", ".join(names[c] for c in close)




def network_bytes(project, out_dir, fmt: str, **options) -> bytes:
    """The projection (with communities) as GraphML, GEXF or Cytoscape JSON bytes (UTF-8)."""
    G = projection(project, out_dir, **options)
    return graph_bytes(G, fmt, label_communities(G)[2])
