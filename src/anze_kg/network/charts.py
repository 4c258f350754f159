"""Charts of the figures: one indicator's series (the rows of the
``indicator-series`` query): its level year by year, the growth rates on a
second axis, and the targets as open markers beside what was achieved; one
report's growth rates as bars (``report-figures``); one indicator across
areas, each area's latest actual year (``indicator-by-area``).

Levels are drawn in the unit the reports write most often (亿元, 万元, 元 …),
converted from each figure's value in base units, so a year written in 万元
and another in 亿元 lie on one scale.  A year stated by two reports (a
revision) shows each figure; the line runs through the last report's.
Chinese labels need a CJK font for PNG, as the network figures do
(:func:`anze_kg.network.pictures.cjk_family`); SVG keeps text as text.
"""

from __future__ import annotations

import io
import warnings
from collections import Counter
from decimal import Decimal
from pathlib import Path

from anze_kg.errors import NotFoundError, UsageError
from anze_kg.files import write_files
from anze_kg.network.pictures import CJK_FAMILIES, _matplotlib, cjk_family


def _num(value) -> float | None:
    if value is None:
        return None
    try:
        return float(Decimal(str(value)))
    except ArithmeticError:
        return None


def series_points(rows: list[dict]) -> dict:
    """What the chart draws, as plain data: the display unit, and per kind
    (``level``, ``growth``, ``target_level``, ``target_growth``) the points
    (year, value, report), each year's last report first in the line."""
    if not rows:
        raise NotFoundError("the series is empty: no figure of that indicator for that area",
                            hint="check the names with: anze-kg query indicator-series -p indicator=ID -p area=ID")
    written = [(r["unit"], _num(r["value"]), _num(r["normalized"])) for r in rows
               if r.get("unit") and _num(r.get("value")) and _num(r.get("normalized"))]
    unit, scale = None, 1.0
    if written:
        unit = Counter(u for u, _, _ in written).most_common(1)[0][0]
        value, normalized = next((v, n) for u, v, n in written if u == unit)
        scale = normalized / value
    points: dict[str, list[tuple[int, float, str]]] = {"level": [], "growth": [], "target_level": [],
                                                      "target_growth": []}
    for r in rows:
        year = int(str(r["period"])[:4])
        prefix = "target_" if r.get("is_target") in (True, "true") else ""
        normalized = _num(r.get("normalized"))
        if normalized is not None and unit is not None:
            points[prefix + "level"].append((year, normalized / scale, r["report_id"]))
        elif _num(r.get("value")) is not None and not r.get("unit"):
            points[prefix + "level"].append((year, _num(r["value"]), r["report_id"]))
        if _num(r.get("growth")) is not None:
            points[prefix + "growth"].append((year, _num(r["growth"]), r["report_id"]))
    return {"unit": unit or "", "points": {k: sorted(v) for k, v in points.items()},
            "indicator_zh": rows[0].get("indicator_zh") or "", "indicator_en": rows[0].get("indicator_en") or "",
            "area_zh": rows[0].get("area_zh") or ""}


def _line(points: list[tuple[int, float, str]]) -> tuple[list[int], list[float]]:
    """One value per year: the last report's (points are sorted by year, value, report)."""
    last: dict[int, tuple[str, float]] = {}
    for year, value, report in points:
        if year not in last or report >= last[year][0]:
            last[year] = (report, value)
    years = sorted(last)
    return years, [last[y][1] for y in years]


