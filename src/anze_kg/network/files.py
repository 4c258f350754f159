"""The projection as files for Gephi and Cytoscape: GraphML, GEXF, Cytoscape.js JSON.

Attributes are only strings and numbers (lists joined with "; ", quotes by
their exact words); edge keys are made unique (``e0``, ``e1``...) and the
predicate's local name is the ``relation`` attribute.
"""

from __future__ import annotations

import json

import networkx as nx

from anze_kg.errors import UsageError

NETWORK_FORMATS = ("graphml", "gexf", "cytoscape")


def _flat(value) -> str | int | float | None:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (str, int, float)):
        return value
    if isinstance(value, (list, tuple)) and value:
        return "; ".join(v["exact"] if isinstance(v, dict) else str(v) for v in value)
    return None


def flat_graph(G: nx.MultiDiGraph, membership: dict[str, int] | None = None) -> nx.MultiDiGraph:
    """A copy whose attributes are only strings and numbers (lists joined with "; "),
    with ``community`` from ``membership``, edge keys unique (``e0``, ``e1``...; the
    predicate is in ``relation``)."""
    F = nx.MultiDiGraph(name=G.graph.get("name", "anze-kg"))
    for n, d in G.nodes(data=True):
        attrs = {k: v for k, v in ((k, _flat(v)) for k, v in d.items()) if v is not None}
        if membership is not None:
            attrs["community"] = membership[n]
        F.add_node(n, **attrs)
    for i, (s, o, k, d) in enumerate(G.edges(keys=True, data=True)):
        attrs = {k2: v for k2, v in ((k2, _flat(v)) for k2, v in d.items()) if v is not None}
        F.add_edge(s, o, key=f"e{i}", relation=k, label=d["label_zh"], **attrs)
    return F


def cytoscape_json(F: nx.MultiDiGraph) -> dict:
    """Cytoscape.js elements: ``{"elements": {"nodes": [{"data": {"id"...}}], "edges": [...]}}``."""
    nodes = [{"data": {"id": n, "name": d.get("label", n), **d}} for n, d in F.nodes(data=True)]
    edges = [{"data": {"id": k, "source": s, "target": o, **d}} for s, o, k, d in F.edges(keys=True, data=True)]
    return {"data": {"name": F.graph.get("name", "anze-kg")}, "directed": True, "multigraph": True,
            "elements": {"nodes": nodes, "edges": edges}}


def graph_bytes(G: nx.MultiDiGraph, fmt: str, membership: dict[str, int] | None = None) -> bytes:
    """``G`` (with each node's community from ``membership``) as GraphML, GEXF or Cytoscape JSON."""
    if fmt not in NETWORK_FORMATS:
        raise UsageError(f"unknown network format {fmt!r}", hint="choose one of graphml, gexf, cytoscape")
    F = flat_graph(G, membership)
    if fmt == "graphml":
        return ("\n".join(nx.generate_graphml(F, encoding="utf-8", prettyprint=True)) + "\n").encode("utf-8")
    if fmt == "gexf":
        return ("\n".join(nx.generate_gexf(F, encoding="utf-8", prettyprint=True)) + "\n").encode("utf-8")
    return (json.dumps(cytoscape_json(F), ensure_ascii=False, indent=1) + "\n").encode("utf-8")
