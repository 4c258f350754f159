"""A chart of one indicator's series (the rows of the ``indicator-series``
query): its level year by year, the growth rates on a second axis, and the
targets as open markers beside what was achieved.

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


def write_chart(rows: list[dict], path: Path, title: str | None = None) -> Path:
    """The chart of ``rows`` written to ``path`` (.svg or .png), atomically."""
    write_files({path: series_chart(rows, path.suffix.lower().lstrip("."), title)})
    return path
