"""Every named query, with the answer an analyst reads off the report.

The expected values below were written by hand from report.txt (and, for
offsets, computed from the report text itself), never copied from a run of the
query.  Each named query has an entry in ANSWERS (a test fails when a query
has none); each runs on the memory store and on an Oxigraph store on disk,
which must agree row for row; a few are cross-checked with Apache Jena ARQ on
the exported Turtle.  The stores hold the Anze report's graph with the
vocabulary and the ontology (see conftest_query), so other reports added to
data/ do not change these answers.
"""

from __future__ import annotations

import json
from collections import Counter
from decimal import Decimal

import jena
import pyoxigraph as ox
import pytest
from conftest import REPO
from conftest_query import (  # noqa: F401
    PROJECT,
    anze_quads,
    anze_turtle,
    column,
    copy_store,
    disk_store,
    iri,
    memory_store,
    records,
    run,
)

from anze_kg.sparql.evaluate import run_query
from anze_kg.sparql.named import (
    blank_defaults,
    default_line,
    default_lines,
    get_query,
    list_queries,
)

ANSWERS = {}


def answers(name):
    def register(check):
        ANSWERS[name] = check
        return check
    return register


def dec(text) -> Decimal:
    return Decimal(text)


# ----------------------------------------------------------------------------- indicators

@answers("indicators-2023")
def check_indicators(store):
    result = run(store, "indicators-2023")
    # 53 figures in the report; all but the PRC's 75th anniversary (2024, China)
    # are 2023 figures of Anze County or of places inside it.
    assert len(result) == 52
    gdp = [r for r in records(result, "indicator_en", "value", "unit", "growth", "rank", "rank_scope")
           if r[0] == "Gross regional product"]
    assert gdp == [("Gross regional product", "121.6", "亿元", "12.6", "1", "全市")]
    # the eight headline growth rates, fastest first: 18% (industry above scale) ... 5.9% (urban income)
    growth = [dec(g) for g in column(result, "growth") if g is not None]
    assert growth == [dec(x) for x in ("18", "17.7", "17.2", "17.03", "12.6", "10.3", "9.7", "5.9")]
    assert column(result, "growth")[8:] == [None] * 44  # figures without growth come after
    places = Counter(column(result, "place_zh"))
    assert places["开发区"] == 2 and places["光华巷片区"] == 1  # 500.45 万元/亩 (two ranks); 258 户
    other = run(store, "indicators-2023", area=iri("country/china"), year="2024")
    assert records(other, "value", "unit") == [("75", "周年")]


@answers("growth-above")
def check_growth_above(store):
    result = run(store, "growth-above")
    assert records(result, "indicator_zh", "growth") == [
        ("规模以上工业增加值", "18"), ("固定资产投资", "17.7"), ("脱贫人口人均纯收入", "17.2"),
        ("一般公共预算收入", "17.03"), ("地区生产总值", "12.6"), ("社会消费品零售总额", "10.3")]
    assert column(run(store, "growth-above", min_growth="17.1"), "value") == ["96.7", "32.7", "15824"]
    assert len(run(store, "growth-above", min_growth="18")) == 0  # strictly above


@answers("ranked-observations")
def check_ranked(store):
    result = run(store, "ranked-observations")
    assert records(result, "indicator_en", "value", "unit", "rank_of", "rank", "scope_as_written", "scope_zh") == [
        ("Gross regional product", "121.6", "亿元", "growth", "1", "全市", "临汾市"),
        ("Output intensity per mu", "500.45", "万元/亩", "value", "1", "全市", "临汾市"),
        ("Output intensity per mu", "500.45", "万元/亩", "value", "2", "全省", "山西省"),
    ]
    # one figure, two ranks, both among the industrial development zones (在工业类开发区中排名全省第2、全市第1)
    assert {r for r in records(result, "value", "peer_group", "observation") if r[0] == "500.45"} == {
        ("500.45", "工业类开发区", iri("observation/anze-2023/anze-dz-output-intensity-2023"))}


@answers("normalized-values")
def check_normalized(store):
    yuan = run(store, "normalized-values")
    # 121.6 亿元 is 12,160,000,000 yuan, the largest money figure of the report
    assert records(yuan, "value", "unit", "normalized")[0] == ("121.6", "亿元", "12160000000")
    assert ("9.3", "亿元", "930000000") in records(yuan, "value", "unit", "normalized")  # urban renewal
    assert ("528", "万元", "5280000") in records(yuan, "value", "unit", "normalized")  # drought subsidies
    assert len(yuan) == 11  # 7 in 亿元, 1 in 万元, 3 in 元
    tonnes = run(store, "normalized-values", base_unit=iri("unit/tonne"))
    assert sorted(dec(v) for v in column(tonnes, "normalized")) == [
        dec("121800"), dec("1600000"), dec("1700000"), dec("5228000")]  # grain, 圣鑫, 蔺鑫, raw coal


