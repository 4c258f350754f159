"""Located facts -> RDF.  One named graph per report, one for the shared
vocabulary (areas, indicators) and one for the ontology.  No blank nodes:
helper nodes (evidence, selectors, quantities, statements) get IRIs derived
from their owner, so two builds of the same inputs give the same triples.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from anze_kg import rdfterms as ns
from anze_kg.errors import FactError, SourceUnavailable
from anze_kg.inputs.facts import (
    Amount,
    Fact,
    FactSet,
    Link,
    Quote,
    Rank,
    load_facts,
    written_number,
)
from anze_kg.inputs.ontology import OntologyIndex, load_ontology
from anze_kg.inputs.project import Project
from anze_kg.inputs.quotes import Span, locate
from anze_kg.inputs.reports import Report, load_report
from anze_kg.namespaces import in_report as ns_in_report
from anze_kg.namespaces import report_node as ns_report_node
from anze_kg.namespaces import thing as ns_thing
from anze_kg.rdfterms import AKG, OA, QB, SCHEMA

INDICATOR_SCHEME = ns.thing("scheme", "indicator")
# a figure written as a ratio: 21.9∶38.7∶39.4 (U+2236), 3.6 : 48 : 48.4, 1：2
_RATIO = re.compile(r"^\s*\d+(?:\.\d+)?(?:\s*[:\u2236\uff1a]\s*\d+(?:\.\d+)?)+\s*$")
_RATIO_TERM = re.compile(r"\d+(?:\.\d+)?")


@dataclass
class Built:
    """What a build produced: the union graph (for SHACL and queries) and the
    triples of each named graph (ontology, vocab, one per report)."""

    project: Project
    index: OntologyIndex
    reports: list[Report]
    facts: FactSet
    union: Graph
    named: dict[URIRef, list[tuple]] = field(default_factory=dict)

    def quads(self):
        """Every (s, p, o, graph) once."""
        seen = set()
        for name, triples in self.named.items():
            for triple in triples:
                if (*triple, name) not in seen:
                    seen.add((*triple, name))
                    yield (*triple, name)


def node_of(fact: Fact) -> URIRef:
    if fact.is_observation:
        return ns.in_report("observation", fact.report, fact.id)
    return ns.thing(ns.kind_of(fact.type), fact.id)


def _decimal_text(value: Decimal) -> str:
    return format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f")


def _decimal(value: Decimal) -> Literal:
    return Literal(_decimal_text(value), datatype=XSD.decimal)


def _literal(value, rng: URIRef | None) -> Literal:
    if isinstance(value, Decimal):
        return _decimal(value)
    if isinstance(value, bool):
        return Literal(value)
    if rng is not None and rng != XSD.string:
        return Literal(str(value), datatype=rng)
    return Literal(str(value))


class _RdflibTerms:
    """The builder's terms as rdflib terms (the reference graph, pySHACL, the shared units)."""

    AKG, OA, QB, SCHEMA = AKG, OA, QB, SCHEMA
    RDF, RDFS, SKOS, PROV, DCTERMS, XSD = RDF, RDFS, SKOS, PROV, DCTERMS, XSD
    iri = staticmethod(URIRef)
    ill_typed = False  # not tracked: pySHACL and the fast engine's caller read the literals themselves

    @staticmethod
    def of(term: URIRef) -> URIRef:
        """An rdflib IRI of the ontology index, as a term of this kind."""
        return term

    @staticmethod
    def plain(text) -> Literal:
        return Literal(text)

    @staticmethod
    def lang(text, tag: str) -> Literal:
        return Literal(text, lang=tag)

    @staticmethod
    def typed(text: str, datatype: URIRef) -> Literal:
        return Literal(text, datatype=datatype)

    @staticmethod
    def integer(n: int, datatype: URIRef) -> Literal:
        return Literal(n, datatype=datatype)

    @staticmethod
    def true() -> Literal:
        return Literal(True)

    literal = staticmethod(_literal)

    @staticmethod
    def decimal(value: Decimal) -> Literal:
        return _decimal(value)


