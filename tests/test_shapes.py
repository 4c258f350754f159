"""Every shape catches what it is for: a broken copy of the built graph per
constraint, validated with pySHACL, must give a violation on the broken node
with that constraint's message.  The unbroken graph conforms."""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import REPO
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SH, SKOS, XSD

from anze_kg.graph.shacl import load_shapes, validate_graph
from anze_kg.rdfterms import AKG, ID, OA

DCT = URIRef("http://purl.org/dc/terms/")
X = lambda kind, slug: URIRef(f"{ID}{kind}/{slug}")  # noqa: E731
ENTERPRISE = X("enterprise", "linxin")
PROGRAM = X("program", "winter-action")
VILLAGE = X("village", "anze-xiaoli-village")
TOWN = X("town", "hechuan-town")
GDP = X("observation", "anze-2023/gdp-2023")
GDP_RANK = X("rank", "anze-2023/gdp-2023/1")  # 增速全市排名第一
DZ = X("observation", "anze-2023/anze-dz-output-intensity-2023")  # two ranks: 全省第2、全市第1
SHARE = X("observation", "anze-2023/shortest-time-limit-service-items-share-2023")
TERM = X("ratio-term", "anze-2023/three-sector-structure-2023/1")  # Anze writes no ratio: planted
REPORT = X("report", "anze-2023")
EVIDENCE = X("evidence", "anze-2023/winter-action")
TARGET, QUOTE, POSITION = (URIRef(f"{EVIDENCE}/{part}") for part in ("target", "quote", "position"))
COUNTY = X("county", "anze")
PROJECT = X("project", "linxin-coking-170")
CAPACITY = X("quantity", "anze-2023/linxin-coking-170/capacity")
URBAN_RENEWAL = X("project", "anze-urban-renewal-project")
QUALIFIED = X("observation", "anze-2023/coal-advanced-capacity-share-2023")


def drop(g, s, p):
    g.remove((s, p, None))


def put(g, s, p, o):
    g.remove((s, p, None))
    g.add((s, p, o))


def lang(g, s, language):
    for label in list(g.objects(s, RDFS.label)):
        if label.language == language:
            g.remove((s, RDFS.label, label))


def first(g, cls):
    return sorted(g.subjects(RDF.type, cls))[0]


def some_quantity(g):
    return first(g, AKG.Quantity)


def some_statement(g):
    return first(g, AKG.Statement)