@answers("investment-totals")
def check_investment(store):
    result = run(store, "investment-totals")
    assert records(result, "what_zh", "value", "unit", "yuan") == [
        ("签约项目总投资", "86.32", "亿元", "8632000000"),
        ("固定资产投资", "32.7", "亿元", "3270000000"),
        ("城市更新项目", "9.3", "亿元", "930000000"),
    ]


@answers("ask-rank-first")
def check_ask_rank(store):
    assert run(store, "ask-rank-first").boolean is True  # 增速全市排名第一
    assert run(store, "ask-rank-first", indicator=iri("indicator/fixed-asset-investment")).boolean is False
    assert run(store, "ask-rank-first", scope=iri("province/shanxi")).boolean is False


# ----------------------------------------------------------------------------- enterprises, projects, chains

@answers("enterprises-by-sector")
def check_enterprises(store):
    result = run(store, "enterprises-by-sector")
    got = set(records(result, "enterprise_zh", "asset_zh", "relation", "capacity", "capacity_unit", "status_zh"))
    assert got == {
        ("玉华煤业", "玉华煤业智能化矿井建设", "operates", None, None, "在建"),
        ("安鑫煤业", "安鑫煤业智能化矿井建设", "operates", None, None, "在建"),
        ("登茂通煤业", "登茂通煤业智能化矿井建设", "operates", None, None, "在建"),
        ("永鑫焦化", "永鑫焦化4.3米焦炉", "owns", None, None, "关停"),
        ("太岳能源", "太岳能源4.3米焦炉", "owns", None, None, "关停"),
        ("蔺鑫", "蔺鑫170万吨焦化项目", "operates", "170", "万吨", "投产运营"),
        ("圣鑫", "圣鑫160万吨焦化升级改造项目", "operates", "160", "万吨", "在建"),
        ("科鑫", "科鑫2800吨/年精蒽项目", "operates", "2800", "吨/年", "投产运营"),
        ("科鑫", "科鑫1200吨/年咔唑项目", "operates", "1200", "吨/年", "投产运营"),
        ("岳康药业集团", "岳康药业集团中医药智能化生产基地项目", "operates", None, None, "在建"),
        ("安晋华康中药材", None, None, None, None, None),
        ("荀康酿酒", None, None, None, None, None),
    }
    sectors = dict(records(result, "enterprise_zh", "sector_zh"))
    assert sectors["玉华煤业"] == "煤炭开采" and sectors["永鑫焦化"] == "焦化" and sectors["科鑫"] == "煤制高端化学品"


@answers("sector-projects")
def check_sector_projects(store):
    coking = run(store, "sector-projects")
    assert records(coking, "project_zh", "operator_zh", "capacity", "capacity_unit", "capacity_base", "status_en") == [
        ("蔺鑫170万吨焦化项目", "蔺鑫", "170", "万吨", "1700000", "in operation"),
        ("圣鑫160万吨焦化升级改造项目", "圣鑫", "160", "万吨", "1600000", "under construction"),
    ]
    mining = run(store, "sector-projects", sector=iri("sector/coal-mining"))
    assert set(column(mining, "operator_zh")) == {"玉华煤业", "安鑫煤业", "登茂通煤业"}


UNDER_CONSTRUCTION = {
    "智慧仓储物流", "特勤消防站", "安全应急救援能力提升", "玉华煤业智能化矿井建设", "安鑫煤业智能化矿井建设",
    "登茂通煤业智能化矿井建设", "圣鑫160万吨焦化升级改造项目", "岳康药业集团中医药智能化生产基地项目",
    "城市更新项目", "农村生活垃圾转运项目", "义务教育薄改信息化建设项目", "改造提升校舍基础设施",
}


@answers("project-status-counts")
def check_status_counts(store):
    result = run(store, "project-status-counts")
    got = {value: int(n) for value, n in records(result, "status_en", "projects")}
    # None: the Taiyue office-site project (rated an excellent case, no stage), G241 and G309 (推动…纳入省级重点工程:
    # pushed for inclusion, no stage), the forsythia bases and the farmland (建设…: no stage)
    assert got == {"under construction": len(UNDER_CONSTRUCTION), "in operation": 4, "preparatory procedures": 3,
                   "tendering": 1, "completed": 1, None: 5}
    assert column(result, "status_en")[0] == "under construction"


@answers("projects-with-status")
def check_projects_with_status(store):
    assert set(column(run(store, "projects-with-status"), "project_zh")) == UNDER_CONSTRUCTION
    operating = run(store, "projects-with-status", status=iri("status/in-operation"))
    assert set(column(operating, "project_zh")) == {
        "蔺鑫170万吨焦化项目", "科鑫2800吨/年精蒽项目", "科鑫1200吨/年咔唑项目", "文欣社区养老幸福工程"}
    # 推动国道241改建、国道309改线纳入省级重点工程 says the county pushed for their inclusion, not that they are planned
    assert len(run(store, "projects-with-status", status=iri("status/planned"))) == 0


