"""Draft facts from a report's text: figures and named entities, by rules.

Deterministic and offline: regular expressions and small dictionaries of the
genre (Chinese county bulletins, work reports, news), no model, no network.
The result is a draft for a person to check, never a curated fact file.

Offsets are character offsets into the text given to :func:`extract_text`
(``text[start:end] == quote``).  Read files with :func:`read_report_text`,
which decodes, strips a BOM, turns CRLF into LF and NFC-normalises; the
extractor itself never changes the text it is given.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

from .errors import Location, SourceError, UsageError
from .extract_rules import CN_DIGITS, find_observations, fold

__all__ = ["ExtractedObservation", "ExtractedEntity", "Extraction", "extract_text", "read_report_text",
           "DEFAULT_MAX_BYTES", "ENTITY_KINDS"]

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
ENTITY_KINDS = ("enterprise", "place", "project", "program")


@dataclass(frozen=True)
class ExtractedObservation:
    """One figure as written: value and unit, growth on the previous year, rank, and its quote.

    ``value`` is the number as written (a ratio such as "21.9∶38.7∶39.4" stays a
    string; a growth-only figure has None), ``unit`` as written but with ％ and
    full-width brackets folded to ASCII.  ``growth_pct`` is negative for 下降/
    回落.  A change in 个百分点 is its own record: ``value`` as written,
    ``change_points`` signed.  ``qualifier`` keeps 约/余/超过/以上/近 …; ``rank``
    and ``rank_scope`` a 全省第2 either of this figure or, with value = rank
    and no unit, of a ranking named by ``indicator``.
    """

    indicator: str
    value: float | int | str | None
    unit: str | None
    growth_pct: float | None
    year: int | None
    quote: str
    start: int
    end: int
    qualifier: str | None = None
    rank: int | None = None
    rank_scope: str | None = None
    change_points: float | None = None


@dataclass(frozen=True)
class ExtractedEntity:
    """A named enterprise, place (parks and zones too), project or program, at its first mention.

    ``label`` is the name as written; ``quote`` (= text[start:end]) is the clause it stands in.
    """

    kind: str
    label: str
    quote: str
    start: int
    end: int


@dataclass(frozen=True)
class Extraction:
    """What :func:`extract_text` drafts: observations and entities, each in text order."""

    observations: tuple[ExtractedObservation, ...]
    entities: tuple[ExtractedEntity, ...]

    def to_json_dict(self) -> dict:
        """Plain JSON-ready dict; the documented keys come first, extras after."""
        return {"observations": [asdict(o) for o in self.observations],
                "entities": [asdict(e) for e in self.entities]}


def extract_text(text: str, *, year: int | None = None, area: str | None = None) -> Extraction:
    """Draft observations and entities from a report's text.

    ``year`` is the year given to figures before any year is stated (and after a
    numbered heading); ``area`` is the report's own area (e.g. "安泽县"), which
    is not listed as a place entity.
    """
    if not isinstance(text, str):
        raise TypeError(f"extract_text needs str, got {type(text).__name__}")
    norm = fold(text)
    observations = tuple(ExtractedObservation(**o) for o in find_observations(text, norm, year))
    return Extraction(observations, tuple(find_entities(text, norm, area)))


# --- reading files -----------------------------------------------------------

def read_report_text(path: str | Path, encoding: str | None = None, *,
                     max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """A report file as text: checked size, decoded, BOM stripped, LF newlines, NFC.

    Raises :class:`SourceError` (with the path, the line where it can, and a
    hint) for a missing, empty, binary, oversized or wrongly encoded file.
    """
    path = Path(path)
    if encoding is not None:
        _check_encoding(encoding)
    data = _read_limited(path, max_bytes)
    if encoding is None:
        _refuse_binary(path, data)
    text = _decode(path, data, encoding)
    if "\x00" in text:
        raise SourceError(Location.of(path, text[:text.index("\x00")].count("\n") + 1),
                          "binary content (NUL character) in a text file",
                          hint="give the report as plain text, not a PDF, Word or image file")
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise SourceError(Location.of(path), "the file is empty",
                          hint="give the report's text (UTF-8); an empty file has nothing to extract")
    return unicodedata.normalize("NFC", text)


def _check_encoding(encoding: str) -> None:
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise UsageError(f"unknown encoding {encoding!r}",
                         hint="use a Python codec name such as utf-8, gb18030, gbk or big5") from None


def _read_limited(path: Path, max_bytes: int) -> bytes:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise SourceError(Location.of(path), f"the file is {size:,} bytes, over the limit of {max_bytes:,}",
                              hint="split the report into parts, or raise the size limit (max_bytes)")
        with path.open("rb") as f:
            data = f.read(max_bytes + 1)
    except OSError as e:
        raise SourceError(Location.of(path), f"cannot read the file: {e.strerror or e}",
                          hint="check the path and its permissions") from None
    if len(data) > max_bytes:
        raise SourceError(Location.of(path), f"the file is over the limit of {max_bytes:,} bytes",
                          hint="split the report into parts, or raise the size limit (max_bytes)")
    return data


def _refuse_binary(path: Path, data: bytes) -> None:
    """UTF-16 (by its BOM) and files with NUL bytes are not UTF-8 text."""
    if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        raise SourceError(Location.of(path), "the file is UTF-16, not UTF-8",
                          hint="looks like UTF-16; pass --encoding utf-16")
    at = data.find(b"\x00")
    if at < 0:
        return
    raise SourceError(Location.of(path, data[:at].count(b"\n") + 1),
                      f"binary file: NUL byte at byte {at}",
                      hint="give the report as plain text, not a PDF, Word or image file")


def _decode(path: Path, data: bytes, encoding: str | None) -> str:
    codec = encoding or "utf-8"
    try:
        return data.decode(codec)
    except UnicodeDecodeError as e:
        where = Location.of(path, data[:e.start].count(b"\n") + 1)
        if encoding is not None:
            raise SourceError(where, f"cannot decode as {encoding}: byte 0x{data[e.start]:02x} at byte {e.start}",
                              hint="check the --encoding given, or convert the file to UTF-8") from None
        raise SourceError(where, f"not valid UTF-8: byte 0x{data[e.start]:02x} at byte {e.start}",
                          hint=_encoding_hint(data)) from None


def _encoding_hint(data: bytes) -> str:
    for codec in ("gb18030", "big5"):
        try:
            sample = data.decode(codec)
        except UnicodeDecodeError:
            continue
        cjk = sum("\u4e00" <= ch <= "\u9fff" for ch in sample)
        if cjk >= max(1, len(sample) // 10):
            return f"looks like {codec.upper()}; pass --encoding {codec}"
    return "convert the file to UTF-8 (for example with iconv), or pass --encoding NAME"


# --- entities ------------------------------------------------------------------

_CJK = "\u4e00-\u9fff"
_STOPS = ("位于 走进 依托 加快 推进 推动 实施 开展 落实 深化 践行 打造 培育 支持 引进 申报 筹划 成为 作为 围绕 聚焦 "
          "完成 实现 其中 届时 以及 通过 按照 积极 全力 大力 深入 持续 扎实 全面 加强 认真 着力 继续 接续 坚持 坚决 "
          "强力 启动 组织 举办 承办 参与 包括 抢抓 聘请 纳入 入选 获评 荣获 荣膺 成功 推荐 扶持 引导 签约 入驻 入园 "
          "带队 举行 召开 健全 完善 建立 严格 执行 制定 出台 "
          "以 破 的 在 是 和 与 及 对 把 被 将 从 向 于 为 等 了 由 让 使 并 暨 赴 到 至 即 或 据 该 各 其").split()
_STOP_RE = re.compile("|".join(sorted(_STOPS, key=len, reverse=True)))
_NUMERALS = re.compile(rf"[{CN_DIGITS}]+(?:个|大|家|批)|\d")
_FORMULAS = {"习近平新时代中国特色社会主义思想", "新发展理念", "新发展格局", "高质量发展", "供给侧结构性改革",
             "全面深化改革", "改革开放", "中国式现代化", "稳中求进", "稳中求进工作总基调", "二十大", "党的二十大",
             "十三五", "十四五", "十五五", "两个确立", "两个维护", "四个意识", "四个自信", "两个务必", "共同富裕"}
_IDIOMS = {"保驾护航", "压舱石", "开门红", "领头羊", "排头兵", "主力军", "桥头堡", "试验田", "主战场", "加速器",
           "助推器", "稳定器", "金钥匙", "金名片", "新引擎", "强引擎", "顶梁柱", "定心丸", "娘家人", "贴心人",
           "领跑者", "硬骨头", "最后一公里", "快车道", "一盘棋", "加油站", "蓄水池", "生命线", "风向标", "晴雨表"}
_HONOUR_BEFORE = re.compile(r"(?:荣膺|荣获|获评|获得|评为|入选|列为|授予|命名为|认定为|申报|创建|荣登|跻身|成为|创成|"
                            r"入围|获批|系|是)[^“”,。]{0,6}$")
_HONOUR_AFTER = re.compile(r"^.{0,2}(?:称号|名单|荣誉|等次|品牌|认证|商标|文章|奖|案例)")
_QUOTED = re.compile(r"“([^“”\n]{2,30})”")
_SPEECH = re.compile(r"[。!?]|我|你|咱|(?:19|20)\d\d年")  # speech, or an event or honour of a year
_HONOUR_NOUN = re.compile(r"(?:基地|示范县|示范区|示范村|示范镇|先进县|百强县|强县|名单|单位|景区|乡村|之乡|廊道)$")

_ENT_LONG = "股份有限公司|有限责任公司|集团有限公司|有限公司|集团公司|专业合作社|合作社|公司|集团"
_ENT_SHORT = "煤业|焦化|药业|热电|能源|矿业|钢铁|实业|酒业"
_PARKS = ("高新技术产业开发区|经济技术开发区|高新技术开发区|综合保税区|工业园区|产业园区|工业集中区|开发区|经开区|"
          "高新区|综保区|工业园|产业园|孵化园|科技园|物流园|园区")
_PROGRAMS = "主题教育|专项行动|攻坚行动|攻坚战|体系建设|行动|改革|战略|工程|制度|机制"
_TWO_CJK = re.compile(rf"[{_CJK}]{{2}}")
_PLACE_SUFFIX = re.compile("街道|社区|省|市|县|镇|乡|村|庄")
_PLACE_NEXT_REJECT = {"市": "场民级委政长区县定直属域人", "县": "城域级委政长区乡直属人", "镇": "区级村域长人",
                      "乡": "村镇居土愁贤亲情人", "村": "民庄级集落委党干组容里道", "省": "级委政长内外属直市域人",
                      "庄": "园稼严重", "社区": "", "街道": ""}
_PLACE_BEFORE_REJECT = {"市": "城超都门上夜集股楼菜", "县": "强大小两", "镇": "城集强大小名古",
                        "乡": "城下返家故老水梦异他带", "村": "乡农山渔新小大示强通进驻入到下", "庄": "村山农",
                        "省": "强大全外本", "社区": "", "街道": ""}
_PLACE_PREFIX_REJECT = set("的了是在个等为与及各全本该我每其这那此之到至赴对从向于把被将"
                           "一二三四五六七八九十百千万两几多省市县镇乡村区")
_GENERIC_PLACES = {"示范", "先进", "百强", "重点", "特色", "美丽", "和美", "宜居", "中心", "行政", "贫困", "文明",
                   "卫生", "生态", "试点", "首批", "同类", "周边", "沿线", "所在", "外省", "外市", "邻近"}
_GENERIC_MODIFIER = re.compile(r"省级|国家级|市级|县级|首批|第.批|[型类]")
_PROJECT_GENERIC = re.compile(r"(?:各类|一批|重点|在建|新建|续建|签约|产业|民生|基础设施|建设|招商引资|链主|省级|市级|"
                              r"县级|重大|大|新|储备|前期|谋划|中央预算内)+")
_PROGRAM_GENERIC = re.compile(r"专项|集中攻坚|系列|主题|三年|省级重点")
_CONSTRUCTION = re.compile(r"建设|改造|治理|整治|修复|扩建|改建|水利|道路|公路|供水|管网|电网|排水|污水|桥|隧道|\(.期\)")
_BUILT = re.compile(r"建成|开工|竣工|投运|投用|完工|招标|主体施工")


@dataclass
class _Candidate:
    kind: str
    start: int
    end: int
    priority: int = 0


def find_entities(text: str, norm: str, area: str | None = None) -> list[ExtractedEntity]:
    """Named entities, first mention of each, in text order."""
    cands = (_quoted_programs(norm) + _suffixed(norm, "enterprise", _ENT_LONG, 16, 1)
             + _suffixed(norm, "enterprise", _ENT_SHORT, 4, 1) + _suffixed(norm, "place", _PARKS, 16, 2)
             + _projects_and_programs(norm) + _places(norm) + _listed(norm) + _owners(norm))
    cands.sort(key=lambda c: (c.start, -(c.end - c.start), c.priority))
    out, seen, open_spans = [], {}, []
    for c in cands:
        open_spans = [k for k in open_spans if k.end > c.start]
        if any(k.end >= c.end and not _may_nest(c, k) for k in open_spans):
            continue
        open_spans.append(c)
        label = text[c.start:c.end]
        if not c.kind or _excluded(label, c.kind, area) or _seen_before(seen, c.kind, label):
            continue
        start, end = _clause_around(norm, c.start, c.end)
        out.append(ExtractedEntity(c.kind, label, text[start:end], start, end))
    return out


def _clause_around(norm: str, start: int, end: int, reach: int = 40) -> tuple[int, int]:
    """The clause a mention stands in (between , ; 。 and line breaks), at most `reach` either side."""
    before = _CLAUSE_EDGE.search(norm[max(0, start - reach):start][::-1])
    after = _CLAUSE_EDGE.search(norm, end, end + reach)
    left = start - before.start() if before else max(0, start - reach)
    right = after.start() if after else min(len(norm), end + reach)
    return left + _lstrip_len(norm, left, start), right


def _lstrip_len(norm: str, left: int, start: int) -> int:
    return len(norm[left:start]) - len(norm[left:start].lstrip())


def _may_nest(inner: _Candidate, outer: _Candidate) -> bool:
    """A name inside a longer one is dropped, except a place (not in a firm's name) or a project's owner."""
    return inner.kind == "place" and outer.kind in ("place", "project", "program") or (
        inner.kind == "enterprise" and outer.kind in ("project", "program"))


def _excluded(label: str, kind: str, area: str | None) -> bool:
    """Political formulas, and the report's own area (安泽县, 安泽) as a place."""
    if fold(label) in _FORMULAS:
        return True
    if kind != "place" or not area:
        return False
    base = re.sub("[省市县区]$", "", area) or area
    return label == area or re.fullmatch(rf"{re.escape(base)}[省市县区]?", label) is not None


_CLAUSE_EDGE = re.compile(r"[,;。!?\n]")
_LEADING_PLACE = re.compile(rf"^([{_CJK}]{{2}})[省市县区](?=[{_CJK}]{{2}})")


def _seen_before(seen: dict, kind: str, label: str) -> bool:
    """Whether label names an entity already listed: 云溪县X is 云溪X, and 云溪县X is X or a typo'd 合X."""
    alias, core = _LEADING_PLACE.sub(r"\1", label), _LEADING_PLACE.sub("", label)
    if (kind, alias) in seen:
        return True
    bucket = seen.setdefault((kind, core[-4:]), [])
    for other in bucket:
        short, long_ = sorted((core, other), key=len)
        if len(short) >= 4 and len(long_) - len(short) <= 3 and long_.endswith(short):
            return True
    seen[(kind, alias)] = True
    bucket.append(core)
    return False


@lru_cache(maxsize=None)
def _name_run(max_len: int) -> re.Pattern:
    return re.compile(rf"[{_CJK}A-Za-z0-9·/.]{{1,{max_len}}}$")


def _left_start(norm: str, end: int, max_len: int) -> int:
    """Start of the name that ends at `end`: back over name characters, then past the last stop word."""
    m = _name_run(max_len).search(norm, max(0, end - max_len), end)
    if not m:
        return end
    start = end - len(m.group())
    last = None
    for last in _STOP_RE.finditer(norm, start, end):
        pass
    return last.end() if last else start


def _across_quote(norm: str, quote_at: int, max_len: int) -> int:
    """Start of a zone name with a quoted part, 石门镇“桃花源”…园区: a town before the quote leads it."""
    if re.fullmatch(rf"[{_CJK}]{{2}}[镇乡村县市]", norm[quote_at - 3:quote_at]):
        return quote_at - 3
    return _left_start(norm, quote_at, max_len)


def _name_ok(prefix: str, kind: str) -> bool:
    if len(prefix) < 2 or prefix[0] in "全本该各我这此其新" or _NUMERALS.search(prefix):
        return False
    return not (kind == "place" and (_GENERIC_MODIFIER.search(prefix) or prefix.endswith(("化", "示范"))))


def _suffixed(norm: str, kind: str, suffixes: str, max_len: int, priority: int) -> list[_Candidate]:
    out = []
    for m in re.finditer(suffixes, norm):
        start = _left_start(norm, m.start(), max_len)
        if kind == "place" and norm[start - 1:start] == "”" and "“" in norm[start - 12:start - 1]:
            start = _across_quote(norm, norm.rindex("“", 0, start - 1), max_len)
        prefix = norm[start:m.start()]
        if norm[m.end():m.end() + 1] in ("化", "性") or re.search(r"(?:新|清洁|绿色|再生|传统|化石)$", prefix):
            continue
        if kind == "place" and norm[start - 1:start] == "的":
            continue
        if _name_ok(prefix, kind):
            out.append(_Candidate(kind, start, m.end(), priority))
    return out


def _projects_and_programs(norm: str) -> list[_Candidate]:
    out = []
    for m in re.finditer(rf"项目|{_PROGRAMS}", norm):
        start = _left_start(norm, m.start(), 30)
        prefix, suffix = norm[start:m.start()], m.group()
        if norm[start - 1:start] == "”" or norm[m.end():m.end() + 2] in ("开放", "定位") \
                or norm[m.end():m.end() + 1] == "性":
            continue
        phase = re.match(r"\(.期\)", norm[m.end():m.end() + 4])
        end = m.end() + (len(phase.group()) if phase else 0)
        project = suffix == "项目" or (suffix == "工程" and (_CONSTRUCTION.search(norm[start:end])
                                                           or _BUILT.search(norm, end, end + 8)))
        shortest = 4 if project else 3 if suffix in ("制度", "机制") else 2
        if len(prefix) < shortest or _PROJECT_GENERIC.fullmatch(prefix) or _PROGRAM_GENERIC.fullmatch(prefix) \
                or prefix[:1] in "本该各这此其":
            continue
        out.append(_Candidate("project" if project else "program", start, end, 3))
    return out


def _quoted_programs(norm: str) -> list[_Candidate]:
    out = []
    for m in _QUOTED.finditer(norm):
        body = m.group(1)
        if (_SPEECH.search(body) or body in _FORMULAS or body in _IDIOMS or _HONOUR_NOUN.search(body)
                or _HONOUR_BEFORE.search(norm, max(0, m.start() - 8), m.start())
                or _HONOUR_AFTER.match(norm[m.end():m.end() + 4])):
            out.append(_Candidate("", m.start(1), m.end(1), 0))  # honours, idioms, speech: hide what is inside
            continue
        out.append(_Candidate("program", m.start(1), m.end(1), 0))
    return out


def _places(norm: str) -> list[_Candidate]:
    out = []
    for m in _PLACE_SUFFIX.finditer(norm):
        s, suffix = m.start(), m.group()
        prefix = norm[s - 2:s] if s >= 2 else ""
        if (len(prefix) < 2 or not _TWO_CJK.fullmatch(prefix) or set(prefix) & _PLACE_PREFIX_REJECT
                or prefix[-1] in _PLACE_BEFORE_REJECT[suffix] or prefix in _GENERIC_PLACES
                or (norm[m.end():m.end() + 1] or "\0") in _PLACE_NEXT_REJECT[suffix]
                or (len(suffix) == 1 and norm[m.end():m.end() + 1] == suffix)):
            continue
        out.append(_Candidate("place", s - 2, m.end(), 4))
    return out


_ITEMS = rf"((?:[{_CJK}]{{2,12}}、)+[{_CJK}]{{2,12}}?)"
_LIST_ENTERPRISE = re.compile(rf"{_ITEMS}(?:等|[{CN_DIGITS}]+大)(?:为|是)?[^,。;、\n]{{0,12}}?(?:企业|公司)")
_LIST_PLACE = re.compile(rf"{_ITEMS}(?:等地|等?(?:\d+|[{CN_DIGITS}]+)个(?:村|镇|乡|社区|街道|产业园|园区))")
_LIST_PROJECT = re.compile(rf"{_ITEMS}等[^,。;、\n]{{0,8}}?(?:项目|工程|基础设施建设)")
_OWNER = re.compile(rf"(?:(?<=[,;。、\n: “])|^)(?!年|新|建|实施|累计|总|合计|全|其中|完成|实现|达到|投资)"
                    rf"([{_CJK}]{{2,3}})(?=\d+(?:\.\d+)?万?吨(?:/年)?[^,。;\n]*?项目)", re.M)


def _owners(norm: str) -> list[_Candidate]:
    """The short name of the enterprise that owns a capacity project: "富源|1200万吨煤矿项目"."""
    return [_Candidate("enterprise", m.start(1), m.end(1), 5) for m in _OWNER.finditer(norm)
            if m.group(1)[-1] not in "量能值额积率数产耗费"]


def _list_windows(norm: str) -> list[list[int]]:
    """Stretches of text around 、 where a list can be: the list patterns run only there."""
    spans: list[list[int]] = []
    for m in re.finditer("、", norm):
        a, b = max(0, m.start() - 13), m.end() + 40
        if spans and a <= spans[-1][1]:
            spans[-1][1] = b
        else:
            spans.append([a, b])
    return spans


def _listed(norm: str) -> list[_Candidate]:
    """Members of lists: "A、B等企业" (enterprises), "A、B等3个村" / "A、B等地" (places), "A、B等项目"."""
    out = []
    windows = _list_windows(norm)
    for kind, pattern in (("enterprise", _LIST_ENTERPRISE), ("place", _LIST_PLACE), ("project", _LIST_PROJECT)):
        for m in (m for a, b in windows for m in pattern.finditer(norm, a, b)):
            pos = m.start(1)
            for item in m.group(1).split("、"):
                start = _left_start(norm, pos + len(item), 12)
                if 2 <= pos + len(item) - start <= (12 if kind == "project" else 8) \
                        and not _NUMERALS.search(norm[start:pos + len(item)]):
                    out.append(_Candidate(kind, start, pos + len(item), 5))
                pos += len(item) + 1
    return out
