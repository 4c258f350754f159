"""China's administrative divisions down to county level, for the place rules of
:mod:`anze_kg.extract.entities`.

The list (``divisions.tsv``: adcode and name, 3,200 provinces, cities and
counties) is the one the package cpca ships (MIT licence), copied rather than
imported: cpca needs pandas and pyahocorasick, and three columns of it are all
the drafter uses.  It answers three questions:

* the report's own area and its parents (海拉尔区 -> 呼伦贝尔市, 内蒙古自治区),
  by full and short name (呼伦贝尔, 内蒙古): never a new entity of the report;
* whether a name ending in 省, 市 or 县 is a real division (鄂尔多斯市), or one
  cut short (贝尔市 of 呼伦贝尔市) or no place at all;
* where a full division name of three characters or more is written
  (浦东新区, 鄂温克族自治旗): a place.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

_FILE = Path(__file__).with_name("divisions.tsv")
_NATIONS = ("蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 拉祜 水 东乡 纳西 "
            "景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 "
            "保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺 各").split()
_AUTONOMOUS = re.compile(rf"(?:(?:{'|'.join(sorted(_NATIONS, key=len, reverse=True))})族)*自治(?:区|州|县|旗)$")
_SUFFIX = re.compile(r"(?:特别行政区|地区|新区|林区|矿区|省|市|县|区|旗|盟)$")
# Full names that are also ordinary words of a report (新城区 "the new town", 城关区, 开发区): not
# looked for in the text, though a name written with its city (兰州市城关区) is still checked.
_COMMON = {"新城区", "老城区", "城中区", "城东区", "城西区", "城南区", "城北区", "城关区", "市中区", "新市区", "平安区",
           "解放区", "和平区", "友好区", "前进区", "向阳区", "红旗区", "振兴区", "新兴区", "工农区", "太平区", "新华区",
           "东风区", "红星区", "长安区", "江南区", "江北区", "河东区", "河西区", "河北区", "高新区", "开发区", "东山区",
           "西山区", "青山区", "南山区", "北山区", "宝山区", "金山区", "黄山区", "龙山区", "平山区", "中山区", "新建区",
           "海南区", "西市区", "古城区", "城厢区", "郊区", "新区", "平桥区", "河口区", "铁山区", "山城区", "龙华区",
           "大同区", "大安区", "安宁区", "永定区", "三元区", "鼓楼区", "钟楼区", "望城区", "新县", "南县", "城区", "矿区"}


@lru_cache(maxsize=1)
def _table() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """name -> adcodes (6 digits), and short name -> full names."""
    by_name: dict[str, set[str]] = {}
    for line in _FILE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            code, name = line.split("\t")
            by_name.setdefault(name, set()).add(code)
    shorts: dict[str, set[str]] = {}
    for name in by_name:
        shorts.setdefault(short_name(name), set()).add(name)
    return by_name, shorts


def short_name(name: str) -> str:
    """内蒙古自治区 -> 内蒙古, 呼伦贝尔市 -> 呼伦贝尔, 鄂温克族自治旗 -> 鄂温克; a name of two
    characters keeps its suffix (沙县)."""
    cut = _AUTONOMOUS.sub("", name)
    if len(cut) < 2:  # the nation is the name: 鄂温克族自治旗
        cut = re.sub("族?自治[区州县旗]$", "", name)
    if cut == name:
        cut = _SUFFIX.sub("", name)
    return cut if len(cut) >= 2 else name


def lineage(area: str | None) -> set[str]:
    """The area and its parents (city, province), full and short names; empty when the area is unknown."""
    if not area:
        return set()
    by_name, shorts = _table()
    full = {area} if area in by_name else shorts.get(short_name(area), set())
    codes = {c for name in full for c in by_name[name]}
    parents = {p for c in codes for p in (c[:2] + "0000", c[:4] + "00", c)}
    names = {name for name, cs in by_name.items() if cs & parents}
    return names | {short_name(n) for n in names}


def is_division(name: str) -> bool:
    """A real division: its full name, or its short name with another suffix (屯留县, now 屯留区)."""
    by_name, shorts = _table()
    return name in by_name or (short_name(name) != name and short_name(name) in shorts)


def cut_short(name: str) -> bool:
    """Whether name is the end of a longer division's name and no division itself (贝尔市)."""
    return not is_division(name) and name in _endings()


@lru_cache(maxsize=1)
def _endings() -> frozenset[str]:
    by_name, _ = _table()
    return frozenset(n[i:] for n in by_name for i in range(1, len(n) - 1))


@lru_cache(maxsize=1)
def _searchable() -> tuple[frozenset[str], tuple[int, ...], re.Pattern]:
    """The full names looked for in a text, their lengths (longest first) and their last characters."""
    by_name, _ = _table()
    names = frozenset(n for n in by_name if len(n) >= 3 and n not in _COMMON)
    lengths = tuple(sorted({len(n) for n in names}, reverse=True))
    return names, lengths, re.compile("[" + "".join(sorted({n[-1] for n in names})) + "]")


def find_divisions(norm: str) -> list[tuple[int, int]]:
    """Spans of the full division names (three characters or more) written in norm, the longest
    where two overlap, in text order."""
    names, lengths, last = _searchable()
    hits = []
    for m in last.finditer(norm):
        end = m.end()
        for n in lengths:
            if end - n >= 0 and norm[end - n:end] in names:
                hits.append((end - n, end))
                break
    out: list[tuple[int, int]] = []
    for a, b in sorted(hits, key=lambda h: (h[0], -(h[1] - h[0]))):
        if not out or a >= out[-1][1]:
            out.append((a, b))
    return out