# (case id, mutation(graph) -> focus node, message fragment)
CASES = [
    ("zh-label", lambda g: (lang(g, ENTERPRISE, "zh"), ENTERPRISE)[1], "needs exactly two labels"),
    ("en-label", lambda g: (lang(g, PROGRAM, "en"), PROGRAM)[1], "needs an English label"),
    ("unique-lang", lambda g: (g.add((PROGRAM, RDFS.label, Literal("Second", lang="en"))), PROGRAM)[1],
     "labels are non-empty, @zh or @en, at most one per language"),
    ("evidence", lambda g: (drop(g, PROGRAM, AKG.hasEvidence), PROGRAM)[1], "a fact needs evidence"),
    ("derived-from", lambda g: (put(g, PROGRAM, PROV.wasDerivedFrom, VILLAGE), PROGRAM)[1],
     "prov:wasDerivedFrom points at a report"),
    ("located-in-place", lambda g: (g.add((VILLAGE, AKG.locatedIn, PROGRAM)), VILLAGE)[1],
     "akg:locatedIn points at a place"),
    ("village-in-town", lambda g: (drop(g, VILLAGE, AKG.locatedIn), VILLAGE)[1], "a village lies in a town or a county"),
    ("town-in-county", lambda g: (put(g, TOWN, AKG.locatedIn, X("city", "linfen")), TOWN)[1], "a town lies in a county"),
    ("county-in-city", lambda g: (drop(g, X("county", "anze"), AKG.locatedIn), X("county", "anze"))[1],
     "a county lies in a city or a province"),
    ("city-in-province", lambda g: (drop(g, X("city", "linfen"), AKG.locatedIn), X("city", "linfen"))[1],
     "a city lies in a province"),
    ("province-in-country", lambda g: (g.add((X("province", "shanxi"), AKG.locatedIn, X("city", "linfen"))),
                                       X("province", "shanxi"))[1], "a province lies in a country"),
    ("operates-project", lambda g: (g.add((ENTERPRISE, AKG.operates, VILLAGE)), ENTERPRISE)[1],
     "an organisation operates projects"),
    ("enterprise-sector", lambda g: (drop(g, ENTERPRISE, AKG.sector), ENTERPRISE)[1], "an enterprise belongs to a sector"),
    ("project-status", lambda g: (lambda p: (put(g, p, AKG.status, X("domain", "tourism")), p)[1])(first(g, AKG.Project)),
     "a project has at most one status"),
    ("status-scheme", lambda g: (g.add((VILLAGE, AKG.status, X("sector", "coking"))), VILLAGE)[1],
     "a status comes from the project status scheme"),
    ("program-domain", lambda g: (drop(g, PROGRAM, AKG.domain), PROGRAM)[1], "a programme has a domain"),
    ("domain-scheme", lambda g: (g.add((VILLAGE, AKG.domain, X("status", "closed"))), VILLAGE)[1],
     "a domain comes from the programme domain scheme"),
    ("sector-scheme", lambda g: (g.add((VILLAGE, AKG.sector, X("status", "closed"))), VILLAGE)[1],
     "a sector comes from the sector scheme"),
    ("designation-target", lambda g: (g.add((VILLAGE, AKG.hasDesignation, TOWN)), VILLAGE)[1],
     "akg:hasDesignation points at a designation"),
    ("awarded-by-node", lambda g: (lambda d: (g.add((d, AKG.awardedBy, Literal("china"))), d)[1])(first(g, AKG.Designation)),
     "the awarding body or level is a node"),
    ("made-from", lambda g: (lambda p: (g.add((p, AKG.madeFrom, VILLAGE)), p)[1])(first(g, AKG.Product)),
     "a product is made from products"),
    ("road-connects", lambda g: (lambda r: (g.add((r, AKG.connects, PROGRAM)), r)[1])(first(g, AKG.Road)),
     "a road connects places"),
    ("observation-indicator", lambda g: (drop(g, GDP, AKG.indicator), GDP)[1], "exactly one indicator"),
    ("observation-period", lambda g: (put(g, GDP, AKG.period, Literal("2023")), GDP)[1], "exactly one period"),
    ("observation-growth", lambda g: (put(g, GDP, AKG.growthRate, Literal("fast")), GDP)[1], "at most one growth rate"),
    ("observation-rank", lambda g: (g.add((GDP_RANK, AKG.rank, Literal(3))), GDP_RANK)[1], "at most one rank, a positive integer"),
    ("observation-rank-of", lambda g: (put(g, GDP_RANK, AKG.rankOf, Literal("size")), GDP_RANK)[1], "rankOf is"),
    ("observation-as-written", lambda g: (g.add((GDP, AKG.valueAsWritten, Literal("121.60"))), GDP)[1],
     "an observation keeps its value exactly as written"),
    ("observation-states-a-figure", lambda g: ([drop(g, GDP, p) for p in (AKG.valueAsWritten, AKG.growthRate,
                                                                            AKG.changePoints, AKG.hasRank)], GDP)[1],
     "an observation states a value as written, a growth rate, a change in points or a rank"),
    ("observation-has-rank", lambda g: (g.add((GDP, AKG.hasRank, VILLAGE)), GDP)[1],
     "an observation's ranks are akg:Rank nodes"),
    ("observation-ratio-term", lambda g: (g.add((GDP, AKG.ratioTerm, VILLAGE)), GDP)[1],
     "an observation's ratio terms are akg:RatioTerm nodes"),
    ("ratio-term-index", lambda g: (g.add((TERM, RDF.type, AKG.RatioTerm)), g.add((TERM, AKG.value, Literal(Decimal("21.9")))),
                                    TERM)[2], "a ratio term has one index, a positive integer"),
    ("ratio-term-value", lambda g: (g.add((TERM, RDF.type, AKG.RatioTerm)),
                                    g.add((TERM, AKG.termIndex, Literal(1, datatype=XSD.positiveInteger))), TERM)[2],
     "a ratio term has one value, an xsd:decimal"),
    ("rank-band", lambda g: (g.add((GDP_RANK, AKG.rankBand, X("status", "completed"))), GDP_RANK)[1],
     "a rank band is one concept of the rank band scheme"),
    ("rank-position-or-band", lambda g: (g.add((GDP_RANK, AKG.rankBand, X("rank-band", "among-the-leaders"))),
                                         GDP_RANK)[1], "a rank has a position or a band, not both"),
    ("rank-scope-named", lambda g: ([drop(g, GDP_RANK, p) for p in (AKG.rankScope, AKG.rankScopeAsWritten)],
                                    GDP_RANK)[1], "a rank names its scope: a place, or at least as written"),
    ("rank-scope-written", lambda g: (g.add((GDP_RANK, AKG.rankScopeAsWritten, Literal("全省"))), GDP_RANK)[1],
     "at most one rank scope as written"),
    ("rank-peer-group", lambda g: (g.add((GDP_RANK, AKG.peerGroup, Literal(""))), GDP_RANK)[1],
     "at most one peer group, as written"),
    ("share-numerator", lambda g: (put(g, SHARE, AKG.numerator, VILLAGE), SHARE)[1],
     "a share's numerator is an observation"),
    ("share-denominator", lambda g: (g.add((SHARE, AKG.denominator, VILLAGE)), SHARE)[1],
     "a share's denominator is an observation"),
    ("parts-count", lambda g: (g.add((GDP, AKG.partsCount, VILLAGE)), GDP)[1],
     "a figure's parts count is one observation"),
    ("same-group", lambda g: (g.add((GDP, AKG.sameGroupAs, VILLAGE)), GDP)[1],
     "akg:sameGroupAs links two observations of one group"),
    ("includes", lambda g: (g.add((GDP, AKG.includes, Literal("安晋华康中药材"))), GDP)[1],
     "akg:includes points at a thing the figure counts"),
    ("task-outcome", lambda g: (g.add((GDP, AKG.taskOutcome, X("status", "completed"))), GDP)[1],
     "a task outcome is one concept of the task outcome scheme"),
    ("task-set-by", lambda g: (g.add((GDP, AKG.taskSetBy, PROJECT)), GDP)[1], "a task is set by one area"),
    ("obs-status", lambda g: (g.add((GDP, AKG.obsStatus, X("status", "completed"))), GDP)[1],
     "an observation has at most one status, from the observation status scheme"),
    ("observation-dataset", lambda g: (drop(g, GDP, URIRef("http://purl.org/linked-data/cube#dataSet")), GDP)[1],
     "belongs to exactly one data set"),
    ("quantity-as-written", lambda g: (lambda q: (drop(g, q, AKG.valueAsWritten), q)[1])(some_quantity(g)),
     "a quantity keeps its value exactly as written"),
    ("amount-unit", lambda g: (drop(g, GDP, AKG.unitAsWritten), GDP)[1], "an amount with a unit also states"),
    ("indicator-scheme", lambda g: (drop(g, X("indicator", "gdp"), SKOS.inScheme), X("indicator", "gdp"))[1],
     "an indicator belongs to the indicator scheme"),
    ("report-publisher", lambda g: (drop(g, REPORT, DCT + "publisher"), REPORT)[1], "a report has one publisher"),
    ("report-text", lambda g: (drop(g, REPORT, URIRef("https://schema.org/text")), REPORT)[1], "a report carries its text"),
    ("evidence-line", lambda g: (drop(g, EVIDENCE, AKG.factLine), EVIDENCE)[1], "evidence names its fact line"),
    ("evidence-target", lambda g: (drop(g, EVIDENCE, OA.hasTarget), EVIDENCE)[1], "evidence has one target"),
    ("target-position", lambda g: (g.remove((TARGET, OA.hasSelector, POSITION)), TARGET)[1],
     "the target has a text position selector"),
    ("quote-exact", lambda g: (put(g, QUOTE, OA.exact, Literal("")), QUOTE)[1], "one non-empty exact quote"),
    ("position-order", lambda g: (put(g, POSITION, OA.start, Literal(99999, datatype=XSD.nonNegativeInteger)), POSITION)[1],
     "before its end"),
    ("statement-object", lambda g: (lambda s: (drop(g, s, RDF.object), s)[1])(some_statement(g)),
     "a statement has one object"),
    ("statement-subject", lambda g: (lambda s: (drop(g, s, RDF.subject), s)[1])(some_statement(g)),
     "a statement has one subject"),
    ("statement-two-subjects", lambda g: (lambda s: (g.add((s, RDF.subject, VILLAGE)), s)[1])(some_statement(g)),
     "a statement has one subject"),
    ("statement-predicate", lambda g: (lambda s: (put(g, s, RDF.predicate, Literal("partOfProgram")), s)[1])(some_statement(g)),
     "a statement has one predicate"),
    ("label-untagged", lambda g: (lang(g, VILLAGE, "en"), g.add((VILLAGE, RDFS.label, Literal("Xiaoli Village"))), VILLAGE)[2],
     "labels are non-empty, @zh or @en, at most one per language"),
    ("label-other-language", lambda g: (lang(g, TOWN, "en"), g.add((TOWN, RDFS.label, Literal("Hechuan", lang="fr"))), TOWN)[2],
     "labels are non-empty, @zh or @en, at most one per language"),
    ("owns-site", lambda g: (g.add((ENTERPRISE, AKG.owns, X("product", "raw-coal"))), ENTERPRISE)[1], "akg:owns points at a site"),
    ("produces-product", lambda g: (g.add((ENTERPRISE, AKG.produces, PROJECT)), ENTERPRISE)[1],
     "akg:produces points at a product"),
    ("project-capacity", lambda g: (put(g, PROJECT, AKG.capacity, Literal("170万吨")), PROJECT)[1],
     "capacity is an akg:Quantity"),
    ("project-investment", lambda g: (g.add((URBAN_RENEWAL, AKG.investment, CAPACITY)), URBAN_RENEWAL)[1],
     "investment is one akg:Quantity"),
    ("part-of-project", lambda g: (g.add((PROJECT, AKG.partOfProject, PROGRAM)), PROJECT)[1],
     "akg:partOfProject points at a project"),
    ("component-of", lambda g: (g.add((X("indicator", "gdp"), AKG.componentOf, VILLAGE)), X("indicator", "gdp"))[1],
     "akg:componentOf links an indicator"),
    ("drafted-by", lambda g: (g.add((PROJECT, AKG.draftedBy, VILLAGE)), PROJECT)[1],
     "akg:draftedBy points at an organisation"),
    ("part-of-program", lambda g: (g.add((PROJECT, AKG.partOfProgram, URBAN_RENEWAL)), PROJECT)[1],
     "akg:partOfProgram points at a programme"),
    ("applied-for", lambda g: (g.add((COUNTY, AKG.appliedFor, PROGRAM)), COUNTY)[1],
     "akg:appliedFor points at a designation"),
    ("stage-scheme", lambda g: (g.add((PROJECT, AKG.stage, X("status", "completed"))), PROJECT)[1],
     "a stage is one concept of the stage scheme"),
    ("observation-ref-area", lambda g: (drop(g, GDP, AKG.refArea), GDP)[1], "exactly one reference area"),
    ("observation-change-points", lambda g: (g.add((GDP, AKG.changePoints, Literal("0.5"))), GDP)[1],
     "at most one change in points"),
    ("observation-rank-scope", lambda g: (g.add((GDP_RANK, AKG.rankScope, X("province", "shanxi"))), GDP_RANK)[1],
     "a rank scope is one place"),
    ("observation-target", lambda g: (g.add((GDP, AKG.target, Literal("yes"))), GDP)[1], "target is a boolean"),
    ("amount-value", lambda g: (put(g, GDP, AKG.value, Literal("121.6")), GDP)[1], "at most one value, an xsd:decimal"),
    ("amount-unit-scheme", lambda g: (put(g, GDP, AKG.unit, Literal("亿元")), GDP)[1],
     "at most one unit, from the unit scheme"),
    ("amount-unit-as-written", lambda g: (g.add((GDP, AKG.unitAsWritten, Literal("元"))), GDP)[1],
     "at most one unit as written"),
    ("amount-normalised", lambda g: (g.add((GDP, AKG.normalizedValue, Literal("121.6", datatype=XSD.decimal))), GDP)[1],
     "at most one normalised value"),
    ("amount-base-unit", lambda g: (g.add((GDP, AKG.baseUnit, X("unit", "yi-yuan"))), GDP)[1], "at most one base unit"),
    ("amount-qualifier", lambda g: (put(g, QUALIFIED, AKG.qualifier, Literal("over")), QUALIFIED)[1],
     "a qualifier comes from the qualifier scheme"),
    ("report-title", lambda g: (put(g, REPORT, DCT + "title", Literal("安泽:全力当好沿太岳板块高质量发展的领跑者和强引擎")),
                                REPORT)[1], "a report has a title"),
    ("report-issued", lambda g: (put(g, REPORT, DCT + "issued", Literal("2024-02-26")), REPORT)[1],
     "a report has one publication date"),
    ("report-year", lambda g: (put(g, REPORT, AKG.referenceYear, Literal(2023)), REPORT)[1], "a report has one reference year"),
    ("report-area", lambda g: (drop(g, REPORT, AKG.reportArea), REPORT)[1], "a report is about one area"),
    ("evidence-body", lambda g: (drop(g, EVIDENCE, OA.hasBody), EVIDENCE)[1], "evidence has one body"),
    ("evidence-file", lambda g: (drop(g, EVIDENCE, AKG.factFile), EVIDENCE)[1], "evidence names its fact file"),
    ("target-source", lambda g: (put(g, TARGET, OA.hasSource, VILLAGE), TARGET)[1], "the target's source is a report"),
    ("target-selectors", lambda g: (g.add((TARGET, OA.hasSelector, X("evidence", "anze-2023/linxin/quote"))), TARGET)[1],
     "the target has two selectors"),
    ("target-quote", lambda g: (g.remove((TARGET, OA.hasSelector, QUOTE)), TARGET)[1], "the target has a text quote selector"),
    ("quote-prefix", lambda g: (g.add((QUOTE, OA.prefix, Literal("以开发区为主阵地,"))), QUOTE)[1], "at most one prefix"),
    ("quote-suffix", lambda g: (lambda v: (put(g, QUOTE, OA.suffix, Literal(v, lang="zh")), QUOTE)[1])(
        g.value(QUOTE, OA.suffix)), "at most one suffix"),
    ("position-end", lambda g: (drop(g, POSITION, OA.end), POSITION)[1], "a position selector has one end"),
]


