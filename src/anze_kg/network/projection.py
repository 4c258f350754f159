"""The NetworkX projection of the RDF graph: the network of named things.

Projection (:func:`project_quads`, :func:`projection`): RDF -> ``nx.MultiDiGraph``
of the named things a report speaks of.

* Nodes are entities, keyed by IRI: places, organisations, projects,
  programmes, sites, events, works, brands, products, designations; and, by
  default, the classifying concepts that tie them together (sectors, industry
  chains, programme domains: ``include_concepts=False`` turns these into node
  attributes instead).  Indicators and observations only with
  ``include_observations=True``.  Never nodes: literals, evidence and its
  selectors, quantities, reified statements, units, qualifiers, project
  statuses (a node attribute) and the report itself (so its credited author,
  photographers and publisher, tied only to the report, are not nodes either).
* ``report=ID`` keeps one report's named graph (default: every report).
  A node is in the projection of a report when it has evidence in the report's
  named graph or takes part in one of the report's relations; shared
  reference data (vocabulary, ontology) only adds edges between such nodes.
* Node attributes: ``iri``, ``class`` (most specific ``akg:`` class),
  ``label`` (zh, else en), ``label_zh``, ``label_en``, ``label_pinyin``,
  ``alt_labels``, ``reports``, ``quotes`` (dicts: report, exact, start, end,
  before/after = the rest of the quote's sentence), ``note``, and key facts:
  a link to a thing that is not a node becomes an attribute named after the
  property (``status: 投产运营 (in operation)``, ``capacity: 170万吨/年``).
* Edges: key = predicate local name; attributes ``predicate`` (IRI),
  ``label_zh``, ``label_en`` (the property's ``rdfs:label``) and ``quotes``
  when the relation has its own evidence.  Of two properties declared
  ``owl:inverseOf`` in the ontology, only the one named as the object of the
  declaration is kept (``operatedBy`` edges become ``operates``); a
  symmetric property gives one edge per pair.

Metrics, paths and neighbourhoods are in :mod:`analyze`; the network file
formats in :mod:`netformats`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from sys import intern

import networkx as nx
import pyoxigraph as ox

from anze_kg.build.current import current_quads
from anze_kg.errors import NotFoundError
from anze_kg.namespaces import (
    AKG,
    GRAPH,
    OA,
    ONTOLOGY_GRAPH,
    QB,
    SCHEMA,
    VOCAB_GRAPH,
    local_name,
)

_AKG = str(AKG)
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_OWL = "http://www.w3.org/2002/07/owl#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_PROV = "http://www.w3.org/ns/prov#"

# helper nodes and concept values: attributes of a thing or a figure, never nodes of the network
NEVER_NODES = frozenset({"Report", "Evidence", "Statement", "Quantity", "Unit", "Qualifier", "ProjectStatus", "Stage",
                         "Rank", "RankBand", "RatioTerm", "TaskOutcome", "ObservationStatus"})
OBSERVATION_CLASSES = frozenset({"Observation", "Indicator"})
CONCEPT_CLASSES = frozenset({"Sector", "IndustryChain", "ProgramDomain"})
NOT_RELATIONS = frozenset({
    _RDF + "type", _AKG + "hasEvidence", _PROV + "wasDerivedFrom", str(QB) + "dataSet", _AKG + "baseUnit",
    _SKOS + "inScheme", _SKOS + "topConceptOf", _RDF + "subject", _RDF + "object", _RDF + "predicate",
})
# literal values kept from the one pass over the quads (everything else literal is dropped)
_KEPT_LITERALS = frozenset({
    str(OA) + "exact", str(OA) + "start", str(OA) + "end", str(SCHEMA) + "text", _SKOS + "editorialNote",
    _SKOS + "altLabel", _AKG + "valueAsWritten", _AKG + "unitAsWritten", _AKG + "period", _AKG + "growthRate",
    _AKG + "changePoints", _AKG + "rank", _AKG + "rankScopeAsWritten", _AKG + "target",
})
# links kept for lookups (evidence chains, statements, ontology), not as relations
_KEPT_LINKS = frozenset({
    _AKG + "hasEvidence", str(OA) + "hasTarget", str(OA) + "hasSelector", str(OA) + "hasSource",
    _RDF + "subject", _RDF + "predicate", _RDF + "object", _RDFS + "subClassOf", _AKG + "qualifier",
    _AKG + "locatedIn", _AKG + "hasRank", _AKG + "rankBand",
})
_SENTENCE_END = re.compile(r"[。!?;!?;\n]")
_SENTENCE_MAX = 160


@dataclass
class _Index:
    """What one pass over the quads keeps: types, labels, a few literals, links."""

    types: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    labels: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))
    values: dict[tuple[str, str], list[str]] = field(default_factory=lambda: defaultdict(list))
    links: dict[tuple[str, str], list[str]] = field(default_factory=lambda: defaultdict(list))
    relations: list[tuple[str, str, str, str]] = field(default_factory=list)
    inverse_of: dict[str, str] = field(default_factory=dict)
    symmetric: set[str] = field(default_factory=set)
    evidence_graph: dict[str, str] = field(default_factory=dict)
    graphs: set[str] = field(default_factory=set)
    report_area: dict[str, str] = field(default_factory=dict)  # report graph -> the area it is about

    def first(self, s: str, p: str) -> str | None:
        got = self.values.get((s, p))
        return got[0] if got else None

    def link(self, s: str, p: str) -> list[str]:
        return self.links.get((s, p), [])


def _index(quads: Iterable) -> _Index:
    idx = _Index()
    rdf_type, label, alt = _RDF + "type", _RDFS + "label", _SKOS + "altLabel"
    for q in quads:
        s, p, o = intern(q.subject.value), intern(q.predicate.value), q.object  # one str per IRI
        g = intern(q.graph_name.value) if hasattr(q.graph_name, "value") else ""
        idx.graphs.add(g)
        if isinstance(o, ox.Literal):
            lang = (o.language or "").lower()
            if (p == label or p == alt) and lang.startswith("zh-latn"):  # pinyin: a label or an alternative label
                idx.labels[s].setdefault("pinyin", o.value)
            elif p == label:
                idx.labels[s].setdefault(lang or "plain", o.value)
            elif p in _KEPT_LITERALS:
                idx.values[s, p].append(o.value)
            continue
        o = intern(o.value)
        if p == _AKG + "reportArea":
            idx.report_area[g] = o
        if p == rdf_type:
            idx.types[s].add(o)
            if o == _OWL + "SymmetricProperty":
                idx.symmetric.add(s)
        elif p == _OWL + "inverseOf":
            idx.inverse_of[s] = o
        if p in _KEPT_LINKS:
            idx.links[s, p].append(o)
            if p == _AKG + "hasEvidence":
                idx.evidence_graph[o] = g
        if p not in NOT_RELATIONS:
            idx.relations.append((s, p, o, g))
    return idx


class _Ontology:
    """Classes and properties as the ontology declares them."""

    def __init__(self, idx: _Index) -> None:
        self.idx = idx
        self.depth: dict[str, int] = {}
        # of `p owl:inverseOf q` keep q; if both directions are declared keep the smaller IRI
        self.derived = {p: q for p, q in idx.inverse_of.items() if not (idx.inverse_of.get(q) == p and q > p)}

    def class_of(self, iri: str) -> str | None:
        """The most specific ``akg:`` class of ``iri`` (local name), or None."""
        own = [c for c in self.idx.types.get(iri, ()) if c.startswith(_AKG)]
        if not own:
            return None
        return local_name(max(sorted(own), key=self._depth))

    def _depth(self, cls: str) -> int:
        if cls not in self.depth:
            self.depth[cls] = 0  # guards against cycles
            supers = [c for c in self.idx.link(cls, _RDFS + "subClassOf") if c.startswith(_AKG)]
            self.depth[cls] = 1 + max((self._depth(c) for c in supers), default=0)
        return self.depth[cls]

    def canonical(self, s: str, p: str, o: str) -> tuple[str, str, str]:
        if p in self.derived:
            return o, self.derived[p], s
        if p in self.idx.symmetric and o < s:
            return o, p, s
        return s, p, o

    def labels(self, iri: str) -> dict[str, str]:
        got = self.idx.labels.get(iri, {})
        name = local_name(iri)
        return {"zh": got.get("zh") or got.get("plain") or name, "en": got.get("en") or got.get("plain") or name}


@dataclass(frozen=True)
class Options:
    """What the projection includes: one report or all, observations, concepts."""

    report: str | None = None
    include_observations: bool = False
    include_concepts: bool = True

    def includes(self, cls: str | None) -> bool:
        if cls is None or cls in NEVER_NODES:
            return False
        if cls in OBSERVATION_CLASSES:
            return self.include_observations
        if cls in CONCEPT_CLASSES:
            return self.include_concepts
        return True


def projection(project, out_dir: Path, **options) -> nx.MultiDiGraph:
    """The projection of the current build (see :func:`project_quads` for the options)."""
    return project_quads(current_quads(project, out_dir), **options)


def project_quads(quads: Iterable, *, report: str | None = None, include_observations: bool = False,
                  include_concepts: bool = True) -> nx.MultiDiGraph:
    """RDF quads (pyoxigraph) -> a MultiDiGraph of named things (module docstring)."""
    opts = Options(report, include_observations, include_concepts)
    idx = _index(quads)
    onto = _Ontology(idx)
    selected = _selected_graphs(idx, report)
    shared = {str(ONTOLOGY_GRAPH), str(VOCAB_GRAPH)}
    classes = {}

    def cls(iri):
        if iri not in classes:
            classes[iri] = onto.class_of(iri)
        return classes[iri]

    nodes = {s for (s, p), evs in idx.links.items() if p == _AKG + "hasEvidence"
             and opts.includes(cls(s)) and any(idx.evidence_graph.get(e) in selected for e in evs)}
    edges, attr_links = set(), []
    for s, p, o, g in idx.relations:
        if g not in selected and g not in shared:
            continue
        s, p, o = onto.canonical(s, p, o)
        if opts.includes(cls(s)) and opts.includes(cls(o)):
            if g in selected:
                nodes.update((s, o))
            edges.add((s, p, o))
        else:
            attr_links.append((s, p, o))
    G = nx.MultiDiGraph(name="anze-kg", reports=sorted(_report_id(g) for g in selected),
                        options={"report": report, "include_observations": include_observations,
                                 "include_concepts": include_concepts})
    for iri in sorted(nodes):
        G.add_node(iri, **_node_attrs(idx, onto, iri, cls(iri), selected))
    for s, p, o in sorted(edges):
        if s in nodes and o in nodes:
            names = onto.labels(p)
            G.add_edge(s, o, key=local_name(p), predicate=p, label_zh=names["zh"], label_en=names["en"])
    _add_link_facts(G, idx, onto, attr_links, cls)
    _add_statement_quotes(G, idx, onto, selected)
    G.graph["classes"] = {c: onto.labels(_AKG + c) for c in sorted({d["class"] for _, d in G.nodes(data=True)})}
    G.graph["report_areas"] = {_report_id(g): _area_chain(idx, onto, idx.report_area[g])
                               for g in sorted(selected) if g in idx.report_area}
    return G


def _area_chain(idx: _Index, onto: "_Ontology", area: str) -> list[tuple[str, str, str]]:
    """A report's area and the areas it lies in, upwards: (IRI, class, Chinese label)."""
    chain: list[tuple[str, str, str]] = []
    while area and all(area != a for a, _, _ in chain):
        chain.append((area, onto.class_of(area) or "", idx.labels.get(area, {}).get("zh", area)))
        area = next(iter(idx.link(area, _AKG + "locatedIn")), None)
    return chain


