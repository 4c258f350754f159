"""Located facts -> RDF.  One named graph per report, one for the shared
vocabulary (areas, indicators) and one for the ontology.  No blank nodes:
helper nodes (evidence, selectors, quantities, statements) get IRIs derived
from their owner, so two builds of the same inputs give the same triples.
"""

from __future__ import annotations

import datetime as dt
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
    load_facts,
    written_number,
)
from anze_kg.inputs.ontology import OntologyIndex, load_ontology
from anze_kg.inputs.project import Project
from anze_kg.inputs.quotes import Span, locate
from anze_kg.inputs.reports import Report, load_report
from anze_kg.rdfterms import AKG, OA, QB, SCHEMA

INDICATOR_SCHEME = ns.thing("scheme", "indicator")


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


def _decimal(value: Decimal) -> Literal:
    text = format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f")
    return Literal(text, datatype=XSD.decimal)


def _literal(value, rng: URIRef | None) -> Literal:
    if isinstance(value, Decimal):
        return _decimal(value)
    if isinstance(value, bool):
        return Literal(value)
    if rng is not None and rng != XSD.string:
        return Literal(str(value), datatype=rng)
    return Literal(str(value))


class _ReportBuilder:
    """Writes the triples of one named graph (a report's, or the vocabulary's) into ``sink``."""

    def __init__(self, index: OntologyIndex, facts: FactSet, report: Report | None, sink: list) -> None:
        self.index, self.facts, self.report = index, facts, report
        self.add = sink.append

    # -- evidence -------------------------------------------------------
    def span(self, quote: Quote) -> Span:
        return locate(self.report.text, quote.text, quote.where, quote.occurrence)

    def evidence(self, body: URIRef, slug: str, quote: Quote, motivation: URIRef, where=None) -> Span:
        """Annotate ``body`` with the quote; ``where`` is the fact's location (default: the quote's)."""
        span = self.span(quote)
        where = where or quote.where
        ev = ns.in_report("evidence", self.report.id, slug)
        target, exact, pos = URIRef(f"{ev}/target"), URIRef(f"{ev}/quote"), URIRef(f"{ev}/position")
        add, doc = self.add, ns.report_node(self.report.id)
        add((body, AKG.hasEvidence, ev))
        add((ev, RDF.type, AKG.Evidence))
        add((ev, RDF.type, OA.Annotation))
        add((ev, OA.hasBody, body))
        add((ev, OA.motivatedBy, motivation))
        add((ev, OA.hasTarget, target))
        add((ev, AKG.factFile, Literal(where.path)))
        add((ev, AKG.factLine, Literal(where.line or 1, datatype=XSD.positiveInteger)))
        add((target, RDF.type, OA.SpecificResource))
        add((target, OA.hasSource, doc))
        add((target, OA.hasSelector, exact))
        add((target, OA.hasSelector, pos))
        add((exact, RDF.type, OA.TextQuoteSelector))
        add((exact, OA.exact, Literal(span.exact)))
        add((exact, OA.prefix, Literal(span.prefix)))
        add((exact, OA.suffix, Literal(span.suffix)))
        add((pos, RDF.type, OA.TextPositionSelector))
        add((pos, OA.start, Literal(span.start, datatype=XSD.nonNegativeInteger)))
        add((pos, OA.end, Literal(span.end, datatype=XSD.nonNegativeInteger)))
        return span

    # -- facts ----------------------------------------------------------
    def labels(self, node: URIRef, fact: Fact) -> None:
        add = self.add
        if fact.zh:
            add((node, RDFS.label, Literal(fact.zh, lang="zh")))
        if fact.en:
            add((node, RDFS.label, Literal(fact.en, lang="en")))
        if fact.pinyin:
            add((node, SKOS.altLabel, Literal(fact.pinyin, lang=ns.PINYIN)))
        for alt in fact.alt_zh:
            add((node, SKOS.altLabel, Literal(alt, lang="zh")))
        if fact.definition:
            add((node, SKOS.definition, Literal(fact.definition, lang="en")))
        if fact.note:
            add((node, SKOS.editorialNote, Literal(fact.note)))

    def fact(self, fact: Fact) -> None:
        node = node_of(fact)
        add = self.add
        add((node, RDF.type, self.index.classes[fact.type]))
        self.labels(node, fact)
        if fact.type == "Indicator":
            add((node, RDF.type, SKOS.Concept))
            add((node, SKOS.inScheme, INDICATOR_SCHEME))
            if fact.zh:
                add((node, SKOS.prefLabel, Literal(fact.zh, lang="zh")))
        if fact.draft:
            add((node, AKG.draft, Literal(True)))
        quote_text = None
        if self.report is not None and fact.quote is not None:
            add((node, PROV.wasDerivedFrom, ns.report_node(self.report.id)))
            motivation = OA.describing if fact.is_observation else OA.identifying
            quote_text = self.evidence(node, fact.id, fact.quote, motivation, fact.where).exact
        for link in fact.links:
            self.link(node, fact, link)
        for name, value in sorted(fact.literals.items()):
            prop = self.index.properties[name]
            add((node, prop.iri, _literal(value, prop.range)))
        if fact.is_observation:
            self.observation(node, fact, quote_text)
        for name, amount in sorted(fact.amounts.items()):
            if name != "value":
                self.quantity(node, fact, name, amount, quote_text)

    def target(self, fact: Fact, link: Link) -> URIRef:
        prop = self.index.properties[link.prop]
        if prop.kind == "concept":
            return self.index.concepts[ns.local_name(prop.range)][link.target]
        return node_of(self.facts.lookup(fact.report, link.target))

    def link(self, node: URIRef, fact: Fact, link: Link) -> None:
        prop = self.index.properties[link.prop]
        obj = self.target(fact, link)
        self.add((node, prop.iri, obj))
        if prop.inverse is not None:
            self.add((obj, prop.inverse, node))
        if link.quote is not None:
            slug = f"{fact.id}/{link.prop}/{link.target}"
            st = ns.in_report("statement", self.report.id, slug)
            for p, o in ((RDF.type, AKG.Statement), (RDF.type, RDF.Statement), (RDF.subject, node),
                         (RDF.predicate, prop.iri), (RDF.object, obj)):
                self.add((st, p, o))
            self.evidence(st, slug, link.quote, OA.linking)

    def amount(self, node: URIRef, amount: Amount, quote_text: str | None) -> None:
        add = self.add
        written = amount.written
        if written is not None and quote_text is not None and written not in quote_text:
            raise FactError(amount.where, f"valueText {written!r} is not in the quote {quote_text!r}")
        if amount.value is not None:
            add((node, AKG.value, _decimal(amount.value)))
            if written is None and quote_text is not None:
                written = written_number(quote_text, amount.value)
                if written is None:
                    raise FactError(amount.where, f"value {amount.value} is not in the quote {quote_text!r}",
                                    hint="correct the value, or quote the clause that states it")
        if written is not None:
            add((node, AKG.valueAsWritten, Literal(written)))
        if amount.unit is not None:
            unit = self.index.units[amount.unit]
            add((node, AKG.unit, unit.iri))
            add((node, AKG.unitAsWritten, Literal(amount.unit)))
            add((node, AKG.baseUnit, unit.base))
            if amount.value is not None:
                add((node, AKG.normalizedValue, _decimal(amount.value * unit.multiplier)))
        if amount.qualifier is not None:
            add((node, AKG.qualifier, self.index.concepts["Qualifier"][amount.qualifier]))

    def quantity(self, owner: URIRef, fact: Fact, name: str, amount: Amount, fact_quote: str | None) -> None:
        node = ns.in_report("quantity", self.report.id if self.report else "vocab", f"{fact.id}/{name}")
        self.add((owner, self.index.properties[name].iri, node))
        self.add((node, RDF.type, AKG.Quantity))
        quote_text = fact_quote
        if amount.quote is not None:
            quote_text = self.evidence(node, f"{fact.id}/{name}", amount.quote, OA.describing).exact
        self.amount(node, amount, quote_text)

    def observation(self, node: URIRef, fact: Fact, quote_text: str | None) -> None:
        add, report = self.add, self.report
        add((node, RDF.type, QB.Observation))
        add((node, QB.dataSet, ns.thing("dataset", report.id)))
        if not any(link.prop == "refArea" for link in fact.links):
            area = self.facts.lookup(report.id, report.area)
            add((node, AKG.refArea, node_of(area)))
        if "period" not in fact.literals:
            add((node, AKG.period, Literal(str(report.year), datatype=XSD.gYear)))
        if "value" in fact.amounts:  # a growth or change alone (增长8%左右) states no level
            self.amount(node, fact.amounts["value"], quote_text)
        self.observation_labels(node, fact)

    def observation_labels(self, node: URIRef, fact: Fact) -> None:
        facts, report = self.facts, self.report
        indicator = next(facts.lookup(report.id, l.target) for l in fact.links if l.prop == "indicator")
        area_id = next((l.target for l in fact.links if l.prop == "refArea"), report.area)
        area = facts.lookup(report.id, area_id)
        period = fact.literals.get("period", report.year)
        self.add((node, RDFS.label, Literal(f"{area.zh}{period}年{indicator.zh}", lang="zh")))
        self.add((node, RDFS.label, Literal(f"{indicator.en}, {area.en}, {period}", lang="en")))

    # -- the report itself ----------------------------------------------
    def report_metadata(self) -> None:
        report, add = self.report, self.add
        meta, doc = report.meta, ns.report_node(report.id)
        add((doc, RDF.type, AKG.Report))
        add((doc, RDF.type, PROV.Entity))
        add((doc, DCTERMS.identifier, Literal(report.id)))
        add((doc, DCTERMS.title, Literal(meta["title"], lang="zh")))
        add((doc, RDFS.label, Literal(meta["title"], lang="zh")))
        if meta.get("title_en"):
            add((doc, DCTERMS.title, Literal(meta["title_en"], lang="en")))
            add((doc, RDFS.label, Literal(meta["title_en"], lang="en")))
        if meta.get("subtitle"):
            add((doc, SCHEMA.alternativeHeadline, Literal(meta["subtitle"], lang="zh")))
        published = dt.datetime.fromisoformat(meta["published"]) if "T" in meta["published"] else None
        add((doc, DCTERMS.issued, Literal(meta["published"], datatype=XSD.dateTime if published else XSD.date)))
        add((doc, DCTERMS.language, Literal(meta.get("language", "zh"))))
        add((doc, AKG.referenceYear, Literal(str(report.year), datatype=XSD.gYear)))
        add((doc, AKG.reportArea, node_of(self.facts.lookup(report.id, report.area))))
        add((doc, SCHEMA.text, Literal(report.text, lang=meta.get("language", "zh"))))
        for key in ("genre", "source_url"):
            if meta.get(key):
                add((doc, SCHEMA.genre if key == "genre" else SCHEMA.url, Literal(meta[key])))
        self.rights(doc, meta)
        self.agents(doc, meta)
        dataset = ns.thing("dataset", report.id)
        add((dataset, RDF.type, QB.DataSet))
        add((dataset, QB.structure, AKG.indicatorStructure))
        add((dataset, PROV.wasDerivedFrom, doc))
        add((dataset, RDFS.label, Literal(f"{meta['title']} 指标数据", lang="zh")))
        add((dataset, RDFS.label, Literal(f"Indicators of report {report.id}", lang="en")))

    def rights(self, doc: URIRef, meta: dict) -> None:
        if meta.get("rights"):
            self.add((doc, DCTERMS.rights, Literal(meta["rights"], lang="zh")))
        if meta.get("rights_en"):
            self.add((doc, DCTERMS.rights, Literal(meta["rights_en"], lang="en")))

    def agents(self, doc: URIRef, meta: dict) -> None:
        add = self.add
        publisher = ns.thing("organization", meta["publisher"])
        add((doc, DCTERMS.publisher, publisher))
        add((publisher, RDF.type, AKG.Organization))
        add((publisher, RDFS.label, Literal(meta["publisher"], lang="zh")))
        if meta.get("publisher_en"):
            add((publisher, RDFS.label, Literal(meta["publisher_en"], lang="en")))
        roles = [(DCTERMS.creator, meta.get("reporter"))]
        roles += [(AKG.photographer, name) for name in meta.get("photographers", [])]
        roles += [(AKG.editor, meta.get("editor"))]
        for prop, name in roles:
            if name:
                person = ns.thing("person", name)
                add((doc, prop, person))
                add((person, RDF.type, AKG.Person))
                add((person, RDFS.label, Literal(name, lang="zh")))
                self.person_names(person, meta.get("people_pinyin", {}).get(name))

    def person_names(self, person: URIRef, pinyin: str | None) -> None:
        if pinyin:
            self.add((person, SKOS.altLabel, Literal(pinyin, lang=ns.PINYIN)))
            plain = "".join(c for c in unicodedata.normalize("NFD", pinyin) if not unicodedata.combining(c))
            self.add((person, RDFS.label, Literal(plain, lang="en")))


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
    for fact in facts.reports[report.id].values():
        builder.fact(fact)
    return sink


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
    built.named[ns.ONTOLOGY_GRAPH] = list(index.graph)
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
