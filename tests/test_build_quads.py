"""The build's fast path makes each report's quads as pyoxigraph terms
directly (``report_quads``); they must be exactly the quads the rdflib path
gives (``to_ox_quads`` of ``report_triples``), and the build must fall back
to that path whenever the fast one cannot give the whole verdict."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from conftest import REPO
from rdflib import URIRef

from anze_kg.build import units
from anze_kg.build.pipeline import build
from anze_kg.graph.triples import (
    _OxTerms,
    _RdflibTerms,
    report_quads,
    report_triples,
    to_ox_quads,
)
from anze_kg.inputs.facts import FactSet, load_report_facts
from anze_kg.inputs.manifest import VOCAB, graph_of, unit_keys
from anze_kg.inputs.project import Project
from anze_kg.inputs.reports import load_report


@pytest.mark.parametrize("drafts", [False, True])
def test_report_quads_are_the_quads_of_the_rdflib_triples(drafts):
    project = Project(REPO)
    shared = units.shared_inputs(str(REPO), unit_keys(project, drafts)[VOCAB], drafts)
    checked = 0
    for folder in project.report_dirs():
        report = load_report(folder)
        facts = FactSet(shared.vocab, {report.id: load_report_facts(shared.project, report, shared.index, shared.vocab)})
        graph = graph_of(report.id)
        expected = to_ox_quads((s, p, o, URIRef(graph)) for s, p, o in dict.fromkeys(
            report_triples(shared.index, facts, report)))
        made = report_quads(shared.index, facts, report, graph)
        assert made.quads == expected, report.id
        assert not made.ill_typed
        checked += 1
    assert checked >= 2


@pytest.mark.parametrize("call", [
    lambda t: t.plain("一"), lambda t: t.plain(2023), lambda t: t.lang("安泽", "zh"), lambda t: t.lang(2023, "zh"),
    lambda t: t.lang("x", ""), lambda t: t.lang("Ānzé", "zh-Latn-pinyin"), lambda t: t.typed("01", t.XSD.integer),
    lambda t: t.typed("2024-02-26", t.XSD.date), lambda t: t.integer(7, t.XSD.positiveInteger),
    lambda t: t.decimal(Decimal("12.50")), lambda t: t.decimal(Decimal("1E+2")), lambda t: t.true(),
    lambda t: t.literal(True, None), lambda t: t.literal("3", URIRef("http://www.w3.org/2001/XMLSchema#integer")),
])
def test_each_kind_of_literal_is_the_one_rdflib_gives(call):
    ox_terms = _OxTerms()
    expected = to_ox_quads([(URIRef("urn:s"), URIRef("urn:p"), call(_RdflibTerms()), URIRef("urn:g"))])[0].object
    assert call(ox_terms) == expected
    assert not ox_terms.ill_typed


def test_an_ill_typed_literal_is_flagged():
    terms = _OxTerms()
    terms.typed("abc", terms.XSD.integer)
    assert terms.ill_typed


def test_a_report_that_does_not_conform_is_judged_by_the_rdflib_path(project_copy, tmp_path, monkeypatch):
    """A violation: the fast path gives up and the build reports what the full path finds."""
    shapes = Path(project_copy.shapes_file)
    shapes.write_text(shapes.read_text(encoding="utf-8").replace("sh:minCount 1", "sh:minCount 9", 1),
                      encoding="utf-8")
    fallbacks = []
    original = units.report_triples
    monkeypatch.setattr(units, "report_triples", lambda *a: fallbacks.append(1) or original(*a))
    outcome = build(project_copy, tmp_path / "out")
    assert outcome.failures and outcome.failures[0].violations
    assert fallbacks  # the rdflib path ran for the failing report


def test_a_report_that_conforms_never_takes_the_rdflib_path(project_copy, tmp_path, monkeypatch):
    monkeypatch.setattr(units, "report_triples", lambda *a: pytest.fail("the rdflib path ran"))
    outcome = build(project_copy, tmp_path / "out")
    assert not outcome.failures and outcome.triples > 0