@answers("projects-by-place")
def check_projects_by_place(store):
    result = run(store, "projects-by-place")
    assert len(result) == 27  # 26 projects; the sewage project is in two villages
    by_place = Counter(column(result, "place_zh"))
    # 20 in the county: with 建设总面积3.04万亩的7个高标准连翘示范基地 and 建设1.1万亩高标准农田
    assert by_place == {"安泽县": 20, "开发区": 3, "小李村": 1, "高壁村": 1, "小黄村": 1, "文欣社区": 1}
    assert ("高壁村", "农村污水治理") in records(result, "place_zh", "project_zh")
    assert ("小黄村", "农村污水治理") in records(result, "place_zh", "project_zh")


@answers("projects-in-area")
def check_projects_in_area(store):
    assert set(column(run(store, "projects-in-area"), "project_zh")) == {"智慧仓储物流", "特勤消防站", "安全应急救援能力提升"}
    xiaoli = run(store, "projects-in-area", area=iri("village/anze-xiaoli-village"))
    assert column(xiaoli, "project_zh") == ["小李村太岳行署旧址保护利用项目"]
    assert len(run(store, "projects-in-area", area=iri("county/anze"))) == 26  # every project is in the county


@answers("chain-stages")
def check_chain_stages(store):
    result = run(store, "chain-stages")
    stages = {s: int(n) for s, n in records(result, "sector_zh", "stage")}
    # 原煤 (mining) -> 洗选 -> 焦化 -> 煤制高端化学品 / 碳基新材料
    assert stages == {"煤炭开采": 1, "原煤洗选": 2, "焦化": 3, "煤制高端化学品": 4, "碳基新材料": 4}
    members = {(s, c, m) for s, c, m in records(result, "sector_zh", "member_class", "member_zh")}
    assert {m for s, c, m in members if s == "焦化" and c == "Enterprise"} == {"永鑫焦化", "太岳能源", "蔺鑫", "圣鑫"}
    assert {m for s, c, m in members if s == "焦化" and c == "Project"} == {"蔺鑫170万吨焦化项目", "圣鑫160万吨焦化升级改造项目"}
    assert {m for s, c, m in members if s == "煤炭开采" and c == "Enterprise"} == {"玉华煤业", "安鑫煤业", "登茂通煤业"}
    assert {m for s, c, m in members if s == "煤制高端化学品"} == {"科鑫", "精蒽", "咔唑", "科鑫2800吨/年精蒽项目",
                                                              "科鑫1200吨/年咔唑项目"}
    assert ("碳基新材料", "Designation", "省级碳基新材料链主企业") in members
    assert ("原煤洗选", None, None) in members  # the report names nothing in washing itself
    assert [int(s) for s in column(result, "stage")] == sorted(int(s) for s in column(result, "stage"))
    herbs = run(store, "chain-stages", chain=iri("chain/herbal-medicine"))
    assert {s: int(n) for s, n in records(herbs, "sector_zh", "stage")} == {"中药材种植": 1, "中药材加工": 2}
    assert {"连翘", "酸枣", "岳康药业集团"} <= set(column(herbs, "member_zh"))


@answers("chain-products")
def check_chain_products(store):
    result = run(store, "chain-products")
    # the report never writes 焦炭 (coke), and names no feedstock of 精蒽 or 咔唑 (煤制 = coal-based)
    assert set(records(result, "product_zh", "made_from_zh", "project_zh", "capacity", "capacity_unit", "operator_zh")) == {
        ("精蒽", None, "科鑫2800吨/年精蒽项目", "2800", "吨/年", "科鑫"),
        ("咔唑", None, "科鑫1200吨/年咔唑项目", "1200", "吨/年", "科鑫"),
        ("原煤", None, None, None, None, None),
    }


# ----------------------------------------------------------------------------- villages, places, tourism

XIAOLI_ITEMS = {"太岳行署旧址", "小李村太岳行署旧址景区", "小李村太岳行署旧址保护利用项目", "小李村太岳红色教育培训基地"}


@answers("villages")
def check_villages(store):
    result = run(store, "villages")
    rows = set(records(result, "village_zh", "item_zh", "designation_zh", "relation"))
    assert {v for v, *_ in rows} == {"小李村", "石渠村", "飞岭村", "高壁村", "小黄村", "岭南村"}
    assert {i for v, i, *_ in rows if v == "小李村"} == XIAOLI_ITEMS
    assert ("小李村", "小李村太岳行署旧址景区", "国家3A级旅游景区", "item holds") in rows
    assert ("小李村", "小李村太岳行署旧址保护利用项目", "全省革命文物保护优秀案例", "item holds") in rows
    assert {d for v, i, d, _ in rows if i == "小李村太岳红色教育培训基地"} == {
        "第二批省级中小学研学实践教育示范基地", "山西省培训教育采风基地"}
    assert ("飞岭村", "飞岭村蒹葭乡居", "全国甲级旅游民宿", "item holds") in rows
    assert ("石渠村", "石渠村劳动教育实践基地", None, None) in rows
    for village in ("高壁村", "岭南村"):  # 推荐高壁、岭南等5个村申报“临汾最值得去的宜居宜业和美乡村”
        assert (village, None, "临汾最值得去的宜居宜业和美乡村", "village applied for") in rows
    assert {(v, i) for v, i, *_ in rows if i == "农村污水治理"} == {("高壁村", "农村污水治理"), ("小黄村", "农村污水治理")}
    assert len(result) == 11


