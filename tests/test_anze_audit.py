"""The audit of the Anze report against the built graph (issue 12, "Fix"):
each finding is a test that quotes the report's words and checks that the
graph says exactly that, no more and no less.

The graph is the session's build (`built`); `said()` first checks that the
quoted words really are in report.txt, so a test cannot rest on a quote the
report does not have.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import REPO, copy_project, report_graph
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from anze_kg.inputs.project import Project
from anze_kg.rdfterms import AKG, ID, OA
from anze_kg.sparql.evaluate import answer

ANZE_TEXT = (REPO / "data/reports/anze-2023/report.txt").read_text(encoding="utf-8")
ZIZHOU_TEXT = (REPO / "data/reports/zizhou-2023/report.txt").read_text(encoding="utf-8")
QUDT = "http://qudt.org/schema/qudt/"
X = lambda kind, slug: URIRef(f"{ID}{kind}/{slug}")  # noqa: E731


def said(words: str, text: str = ANZE_TEXT) -> str:
    """The report's own words: fail if the report does not write them."""
    assert words in text, f"the report does not write {words!r}"
    return words


@pytest.fixture(scope="module")
def union(built) -> Graph:
    """Every graph of the build (ontology, vocabulary, reports) as one."""
    g = Graph()
    g.parse(built[1] / "anze.nt", format="nt")
    return g


@pytest.fixture(scope="module")
def anze(built) -> Graph:
    """The Anze report's named graph alone."""
    return report_graph(built[1], "anze-2023")


def label(g: Graph, node, lang: str) -> str | None:
    return next((str(o) for o in g.objects(node, RDFS.label) if o.language == lang), None)


def by_label(g: Graph, zh: str) -> URIRef:
    nodes = {s for s in g.subjects(RDFS.label, Literal(zh, lang="zh")) if isinstance(s, URIRef)}
    assert len(nodes) == 1, f"{zh}: {nodes}"
    return nodes.pop()


def quotes_of(g: Graph, node) -> set[str]:
    """The exact quotes of a node's evidence."""
    return {str(q) for ev in g.objects(node, AKG.hasEvidence) for t in g.objects(ev, OA.hasTarget)
            for sel in g.objects(t, OA.hasSelector) for q in g.objects(sel, OA.exact)}


def quantity(g: Graph, owner, prop) -> dict:
    (q,) = list(g.objects(owner, prop))
    return {"node": q, "value": Decimal(str(g.value(q, AKG.value))), "unit": str(g.value(q, AKG.unitAsWritten)),
            "normalized": Decimal(str(g.value(q, AKG.normalizedValue))), "base": g.value(q, AKG.baseUnit),
            "quotes": quotes_of(g, q)}


# =============================================================================
# Invented or unsupported
# =============================================================================

def test_no_coke_the_report_never_writes_the_word(anze):
    """焦炭 is not in the report: it writes 焦化 (coking), 炼焦 and 焦炉, never the product."""
    assert "焦炭" not in ANZE_TEXT
    said("蔺鑫170万吨焦化项目投产达效")
    said("圣鑫160万吨焦化升级改造项目持续推进")
    assert (X("product", "coke"), None, None) not in anze and (None, None, X("product", "coke")) not in anze
    assert not list(anze.subjects(RDFS.label, Literal("焦炭", lang="zh")))
    for project in (X("project", "linxin-coking-170"), X("project", "shengxin-coking-upgrade-160")):
        assert list(anze.objects(project, AKG.produces)) == []


def test_anthracene_and_carbazole_are_coal_based_not_made_from_raw_coal(anze):
    """科鑫2800吨/年精蒽、1200吨/年咔唑项目投产达效,进一步延伸了煤制高端化学品、煤制高端碳材料等产业链条:
    煤制 = coal-based; the report names no feedstock."""
    said("科鑫2800吨/年精蒽、1200吨/年咔唑项目投产达效,进一步延伸了煤制高端化学品、煤制高端碳材料等产业链条")
    for product in (X("product", "refined-anthracene"), X("product", "carbazole")):
        assert list(anze.objects(product, AKG.madeFrom)) == []
        note = str(anze.value(product, SKOS.editorialNote))
        assert "煤制" in note and "raw coal" not in note.lower() and "coal tar" not in note.lower()
    assert list(anze.subject_objects(AKG.madeFrom)) == []  # nothing in the report says what is made from what
    assert not [s for s in anze.subjects(RDF.predicate, AKG.madeFrom)]


