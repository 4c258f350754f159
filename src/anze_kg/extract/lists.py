"""List rules behind :mod:`anze_kg.extract.entities`: names read from lists
and names composed from a shared part.

* "A、B等企业", "A、B等3个村", "A、B等地", "A、B等项目": the members of a list
  whose kind the list's head word says.
* "A、B和C等工作", "A和B等服务机制", "A、B等关键抓手": programs.
* "富源1200万吨煤矿项目": 富源 is the enterprise that owns the project.
* "玉华煤业、安鑫煤业智能化矿井建设": one project per enterprise, the shared
  phrase written once ("玉华煤业智能化矿井建设", "安鑫煤业智能化矿井建设").
* "科鑫2800吨/年精蒽、1200吨/年咔唑项目": one project per capacity, the owner
  and the word 项目 written once.

Each rule returns tuples ``(kind, start, end, priority[, parts])`` on the folded
text; ``parts`` is given only for a composed name: the spans (start, end) of the
text and the literal strings it is made of, in order.
"""

from __future__ import annotations

import re
from functools import lru_cache

from anze_kg.extract import words as w

CJK = w.CJK
MAX_ITEMS = 40  # members of a list read at most: bounded repeats keep a run of thousands of 、 linear


@lru_cache(maxsize=None)
def _name_run(max_len: int) -> re.Pattern:
    return re.compile(rf"[{CJK}A-Za-z0-9·/.+×]{{1,{max_len}}}$")


def left_start(norm: str, end: int, max_len: int) -> int:
    """Start of the name that ends at `end`: back over name characters, then past the last stop word."""
    m = _name_run(max_len).search(norm, max(0, end - max_len), end)
    if not m:
        return end
    start = end - len(m.group())
    stops = list(w.STOP_RE.finditer(norm, start, end))
    if len(stops) >= 2 and len(stops[-1].group()) == 1 and end - stops[-1].end() == 1 \
            and stops[-1].start() > stops[-2].end():
        stops.pop()  # 实施了拆炉并|网工程: a one-character stop inside a name leaves one character; the name is 拆炉并网
    if stops:
        return stops[-1].end()
    for cut in w.STOP_RE.finditer(norm, max(0, start - 3), min(end, start + 2)):
        if cut.start() < start < cut.end() and end - cut.end() >= 2:
            return cut.end()  # 完成|古纳河酒业 cut at four characters: the stop across the cut ends the name's left
    return start


# --- lists whose head word gives the kind ---------------------------------------------

# a capacity or a size inside a member: 麦多利10万吨大麦芽二期, 东电2×35万千瓦热电联产, 奋斗镇1万亩节水灌溉,
# 哈克镇7000平方米标准化奶牛养殖
MEASURE = r"\d+(?:\.\d+)?(?:[×x]\d+(?:\.\d+)?)?万?(?:吨|千瓦|千伏安|千伏|兆瓦|亩|平方米)"
_ITEM = rf"[{CJK}](?:[{CJK}]|{MEASURE})"
_SIZE = r"(?:\d+(?:\.\d+)?平方公里)?"  # 2.2平方公里中心文化区: a district's size before its name
_ITEMS = rf"((?:{_SIZE}{_ITEM}{{1,15}}、){{1,{MAX_ITEMS}}}{_SIZE}{_ITEM}{{1,15}}?)"
_LIST_ENTERPRISE = re.compile(rf"{_ITEMS}(?:等|[{w.CN_DIGITS}]+大)(?:为|是)?[^,。;、\n]{{0,12}}?"
                              r"(?:企业|公司|酒店|宾馆|商场|超市|银行|集团|4S店|专卖店|旗舰店)")
_LIST_PLACE = re.compile(rf"{_ITEMS}(?:等地|等?(?:\d+|[{w.CN_DIGITS}]+)个(?:村|镇|乡|社区|街道|[{CJK}]{{0,6}}?(?:产业园|园区))|"
                         r"等(?:重点|核心|老)?(?:区域|地区|商圈|片区|板块|街区|乡镇|镇村)|"
                         rf"等(?:主要|重点|核心|老|[{CJK}]{{2,4}}(?:较差|较多|集中|薄弱)的?)?(?:街道|街路|区域|路段|地段)(?!办))")
