"""`anze-kg check`: two reports of one county a year apart, written here with
a revision, a growth rate that its levels contradict, one target met and one
missed, three sectors that do not add up to GDP, and a rank (全市第一) that a
peer county's report of the same year contradicts.  Every finding must name
the figures with their quotes."""

from __future__ import annotations

import json
import textwrap
from decimal import Decimal

import pytest
from conftest import copy_project

from anze_kg.build.pipeline import build
from anze_kg.cli import main
from anze_kg.inputs.project import Project
from anze_kg.sparql.checks import run_checks

TEXTS = {
    "check-2022": ("2023-02-01", 2022,
                   "2022年,全县地区生产总值完成100亿元,同比增长5%。"
                   "2023年主要预期目标是:地区生产总值增长8%左右,固定资产投资增长10%。"),
    "check-2023": ("2024-02-01", 2023,
                   "2023年,全县地区生产总值完成112亿元,同比增长6.5%;固定资产投资增长11%,增速全市第一。"
                   "经统计部门核实,2022年全县地区生产总值为101亿元。"
                   "第一产业增加值10亿元,第二产业增加值50亿元,第三产业增加值50亿元。"),
    "check-peer-2023": ("2024-02-03", 2023, "2023年,全县固定资产投资增长12%。"),
}
AREAS = {"check-2022": "anze", "check-2023": "anze", "check-peer-2023": "testxian"}
PEER_COUNTY = """\
- id: testxian
  type: County
  zh: 测试县
  en: Test County
  locatedIn: linfen
"""
FACTS = {
    "check-2022": """
        - id: gdp-2022
          type: Observation
          indicator: gdp
          value: 100
          unit: 亿元
          growthRate: 5
          quote: 全县地区生产总值完成100亿元,同比增长5%
        - id: gdp-growth-target-2023
          type: Observation
          indicator: gdp
          period: 2023
          target: true
          growthRate: 8
          qualifier: about
          quote: 地区生产总值增长8%左右
        - id: fai-growth-target-2023
          type: Observation
          indicator: fixed-asset-investment
          period: 2023
          target: true
          growthRate: 10
          quote: 固定资产投资增长10%
    """,
    "check-2023": """
        - id: gdp-2023
          type: Observation
          indicator: gdp
          value: 112
          unit: 亿元
          growthRate: 6.5
          quote: 全县地区生产总值完成112亿元,同比增长6.5%
        - id: fai-growth-2023
          type: Observation
          indicator: fixed-asset-investment
          growthRate: 11
          rank: 1
          rankOf: growth
          rankScope: linfen
          quote: 固定资产投资增长11%,增速全市第一
        - id: gdp-2022-revised
          type: Observation
          indicator: gdp
          period: 2022
          value: 101
          unit: 亿元
          quote: 2022年全县地区生产总值为101亿元
        - id: primary-2023
          type: Observation
          indicator: primary-industry-value-added
          value: 10
          unit: 亿元
          quote: 第一产业增加值10亿元
        - id: secondary-2023
          type: Observation
          indicator: secondary-industry-value-added
          value: 50
          unit: 亿元
          quote: 第二产业增加值50亿元
        - id: tertiary-2023
          type: Observation
          indicator: tertiary-industry-value-added
          value: 50
          unit: 亿元
          quote: 第三产业增加值50亿元
    """,
    "check-peer-2023": """
        - id: fai-growth-2023
          type: Observation
          indicator: fixed-asset-investment
          growthRate: 12
          quote: 全县固定资产投资增长12%
    """,
}


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    root = tmp_path_factory.mktemp("checks")
    project = copy_project(root / "project", reports=())
    (project.vocab_dir / "places-test.yaml").write_text(PEER_COUNTY, encoding="utf-8")
    for rid, (published, year, text) in TEXTS.items():
        folder = project.reports_dir / rid
        (folder / "facts").mkdir(parents=True)
        (folder / "report.txt").write_text(text, encoding="utf-8")
        (folder / "report.yaml").write_text(textwrap.dedent(f"""\
            id: {rid}
            title: 安泽县{year}年工作报告(测试)
            title_en: Anze County report on {year} (test)
            publisher: 安泽县人民政府
            publisher_en: Anze County People's Government
            published: "{published}"
            language: zh
            genre: government work report
            reference_year: {year}
            area: {AREAS[rid]}
            """), encoding="utf-8")
        (folder / "facts" / "figures.yaml").write_text(textwrap.dedent(FACTS[rid]), encoding="utf-8")
    out = root / "out"
    outcome = build(project, out)
    assert outcome.exit_code == 0, [r.error or r.violations for r in outcome.failures]
    return project, out