def _report_id(graph_iri: str) -> str:
    return graph_iri[len(str(GRAPH)):] if graph_iri.startswith(str(GRAPH)) else graph_iri


def _selected_graphs(idx: _Index, report: str | None) -> set[str]:
    reports = {g for g in idx.graphs if g and g not in (str(ONTOLOGY_GRAPH), str(VOCAB_GRAPH))}
    if report is None:
        return reports
    wanted = f"{GRAPH}{report}"
    if wanted not in reports:
        known = ", ".join(sorted(_report_id(g) for g in reports)) or "none"
        raise NotFoundError(f"no report {report!r} in the graph", hint=f"reports: {known}")
    return {wanted}


def _node_attrs(idx: _Index, onto: _Ontology, iri: str, cls: str, selected: set[str]) -> dict:
    got = idx.labels.get(iri, {})
    zh, en = got.get("zh") or got.get("plain") or "", got.get("en") or got.get("plain") or ""
    quotes = _quotes(idx, iri, selected)
    attrs = {"iri": iri, "class": cls, "label": zh or en or local_name(iri), "label_zh": zh, "label_en": en,
             "label_pinyin": got.get("pinyin", ""), "alt_labels": sorted(set(idx.values.get((iri, _SKOS + "altLabel"), ()))),
             "reports": sorted({q["report"] for q in quotes}), "quotes": quotes}
    note = idx.first(iri, _SKOS + "editorialNote")
    if note:
        attrs["note"] = note
    if cls == "Observation":
        attrs.update(_measure_facts(idx, iri))
    return attrs