_LIST_PROJECT = re.compile(rf"{_ITEMS}等[^,。;、\n]{{0,8}}?(?:项目|工程|基础设施建设|安置房|回迁房|保障房|公共服务设施)")
# "A、B开工建设", "A、B主体封顶": what is built, started or finished is a works.
_LIST_WORKS = re.compile(rf"{_ITEMS}(?:相继|顺利|先后|已|均|全部|全面|基本|陆续){{0,2}}(?:建成并?)?(?:开工建设|主体封顶|主体完工|按期完工|建成投产|建成投用|"
                         r"投入使用|竣工|开工)")


# "A、B两个市民广场": the names of works counted and then named by their kind (read from the count back).
_COUNTED_KIND = re.compile(rf"(?:[两三四五六七八九十]|\d+)(?:个|座|处|条)[{CJK}]{{0,4}}?(?:{w.WORKS_HEAD}|地下城|地下商城|商业街区)")
_COUNTED_ITEM = re.compile(rf"[{CJK}]{{2,12}}")


def counted_works(norm: str) -> list[tuple]:
    """The members of "华汇、地壹街两个地下城" (no 等: 青松岭、红叶岭等5条旅游公路 names no works; no rivers)."""
    out = []
    for m in _COUNTED_KIND.finditer(norm):
        edge = max(norm.rfind(ch, max(0, m.start() - 80), m.start()) for ch in ",;。:!?\n(")
        seg_start = edge + 1 if edge >= 0 else max(0, m.start() - 80)
        items = norm[seg_start:m.start()].split("、")
        if len(items) == 1 and norm[m.start():m.start() + 1] == "两" and items[0].count("和") == 1:
            items = items[0].split("和")  # A和B两处市民公园: two works named, joined by 和
        if len(items) < 2 or len(items) > MAX_ITEMS or "等" in items[-1]:
            continue
        spans, pos = [], seg_start
        for item in items:
            spans.append((pos, pos + len(item)))
            pos += len(item) + 1
        spans[0] = (left_start(norm, spans[0][1], 12), spans[0][1])
        if lead := w.WORKS_LEAD.match(norm, *spans[0]):
            spans[0] = (lead.end(), spans[0][1])  # 完成|哈萨尔大街
        if all(_COUNTED_ITEM.fullmatch(norm, s, e) for s, e in spans):
            out += [("project", s, e, 6) for s, e in spans if not re.search("[河江湖山岛岭]$", norm[s:e])]
    return out



# "时利物流二期等工程", "第五中学改扩建等5项工程": one works named before 等 and a count of works.
_ONE_PROJECT = re.compile(rf"(?<![、{CJK}])([{CJK}][{CJK}\d.]{{1,13}}?)等(?:\d+|[{w.CN_DIGITS}]+)?(?:个|项)?"
                          r"(?:重点|在建|新建|续建|入园|重大)?(?:项目|工程|公共服务设施)")


def one_project(norm: str) -> list[tuple]:
    """The one member of "X等(N个)项目": a works, unless X is a firm (古纳河酒业等22个项目), a kind or an activity."""
    out = []
    for m in _ONE_PROJECT.finditer(norm):
        start = left_start(norm, m.end(1), 14)
        name = norm[start:m.end(1)]
        cut = w.STOP_END_RE.search(norm, max(0, start - 4), start)
        if cut and cut.group() in "向和与及对于为在将把从到至即或据" and re.match(f"[{CJK}]", norm[start - 2:start - 1] or " "):
            continue  # 向|阳幼儿园: a one-character stop that may be a name's first
        if cut and cut.group() == "的" and not re.search(r"(?:\d|万|亿)元的$", norm[max(0, start - 8):start]):
            continue  # 公园、道路的|景观提升等工程: what is done to the things named before 的, not a works
        if len(name) < 4 or w.ENT_END.search(name) or w.ACTIVITY_END.search(name) or w.STOP_RE.fullmatch(name) \
                or re.search("管网改造$|更换$", name) \
                or (w.NUMERALS.search(name) and not _OWNED.fullmatch(name)) or re.search("[的和与及]", name):
            continue
        out.append(("project", start, m.end(1), 5))
    return out


_ZONE_WORK = re.compile(rf"[{CJK}]{{0,4}}(?:保护|治理|修复|整治|绿化|建设|开发)")  # 西山保护区|湿地保护: work on the zone
_ZONE_BEFORE = re.compile(rf"[{CJK}]{{2,10}}?(?:{w.PARKS})(?=[{CJK}]{{2}})")


