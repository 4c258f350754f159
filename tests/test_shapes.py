"""Every shape catches what it is for: a broken copy of the built graph per
constraint, validated with pySHACL, must give a violation on the broken node
with that constraint's message.  The unbroken graph conforms."""

from __future__ import annotations

import pytest
from conftest import REPO
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS

from anze_kg.graph.shacl import load_shapes, validate_graph
from anze_kg.rdfterms import AKG, ID, OA

DCT = URIRef("http://purl.org/dc/terms/")
X = lambda kind, slug: URIRef(f"{ID}{kind}/{slug}")  # noqa: E731
ENTERPRISE = X("enterprise", "linxin")
PROGRAM = X("program", "winter-action")
VILLAGE = X("village", "anze-xiaoli-village")
TOWN = X("town", "hechuan-town")
GDP = X("observation", "anze-2023/gdp-2023")
REPORT = X("report", "anze-2023")
EVIDENCE = X("evidence", "anze-2023/winter-action")


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
    ("observation-rank", lambda g: (g.add((GDP, AKG.rank, Literal(3))), GDP)[1], "at most one rank"),
    ("observation-rank-of", lambda g: (put(g, GDP, AKG.rankOf, Literal("size")), GDP)[1], "rankOf is"),
    ("observation-as-written", lambda g: (drop(g, GDP, AKG.valueAsWritten), GDP)[1], "keeps its value exactly as written"),
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
    ("target-position", lambda g: (g.remove((URIRef(f"{EVIDENCE}/target"), OA.hasSelector, URIRef(f"{EVIDENCE}/position"))),
                                   URIRef(f"{EVIDENCE}/target"))[1], "the target has a text position selector"),
    ("quote-exact", lambda g: (put(g, URIRef(f"{EVIDENCE}/quote"), OA.exact, Literal("")), URIRef(f"{EVIDENCE}/quote"))[1],
     "one non-empty exact quote"),
    ("position-order", lambda g: (put(g, URIRef(f"{EVIDENCE}/position"), OA.start,
                                      Literal(99999, datatype=URIRef("http://www.w3.org/2001/XMLSchema#nonNegativeInteger"))),
                                  URIRef(f"{EVIDENCE}/position"))[1], "before its end"),
    ("statement-object", lambda g: (lambda s: (drop(g, s, RDF.object), s)[1])(some_statement(g)),
     "a statement has one object"),
]


@pytest.fixture(scope="module")
def base_graph(built) -> Graph:
    return Graph().parse(built[1] / "anze.nt", format="nt")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes(REPO / "ontology" / "shapes.ttl")


def test_the_built_graph_conforms(base_graph, shapes):
    assert validate_graph(base_graph, shapes).conforms


def test_every_named_node_shape_has_a_case(shapes):
    from rdflib.namespace import SH
    named = {str(s).rsplit("#", 1)[1] for s in shapes.subjects(RDF.type, SH.NodeShape) if isinstance(s, URIRef)}
    # Amount and Target are reached through sh:node from other shapes; the rest target classes.
    assert len(named) >= 25
    assert len(CASES) >= len(named)


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
    from rdflib.namespace import SH

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
