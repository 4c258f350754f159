"""The vocabulary of figures behind :mod:`anze_kg.extract.extraction`: folding, numbers,
units, growth, ranks, ratios, years, and how an indicator's name is cut from
the words before (and after) a figure.

All matching runs on a *folded* copy of the report (full-width digits and
punctuation, ∶ and ︰ mapped one-to-one to ASCII), so an offset in the folded
copy is the same offset in the original text.  Values that are kept "as
written" (ratios, names, quotes) are sliced from the original text.

Traditional characters are folded too, one for one, so that a report in
traditional characters reads like one in simplified (全縣生產總值12.3億元，
同比增長5.2% gives 12.3 亿元 and a growth of 5.2).  Only the characters that
the rules look for are in the table (:data:`TRADITIONAL`): those of units and
magnitudes (億萬個點噸畝戶輛臺間棟場條處張隻頃時標項), of growth and decline
(增長 較上年 減少 縮小 高於/低於; 下降 and 回落 are written alike), of
qualifiers, comparisons, subjects and verbs around a figure (約 餘 超過 將近
實現 達到 為 與 當年 獲 累計 總), of rank scopes (全國 全區 全縣 百強), and of
the suffixes and stop words of names (鎮 鄉 莊 區 縣 園 開發區 產業 煤業 集團
專業合作社 機制 戰略 行動 建設 體系 服務 推進 積極 對 從 讓 並 這 該), with the
corner quotes 「」『』 read as “”.  None of them is a simplified character, so
simplified text is left as it is.  Names, indicators and quotes stay as
written (they are sliced from the original text); units, qualifiers and rank
scopes are read from the folded copy, so 億元 is the unit 亿元.

The rules (:mod:`anze_kg.extract.figures`, :mod:`anze_kg.extract.tables`)
return plain dicts with the fields of
:class:`anze_kg.extract.extraction.ExtractedObservation` (:func:`observation`); the public
module turns them into frozen records.
"""

from __future__ import annotations

import re

_FOLD_MAP = {chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)}
_FOLD_MAP.update({"\u3000": " ", "\u2236": ":", "\ufe30": ":", "\ufe13": ":", "\ufe55": ":",
                  "\ufe59": "(", "\ufe5a": ")", "\ufe50": ",", "\ufe51": "、", "\ufe54": ";",
                  "\ufe6a": "%", "\ufe52": ".", "\u2212": "-"})
TRADITIONAL = dict(zip(
    "億萬個點噸畝戶輛臺間棟場條處張隻頃時標項長較減縮於約餘過將實現達為爲與當獲計總國區縣強"
    "鎮鄉莊園開發產業團專機戰動設體務進積極對從讓並這該「」『』",
    "亿万个点吨亩户辆台间栋场条处张只顷时标项长较减缩于约余过将实现达为为与当获计总国区县强"
    "镇乡庄园开发产业团专机战动设体务进积极对从让并这该“”“”", strict=True))
_FOLD_MAP.update(TRADITIONAL)
FOLD = str.maketrans(_FOLD_MAP)

CN_DIGITS = "一二三四五六七八九十百零〇两"
NUM = r"\d+(?:,\d{3}(?!\d))*(?:\.\d+)?"
MAG = "万亿|亿|万"
_BASES = ("个百分点 百分点 平方公里 平方千米 平方米 立方米 千瓦时 千瓦 公里 千米 千公顷 公顷 公斤 千克 人次 美元 标箱 吨标准煤 担 "
          "周年 倍 元 吨 亩 人 户 个 家 座 条 宗 件 项 次 所 头 只 辆 台 套 处 名 位 张 间 栋 批 场 部 篇 艘 架 株 斤 % ‰").split()
BASE = "|".join(sorted(_BASES, key=len, reverse=True))
PER = "年|亩|人|吨|户|日|天|月|平方米|公顷"
_PRE_Q = "超过|将近|接近|不少于|不低于|不足|不到|突破|约|近|超|逾"

VALUE_RE = re.compile(  # the lookahead only lets the scanner skip quickly
    rf"(?=[超将接不突约近逾\d])(?P<pq>{_PRE_Q})?(?P<num>{NUM})(?P<mq>余|多)?(?P<mag>{MAG})?(?P<mq2>余|多)?"
    rf"(?P<base>{BASE})?(?P<suf>/(?:{PER})|\((?:{BASE})\))?(?P<post>以上|左右|以下|以内|有余)?")
_CMP = "同比|较上年同期|比上年同期|较上年末|比上年末|较上年|比上年|较去年|比去年|较同期|比同期|年均"
DOWN = ("下降", "减少", "回落", "降低", "下滑", "降幅", "缩小", "低于", "递减")
_RATE_SEP = "、|和|及|与"
GROWTH_RE = re.compile(  # 下降2.1%; a list shares the verb: 分别下降13.5%、8.6%, 分别下降2.1和1.5个百分点
    rf"(?=[同较比年增提上高下减回降缩低递])(?:(?:{_CMP})(?:\([^()]{{0,6}}\))?)?"
    rf"(?P<dir>增长|增加|提高|上升|提升|增速|增幅|高于|递增|{'|'.join(DOWN)})(?:幅度)?"
    rf"(?:了|为|达到|达)?(?P<num>-?{NUM})(?P<bare>(?:(?:{_RATE_SEP})-?{NUM}){{0,20}})(?P<unit>%|个百分点|百分点)"
    rf"(?P<more>(?:(?:{_RATE_SEP})-?{NUM}(?P=unit)){{0,20}})")