def list_windows(norm: str) -> list[list[int]]:
    """Stretches of text around 、 where a list can be: the list patterns run only there."""
    spans: list[list[int]] = []
    for m in re.finditer("、", norm):
        a, b = max(0, m.start() - 13), m.end() + 40
        if spans and a <= spans[-1][1]:
            spans[-1][1] = b
        else:
            spans.append([a, b])
    return spans


def listed(norm: str) -> list[tuple]:
    """Members of lists: "A、B等企业" (enterprises), "A、B等3个村" / "A、B等地" (places), "A、B等项目"
    and "A、B开工建设" (projects)."""
    out = []
    windows = list_windows(norm)
    for kind, pattern in (("enterprise", _LIST_ENTERPRISE), ("place", _LIST_PLACE), ("project", _LIST_PROJECT),
                          ("project", _LIST_WORKS)):
        for m in (m for a, b in windows for m in pattern.finditer(norm, a, b)):
            pos, members = m.start(1), []
            for i, item in enumerate(m.group(1).split("、")):  # only the first member can have words before it
                start = left_start(norm, pos + len(item), 14 if kind == "project" else 12) if i == 0 else pos
                if i == 0 and (zone := _ZONE_BEFORE.match(norm, start, pos + len(item))) \
                        and not _ZONE_WORK.fullmatch(norm, zone.end(), pos + len(item)):
                    start = zone.end()  # 中俄蒙国际物流园区|中网科技云计算、蒙拓牧机二期等项目: the zone, then the member
                for s, e in _member_parts(norm, start, pos + len(item), kind):
                    if kind == "project" and (area := _AREA_BEFORE.match(norm, s, e)):
                        s = area.end()  # 2.2平方公里|中心文化区: the size of the district, not its name
                    if kind == "project" and (elided := _ELIDED.match(norm, s, e)):
                        s = elided.end()  # 东风和|红旗社区卫生服务中心: the first name's works is not written whole
                    if kind in ("project", "place") and re.search("[的和]|及|性$", norm[s:e]) and not (
                            kind == "place" and "和" in norm[s:e] and "及" not in norm[s:e]):
                        continue  # 具有全局性、基础性的基础设施建设: a phrase, not a name
                    if 2 <= e - s - _measure_len(norm[s:e]) <= (14 if kind == "project" else 8) and (
                            not w.NUMERALS.search(norm[s:e]) or kind == "project" and _OWNED.fullmatch(norm[s:e])):
                        members.append((s, e))
                pos += len(item) + 1
            out += _member_kinds(norm, kind, members, norm[m.end(1):m.end()])
    return out + counted_works(norm)


_AREA_BEFORE = re.compile(rf"\d+(?:\.\d+)?平方公里(?=[{CJK}]{{3}})")
_ELIDED = re.compile(rf"[{CJK}]{{2,3}}和(?=[{CJK}]{{2,4}}(?:社区|村|镇|街道)[{CJK}]{{2,}})")


def _measure_len(name: str) -> int:
    """How long the size or capacity written inside a name is (7000平方米 counts as one character)."""
    m = re.search(MEASURE, name)
    return len(m.group()) - 1 if m else 0


SIZED = _OWNED = re.compile(rf"[{CJK}]{{2,6}}{MEASURE}(?:/年)?[{CJK}]{{1,8}}")  # 麦多利10万吨大麦芽二期, 建设办事处1万亩设施农业
_WORKS_END = re.compile(rf"(?:{w.WORKS_HEAD}|[一二三四]期|{w.PROJECT_HEAD_END.pattern[:-1]})$")
_BUILT_END = re.compile(r"(?:[一二三四]期|中心|基地|项目|工程|广场|大厦)$")
_BARE_FIRM = re.compile(rf"[{CJK}]{{2,4}}")


# what is done to a city, not a works: utilities (供水, 通讯, 路灯) and a kind improved (棚户区改造, 景观提升)
_KIND_OF_WORKS = re.compile(rf"(?:供水|供电|供热|供气|燃气|通讯|通信|排水|给排水|路灯|电力|网络|城域网|"
                            rf"(?:{w.WORKS_GENERIC.pattern})(?:改造|整治|建设|提升|完善|治理|扩建|新建|新建扩建|基地)?|[{CJK}]{{2,4}}(?:完善|提升))")