def test_g241_and_g309_the_county_pushed_for_their_inclusion(anze):
    """推动国道241改建、国道309改线纳入省级重点工程: pushed for inclusion; not planned, not included."""
    said("推动国道241改建、国道309改线纳入省级重点工程")
    key = X("designation", "shanxi-key-project")
    for project in (X("project", "g241-reconstruction-project"), X("project", "g309-rerouting-project")):
        assert list(anze.objects(project, AKG.status)) == []
        assert (project, AKG.hasDesignation, key) not in anze and (key, AKG.awardedTo, project) not in anze
        assert (project, AKG.appliedFor, key) in anze
    assert (None, AKG.status, X("status", "planned")) not in anze


def test_provincial_or_city_leading_enterprise_level_not_said(anze):
    """成功申报安晋华康中药材、荀康酿酒等5家省市龙头企业: the report does not say which level each got."""
    said("成功申报安晋华康中药材、荀康酿酒等5家省市龙头企业")
    designation = X("designation", "provincial-municipal-leading-enterprise")
    assert list(anze.objects(designation, AKG.awardedBy)) == []
    for firm in ("anjin-huakang-herbs", "xunkang-brewing"):
        assert (X("enterprise", firm), AKG.hasDesignation, designation) in anze


def test_county_town_plan_drawn_up_by_tongji_about_the_county_town(anze):
    """聘请同济大学设计院编制县城控制性详细规划: the institute drew it up (编制); the plan is of the county town."""
    said("聘请同济大学设计院编制县城控制性详细规划")
    plan = X("policy-document", "anze-county-town-regulatory-plan")
    tongji = X("institution", "tongji-design-institute")
    assert (plan, RDF.type, AKG.PolicyDocument) in anze
    assert list(anze.objects(plan, AKG.implementedBy)) == []
    assert (None, AKG.implementedBy, tongji) not in anze
    assert list(anze.objects(plan, AKG.draftedBy)) == [tongji]
    (about,) = list(anze.objects(plan, AKG.about))
    assert about != X("county", "anze")
    assert label(anze, about, "zh") == "县城" and (about, AKG.locatedIn, X("county", "anze")) in anze


def test_the_integrated_reform_targets_nothing_the_report_names(anze):
    """全力推进“承诺制+标准地+全代办”集成改革: no target is said (not the development zone)."""
    said("全力推进“承诺制+标准地+全代办”集成改革")
    reform = X("program", "anze-commitment-standard-land-agency-reform")
    assert label(anze, reform, "zh") == "“承诺制+标准地+全代办”集成改革"
    assert list(anze.objects(reform, AKG.targets)) == []


def test_shortest_qualifies_the_time_limits_not_the_figures(anze):
    """49件民生事务、社会事务、项目审批常办事项实现全国最短时限,占比70%: 最短 qualifies 时限."""
    said("49件民生事务、社会事务、项目审批常办事项实现全国最短时限,占比70%")
    for obs, value in (("shortest-time-limit-service-items-2023", "49"),
                       ("shortest-time-limit-service-items-share-2023", "70")):
        node = X("observation", f"anze-2023/{obs}")
        assert str(anze.value(node, AKG.valueAsWritten)) == value
        assert list(anze.objects(node, AKG.qualifier)) == []
    assert (None, AKG.qualifier, X("qualifier", "shortest")) not in anze


# =============================================================================
# Missing
# =============================================================================

def test_seven_forsythia_demonstration_bases_are_a_project(anze):
    """整合衔接资金,建设总面积3.04万亩的7个高标准连翘示范基地,提升资金使用效益和全县连翘品质."""
    said("整合衔接资金,建设总面积3.04万亩的7个高标准连翘示范基地,提升资金使用效益和全县连翘品质")
    project = by_label(anze, "7个高标准连翘示范基地")
    assert (project, RDF.type, AKG.Project) in anze
    assert quotes_of(anze, project) == {"建设总面积3.04万亩的7个高标准连翘示范基地"}
    area, size = quantity(anze, project, AKG.area), quantity(anze, project, AKG.size)
    assert (area["value"], area["unit"], area["normalized"], area["base"]) == (
        Decimal("3.04"), "万亩", Decimal(30400), X("unit", "mu"))
    assert (size["value"], size["unit"]) == (Decimal(7), "个")
    assert area["quotes"] == size["quotes"] == {"建设总面积3.04万亩的7个高标准连翘示范基地"}
    assert (project, AKG.partOfProgram, X("program", "linkage-funds")) in anze  # 整合衔接资金
    assert (project, AKG.targets, X("product", "forsythia")) in anze  # 提升…全县连翘品质
    assert list(anze.objects(project, AKG.status)) == []  # 建设 states no stage


