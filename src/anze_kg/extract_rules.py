"""Figure rules behind :mod:`anze_kg.extract`: numbers, units, growth, ranks, tables.

All matching runs on a *folded* copy of the report (full-width digits and
punctuation, ∶ and ︰ mapped one-to-one to ASCII), so an offset in the folded
copy is the same offset in the original text.  Values that are kept "as
written" (ratios, names, quotes) are sliced from the original text.

The rules return plain dicts with the fields of
:class:`anze_kg.extract.ExtractedObservation`; the public module turns them into
frozen records.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import groupby

_FOLD_MAP = {chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)}
_FOLD_MAP.update({"\u3000": " ", "\u2236": ":", "\ufe30": ":", "\ufe13": ":", "\ufe55": ":",
                  "\ufe59": "(", "\ufe5a": ")", "\ufe50": ",", "\ufe51": "、", "\ufe54": ";",
                  "\ufe6a": "%", "\ufe52": ".", "\u2212": "-"})
FOLD = str.maketrans(_FOLD_MAP)

CN_DIGITS = "一二三四五六七八九十百零〇两"
NUM = r"\d+(?:,\d{3}(?!\d))*(?:\.\d+)?"
_MAG = "万亿|亿|万"
_BASES = ("个百分点 百分点 平方公里 平方千米 平方米 立方米 千瓦时 千瓦 公里 千米 公顷 公斤 千克 人次 美元 标箱 "
          "元 吨 亩 人 户 个 家 座 条 宗 件 项 次 所 头 只 辆 台 套 处 名 位 张 间 栋 批 场 部 篇 艘 架 株 斤 % ‰").split()
BASE = "|".join(sorted(_BASES, key=len, reverse=True))
_PER = "年|亩|人|吨|户|日|天|月|平方米|公顷"
_PRE_Q = "超过|将近|接近|不少于|不低于|不足|不到|突破|约|近|超|逾"

VALUE_RE = re.compile(  # the lookahead only lets the scanner skip quickly
    rf"(?=[超将接不突约近逾\d])(?P<pq>{_PRE_Q})?(?P<num>{NUM})(?P<mq>余|多)?(?P<mag>{_MAG})?(?P<mq2>余|多)?"
    rf"(?P<base>{BASE})?(?P<suf>/(?:{_PER})|\((?:{BASE})\))?(?P<post>以上|左右|以下|以内|有余)?")
_CMP = "同比|较上年同期|比上年同期|较上年末|比上年末|较上年|比上年|较去年|比去年|较同期|比同期|年均"
_DOWN = ("下降", "减少", "回落", "降低", "下滑", "降幅", "缩小", "低于")
GROWTH_RE = re.compile(
    rf"(?=[同较比年增提上高下减回降缩低])(?:(?:{_CMP})(?:\([^()]{{0,6}}\))?)?"
    rf"(?P<dir>增长|增加|提高|上升|提升|增速|增幅|高于|{'|'.join(_DOWN)})"
    rf"(?:了|为|达到|达)?(?P<num>-?{NUM})(?P<unit>%|个百分点|百分点)")
_SCOPE = "全国同类县|全国|全省|全市|全区|全县|全州|全球|全世界|省内|市内|同类县"
RANK_RE = re.compile(
    rf"(?P<verb>排名|排位|排在|位居|位列|名列|居于|居|排)?(?P<scope>{_SCOPE})?(?:排名|排位|位居|位列)?"
    rf"第(?P<n>\d+|[{CN_DIGITS}]+)(?P<tail>名|位)?")
_RANK_AT = re.compile(rf"第(?:\d|[{CN_DIGITS}])")
_RANK_BEFORE = re.compile(rf"(?:排名|排位|排在|位居|位列|名列|居于|居|排)?(?:{_SCOPE})?(?:排名|排位|位居|位列)?$")
STRONG_RE = re.compile(r"(?P<scope>全国|全省|全市|全球|世界|中国)(?P<num>\d+)强")
RATIO_RE = re.compile(rf"{NUM}(?::{NUM})+(?![\d.])")
YEAR_RE = re.compile(r"(?<![\d.])((?:19|20)\d\d)年(?!\d|\s*\d{1,2}月|以来)")
_YEAR_PREFIX = re.compile(r"(?:[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\))?"
                          r"(?:预计|计划|力争|争取|截至|截止|预期)?(?:到|至)?在?(?:刚刚)?(?:过去的)?")
_CELL_GAP_RE = re.compile(r"[,;。!?\n:\t]|\s{2,}|——")
HEADING_RE = re.compile(r"(?m)^[ \t]*(?:[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\)"
                        r"|第[一二三四五六七八九十]+[章节部分])")

_LEAD_RE = re.compile(
    r"(?:其中|另外|此外|同时|全年|全县|全市|全区|全镇|全乡|年末|年底|当年|今年|去年|本年|(?:19|20)\d\d年(?:度|末|底)?|"
    r"预计到|预计|截至|截止|到|至|共有|拥有|共|累计|实现|完成|获得|达到|位居|位列|排名|名列|跻身|荣获|荣登|"
    r"和|及|与|以及|并|且|的|、|:|\s)+")
_TRAIL_RE = re.compile(
    r"(?:达到了|达到|已达|完成|实现|稳定在|保持在|提高到|提高至|提升至|提升到|增加到|增加至|增至|扩大到|扩大至|"
    r"降至|降低到|下降到|减少到|缩小到|分别为|分别|共计|总计|合计|累计|"
    r"同比|较上年|比上年|\([^()]*下同\)|排名|位居|位列|名列|居|增速|增幅|达|为|是|共|的|中|:|\s)+$")
_GENERIC_NAMES = {"增速", "增幅", "排名", "同比", "其中", "总量", "合计", "共", "分别"}
_POST_RE = re.compile(r"[\u4e00-\u9fffA-Za-z“”·]{1,30}")
_POST_STOP = re.compile(
    r"的|已|将|正|被|在|于|并|进入|投产|建成|开工|投运|完成|实现|达到|获得|得到|有序|持续|加快|全面|成功|顺利|"
    r"通过|申报|获批|入选|纳入|等|为|是|了|和|与|及|同比|较|比|增长|下降|占|以上|左右|用于|主要|分别|共|达")
_MAX_NAME = 48
_DELIMS = set(",;。、)!?\n :")
_PEER_RE = re.compile(r"在.{1,15}中(?:排名|排位|位居|位列|居)?")


def fold(text: str) -> str:
    """Full-width digits and punctuation to ASCII, one character for one."""
    return text.translate(FOLD)


def number(raw: str) -> int | float:
    """A written Arabic number ("1,242", "98.38", "-9.7") as int or float."""
    raw = raw.replace(",", "")
    return float(raw) if "." in raw else int(raw)


_CN_VALUE = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
_CN_NUMBER = re.compile(r"(?:(?P<h>[一二三四五六七八九两])百零?)?(?:(?P<t>[一二三四五六七八九两]?)(?P<ten>十))?"
                        r"(?P<u>[一二三四五六七八九两])?")


def cn_number(raw: str) -> int | None:
    """A rank written in Arabic or Chinese numerals (第3, 第一, 第十二, 第一百零五), None when malformed."""
    if raw.isdigit():
        return int(raw)
    m = _CN_NUMBER.fullmatch(raw)
    if not m or not raw:
        return None
    h, t, u = (_CN_VALUE.get(m.group(k) or "", 0) for k in "htu")
    return h * 100 + (t or 1) * 10 * bool(m.group("ten")) + u


class YearTimeline:
    """The year in force at each offset: set by a year that opens a clause, reset by numbered headings."""

    def __init__(self, norm: str, default: int | None) -> None:
        marks = [(m.start(), default) for m in HEADING_RE.finditer(norm)]
        marks += [(m.start(), int(m.group(1))) for m in YEAR_RE.finditer(norm) if _opens_clause(norm, m.start())]
        marks.sort(key=lambda mark: mark[0])
        self._pos = [p for p, _ in marks]
        self._year = [y for _, y in marks]
        self.default = default

    def at(self, pos: int) -> int | None:
        i = bisect_right(self._pos, pos) - 1
        return self._year[i] if i >= 0 else self.default


def _opens_clause(norm: str, pos: int) -> bool:
    head = _CELL_GAP_RE.split(norm[max(0, pos - 16):pos])[-1]
    return _YEAR_PREFIX.fullmatch(head.strip()) is not None


def name_span(norm: str, a: int, b: int) -> tuple[int, int]:
    """The indicator name inside norm[a:b]: leading subjects/verbs and trailing verbs stripped."""
    a = max(a, b - _MAX_NAME)
    seg = norm[a:b]
    depth, cut = 0, -1
    for i, ch in enumerate(seg):
        if ch == "(":
            depth, cut = depth + 1, (i if depth == 0 else cut)
        elif ch == ")" and depth:
            depth -= 1
    if depth:
        a, seg = a + cut + 1, seg[cut + 1:]
    lead = _LEAD_RE.match(seg)
    start = lead.end() if lead else 0
    trail = _TRAIL_RE.search(seg, start)
    end = trail.start() if trail else len(seg)
    if seg[start:end] in _GENERIC_NAMES:
        return a + end, a + end
    return a + start, a + end


def post_noun_end(norm: str, pos: int, limit: int) -> int:
    """End of the noun written right after a figure ("改造60户|农村危房"), or pos when there is none."""
    m = _POST_RE.match(norm, pos, limit)
    if not m:
        return pos
    stop = _POST_STOP.search(m.group())
    length = stop.start() if stop else len(m.group())
    return pos + min(length, 15)


def find_observations(text: str, norm: str, default_year: int | None) -> list[dict]:
    """Every figure in the report: flattened table rows, then the clauses of the prose."""
    years = YearTimeline(norm, default_year)
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
    return out


def _inside(spans: list[tuple[int, int]], a: int, b: int) -> bool:
    i = bisect_right(spans, (a, float("inf"))) - 1
    return i >= 0 and spans[i][1] >= b


def observation(indicator: str, value, unit, start: int, end: int, text: str, year, **extra) -> dict:
    return {"indicator": indicator, "value": value, "unit": unit, "growth_pct": extra.pop("growth_pct", None),
            "year": year, "quote": text[start:end], "start": start, "end": end, "qualifier": None,
            "rank": None, "rank_scope": None, "change_points": None, **extra}


# --- prose -------------------------------------------------------------------

_CLAUSE_CUT = re.compile(r"[。;!?\n]|,(?<!\d,)|,(?!\d{3}(?!\d))|:(?<!\d:)|:(?!\d)")  # not in 3,215 or 2:1
_SENTENCE_CUT = re.compile(r"[。;!?\n]+")
_PER_RE = re.compile(rf"每(?:{_PER})$")
_RATIO_WORD = re.compile("比|结构")
_RANK_LEAD = re.compile(rf"(?:、|位居|位列|排名|居)*({_SCOPE})")
_RESPECTIVELY = re.compile(r"分别$")


def _all_events(norm: str) -> list[tuple[int, int, str, re.Match]]:
    """Candidate figures of the whole text, by start: (start, priority, kind, match)."""
    found = [(m.start(), 0, "growth", m) for m in GROWTH_RE.finditer(norm)]
    found += [(m.start(), 1, "ratio", m) for m in RATIO_RE.finditer(norm)]
    found += [(m.start(), 2, "rank", m) for m in _ranks(norm)]
    found += [(m.start(), 3, "strong", m) for m in STRONG_RE.finditer(norm)]
    found += [(m.start(), 4, "value", m) for m in VALUE_RE.finditer(norm)
              if (m.group("mag") or m.group("base")) and norm[m.start() - 1:m.start()] != "第"]
    found.sort(key=lambda e: (e[0], e[1]))
    return found


def _ranks(norm: str):
    """RANK_RE matches, found from each 第 and the verb and scope just before it (faster than a scan)."""
    for hit in _RANK_AT.finditer(norm):
        back = _RANK_BEFORE.search(norm, max(0, hit.start() - 10), hit.start())
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
        if kind == "rank" and not (m.group("tail") or m.end() >= ce or norm[m.end():m.end() + 1] in _DELIMS):
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
        rates = [first] + [m for kind, m in events[1:] if kind == "value" and m.group("base") == "%"]
        targets = [o for o in self.out if o["growth_pct"] is None and o["value"] is not None][-len(rates):]
        if len(targets) != len(rates) or first.group("unit") != "%":
            return False
        for target, m in zip(targets, rates):
            pct = number(m.group("num"))
            target["growth_pct"] = -abs(pct) if first.group("dir") in _DOWN else pct
            self.extend(target, rates[-1].end())
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
        ns, ne = name_span(self.norm, cursor, m.start() - (len(per.group()) if per else 0))
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
            last["value"], last["unit"] = number(m.group("num")), unit  # 同比增长5.2%,达到125亿元
            self.extend(last, end)
            return end
        if not indicator:
            return end
        if name.startswith("占") and self.last is not None:
            indicator = self.last["indicator"] + indicator
        start = ns if ns < ne else m.start()
        quals = [q for q in (m.group("pq"), m.group("mq") or m.group("mq2"), m.group("post")) if q]
        self.emit(observation(indicator, number(m.group("num")), unit, start, end, self.text,
                              self.years.at(start), qualifier="…".join(quals) or None))
        return end

    def _growth(self, m: re.Match, cursor: int, ce: int, nxt) -> int:
        sign = -1 if m.group("dir") in _DOWN else 1
        if m.group("unit") != "%":
            return self._points(m, cursor, sign, m.group("unit"))
        pct = number(m.group("num"))
        pct = -abs(pct) if sign < 0 else pct
        ns, ne = name_span(self.norm, cursor, m.start())
        last = self.last
        if ns == ne:
            if last is not None and last["growth_pct"] is None and last["rank"] is None \
                    and last["change_points"] is None:
                last["growth_pct"] = pct
                self.extend(last, m.end())
            return m.end()
        self.emit(observation(self.text[ns:ne], None, None, ns, m.end(), self.text, self.years.at(ns),
                              growth_pct=pct))
        return m.end()

    def _points(self, m: re.Match, cursor: int, sign: int, unit: str) -> int:
        ns, ne = name_span(self.norm, cursor, m.start())
        indicator = self.text[ns:ne] or (self.last["indicator"] if self.last else "")
        value = number(m.group("num"))
        start = ns if ns < ne else m.start()
        self.emit(observation(indicator, abs(value), unit, start, m.end(), self.text, self.years.at(start),
                              change_points=sign * abs(value) if sign < 0 else value))
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
        if (ns == ne or _PEER_RE.fullmatch(raw.strip())) and target is not None:
            self._rank_of(target, n, scope, m.end())
            return m.end()
        name = self.text[ns:ne] or self.rank_name or "排名"
        self.rank_name = name
        start = ns if ns < ne else m.start()
        self.emit(observation(name, n, None, start, m.end(), self.text, self.years.at(start),
                              rank=n, rank_scope=scope))
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
                              self.years.at(ns), rank_scope=m.group("scope")))
        return m.end()

    def _ratio(self, m: re.Match, cursor: int, ce: int, nxt) -> int:
        ns, ne = name_span(self.norm, cursor, m.start())
        start = ns if ns < ne else m.start()
        self.emit(observation(self.text[ns:ne], self.text[m.start():m.end()], None, start, m.end(), self.text,
                              self.years.at(start)))
        return m.end()


# --- flattened tables ----------------------------------------------------------

_LABEL_RE = re.compile(r"(?:其中:)?(?P<label>[\u4e00-\u9fffA-Za-z()/·]{1,20})")
_CELL_VALUE_RE = re.compile(rf"(?P<num>-?{NUM})(?P<unit>(?:{_MAG})?(?:{BASE})?(?:/(?:{_PER})|\((?:{BASE})\))?)")
_BARE_RE = re.compile(rf"-?{NUM}")
_GROWTH_HEADER_RE = re.compile(r"增长|增速|增幅|比上年|较上年")
_PROSE_RE = re.compile(r"[,;。!?]")


def _cells(norm: str) -> list[tuple[int, int] | None]:
    """Cells of short lines (split on whitespace); None marks a prose line."""
    cells: list[tuple[int, int] | None] = []
    for line in re.finditer(r"[^\n]+", norm):
        body = line.group()
        if not body.strip():
            continue
        if len(body.strip()) > 60 or _PROSE_RE.search(body):
            cells.append(None)
            continue
        cells.extend((line.start() + c.start(), line.start() + c.end()) for c in re.finditer(r"\S+", body))
    return cells


def table_observations(text: str, norm: str, years: YearTimeline) -> tuple[list[dict], list[tuple[int, int]]]:
    """Rows `label | value+unit | growth%` of tables flattened one cell per line (or per gap)."""
    cells, out, consumed = _cells(norm), [], []
    growth_col, i = False, 0
    while i < len(cells):
        cell = cells[i]
        row = _row(norm, cells, i, growth_col) if cell else None
        if cell is None:
            growth_col = False
        elif row is None and _GROWTH_HEADER_RE.search(norm[cell[0]:cell[1]]):
            growth_col = True
        if row is None:
            i += 1
            continue
        label, value, growth = row
        start, end = label.start("label"), growth[1] if growth else value.end()
        unit = value.group("unit") or None
        out.append(observation(label.group("label"), number(value.group("num")), unit, start, end, text,
                               years.at(start), growth_pct=number(norm[growth[0]:growth[1]]) if growth else None))
        consumed.append((cell[0], end))
        i += 3 if growth else 2
    return out, consumed


def _row(norm: str, cells: list, i: int, growth_col: bool):
    nxt = cells[i + 1] if i + 1 < len(cells) else None
    label = _LABEL_RE.fullmatch(norm, *cells[i])
    value = _CELL_VALUE_RE.fullmatch(norm, *nxt) if nxt else None
    if label is None or value is None or _GROWTH_HEADER_RE.search(label.group()):
        return None
    third = cells[i + 2] if i + 2 < len(cells) else None
    growth = third if growth_col and third and _BARE_RE.fullmatch(norm, *third) else None
    return label, value, growth
