"""Entity rules behind :mod:`anze_kg.extract.extraction`: enterprises, places (and zones),
projects and programs named in a report.

Each rule proposes candidates (kind, span, priority) on the *folded* text (see
:func:`anze_kg.extract.rules.fold`; offsets are those of the original).  The
candidates are then resolved: a name inside a longer one is dropped unless a
place or an enterprise may stand there (a village in a project's name), and
each entity is kept at its first mention only.  A few rules compose a name
that is not written in one piece: "玉华煤业、安鑫煤业智能化矿井建设" gives
the projects 玉华煤业智能化矿井建设 and 安鑫煤业智能化矿井建设.

The rules return plain dicts (kind, label, quote, start, end); the public
module turns them into records.  The word lists are in
:mod:`anze_kg.extract.words`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from anze_kg.extract import words as w
from anze_kg.extract.divisions import cut_short, find_divisions, is_division, lineage
from anze_kg.extract.lists import (
    MEASURE,
    SIZED,
    composed_projects,
    firms_listed_with_firms,
    left_start,
    listed,
    listed_programs,
    one_firm,
    one_project,
    owners,
)
from anze_kg.extract.rules import fold

CJK = w.CJK


@dataclass
class Candidate:
    kind: str  # "" hides what is inside (an honour, an idiom, speech)
    start: int
    end: int
    priority: int = 0
    parts: tuple | None = None  # a composed name: spans (start, end) of the text and literal strings


def find_entities(text: str, norm: str, area: str | None = None) -> list[dict]:
    """Named entities, first mention of each, in text order."""
    cands = (quoted_programs(norm) + _suffixed(norm, "enterprise", w.ENT_LONG, 16, 1)
             + _suffixed(norm, "enterprise", w.ENT_SHORT, 4, 1) + _suffixed(norm, "place", w.PARKS, 16, 2)
             + _projects_and_programs(norm) + _works(norm) + _places(norm) + _river_basins(norm) + _divisions(norm) + _place_pairs(norm) + _offices(norm) + _road_works(norm) + _landscapes(norm) + _national_programmes(norm)
             + _rail_lines(norm) + _local_banks(norm) + _sized_works(norm) + _power_works(norm) + _works_owners(norm)
             + _area_campaigns(norm, area) + [Candidate(*c) for c in listed(norm) + listed_programs(norm)
                                               + owners(norm) + composed_projects(norm) + one_project(norm)
                                               + firms_listed_with_firms(norm) + one_firm(norm)])
    for c in cands:
        while c.parts is None and c.kind and ((lead := w.LEAD_VERBS.match(norm, c.start, c.end))
                                              or c.kind == "place" and (lead := w.PLACE_LEAD.match(norm, c.start, c.end))) \
                and c.end - lead.end() >= 2:
            c.start = lead.end()  # 壮大三元 -> 三元, 加快建设崇明线 -> 崇明线
        if c.kind == "project" and c.parts is None and (loc := _LOCATOR.match(norm, c.start, c.end)) \
                and c.end - loc.end() >= 3 and not _generic_works(norm[loc.end():c.end]):
            c.start = loc.end()  # 城北|海拉尔河湿地项目, 主城区|呼伦大街: where the works lies, not its name
        if c.kind == "program" and c.parts is None and (amount := _AMOUNT.match(norm, c.start, c.end)) \
                and c.end - amount.end() >= 4:
            c.start = amount.end()  # 完成3万亩|退耕还林工程: the amount of the year's work, not the programme's name
    cands.sort(key=lambda c: (c.start, -(c.end - c.start), c.priority != 6, c.priority))
    out, seen, open_spans = [], _Seen(), []
    for c in cands:
        open_spans = [k for k in open_spans if k.end > c.start]
        if any(k.end >= c.end and not _may_nest(c, k) and not (c.parts and k.parts) for k in open_spans):
            continue
        open_spans.append(c)
        label = _label(text, c)
        if not c.kind or _excluded(label, c.kind, area, listed=c.priority >= 5, named=c.priority == 6):
            continue
        start, end = _clause_around(norm, c.start, c.end)
        record = {"kind": c.kind, "label": label, "quote": text[start:end], "start": start, "end": end}
        if _seen_before(seen, c.kind, label):
            shorter = seen.matched
            if c.kind == "place" and shorter is not None and shorter in seen.where and len(label) > len(out[seen.where[shorter]]["label"]):
                out[seen.where[shorter]] = record  # 农业发展园区 … 海拉尔农业发展园区: the zone by its full name
            continue
        seen.where[(c.kind, label)] = len(out)
        out.append(record)
    return out


def _label(text: str, c: Candidate) -> str:
    if c.parts is None:
        return text[c.start:c.end]
    return "".join(text[p[0]:p[1]] if isinstance(p, tuple) else p for p in c.parts)


_CLAUSE_EDGE = re.compile(r"[,;。!?\n]")


def _clause_around(norm: str, start: int, end: int, reach: int = 40) -> tuple[int, int]:
    """The clause a mention stands in (between , ; 。 and line breaks), at most `reach` either side."""
    before = _CLAUSE_EDGE.search(norm[max(0, start - reach):start][::-1])
    after = _CLAUSE_EDGE.search(norm, end, end + reach)
    left = start - before.start() if before else max(0, start - reach)
    right = after.start() if after else min(len(norm), end + reach)
    return left + len(norm[left:start]) - len(norm[left:start].lstrip()), right


def _may_nest(inner: Candidate, outer: Candidate) -> bool:
    """A name inside a longer one is dropped, except a place (not in a firm's name) or a project's owner."""
    return inner.kind == "place" and outer.kind in ("place", "project", "program") or (
        inner.kind == "enterprise" and outer.kind in ("project", "program"))


def _excluded(label: str, kind: str, area: str | None, listed: bool = False, named: bool = False) -> bool:
    """Political formulas, generic names, events, and the report's own area (安泽县, 安泽) as a place.
    A member of a list of programs ("防汛抗旱、森林防火等工作") needs no head noun, but four characters."""
    folded = fold(label)
    if folded.strip("“”") in w.FORMULAS or any(folded[i:] in _LONG_FORMULAS for i in range(1, min(5, len(folded)))):
        return True  # (紧密结合)供给侧结构性改革
    quoted = "“" in label or "”" in label
    if kind == "program" and w.NATIONAL_PROGRAMMES.fullmatch(label.strip("“”")):
        return False  # 新农合, 退耕还林还草: named national programmes
    if kind in ("project", "program") and not quoted and (_COUNTED.match(label) or kind == "project" and _GRADED.match(label)):
        return True  # 5项工程, 40个民生保障项目: a count; 自治区级…示范项目: a grade, an honour
    if kind == "program" and not quoted and w.ROUTINE_WORK.fullmatch(label):
        return True  # 安全生产、城市消防、民族宗教等工作: fields of the government's routine work
    if kind == "program" and not quoted and (field := _FIELD_REFORM.fullmatch(label)) and not _REFORM_DOES.search(field.group(1)) \
            and len(field.group(1)) < 10 and not re.search(r"\d+条", label):
        return True  # 教育综合改革, 商事制度改革, 国有企业改革: a field's reform, a kind every government runs;
        # 公共交通一体化改革, 科技成果全部赋权改革, a long name (渐进式延迟法定退休年龄改革) or a package
        # (优化营商环境58条改革) say what the reform does
    if kind == "program" and not quoted and w.WAYS_REFORM.search(label):
        return True  # 养老服务改革: a way of working reformed; 行政审批制度改革, 医保改革 are named reforms
    if kind == "program" and not quoted and (w.PROGRAM_GENERIC_WORDS.fullmatch(label)
                                             or re.search(rf"(?:{w.PARKS})建设$", label)):
        return True  # 城区绿化工程; 中俄蒙合作先导区建设 is the zone's building, the zone is a place
    if kind == "program" and (w.EVENT_END.search(label.strip("“”")) or not quoted and (
            len(label) < 4 or not (listed or w.PROGRAM_HEAD_END.search(label)) or w.PROGRAM_GENERIC_NAME.search(label))):
        return True
    if kind == "project" and not quoted and (
            not (w.PROJECT_HEAD_END.search(label) or _WORKS_END.search(label) or listed and (not w.ACTIVITY_END.search(label) or SIZED.fullmatch(label)))
            or w.PROJECT_GENERIC_NAME.search(label) and not (named and len(label) >= 2 and not w.NUMERALS.search(label))
            and not (listed and _SIZED_NAME.fullmatch(label))):
        return True  # a member of "A、B等项目" needs no works' head (尚品国际), but is no activity (城市绿化);
        # the members of "华汇、地壹街两个地下城" are names however short
    if kind == "project" and not quoted and _generic_works(label):
        return True
    if kind == "enterprise" and _VERB_PHRASE.match(label):
        return True  # 谋划好(大型商贸综合体), 规划好能源, 构建新型能源: a verb, not a firm
    if kind == "enterprise" and (w.ENT_GENERIC.fullmatch(re.sub(f"(?:{w.ENT_LONG})$", "", label))
                                 or re.fullmatch(f"(?:{w.ENT_LONG}|{w.ENT_SHORT})", label)):
        return True  # (提升)跨国公司: a kind of firm
    if kind == "place" and label[-1:] in "市县区省" and (w.LEAD_VERBS.fullmatch(label[:-1])
                                                     or label[:-1].endswith(("公司", "集团", "企业"))):
        return True  # 配合市有关部门, 公司市场: 市 of 市政府 or 市场, not a city
    if kind != "place":
        return False
    if re.search("背街|巷道|周边$", label) or w.GENERIC_PLACE_NAME.fullmatch(label):
        return True  # 市场周边、背街巷道等区域, 完整社区, 零碳园区: kinds of area
    if re.fullmatch(rf"(?:{w.GENERIC_MODIFIER.pattern})*(?:{w.PARKS})", label):
        return True  # 开发区, 工业园区, 省级开发区: a zone's word, no zone's name
    if label[-1:] in "省市县" and not is_division(label) or cut_short(label):
        return True  # 贝尔市 (of 呼伦贝尔市), 示范县: no division of that name
    if not area:
        return False
    base = re.sub("[省市县区]$", "", area) or area
    return (label == area or re.fullmatch(rf"{re.escape(base)}[省市县区]?", label) is not None
            or label in _lineage(area) or re.sub("[省市县区]$", "", label) in _lineage(area))


@lru_cache(maxsize=64)
def _lineage(area: str) -> frozenset[str]:
    """The report's area and its parents, full and short names (海拉尔区: 呼伦贝尔市, 呼伦贝尔, 内蒙古…)."""
    return frozenset(lineage(area))


_VERB_PHRASE = re.compile(r"(?:做|抓|办|管|用|建|搞|干|规划|谋划)好|形成|构建|谋划|规划|培育|打造|创新势")
_FIELD_REFORM = re.compile(r"(.+?)(?:领域)?(?:综合)?(?:制度|体制)?改革")
# what a reform does, which names it (县域医疗卫生一体化改革, 科技成果全部赋权改革, 林地经营权全部流转改革)
_REFORM_DOES = re.compile(r"一体化|全部|赋权|流转|合一|分置|下放|集成|一站式|一窗|一网|一件事|联办|互认|并轨|贯通|试点")
_LOCATOR = re.compile(r"(?:主城区|老城区|新城区|城[东南西北]部?|[东南西北]城区)(?=[\u4e00-\u9fff]{3})")
_AMOUNT = re.compile(r"\d+(?:\.\d+)?万?(?:亩|公里|平方米|平方公里|户|人|株)")
_COUNTED = re.compile(r"\d+[项个条批座所家处]")
_GRADED = re.compile(r"(?:国家|自治区|省|市|县|区)级")
_LONG_FORMULAS = frozenset(f for f in w.FORMULAS if len(f) >= 5)
_LEADING_PLACE = re.compile(rf"^([{CJK}]{{2}})[省市县区](?=[{CJK}]{{2}})")


class _Seen:
    """The entities listed so far, under two kinds of key kept apart: the exact names
    (kind, alias) and the buckets (kind, last four characters of the core) of the cores
    that a fuzzy match compares with.  (One dict holding both once let a name equal to a
    bucket's key read as already listed, and a bucket overwritten by a name crash.)"""

    def __init__(self) -> None:
        self.names: set[tuple[str, str]] = set()
        self.cores: dict[tuple[str, str], list[str]] = {}
        self.labels: dict[tuple[str, str], str] = {}  # (kind, core) -> the label listed under it
        self.where: dict[tuple[str, str], int] = {}  # (kind, label) -> its place in the output
        self.matched: tuple[str, str] | None = None  # what the last name found listed matched


def _seen_before(seen: _Seen, kind: str, label: str) -> bool:
    """Whether label names an entity already listed: 云溪县X is 云溪X, and 云溪县X is X or a typo'd 合X;
    a works written with 项目 or 工程 and without (大唐700万吨露天矿项目, 大唐700万吨露天矿) is one."""
    if kind == "project" and label.endswith(("项目", "工程")) and len(label) >= 6:
        label = label[:-2]
    full = label
    alias, core = _LEADING_PLACE.sub(r"\1", label), _LEADING_PLACE.sub("", label)
    seen.matched = None
    if (kind, alias) in seen.names:
        return True
    bucket = seen.cores.setdefault((kind, core[-4:]), [])
    for other in bucket:
        short, long_ = sorted((core, other), key=len)
        if short == long_ or (len(short) >= 4 and len(long_) - len(short) <= 3 and long_.endswith(short)):
            seen.matched = (kind, seen.labels.get((kind, other), other))
            return True
    seen.names.add((kind, alias))
    seen.labels[(kind, core)] = full
    bucket.append(core)
    return False


# --- names ending in a suffix ------------------------------------------------------

def _across_quote(norm: str, quote_at: int, max_len: int) -> int:
    """Start of a zone name with a quoted part, 石门镇“桃花源”…园区: a town before the quote leads it."""
    if re.fullmatch(rf"[{CJK}]{{2}}[镇乡村县市]", norm[quote_at - 3:quote_at]):
        return quote_at - 3
    return left_start(norm, quote_at, max_len)


def _name_ok(prefix: str, kind: str) -> bool:
    if len(prefix) < 2 or prefix[0] in "全本该各我这此其新" or w.NUMERALS.search(prefix):
        return False
    if kind == "enterprise" and w.ENT_GENERIC.fullmatch(prefix):
        return False  # 跨国公司, 国有控股上市公司: a kind of firm
    return not (kind == "place" and (w.GENERIC_MODIFIER.search(prefix) or prefix.endswith(("化", "示范", "性"))))


_PLACE_IN_SHORT_NAME = re.compile("[省市县区镇乡村]")


def _suffixed(norm: str, kind: str, suffixes: str, max_len: int, priority: int) -> list[Candidate]:
    out = []
    for m in re.finditer(suffixes, norm):
        start = left_start(norm, m.start(), max_len)
        if kind == "place" and norm[start - 1:start] == "”" and "“" in norm[max(0, start - 12):start - 1]:
            start = _across_quote(norm, norm.rindex("“", 0, start - 1), max_len)
        place = _PLACE_IN_SHORT_NAME.search(norm, start, m.start() - 2) if max_len <= 4 else None
        if place:  # 云溪县|宏泰煤业: a short firm name starts after the place written before it
            start = place.end()
        prefix = norm[start:m.start()]
        if m.group() == "科技" and (m.start() - start != 2 or w.SCIENCE_FIELD.search(norm, max(0, m.start() - 2), m.start())
                                   or w.SCIENCE_GOES_ON.match(norm, m.end())):
            continue  # 中网科技, but not 生物科技 or 加强科技创新
        if kind == "enterprise" and re.search(rf"(?:\d|[{w.CN_DIGITS}])[家个所]$", norm[max(0, start - 4):start]):
            continue  # 新建10家平价蔬菜超市: a count of a kind of firm
        if norm[m.end():m.end() + 1] in ("化", "性") or re.search(r"(?:新|清洁|绿色|再生|传统|化石)$", prefix):
            continue
        if kind == "place" and "办事处" in norm[start:m.start()]:
            start = norm.index("办事处", start, m.start()) + 3  # 建设街道办事处|北山农业园区
        if kind == "place" and (inner := list(re.finditer(suffixes, norm[start:m.start()]))) \
                and m.start() - start - inner[-1].end() >= 2:
            start += inner[-1].end()  # 呼伦贝尔经济技术开发区|海拉尔食品产业园: a zone in a zone
        if kind == "place" and (m.group().endswith("区") and norm.startswith("域", m.end()) or norm[start - 1:start] == "等"):
            continue  # 国际合作区域, 风貌保护区域: an area, not a zone; A、B等创新生态示范区: the list's kind, not a name
        if kind == "place" and (norm[start - 1:start] == "的" or norm.startswith("项目", m.end())
                                or norm[m.end():m.end() + 1] == "线"):
            continue  # 通用航空产业园|项目, 上海示范区|线: the project's name, not the zone
        if _name_ok(prefix, kind):
            out.append(Candidate(kind, start, m.end(), priority))
    return out


def _projects_and_programs(norm: str) -> list[Candidate]:
    out = []
    for m in re.finditer(rf"项目|{w.PROGRAMS}", norm):
        start = left_start(norm, m.start(), 30)
        if norm[start - 1:start] == "至" and start - 1 - (a := left_start(norm, start - 1, 8)) >= 2 \
                and (norm[start:m.start()].endswith("段") or _ROUTE_END.search(norm, a, start - 1)):
            start = a  # 中央桥至哈萨尔桥段工程, 青山桥至红旗桥西岸景观改造工程: the works runs from one place to the other
        if norm[start - 2:start] == "党的" and m.group() == "教育实践活动":
            start -= 2  # 党的群众路线教育实践活动: the campaign's name begins with 党的
        prefix, suffix = norm[start:m.start()], m.group()
        if suffix == "试点" and ("级" in prefix or len(prefix) < 4 or not w.RUN_BEFORE.search(norm, max(0, start - 4), start)):
            continue  # 推进|新就业形态人员职业伤害保障试点 is run; 获批国家级服务业标准化试点 is an honour
        if suffix == "计划" and (w.NUMERALS.search(prefix) or "级" in prefix or len(prefix) < 4):
            continue  # 列入国家级科技计划: a kind of plan; 全民参保计划, 全球营运商计划 are named
        # …”工程: a quoted name's head; A、B等体育惠民工程: the kind of a list's members, not a name
        if norm[start - 1:start] in ("”", "等") or norm[m.end():m.end() + 2] in ("开放", "定位") \
                or norm[m.end():m.end() + 1] == "性" or w.PROGRAM_WORD_GOES_ON.match(norm, m.end()):
            continue
        phase = re.match(r"\(.期\)|方案|计划|试点|[一二三四五]期(?!工程|项目)" if suffix == "项目" else r"\(.期\)|方案|计划|试点",
                         norm[m.end():m.end() + 4])  # …改造项目一期
        end = m.end() + (len(phase.group()) if phase else 0)  # …行动方案, …改革试点, …工程(一期)
        project = suffix == "项目" or (suffix == "工程" and (w.CONSTRUCTION.search(norm[start:end])
                                                           or w.BUILT.search(norm, end, end + 8)))
        shortest = 4 if project else 3 if suffix in ("制度", "机制") else 2
        if len(prefix) < shortest or w.PROJECT_GENERIC.fullmatch(prefix) or w.PROGRAM_GENERIC.fullmatch(prefix) \
                or prefix[:1] in "本该各这此其":
            continue
        if project and suffix == "工程" and re.search("(?:主体|土建)$", prefix) \
                and _WORKS_END.search(prefix[:-2]):
            continue  # 东海写字楼|土建工程: the works is the building (read by _works)
        if _COUNT_AFTER.match(norm, end):
            continue  # 下立交积水改善工程52个: a kind of works, counted
        out.append(Candidate("project" if project else "program", start, end, 3))
    return out


_WORKS = re.compile(rf"(?<!中)(?:{w.WORKS_HEAD})(?:改造提升|提升改造|扩能改造|改造复产|改造|扩建续建|扩建|改建|新建|迁建|续建|搬迁入园|搬迁|加固|功能完善)?(?:[一二三四]期)?")
_OWNED = re.compile(rf"[{CJK}]{{2,8}}{MEASURE}(?:/年)?[{CJK}]{{0,6}}")  # 大唐700万吨|露天矿, 红星美凯龙6万平方米|主力店
_WORKS_END = re.compile(rf"(?:{_WORKS.pattern})$")
_WORKS_AFTER = re.compile(r"[、和及与]|的(?:基础设施|配套)|设施|建设|改造|扩建|改建|新建|迁建|提升|开工|建成|完工|竣工|投入|投运|主体|封顶|"
                          r"土建|前期|顺利|全面|基本|年内|一季度|项目|工程|等|完成|投产|达产")


_WORKS_TAIL = re.compile(rf"(?:{w.WORKS_HEAD}|市场|学校|小学|中学|幼儿园|服务中心|服务站|中心|路径|道路)?(?:改造提升|提升改造|改造|扩建|改建|新建|迁建|加固|功能完善|"
                         rf"(?:综合)?整治|建设|治理)?(?:[一二三四]期)?$")


def _generic_works(label: str) -> bool:
    """棚户区改造, 游客服务中心: generic words and a works' head or an improvement, no name."""
    if w.WORKS_GENERIC.fullmatch(label) or (label.endswith(("项目", "工程")) and len(label) > 2
                                            and (w.WORKS_GENERIC.fullmatch(label[:-2]) or _generic_works(label[:-2]))):
        return True  # 次干道路, 棚户区改造项目, 安全饮水工程
    rest = _WORKS_TAIL.sub("", label)
    return rest != label and (not rest and not re.search("期$", label) or bool(rest) and w.WORKS_GENERIC.fullmatch(rest) is not None)


_COUNT_IN = re.compile(rf"(?:\d|[{w.CN_DIGITS}])+[处座条个所项块]")  # 东升路两处|市民公园, 五所|普通中小学: a count, not a name
_ALL_OF = re.compile("全(?:[市县区省镇乡村国面部体年域民社党力]|$)")  # 全市, 全面: not 全季(商务酒店)


def _works(norm: str) -> list[Candidate]:
    """Works named by what is built (东海写字楼, 大商友谊百货商场扩建, 纪念园二期), where the clause
    builds or improves them and the name is more than generic words."""
    out = []
    for m in _WORKS.finditer(norm):
        end = m.end()
        if not _WORKS_AFTER.match(norm, end) and norm[end:end + 1] not in ",;。\n":
            continue  # 广场舞, 公园里: the head is part of a longer word
        if m.group().endswith(("中学", "小学")) and norm.startswith("等", end):
            continue  # 二中、青山小学等校舍: the list's head says what is worked on (read by the list rules)
        start = left_start(norm, m.start(), 16)
        if lead := w.WORKS_LEAD.match(norm, start, m.start()):
            start = lead.end()
        prefix = norm[start:m.start()]
        if len(prefix) < 2 or prefix[:1] in "本该各这此其" or _ALL_OF.match(prefix) or w.NUMERALS.search(prefix) and not _OWNED.fullmatch(prefix) \
                or _COUNT_IN.search(prefix) \
                or w.WORKS_GENERIC.fullmatch(prefix):
            continue
        clause = _clause_around(norm, start, end, reach=60)
        if not w.WORKS_CONTEXT.search(norm, clause[0], clause[1]):
            continue
        out.append(Candidate("project", start, end, 3))
    return out


def _landscapes(norm: str) -> list[Candidate]:
    """Landscape works named by their place: 六二六小河沿河景观建设, 西山生态景观改造 (not 城市景观建设)."""
    out = []
    for m in _LANDSCAPE.finditer(norm):  # the key words first, then the name before them (a scan from each
        if not _CJK_PAIR.fullmatch(norm, max(0, m.start() - 2), m.start()):  # character was 3x slower)
            continue
        start = left_start(norm, m.start(), 8)
        name = norm[start:m.start()]
        if len(name) >= 2 and not w.WORKS_GENERIC.fullmatch(name) and not w.NUMERALS.search(name) \
                and not _ALL_OF.match(name) and name[0] not in "本该各这此其" and w.WORKS_CONTEXT.search(norm, start, m.end()):
            out.append(Candidate("project", start, m.end(), 3))
    return out


_CJK_PAIR = re.compile(rf"[{CJK}]{{2}}")
_LANDSCAPE = re.compile(r"(?:沿河|沿岸|沿线|两岸)?(?:生态)?(?:景观|绿化|亮化)(?:建设|改造提升|提升改造|改造|提升|整治)")


def _national_programmes(norm: str) -> list[Candidate]:
    """Named national programmes written bare (新农合制度, 精准扶贫工作, 退耕还林还草)."""
    return [Candidate("program", m.start(), m.end(), 3) for m in w.NATIONAL_PROGRAMMES.finditer(norm)]


def _road_works(norm: str) -> list[Candidate]:
    """Works on a numbered road (国道241改建, S218改线), a road opened to traffic (机场快速路建成通车),
    and a section of a highway between two places (绥满高速海拉尔至牙克石段)."""
    out = [Candidate("project", m.start(), m.end(), 3) for m in w.ROAD_WORKS.finditer(norm)]
    out += [Candidate("project", m.start(), m.end(), 3) for m in _ELIDED_ROADS.finditer(norm)  # 东、西外环路
            if not _is_cjk(norm[m.start() - 1:m.start()] or " ") or w.STOP_END_RE.search(norm, max(0, m.start() - 4), m.start())]
    for m in _ROAD_OPENED.finditer(norm):
        start = left_start(norm, m.end(), 10)
        if _named_road(norm, start, m.end()):
            out.append(Candidate("project", start, m.end(), 3))
    for m in _ROAD_LIST.finditer(norm):  # 胜利三路、学府路和贝尔大街3条主干道路; 西出口路、根河路等10条城区道路
        pos = m.start(1)
        for i, item in enumerate(re.split("[、和]", m.group(1))):
            start, end = (left_start(norm, pos + len(item), 10) if i == 0 else pos), pos + len(item)
            if lead := _ROAD_LEAD.match(norm, start, end):
                start = lead.end()
            if _named_road(norm, start, end):
                out.append(Candidate("project", start, end, 3))
            pos += len(item) + 1
    for m in _SECTION_END_WORDS.finditer(norm):
        head = _HIGHWAY_BEFORE.search(norm, max(0, m.start() - 14), m.start())
        if head:
            start = left_start(norm, head.start(2), 8)
            if head.start(2) - start >= 2:
                out.append(Candidate("project", start, m.end(), 3))
    return out


# a named road opened, built, improved or started: 机场快速路建成通车, 完成西出口路建设, 确保东外环路按期开工,
# 推进西外环路前期工作
_ROAD_OPENED = re.compile(r"(?:快速路|公路|大道|大街|路)(?=(?:建成|全线|正式|顺利|实现|已|相继)?通车|建设|改造|改扩建|拓宽|"
                          r"(?:按期|全面|正式)?开工|前期|全线贯通|竣工)")
_ROAD_NAME = rf"[{CJK}]{{2,8}}?(?:快速路|大道|大街|路)"
_ROAD_ITEM = rf"[{CJK}]{{2,8}}?(?:快速路|大道|大街|街|路|线)"  # a rail siding may be counted with the roads
_ROAD_LIST = re.compile(rf"((?:{_ROAD_ITEM}[、和]){{1,20}}{_ROAD_ITEM})等?(?:\d+|[{w.CN_DIGITS}]+)条[{CJK}]{{0,4}}?(?:道路|街路|大街|街道|路)")
_ROAD_LEAD = re.compile(r"(?:主城区|老城区|中心城区|城市|城区|市区|对)(?=[\u4e00-\u9fff]{3})")
# roads named by their kind (高速公路建设, 城际铁路, 农村公路): no road's name
_ROAD_KIND = re.compile(r"(?:高速|城际|农村|旅游|干线|国省干线|乡村|县乡|通村|城市|城区|主干|次干|支|快速|环城|外环|内环|"
                        r"资源|产业|扶贫|应急|景区|沿边|边防|国防|铁|公|马|道|街|新)+(?:快速路|公路|大道|大街|路)")


def _named_road(norm: str, start: int, end: int) -> bool:
    label = norm[start:end]
    return bool(_NAMED_ROAD.fullmatch(label)) and not w.NUMERALS.search(label) and not w.WORKS_GENERIC.fullmatch(label) \
        and not _ROAD_KIND.fullmatch(label) and not _generic_works(label)
_NAMED_ROAD = re.compile(rf"[{CJK}]{{2,6}}(?<!道)路|[{CJK}]{{2,6}}(?:快速路|大道|街)")
_SECTION_END_WORDS = re.compile(rf"至[{CJK}]{{2,6}}?段")
_HIGHWAY_BEFORE = re.compile(rf"([{CJK}]{{2,6}}(?:高速公路|高速|铁路|公路))([{CJK}]{{2,6}})$")


def _rail_lines(norm: str) -> list[Candidate]:
    """Metro and rail lines: 13号线东延伸, 18号线二期, and the named lines listed with them (崇明线, 南枫线)."""
    out = [Candidate("project", m.start(), m.end(), 3) for m in w.RAIL_LINE.finditer(norm)]
    for m in w.LINE_EXTENSION.finditer(norm):  # 嘉闵|线北延伸: a name of two to four characters, alone or after a verb
        run = _CJK_RUN_BEFORE.search(norm, max(0, m.start() - 8), m.start())
        n = len(run.group()) if run else 0
        if 2 <= n <= 4 and not re.match(f"[{CJK}]", norm[m.start() - n - 1:m.start() - n] or " "):
            out.append(Candidate("project", m.start() - n, m.end(), 3))
            continue
        for k in (4, 3, 2):
            if k <= n and norm[m.start() - k - 2:m.start() - k] in ("建设", "开工", "推进", "启动", "加快"):
                out.append(Candidate("project", m.start() - k, m.end(), 3))
                break
    for m in _LINE_LIST.finditer(norm):
        if w.RAIL_LINE.search(m.group()):
            pos = m.start()
            for item in m.group().split("、"):
                if not w.RAIL_LINE.fullmatch(item) and re.fullmatch(rf"[{CJK}]{{2,8}}线(?:[东西南北]延伸)?", item):
                    out.append(Candidate("project", pos, pos + len(item), 3))
                pos += len(item) + 1
    return out


_CJK_RUN_BEFORE = re.compile(rf"[{CJK}]+$")
_LINE_LIST = re.compile(rf"(?:[{CJK}\d]{{2,10}}线(?:[东西南北]延伸|[一二三四五六]期)?、)+[{CJK}\d]{{2,10}}线(?:[东西南北]延伸|[一二三四五六]期)?")


def _area_campaigns(norm: str, area: str | None) -> list[Candidate]:
    """健康安泽建设, 平安中国建设: a campaign named after the report's area (or China)."""
    base = re.sub("[省市县区]$", "", area or "") or area
    names = "中国" + (f"|{re.escape(base)}" if base else "")
    pattern = re.compile(rf"(?:{w.AREA_CAMPAIGN})(?:{names})建设")
    return [Candidate("program", m.start(), m.end(), 3) for m in pattern.finditer(norm)]


def _sized_works(norm: str) -> list[Candidate]:
    """A works named by its capacity at a clause's start and then built or started:
    "大唐700万吨露天矿完成核准，400万吨褐煤提质建成投产"."""
    return [Candidate("project", m.start(1), m.end(1), 5) for m in _SIZED_WORKS.finditer(norm)
            if not w.ACTIVITY_END.search(m.group(1)) or m.group(1).endswith(("提质", "改造"))]


_CAPACITY = r"\d+(?:\.\d+)?(?:[×x]\d+(?:\.\d+)?)?万?(?:吨|千瓦|千伏安|千伏|兆瓦)"  # not 亩: 2万亩高标准农田 is an amount
_COUNT_AFTER = re.compile(rf"(?:\d+|[{w.CN_DIGITS}]+)(?:个|项|处|座|条|所|家)")
_SIZED_NAME = re.compile(rf"{_CAPACITY}(?:/年)?[{CJK}]{{2,8}}")
_SIZED_WORKS = re.compile(rf"(?:(?<=[,;。\n])|^)({_CAPACITY}(?:/年)?[{CJK}]{{2,8}}?)(?:项目)?(?=建成投产|竣工投产|正式投产|建成投用|开工建设|"
                          r"投入使用|投入运营|建成运营)", re.M)


def _power_works(norm: str) -> list[Candidate]:
    """A power works named by its owner and capacity, with no 项目 after it: 青山2×30万千瓦发电, 白云5万千瓦风电."""
    out = []
    for m in _POWER.finditer(norm):
        start = left_start(norm, m.start(), 8)
        if lead := w.LEAD_VERBS.match(norm, start, m.start()):
            start = lead.end()
        if 2 <= m.start() - start <= 8 and not w.NUMERALS.search(norm, start, m.start()):
            out.append(Candidate("project", start, m.end(), 5))  # named by its capacity: no works' head needed
    return out


_POWER = re.compile(rf"{_CAPACITY}(?:[{{CJK}}]{{0,2}}?)(?:热电联产|光伏发电|发电|风电|光伏)(?![{CJK}])|{_CAPACITY}(?:热电联产|光伏发电|发电|风电|光伏)(?=[和与及、])"
                    .replace("{CJK}", CJK))


def _works_owners(norm: str) -> list[Candidate]:
    """The firm a works is named after: 万家惠|农贸批发市场, 华润雪花|迁建, 赤阳春|建材生产线 (a bare
    name of two to four characters, no place, kind, trade or building: not 殡仪馆|迁建, 城区|农贸市场)."""
    out = []
    for m in w.FIRM_WORKS.finditer(norm):
        if not (_WORKS_AFTER.match(norm, m.end()) or re.match(r"[一二三四]期|[,;。\n]|$", norm[m.end():m.end() + 2])):
            continue  # 平抑蔬菜市场价格: the market, not a works
        start = left_start(norm, m.start(), 12)
        if lead := w.LEAD_VERBS.match(norm, start, m.start()):
            start = lead.end()  # 确保|万家惠
        name = norm[start:m.start()]
        if 2 <= len(name) <= 4 and _bare_firm_name(name):
            out.append(Candidate("enterprise", start, m.start(), 5))
    return out


def _bare_firm_name(name: str) -> bool:
    return bool(re.fullmatch(f"[{CJK}]+", name)) and name[0] not in "本该各这此其全新" \
        and not re.search(rf"[省市县区镇乡村旗厂馆场站所院校楼]$|^[{w.CN_DIGITS}]+$", name) \
        and not (w.WORKS_GENERIC.fullmatch(name) or w.TRADE.fullmatch(name) or w.ENT_GENERIC.fullmatch(name)
                 or w.ACTIVITY_END.search(name) or w.STOP_RE.search(name) or w.NUMERALS.search(name)
                 or any(is_division(name + s) for s in ("", "市", "县", "区", "旗")))


def _local_banks(norm: str) -> list[Candidate]:
    """A local bank named by its division: 呼伦贝尔农村商业银行, 安泽农商银行 (not 组建农村商业银行)."""
    out = []
    for m in _LOCAL_BANK.finditer(norm):
        for start in range(max(0, m.start() - 8), m.start() - 1):  # the longest division before it
            name = norm[start:m.start()]
            if is_division(name) or any(is_division(name + s) for s in "市县区旗"):
                out.append(Candidate("enterprise", start, m.end(), 1))
                break
    return out


_LOCAL_BANK = re.compile(r"农村商业银行|农商银行|村镇银行|农村信用合作联社|农村信用社|农村合作银行")


# --- quoted names ------------------------------------------------------------------------

_QUOTED = re.compile(r"“([^“”\n]{2,30})”")
_SINGLES = re.compile(r"(?:“[^“”\n]”){2,}")


def quoted_programs(norm: str) -> list[Candidate]:
    """Quoted names are programs (with a head noun written right after them: “双减”政策),
    unless they are honours, events, regions, idioms or speech: then what is inside is hidden."""
    out = []
    quoted = list(_QUOTED.finditer(norm))
    # a run of quoted names joined by 、, 和 or 与 (“先诊疗后付费”和“一站式”服务) is read as one:
    # where one of them stands as a programme, all do
    runs, run = [], []
    for m in quoted:
        if run and not re.fullmatch("[、和与及]?", norm[run[-1].end():m.start()]):
            runs.append(run)
            run = []
        run.append(m)
    runs += [run] if run else []
    built = {m.group(1) for m in quoted if norm.startswith("工程", m.end())
             and re.match(r"项目|建设|[一二三四五六]期", norm[m.end() + 2:m.end() + 4])}
    for run in runs:
        in_context = any(_head_end(norm, m.end()) > m.end() or _programme_context(norm, m)
                         or _QUOTED_HEAD_INSIDE.search(m.group(1)) for m in run)  # “千万工程”经验
        for m in run:
            works = _QUOTE_WORKS.match(norm, m.end())
            if works and len(run) == 1:  # “海悦城”时代广场改建: the quote names the works
                out.append(Candidate("project", m.start(), works.end(), 0))
                continue
            if _not_a_program(norm, m) or not in_context:
                out.append(Candidate("", m.start(1), m.end(1), 0))  # hidden; or a quoted word: “新三样”产品
                continue
            end = _head_end(norm, m.end())
            if norm[m.end():end] == "工程" and m.group(1) in built:
                # “菜篮子”工程项目, “菜篮子”工程建设, “菜篮子”工程一期: works that are built, wherever the
                # report writes them so (抓好“菜篮子”工程 is the same works)
                out.append(Candidate("project", m.start(), end + 2 * norm.startswith("项目", end), 0))
                continue
            out.append(Candidate("program", m.start(), end, 0))
    for m in _SINGLES.finditer(norm):  # “特”“优”战略: one-character names read together
        end = _head_end(norm, m.end())
        if end > m.end():
            out.append(Candidate("program", m.start(), end, 0))
    return out


_QUOTE_WORKS = re.compile(rf"(?!工程|项目|建设)(?:(?![和与及的等])[{CJK}]){{2,8}}?(?:{w.WORKS_HEAD})(?:改造提升|提升改造|改造|扩建|改建|新建|迁建|[一二三四]期)?"
                          rf"(?=[,;。、和及与]|{_WORKS_AFTER.pattern})")


_QUOTED_HEAD_INSIDE = re.compile(rf"[{CJK}]{{2}}(?:工程|行动|计划|战略)$")


def _programme_context(norm: str, m: re.Match) -> bool:
    """Whether a quoted name with no head noun after it stands where a programme
    does: after a verb that runs one (实施, 推进, 围绕…), or before a programme's
    word (建设, 试点, 业务, 发展思路) a few characters on."""
    return bool(w.PROGRAMME_VERB_BEFORE.search(norm, max(0, m.start() - 6), m.start())
                or w.PROGRAMME_WORD_AFTER.match(norm, m.end())
                or m.group(1).endswith("年") and norm.startswith("活动", m.end()))  # “城市建设管理年”活动


def _head_end(norm: str, pos: int) -> int:
    head = w.QUOTED_HEADS.match(norm, pos)
    return head.end() if head else pos


def _not_a_program(norm: str, m: re.Match) -> bool:
    body = m.group(1)
    items = body.split("、")
    return bool(
        w.SPEECH.search(body) or body in w.FORMULAS
        or all(i in w.IDIOMS for i in items) and not w.QUOTED_HEADS.match(norm, m.end())  # “放管服”改革 is run
        or w.HONOUR_NOUN.search(body) or w.REGION_NOUN.search(body)
        or all(i.endswith("化") for i in items) or (len(items) >= 3 and all(len(i) <= 2 for i in items))
        or len(items) >= 2 and not _slogan_programme(norm, m)  # “美丽发展、科学崛起、共享繁荣”: slogans
        or w.HONOUR_BEFORE.search(norm, max(0, m.start() - 8), m.start())
        or w.EVENT_BEFORE.search(norm, max(0, m.start() - 2), m.start())
        or w.HONOUR_AFTER.match(norm[m.end():m.end() + 4])
        or _MODES_AFTER.match(norm, m.end()) or _THING_AFTER.match(norm, m.end())
        or norm.startswith("的", m.end()) and "按照" in norm[max(0, m.start() - 4):m.start()] and len(items) == 1
        or _inside_a_name(norm, m))


# “揭榜挂帅”、“赛马制”等攻关模式: ways of working, not programmes; 按照“城乡统筹”的发展要求: a principle.
_MODES_AFTER = re.compile(r"(?:[、和与及]“[^“”]{1,20}”)*等[\u4e00-\u9fff]{0,4}(?:模式|方式|做法|经验)")
# “农村+”特色产业, “一江一河一带”品质, “沪派江南”风貌: a quoted word that names an industry, a quality or a
# style, not a programme.
_THING_AFTER = re.compile(r"(?:特色)?产业|品质|风貌|形象|气质|韵味")
_RUN_BEFORE = re.compile(r"(?:开展|实施|推行)$")
_REQUIREMENT_AFTER = re.compile(r"的[^,;。“”]{0,6}要求")


def _slogan_programme(norm: str, m: re.Match) -> bool:
    """A quoted list of phrases is a slogan, unless a head noun follows (“A、B”工程), it is run
    (开展“双对接、双服务”) or it is a requirement to carry out (落实“…、…”的重要要求)."""
    return bool(w.QUOTED_HEADS.match(norm, m.end()) or _RUN_BEFORE.search(norm, max(0, m.start() - 2), m.start())
                or _REQUIREMENT_AFTER.match(norm, m.end()))


def _inside_a_name(norm: str, m: re.Match) -> bool:
    """和川“稻渔蟹”绿色农业示范基地: the quote is part of a base's, park's or firm's name."""
    before = norm[m.start() - 1:m.start()]
    return bool(before and re.match(rf"[{CJK}]", before) and not w.STOP_END_RE.search(norm, max(0, m.start() - 4),
                                                                                      m.start())
                and w.NAME_PART_AFTER.match(norm, m.end()))


# --- places --------------------------------------------------------------------------------

def _places(norm: str) -> list[Candidate]:
    out = []
    for m in w.PLACE_SUFFIX.finditer(norm):
        s, suffix = m.start(), m.group()
        nxt = norm[m.end():m.end() + 1] or "\0"
        if nxt in w.PLACE_NEXT_REJECT[suffix] or (len(suffix) == 1 and nxt == suffix):
            continue
        start = _place_start(norm, s, suffix)
        if start is not None and suffix == "社区" and norm[s - 1] in "和与及" and _COMMUNITY_PEOPLE.match(norm, m.end()):
            continue  # 环卫工人和社区干部: 和 joins two kinds of people, no community is named
        if start is not None and not norm.startswith("项目", m.end()):  # 农业片区|项目
            out.append(Candidate("place", start, m.end(), 4))
    return out


_COMMUNITY_PEOPLE = re.compile(r"干部|工作者|工作人员|居民|群众|医生|志愿者|网格员|书记|民警")


def _place_start(norm: str, s: int, suffix: str) -> int | None:
    """Where the name before a place suffix starts: two characters, three or four after a
    clause edge or a verb (鄂尔多斯市), or one for a 庄 after 至, 、 or a clause edge (郭庄)."""
    for n in (4, 3):
        if s - n >= 0 and _longer_ok(norm, s - n, s, clause_start=len(suffix) > 1) \
                and norm[s - 1] not in w.PLACE_BEFORE_REJECT[suffix]:
            return s - n
    if _two_ok(norm[s - 2:s] if s >= 2 else "", suffix):
        return s - 2
    if suffix == "街道办事处" and s >= 2 and all(_is_cjk(ch) and ch not in w.PLACE_PREFIX_REJECT for ch in norm[s - 2:s]):
        return s - 2  # 建设街道办事处: a subdistrict may be named by a common word
    if suffix == "庄" and s >= 1 and _is_cjk(norm[s - 1]) and norm[s - 1] not in w.PLACE_PREFIX_REJECT \
            and (s == 1 or norm[s - 2] in w.ONE_CHAR_BEFORE):
        return s - 1
    return None


def _two_ok(prefix: str, suffix: str) -> bool:
    return (len(prefix) == 2 and _is_cjk(prefix[0]) and _is_cjk(prefix[1])
            and not set(prefix) & w.PLACE_PREFIX_REJECT and prefix[-1] not in w.PLACE_BEFORE_REJECT[suffix]
            and prefix not in w.GENERIC_PLACES and not w.STOP_RE.fullmatch(prefix))


def _longer_ok(norm: str, a: int, s: int, clause_start: bool) -> bool:
    """Whether norm[a:s] is the whole name: it starts after a verb, 、 or an opening mark (or,
    for 片区, 社区, 街道, at a clause's start), and holds no stop word or generic word."""
    name = norm[a:s]
    return (all(_is_cjk(ch) and ch not in w.LONG_NAME_REJECT for ch in name) and _boundary(norm, a, clause_start)
            and not any(len(stop.group()) > 1 or stop.start() == 0 for stop in w.STOP_RE.finditer(name))
            and not any(name[i:i + 2] in w.GENERIC_PLACES for i in range(len(name) - 1))
            and name[0] not in "全本该各我这此其新" + "".join(w.PLACE_PREFIX_REJECT))


def _boundary(norm: str, pos: int, clause_start: bool) -> bool:
    before = norm[pos - 1:pos]
    if before in ("、", "“", "(", "《") or w.STOP_END_RE.search(norm, max(0, pos - 4), pos):
        return True
    return clause_start and (pos == 0 or not _is_cjk(before))


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


_DIVISION_NEXT_REJECT = {"区": "域块间位委政长内级属", "旗": "帜舰下", "州": "府", "盟": "友员约"}


def _divisions(norm: str) -> list[Candidate]:
    """Full names of real divisions (浦东新区, 鄂温克族自治旗), where no ordinary word goes on after them."""
    out = []
    for a, b in find_divisions(norm):
        if b - a == 3 and a and _is_cjk(norm[a - 1]) and norm[a - 1] not in "省市县区州盟旗" \
                and not w.STOP_END_RE.search(norm, max(0, a - 4), a):
            continue  # 新|增城区: a short name inside a word
        nxt = norm[b:b + 1]
        if nxt and nxt in w.PLACE_NEXT_REJECT.get(norm[b - 1], _DIVISION_NEXT_REJECT.get(norm[b - 1], "")):
            continue
        out.append(Candidate("place", a, b, 4))
    return out


def _river_basins(norm: str) -> list[Candidate]:
    """A river's basin is a place: 青山河流域 (not 重点流域, 全流域)."""
    out = []
    for m in _BASIN.finditer(norm):
        start = left_start(norm, m.end() - 2, 8)
        if m.end() - 2 - start >= 2 and norm[start] not in "全本该各我这此其" and not w.NUMERALS.search(norm, start, m.end()):
            out.append(Candidate("place", start, m.end(), 4))
    return out


_BASIN = re.compile(rf"(?<=[{CJK}])[河江湖]流域")


def _offices(norm: str) -> list[Candidate]:
    """A subdistrict office written short, next to a town in a list: 奋斗镇、建设办 (建设街道办事处)."""
    return [Candidate("place", m.start(1), m.end(1), 4) for m in _OFFICE.finditer(norm)]


_OFFICE = re.compile(rf"(?:(?<=[镇乡]、)|(?=[{CJK}]{{2}}办、[{CJK}]{{2,3}}[镇乡](?![{CJK}]{{0,2}}(?:政府|党委))))([{CJK}]{{2}}办)(?![事公法])")
# two roads named by their sides, the rest written once: 东、西外环路 (one works as written)
_ELIDED_ROADS = re.compile(rf"[东西南北]、[东西南北][{CJK}]{{1,5}}?(?:快速路|公路|大道|大街|路)(?=[、和及与,;。\n]|建设|改造|工程|等)")
_ROUTE_END = re.compile(r"(?:桥|村|镇|站|口)$")
_BRIDGES = re.compile(rf"([{CJK}]{{2,4}}桥)至([{CJK}]{{2,4}}?桥)")
_SECTION_END = re.compile(rf"至([{CJK}]{{2,4}}?)段")
_PAIR = re.compile(rf"至(?=[{CJK}]{{1,3}}(?:庄|村|镇|乡))")


def _place_pairs(norm: str) -> list[Candidate]:
    """The start of a route "良马至郭庄": A is a place when B is one; A stands at a name boundary.
    The end of a road's section "海拉尔至牙克石段": B is a place when it is a division's short name."""
    out = []
    for m in _BRIDGES.finditer(norm):  # 青山桥至红旗桥: the bridges that end a section of a river or a road
        for k in (1, 2):
            start = left_start(norm, m.end(k), 6) if k == 1 else m.start(k)
            if m.end(k) - start >= 3 and not w.WORKS_GENERIC.fullmatch(norm[start:m.end(k) - 1]):
                out.append(Candidate("place", start, m.end(k), 4))
    for m in _SECTION_END.finditer(norm):
        name = m.group(1)
        if any(is_division(name + suffix) for suffix in "市县旗区"):
            out.append(Candidate("place", m.start(1), m.end(1), 4))
    for m in _PAIR.finditer(norm):
        for n in (3, 2):
            a = m.start() - n
            name = norm[a:m.start()] if a >= 0 else ""
            if len(name) == n and _longer_ok(norm, a, m.start(), clause_start=True) and name not in w.GENERIC_PLACES:
                out.append(Candidate("place", a, m.start(), 4))
                break
    return out