def test_a_revised_figure_is_kept_twice_and_flagged(checked):
    report = run_checks(*checked)
    [revision] = report.of("revisions")
    r = revision.row
    assert (r["report_a"], r["value_a"], r["report_b"], r["value_b"], r["period"]) == (
        "check-2022", "100", "check-2023", "101", "2022")
    assert r["change_pct"] == 1 and r["indicator_zh"] == "地区生产总值"
    assert r["quote_a"] == "全县地区生产总值完成100亿元,同比增长5%" and r["quote_b"] == "2022年全县地区生产总值为101亿元"


def test_growth_that_its_levels_contradict_is_flagged_against_each_level(checked):
    report = run_checks(*checked)
    gaps = sorted((f.row["previous_value"], f.row["implied_growth"], f.row["gap"]) for f in report.of("growth"))
    # 112 on 100 is +12.0%, on the revised 101 +10.9%; both far from the stated 6.5%
    assert [(v, float(i), float(g)) for v, i, g in gaps] == [("100", 12.0, 5.5), ("101", 10.9, 4.4)]
    assert all(f.row["quote"] == "全县地区生产总值完成112亿元,同比增长6.5%" for f in report.of("growth"))


def test_a_tolerance_wide_enough_flags_nothing(checked):
    assert run_checks(*checked, tolerance=6).of("growth") == []
    assert len(run_checks(*checked, tolerance=5).of("growth")) == 1


def test_targets_are_met_or_missed(checked):
    report = run_checks(*checked)
    verdicts = {(f.row["indicator_zh"], f.row["verdict"], float(f.row["difference"])) for f in report.of("targets")}
    assert verdicts == {("地区生产总值", "missed", -1.5), ("固定资产投资", "met", 1.0)}
    missed = next(f for f in report.of("targets") if f.row["verdict"] == "missed")
    assert missed.row["target_quote"] == "地区生产总值增长8%左右" and missed.row["target_qualifier"] == "about"
    assert missed.row["actual_report"] == "check-2023" and missed.row["target_report"] == "check-2022"
    assert report.problems == 1 + 2 + 1 + 1 + 1


def test_parts_that_do_not_add_up_to_their_total(checked):
    [parts] = run_checks(*checked).of("parts")
    r = parts.row
    # 10 + 50 + 50 = 110亿元 against the stated 112亿元: -1.79% of the total
    assert (r["indicator_zh"], r["value"], float(r["parts_sum"]), float(r["gap_pct"]), r["verdict"]) == (
        "地区生产总值", "112", 110.0, -1.79, "does not add up")
    assert r["quote"] == "全县地区生产总值完成112亿元,同比增长6.5%" and r["report"] == "check-2023"
    assert set(r["part_quotes"].split(" | ")) == {"第一产业增加值10亿元", "第二产业增加值50亿元", "第三产业增加值50亿元"}
    # within a tolerance of 2% of the total they add up, and that is not a problem
    [loose] = run_checks(*checked, parts_tolerance=2).of("parts")
    assert loose.row["verdict"] == "adds up" and not loose.problem


def test_a_rank_the_peers_figures_contradict(checked):
    [rank] = run_checks(*checked).of("ranks")
    r = rank.row
    # 全市第一 for investment growth of 11%, but 测试县 in the same city grew 12% in 2023
    assert (r["area_zh"], r["rank"], r["rank_of"], r["scope_zh"], r["peers"], r["above"], r["implied_rank"]) == (
        "安泽县", 1, "growth", "临汾市", 1, 1, 2)
    assert r["verdict"] == "contradicted" and rank.problem and r["peers_above"] == "测试县 12"
    assert r["quote"] == "固定资产投资增长11%,增速全市第一" and r["indicator_zh"] == "固定资产投资"