class _OxNamespace:
    """``NS.term`` as a pyoxigraph NamedNode, made once per term."""

    def __init__(self, base: str) -> None:
        self._base = str(base)

    def __getattr__(self, name: str) -> ox.NamedNode:
        if name.startswith("__"):
            raise AttributeError(name)
        node = ox.NamedNode(self._base + name)
        setattr(self, name, node)
        return node


_OX_NAMESPACES = {name: _OxNamespace(base) for name, base in
                  (("AKG", AKG), ("OA", OA), ("QB", QB), ("SCHEMA", SCHEMA), ("RDF", RDF), ("RDFS", RDFS),
                   ("SKOS", SKOS), ("PROV", PROV), ("DCTERMS", DCTERMS), ("XSD", XSD))}


class _OxTerms:
    """The builder's terms made as pyoxigraph terms directly: the same terms
    :func:`to_ox_quads` gives for the rdflib ones, without making those (three
    times faster for a report).  Plain and language-tagged strings and Python
    integers become pyoxigraph literals at once; anything else (typed lexical
    forms, which rdflib normalises, such as ``01``^^xsd:integer to ``1``, and
    values that are not strings) goes through rdflib's Literal, and
    ``ill_typed`` records whether one of those was ill-typed."""

    AKG, OA, QB, SCHEMA = (_OX_NAMESPACES[n] for n in ("AKG", "OA", "QB", "SCHEMA"))
    RDF, RDFS, SKOS, PROV, DCTERMS, XSD = (_OX_NAMESPACES[n] for n in ("RDF", "RDFS", "SKOS", "PROV", "DCTERMS", "XSD"))
    iri = ox.NamedNode

    def __init__(self) -> None:
        self.ill_typed = False
        self._converter = _Converter()
        self._true = ox.Literal("true", datatype=self.XSD.boolean)

    def of(self, term: URIRef) -> ox.NamedNode:
        return self._converter.iri(str(term))

    def _from_rdflib(self, literal: Literal) -> ox.Literal:
        if literal.ill_typed:
            self.ill_typed = True
        return self._converter.term(literal)

    def plain(self, text) -> ox.Literal:
        return ox.Literal(text) if type(text) is str else self._from_rdflib(Literal(text))

    def lang(self, text, tag: str) -> ox.Literal:
        return ox.Literal(text, language=tag) if type(text) is str and tag else self._from_rdflib(Literal(text, lang=tag))

    def typed(self, text: str, datatype: ox.NamedNode) -> ox.Literal:
        return self._from_rdflib(Literal(text, datatype=datatype.value))

    def integer(self, n: int, datatype: ox.NamedNode) -> ox.Literal:
        if type(n) is int:  # rdflib writes a Python int as str(n) whatever the datatype, and never flags it
            return ox.Literal(str(n), datatype=datatype)
        return self._from_rdflib(Literal(n, datatype=datatype.value))

    def true(self) -> ox.Literal:
        return self._true

    def literal(self, value, rng: URIRef | None) -> ox.Literal:
        return self._from_rdflib(_literal(value, rng))

    def decimal(self, value: Decimal) -> ox.Literal:
        return self._from_rdflib(_decimal(value))


_RDFLIB_TERMS = _RdflibTerms()