_FIRMS_PROJECTS = re.compile(r"等(?:(?!运动|体育|冰雪|健身|活动)[\u4e00-\u9fff]){0,4}项目")


def _member_kinds(norm: str, kind: str, members: list[tuple[int, int]], head: str = "") -> list[tuple]:
    """The kind of each member of a list: a firm list of trades (能源、冶金、化工企业) names none; in a
    firm list, a phase or a building is a project (万豪二期, 包商银行培训中心); a list of projects
    made only of short bare names names their firms (雪花、亘富、万家惠等在建项目)."""
    names = [norm[s:e] for s, e in members]
    if kind == "enterprise" and any(w.TRADE.fullmatch(n) for n in names):
        return []
    firms = [n for n in names if not w.TRADE.fullmatch(n)]
    if kind == "project" and firms and _FIRMS_PROJECTS.fullmatch(head) and all(_BARE_FIRM.fullmatch(n) and not _WORKS_END.search(n)
                                           and not w.ACTIVITY_END.search(n) for n in firms):
        kind = "enterprise"
    if kind == "project" and sum(1 for n in names if _KIND_OF_WORKS.fullmatch(n)) >= 2:
        return []  # 供水、有线电视、路灯等工程, 棚户区改造、景观提升等5项工程: kinds of works, no works named
    out = []
    for (s, e), n in zip(members, names):
        if w.TRADE.fullmatch(n):
            continue  # 蒙西、国安、粮食、时利等物流项目: 粮食 is a trade
        if kind == "project" and len(n) >= 3 and n.endswith("出口"):
            out.append(("place", s, e, 5))  # 新北出口、东山组团绿化等工程: a city's exit is an area worked on
            continue
        out.append(("project" if kind == "enterprise" and _BUILT_END.search(n) else kind, s, e, 5))
    return out


def _member_parts(norm: str, start: int, end: int, kind: str) -> list[tuple[int, int]]:
    """A member's span, cut before 等 (A、B等在建项目: the last member is B) and, in a list of works,
    split at 及 (第三中学分校及标准化中学: two works)."""
    cut = norm.find("等", start, end)
    if cut >= 0:
        end = cut
    k = norm.find("及", start, end) if kind == "project" else -1
    if k - start >= 2 and end - k - 1 >= 2:
        return [(start, k), (k + 1, end)]
    return [(start, end)]


_CLAUSE = re.compile(r"[^,;。:!?\n]+")


def firms_listed_with_firms(norm: str) -> list[tuple]:
    """Bare short names listed with firms are firms: "支持三元乳业、元盛、鼎盛等做大做强" gives 元盛 and 鼎盛
    (two to four characters, no works' head, trade, place or generic word; the last one only before 等)."""
    out = []
    for a, b in list_windows(norm):
        for clause in _CLAUSE.finditer(norm, a, b):
            items, pos = [], clause.start()
            for item in clause.group().split("、"):
                items.append((pos, pos + len(item)))
                pos += len(item) + 1
            if len(items) < 3 or len(items) > MAX_ITEMS:
                continue
            s0, e0 = items[0]
            items[0] = (left_start(norm, e0, 12), e0)
            s, e = items[-1]
            cut = norm.find("等", s, e)
            items[-1] = (s, cut) if cut > s else (s, s)
            names = [norm[s:e] for s, e in items]
            if any(w.TRADE.fullmatch(n) or w.ROUTINE_WORK.fullmatch(n) for n in names) or not any(
                    w.ENT_END.search(n) and 4 <= len(n) <= 10 and not w.SCIENCE_FIELD.search(n[:-2]) for n in names):
                continue  # 能源、建材、制药: trades; 国防科技、国防动员: fields of work
            for (s, e), n in zip(items, names):
                if _BARE_FIRM.fullmatch(n) and not w.ENT_END.search(n) and not _WORKS_END.search(n) \
                        and not w.TRADE.fullmatch(n) and not w.ACTIVITY_END.search(n) and not w.ENT_GENERIC.fullmatch(n) \
                        and not re.search("[省市县区镇乡村旗]$", n) and not w.STOP_RE.search(n):
                    out.append(("enterprise", s, e, 5))
    return out


# "积极引进广东来裕等知名物流企业入驻": one firm named before 等 and a kind of firm.
_ONE_FIRM = re.compile(rf"(?<![、{CJK}])([{CJK}]{{2,8}}?)等(?:[{CJK}]{{0,6}}?)(?:企业|集团|公司)(?!集团|化)")
_ONE_FIRM_LEAD = re.compile(r"引进|扶持|支持|培育|壮大|鼓励|引导|依托|推动|吸引|服务|帮助")


