"""Figures in prose behind :mod:`anze_kg.extract.extraction`: value and unit, growth on the
previous year, changes in percentage points, ranks, ratios, "全国百强" places,
Chinese-numeral counts after a verb (完成两所学校撤并), "全部为" (all: 100%).

Clauses (cut at 。;!? and commas that are not thousands separators) are read
left to right; a growth, a rank or a share attaches to the figure before it
in the same sentence ("…12.3亿元,同比增长5.2%,增速全市排名第一").  Flattened
tables are read first (:mod:`anze_kg.extract.tables`) and their lines are not
read again as prose.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import groupby

from anze_kg.extract.rules import (
    DELIMS,
    DOWN,
    GROWTH_RE,
    PEER_RE,
    PER,
    RANK_AT,
    RANK_BEFORE,
    RANK_RE,
    RATIO_RE,
    SCOPE,
    STRONG_RE,
    VALUE_RE,
    cn_number,
    name_span,
    number,
    observation,
    post_noun_end,
    rate_spans,
    readable,
    signed,
)
from anze_kg.extract.structure import LOCAL_YEAR, YearTimeline, read_frame
from anze_kg.extract.tables import table_observations


def find_observations(text: str, norm: str, default_year: int | None) -> list[dict]:
    """Every figure in the report: flattened table rows, then the clauses of the prose, each with
    the year (or period) it is for and whether it is a target (:mod:`anze_kg.extract.structure`)."""
    frame = read_frame(norm)
    years = YearTimeline(norm, default_year, frame)
    out, consumed = table_observations(text, norm, years)
    cuts = [m.start() for m in _CLAUSE_CUT.finditer(norm)]
    sentence_ends = [m.end() for m in _SENTENCE_CUT.finditer(norm)]
    sentence, current = _Sentence(text, norm, years), -1
    for index, group in groupby(_all_events(norm), key=lambda e: bisect_right(cuts, e[0])):
        cs, ce = cuts[index - 1] + 1 if index else 0, cuts[index] if index < len(cuts) else len(norm)
        if _inside(consumed, cs, ce):
            continue
        here = bisect_right(sentence_ends, cs)
        if here != current:
            out.extend(sentence.out)
            sentence = _Sentence(text, norm, years, sentence.last if here == current + 1 else None)
            current = here
        sentence.clause(cs, ce, _clause_events(norm, list(group), cs, ce))
    out.extend(sentence.out)
    out.sort(key=lambda o: (o["start"], o["end"]))
    for o in out:
        o["target"] = years.target_at(o["start"]) or _ahead(o["year"], frame)
    return out


def _ahead(year, frame) -> bool:
    """A year after the one a work report reviews is a target's (the report is delivered early in it)."""
    if frame is None or year is None:
        return False
    last = int(str(year).split("-")[-1])
    return last > frame.reviewed


def _inside(spans: list[tuple[int, int]], a: int, b: int) -> bool:
    i = bisect_right(spans, (a, float("inf"))) - 1
    return i >= 0 and spans[i][1] >= b


# --- prose -------------------------------------------------------------------

_CLAUSE_CUT = re.compile(r"[。;!?\n]|,(?<!\d,)|,(?!\d{3}(?!\d))|:(?<!\d:)|:(?!\d)")  # not in 3,215 or 2:1
_SENTENCE_CUT = re.compile(r"[。;!?\n]+")
_PER_RE = re.compile(rf"每(?:{PER})$")
_RATIO_WORD = re.compile("比|结构")
_RANK_LEAD = re.compile(rf"(?:、|位居|位列|排名|居)*({SCOPE})")
_RESPECTIVELY = re.compile(r"分别$")
_COUNT_VERBS = "完成|建成|新建|新增|改造|撤并|打造|培育|建设|实施|引进|创建|开工|竣工|新开|组建|培训|认定"
CN_COUNT_RE = re.compile(rf"(?<={_COUNT_VERBS})(?P<num>[两二三四五六七八九十]{{1,3}})"
                         r"(?P<base>所|条|座|家|项|处|个|批|名|户|台|辆|栋|间|场|部|篇)(?=[\u4e00-\u9fff])")
_TO_LEVEL = re.compile(r"(?:增加|提高|增长|上升|扩大|提升|下降|减少|降低|发展|攀升|跃升)?(?:到|至)"
                       r"(?:(?:19|20)\d\d年(?:末|底)?的?)?")
_LEVEL_VERB = re.compile(r"(?:达到|突破|增加到|增长到|提高到|提升到|增至|扩大到|达)$")
_FLOW_WORD = re.compile(r"新增|新建|累计完成|共(?:实施|投资|完成)|五年|年均")
_FIVE_YEARS = re.compile(r"五年|十[一二三四五]五(?:期间|时期)")
_OTHER_BASE = re.compile(r"(?:较|比)(?:(?:19|20)\d\d年|“?十[一二三四五]五”?(?:时期|期间|末)?)(?:同期|末|底)?(?:分别)?")
ALL_RE = re.compile(r"全部(?:为|是)(?=[\u4e00-\u9fff])")


