"""Where the names of works, firms, places and programmes start and end: rules read off how
reports name things, each checked on a sentence made up for it (no sentence of a report)."""

from __future__ import annotations

from anze_kg.extract.extraction import extract_text


def ents(text: str, area: str = "青山区") -> set[tuple[str, str]]:
    return {(e.kind, e.label) for e in extract_text(text, area=area).entities}


def test_where_a_works_lies_is_no_part_of_its_name():
    got = ents("配合做好城南青山河湿地公园建设。年内完成主城区和平大街、光明路、煤矿专用线等8条道路改造。")
    assert {("project", "青山河湿地公园"), ("project", "和平大街"), ("project", "光明路")} <= got, got
    assert not any(label.startswith(("城南", "主城区")) for _, label in got), got


def test_a_market_moved_into_a_park_is_a_works():
    got = ents("做好老城区红旗建材专业市场搬迁入园，腾出发展空间。")
    assert ("project", "红旗建材专业市场搬迁入园") in got, got


def test_a_long_member_and_an_elided_name_in_a_list_of_works():
    got = ents("加快人民医院急救中心、红旗卫生院扩建、东风和红旗社区卫生服务中心等项目建设。")
    assert {("project", "红旗卫生院扩建"), ("project", "红旗社区卫生服务中心")} <= got, got
    assert not any("和" in label for _, label in got), got


def test_a_citys_exit_in_a_list_of_works_is_an_area_and_an_improvement_is_no_works():
    got = ents("实施新南出口、青山公园绿化等工程。完成了河道、公园的景观提升等工程。")
    assert ("place", "新南出口") in got and ("project", "新南出口") not in got, got
    assert ("project", "景观提升") not in got, got


def test_a_list_of_kinds_of_works_names_none():
    got = ents("完成老城片区的供水、有线电视、路灯等配套工程。重点实施了旧房改造、设施完善、夜景提升和青山大街建设等4项工程。")
    assert ("project", "有线电视") not in got and ("project", "夜景提升") not in got, got


def test_a_fields_reform_is_a_kind_and_a_reform_that_says_what_it_does_is_a_programme():
    got = ents("深化医疗卫生综合改革，推进户籍制度改革和文化市场改革。启动县乡客运一体化改革，探索林地经营权全部流转改革。")
    assert not {("program", "医疗卫生综合改革"), ("program", "户籍制度改革"), ("program", "文化市场改革")} & got, got
    assert {("program", "县乡客运一体化改革"), ("program", "林地经营权全部流转改革")} <= got, got
    assert ("program", "“放管服”改革") in ents("扎实推进“放管服”改革。")


def test_a_section_between_two_bridges_names_them_and_runs_from_one_to_the_other():
    got = ents("实施青山桥至红旗桥西岸景观改造工程。")
    assert {("project", "青山桥至红旗桥西岸景观改造工程"), ("place", "青山桥"), ("place", "红旗桥")} <= got, got


def test_roads_named_by_their_sides_and_streets_counted():
    got = ents("协助推进南、北环城路建设。打造光明街、青年东路等8条特色景观街道。")
    assert {("project", "南、北环城路"), ("project", "光明街"), ("project", "青年东路")} <= got, got
    assert ("project", "北环城路") not in got, got


def test_a_rivers_basin_and_a_named_reserve_are_places():
    got = ents("加强青龙河流域生态保护，严格饮用水源保护区管理，实施白山自然保护区生态修复。")
    assert {("place", "青龙河流域"), ("place", "白山自然保护区")} <= got, got
    assert ("place", "饮用水源保护区") not in got, got
    got = ents("重点实施白山保护区湿地保护、东湖花海等工程。")
    assert {("project", "白山保护区湿地保护"), ("place", "白山保护区")} <= got, got


def test_named_science_cities_and_corridors_are_zones_but_not_an_area_or_a_lists_kind():
    got = ents("推动青湾科学城、白鹭创新城开发，深化东湖科创走廊建设。推进智慧城市建设。", area="上海市")
    assert {("place", "青湾科学城"), ("place", "白鹭创新城"), ("place", "东湖科创走廊")} <= got, got
    got = ents("深化“星空”、“海湾”等创新生态示范区建设，加快青山、白水国际合作区域建设。", area="上海市")
    assert not any(k == "place" and label.endswith(("示范区", "合作区")) for k, label in got), got


def test_an_engineer_is_no_programme():
    got = ents("壮大战略科学家、卓越工程师、大国工匠等人才队伍。", area="上海市")
    assert not any(k == "program" for k, _ in got), got


def test_works_named_only_by_their_kind_are_no_works():
    got = ents("继续推进社区办公用房规范化建设。加快冰上运动场馆、青山广场等项目建设。实施给排水管网工程和老旧公交站亭改造。")
    labels = {label for k, label in got if k == "project"}
    assert not labels & {"社区办公用房", "冰上运动场馆", "给排水管网工程", "老旧公交站亭改造"}, got
    assert "青山广场" in labels, got


def test_schools_and_a_tower_built_and_works_counted_by_two():
    got = ents("完成第六中学续建，实施红旗中学扩建续建，确保青山大厦年内投入使用。完成东湖大街和西山路两处街心公园建设。")
    assert {("project", "第六中学续建"), ("project", "红旗中学扩建续建"), ("project", "青山大厦"),
            ("project", "东湖大街"), ("project", "西山路")} <= got, got
    assert not any("两处" in label for _, label in got), got


def test_listed_estates_a_districts_size_and_a_long_first_member():
    got = ents("加快推进碧水花园、远山雅居等棚户区改造安置房建设。做好青山市中心城新区河西部分、3.5平方公里北湖文化区等重点项目的征收工作。",
               area="白水区")
    assert {("project", "碧水花园"), ("project", "远山雅居"), ("project", "北湖文化区"),
            ("project", "青山市中心城新区河西部分")} <= got, got


def test_a_data_centre_project_is_not_cut_at_ju():
    got = ents("推进总投资8亿元的青山信通大数据项目开工建设。据统计，全年完成。")
    assert ("project", "青山信通大数据项目") in got, got


def test_a_power_works_named_by_its_owner_and_capacity():
    got = ents("加快推进华电2×60万千瓦发电和白云3万千瓦风电项目前期工作。")
    assert ("project", "华电2×60万千瓦发电") in got, got


def test_verbs_before_a_kind_of_firm_or_works_and_people_joined_to_a_community():
    got = ents("充分利用城投公司这一融资平台。认定跨国公司地区总部10家。做实民生工程。环卫工人和社区干部补贴提高。")
    assert not got, got
    assert ("place", "人和社区") in ents("人和社区活动中心建成。")


def test_a_long_reform_name_or_a_package_of_articles_says_what_it_does():
    got = ents("稳妥推进渐进式延长法定最低缴费年限改革，全面完成优化营商环境36条改革举措。")
    assert {("program", "渐进式延长法定最低缴费年限改革"), ("program", "优化营商环境36条改革")} <= got, got