class _ReportBuilder:
    """Writes the triples of one named graph (a report's, or the vocabulary's)
    into ``sink``, as rdflib terms or (``terms``: an :class:`_OxTerms`) as
    pyoxigraph terms."""

    def __init__(self, index: OntologyIndex, facts: FactSet, report: Report | None, sink: list,
                 terms=_RDFLIB_TERMS) -> None:
        self.index, self.facts, self.report = index, facts, report
        self.add = sink.append
        self.t = terms

    # -- evidence -------------------------------------------------------
    def span(self, quote: Quote) -> Span:
        return locate(self.report.text, quote.text, quote.where, quote.occurrence)

    def evidence(self, body, slug: str, quote: Quote, motivation, where=None) -> Span:
        """Annotate ``body`` with the quote; ``where`` is the fact's location (default: the quote's)."""
        span = self.span(quote)
        where = where or quote.where
        t = self.t
        akg, oa, rdf, xsd = t.AKG, t.OA, t.RDF, t.XSD
        ev_iri = ns_in_report("evidence", self.report.id, slug)
        ev = t.iri(ev_iri)
        target, exact, pos = t.iri(f"{ev_iri}/target"), t.iri(f"{ev_iri}/quote"), t.iri(f"{ev_iri}/position")
        add, doc = self.add, t.iri(ns_report_node(self.report.id))
        add((body, akg.hasEvidence, ev))
        add((ev, rdf.type, akg.Evidence))
        add((ev, rdf.type, oa.Annotation))
        add((ev, oa.hasBody, body))
        add((ev, oa.motivatedBy, motivation))
        add((ev, oa.hasTarget, target))
        add((ev, akg.factFile, t.plain(where.path)))
        add((ev, akg.factLine, t.integer(where.line or 1, xsd.positiveInteger)))
        add((target, rdf.type, oa.SpecificResource))
        add((target, oa.hasSource, doc))
        add((target, oa.hasSelector, exact))
        add((target, oa.hasSelector, pos))
        add((exact, rdf.type, oa.TextQuoteSelector))
        add((exact, oa.exact, t.plain(span.exact)))
        add((exact, oa.prefix, t.plain(span.prefix)))
        add((exact, oa.suffix, t.plain(span.suffix)))
        add((pos, rdf.type, oa.TextPositionSelector))
        add((pos, oa.start, t.integer(span.start, xsd.nonNegativeInteger)))
        add((pos, oa.end, t.integer(span.end, xsd.nonNegativeInteger)))
        return span

    # -- facts ----------------------------------------------------------
    def node_of(self, fact: Fact):
        if fact.is_observation:
            return self.t.iri(ns_in_report("observation", fact.report, fact.id))
        return self.t.iri(ns_thing(ns.kind_of(fact.type), fact.id))

    def labels(self, node, fact: Fact) -> None:
        add, t = self.add, self.t
        rdfs, skos = t.RDFS, t.SKOS
        if fact.zh:
            add((node, rdfs.label, t.lang(fact.zh, "zh")))
        if fact.en:
            add((node, rdfs.label, t.lang(fact.en, "en")))
        if fact.pinyin:
            add((node, skos.altLabel, t.lang(fact.pinyin, ns.PINYIN)))
        for alt in fact.alt_zh:
            add((node, skos.altLabel, t.lang(alt, "zh")))
        if fact.definition:
            add((node, skos.definition, t.lang(fact.definition, "en")))
        if fact.note:
            add((node, skos.editorialNote, t.plain(fact.note)))

    def facts_of_report(self) -> None:
        facts = self.facts.reports[self.report.id]
        for fact in facts.values():
            self.fact(fact)
        for fact in getattr(facts, "mentions", ()):
            self.mention(fact)

    def mention(self, fact: Fact) -> None:
        """The report names a thing of data/vocab/: its evidence, in the report's graph, on the shared
        node (named by where the quote starts, so the order of the records does not matter)."""
        node = self.node_of(self.facts.vocab[fact.id])
        start = self.span(fact.quote).start
        self.evidence(node, f"{fact.id}/at-{start}", fact.quote, self.t.OA.identifying, fact.where)

    def fact(self, fact: Fact) -> None:
        t = self.t
        node = self.node_of(fact)
        add = self.add
        add((node, t.RDF.type, t.of(self.index.classes[fact.type])))
        self.labels(node, fact)
        if fact.type == "Indicator":
            add((node, t.RDF.type, t.SKOS.Concept))
            add((node, t.SKOS.inScheme, t.of(INDICATOR_SCHEME)))
            if fact.zh:
                add((node, t.SKOS.prefLabel, t.lang(fact.zh, "zh")))
        if fact.draft:
            add((node, t.AKG.draft, t.true()))
        quote_text = None
        if self.report is not None and fact.quote is not None:
            add((node, t.PROV.wasDerivedFrom, t.iri(ns_report_node(self.report.id))))
            motivation = t.OA.describing if fact.is_observation else t.OA.identifying
            quote_text = self.evidence(node, fact.id, fact.quote, motivation, fact.where).exact
        for link in fact.links:
            self.link(node, fact, link)
        for name, value in sorted(fact.literals.items()):
            prop = self.index.properties[name]
            add((node, t.of(prop.iri), t.literal(value, prop.range)))
        if fact.is_observation:
            self.observation(node, fact, quote_text)
        for n, rank in enumerate(fact.ranks, 1):
            self.rank(node, fact, n, rank)
        for name, amount in sorted(fact.amounts.items()):
            if name != "value":
                self.quantity(node, fact, name, amount, quote_text)

    def target(self, fact: Fact, link: Link):
        prop = self.index.properties[link.prop]
        if prop.kind == "concept":
            return self.t.of(self.index.concepts[ns.local_name(prop.range)][link.target])
        return self.node_of(self.facts.lookup(fact.report, link.target))

    def link(self, node, fact: Fact, link: Link) -> None:
        t = self.t
        prop = self.index.properties[link.prop]
        obj = self.target(fact, link)
        prop_iri = t.of(prop.iri)
        self.add((node, prop_iri, obj))
        if prop.inverse is not None:
            self.add((obj, t.of(prop.inverse), node))
        if link.quote is not None:
            slug = f"{fact.id}/{link.prop}/{link.target}"
            st = t.iri(ns_in_report("statement", self.report.id, slug))
            rdf = t.RDF
            for p, o in ((rdf.type, t.AKG.Statement), (rdf.type, rdf.Statement), (rdf.subject, node),
                         (rdf.predicate, prop_iri), (rdf.object, obj)):
                self.add((st, p, o))
            if link.stage is not None:
                self.add((st, t.AKG.stage, t.of(self.index.concepts["Stage"][link.stage])))
            self.evidence(st, slug, link.quote, t.OA.linking)

    def rank(self, owner, fact: Fact, n: int, rank: Rank) -> None:
        """One rank of the figure, as its own node (a figure may have several: 全省第2、全市第1)."""
        add, t = self.add, self.t
        akg, xsd = t.AKG, t.XSD
        node = t.iri(ns_in_report("rank", self.report.id, f"{fact.id}/{n}"))
        add((owner, akg.hasRank, node))
        add((node, t.RDF.type, akg.Rank))
        if rank.position is not None:
            add((node, akg.rank, t.integer(rank.position, xsd.positiveInteger)))
        if rank.band is not None:
            add((node, akg.rankBand, t.of(self.index.concepts["RankBand"][rank.band])))
        if rank.scope is not None:
            add((node, akg.rankScope, self.node_of(self.facts.lookup(fact.report, rank.scope))))
        add((node, akg.rankOf, t.plain(rank.of)))
        if rank.scope_written is not None:
            add((node, akg.rankScopeAsWritten, t.plain(rank.scope_written)))
        if rank.peer_group is not None:
            add((node, akg.peerGroup, t.plain(rank.peer_group)))
        if rank.quote is not None:
            self.evidence(node, f"{fact.id}/rank-{n}", rank.quote, t.OA.describing)

    def amount(self, node, amount: Amount, quote_text: str | None) -> None:
        add, t = self.add, self.t
        akg = t.AKG
        written = amount.written
        if written is not None and quote_text is not None and written not in quote_text:
            raise FactError(amount.where, f"valueText {written!r} is not in the quote {quote_text!r}")
        if amount.value is not None:
            add((node, akg.value, t.decimal(amount.value)))
            if written is None and quote_text is not None:
                written = written_number(quote_text, amount.value)
                if written is None:
                    raise FactError(amount.where, f"value {amount.value} is not in the quote {quote_text!r}",
                                    hint="correct the value, or quote the clause that states it")
        if written is not None:
            add((node, akg.valueAsWritten, t.plain(written)))
        if amount.unit is not None:
            unit = self.index.units[amount.unit]
            add((node, akg.unit, t.of(unit.iri)))
            add((node, akg.unitAsWritten, t.plain(amount.unit)))
            add((node, akg.baseUnit, t.of(unit.base)))
            if amount.value is not None:
                add((node, akg.normalizedValue, t.decimal(amount.value * unit.multiplier)))
        if amount.qualifier is not None:
            add((node, akg.qualifier, t.of(self.index.concepts["Qualifier"][amount.qualifier])))

    def quantity(self, owner, fact: Fact, name: str, amount: Amount, fact_quote: str | None) -> None:
        t = self.t
        node = t.iri(ns_in_report("quantity", self.report.id if self.report else "vocab", f"{fact.id}/{name}"))
        self.add((owner, t.of(self.index.properties[name].iri), node))
        self.add((node, t.RDF.type, t.AKG.Quantity))
        quote_text = fact_quote
        if amount.quote is not None:
            quote_text = self.evidence(node, f"{fact.id}/{name}", amount.quote, t.OA.describing).exact
        self.amount(node, amount, quote_text)

    def observation(self, node, fact: Fact, quote_text: str | None) -> None:
        add, report, t = self.add, self.report, self.t
        add((node, t.RDF.type, t.QB.Observation))
        add((node, t.QB.dataSet, t.iri(ns_thing("dataset", report.id))))
        if not any(link.prop == "refArea" for link in fact.links):
            area = self.facts.lookup(report.id, report.area)
            add((node, t.AKG.refArea, self.node_of(area)))
        if "period" not in fact.literals:
            add((node, t.AKG.period, t.typed(str(report.year), t.XSD.gYear)))
        if "value" in fact.amounts:  # a growth or change alone (增长8%左右) states no level
            self.amount(node, fact.amounts["value"], quote_text)
            self.ratio_terms(node, fact)
        self.observation_labels(node, fact)

    def ratio_terms(self, node, fact: Fact) -> None:
        """A figure written as a ratio (21.9∶38.7∶39.4, 3.6 : 48 : 48.4) keeps it as written and
        gets each term as a number, in order: terms the report writes, not shares it does not."""
        written = fact.amounts["value"].written
        match = _RATIO.match(unicodedata.normalize("NFKC", written)) if written else None
        if match is None:
            return
        t = self.t
        for n, term in enumerate(_RATIO_TERM.findall(match.group()), 1):
            part = t.iri(ns_in_report("ratio-term", self.report.id, f"{fact.id}/{n}"))
            self.add((node, t.AKG.ratioTerm, part))
            self.add((part, t.RDF.type, t.AKG.RatioTerm))
            self.add((part, t.AKG.termIndex, t.integer(n, t.XSD.positiveInteger)))
            self.add((part, t.AKG.value, t.decimal(Decimal(term))))

    def observation_labels(self, node, fact: Fact) -> None:
        facts, report, t = self.facts, self.report, self.t
        indicator = next(facts.lookup(report.id, l.target) for l in fact.links if l.prop == "indicator")
        area_id = next((l.target for l in fact.links if l.prop == "refArea"), report.area)
        area = facts.lookup(report.id, area_id)
        period = fact.literals.get("period", report.year)
        self.add((node, t.RDFS.label, t.lang(f"{area.zh}{period}年{indicator.zh}", "zh")))
        self.add((node, t.RDFS.label, t.lang(f"{indicator.en}, {area.en}, {period}", "en")))

    # -- the report itself ----------------------------------------------
    def report_metadata(self) -> None:
        report, add, t = self.report, self.add, self.t
        akg, rdf, rdfs, dcterms, prov, qb, schema, xsd = t.AKG, t.RDF, t.RDFS, t.DCTERMS, t.PROV, t.QB, t.SCHEMA, t.XSD
        meta, doc = report.meta, t.iri(ns_report_node(report.id))
        add((doc, rdf.type, akg.Report))
        add((doc, rdf.type, prov.Entity))
        add((doc, dcterms.identifier, t.plain(report.id)))
        add((doc, dcterms.title, t.lang(meta["title"], "zh")))
        add((doc, rdfs.label, t.lang(meta["title"], "zh")))
        if meta.get("title_en"):
            add((doc, dcterms.title, t.lang(meta["title_en"], "en")))
            add((doc, rdfs.label, t.lang(meta["title_en"], "en")))
        if meta.get("subtitle"):
            add((doc, schema.alternativeHeadline, t.lang(meta["subtitle"], "zh")))
        published = dt.datetime.fromisoformat(meta["published"]) if "T" in meta["published"] else None
        add((doc, dcterms.issued, t.typed(meta["published"], xsd.dateTime if published else xsd.date)))
        add((doc, dcterms.language, t.plain(meta.get("language", "zh"))))
        add((doc, akg.referenceYear, t.typed(str(report.year), xsd.gYear)))
        add((doc, akg.reportArea, self.node_of(self.facts.lookup(report.id, report.area))))
        add((doc, schema.text, t.lang(report.text, meta.get("language", "zh"))))
        for key in ("genre", "source_url"):
            if meta.get(key):
                add((doc, schema.genre if key == "genre" else schema.url, t.plain(meta[key])))
        self.rights(doc, meta)
        self.agents(doc, meta)
        dataset = t.iri(ns_thing("dataset", report.id))
        add((dataset, rdf.type, qb.DataSet))
        add((dataset, qb.structure, akg.indicatorStructure))
        add((dataset, prov.wasDerivedFrom, doc))
        add((dataset, rdfs.label, t.lang(f"{meta['title']} 指标数据", "zh")))
        add((dataset, rdfs.label, t.lang(f"Indicators of report {report.id}", "en")))

    def rights(self, doc, meta: dict) -> None:
        t = self.t
        if meta.get("rights"):
            self.add((doc, t.DCTERMS.rights, t.lang(meta["rights"], "zh")))
        if meta.get("rights_en"):
            self.add((doc, t.DCTERMS.rights, t.lang(meta["rights_en"], "en")))

    def agents(self, doc, meta: dict) -> None:
        add, t = self.add, self.t
        akg, rdf, rdfs, dcterms = t.AKG, t.RDF, t.RDFS, t.DCTERMS
        publisher = t.iri(ns_thing("organization", meta["publisher"]))
        add((doc, dcterms.publisher, publisher))
        add((publisher, rdf.type, akg.Organization))
        add((publisher, rdfs.label, t.lang(meta["publisher"], "zh")))
        if meta.get("publisher_en"):
            add((publisher, rdfs.label, t.lang(meta["publisher_en"], "en")))
        roles = [(dcterms.creator, meta.get("reporter"))]
        roles += [(akg.photographer, name) for name in meta.get("photographers", [])]
        roles += [(akg.editor, meta.get("editor"))]
        for prop, name in roles:
            if name:
                person = t.iri(ns_thing("person", name))
                add((doc, prop, person))
                add((person, rdf.type, akg.Person))
                add((person, rdfs.label, t.lang(name, "zh")))
                self.person_names(person, meta.get("people_pinyin", {}).get(name))

    def person_names(self, person, pinyin: str | None) -> None:
        if pinyin:
            t = self.t
            self.add((person, t.SKOS.altLabel, t.lang(pinyin, ns.PINYIN)))
            plain = "".join(c for c in unicodedata.normalize("NFD", pinyin) if not unicodedata.combining(c))
            self.add((person, t.RDFS.label, t.lang(plain, "en")))