@answers("village-subgraph")
def check_village_subgraph(store):
    result = run(store, "village-subgraph")
    triples = {(t.subject.value, t.predicate.value, t.object.value) for t in result.triples}
    village = iri("village/anze-xiaoli-village")
    located = "https://w3id.org/anze-kg/ontology#locatedIn"
    assert (village, "http://www.w3.org/2000/01/rdf-schema#label", "小李村") in triples
    assert {s for s, p, o in triples if p == located and o == village} == {
        iri("historic-site/taiyue-administrative-office-site"), iri("scenic-area/taiyue-administrative-office-scenic-area"),
        iri("project/taiyue-office-site-protection-project"), iri("base/taiyue-red-education-base")}
    assert (iri("scenic-area/taiyue-administrative-office-scenic-area"), "https://w3id.org/anze-kg/ontology#hasDesignation",
            iri("designation/national-3a-scenic-area")) in triples
    assert (iri("designation/national-3a-scenic-area"), "http://www.w3.org/2000/01/rdf-schema#label", "国家3A级旅游景区") in triples
    assert not any("feiling" in s or "feiling" in o for s, p, o in triples)
    assert not any(p == "https://w3id.org/anze-kg/ontology#hasEvidence" for s, p, o in triples)
    feiling = run(store, "village-subgraph", name="飞岭村")
    assert (iri("homestay/anze-feiling-jianjia-homestay"), located, iri("village/anze-feiling-village")) in {
        (t.subject.value, t.predicate.value, t.object.value) for t in feiling.triples}
    assert run(store, "village-subgraph", name="不存在村").triples == []


@answers("places-in-area")
def check_places(store):
    result = run(store, "places-in-area")
    classes = Counter(column(result, "class"))
    # Town 2: 和川镇 and 冀氏 (冀氏小学); 34 with 冀氏 and the county town 县城 (编制县城控制性详细规划)
    assert classes["Village"] == 6 and classes["Town"] == 2 and classes["Homestay"] == 3 and classes["Road"] == 5
    assert classes["TourRoute"] == 2 and classes["DevelopmentZone"] == 1
    assert len(result) == 34
    assert ("园区大道", "开发区") in records(result, "place_zh", "parent_zh")
    assert "国道241" not in column(result, "place_zh")  # the national roads are not placed in the county
    xiaoli = run(store, "places-in-area", area=iri("village/anze-xiaoli-village"))
    assert set(column(xiaoli, "place_zh")) == {"太岳行署旧址", "小李村太岳行署旧址景区", "小李村太岳红色教育培训基地"}


@answers("tourism-sites")
def check_tourism_sites(store):
    result = run(store, "tourism-sites")
    rows = set(records(result, "class", "site_zh", "place_zh", "status_en", "designation_zh"))
    assert ("Homestay", "田家庄太岳人家", "田家庄", "in operation", None) in rows
    assert ("Homestay", "石渠村劳动教育实践基地", "石渠村", "in operation", None) in rows
    assert ("Homestay", "飞岭村蒹葭乡居", "飞岭村", None, "全国甲级旅游民宿") in rows
    assert ("ScenicArea", "小李村太岳行署旧址景区", "小李村", None, "国家3A级旅游景区") in rows
    assert ("ScenicArea", "沁河湾", "安泽县", None, None) in rows
    assert ("HistoricSite", "太岳行署旧址", "小李村", None, None) in rows
    assert len({r[1] for r in rows}) == 8 and len(result) == 9


# ----------------------------------------------------------------------------- programmes, designations, events

BUSINESS_ENVIRONMENT = {
    "“承诺制+标准地+全代办”集成改革", "县级领导包联", "开发区“三位一体”服务机制", "项目全周期服务", "优化营商环境",
    "“7×24小时不打烊”政务服务超市", "“早餐会下午茶夜沙龙”政企对接", "“领办代办专办一网通办”", "“办不成事”反映窗口"}
POVERTY = {"“四个不摘”", "“五个一”系列活动", "周例会制度", "防返贫动态监测", "“三保障”", "饮水安全保障", "带贫益贫机制", "衔接资金"}
TOWNS_AND_VILLAGES = {
    "城市“双品质”建设", "以县城为重要载体的新型城镇化建设", "城市更新项目", "安置房建设工程(一期)", "城乡供水一体化",
    "交通强省", "国道241改建", "国道309改线", "“四好农村路”工程", "“千万工程”", "农村污水治理", "农村生活垃圾转运项目",
    "“除六乱、清三边”集中攻坚行动", "安泽县农村人居环境长效管理办法"}


