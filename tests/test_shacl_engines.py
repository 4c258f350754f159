"""The fast SHACL engine (the Rust ``shacl`` package) and pySHACL, the
reference, give the same report: for every broken case of test_shapes (one at
a time and all at once), for the conforming built graph, for edge cases of the
constraints our shapes use, and in the build.  Any disagreement fails, except
the two known ones, where the fast engine follows RDF 1.1 and XSD (asserted
exactly, so that a change in either engine shows)."""

from __future__ import annotations

import pytest
from conftest import REPO, copy_project
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD
from test_shapes import (
    CASES,
    DCT,
    EVIDENCE,
    GDP,
    GDP_RANK,
    POSITION,
    PROGRAM,
    QUOTE,
    REPORT,
    TARGET,
    TOWN,
    VILLAGE,
    drop,
    first,
    lang,
    put,
)

import anze_kg.graph.shacl as engines
from anze_kg.build.pipeline import build
from anze_kg.cli import main
from anze_kg.errors import UsageError
from anze_kg.graph.shacl import load_shapes, validate_graph
from anze_kg.graph.triples import to_ox_quads
from anze_kg.rdfterms import AKG, OA


@pytest.fixture(scope="module")
def base_graph(built) -> Graph:
    return Graph().parse(built[1] / "anze.nt", format="nt")


@pytest.fixture(scope="module")
def shapes():
    return load_shapes(REPO / "ontology" / "shapes.ttl")


def copy_of(graph: Graph) -> Graph:
    g = Graph()
    for triple in graph:
        g.add(triple)
    return g


@pytest.fixture
def pyshacl_calls(monkeypatch):
    """How often pySHACL ran (the fast engine hands some reports to it)."""
    calls = []
    reference = engines._validate_pyshacl

    def counted(data, shapes):
        calls.append(1)
        return reference(data, shapes)

    monkeypatch.setattr(engines, "_validate_pyshacl", counted)
    return calls


def both(graph: Graph, shapes, calls: list | None = None, fast_alone: bool = True):
    reference = validate_graph(graph, shapes, "pyshacl")
    before = len(calls) if calls is not None else 0
    fast = validate_graph(graph, shapes, "fast")
    if calls is not None:
        assert (len(calls) == before) is fast_alone, "the fast engine answered" if not fast_alone else "pySHACL answered"
    return reference, fast


def triads(report) -> set[tuple]:
    return {(v.focus, v.path, v.message) for v in report.violations}


def test_the_conforming_graph(base_graph, shapes, pyshacl_calls):
    reference, fast = both(base_graph, shapes, pyshacl_calls)
    assert reference.conforms and fast.conforms
    assert fast == reference


@pytest.mark.parametrize("case,mutate,message", CASES, ids=[c[0] for c in CASES])
def test_each_case(case, mutate, message, base_graph, shapes, pyshacl_calls):
    g = copy_of(base_graph)
    focus = mutate(g)
    reference, fast = both(g, shapes, pyshacl_calls)
    assert not reference.conforms and not fast.conforms
    assert triads(fast) == triads(reference)
    assert fast == reference  # value, severity, shape and the fact's file:line too
    assert any(v.focus == str(focus) and message in v.message for v in fast.violations)


def test_all_cases_at_once(base_graph, shapes, pyshacl_calls):
    g = copy_of(base_graph)
    for _, mutate, _ in CASES:
        mutate(g)
    reference, fast = both(g, shapes, pyshacl_calls)
    assert len(reference.violations) >= 60
    assert triads(fast) == triads(reference)
    assert fast == reference


