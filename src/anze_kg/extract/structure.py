"""The years of a report from its structure: which year (or five-year period) each figure is for,
and whether it is a target or an actual.

A government work report (政府工作报告) is delivered early in year R.  Its first
part reviews the year before (一、2013年工作回顾 / 过去一年工作回顾: figures of R-1,
actuals), often with the five-year period that ended then (“十二五”时期和2015年工作回顾);
then it sets the aims of its own year (二、2014年工作安排, 主要预期目标, 今年要…:
targets for R) and sometimes of the new period (二、“十三五”…主要目标: targets for
2016-2020).  Inside that frame, a year that opens a clause (2015年,… / 到2020年,…),
the words 今年, 去年, 过去一年, and period phrases (五年来, “十二五”期间, 五年累计) move
the year until the paragraph ends; a level written right after a year
(由2010年的162.4亿元增加到2015年的287.9亿元) is of that year.  A sentence with a
target word (预期目标, 力争, 确保, 控制在, 远景目标 …) states targets wherever it stands.

Other genres (statistical bulletins, news articles) have no such frame: a year
that opens a clause sets the year until the next numbered heading, and the
reference year given by the caller fills the rest (:class:`YearTimeline`).

Everything is read from ``norm`` (the folded text: ASCII digits and punctuation).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from anze_kg.extract.rules import HEADING_RE, YEAR_RE, opens_clause

__all__ = ["PERIODS", "ReportFrame", "read_frame", "YearTimeline", "period_of"]

# The five-year plans by their Chinese names (“十二五” = the 12th, 2011-2015).
PERIODS = {"十一五": (2006, 2010), "十二五": (2011, 2015), "十三五": (2016, 2020), "十四五": (2021, 2025),
           "十五五": (2026, 2030), "十六五": (2031, 2035)}

_PERIOD_NAME = "|".join(PERIODS)
_YEAR = r"(?:19|20)\d\d"
_CN_YEAR = r"[〇零一二][〇零一二三四五六七八九]{3}"
_CN_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")

# A top-level heading: 一、… at the start of a line, or 第一部分 / 第一章.
_TOP_HEADING = re.compile(r"(?m)^[ \t\u3000]*(?:[一二三四五六七八九十]{1,3}、|第[一二三四五六七八九十]{1,3}(?:部分|章))"
                          r"(?P<title>[^\n]{0,60})$")
_REVIEW_WORDS = re.compile(r"回顾|过去(?:一|的一|五)年|工作总结|主要工作|取得的成[绩就效]")
_PLAN_WORDS = re.compile(r"工作安排|目标任务|总体要求|主要任务|重点工作|工作任务|工作重点|预期目标|发展目标|主要目标"
                         r"|工作建议|工作部署|奋斗目标|发展思路")
_WORK_REPORT = re.compile(r"政\s*府\s*工\s*作\s*报\s*告")
_TITLE_YEAR = re.compile(rf"({_YEAR}|{_CN_YEAR})\s*年")
_DELIVERED = re.compile(rf"({_YEAR})年\s*\d{{1,2}}\s*月\s*\d{{1,2}}\s*日\s*在[^\n]{{0,40}}(?:人民代表大会|人大)")

# Marks that move the year inside a section, when they open a clause.
_CLAUSE_START = r"(?:(?<=[\n。;!?,:——])|(?<=^)|(?<=——))[ \t\u3000]*(?:[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\))?"
_MARK_YEAR = re.compile(rf"{_CLAUSE_START}(?:预计|计划|力争|争取|截至|截止|预期|目标是)?(?:到|至)?在?(?:刚刚)?(?:过去的)?"
                        rf"(?P<year>{_YEAR})年(?!\d|\s*\d{{1,2}}月|以来)", re.M)
_MARK_THIS = re.compile(rf"{_CLAUSE_START}(?:今年|明年|去年|过去一年|过去的一年|刚刚过去的一年|一年来|上一年)", re.M)
_MARK_PERIOD = re.compile(rf"{_CLAUSE_START}(?:“|\")?(?P<name>{_PERIOD_NAME})(?:”|\")?(?:期间|时期|以来|规划期)"
                          rf"|{_CLAUSE_START}(?P<five>五年来|过去五年|五年间|五年累计|五年共)", re.M)
_PARAGRAPH = re.compile(r"\n")

# A level written right after its year: 2015年的287.9亿元, 2015年末, 到2020年达到.
LOCAL_YEAR = re.compile(rf"({_YEAR})年(?:末|底)?的?(?:达到|增加到|增长到|提高到|实现)?$")
# Words of a sentence that sets targets.
TARGET_WORDS = re.compile(r"预期目标|主要目标|目标是|目标为|力争|争取|确保|控制在|计划|远景目标|规划目标|预计"
                          r"|将(?:达到|实现|增长|突破)|要(?:达到|实现|突破)|以上的目标|左右的目标")
_SENTENCE_END = re.compile(r"[。;!?\n]")


def period_of(name: str) -> str:
    a, b = PERIODS[name]
    return f"{a}-{b}"


@dataclass(frozen=True)
class Section:
    start: int
    end: int
    kind: str          # "review", "plan", "period-plan", "other"
    year: int | str | None
    target: bool


@dataclass(frozen=True)
class ReportFrame:
    """What the structure of a work report says: its delivery year and its top-level sections."""

    delivered: int | None
    sections: tuple[Section, ...]

    @property
    def reviewed(self) -> int | None:
        return self.delivered - 1 if self.delivered else None


def _cn_year(raw: str) -> int:
    return int(raw.translate(_CN_DIGITS))


def read_frame(norm: str) -> ReportFrame | None:
    """The frame of a government work report, or None when the text is not one (or its year is unknown)."""
    head = norm[:600]
    headings = list(_TOP_HEADING.finditer(norm))
    kinds = [_kind(m.group("title")) for m in headings]
    if not (_WORK_REPORT.search(head) or ("review" in kinds and any(k.endswith("plan") for k in kinds))):
        return None
    delivered = _delivered_year(norm, head, headings, kinds)
    if delivered is None:
        return None
    sections, seen_plan = [], False
    for i, (m, kind) in enumerate(zip(headings, kinds)):
        end = headings[i + 1].start() if i + 1 < len(headings) else len(norm)
        title = m.group("title")
        years = [int(y) for y in re.findall(rf"(?<!\d)({_YEAR})年", title)]
        period = re.search(_PERIOD_NAME, title)
        if kind == "review":
            sections.append(Section(m.start(), end, kind, years[-1] if years else delivered - 1, False))
        elif kind == "plan" and period and not years:
            sections.append(Section(m.start(), end, "period-plan", period_of(period.group()), True))
            seen_plan = True
        elif kind == "plan":
            sections.append(Section(m.start(), end, kind, years[-1] if years else delivered, True))
            seen_plan = True
        else:  # the tasks after the plan are the plan's; anything before is of the report's year
            sections.append(Section(m.start(), end, "plan" if seen_plan else "other",
                                    delivered if seen_plan else None, seen_plan))
    return ReportFrame(delivered, tuple(sections))


def _kind(title: str) -> str:
    if _REVIEW_WORDS.search(title):
        return "review"
    if _PLAN_WORDS.search(title) or re.search(r"今年|明年", title):
        return "plan"
    return "other"


def _delivered_year(norm: str, head: str, headings: list, kinds: list) -> int | None:
    delivered = _DELIVERED.search(norm[:1500])
    if delivered:
        return int(delivered.group(1))
    for line in head.splitlines()[:8]:
        if _WORK_REPORT.search(line):
            m = _TITLE_YEAR.search(line)
            if m:
                return _cn_year(m.group(1))
    for m, kind in zip(headings, kinds):
        years = [int(y) for y in re.findall(rf"(?<!\d)({_YEAR})年", m.group("title"))]
        if years and kind == "review":
            return years[-1] + 1
        if years and kind == "plan":
            return years[-1]
    return None


class YearTimeline:
    """The year (an int, or a period "2011-2015") in force at each offset, and whether it is a target's.

    Without a frame: a year that opens a clause sets the year until the next
    numbered heading, which goes back to ``default``.  With a work report's
    frame: each section starts at its own year, and the marks inside it last
    to the end of their paragraph.
    """

    def __init__(self, norm: str, default: int | None, frame: ReportFrame | None = None) -> None:
        self.norm, self.default, self.frame = norm, default, frame
        if frame is None:
            marks = [(m.start(), default) for m in HEADING_RE.finditer(norm)]
            marks += [(m.start(), int(m.group(1))) for m in YEAR_RE.finditer(norm) if opens_clause(norm, m.start())]
        else:
            marks = self._framed_marks(norm, default, frame)
        marks.sort(key=lambda mark: mark[0])
        self._pos = [p for p, _ in marks]
        self._year = [y for _, y in marks]
        self._sections = [s.start for s in frame.sections] if frame else []

    def _framed_marks(self, norm: str, default: int | None, frame: ReportFrame) -> list:
        first = frame.sections[0].start if frame.sections else len(norm)
        marks: list[tuple[int, int | str | None]] = [(0, default)]
        starts: list[int] = []
        for s in frame.sections:
            marks.append((s.start, s.year))
            starts.append(s.start)
        bounds = starts + [len(norm)]

        def section_year(pos: int):
            i = bisect_right(starts, pos) - 1
            return frame.sections[i].year if i >= 0 else default

        inner: list[tuple[int, int | str | None]] = []
        for m in _MARK_YEAR.finditer(norm):
            inner.append((m.start("year"), int(m.group("year"))))
        for m in _MARK_THIS.finditer(norm):
            word = m.group().strip(" \t\u3000\n")
            delivered = frame.delivered
            inner.append((m.start(), delivered + 1 if word.endswith("明年") else
                          delivered if word.endswith("今年") else delivered - 1))
        for m in _MARK_PERIOD.finditer(norm):
            if m.group("name"):
                inner.append((m.start(), period_of(m.group("name"))))
            else:
                review = section_year(m.start())
                if isinstance(review, int):
                    inner.append((m.start(), f"{review - 4}-{review}"))
        for pos, year in inner:
            if pos < first and frame.sections:
                continue  # the preamble (title, 各位代表…) keeps the default
            marks.append((pos, year))
            # the mark lasts to the end of its paragraph, or of its section
            para = _PARAGRAPH.search(norm, pos)
            stop = min(para.start() if para else len(norm), bounds[bisect_right(starts, pos)] if starts else len(norm))
            if stop < len(norm):
                marks.append((stop + 0.5, section_year(stop)))
        return marks

    def at(self, pos: int):
        i = bisect_right(self._pos, pos) - 1
        return self._year[i] if i >= 0 else self.default

    def five_years_to(self, pos: int) -> str | None:
        """The five years ending in the year of the review section at ``pos`` ("2011-2015"), else None."""
        if self.frame is None:
            return None
        i = bisect_right(self._sections, pos) - 1
        year = self.frame.sections[i].year if i >= 0 else None
        if i < 0 or self.frame.sections[i].kind != "review" or not isinstance(year, int):
            return None
        return f"{year - 4}-{year}"

    def target_at(self, pos: int) -> bool:
        """Whether a figure at ``pos`` is a target: in a plan section, or in a sentence of target words."""
        a = max((m.end() for m in _SENTENCE_END.finditer(self.norm, max(0, pos - 200), pos)), default=max(0, pos - 200))
        b_m = _SENTENCE_END.search(self.norm, pos)
        sentence = self.norm[a:b_m.start() if b_m else len(self.norm)]
        if TARGET_WORDS.search(sentence):
            return True
        if self.frame is None:
            return False
        i = bisect_right(self._sections, pos) - 1
        return i >= 0 and self.frame.sections[i].target