@answers("programs-by-domain")
def check_programs(store):
    livelihood = run(store, "programs-by-domain")  # employment, education, health and social security
    assert Counter(column(livelihood, "own_domain_en")) == {"employment": 1, "education": 6, "health": 11,
                                                           "social security": 7}
    assert {"“双减”政策", "县域医疗卫生一体化改革", "文欣社区养老幸福工程", "全市退役军人事务工作现场观摩会"} <= set(
        column(livelihood, "item_zh"))

    def items(domain):
        return set(column(run(store, "programs-by-domain", domain=iri(f"domain/{domain}")), "item_zh"))

    assert items("business-environment") == BUSINESS_ENVIRONMENT
    assert items("poverty-alleviation") == POVERTY
    assert items("agriculture") == {"耕地保护制度", "“藏粮于地、藏粮于技”战略", "农业生产托管", "“沁河鲜·稻鱼蟹”品牌发布会",
                                    "1.1万亩高标准农田", "7个高标准连翘示范基地"}  # 建设1.1万亩高标准农田; 建设…7个高标准连翘示范基地
    assert items("tourism") == {"小李村太岳行署旧址保护利用项目", "“清凉安泽·避暑胜地”系列活动"}
    assert items("towns-and-villages") == TOWNS_AND_VILLAGES
    assert BUSINESS_ENVIRONMENT | {"冬季行动", "招商引资"} <= items("economy")  # economy is broader


@answers("designations")
def check_designations(store):
    result = run(store, "designations")
    rows = set(records(result, "designation_zh", "relation", "holder_zh"))
    assert {h for d, r, h in rows if d == "省市龙头企业"} == {"安晋华康中药材", "荀康酿酒"}
    assert {h for d, r, h in rows if d == "“三品一标”认证"} == {"玉露香梨", "大米", "樱桃"}
    assert ("省级碳基新材料链主企业", "holds", "永鑫焦化") in rows
    assert ("全国休闲农业重点县", "holds", "安泽县") in rows  # 成功入选
    assert ("全国基层中医药工作示范县", "applied for", "安泽县") in rows  # 通过专家评审, not yet awarded
    assert {h for d, r, h in rows if d == "临汾最值得去的宜居宜业和美乡村"} == {"高壁村", "岭南村"}
    assert {h for d, r, h in rows if d == "临汾美丽乡村旅游廊道"} == {"和美之路", "红色之旅"}
    assert ("省级乡村振兴示范镇", None, None) in rows and ("省级乡村振兴示范村", None, None) in rows
    # G241 and G309 applied for 省级重点工程 (推动…纳入), they do not hold it
    assert {(h, r) for d, r, h in rows if d == "省级重点工程"} == {("国道241改建", "applied for"), ("国道309改线", "applied for")}
    assert Counter(r for _, r, _ in rows) == {"holds": 12, "applied for": 8, None: 2}
    awarded = dict(records(result, "designation_zh", "awarded_by"))
    assert not awarded["省市龙头企业"]  # 省市龙头企业: the report does not say which level each enterprise got
    assert awarded["省级重点工程"] == "山西省"


@answers("ask-holds-designation")
def check_ask_holds(store):
    assert run(store, "ask-holds-designation").boolean is True  # 飞岭村蒹葭乡居入选“全国甲级旅游民宿”
    # the homestay holds it, not the village it is in
    assert run(store, "ask-holds-designation", holder=iri("village/anze-feiling-village")).boolean is False


@answers("events")
def check_events(store):
    result = run(store, "events")
    rows = records(result, "event_zh", "held_in_zh")
    assert {p for e, p in rows if e == "县党政主要领导带队赴北京、西安、深圳等地招商"} == {"北京", "西安", "深圳"}
    assert ("全市退役军人事务工作现场观摩会", "安泽县") in rows  # 承办
    assert ("安泽县委十五届八次会议", "安泽县委") in records(result, "event_zh", "run_by_zh")
    assert len(set(column(result, "event_zh"))) == 10


# ----------------------------------------------------------------------------- entities and evidence

@answers("entity")
def check_entity(store):
    result = run(store, "entity")  # 小李村
    assert set(column(result, "subject")) == {iri("village/anze-xiaoli-village")}
    rows = set(records(result, "direction", "property", "value", "quote"))
    located = "https://w3id.org/anze-kg/ontology#locatedIn"
    assert {v for d, p, v, q in rows if d == "in" and p == located} == {
        iri("historic-site/taiyue-administrative-office-site"), iri("scenic-area/taiyue-administrative-office-scenic-area"),
        iri("project/taiyue-office-site-protection-project"), iri("base/taiyue-red-education-base")}
    # the base is placed in the village by the photo caption that names it, its own quote
    assert ("in", located, iri("base/taiyue-red-education-base"), "小李村太岳红色教育培训基地") in rows
    assert ("out", located, iri("county/anze"), "小李村太岳行署旧址保护利用项目") in rows
    kexin = run(store, "entity", entity=iri("enterprise/kexin"))
    operates = {v for d, p, v in records(kexin, "direction", "property", "value")
                if p == "https://w3id.org/anze-kg/ontology#operates"}
    assert operates == {iri("project/kexin-refined-anthracene-2800"), iri("project/kexin-carbazole-1200")}
    assert set(column(kexin, "quote")) == {"科鑫2800吨/年精蒽、1200吨/年咔唑项目投产达效"}
    assert set(column(run(store, "entity", entity="Linxin"), "subject")) == {iri("enterprise/linxin")}
    assert set(column(run(store, "entity", entity="GDP"), "subject")) == {iri("indicator/gdp")}  # an alternative name
    assert len(run(store, "entity", entity="没有这个名字")) == 0