T = Literal
EDGES = {  # constraints of our shapes at their edges: the engines must agree
    "integer-for-positive": lambda g: put(g, EVIDENCE, AKG.factLine, T("3", datatype=XSD.integer)),
    "positive-integer-plus": lambda g: put(g, EVIDENCE, AKG.factLine, T("+7", datatype=XSD.positiveInteger)),
    "huge-rank": lambda g: put(g, GDP_RANK, AKG.rank, T("123456789012345678901234567890", datatype=XSD.positiveInteger)),
    "decimal-from-integer": lambda g: put(g, GDP, AKG.value, T("12", datatype=XSD.integer)),
    "double-nan": lambda g: put(g, GDP, AKG.growthRate, T("NaN", datatype=XSD.double)),
    "start-equals-end": lambda g: put(g, POSITION, OA.start, g.value(POSITION, OA.end)),
    "start-integer": lambda g: put(g, POSITION, OA.start, T("1", datatype=XSD.integer)),
    "start-string": lambda g: put(g, POSITION, OA.start, T("1")),
    "end-iri": lambda g: put(g, POSITION, OA.end, VILLAGE),
    "end-decimal": lambda g: put(g, POSITION, OA.end, T("99999.5", datatype=XSD.decimal)),
    "end-below-start": lambda g: put(g, POSITION, OA.end, T("0.5", datatype=XSD.decimal)),
    "end-string": lambda g: put(g, POSITION, OA.end, T("99999")),
    "issued-datetime": lambda g: put(g, REPORT, DCT + "issued", T("2024-02-26T10:00:00", datatype=XSD.dateTime)),
    "label-en-us": lambda g: (lang(g, VILLAGE, "en"), g.add((VILLAGE, RDFS.label, T("Xiaoli", lang="en-US")))),
    "label-upper-case": lambda g: (lang(g, VILLAGE, "en"), g.add((VILLAGE, RDFS.label, T("Xiaoli", lang="EN")))),
    "label-zh-hans": lambda g: (lang(g, VILLAGE, "zh"), g.add((VILLAGE, RDFS.label, T("小李", lang="zh-Hans")))),
    "label-en-and-en-gb": lambda g: g.add((VILLAGE, RDFS.label, T("Xiaoli 2", lang="en-GB"))),
    "label-empty": lambda g: (lang(g, VILLAGE, "en"), g.add((VILLAGE, RDFS.label, T("", lang="en")))),
    "label-string": lambda g: (lang(g, VILLAGE, "en"), g.add((VILLAGE, RDFS.label, T("Xiaoli", datatype=XSD.string)))),
    "label-iri": lambda g: (lang(g, VILLAGE, "en"), g.add((VILLAGE, RDFS.label, TOWN))),
    "rank-of-language": lambda g: put(g, GDP_RANK, AKG.rankOf, T("value", lang="en")),
    "rank-of-token": lambda g: put(g, GDP_RANK, AKG.rankOf, T("value", datatype=XSD.token)),
    "status-literal": lambda g: put(g, first(g, AKG.Project), AKG.status, T(str(AKG.status))),
    "exact-iri": lambda g: put(g, QUOTE, OA.exact, VILLAGE),
    "exact-empty-zh": lambda g: put(g, QUOTE, OA.exact, T("", lang="zh")),
    "exact-escapes": lambda g: put(g, QUOTE, OA.exact, T('a\n"b"\\c\u2028\x00\t')),
    "literal-target": lambda g: g.add((EVIDENCE, OA.hasTarget, T("t"))),
    "unit-without-base-unit": lambda g: drop(g, GDP, AKG.baseUnit),
    "subclass-of-subclass": lambda g: (g.add((URIRef("http://x/C"), RDFS.subClassOf, AKG.Village)),
                                       g.add((URIRef("http://x/v"), RDF.type, URIRef("http://x/C")))),
    "selector-blank-value": lambda g: g.add((TARGET, OA.hasSelector, BNode())),
    "evidence-blank-value": lambda g: g.add((PROGRAM, AKG.hasEvidence, BNode())),
}
# What the fast engine hands to pySHACL whole (the report is then pySHACL's).
FALLBACK = {
    "ill-typed-boolean": lambda g: put(g, GDP, AKG.target, T("TRUE", datatype=XSD.boolean)),  # rdflib keeps "true"
    "ill-typed-zero": lambda g: put(g, EVIDENCE, AKG.factLine, T("0", datatype=XSD.positiveInteger)),
    "ill-typed-negative": lambda g: put(g, POSITION, OA.start, T("-1", datatype=XSD.nonNegativeInteger)),
    "ill-typed-integer": lambda g: put(g, EVIDENCE, AKG.factLine, T("abc", datatype=XSD.positiveInteger)),
    "ill-typed-end": lambda g: put(g, POSITION, OA.end, T("zz", datatype=XSD.nonNegativeInteger)),
    "ill-typed-date": lambda g: put(g, REPORT, DCT + "issued", T("2024-02-30", datatype=XSD.date)),
    "relative-iri": lambda g: put(g, GDP_RANK, AKG.rankOf, URIRef("value")),
    "blank-focus": lambda g: put(g, EVIDENCE, OA.hasTarget, BNode("t1")),
    "no-sh-message": lambda g: (g.remove((AKG.Evidence, RDFS.subClassOf, None)),  # shape:Evidence's sh:class
                                g.remove((EVIDENCE, RDF.type, OA.Annotation))),
}