def test_high_standard_farmland_is_a_project(anze):
    """建设1.1万亩高标准农田."""
    said("建设1.1万亩高标准农田")
    project = by_label(anze, "1.1万亩高标准农田")
    assert (project, RDF.type, AKG.Project) in anze
    area = quantity(anze, project, AKG.area)
    assert (area["value"], area["unit"], area["normalized"]) == (Decimal("1.1"), "万亩", Decimal(11000))
    assert area["quotes"] == {"建设1.1万亩高标准农田"}


URBAN_RENEWAL_SENTENCE = ("实施总投资9.3亿元的城市更新项目建设,光华巷片区258户房屋完成征收补偿,"
                          "安置房建设工程(一期)进入招标阶段,托育中心完成主体施工")


def test_urban_renewal_parts_are_in_the_graph_with_their_stages(anze):
    """实施总投资9.3亿元的城市更新项目建设,光华巷片区258户房屋完成征收补偿,安置房建设工程(一期)进入招标阶段,
    托育中心完成主体施工: each part with its own words and stage."""
    said(URBAN_RENEWAL_SENTENCE)
    urban = X("project", "anze-urban-renewal-project")
    assert quantity(anze, urban, AKG.investment)["quotes"] == {"实施总投资9.3亿元的城市更新项目建设"}
    housing = X("observation", "anze-2023/housing-expropriated-guanghua-2023")
    assert (housing, AKG.refArea, X("locality", "anze-guanghua-lane-area")) in anze
    assert str(anze.value(housing, AKG.valueAsWritten)) == "258"
    assert (X("project", "anze-resettlement-housing-phase-1"), AKG.status, X("status", "tendering")) in anze
    assert (X("facility", "anze-childcare-centre"), AKG.status, X("status", "under-construction")) in anze


def test_urban_renewal_project_is_linked_to_its_parts(anze):
    """The same sentence reports the parts of the urban renewal project: one project part of another."""
    said(URBAN_RENEWAL_SENTENCE)
    urban = X("project", "anze-urban-renewal-project")
    skip = {AKG.hasEvidence, RDF.type, AKG.locatedIn, AKG.domain}
    def linked(part):
        return {p for p in anze.predicates(part, urban)} | {p for p in anze.predicates(urban, part)}

    for part in (X("project", "anze-resettlement-housing-phase-1"), X("facility", "anze-childcare-centre")):
        assert linked(part) - skip, f"{part} is not linked to the urban renewal project"
    # 光华巷片区258户房屋完成征收补偿: the area, or the expropriation figure, or a node for the expropriation
    guanghua = [X("locality", "anze-guanghua-lane-area"), X("observation", "anze-2023/housing-expropriated-guanghua-2023"),
                *anze.subjects(AKG.locatedIn, X("locality", "anze-guanghua-lane-area"))]
    assert any(linked(part) - skip for part in guanghua), "光华巷片区 is not linked to the urban renewal project"


def test_jishi_primary_school_lies_in_the_town_of_jishi(anze):
    """改造提升安泽二中、冀氏小学等校舍基础设施: 冀氏小学 is in 冀氏, a town of the county."""
    said("改造提升安泽二中、冀氏小学等校舍基础设施")
    school, town = X("school", "anze-jishi-primary-school"), X("town", "anze-jishi-town")
    assert (town, RDF.type, AKG.Town) in anze and label(anze, town, "zh") == "冀氏"
    assert list(anze.objects(school, AKG.locatedIn)) == [town]
    assert list(anze.objects(town, AKG.locatedIn)) == [X("county", "anze")]


def test_zizhou_sheep_have_their_unit(built):
    """当年出栏羊 117939只 1.6: 只 is a unit."""
    said("117939只", ZIZHOU_TEXT)
    z = report_graph(built[1], "zizhou-2023")
    sheep = X("observation", "zizhou-2023/sheep-slaughtered-2023")
    assert str(z.value(sheep, AKG.unitAsWritten)) == "只"
    assert z.value(sheep, AKG.unit) == X("unit", "head-zhi")
    assert Decimal(str(z.value(sheep, AKG.normalizedValue))) == Decimal(117939)
    assert z.value(sheep, AKG.baseUnit) == X("unit", "item")