def test_the_check_command(checked, capsys):
    project, out = checked
    base = ["--project", str(project.root), "check", "--out", str(out), "--wide"]
    assert main(base) == 0
    text = capsys.readouterr().out
    assert "revised figures: 1" in text and "targets against actuals: 2 (1 missed)" in text
    assert "parts against their total (tolerance 0.5%): 1 (1 not adding up)" in text
    assert "固定资产投资 | 安泽县 2023: stated 1 in 临汾市 (growth), 1 of 1 peers above; above: 测试县 12: contradicted" in text
    assert "地区生产总值 | 安泽县 2022: 100亿元 in check-2022 -> 101亿元 in check-2023 (1%)" in text
    assert "“2022年全县地区生产总值为101亿元”" in text
    assert main([*base, "--strict"]) == 1
    capsys.readouterr()
    assert main([*base, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["problems"] == 6 and len(data["checks"]["growth"]) == 2 and len(data["checks"]["ranks"]) == 1
    assert main([*base, "--tolerance", "-1"]) == 2


def test_the_hailar_series_is_checked_in_the_reports_words(built):
    """Six government work reports of 海拉尔区: the report of 2013 set GDP growth of 20%
    for 2013 (地区生产总值增长20%，达到282亿元); the report of 2014 gives 10.1%."""
    from conftest import REPO

    from anze_kg.inputs.project import Project

    report = run_checks(Project(REPO), built[1])
    gdp_2013 = [f.row for f in report.of("targets") if f.row["indicator_zh"] == "地区生产总值"
                and f.row["period"] == "2013" and f.row["measure"] == "growth %"]
    assert len(gdp_2013) == 1
    row = gdp_2013[0]
    assert (row["target_value"], row["actual_value"], row["verdict"]) == ("20", "10.1", "missed")
    assert row["target_quote"] == "地区生产总值增长20%，达到282亿元" and row["target_report"] == "hailar-gwr-2013"
    assert row["actual_quote"] == "全年地区生产总值完成253.7亿元，同比增长10.1%" and row["actual_report"] == "hailar-gwr-2014"
    # 2015: 274.4 (report of 2015) to 287.9亿元 (report of 2016) is +4.9%, stated +8.9% at comparable prices
    gap = next(f.row for f in report.of("growth") if f.row["indicator_zh"] == "地区生产总值" and f.row["period"] == "2015")
    assert (gap["previous_value"], gap["value"], float(gap["implied_growth"]), float(gap["stated_growth"])) == (
        "274.4", "287.9", 4.9, 8.9)
    # Anze and Zizhou share no indicator, area and period with anything, and set no targets; Zizhou's
    # bulletin states GDP with its three sectors and the farm output with its five parts: both add up
    assert not [f for f in report.findings if f.kind != "parts"
                and ("安泽县" in str(f.row.get("area_zh")) or "子洲县" in str(f.row.get("area_zh")))]
    sums = {(f.row["indicator_zh"], f.row["area_zh"], f.row["value"], f.row["verdict"]) for f in report.of("parts")}
    assert sums == {("地区生产总值", "子洲县", "98.38", "adds up"), ("农林牧渔业总产值", "子洲县", "37.42", "adds up")}


def test_the_api_checks_as_the_command_does(checked):
    import anze_kg

    project, out = checked
    report = anze_kg.check(project, out=out)
    assert isinstance(report, anze_kg.CheckReport) and report.problems == 6


def test_the_series_of_an_indicator_across_the_reports(checked):
    from anze_kg.sparql.evaluate import answer

    project, out = checked
    rows = answer(project, out, "indicator-series", given={"indicator": "gdp", "area": "anze"}).records()
    got = [(r["period"], r.get("value"), r.get("growth"), r["is_target"], r["report_id"]) for r in rows]
    assert got == [("2022", "100", 5, False, "check-2022"), ("2022", "101", None, False, "check-2023"),
                   ("2023", "112", Decimal("6.5"), False, "check-2023"), ("2023", None, 8, True, "check-2022")]


def test_the_chart_draws_levels_growth_and_targets(checked, tmp_path, capsys):
    from anze_kg.network.charts import series_points

    project, out = checked
    svg = tmp_path / "gdp.svg"
    assert main(["--project", str(project.root), "chart", "gdp", "--area", "county/anze", "-o", str(svg),
                 "--out", str(out)]) == 0
    assert f"wrote {svg} (4 figures)" in capsys.readouterr().out
    text = svg.read_text(encoding="utf-8")
    assert text.lstrip().startswith("<?xml") and "安泽县 地区生产总值 | Gross regional product" in text
    assert "增长目标 growth target" in text and "水平 level (亿元)" in text
    from anze_kg.sparql.evaluate import answer

    data = series_points(answer(project, out, "indicator-series", given={"indicator": "gdp"}).records())
    assert data["unit"] == "亿元"
    # 2022 as both reports state it (the line runs through the later one, 101), 2023's level, the growth target
    assert [(y, v) for y, v, _ in data["points"]["level"]] == [(2022, 100.0), (2022, 101.0), (2023, 112.0)]
    assert data["points"]["target_growth"] == [(2023, 8.0, "check-2022")]
    assert main(["--project", str(project.root), "chart", "gdp", "-o", str(tmp_path / "x.pdf"), "--out", str(out)]) == 2
    assert main(["--project", str(project.root), "chart", "no-such-indicator", "--out", str(out)]) == 2
    assert "the series is empty" in capsys.readouterr().err


def test_a_report_chart_draws_its_growth_rates_as_bars(built, tmp_path, capsys):
    from conftest import REPO

    from anze_kg.network.charts import report_bars
    from anze_kg.sparql.evaluate import answer

    rows = answer(Project(REPO), built[1], "report-figures", given={"report_id": "anze-2023"}).records()
    bars = report_bars(rows)
    # 规上工业增加值完成96.7亿元,增速18% leads; 地区生产总值完成121.6亿元,同比增长12.6%
    assert bars[0] == ("安泽县 规模以上工业增加值 2023", 18.0, "96.7亿元")
    assert ("安泽县 地区生产总值 2023", 12.6, "121.6亿元") in bars
    assert [b[1] for b in bars] == sorted((b[1] for b in bars), reverse=True)
    svg = tmp_path / "anze.svg"
    assert main(["--project", str(REPO), "chart", "--report", "anze-2023", "-o", str(svg), "--out", str(built[1])]) == 0
    assert "规模以上工业增加值" in svg.read_text(encoding="utf-8")
    assert main(["--project", str(REPO), "chart", "--report", "anze-2023", "--compare", "--out", str(built[1])]) == 2
    assert "give one of --area, --report and --compare" in capsys.readouterr().err


def test_a_comparison_chart_puts_each_areas_latest_actual_side_by_side(built, tmp_path):
    from conftest import REPO

    from anze_kg.network.charts import compare_bars
    from anze_kg.sparql.evaluate import answer

    rows = answer(Project(REPO), built[1], "indicator-by-area", given={"indicator": "gdp"}).records()
    data = compare_bars(rows)
    assert data["unit"] == "亿元"
    by_area = {area: (value, year, growth) for area, value, year, growth, _ in data["bars"]}
    assert by_area["安泽县"] == (121.6, 2023, 12.6)
    assert by_area["子洲县"][:2] == (98.38, 2023)
    # Hailar: 2016 as its 2017 report reviews it (303.6亿元), not the 2017 target (326.4亿元)
    assert by_area["海拉尔区"] == (303.6, 2016, 7.2)
    png = tmp_path / "gdp.png"
    assert main(["--project", str(REPO), "chart", "gdp", "--compare", "-o", str(png), "--out", str(built[1])]) == 0
    assert png.read_bytes().startswith(b"\x89PNG")
