"""Full-length behaviour of the rule-based drafter, on synthetic long documents.

The documents are built here from the paragraphs of ``data/reports/anze-2023/report.txt``
(the project's own report): sections under numbered headings 一、二、…, each a copy of the
report's body with the decimals varied, tables (tabs, one cell per line, |), a copy in
traditional characters, CRLF line ends and very long runs.  Nothing outside the project is
read.  What is checked: no exception, every record quotes the text at its offsets, records
in text order, each entity once, and a section reads in a long document as it reads alone.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

from anze_kg.extract.extraction import extract_text, read_report_text
from anze_kg.extract.rules import TRADITIONAL, fold

REPORT = Path(__file__).resolve().parent.parent / "data" / "reports" / "anze-2023" / "report.txt"
HEADINGS = "一二三四五六七八九十"
TO_TRADITIONAL = str.maketrans({s: t for t, s in reversed(list(TRADITIONAL.items())) if s not in "“”"})

TAB_TABLE = """表{n} 主要经济指标
指标\t绝对数\t比上年增长%
地区生产总值\t121.6亿元\t12.6
规上工业增加值\t96.7亿元\t18.0
粮食产量\t12.5万吨\t-2.3
"""
CELL_TABLE = """指标
绝对数
比上年增长%
固定资产投资
32.7亿元
17.7
"""
PIPE_TABLE = """| 指标 | 绝对数 | 增长% |
|---|---|---|
| 社会消费品零售总额 | 13.95亿元 | 10.3 |
｜一般公共预算收入｜11.64亿元｜17.03｜
"""


def body() -> str:
    """The report's paragraphs, without its headline block (the lines before the first figure)."""
    lines = [line.strip() for line in read_report_text(REPORT).split("\n") if line.strip()]
    first = next(i for i, line in enumerate(lines) if "太岳起宏图" in line)
    return "\n".join(lines[first:]) + "\n"


def shifted(text: str, k: int) -> str:
    """The text with every digit after a decimal point moved by k (121.6 -> 121.7 for k=1)."""
    return re.sub(r"(?<=\d\.)\d+", lambda m: "".join(str((int(d) + k) % 10) for d in m.group()), text)


def section(i: int, content: str) -> str:
    return f"{HEADINGS[i % 10]}、第{i + 1}部分\n{content}"


def sections(n: int) -> list[str]:
    base = body()
    out = []
    for i in range(n):
        content = shifted(base, i)
        if i % 3 == 1:
            content += TAB_TABLE.format(n=i) + CELL_TABLE
        if i % 3 == 2:
            content += PIPE_TABLE
        out.append(section(i, content))
    return out


def check_records(text: str, got) -> None:
    for item in got.observations + got.entities:
        assert 0 <= item.start < item.end <= len(text)
        assert text[item.start:item.end] == item.quote
    starts = [o.start for o in got.observations]
    assert starts == sorted(starts)
    assert [e.start for e in got.entities] == sorted(e.start for e in got.entities)
    keys = [(e.kind, e.label) for e in got.entities]
    assert len(keys) == len(set(keys)), "an entity listed twice"


def rows(observations) -> list[tuple]:
    return [(o.indicator, o.value, o.unit, o.growth_pct, o.change_points, o.rank, o.year) for o in observations]


def test_a_long_document_reads_each_section_as_alone():
    parts = sections(8)
    doc = "标题:安泽县经济社会发展报告(合成)\n" + "".join(parts)
    assert len(doc) > 20_000
    got = extract_text(doc, year=2023, area="安泽县")
    check_records(doc, got)
    offset = len(doc) - len("".join(parts))
    for part in parts:
        alone = extract_text(part, year=2023, area="安泽县")
        inside = [o for o in got.observations if offset <= o.start < offset + len(part)]
        assert rows(inside) == rows(alone.observations)
        assert [(o.start - offset, o.end - offset) for o in inside] == [(o.start, o.end) for o in alone.observations]
        offset += len(part)
    # entities: at their first mention, so all of the first section's, and none that no section has alone
    first = {(e.kind, e.label, e.start) for e in extract_text(parts[0], year=2023, area="安泽县").entities}
    head = len(doc) - len("".join(parts))
    assert {(e.kind, e.label, e.start - head) for e in got.entities if e.start < head + len(parts[0])} == first
    alone_labels = {(e.kind, e.label) for part in parts for e in extract_text(part, area="安泽县").entities}
    assert {(e.kind, e.label) for e in got.entities} <= alone_labels


def test_sane_figures_in_every_section():
    parts = sections(6)
    doc = "".join(parts)
    got = extract_text(doc, year=2023)
    offset = 0
    for k, part in enumerate(parts):
        inside = [o for o in got.observations if offset <= o.start < offset + len(part)]
        assert len(inside) >= 50
        gdp = next(o for o in inside if o.indicator == "地区生产总值" and o.unit == "亿元")
        assert (gdp.value, gdp.growth_pct, gdp.year) == (float(f"121.{(6 + k) % 10}"), float(f"12.{(6 + k) % 10}"),
                                                          2023)
        offset += len(part)
    tables = [o for o in got.observations if "\t" in o.quote or "\n" in o.quote or "|" in fold(o.quote)]
    assert {(o.indicator, o.value, o.unit, o.growth_pct) for o in tables} == {
        ("地区生产总值", 121.6, "亿元", 12.6), ("规上工业增加值", 96.7, "亿元", 18.0), ("粮食产量", 12.5, "万吨", -2.3),
        ("固定资产投资", 32.7, "亿元", 17.7), ("社会消费品零售总额", 13.95, "亿元", 10.3),
        ("一般公共预算收入", 11.64, "亿元", 17.03)}
    assert all(not o.indicator.startswith(("|", "｜")) for o in got.observations)


def test_a_section_in_traditional_characters_reads_like_the_simplified_one():
    simplified = section(0, body())
    traditional = simplified.translate(TO_TRADITIONAL)
    assert traditional != simplified and "億元" in traditional and "增長" in traditional
    doc = simplified + traditional
    got = extract_text(doc, year=2023)
    check_records(doc, got)
    a = [o for o in got.observations if o.start < len(simplified)]
    b = [o for o in got.observations if o.start >= len(simplified)]
    assert len(a) >= 50
    assert [(o.value, o.unit, o.growth_pct, o.change_points) for o in b] == \
        [(o.value, o.unit, o.growth_pct, o.change_points) for o in a]
    assert [o.indicator for o in b] == [o.indicator.translate(TO_TRADITIONAL) for o in a]


def test_crlf_line_ends_and_odd_runs_in_a_long_document():
    doc = "".join(sections(4)).replace("\n", "\r\n")
    doc += "\n" * 5000 + "\t" * 3000 + "、" * 3000 + "9" * 5000 + "亿元\n" + "全县" * 2000 + "\n"
    got = extract_text(doc)
    check_records(doc, got)
    assert len(got.observations) >= 4 * 50


def test_150000_characters_in_bounded_time():
    """A very long document in well under the time a person waits (about 0.2 s on a laptop)."""
    doc = "".join(sections(36))
    assert len(doc) > 150_000
    t0 = time.perf_counter()
    got = extract_text(doc, year=2023)
    assert time.perf_counter() - t0 < 15
    check_records(doc, got)
