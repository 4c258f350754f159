"""Fuzz test of the rule-based drafter: :func:`extract_text` never raises, on any text.

Random mixes of report characters (CJK, ASCII, digits, full-width digits, the
punctuation of the genre, control characters), numbers of thousands of digits,
table-like lines with ``|`` and tabs, very long lines and the empty text.  Every
record it returns must quote the text at its offsets.  The examples that once
failed are kept as explicit ``@example`` cases.
"""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from anze_kg.errors import AnzeKGError
from anze_kg.extract.extraction import extract_text

CJK_WORDS = ["县", "镇", "乡", "村", "庄", "市", "省", "区", "全年", "全县", "实现", "完成", "增长", "下降", "回落",
             "减少", "提高", "同比", "比上年", "分别", "达到", "为", "约", "余", "近", "超过", "以上", "第", "排名",
             "居全省", "亿元", "万元", "万吨", "个百分点", "百分点", "平方米", "人次", "公司", "有限公司", "煤业",
             "集团", "合作社", "项目", "工程", "行动", "改革", "战略", "机制", "工业园区", "开发区", "社区", "街道",
             "国企改革", "国资国企改革", "安泽县", "云溪县", "和川镇", "郭庄", "良马至郭庄", "等企业", "等项目",
             "等3个村", "等地", "等工作", "建设", "改造", "开工", "建成", "全部为", "两所", "强", "全国百强",
             "占", "比重", "结构", "比", "其中", "年末", "2023年", "2022年", "1999年", "一、", "二、", "(一)",
             "第一章", "億元", "萬元", "增長", "個百分點", "較上年", "減少", "國企改革", "專案", "我们", "说"]
PUNCT = list("，。、；：“”《》（）%‰％,.;:!?！？()[]【】—…·/-+×=<>|\\~^'\"`#*&@$")
CONTROL = ["\x00", "\x01", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f", "\x85", "\u2028", "\u2029",
           "\u200b", "\ufeff", "\ud7ff", "\U0001f600", "\u3000", "\r", "\n", "\t", " "]
FULL_DIGITS = list("０１２３４５６７８９．，％")

cjk_char = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
any_char = st.characters(blacklist_categories=("Cs",))
digits = st.integers(min_value=1, max_value=40).flatmap(
    lambda n: st.text(alphabet="0123456789", min_size=n, max_size=n))
huge_number = st.integers(min_value=1000, max_value=6000).flatmap(
    lambda n: st.sampled_from(["9" * n, "1" * n + ".5", "0." + "3" * n, "1," * (n // 4) + "000", "-" + "7" * n]))
full_width_number = st.text(alphabet=FULL_DIGITS, min_size=1, max_size=12)
piece = st.one_of(
    st.sampled_from(CJK_WORDS), st.sampled_from(PUNCT), st.sampled_from(CONTROL), cjk_char, any_char,
    digits, full_width_number, st.text(alphabet="abcXYZ GDP", max_size=5),
)
prose = st.lists(piece, max_size=80).map("".join)


@st.composite
def table(draw) -> str:
    """Table-like lines: cells split by |, tabs or runs of spaces, a header with 增长 now and then."""
    rows = draw(st.lists(st.lists(st.one_of(st.sampled_from(["指标", "增长%", "比上年±%", "单位", "地区生产总值",
                                                               "亿元", "万吨", "其中:工业"]),
                                            digits.map(lambda d: d[:6] + "." + d[6:8]), prose.map(lambda p: p[:10])),
                                  max_size=6), max_size=12))
    seps = draw(st.lists(st.sampled_from(["|", "\t", "  ", " | ", "\t\t", "｜"]), min_size=1, max_size=3))
    return "\n".join(seps[i % len(seps)].join(row) for i, row in enumerate(rows))


@st.composite
def long_line(draw) -> str:
    """One line of thousands of characters: a sentence repeated, with or without its punctuation."""
    unit = draw(prose)
    times = draw(st.integers(min_value=50, max_value=2000 // max(1, len(unit)) + 50))
    sep = draw(st.sampled_from(["", "、", "，", " "]))
    return sep.join([unit] * times)[:40_000]


document = st.one_of(
    st.just(""),
    prose,
    table(),
    long_line(),
    st.lists(st.one_of(prose, table(), huge_number, long_line()), max_size=5).map("\n".join),
    st.tuples(prose, huge_number, st.sampled_from(["亿元", "%", "个百分点", "强", "名", "万人", ""]), prose)
    .map(lambda t: t[0] + t[1] + t[2] + t[3]),
    st.tuples(st.sampled_from(["增长", "下降", "第", "全国", "排名第", "占比", "比为", "|"]), huge_number,
              st.sampled_from(["%", "个百分点", "强", "名", ":1", "亿元"])).map("".join),
)


def check(text: str) -> None:
    try:
        got = extract_text(text)
    except AnzeKGError:  # the only kind of error allowed; none is expected from a str
        raise AssertionError(f"extract_text refused a str: {text[:80]!r}") from None
    for item in got.observations + got.entities:
        assert 0 <= item.start <= item.end <= len(text)
        assert text[item.start:item.end] == item.quote


@settings(max_examples=800, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(document)
@example("")
@example("深化国企改革。推进国资国企改革。")  # TypeError in entities._seen_before (one dict, two kinds of key)
@example("9" * 5000 + "亿元")  # ValueError: int() of more than 4300 digits
@example("增长" + "9" * 5000 + "%")  # the same, in a growth
@example("排名第" + "9" * 5000 + "名")  # the same, in a rank
@example("全国" + "9" * 5000 + "强")  # the same, in a 全国N强
@example("地区生产总值\n" + "9" * 5000 + "亿元\n")  # the same, in a table cell
@example("产值" + "1" * 400 + ".5亿元")  # an infinite float
def test_extract_text_never_raises(text):
    check(text)
