"""Flattened tables behind :mod:`anze_kg.extract.rules`: statistical tables
pasted as text, one cell per line (or per run of spaces, a tab or a |), read as
rows ``label | value+unit | growth%``.  The growth column is recognised by
its header (增长, 增速, 比上年 ...); a prose line ends the table.
"""

from __future__ import annotations

import re

from anze_kg.extract.rules import (
    BASE,
    MAG,
    NUM,
    PER,
    number,
    observation,
    readable,
)
from anze_kg.extract.structure import YearTimeline

_LABEL_RE = re.compile(r"(?:其中:)?(?P<label>[\u4e00-\u9fffA-Za-z()/·]{1,20})")
_CELL_VALUE_RE = re.compile(rf"(?P<num>-?{NUM})(?P<unit>(?:{MAG})?(?:{BASE})?(?:/(?:{PER})|\((?:{BASE})\))?)")
_BARE_RE = re.compile(rf"-?{NUM}")
_GROWTH_HEADER_RE = re.compile(r"增长|增速|增幅|比上年|较上年")
_PROSE_RE = re.compile(r"[,;。!?]")
_CELL = re.compile(r"[^\s|]+")  # cells are split by whitespace and by | (｜ is folded to |): | 指标 | 绝对数 |


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
        cells.extend((line.start() + c.start(), line.start() + c.end()) for c in _CELL.finditer(body))
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
                               years.at(start), growth_pct=number(norm[growth[0]:growth[1]]) if growth else None,
                               value_text=text[value.start("num"):value.end("num")]))
        consumed.append(_widened(norm, cell[0], end))
        i += 3 if growth else 2
    return out, consumed


def _row(norm: str, cells: list, i: int, growth_col: bool):
    nxt = cells[i + 1] if i + 1 < len(cells) else None
    label = _LABEL_RE.fullmatch(norm, *cells[i])
    value = _CELL_VALUE_RE.fullmatch(norm, *nxt) if nxt else None
    if label is None or value is None or _GROWTH_HEADER_RE.search(label.group()) \
            or not readable(value.group("num")):
        return None
    third = cells[i + 2] if i + 2 < len(cells) else None
    growth = third if growth_col and third and _BARE_RE.fullmatch(norm, *third) \
        and readable(norm[third[0]:third[1]]) else None
    return label, value, growth


def _widened(norm: str, start: int, end: int) -> tuple[int, int]:
    """A row's span with the | and blanks around it (| 地区生产总值 | 121.6亿元 | 12.6 |): not read again as prose."""
    while start > 0 and norm[start - 1] in " \t|":
        start -= 1
    while end < len(norm) and norm[end] in " \t|":
        end += 1
    return start, end