def coverage_gaps(shapes: Graph, fragments) -> list[str]:
    """What keeps the fragments from covering the shapes' messages one to one:
    a message no fragment is part of, a fragment part of no message, or of more
    than one (then it does not say which constraint it means)."""
    messages = sorted({str(m) for m in shapes.objects(None, SH.message)})
    gaps = [f"no case: {m}" for m in messages if not any(f in m for f in fragments)]
    for fragment in sorted(set(fragments)):
        meant = [m for m in messages if fragment in m]
        if len(meant) != 1:
            gaps.append(f"matches {len(meant)} messages: {fragment}")
    return gaps


@pytest.fixture(scope="module")
def base_graph(built) -> Graph:
    return Graph().parse(built[1] / "anze.nt", format="nt")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes(REPO / "ontology" / "shapes.ttl")


def test_the_built_graph_conforms(base_graph, shapes):
    assert validate_graph(base_graph, shapes).conforms


def test_every_named_node_shape_has_a_case(shapes):
    named = {str(s).rsplit("#", 1)[1] for s in shapes.subjects(RDF.type, SH.NodeShape) if isinstance(s, URIRef)}
    # Target is targeted by oa:hasTarget objects, ConceptLinks by subjects; the rest by classes.
    assert len(named) >= 25
    assert len(CASES) >= len(named)