def one_firm(norm: str) -> list[tuple]:
    """The one member of "引进X等知名物流企业", after a verb that brings in or helps a firm; not a trade, a kind,
    a field or a place."""
    out = []
    for m in _ONE_FIRM.finditer(norm):
        start = left_start(norm, m.end(1), 10)
        lead = _ONE_FIRM_LEAD.search(norm, max(0, start - 4), start)
        name = norm[start:m.end(1)]
        if not lead or lead.end() != start or not 2 <= len(name) <= 8:
            continue
        if w.TRADE.fullmatch(name) or w.ENT_GENERIC.fullmatch(name) or w.ACTIVITY_END.search(name) \
                or w.NUMERALS.search(name) or w.STOP_RE.search(name) or w.ROUTINE_WORK.fullmatch(name) \
                or re.search(f"[省市县区镇乡村旗]$|(?:{w.PARKS})$|行业$|领域$|产品$|企业$|业$|加工$", name) or "“" in name:
            continue
        out.append(("enterprise", start, m.end(1), 5))
    return out


# --- lists of programs -------------------------------------------------------------------

_PROGRAM_LIST_END = re.compile(rf"等[^,。;、\n\d{w.CN_DIGITS}]{{0,6}}?(?:{w.LIST_PROGRAM_HEADS})")
_CLAUSE_START = re.compile(r"[,;。:!?\n(][^,;。:!?\n(]*$")
_FIELDS = re.compile("产业|领域|行业|企业|业态")
_EVENTS_HEAD = re.compile("赛事|节庆|会展|展会|比赛")  # A、B等文化体育赛事活动: events
_PROGRAM_ITEM = re.compile(rf"[{CJK}“”]{{2,16}}")


def listed_programs(norm: str) -> list[tuple]:
    """"A、B和C等工作", "A和B等服务机制": each member is a program (two members at least)."""
    out = []
    for m in _PROGRAM_LIST_END.finditer(norm):
        if _FIELDS.search(m.group()) or _EVENTS_HEAD.search(m.group()):
            continue  # "A、B等产业发展政策": A and B are industries, the policies are not named
        a = max(0, m.start() - 60)
        edge = _CLAUSE_START.search(norm, a, m.start())
        spans = _items(norm, edge.start() + 1 if edge else a, m.start())
        if len(spans) < 2 or any(w.EVENT_END.search(norm[s:e]) for s, e in spans):
            continue  # 冰雪欢乐园、花灯节等活动: a list of events
        if any(e - s <= 2 and "“" not in norm[s:e] for s, e in spans[1:]):
            continue  # 城乡居保、失业、工伤等社会保险政策: a member of two characters, the list names fields
        bare = m.group() in ("等机制", "等活动") or re.search("措施|举措", m.group()) is not None  # 选题选人、经费支持等机制
        policy = w.LIST_HEADS_NEED_HEAD.search(m.group()) is not None
        # what "等支持政策" support is no policy (医学创新人才培养、…等支持政策); a policy's name is short
        # (减税降费、金融帮扶等政策, not 支持企业稳岗扩岗、创业带动就业等政策)
        supports = "支持政策" in m.group()  # what is supported is no policy, whatever its head (…重点学科建设)
        longest = 0 if supports else 5 if "政策" in m.group() else 8
        out += [("program", s, e, 5) for s, e in spans if _program_item_ok(norm[s:e])
                and ("“" in norm[s:e] or w.PROGRAM_HEAD_END.search(norm[s:e]) and not supports
                     or not (bare or policy and e - s > longest))]
    return out


