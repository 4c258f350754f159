"""Entity rules of the drafter (anze_kg.extract.entities) on sentences written for these tests:
places checked against the list of divisions, enterprises, projects and programmes as reports name them."""

from __future__ import annotations

from anze_kg.extract.divisions import cut_short, is_division, lineage, short_name
from anze_kg.extract.extraction import extract_text


def ents(text: str, **kw) -> set[tuple[str, str]]:
    return {(e.kind, e.label) for e in extract_text(text, **kw).entities}


def test_division_list_names_and_parents():
    assert is_division("鄂尔多斯市") and is_division("屯留县")  # 屯留县 is 屯留区 now: the short name is known
    assert not is_division("贝尔市") and cut_short("贝尔市")
    assert short_name("内蒙古自治区") == "内蒙古" and short_name("鄂温克族自治旗") == "鄂温克"
    assert short_name("沙县") == "沙县"
    assert {"呼伦贝尔市", "呼伦贝尔", "内蒙古自治区", "内蒙古"} <= lineage("海拉尔区")
    assert lineage("无此区") == set() and lineage(None) == set()


def test_the_reports_area_and_its_parents_are_no_new_places():
    text = "由我区承担的呼伦贝尔市中心城新区建设，与鄂尔多斯市、满洲里市开展合作。"
    got = ents(text, area="海拉尔区")
    assert ("place", "呼伦贝尔市") not in got and ("place", "贝尔市") not in got
    assert {("place", "鄂尔多斯市"), ("place", "满洲里市")} <= got
    assert ("place", "呼伦贝尔市") in ents(text, area="上海市")  # not a parent of Shanghai


def test_a_name_ending_in_a_county_suffix_must_be_a_division():
    assert not any(k == "place" for k, _ in ents("创建国家级示范县，推进东方红县建设。"))


def test_full_division_names_are_places_but_not_inside_words():
    assert ("place", "浦东新区") in ents("设立浦东新区自然科学基金。", area="上海市")
    assert not any(k == "place" for k, _ in ents("全年新增城区绿地面积144亩。"))


def test_a_zones_word_alone_or_before_its_project_is_no_place():
    got = ents("协助工业园区做好招商引资，推进开发区整合提升，启动通用航空产业园项目建设，调整优化上海化工区管理职能。")
    places = {lab for k, lab in got if k == "place"}
    assert places == {"上海化工区"}