def _measure_facts(idx: _Index, iri: str) -> dict[str, str]:
    """Value, period, growth and rank of an observation, as written."""
    facts = {}
    value = _as_written(idx, iri)
    if value:
        facts["value"] = value
    for name, suffix in (("period", ""), ("growthRate", "%"), ("changePoints", " pp")):
        got = idx.first(iri, _AKG + name)
        if got is not None:
            facts[name] = got + suffix
    ranks = []  # 全省第2、全市第1 -> "2 (全省); 1 (全市)"; 位居省市前列 -> "位居前列 (省); 位居前列 (市)"
    for rank in sorted(idx.links.get((iri, _AKG + "hasRank"), ())):
        bands = idx.links.get((rank, _AKG + "rankBand"), ())
        position = idx.first(rank, _AKG + "rank") or (idx.labels[bands[0]].get("zh", "") if bands else "")
        scope = idx.first(rank, _AKG + "rankScopeAsWritten")
        ranks.append(f"{position} ({scope})" if scope else position)
    if ranks:
        facts["rank"] = "; ".join(ranks)
    return facts


def _as_written(idx: _Index, iri: str) -> str:
    value = idx.first(iri, _AKG + "valueAsWritten") or ""
    unit = idx.first(iri, _AKG + "unitAsWritten") or ""
    return value + unit