def series_chart(rows: list[dict], fmt: str, title: str | None = None) -> bytes:
    """An SVG or PNG chart of the series ``rows``."""
    if fmt not in ("svg", "png"):
        raise UsageError(f"a chart is .svg or .png, not .{fmt}")
    data = series_points(rows)
    matplotlib = _matplotlib()
    family = cjk_family(required=fmt == "png")
    settings = {"svg.fonttype": "none", "svg.hashsalt": "anze-kg",
                "font.family": [*([family] if family else CJK_FAMILIES), "DejaVu Sans"]}
    # Deferred: matplotlib is optional (see _matplotlib).
    from matplotlib.figure import Figure

    with matplotlib.rc_context(settings), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # missing-glyph warnings when no CJK font measures an SVG's text
        fig = Figure(figsize=(10, 5.5))
        ax = fig.add_axes((0.08, 0.12, 0.8, 0.74))
        p = data["points"]
        years = sorted({y for kind in p.values() for y, _, _ in kind})
        if p["level"]:
            xs, ys = _line(p["level"])
            ax.plot(xs, ys, marker="o", color="#1f6feb", label=f"水平 level ({data['unit']})", zorder=3)
            for x, y in zip(xs, ys):
                ax.annotate(f"{y:g}", (x, y), xytext=(0, 7), textcoords="offset points", ha="center", fontsize=8)
            stated = [(y, v) for y, v, _ in p["level"]]
            ax.scatter([y for y, _ in stated], [v for _, v in stated], s=14, color="#1f6feb", zorder=2)
        if p["target_level"]:
            ax.scatter([y for y, _, _ in p["target_level"]], [v for _, v, _ in p["target_level"]], s=60,
                       facecolors="none", edgecolors="#1f6feb", label="水平目标 level target", zorder=3)
        ax.set_ylabel(data["unit"] or "value")
        ax.set_xticks(years)
        ax.grid(axis="y", alpha=0.3)
        if p["growth"] or p["target_growth"]:
            ax2 = ax.twinx()
            if p["growth"]:
                xs, ys = _line(p["growth"])
                ax2.plot(xs, ys, marker="s", linestyle="--", color="#cf222e", label="增长 growth (%)")
            if p["target_growth"]:
                ax2.scatter([y for y, _, _ in p["target_growth"]], [v for _, v, _ in p["target_growth"]], s=60,
                            marker="s", facecolors="none", edgecolors="#cf222e", label="增长目标 growth target (%)")
            ax2.set_ylabel("%")
            handles = ax.get_legend_handles_labels()[0] + ax2.get_legend_handles_labels()[0]
        else:
            handles = ax.get_legend_handles_labels()[0]
        if handles:
            fig.legend(handles=handles, loc="lower center", ncol=4, fontsize=8, frameon=False)
        fig.suptitle(title or f"{data['area_zh']} {data['indicator_zh']} | {data['indicator_en']}", fontsize=13)
        buffer = io.BytesIO()
        fig.savefig(buffer, format=fmt, dpi=150, metadata={"Date": None} if fmt == "svg" else {"Software": None})
    return buffer.getvalue()


def _render(fmt: str, draw) -> bytes:
    """``draw(Figure)`` -> a matplotlib figure, saved as SVG (text kept as text) or PNG."""
    if fmt not in ("svg", "png"):
        raise UsageError(f"a chart is .svg or .png, not .{fmt}")
    matplotlib = _matplotlib()
    family = cjk_family(required=fmt == "png")
    settings = {"svg.fonttype": "none", "svg.hashsalt": "anze-kg",
                "font.family": [*([family] if family else CJK_FAMILIES), "DejaVu Sans"]}
    # Deferred: matplotlib is optional (see _matplotlib).
    from matplotlib.figure import Figure

    with matplotlib.rc_context(settings), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # missing-glyph warnings when no CJK font measures an SVG's text
        fig = draw(Figure)
        buffer = io.BytesIO()
        fig.savefig(buffer, format=fmt, dpi=150, metadata={"Date": None} if fmt == "svg" else {"Software": None})
    return buffer.getvalue()


def report_bars(rows: list[dict]) -> list[tuple[str, float, str]]:
    """The bars of a report chart: (label, growth %, level as written) for each
    actual figure with a growth rate, fastest first; targets are left out."""
    bars = []
    for r in rows:
        growth = _num(r.get("growth"))
        if growth is None or r.get("is_target") in (True, "true"):
            continue
        where = f"{r.get('area_zh') or ''} " if r.get("area_zh") else ""
        level = f"{r['value']}{r.get('unit') or ''}" if r.get("value") is not None else ""
        bars.append((f"{where}{r.get('indicator_zh') or ''} {r.get('period')}", growth, level))
    if not bars:
        raise NotFoundError("the report states no growth rate of an actual figure",
                            hint="list its figures with: anze-kg query report-figures -p report_id=ID")
    return sorted(bars, key=lambda b: (-b[1], b[0]))


