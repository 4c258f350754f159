"""What the Anze report says that a plain figure or relation cannot (issue 12,
"Model what the report says and the graph cannot"): each test states the
report's words and queries the built graph (`built`) for exactly that."""

from __future__ import annotations

from conftest import REPO

from anze_kg.inputs.project import Project
from anze_kg.sparql.evaluate import answer

ANZE_TEXT = (REPO / "data/reports/anze-2023/report.txt").read_text(encoding="utf-8")
PREFIXES = """PREFIX akg: <https://w3id.org/anze-kg/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""


def said(words: str) -> str:
    assert words in ANZE_TEXT, f"the report does not write {words!r}"
    return words


def rows(built, sparql: str) -> set[tuple]:
    result = answer(Project(REPO), built[1], sparql=PREFIXES + sparql)
    return {tuple(None if v is None else v.value for v in row) for row in result.rows}


def test_partial_stages_are_in_the_report_words(built):
    """安置房建设工程(一期)进入招标阶段, 托育中心完成主体施工, “全国基层中医药工作示范县”顺利通过专家评审,
    推动国道241改建、国道309改线纳入省级重点工程: each thing (or each application) at the stage the words say."""
    for words in ("安置房建设工程(一期)进入招标阶段", "托育中心完成主体施工",
                  "“全国基层中医药工作示范县”顺利通过专家评审", "推动国道241改建、国道309改线纳入省级重点工程"):
        said(words)
    things = rows(built, """SELECT ?zh ?stage WHERE {
        ?x akg:stage ?s . FILTER NOT EXISTS { ?x a rdf:Statement }
        ?x rdfs:label ?zh . FILTER(lang(?zh) = "zh") ?s skos:prefLabel ?stage . FILTER(lang(?stage) = "zh") }""")
    assert things == {("安置房建设工程(一期)", "进入招标阶段"), ("托育中心", "完成主体施工")}
    applications = rows(built, """SELECT ?subject ?p ?object ?stage ?quote WHERE {
        ?st a rdf:Statement ; akg:stage ?s ; rdf:subject ?x ; rdf:predicate ?p ; rdf:object ?y ;
            akg:hasEvidence/<http://www.w3.org/ns/oa#hasTarget>/<http://www.w3.org/ns/oa#hasSelector>/<http://www.w3.org/ns/oa#exact> ?quote .
        ?x rdfs:label ?subject . FILTER(lang(?subject) = "zh") ?y rdfs:label ?object . FILTER(lang(?object) = "zh")
        ?s skos:prefLabel ?stage . FILTER(lang(?stage) = "zh") }""")
    akg = "https://w3id.org/anze-kg/ontology#"
    assert applications == {
        ("全国基层中医药工作示范县", akg + "appliedBy", "安泽县", "通过专家评审", "“全国基层中医药工作示范县”顺利通过专家评审"),
        ("国道241改建", akg + "appliedFor", "省级重点工程", "推动纳入", "推动国道241改建、国道309改线纳入省级重点工程"),
        ("国道309改线", akg + "appliedFor", "省级重点工程", "推动纳入", "推动国道241改建、国道309改线纳入省级重点工程"),
    }
    # a stage says no more than its words: the childcare centre is not completed, G241 not included
    assert not rows(built, """SELECT ?x WHERE { ?x akg:status <https://w3id.org/anze-kg/id/status/completed> ;
        akg:stage <https://w3id.org/anze-kg/id/stage/main-structure-completed> }""")
    assert not rows(built, """SELECT ?x WHERE { <https://w3id.org/anze-kg/id/project/g241-reconstruction-project>
        akg:hasDesignation ?x }""")