def load_inputs(project: Project, allow_drafts: bool = False, only: list[str] | None = None):
    """Read the ontology, every report and all facts; check them."""
    index = load_ontology(project.ontology_files())
    reports = []
    for folder in project.report_dirs():
        if only is None or folder.name in only:
            try:
                reports.append(load_report(folder))
            except SourceUnavailable:
                continue  # its text is kept outside the project and is absent: left out, as in the pipeline
    facts = load_facts(project, reports, index, allow_drafts)
    return index, reports, facts


def report_triples(index: OntologyIndex, facts: FactSet, report: Report) -> list[tuple]:
    """The triples of one report's named graph (may repeat a triple; graphs dedupe)."""
    sink: list[tuple] = []
    builder = _ReportBuilder(index, facts, report, sink)
    builder.report_metadata()
    builder.facts_of_report()
    return sink


@dataclass(frozen=True)
class OxGraph:
    """One report's named graph as pyoxigraph quads: each once, sorted in N-Quads
    order (the quads :func:`to_ox_quads` gives for :func:`report_triples`).
    ``ill_typed``: a literal is not of its datatype (``abc``^^xsd:integer)."""

    quads: list[ox.Quad]
    ill_typed: bool


def report_quads(index: OntologyIndex, facts: FactSet, report: Report, graph: str) -> OxGraph:
    """The quads of one report's named graph ``graph``, made without rdflib terms
    (see :class:`_OxTerms`); the same quads as ``to_ox_quads`` of
    :func:`report_triples` with ``graph`` added."""
    sink: list[tuple] = []
    terms = _OxTerms()
    builder = _ReportBuilder(index, facts, report, sink, terms)
    builder.report_metadata()
    builder.facts_of_report()
    name = ox.NamedNode(graph)
    quads = list({ox.Quad(s, p, o, name) for s, p, o in sink})
    quads.sort(key=str)
    return OxGraph(quads, terms.ill_typed)