@answers("describe-entity")
def check_describe(store):
    result = run(store, "describe-entity")
    triples = {(t.predicate.value, t.object.value) for t in result.triples}
    assert {t.subject.value for t in result.triples} == {iri("project/linxin-coking-170")}
    assert ("https://w3id.org/anze-kg/ontology#status", iri("status/in-operation")) in triples
    assert ("https://w3id.org/anze-kg/ontology#operatedBy", iri("enterprise/linxin")) in triples
    assert ("http://www.w3.org/2000/01/rdf-schema#label", "蔺鑫170万吨焦化项目") in triples


@answers("fact-evidence")
def check_fact_evidence(store):
    report_text = (REPO / "data/reports/anze-2023/report.txt").read_text(encoding="utf-8")
    quote = "全县地区生产总值完成121.6亿元,同比增长12.6%,增速全市排名第一"
    start = report_text.index(quote)
    result = run(store, "fact-evidence")
    facts = (REPO / "data/reports/anze-2023/facts/economy.yaml").read_text(encoding="utf-8").splitlines()
    line = facts.index("- id: gdp-2023") + 1
    assert records(result, "exact", "start", "end", "report_id", "fact_file", "fact_line") == [
        (quote, str(start), str(start + len(quote)), "anze-2023", "data/reports/anze-2023/facts/economy.yaml", str(line))]
    assert column(result, "prefix")[0].endswith("2023年,") and column(result, "suffix")[0].startswith(";")
    statement = run(store, "fact-evidence",
                    fact=iri("statement/anze-2023/yongxin-coking/hasDesignation/shanxi-carbon-materials-chain-leader"))
    assert column(statement, "exact") == ["永鑫焦化成为省级碳基新材料链主企业"]
    assert column(statement, "start") == [str(report_text.index("永鑫焦化成为省级碳基新材料链主企业"))]


# ----------------------------------------------------------------------------- report metadata, counts

@answers("report-metadata")
def check_report_metadata(store):
    assert records(run(store, "report-metadata"), "id", "title_zh", "subtitle", "publisher_zh", "publisher_en",
                   "issued", "reference_year", "area_zh", "author_zh", "editor_zh") == [
        ("anze-2023", "安泽:全力当好沿太岳板块高质量发展的领跑者和强引擎", "扛牢板块职责 展现县域担当", "临汾新闻网",
         "Linfen News", "2024-02-26T16:44:56+08:00", "2023", "安泽县", "亢亚莉", "吉政")]


@answers("report-people")
def check_report_people(store):
    result = run(store, "report-people")
    rows = set(records(result, "role", "name_zh"))
    assert rows == {("author", "亢亚莉"), ("editor", "吉政"), ("photographer", "李现俊"), ("photographer", "闫锐鹏"),
                    ("photographer", "王稳锁"), ("photographer", "明国文")}  # 记者 亢亚莉; 图片: ...; 责任编辑: 吉政
    assert ("亢亚莉", "Kàng Yàlì", "Kang Yali") in records(result, "name_zh", "name_pinyin", "name_en")


@answers("class-counts")
def check_class_counts(store):
    counts = {c.rsplit("#", 1)[1]: int(n) for c, n in records(run(store, "class-counts"), "class", "instances")}
    # Project 26: with the 7 forsythia bases and the 1.1万亩 farmland; Town 2: 和川镇 and 冀氏 (冀氏小学);
    # Statement 15: with the three applications that carry their stage (G241, G309, the TCM demonstration county)
    expected = {"Village": 6, "Enterprise": 11, "Project": 26, "Homestay": 3, "Designation": 16, "Report": 1,
                "Person": 6, "Observation": 53, "Statement": 15, "Event": 10, "Town": 2, "ScenicArea": 2}
    assert {k: counts.get(k) for k in expected} == expected


# ----------------------------------------------------------------------------- data quality

def _broken(store, remove=(), add=()):
    copy = copy_store(store)
    for s, p, o in remove:
        for quad in list(copy.ox.quads_for_pattern(s, p, o, None)):
            copy.ox.remove(quad)
    for quad in add:
        copy.ox.add(quad)
    return copy


N = ox.NamedNode
AKG = "https://w3id.org/anze-kg/ontology#"
OA = "http://www.w3.org/ns/oa#"


@answers("quality-missing-english")
def check_missing_english(store):
    assert len(run(store, "quality-missing-english")) == 0
    kexin = N(iri("enterprise/kexin"))
    broken = _broken(store, remove=[(kexin, N("http://www.w3.org/2000/01/rdf-schema#label"), ox.Literal("Kexin", language="en"))])
    assert records(run(broken, "quality-missing-english"), "entity", "label_zh") == [(kexin.value, "科鑫")]