def _all_events(norm: str) -> list[tuple[int, int, str, re.Match]]:
    """Candidate figures of the whole text, by start: (start, priority, kind, match)."""
    found = [(m.start(), 0, "growth", m) for m in GROWTH_RE.finditer(norm)
             if all(readable(norm[a:b]) for a, b in rate_spans(m))]
    found += [(m.start(), 1, "ratio", m) for m in RATIO_RE.finditer(norm)]
    found += [(m.start(), 2, "rank", m) for m in _ranks(norm)]
    found += [(m.start(), 3, "strong", m) for m in STRONG_RE.finditer(norm) if readable(m.group("num"))]
    found += [(m.start(), 4, "value", m) for m in VALUE_RE.finditer(norm)
              if (m.group("mag") or m.group("base")) and norm[m.start() - 1:m.start()] != "第"
              and readable(m.group("num"))]
    found += [(m.start(), 4, "cncount", m) for m in CN_COUNT_RE.finditer(norm)]
    found += [(m.start(), 4, "all", m) for m in ALL_RE.finditer(norm)]
    found.sort(key=lambda e: (e[0], e[1]))
    return found


def _ranks(norm: str):
    """RANK_RE matches, found from each 第 and the verb and scope just before it (faster than a scan)."""
    for hit in RANK_AT.finditer(norm):
        back = RANK_BEFORE.search(norm, max(0, hit.start() - 10), hit.start())
        m = RANK_RE.match(norm, back.start() if back else hit.start())
        if m:
            yield m


def _clause_events(norm: str, found: list, cs: int, ce: int) -> list[tuple[str, re.Match]]:
    """The figures of one clause, left to right, none overlapping."""
    kept, end = [], cs
    for start, _, kind, m in found:
        if start < end or m.end() > ce:
            continue
        if kind == "ratio" and not (_RATIO_WORD.search(norm, cs, start)
                                    or m.group().count(".") > m.group().count(":")):
            continue  # 2:1 needs a word such as 比 or 结构 before it; 16:44:56 is a time
        if kind == "rank" and not (m.group("tail") or m.end() >= ce or norm[m.end():m.end() + 1] in DELIMS):
            continue
        kept.append((kind, m))
        end = m.end()
    return kept


