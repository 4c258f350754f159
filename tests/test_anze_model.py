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


OA_EXACT = "<http://www.w3.org/ns/oa#hasTarget>/<http://www.w3.org/ns/oa#hasSelector>/<http://www.w3.org/ns/oa#exact>"
ID = "https://w3id.org/anze-kg/id/"


def test_one_figure_with_two_ranks_and_their_peer_group(built):
    """开发区平均产出强度达到每亩500.45万元。在工业类开发区中排名全省第2、全市第1: one figure, two ranks, both
    among the industrial development zones."""
    said("开发区平均产出强度达到每亩500.45万元。在工业类开发区中排名全省第2、全市第1")
    found = rows(built, f"""SELECT ?obs ?value ?rank ?scope ?written ?peers ?quote WHERE {{
        ?obs akg:indicator <{ID}indicator/output-intensity-per-mu> ; akg:valueAsWritten ?value ; akg:hasRank ?r .
        ?r akg:rank ?rank ; akg:rankOf "value" ; akg:rankScope ?s ; akg:rankScopeAsWritten ?written ;
           akg:peerGroup ?peers ; akg:hasEvidence/{OA_EXACT} ?quote .
        ?s rdfs:label ?scope . FILTER(lang(?scope) = "zh") }}""")
    obs = f"{ID}observation/anze-2023/anze-dz-output-intensity-2023"
    assert found == {(obs, "500.45", "2", "山西省", "全省", "工业类开发区", "在工业类开发区中排名全省第2"),
                     (obs, "500.45", "1", "临汾市", "全市", "工业类开发区", "在工业类开发区中排名全省第2、全市第1")}
    # one observation of the figure, not one per rank
    assert len(rows(built, f"SELECT ?o WHERE {{ ?o akg:indicator <{ID}indicator/output-intensity-per-mu> }}")) == 1


def test_a_rank_written_without_a_position(built):
    """在上一年经济增速位居省市前列: 2022's growth among the leaders of Shanxi and Linfen; no rate, no position."""
    said("在上一年经济增速位居省市前列")
    found = rows(built, f"""SELECT ?period ?scope ?band ?position ?rate WHERE {{
        ?obs akg:indicator <{ID}indicator/gdp> ; akg:refArea <{ID}county/anze> ; akg:period ?period ;
             akg:hasRank ?r .
        ?r akg:rankOf "growth" ; akg:rankScope ?s ; akg:rankBand ?b .
        OPTIONAL {{ ?r akg:rank ?position }} OPTIONAL {{ ?obs akg:growthRate ?rate }}
        ?s rdfs:label ?scope . FILTER(lang(?scope) = "zh") ?b skos:prefLabel ?band . FILTER(lang(?band) = "zh") }}""")
    assert found == {("2022", "山西省", "位居前列", None, None), ("2022", "临汾市", "位居前列", None, None)}


def test_a_share_with_the_count_it_is_of(built):
    """49件民生事务、社会事务、项目审批常办事项实现全国最短时限,占比70%: the 70% is the share of the 49 items."""
    said("49件民生事务、社会事务、项目审批常办事项实现全国最短时限,占比70%")
    assert rows(built, """SELECT ?share ?count ?unit WHERE { ?s akg:numerator ?n ; akg:valueAsWritten ?share .
        ?n akg:valueAsWritten ?count ; akg:unitAsWritten ?unit }""") == {("70", "49", "件")}


def test_a_figure_with_the_number_of_its_parts(built):
    """成功出让3宗995亩标准地; 建设总面积3.04万亩的7个高标准连翘示范基地: a total and how many parts it is made of."""
    said("成功出让3宗995亩标准地")
    said("建设总面积3.04万亩的7个高标准连翘示范基地")
    assert rows(built, """SELECT ?total ?unit ?parts ?of WHERE { ?t akg:partsCount ?p ; akg:valueAsWritten ?total ;
        akg:unitAsWritten ?unit . ?p akg:valueAsWritten ?parts ; akg:unitAsWritten ?of }""") == {
        ("995", "亩", "3", "宗"), ("3.04", "万亩", "7", "个")}


def test_one_group_counted_in_two_units(built):
    """1155户1574人城乡低保、特困供养对象得到优先保障: the same people as households and as persons."""
    said("1155户1574人城乡低保、特困供养对象得到优先保障")
    assert rows(built, """SELECT ?a ?ua ?b ?ub WHERE { ?x akg:sameGroupAs ?y . ?x akg:valueAsWritten ?a ;
        akg:unitAsWritten ?ua . ?y akg:valueAsWritten ?b ; akg:unitAsWritten ?ub }""") == {
        ("1155", "户", "1574", "人"), ("1574", "人", "1155", "户")}  # symmetric: written both ways