def _items(norm: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of the members of norm[start:end]: split at 、, the last one at 和, the first cut after its verb."""
    spans, pos = [], start
    for item in norm[start:end].split("、"):
        spans.append((pos, pos + len(item)))
        pos += len(item) + 1
    s, e = spans[-1]
    k = norm.rfind("和", s, e)
    if k - s >= 3 and e - k - 1 >= 3:
        spans[-1:] = [(s, k), (k + 1, e)]
    s, e = spans[0]
    stop = None
    for stop in w.STOP_RE.finditer(norm, s, e):
        pass
    if stop is not None:
        spans[0] = (stop.end(), e)
    return spans


def _program_item_ok(item: str) -> bool:
    return (_PROGRAM_ITEM.fullmatch(item) is not None and not w.NUMERALS.search(item) and "以及" not in item
            and item.strip("“”") not in w.FORMULAS and item[0] not in "全本该各我这此其等")


# --- owners and composed names -------------------------------------------------------------

_OWNER = re.compile(rf"(?:(?<=[,;。、\n: “])|(?<=推进|实施|启动|确保|完成|建成|推动|加快|引进|支持|开工)|^)"
                    rf"(?!年|新|建|实施|累计|总|合计|全|其中|完成|实现|达到|投资|启动|推进)"
                    rf"([{CJK}]{{2,4}}?)(?=(?:(?:年产|日产|年处理|日处理)[{CJK}]{{0,3}}?)?\d+(?:\.\d+)?(?:[×x*]\d+(?:\.\d+)?)?"
                    rf"万?(?:吨|千瓦|兆瓦|辆|头|只|套)(?:/年)?[^,。;\n]*?(?:项目|露天矿|煤矿|电厂|电站|生产线))", re.M)


def owners(norm: str) -> list[tuple]:
    """The short name of the enterprise that owns a capacity project: "富源|1200万吨煤矿项目",
    "东电|2×35万千瓦热电联产项目", "海乳维久|日处理鲜奶500吨生产加工项目", "大唐|700万吨露天矿";
    and the retailer of an anchor store or a trade complex: "红星美凯龙|主力店", "大商友谊|城市商贸综合体"
    (not a square's or a zone's: 时代广场|城市综合体)."""
    out = [("enterprise", m.start(1), m.end(1), 5) for m in _OWNER.finditer(norm)
           if m.group(1)[-1] not in "量能值额积率数产耗费"]
    for m in _RETAILER.finditer(norm):
        if not re.fullmatch(f"[{CJK}]{{2}}", norm[max(0, m.start() - 2):m.start()]):
            continue
        start = left_start(norm, m.start(), 8)
        if lead := w.LEAD_VERBS.match(norm, start, m.start()):
            start = lead.end()  # 确保|红星美凯龙: not 保红星美凯龙
        name = norm[start:m.start()]
        if 2 <= len(name) <= 6 and not _WORKS_END.search(name) and not re.search(f"(?:{w.PARKS})$", name) \
                and not w.ENT_GENERIC.fullmatch(name) and not w.NUMERALS.search(name) and name[0] not in "各全本该这此其":
            out.append(("enterprise", start, m.start(), 5))
    return out


_RETAILER = re.compile(r"(?:\d+(?:\.\d+)?万?平方米)?(?:主力店|旗舰店|4S店|专卖店|(?:城市|大型)?商贸综合体|城市综合体)")


_ENT_ITEM = rf"[{CJK}]{{2,12}}?(?:{w.ENT_SHORT}|{w.ENT_LONG})"
_ENT_LIST_PHRASE = re.compile(rf"((?:{_ENT_ITEM}、){{1,{MAX_ITEMS}}}{_ENT_ITEM})([{CJK}]{{2,10}}?(?:建设|项目|工程))")
_CAP = r"\d+(?:\.\d+)?万?(?:吨|千瓦|兆瓦)(?:/年)?"
_CAPACITIES = re.compile(rf"(?:(?<=[,;。\n: ])|^)([{CJK}]{{2,3}})((?:{_CAP}[{CJK}]{{1,8}}、){{1,{MAX_ITEMS}}}{_CAP}[{CJK}]{{1,8}}?项目)",
                         re.M)


def composed_projects(norm: str) -> list[tuple]:
    """Projects whose shared part is written once (see the module docstring)."""
    out = []
    for a, b in list_windows(norm):
        for m in _ENT_LIST_PHRASE.finditer(norm, a, b):
            phrase = m.group(2)
            spans = _items(norm, m.start(1), m.end(1))
            if "等" not in phrase and all(w.ENT_END.search(norm[s:e]) for s, e in spans):
                start = spans[0][0]
                out += [("project", start, m.end(), 5, ((s, e), m.span(2))) for s, e in spans]
        for m in _CAPACITIES.finditer(norm, a, b):
            spans = _items(norm, m.start(2), m.end(2) - len("项目"))
            out += [("project", m.start(), m.end(), 5, (m.span(1), span, "项目")) for span in spans]
    return out