class _Sentence:
    """Figures of one sentence; growth, ranks and shares attach to the figure before them."""

    def __init__(self, text: str, norm: str, years: YearTimeline, previous: dict | None = None) -> None:
        self.text, self.norm, self.years = text, norm, years
        self.out: list[dict] = []
        self.last: dict | None = None
        self.previous = previous  # last figure of the sentence before: a rank may open the next one

    def clause(self, cs: int, ce: int, events: list[tuple[str, re.Match]]) -> None:
        cursor, self.scope, self.rank_name = cs, None, None
        if self._respectively(cs, events):
            return
        for i, (kind, m) in enumerate(events):
            nxt = events[i + 1][1] if i + 1 < len(events) else None
            cursor = getattr(self, "_" + kind)(m, cursor, ce, nxt)

    def _respectively(self, cs: int, events: list[tuple[str, re.Match]]) -> bool:
        """"…A 5亿元,B 3亿元,分别增长6%和8%": the rates go to the figures before, in order."""
        if not events or events[0][0] != "growth" or not _RESPECTIVELY.search(
                self.norm[cs:events[0][1].start()].strip()):
            return False
        first = events[0][1]
        sign = -1 if first.group("dir") in DOWN else 1
        listed = [m for kind, m in events[1:] if kind == "value" and m.group("base") == "%"]
        rates = rate_spans(first) + [m.span("num") for m in listed]
        end = max([first.end()] + [m.end() for m in listed])
        targets = [o for o in self.out if o["growth_pct"] is None and o["value"] is not None][-len(rates):]
        if len(targets) != len(rates) or first.group("unit") != "%":
            return False
        for target, (a, b) in zip(targets, rates):
            target["growth_pct"] = signed(number(self.norm[a:b]), sign)
            self.extend(target, end)
        return True

    def emit(self, rec: dict) -> None:
        self.out.append(rec)
        self.last = rec

    def extend(self, rec: dict, end: int) -> None:
        rec["end"] = max(rec["end"], end)
        rec["quote"] = self.text[rec["start"]:rec["end"]]

    def _value(self, m: re.Match, cursor: int, ce: int, nxt) -> int:
        unit = (m.group("mag") or "") + (m.group("base") or "") + (m.group("suf") or "")
        if unit.endswith("百分点"):
            return self._points(m, cursor, +1, unit)
        per = _PER_RE.search(self.norm, cursor, m.start())
        if per:
            unit += "/" + per.group()[1:]
        quals = [q for q in (m.group("pq"), m.group("mq") or m.group("mq2"), m.group("post")) if q]
        figure = (number(m.group("num")), self.text[m.start("num"):m.end("num")], unit, "…".join(quals) or None)
        return self._figure(m, figure, cursor, m.start() - (len(per.group()) if per else 0), ce, nxt)

    def _cncount(self, m: re.Match, cursor: int, ce: int, nxt) -> int:
        """完成两所学校撤并: a count in Chinese numerals right after a verb."""
        return self._figure(m, (cn_number(m.group("num")), m.group("num"), m.group("base"), None), cursor,
                            m.start(), ce, nxt)

    def _all(self, m: re.Match, cursor: int, ce: int, nxt) -> int:
        """全部为先进产能: all of it, 100%."""
        end = post_noun_end(self.norm, m.end(), ce)
        if end > m.end():
            self.emit(observation(self.text[m.end():end], 100, "%", m.start(), end, self.text,
                                  self.years.at(m.start()), qualifier="全部", value_text="全部"))
        return end

    def _figure(self, m: re.Match, figure: tuple, cursor: int, name_end: int, ce: int, nxt) -> int:
        """Name a figure (value, as written, unit, qualifier) and emit it, or give it to the figure before."""
        value, written, unit, qualifier = figure
        ns, ne = name_span(self.norm, cursor, name_end)
        end = post_noun_end(self.norm, m.end(), ce)
        name, post = self.text[ns:ne], self.text[m.end():end]
        indicator = name + post
        if not indicator and nxt is not None and nxt.start() == m.end():  # 320户|860人低保对象
            indicator = self.text[nxt.end():post_noun_end(self.norm, nxt.end(), ce)]
        last = self.last
        joined = last is not None and (last["end"] == m.start() or self.norm[cursor:m.start()] in ("、", "和", "及"))
        if not indicator and joined:
            indicator = last["indicator"]  # 厂房2栋|3200平方米, 分别达到38260元、16520元
        if not indicator and last is not None and last["value"] is None and last["rank"] is None:
            last.update(value=value, unit=unit, value_text=written)  # 同比增长5.2%,达到125亿元
            self.extend(last, end)
            return end
        start, to_level = (ns if ns < ne else m.start()), False
        if not indicator and last is not None and last["value"] is not None \
                and _TO_LEVEL.fullmatch(self.norm[cursor:m.start()]):
            indicator, start, to_level = last["indicator"], cursor, True  # 由162.4亿元|增加到287.9亿元
        if not indicator:
            return end
        if name.startswith("占") and self.last is not None:
            indicator = self.last["indicator"] + indicator
        local = LOCAL_YEAR.search(self.norm, max(cursor, m.start() - 14), m.start())
        year = int(local.group(1)) if local else self.years.at(start)  # 由2010年的162.4亿元
        if isinstance(year, str) and (to_level or (_LEVEL_VERB.search(self.norm, max(cursor, m.start() - 4), m.start())
                                                   and not _FLOW_WORD.search(name))):
            year = int(year.split("-")[1])  # 五年来 … 由11.66亿元增加到29.33亿元, 达到555万平方米: the last year's level
        elif isinstance(year, int) and _FIVE_YEARS.search(name):
            year = self.years.five_years_to(start) or year  # 五年新增…, 五年共实施…: a sum over the period
        elif isinstance(year, str) and self.norm[max(cursor, m.start() - 1):m.start()] == "由":
            year = int(year.split("-")[0]) - 1  # … and the year before it began
        self.emit(observation(indicator, value, unit, start, end, self.text, year,
                              qualifier=qualifier, value_text=written))
        return end

    def _growth(self, m: re.Match, cursor: int, ce: int, nxt) -> int:
        sign = -1 if m.group("dir") in DOWN else 1
        if m.group("unit") != "%":
            return self._points(m, cursor, sign, m.group("unit"))
        rates = self._rates(m, sign)
        ns, ne = name_span(self.norm, cursor, m.start())
        last = self.last
        if ns == ne:
            if last is None or last["growth_pct"] is not None or last["rank"] is not None \
                    or last["change_points"] is not None:
                return m.end()
            base = _OTHER_BASE.search(self.norm, max(cursor, m.start() - 10), m.end())
            if base or m.group().startswith("年均") or self.norm[max(0, m.start() - 2):m.start()] == "年均":
                # 年均增长12.1%, 比2010年提高86%: not the change on the year before, a record of its own
                a = base.start() if base else m.start()
                for pct, _, _, end in rates:
                    self.emit(observation(last["indicator"], None, None, a, end, self.text,
                                          self.years.at(a), growth_pct=pct))
                return m.end()
            (pct, _, _, end), name = rates[0], last["indicator"]
            last["growth_pct"] = pct
            self.extend(last, end)
            for pct, a, _, end in rates[1:]:  # 增长5%和3%: the other rates, of the same figure
                self.emit(observation(name, None, None, a, end, self.text, self.years.at(a), growth_pct=pct))
            return m.end()
        for name, (pct, _, _, end) in zip(_names(self.text[ns:ne], len(rates)), rates):
            self.emit(observation(name, None, None, ns, end, self.text, self.years.at(ns), growth_pct=pct))
        return m.end()

    def _rates(self, m: re.Match, sign: int) -> list[tuple[int | float, int, int, int]]:
        """(signed number, its start and end, the rate's end) of each rate of a figure; a rate
        written bare before the shared unit (2.1和1.5个百分点) ends after that unit."""
        unit = m.group("unit") if m.re is GROWTH_RE else ""
        out = []
        for a, b in rate_spans(m):
            end = (b + len(unit) if self.norm.startswith(unit, b) else m.end("unit")) if unit else m.end()
            out.append((signed(number(self.norm[a:b]), sign), a, b, end))
        return out

    def _points(self, m: re.Match, cursor: int, sign: int, unit: str) -> int:
        ns, ne = name_span(self.norm, cursor, m.start())
        rates = self._rates(m, sign)
        names = _names(self.text[ns:ne], len(rates)) if ns < ne else \
            [self.last["indicator"] if self.last else ""] * len(rates)
        start = ns if ns < ne else m.start()
        for name, (change, a, b, end) in zip(names, rates):
            self.emit(observation(name, abs(change), unit, start, end, self.text, self.years.at(start),
                                  change_points=change, value_text=self.text[a:b].lstrip("-")))
        return m.end()

    def _rank(self, m: re.Match, cursor: int, ce: int, nxt) -> int:
        n = cn_number(m.group("n"))
        if n is None:
            return cursor
        raw = self.norm[cursor:m.start()]
        lead = _RANK_LEAD.match(raw)
        scope = m.group("scope") or (lead.group(1) if lead else None) or self.scope
        self.scope = scope
        ns, ne = name_span(self.norm, cursor, m.start())
        target = self.last or self.previous
        if (ns == ne or PEER_RE.fullmatch(raw.strip())) and target is not None:
            self._rank_of(target, n, scope, m.end())
            return m.end()
        name = self.text[ns:ne] or self.rank_name or "排名"
        self.rank_name = name
        start = ns if ns < ne else m.start()
        self.emit(observation(name, n, None, start, m.end(), self.text, self.years.at(start),
                              rank=n, rank_scope=scope, value_text=self.text[m.start("n"):m.end("n")]))
        return m.end()

    def _rank_of(self, target: dict, n: int, scope: str | None, end: int) -> None:
        """Rank of the figure before ("增速居全省第3"); a second rank repeats the figure with it."""
        if target["rank"] is None:
            target["rank"], target["rank_scope"] = n, scope
            self.extend(target, end)
            return
        copy = dict(target, rank=n, rank_scope=scope)
        if target["unit"] is None and target["value"] == target["rank"]:
            copy["value"] = n
        self.extend(copy, end)
        self.emit(copy)

    def _strong(self, m: re.Match, cursor: int, ce: int, nxt) -> int:
        ns, _ = name_span(self.norm, cursor, m.start())
        self.emit(observation(self.text[ns:m.end()], int(m.group("num")), "强", ns, m.end(), self.text,
                              self.years.at(ns), rank_scope=m.group("scope"),
                              value_text=self.text[m.start("num"):m.end("num")]))
        return m.end()

    def _ratio(self, m: re.Match, cursor: int, ce: int, nxt) -> int:
        ns, ne = name_span(self.norm, cursor, m.start())
        start = ns if ns < ne else m.start()
        ratio = self.text[m.start():m.end()]
        self.emit(observation(self.text[ns:ne], ratio, None, start, m.end(), self.text, self.years.at(start),
                              value_text=ratio))
        return m.end()


_LIST_SPLITS = (re.compile("、"), re.compile("、|和|与|及"))


def _names(name: str, n: int) -> list[str]:
    """The indicators of n rates after one name: "A、B、C分别下降13.5%、8.6%、2.7%" names each
    rate after its member of the list when the counts agree, else after the whole name."""
    if n > 1:
        for split in _LIST_SPLITS:
            parts = split.split(name)
            if len(parts) == n and all(len(p) >= 3 for p in parts):  # not 城镇|和|农村失业率
                return parts
    return [name] * n