def test_every_quantity_has_evidence_that_writes_its_figure(anze):
    """Capacities, oven heights and the 9.3亿元 investment each rest on the clause that writes them."""
    quantities = set(anze.subjects(RDF.type, AKG.Quantity))
    assert len(quantities) >= 10
    for q in quantities:
        quotes = quotes_of(anze, q)
        assert quotes, f"{q} has no evidence"
        written = f"{anze.value(q, AKG.valueAsWritten)}{anze.value(q, AKG.unitAsWritten) or ''}"
        assert any(written in said(quote) for quote in quotes), (q, written, quotes)
    for owner, prop, quote in (
            (X("project", "anze-urban-renewal-project"), AKG.investment, "实施总投资9.3亿元的城市更新项目建设"),
            (X("project", "linxin-coking-170"), AKG.capacity, "蔺鑫170万吨焦化项目投产达效"),
            (X("project", "shengxin-coking-upgrade-160"), AKG.capacity, "圣鑫160万吨焦化升级改造项目持续推进"),
            (X("facility", "yongxin-coking-4-3m-ovens"), AKG.size, "永鑫焦化、太岳能源4.3米焦炉有序关停"),
            (X("facility", "taiyue-energy-4-3m-ovens"), AKG.size, "永鑫焦化、太岳能源4.3米焦炉有序关停")):
        assert quantity(anze, owner, prop)["quotes"] == {quote}
    # the Linxin capacity rests on the body's sentence, not on the photo caption before it
    ev = next(anze.objects(quantity(anze, X("project", "linxin-coking-170"), AKG.capacity)["node"], AKG.hasEvidence))
    start = int(next(anze.objects(URIRef(f"{ev}/position"), OA.start)))
    assert start == ANZE_TEXT.index("蔺鑫170万吨焦化项目投产达效", ANZE_TEXT.index("不断推动焦化升级"))


def test_vocabulary_areas_have_evidence_where_the_report_names_them(anze):
    """赴北京、西安、深圳等地招商; 安泽县经济和社会发展捷报频传; 增速全市排名第一 (全市: Linfen); 对山西工作的重要讲话."""
    for words, area in (("赴北京、西安、深圳等地招商", X("province", "beijing")), ("赴北京、西安、深圳等地招商", X("city", "xian")),
                        ("赴北京、西安、深圳等地招商", X("city", "shenzhen")), ("安泽县经济和社会发展捷报频传", X("county", "anze")),
                        ("增速全市排名第一", X("city", "linfen")), ("对山西工作的重要讲话重要指示", X("province", "shanxi")),
                        ("实现全国最短时限", X("country", "china"))):
        assert said(words) in quotes_of(anze, area), f"{area} has no evidence {words!r} in the Anze report"
    # the evidence is the report's; the labels stay the vocabulary's (none written in the report's graph)
    assert not list(anze.objects(X("county", "anze"), RDFS.label))


def test_a_report_record_of_a_vocabulary_area_takes_only_its_evidence(tmp_path):
    """A report may give its evidence for a shared area, and nothing more: labels or relations there are
    an error at file:line, and so is another type."""
    from anze_kg.errors import FactError
    from anze_kg.graph.triples import load_inputs

    for record, message in (("  zh: 安泽\n", "takes only id, type, quote, occurrence and note (got 'zh')"),
                            ("  locatedIn: china\n", "got 'locatedIn'"),
                            ("", None)):
        project = copy_project(tmp_path / str(len(record)))
        kind = "County" if record or message else "City"
        (project.root / "data/reports/anze-2023/facts/areas.yaml").write_text(
            f"- id: anze\n  type: {kind}\n  quote: 安泽县经济和社会发展捷报频传\n{record}", encoding="utf-8")
        with pytest.raises(FactError) as err:
            load_inputs(project)
        assert "areas.yaml:" in str(err.value)
        assert (message or "is a County in data/vocab/places.yaml, not a City") in str(err.value)


# =============================================================================
# Wrong
# =============================================================================