def vocab_triples(index: OntologyIndex, facts: FactSet) -> list[tuple]:
    """The triples of the shared vocabulary graph (areas, indicators)."""
    sink: list[tuple] = [
        (INDICATOR_SCHEME, RDF.type, SKOS.ConceptScheme),
        (INDICATOR_SCHEME, SKOS.prefLabel, Literal("指标", lang="zh")),
        (INDICATOR_SCHEME, SKOS.prefLabel, Literal("indicators", lang="en")),
    ]
    builder = _ReportBuilder(index, facts, None, sink)
    for fact in facts.vocab.values():
        builder.fact(fact)
    return sink


def build_dataset(project: Project, allow_drafts: bool = False, only: list[str] | None = None) -> Built:
    """Everything at once in memory: the union graph and its named graphs
    (ontology, vocab, one per report).  The simple path, for one or a few
    reports; :mod:`pipeline` builds report by report, cached and in parallel."""
    index, reports, facts = load_inputs(project, allow_drafts, only)
    union = Graph()
    ns.bind_prefixes(union)
    built = Built(project, index, reports, facts, union)
    built.named[ns.ONTOLOGY_GRAPH] = list(index.triples)
    built.named[ns.VOCAB_GRAPH] = vocab_triples(index, facts)
    for report in reports:
        built.named[ns.report_graph(report.id)] = report_triples(index, facts, report)
    add = union.add
    for triples in built.named.values():
        for triple in triples:
            add(triple)
    return built


# ---------------------------------------------------------------- to pyoxigraph


class _Converter:
    """rdflib terms -> pyoxigraph terms, with a cache for repeated IRIs."""

    def __init__(self) -> None:
        self.iris: dict[str, ox.NamedNode] = {}

    def iri(self, value: str) -> ox.NamedNode:
        node = self.iris.get(value)
        if node is None:
            node = self.iris[value] = ox.NamedNode(value)
        return node

    def term(self, term):
        if isinstance(term, URIRef):
            return self.iri(str(term))
        if isinstance(term, Literal):
            if term.language:
                return ox.Literal(str(term), language=term.language)
            if term.datatype is not None:
                return ox.Literal(str(term), datatype=self.iri(str(term.datatype)))
            return ox.Literal(str(term))
        if isinstance(term, BNode):
            return ox.BlankNode(str(term))
        raise TypeError(f"not an RDF term: {term!r}")


def to_ox_quads(quads) -> list[ox.Quad]:
    """(s, p, o, g) rdflib tuples -> pyoxigraph quads, sorted in N-Quads order."""
    conv = _Converter()
    out = [ox.Quad(conv.term(s), conv.term(p), conv.term(o), conv.term(g)) for s, p, o, g in quads]
    out.sort(key=str)
    return out