_RATE_NUM = re.compile(rf"-?{NUM}")
SCOPE = "全国同类县|全国|全省|全市|全区|全县|全州|全球|全世界|省内|市内|同类县"
RANK_RE = re.compile(
    rf"(?P<verb>排名|排位|排在|位居|位列|名列|居于|居|排)?(?P<scope>{SCOPE})?(?:排名|排位|位居|位列)?"
    rf"第(?P<n>\d+|[{CN_DIGITS}]+)(?P<tail>名|位)?")
RANK_AT = re.compile(rf"第(?:\d|[{CN_DIGITS}])")
RANK_BEFORE = re.compile(rf"(?:排名|排位|排在|位居|位列|名列|居于|居|排)?(?:{SCOPE})?(?:排名|排位|位居|位列)?$")
STRONG_RE = re.compile(r"(?P<scope>全国|全省|全市|全球|世界|中国)(?P<num>\d+)强")
RATIO_RE = re.compile(rf"(?<![\d.]){NUM}(?::{NUM})+(?![\d.])")  # from a number's start only: linear
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
    r"同比|较上年|比上年|(?:较|比)(?:19|20)\d\d年(?:同期|末|底)?|由|(?:19|20)\d\d年(?:度|末|底)?|\([^()]*下同\)|排名|位居|位列|名列|居|增速|增幅|达|为|是|共|的|中|:|\s)+$")
_GENERIC_NAMES = {"增速", "增幅", "排名", "同比", "其中", "总量", "合计", "共", "分别"}
_POST_RE = re.compile(r"[\u4e00-\u9fffA-Za-z“”·]{1,30}")
_POST_STOP = re.compile(
    r"的|已|将|正|被|在|于|并|进入|投产|建成|开工|投运|完成|实现|达到|获得|得到|有序|持续|加快|全面|成功|顺利|"
    r"通过|申报|获批|入选|纳入|等|为|是|了|和|与|及|同比|较|比|增长|下降|占|以上|左右|用于|主要|分别|共|达|"
    r"增加|提高|扩大|降低|减少|上升|提升|由")
_MAX_NAME = 48
DELIMS = set(",;。、)!?\n :")
PEER_RE = re.compile(r"在.{1,15}中(?:排名|排位|位居|位列|居)?")


def fold(text: str) -> str:
    """Full-width digits and punctuation to ASCII, traditional characters to simplified, one character for one."""
    return text.translate(FOLD)


MAX_DIGITS = 18  # digits before the point of a figure read as a number: a longer run is not a figure


def rate_spans(m: re.Match) -> list[tuple[int, int]]:
    """Spans of the numbers of a figure: one, or each rate of a GROWTH_RE list (分别下降13.5%、8.6%)."""
    if m.re is not GROWTH_RE:
        return [m.span("num")]
    return [r.span() for r in _RATE_NUM.finditer(m.string, m.start("num"), m.end())]


def signed(value: int | float, sign: int) -> int | float:
    """A change after its verb: made negative after 下降/减少/回落 … (下降-3.2% too), as written otherwise."""
    return -abs(value) if sign < 0 else value


def readable(raw: str) -> bool:
    """Whether a written number is short enough to be a figure (no report writes 10^18 of anything;
    a run of thousands of digits would be an infinite float or a refused int conversion)."""
    return len(raw.replace(",", "").lstrip("-").split(".")[0]) <= MAX_DIGITS


def number(raw: str) -> int | float:
    """A written Arabic number ("1,242", "98.38", "-9.7") as int or float (see :func:`readable`)."""
    raw = raw.replace(",", "")
    return float(raw) if "." in raw else int(raw)


_CN_VALUE = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
_CN_NUMBER = re.compile(r"(?:(?P<h>[一二三四五六七八九两])百零?)?(?:(?P<t>[一二三四五六七八九两]?)(?P<ten>十))?"
                        r"(?P<u>[一二三四五六七八九两])?")


def cn_number(raw: str) -> int | None:
    """A rank written in Arabic or Chinese numerals (第3, 第一, 第十二, 第一百零五), None when malformed."""
    if raw.isdigit():
        return int(raw) if len(raw) <= MAX_DIGITS else None
    m = _CN_NUMBER.fullmatch(raw)
    if not m or not raw:
        return None
    h, t, u = (_CN_VALUE.get(m.group(k) or "", 0) for k in "htu")
    return h * 100 + (t or 1) * 10 * bool(m.group("ten")) + u


def opens_clause(norm: str, pos: int) -> bool:
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


def observation(indicator: str, value, unit, start: int, end: int, text: str, year, **extra) -> dict:
    return {"indicator": indicator, "value": value, "unit": unit, "growth_pct": extra.pop("growth_pct", None),
            "year": year, "quote": text[start:end], "start": start, "end": end, "qualifier": None,
            "rank": None, "rank_scope": None, "change_points": None, "value_text": None, **extra}