def test_capacities_keep_the_unit_the_report_writes(anze):
    """蔺鑫170万吨焦化项目 (万吨, tonnes) and 焦化运行产能达到290万吨/年 (万吨/年, tonnes per year): one rule,
    the unit as written, normalised to its own base; no "/yr" the report does not write."""
    said("蔺鑫170万吨焦化项目投产达效")
    said("全县焦化运行产能达到290万吨/年(在建产能160万吨/年)")
    linxin = quantity(anze, X("project", "linxin-coking-170"), AKG.capacity)
    shengxin = quantity(anze, X("project", "shengxin-coking-upgrade-160"), AKG.capacity)
    assert (linxin["unit"], linxin["normalized"], linxin["base"]) == ("万吨", Decimal(1700000), X("unit", "tonne"))
    assert (shengxin["unit"], shengxin["normalized"], shengxin["base"]) == ("万吨", Decimal(1600000), X("unit", "tonne"))
    county = X("observation", "anze-2023/coking-capacity-in-operation-2023")
    assert str(anze.value(county, AKG.unitAsWritten)) == "万吨/年"
    assert anze.value(county, AKG.baseUnit) == X("unit", "tonne-per-year")
    assert Decimal(str(anze.value(county, AKG.normalizedValue))) == Decimal(2900000)
    # every capacity: an English label says per year only when the unit written does
    for owner, q in anze.subject_objects(AKG.capacity):
        per_year = "年" in str(anze.value(q, AKG.unitAsWritten))
        en = label(anze, owner, "en").lower()
        assert per_year == any(w in en for w in ("/yr", "per year", "a year", "annual")), (owner, en)
    assert label(anze, X("project", "linxin-coking-170"), "en") == "Linxin 1.7 million tonne coking project"


SCALED = {"wan-yuan": ("万元", "yuan", "10000"), "yi-yuan": ("亿元", "yuan", "100000000"),
          "wan-tonne": ("万吨", "tonne", "10000"), "wan-tonne-per-year": ("万吨/年", "tonne-per-year", "10000"),
          "wan-square-metre": ("万平方米", "square-metre", "10000"), "wan-person": ("万人", "person", "10000"),
          "wan-person-time": ("万人次", "person-time", "10000"), "wan-household": ("万户", "household", "10000"),
          "wan-head": ("万头", "item", "10000"), "wan-mu": ("万亩", "mu", "10000"),
          "wan-yuan-per-mu": ("万元/亩", "yuan-per-mu", "10000")}


def test_scaled_units_carry_a_multiplier_and_never_match_their_base_exactly(union):
    """121.6亿元 is 12,160,000,000 yuan, never 121.6 CNY."""
    said("全县地区生产总值完成121.6亿元")
    for slug, (notation, base, factor) in SCALED.items():
        unit = X("unit", slug)
        assert str(union.value(unit, SKOS.notation)) == notation
        assert list(union.objects(unit, SKOS.exactMatch)) == [], f"{notation} claims to be its base unit"
        assert union.value(unit, AKG.baseUnit) == X("unit", base)
        assert union.value(unit, URIRef(QUDT + "scalingOf")) == X("unit", base)
        assert Decimal(str(union.value(unit, URIRef(QUDT + "conversionMultiplier")))) == Decimal(factor)
    # no unit whose factor is not 1 is an exact match of anything
    for unit in union.subjects(RDF.type, AKG.Unit):
        factor = Decimal(str(union.value(unit, URIRef(QUDT + "conversionMultiplier"))))
        if factor != 1:
            assert list(union.objects(unit, SKOS.exactMatch)) == [], unit
    # and the normalisation is unchanged
    gdp = X("observation", "anze-2023/gdp-2023")
    assert Decimal(str(union.value(gdp, AKG.normalizedValue))) == Decimal(12160000000)
    assert union.value(gdp, AKG.baseUnit) == X("unit", "yuan")


def test_scaled_units_by_sparql(built):
    """The same through the query path: no exact match on 亿元, its factor is 1e8."""
    result = answer(Project(REPO), built[1], sparql="""
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        PREFIX qudt: <http://qudt.org/schema/qudt/>
        SELECT ?factor ?match WHERE {
          ?u skos:notation "亿元" ; qudt:conversionMultiplier ?factor .
          OPTIONAL { ?u skos:exactMatch ?match }
        }""")
    assert [(Decimal(row[0].value), row[1]) for row in result.rows] == [(Decimal(100000000), None)]


def test_pre_pregnancy_health_check_is_not_eugenic(anze):
    """免费开展农村两癌筛查、婚前医学检查、孕前优生健康检查."""
    said("免费开展农村两癌筛查、婚前医学检查、孕前优生健康检查")
    assert label(anze, X("program", "pre-pregnancy-health-check"), "en") == "Pre-pregnancy health check"
    assert label(anze, X("program", "rural-two-cancers-screening"), "en").startswith("Rural cervical and breast cancer")
    english = [str(o) for o in anze.objects(None, RDFS.label) if o.language == "en"]
    assert not [e for e in english if "eugenic" in e.lower() or "mt/yr" in e.lower()]