@answers("quality-observation-without-evidence")
def check_observation_without_evidence(store):
    assert len(run(store, "quality-observation-without-evidence")) == 0
    gdp = N(iri("observation/anze-2023/gdp-2023"))
    broken = _broken(store, remove=[(gdp, N(AKG + "hasEvidence"), None),
                                    (N(iri("evidence/anze-2023/grain-output-2023/quote")), N(OA + "exact"), None)])
    assert set(records(run(broken, "quality-observation-without-evidence"), "observation", "problem")) == {
        (gdp.value, "no evidence"), (iri("observation/anze-2023/grain-output-2023"), "evidence without a quote")}


@answers("quality-quote-offsets")
def check_quote_offsets(store):
    assert len(run(store, "quality-quote-offsets")) == 0
    position = N(iri("evidence/anze-2023/gdp-2023/position"))
    start = next(store.ox.quads_for_pattern(position, N(OA + "start"), None, None))
    moved = ox.Literal(str(int(start.object.value) + 1), datatype=start.object.datatype)
    broken = _broken(store, remove=[(position, N(OA + "start"), None)],
                     add=[ox.Quad(position, N(OA + "start"), moved, start.graph_name)])
    assert column(run(broken, "quality-quote-offsets"), "evidence") == [iri("evidence/anze-2023/gdp-2023")]


@answers("quality-statement-not-asserted")
def check_statement_not_asserted(store):
    assert len(run(store, "quality-statement-not-asserted")) == 0
    broken = _broken(store, remove=[(N(iri("project/anze-forsythia-demonstration-bases")), N(AKG + "targets"),
                                     N(iri("product/forsythia")))])
    assert column(run(broken, "quality-statement-not-asserted"), "statement") == [
        iri("statement/anze-2023/anze-forsythia-demonstration-bases/targets/forsythia")]


@answers("report-figures")
def check_report_figures(store):
    result = run(store, "report-figures")
    # the report's 53 figures (as indicators-2023 counts them, plus the PRC's 75th anniversary of 2024)
    assert len(result) == 53 and set(column(result, "report_id")) == {"anze-2023"}
    rows = records(result, "indicator_zh", "value", "unit", "growth", "period")
    # 规上工业增加值完成96.7亿元,增速18%: the fastest growth comes first
    assert rows[0] == ("规模以上工业增加值", "96.7", "亿元", "18", "2023")
    assert ("地区生产总值", "121.6", "亿元", "12.6", "2023") in rows
    growths = [Decimal(g) for g in column(result, "growth") if g is not None]
    assert growths == sorted(growths, reverse=True) and column(result, "growth")[len(growths):] == [None] * (
        len(result) - len(growths))  # then the figures without a growth rate


@answers("indicator-by-area")
def check_indicator_by_area(store):
    result = run(store, "indicator-by-area")
    # GDP of the one area this store's report states it for: 全县地区生产总值完成121.6亿元,同比增长12.6%
    assert records(result, "area_zh", "period", "value", "unit", "normalized", "growth", "is_target") == [
        ("安泽县", "2023", "121.6", "亿元", "12160000000", "12.6", "false")]


# ----------------------------------------------------------------------------- the tests

NAMES = [q.name for q in list_queries(PROJECT)]
# Queries across several reports, whose expected answers need two reports: tested there.
ANSWERED_ELSEWHERE = {"compare-indicator-across-reports": "tests/test_compare.py",
                      "compare-shared-entities": "tests/test_compare.py",
                      "check-revisions": "tests/test_checks.py", "check-growth-vs-levels": "tests/test_checks.py",
                      "check-targets": "tests/test_checks.py", "indicator-series": "tests/test_checks.py",
                      "check-parts-sum": "tests/test_checks.py", "check-ranks": "tests/test_checks.py",
                      "observations-table": "tests/test_tables.py"}


def test_at_least_25_named_queries_each_with_an_answer():
    assert len(ANSWERS) >= 25
    assert sorted(NAMES) == sorted([*ANSWERS, *ANSWERED_ELSEWHERE]), "every named query needs its expected answer"


@pytest.mark.parametrize("name", sorted(ANSWERS))
def test_named_query_answers_what_the_report_says(name, memory_store):
    ANSWERS[name](memory_store)


def _comparable(result):
    if result.form == "ASK":
        return result.boolean
    if result.rows is not None:
        return result.variables, [tuple(str(t) if t is not None else None for t in row) for row in result.rows]
    return sorted(str(t) for t in result.triples)


@pytest.mark.parametrize("name", NAMES)
def test_memory_and_oxigraph_on_disk_give_the_same_answer(name, memory_store, disk_store):
    assert _comparable(run(memory_store, name)) == _comparable(run(disk_store, name))


def test_the_disk_store_also_passes_a_few_answer_checks(disk_store):
    for name in ("indicators-2023", "chain-stages", "village-subgraph", "quality-quote-offsets"):
        ANSWERS[name](disk_store)


