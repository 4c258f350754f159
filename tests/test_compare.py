"""Comparison across reports: the named queries compare-*.rq on the built graph
of the project's reports (anze-2023, zizhou-2023 and the six 海拉尔区 reports),
through the query API.

Expected answers are read from the texts: Anze 2023 地区生产总值 121.6亿元
(+12.6%), 粮食总产量 12.18万吨; Zizhou 2023 地区生产总值(GDP) 98.38亿元
(+3.1%), 粮食总产量 16.28万吨 in the prose and 162817吨 (+0.5%) in the table.
Both texts are in the project (data/reports/*/report.txt).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest

from anze_kg.cli import main
from anze_kg.errors import QueryError
from anze_kg.inputs.project import Project
from anze_kg.sparql.evaluate import answer

REPO = Path(__file__).resolve().parents[1]
ID = "https://w3id.org/anze-kg/id/"


def rows(built, name: str, **given) -> list[dict]:
    result = answer(Project(REPO), built[1], name, given=given)
    return [{v: _plain(t) for v, t in zip(result.variables, row)} for row in result.rows]


def _plain(term):
    if term is None:
        return None
    if isinstance(term, ox.Literal) and term.datatype.value.endswith(("#decimal", "#integer")):
        return Decimal(term.value)
    return term.value


def test_gdp_of_the_two_reports_ranked(built):
    """Anze and Zizhou among every report's GDP (the 海拉尔区 series ranks above them):
    the ranks follow the values in yuan, 1 = highest."""
    every = rows(built, "compare-indicator-across-reports")
    got = [(r["report_id"], r["area_zh"], r["period"], r["value"], r["unit"], r["normalized"], r["growth"])
           for r in every if r["report_id"] in ("anze-2023", "zizhou-2023")]
    assert got == [
        ("anze-2023", "安泽县", "2023", "121.6", "亿元", Decimal("12160000000"), Decimal("12.6")),
        ("zizhou-2023", "子洲县", "2023", "98.38", "亿元", Decimal("9838000000"), Decimal("3.1"))]
    ranked = [(r["rank"], r["normalized"]) for r in every if r["rank"] is not None]
    assert ranked == sorted(ranked) and [n for _, n in ranked] == sorted((n for _, n in ranked), reverse=True)
    assert ranked[-2:] == [(len(ranked) - 1, Decimal("12160000000")), (len(ranked), Decimal("9838000000"))]


def test_a_figure_given_twice_in_one_report_is_one_row(built):
    got = rows(built, "compare-indicator-across-reports", indicator=ID + "indicator/grain-output")
    assert [(r["rank"], r["report_id"], r["value"], r["unit"], r["normalized"], r["growth"]) for r in got] == [
        (1, "zizhou-2023", "162817", "吨", Decimal("162817"), Decimal("0.5")),
        (2, "anze-2023", "12.18", "万吨", Decimal("121800"), None)]
    assert got[0]["observation"] == ID + "observation/zizhou-2023/grain-output-2023-table"


def test_an_indicator_of_one_report_without_a_unit_is_listed_unranked(built):
    got = rows(built, "compare-indicator-across-reports", indicator=ID + "indicator/three-sector-structure")
    assert [(r["rank"], r["report_id"], r["value"], r["unit"], r["normalized"]) for r in got] == [
        (None, "hailar-gwr-2012", "3.6 : 48 : 48.4", None, None), (None, "zizhou-2023", "21.9∶38.7∶39.4", None, None)]


def test_what_the_two_reports_share(built):
    got = {(r["kind"], r["node"], r["in_a"], r["in_b"]) for r in rows(built, "compare-shared-entities")}
    # Anze has two GDP observations: 2023's figure and 2022's rank alone (在上一年经济增速位居省市前列)
    assert got == {("indicator", ID + "indicator/gdp", 2, 1), ("indicator", ID + "indicator/grain-sown-area", 1, 1),
                   ("indicator", ID + "indicator/grain-output", 1, 2),
                   ("entity", ID + "event/cpc-20th-national-congress", None, None)}


def test_sharing_is_symmetric_and_a_report_shares_nothing_with_itself(built):
    ab = {(r["kind"], r["node"]) for r in rows(built, "compare-shared-entities")}
    ba = {(r["kind"], r["node"]) for r in rows(built, "compare-shared-entities",
                                                report_a="zizhou-2023", report_b="anze-2023")}
    assert ab == ba and len(ab) == 4
    assert rows(built, "compare-shared-entities", report_b="anze-2023") == []
    assert rows(built, "compare-shared-entities", report_b="no-such-report") == []


def test_each_report_is_its_own_named_graph(built):
    result = answer(Project(REPO), built[1], None, sparql=(
        "SELECT ?g (COUNT(?o) AS ?n) WHERE { GRAPH ?g { ?o a akg:Observation } } GROUP BY ?g ORDER BY ?g"))
    counts = {g.value.rsplit("/", 1)[1]: int(n.value) for g, n in result.rows}
    assert counts["anze-2023"] == 53 and counts["zizhou-2023"] == 24
    assert sorted(counts) == ["anze-2023", *(f"hailar-gwr-{y}" for y in range(2012, 2018)), "zizhou-2023"]


def test_the_comparison_from_the_command_line(built, capsys):
    code = main(["query", "compare-indicator-across-reports", "--out", str(built[1]), "--format", "csv"])
    lines = capsys.readouterr().out.splitlines()
    assert code == 0 and lines[0].startswith("rank,report_id,area_zh,area_en,period,value,unit,normalized")
    assert lines[1].startswith("1,hailar-gwr-2017,海拉尔区,")  # 303.6亿元 for 2016, the largest
    assert lines[-2].split(",", 1)[1].startswith("anze-2023,安泽县,Anze County,2023,121.6,亿元,12160000000")
    assert lines[-1].split(",", 1)[1].startswith("zizhou-2023,子洲县,Zizhou County,2023,98.38,亿元,9838000000")


def test_an_indicator_that_is_not_an_iri_is_refused(built, capsys):
    with pytest.raises(QueryError, match="not an absolute IRI"):
        rows(built, "compare-indicator-across-reports", indicator="GDP")
    code = main(["query", "compare-indicator-across-reports", "--out", str(built[1]), "-p", "indicator=GDP"])
    assert code == 2 and "not an absolute IRI" in capsys.readouterr().err