def test_every_message_in_the_shapes_has_a_case(shapes, tmp_path):
    fragments = [c[2] for c in CASES]
    assert len({str(m) for m in shapes.objects(None, SH.message)}) >= 70
    assert coverage_gaps(shapes, fragments) == []
    # The check can fail: a shape with a message no case produces, a fragment
    # that names no message, and one that names two.
    broken = tmp_path / "shapes.ttl"
    broken.write_text((REPO / "ontology" / "shapes.ttl").read_text(encoding="utf-8") + """
shape:Dummy a sh:NodeShape ; sh:targetClass akg:Road ;
    sh:property [ sh:path akg:length ; sh:maxCount 1 ; sh:message "a road has at most one length" ] .
""", encoding="utf-8")
    assert coverage_gaps(load_shapes(broken), fragments) == ["no case: a road has at most one length"]
    assert coverage_gaps(shapes, [*fragments, "a road has at most one length", "keeps its value exactly as written"]) == [
        "matches 0 messages: a road has at most one length", "matches 2 messages: keeps its value exactly as written"]


@pytest.mark.parametrize("case,mutate,message", CASES, ids=[c[0] for c in CASES])
def test_shape_catches(case, mutate, message, base_graph, shapes):
    g = Graph()
    for triple in base_graph:
        g.add(triple)
    focus = mutate(g)
    report = validate_graph(g, shapes)
    assert not report.conforms
    hits = [v for v in report.violations if v.focus == str(focus) and message in v.message]
    assert hits, [v.describe() for v in report.violations]