@pytest.mark.parametrize("node, zh, en", [
    (("program", "pre-pregnancy-health-check"), "孕前优生健康检查", "Pre-pregnancy health check"),
    (("program", "rural-two-cancers-screening"), "农村两癌筛查", "Rural cervical and breast cancer screening (“two cancers”)"),
    (("project", "linxin-coking-170"), "蔺鑫170万吨焦化项目", "Linxin 1.7 million tonne coking project"),
    (("project", "shengxin-coking-upgrade-160"), "圣鑫160万吨焦化升级改造项目",
     "Shengxin 1.6 million tonne coking upgrade and renovation project"),
    (("region", "taiyue-block"), "沿太岳板块", "Along-Taiyue Mountains development block"),
    (("development-zone", "anze-development-zone"), "开发区", "Anze County development zone"),
    (("designation", "provincial-municipal-leading-enterprise"), "省市龙头企业", "Provincial- or city-level leading enterprise"),
    (("program", "anze-poverty-benefit-linkage-mechanism"), "带贫益贫机制",
     "Mechanism that brings work and income to people lifted out of poverty"),
    (("tour-route", "red-tour-route"), "红色之旅", "Red Tour (revolutionary heritage route)"),
    (("base", "taiyue-red-education-base"), "小李村太岳红色教育培训基地",
     "Taiyue Red (Revolutionary History) Education and Training Base, Xiaoli Village"),
    (("creative-work", "play-taiyue-shanshang"), "太岳山上", "On Mount Taiyue (a staged drama of the revolutionary years)"),
])
def test_english_labels_a_foreign_reader_reads_right(anze, node, zh, en):
    said(zh)
    subject = X(*node)
    assert (label(anze, subject, "zh"), label(anze, subject, "en")) == (zh, en)


# =============================================================================
# Every figure of the report is in the graph
# =============================================================================

# Figures of report.txt that no fact's quote covers, each with its reason.
NOT_FACTS = {
    "2024-02-26 16:44:56": "the dateline: the report's dcterms:issued, not a fact of the county",
    "蔺鑫170万吨焦化项目投产达效": "the photo caption before the body; the capacity rests on the body's same words",
    "在刚刚过去的2023年": "the year the report reviews: every observation's period",
    "2023年,全县地区生产总值": "the year of the GDP sentence: its observation's period",
    "为2024年“开门红”": "a slogan for the year ahead (a good start), no figure of it",
}


def _covered(anze: Graph) -> list[bool]:
    covered = [False] * len(ANZE_TEXT)
    for sel in anze.subjects(RDF.type, OA.TextPositionSelector):
        for i in range(int(anze.value(sel, OA.start)), int(anze.value(sel, OA.end))):
            covered[i] = True
    return covered


def _uncovered_figures(anze: Graph) -> list[tuple[int, str]]:
    import re

    covered = _covered(anze)
    numbers = re.finditer(r"\d+(?:\.\d+)?", ANZE_TEXT)
    counts = re.finditer(r"[一二两三四五六七八九十百千]+(?=[个家条所座项名批只种类期次件户人处亩])", ANZE_TEXT)
    return [(m.start(), m.group()) for m in (*numbers, *counts) if not covered[m.start()]]


def test_every_figure_of_the_report_is_in_a_facts_quote(anze):
    """Every number of report.txt (ASCII, and Chinese counts such as 两所) lies inside the quote of some
    fact of the graph, but for the few NOT_FACTS, each with its reason."""
    allowed = [(ANZE_TEXT.index(said(words)), len(words)) for words in NOT_FACTS]
    left = [(at, figure) for at, figure in _uncovered_figures(anze)
            if not any(start <= at < start + n for start, n in allowed)]
    assert left == [], [ANZE_TEXT[max(0, at - 20):at + 20] for at, _ in left]
    # the check can fail: without the GDP observation's evidence, 121.6 and 12.6 are uncovered
    g = Graph()
    for triple in anze:
        g.add(triple)
    gdp = X("observation", "anze-2023/gdp-2023")
    for ev in list(g.objects(gdp, AKG.hasEvidence)):
        g.remove((URIRef(f"{ev}/position"), None, None))
    assert {"121.6", "12.6"} <= {figure for _, figure in _uncovered_figures(g)}