# ----------------------------------------------------------------------------- Apache Jena ARQ

JENA_QUERIES = ["class-counts", "designations", "enterprises-by-sector", "project-status-counts", "villages",
                "quality-quote-offsets", "report-people", "investment-totals", "events"]


def _jena_term(binding: dict | None):
    if binding is None:
        return None
    kind, text = binding["type"], binding["value"]
    if kind == "uri":
        return ("uri", text)
    datatype = binding.get("datatype")
    if datatype and datatype.endswith(("#decimal", "#integer", "#positiveInteger", "#nonNegativeInteger")):
        return ("number", Decimal(text))
    return ("literal", text, binding.get("xml:lang", "").lower())


def _ours_term(term):
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return ("uri", term.value)
    dt = term.datatype.value if term.datatype else ""
    if dt.endswith(("#decimal", "#integer", "#positiveInteger", "#nonNegativeInteger")):
        return ("number", Decimal(term.value))
    return ("literal", term.value, (term.language or "").lower())


def _group_concat_sorted(rows, variables, name):
    """GROUP_CONCAT has no defined order: compare its parts as a set."""
    if name != "designations":
        return rows
    i = variables.index("awarded_by")
    return [tuple(("set", frozenset(t[1].split(", "))) if j == i and t else t for j, t in enumerate(r)) for r in rows]


@pytest.mark.skipif(jena.available() is not None, reason=jena.available() or "")
@pytest.mark.parametrize("name", JENA_QUERIES)
def test_jena_arq_gives_the_same_answer_on_the_exported_turtle(name, anze_turtle, memory_store):
    done = jena.run("arq.sparql", "--data", str(anze_turtle),
                    "--query", str(REPO / "queries" / f"{name}.rq"), "--results=JSON")
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    variables = doc["head"]["vars"]
    theirs = [tuple(_jena_term(b.get(v)) for v in variables) for b in doc["results"]["bindings"]]
    ours_result = run(memory_store, name)
    assert ours_result.variables == variables
    ours = [tuple(_ours_term(t) for t in row) for row in ours_result.rows]
    assert Counter(_group_concat_sorted(ours, variables, name)) == Counter(_group_concat_sorted(theirs, variables, name))
    assert len(ours) > 0 or name.startswith("quality-")


# ----------------------------------------------------------------------------- portable defaults

PARAMETERISED = [q.name for q in list_queries(PROJECT) if q.params]


@pytest.mark.parametrize("name", PARAMETERISED)
def test_a_query_file_states_each_default_in_its_own_text(name):
    query = get_query(PROJECT, name)
    # the header's default, as the term it binds, is what the file's VALUES line says
    assert default_lines(query.source) == {p: default_line(query, p).split("{ ", 1)[1].split(" }")[0]
                                           for p in query.params}
    assert not default_lines(query.text), "the default lines are blanked where the bindings replace them"
    assert len(query.text) == len(query.source) and query.text.count("\n") == query.source.count("\n")


@pytest.mark.parametrize("name", PARAMETERISED)
def test_a_query_file_run_as_it_is_answers_as_with_its_defaults(name, memory_store):
    # what another engine does with the file: no bindings, the text as written
    query = get_query(PROJECT, name)
    as_written = run_query(memory_store, query.source, {}, timeout_s=60)
    assert _comparable(as_written) == _comparable(run(memory_store, name))


def test_a_parameter_replaces_the_default_line_rather_than_joining_it(memory_store):
    # were the VALUES line (10) kept, min_growth=0 would join with it and give no row
    given = run(memory_store, "growth-above", min_growth="0")
    assert set(column(given, "min_growth")) == {"0"}
    assert len(given) > len(run(memory_store, "growth-above")) > 0


def test_an_undeclared_values_line_is_left_as_it_is():
    text = "# param: a = 1 (integer)\nSELECT * WHERE {\n  VALUES ?a { 1 }  # default\n  VALUES ?b { 2 }  # default\n}"
    assert default_lines(blank_defaults(text, {"a": "1"})) == {"b": "2"}


JENA_PARAMETERISED = [n for n in PARAMETERISED if get_query(PROJECT, n).source.lstrip("#").find("SELECT") >= 0
                      and "SELECT" in get_query(PROJECT, n).text.split("WHERE")[0]]


@pytest.mark.skipif(jena.available() is not None, reason=jena.available() or "")
@pytest.mark.parametrize("name", JENA_PARAMETERISED)
def test_jena_arq_runs_a_query_file_as_it_is_with_its_defaults(name, anze_turtle, memory_store):
    done = jena.run("arq.sparql", "--data", str(anze_turtle),
                    "--query", str(REPO / "queries" / f"{name}.rq"), "--results=JSON")
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    theirs = [tuple(_jena_term(b.get(v)) for v in doc["head"]["vars"]) for b in doc["results"]["bindings"]]
    ours = [tuple(_ours_term(t) for t in row) for row in run(memory_store, name).rows]
    assert Counter(ours) == Counter(theirs)