def report_chart(rows: list[dict], fmt: str, title: str | None = None) -> bytes:
    """Bars of one report's growth rates (the rows of ``report-figures``), each with its level."""
    bars = report_bars(rows)
    report = rows[0].get("report_id", "")

    def draw(Figure):
        fig = Figure(figsize=(10, max(3.0, 0.32 * len(bars) + 1.4)))
        ax = fig.add_axes((0.42, 0.06, 0.5, 0.86))
        ys = list(range(len(bars)))[::-1]
        values = [b[1] for b in bars]
        ax.barh(ys, values, color=["#1f6feb" if v >= 0 else "#cf222e" for v in values], height=0.7)
        ax.set_yticks(ys, [b[0] for b in bars], fontsize=8)
        ax.axvline(0, color="#57606a", linewidth=0.8)
        for y, (_, v, level) in zip(ys, bars):
            ax.annotate(f"{v:g}%" + (f"  ({level})" if level else ""), (v, y), xytext=(3 if v >= 0 else -3, 0),
                        textcoords="offset points", va="center", ha="left" if v >= 0 else "right", fontsize=7)
        ax.set_xlabel("增长 growth on the year before (%)")
        ax.grid(axis="x", alpha=0.3)
        ax.margins(x=0.25)
        fig.suptitle(title or f"{report}: 增长率 growth rates ({len(bars)} figures)", fontsize=12)
        return fig
    return _render(fmt, draw)


def compare_bars(rows: list[dict]) -> dict:
    """Each area's latest actual figure of one indicator (the rows of
    ``indicator-by-area``), in the unit written most often: the last report's
    figure of the latest year; targets are left out."""
    latest: dict[str, tuple[int, str, dict]] = {}
    for r in rows:
        if r.get("is_target") in (True, "true") or _num(r.get("normalized")) is None:
            continue
        year, area = int(str(r["period"])[:4]), r.get("area_zh") or str(r.get("area"))
        if area not in latest or (year, r["report_id"]) >= latest[area][:2]:
            latest[area] = (year, r["report_id"], r)
    if not latest:
        raise NotFoundError("no area has an actual figure of that indicator in base units",
                            hint="see its figures with: anze-kg query indicator-by-area -p indicator=ID")
    chosen = [r for _, _, r in latest.values()]
    unit = Counter(r["unit"] for r in chosen if r.get("unit")).most_common(1)[0][0]
    example = next(r for r in chosen if r.get("unit") == unit)
    scale = _num(example["normalized"]) / _num(example["value"])
    bars = sorted(((area, _num(r["normalized"]) / scale, int(str(r["period"])[:4]), _num(r.get("growth")),
                    r["report_id"]) for area, (_, _, r) in latest.items()), key=lambda b: (-b[1], b[0]))
    return {"unit": unit, "bars": bars, "indicator_zh": rows[0].get("indicator_zh") or "",
            "indicator_en": rows[0].get("indicator_en") or ""}


def compare_chart(rows: list[dict], fmt: str, title: str | None = None) -> bytes:
    """Bars of one indicator across areas, each area's latest year, with its growth."""
    data = compare_bars(rows)
    bars = data["bars"]

    def draw(Figure):
        fig = Figure(figsize=(max(6.0, 1.3 * len(bars) + 2), 5.5))
        ax = fig.add_axes((0.1, 0.16, 0.85, 0.72))
        xs = list(range(len(bars)))
        ax.bar(xs, [b[1] for b in bars], color="#1f6feb", width=0.6)
        ax.set_xticks(xs, [f"{b[0]}\n{b[2]}" for b in bars], fontsize=9)
        for x, (_, value, _, growth, _) in zip(xs, bars):
            ax.annotate(f"{value:g}" + (f"\n+{growth:g}%" if growth is not None and growth >= 0
                                        else f"\n{growth:g}%" if growth is not None else ""),
                        (x, value), xytext=(0, 3), textcoords="offset points", ha="center", va="bottom", fontsize=8)
        ax.set_ylabel(data["unit"])
        ax.margins(y=0.18)
        ax.grid(axis="y", alpha=0.3)
        fig.suptitle(title or f"{data['indicator_zh']} | {data['indicator_en']}: 各地最新一年 latest year by area",
                     fontsize=12)
        return fig
    return _render(fmt, draw)


def write_chart(rows: list[dict], path: Path, title: str | None = None, kind: str = "series") -> Path:
    """The chart of ``rows`` written to ``path`` (.svg or .png), atomically: ``series``
    (indicator-series), ``report`` (report-figures) or ``compare`` (indicator-by-area)."""
    draw = {"series": series_chart, "report": report_chart, "compare": compare_chart}[kind]
    write_files({path: draw(rows, path.suffix.lower().lstrip("."), title)})
    return path