def test_an_incomplete_list_keeps_its_count(built):
    """安晋华康中药材、荀康酿酒等5家省市龙头企业; 玉露香梨、大米、樱桃等5个农产品; 良马至郭庄、青松岭、红叶岭等5条旅游公路;
    高壁、岭南等5个村: each count names some of what it counts (等: the rest are not named)."""
    found = rows(built, """SELECT ?count ?unit (COUNT(?x) AS ?named) WHERE {
        ?o akg:includes ?x ; akg:valueAsWritten ?count ; akg:unitAsWritten ?unit } GROUP BY ?o ?count ?unit""")
    for words in ("安晋华康中药材、荀康酿酒等5家", "玉露香梨、大米、樱桃等5个", "良马至郭庄、青松岭、红叶岭等5条", "高壁、岭南等5个村"):
        said(words)
    assert sorted(found) == sorted([("5", "家", "2"), ("5", "个", "3"), ("5", "条", "3"), ("5", "个", "2")])
    names = rows(built, """SELECT ?zh WHERE { ?o akg:includes ?x . ?o akg:unitAsWritten "家" .
        ?x rdfs:label ?zh . FILTER(lang(?zh) = "zh") }""")
    assert names == {("安晋华康中药材",), ("荀康酿酒",)}


def test_tasks_met_and_exceeded_and_who_set_them(built):
    """完成3200座改厕年度任务; 完成两所学校撤并任务; 城镇新增就业1242人,转移农村劳动力就业1571人,超额完成市定任务."""
    for words in ("完成3200座改厕年度任务", "完成两所学校撤并任务", "城镇新增就业1242人,转移农村劳动力就业1571人,超额完成市定任务"):
        said(words)
    found = rows(built, """SELECT ?value ?outcome ?setter WHERE { ?o akg:taskOutcome ?t ; akg:valueAsWritten ?value .
        ?t skos:prefLabel ?outcome . FILTER(lang(?outcome) = "en")
        OPTIONAL { ?o akg:taskSetBy/rdfs:label ?setter . FILTER(lang(?setter) = "zh") } }""")
    assert found == {("3200", "task met", None), ("两", "task met", None),
                     ("1242", "task exceeded", "临汾市"), ("1571", "task exceeded", "临汾市")}
    # 超额完成 is the task's outcome, not a qualifier of the figure: 1242 is not "over 1242"
    assert not rows(built, """SELECT ?o WHERE { ?o akg:valueAsWritten "1242" ; akg:qualifier ?q }""")


def test_estimates_and_provisional_figures_carry_the_sdmx_status(built):
    """Hailar 2012: 社会消费品零售总额预计完成84亿元 (an estimate); Zizhou 2023: 根据地区生产总值统一核算初步反馈结果 (provisional)."""
    hailar = (REPO / "data/reports/hailar-gwr-2012/report.txt").read_text(encoding="utf-8")
    zizhou = (REPO / "data/reports/zizhou-2023/report.txt").read_text(encoding="utf-8")
    assert "社会消费品零售总额预计完成84亿元" in hailar and "根据地区生产总值统一核算初步反馈结果" in zizhou
    found = rows(built, """SELECT ?value ?code WHERE { ?o akg:obsStatus ?s ; akg:valueAsWritten ?value .
        ?s skos:exactMatch ?code }""")
    sdmx = "http://purl.org/linked-data/sdmx/2009/code#obsStatus-"
    assert found == {("84", sdmx + "E"), ("98.38", sdmx + "P")}
    # akg:obsStatus is a sub-property of SDMX's, so a Data Cube tool reading sdmx-attribute:obsStatus finds it
    assert rows(built, """SELECT ?p WHERE { akg:obsStatus rdfs:subPropertyOf ?p }""") == {
        ("http://purl.org/linked-data/sdmx/2009/attribute#obsStatus",)}


def test_a_ratio_keeps_its_writing_and_gets_its_terms_as_numbers(built):
    """Zizhou: 三次产业结构比为21.9∶38.7∶39.4; Hailar 2012: 三次产业结构演进为3.6 : 48 : 48.4: each term a number,
    in the order written, and the ratio as written; no share the report does not write."""
    zizhou = (REPO / "data/reports/zizhou-2023/report.txt").read_text(encoding="utf-8")
    hailar = (REPO / "data/reports/hailar-gwr-2012/report.txt").read_text(encoding="utf-8")
    assert "三次产业结构比为21.9∶38.7∶39.4" in zizhou and "三次产业结构演进为3.6 : 48 : 48.4" in hailar
    found = rows(built, """SELECT ?written ?i ?v WHERE { ?o akg:valueAsWritten ?written ; akg:ratioTerm ?t .
        ?t akg:termIndex ?i ; akg:value ?v }""")
    assert found == {("21.9∶38.7∶39.4", "1", "21.9"), ("21.9∶38.7∶39.4", "2", "38.7"), ("21.9∶38.7∶39.4", "3", "39.4"),
                     ("3.6 : 48 : 48.4", "1", "3.6"), ("3.6 : 48 : 48.4", "2", "48"), ("3.6 : 48 : 48.4", "3", "48.4")}
    # a figure that is not a ratio (两, 全部) gets no terms
    assert not rows(built, """SELECT ?o WHERE { ?o akg:ratioTerm ?t ; akg:valueAsWritten "两" }""")