@pytest.mark.parametrize("mutate", EDGES.values(), ids=EDGES.keys())
def test_edge_cases(mutate, base_graph, shapes, pyshacl_calls):
    g = copy_of(base_graph)
    mutate(g)
    reference, fast = both(g, shapes, pyshacl_calls)
    assert fast == reference


@pytest.mark.parametrize("mutate", FALLBACK.values(), ids=FALLBACK.keys())
def test_what_the_fast_engine_hands_to_pyshacl(mutate, base_graph, shapes, pyshacl_calls):
    g = copy_of(base_graph)
    mutate(g)
    reference, fast = both(g, shapes, pyshacl_calls, fast_alone=False)
    assert not reference.conforms
    assert fast == reference


def test_the_known_differences(base_graph, shapes):
    """Where pySHACL (through rdflib) departs from RDF 1.1 and XSD and the fast engine does not."""
    g = copy_of(base_graph)
    put(g, GDP_RANK, AKG.rankOf, T("value", datatype=XSD.string))  # the same term as "value" in RDF 1.1
    reference, fast = both(g, shapes)
    assert fast.conforms and not reference.conforms
    assert triads(reference) == {(str(GDP_RANK), str(AKG.rankOf), 'rankOf is "value" or "growth"')}
    g = copy_of(base_graph)
    put(g, GDP, AKG.growthRate, T("NaN", datatype=XSD.decimal))  # not in xsd:decimal's lexical space
    reference, fast = both(g, shapes)
    assert reference.conforms and not fast.conforms
    assert triads(fast) == {(str(GDP), str(AKG.growthRate), "at most one growth rate, an xsd:decimal")}


def test_triples_and_their_ntriples_give_the_graphs_report(base_graph, shapes, pyshacl_calls):
    """The build's way in: a list of triples with their N-Triples, no rdflib graph."""
    g = copy_of(base_graph)
    for _, mutate, _ in CASES[:10]:
        mutate(g)
    triples = list(g)
    quads = to_ox_quads((s, p, o, URIRef("urn:x")) for s, p, o in triples)
    text = "".join(f"{q.triple} .\n" for q in quads)
    reference = validate_graph(g, shapes, "pyshacl")
    calls = len(pyshacl_calls)
    assert validate_graph(triples, shapes, "fast", ntriples=text) == reference
    assert validate_graph(triples + triples[:50], shapes, "fast", ntriples=text) == reference  # duplicates count once
    assert len(pyshacl_calls) == calls
    assert validate_graph(triples, shapes, "pyshacl") == reference


def test_plain_rdflib_shapes_work_with_both_engines(base_graph):
    authored = Graph().parse(REPO / "ontology" / "shapes.ttl", format="turtle")
    g = copy_of(base_graph)
    for _, mutate, _ in CASES:
        mutate(g)
    assert validate_graph(g, authored, "fast") == validate_graph(g, authored, "pyshacl")


def test_an_unknown_engine_is_a_usage_error(base_graph, shapes):
    with pytest.raises(UsageError):
        validate_graph(base_graph, shapes, "jena")


def test_the_build_gives_the_same_graph_with_either_engine(tmp_path):
    project = copy_project(tmp_path / "project")
    outputs = {}
    for engine in ("pyshacl", "fast"):
        outcome = build(project, tmp_path / f"out-{engine}", shacl_engine=engine)
        assert outcome.exit_code == 0 and not outcome.failures
        outputs[engine] = (tmp_path / f"out-{engine}" / "anze.nt").read_bytes()
    assert outputs["fast"] == outputs["pyshacl"]


def test_the_engine_option_reaches_the_build(tmp_path, monkeypatch, capsys):
    project = copy_project(tmp_path / "project")

    def no_fast(*args):
        raise AssertionError("the fast engine ran")

    monkeypatch.setattr(engines, "_validate_fast", no_fast)
    assert main(["--project", str(project.root), "build", "-j", "1", "--shacl-engine", "pyshacl",
                 "--out", str(tmp_path / "out")]) == 0
    with pytest.raises(UsageError, match="'jena' is not a SHACL engine"):
        build(project, tmp_path / "out2", shacl_engine="jena")


def test_validate_takes_the_engine_option(built, capsys):
    for engine in ("fast", "pyshacl"):
        assert main(["--project", str(REPO), "validate", "--out", str(built[1]), "--shacl-engine", engine]) == 0
        assert capsys.readouterr().out.startswith("conforms: yes")