def test_hoisted_shapes_give_the_same_results_as_the_authored_file(base_graph):
    """load_shapes hoists property shapes onto their node shapes' targets (a
    speed-up in pySHACL); on a graph with every broken case at once, the
    results must be exactly those of the shapes as written."""
    from anze_kg.graph.shacl import hoist_property_shapes

    authored = Graph().parse(REPO / "ontology" / "shapes.ttl", format="turtle")
    hoisted = hoist_property_shapes(authored)
    assert len(hoisted) > len(authored)  # each link dropped gives one target or more
    g = Graph()
    for triple in base_graph:
        g.add(triple)
    for _, mutate, _ in CASES:
        mutate(g)
    as_written = validate_graph(g, authored)
    fast = validate_graph(g, hoisted)
    assert not as_written.conforms and len(as_written.violations) >= 15
    assert fast.violations == as_written.violations


def test_a_referenced_node_shape_is_not_hoisted():
    from anze_kg.graph.shacl import hoist_property_shapes

    shapes = Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
        ex:A a sh:NodeShape ; sh:targetClass ex:C ; sh:property ex:p .
        ex:p sh:path ex:name ; sh:minCount 1 .
        ex:B a sh:NodeShape ; sh:targetClass ex:D ; sh:property ex:q .
        ex:q sh:path ex:label ; sh:minCount 1 .
        ex:E a sh:NodeShape ; sh:targetClass ex:F ; sh:node ex:B .
    """, format="turtle")
    hoisted = hoist_property_shapes(shapes)
    ex = "http://example.org/"
    assert (URIRef(ex + "A"), SH.property, URIRef(ex + "p")) not in hoisted
    assert (URIRef(ex + "p"), SH.targetClass, URIRef(ex + "C")) in hoisted
    assert (URIRef(ex + "B"), SH.property, URIRef(ex + "q")) in hoisted
    assert (URIRef(ex + "q"), SH.targetClass, None) not in hoisted


def test_a_growth_alone_is_an_observation(base_graph, shapes):
    """固定资产投资增长10%: no level is written, and the figure is still a fact."""
    g = Graph()
    for triple in base_graph:
        g.add(triple)
    for p in (AKG.valueAsWritten, AKG.value, AKG.unit, AKG.unitAsWritten, AKG.normalizedValue, AKG.baseUnit):
        drop(g, GDP, p)
    assert g.value(GDP, AKG.growthRate) is not None
    assert validate_graph(g, shapes).conforms