def _add_link_facts(G: nx.MultiDiGraph, idx: _Index, onto: _Ontology, links, cls) -> None:
    """A link from a node to something that is not a node becomes a node attribute."""
    facts: dict[tuple[str, str], list[str]] = defaultdict(list)
    for s, p, o in links:
        if s not in G:
            continue
        kind = cls(o)
        if kind == "Quantity":
            text = _as_written(idx, o)
        elif o in idx.labels:
            names = onto.labels(o)
            text = names["zh"] if names["zh"] == names["en"] else f"{names['zh']} ({names['en']})"
        else:
            continue
        if text and text not in facts[s, local_name(p)]:
            facts[s, local_name(p)].append(text)
    for (s, name), texts in sorted(facts.items()):
        G.nodes[s][name] = "; ".join(texts)


def _quotes(idx: _Index, iri: str, selected: set[str]) -> list[dict]:
    out = []
    for ev in idx.link(iri, _AKG + "hasEvidence"):
        if idx.evidence_graph.get(ev) in selected:
            out += _evidence_quotes(idx, ev)
    return sorted(out, key=lambda q: (q["report"], q["start"]))


def _evidence_quotes(idx: _Index, ev: str) -> list[dict]:
    out = []
    for target in idx.link(ev, str(OA) + "hasTarget"):
        source = next(iter(idx.link(target, str(OA) + "hasSource")), "")
        exact, start, end = None, None, None
        for sel in idx.link(target, str(OA) + "hasSelector"):
            exact = exact or idx.first(sel, str(OA) + "exact")
            start = start if start is not None else idx.first(sel, str(OA) + "start")
            end = end if end is not None else idx.first(sel, str(OA) + "end")
        if exact is None or start is None:
            continue
        quote = {"report": local_name(source), "exact": exact, "start": int(start), "end": int(end or 0)}
        quote.update(_sentence_around(idx.first(source, str(SCHEMA) + "text") or "", quote))
        out.append(quote)
    return out


def _sentence_around(text: str, quote: dict) -> dict[str, str]:
    """The rest of the quote's sentence: ``before`` and ``after`` the exact words."""
    start, end = quote["start"], quote["end"]
    if text[start:end] != quote["exact"]:
        return {"before": "", "after": ""}
    left = max((m.end() for m in _SENTENCE_END.finditer(text, max(0, start - _SENTENCE_MAX), start)), default=None)
    left = left if left is not None else max(0, start - _SENTENCE_MAX)
    right_match = _SENTENCE_END.search(text, end, end + _SENTENCE_MAX)
    right = right_match.end() if right_match else min(len(text), end + _SENTENCE_MAX)
    return {"before": text[left:start].lstrip(), "after": text[end:right].rstrip()}


def _add_statement_quotes(G: nx.MultiDiGraph, idx: _Index, onto: _Ontology, selected: set[str]) -> None:
    """Relations reified as ``akg:Statement`` give their quotes to the edge."""
    for st, kinds in idx.types.items():
        if _AKG + "Statement" not in kinds:
            continue
        parts = [next(iter(idx.link(st, _RDF + name)), None) for name in ("subject", "predicate", "object")]
        if None in parts:
            continue
        s, p, o = onto.canonical(*parts)
        if G.has_edge(s, o, key=local_name(p)):
            edge = G.edges[s, o, local_name(p)]
            edge.setdefault("quotes", []).extend(_quotes(idx, st, selected))
