"""Score the drafter on hand-annotated windows of full-length reports, read whole.

Usage (from the repository root):

    .venv/bin/python benchmarks/extract_windows.py [WINDOWS_DIR] [--full-dir DIR] [--json] [--details]

Each ``WINDOWS_DIR/*.gold.json`` (default benchmarks/windows/, see its README)
names a full report (``text``: a path in this repository, or
``corpus-full/NAME`` read from --full-dir, default ../shared/corpus-full), the
report's ``area`` and a window of it (``window_start`` .. ``window_end``, exact
strings).  The whole report is extracted as ``anze-kg extract`` does (its area,
the year from its title), so the years come from the document's structure and
not from the window; then only what falls in the window is scored:

* observations whose quote starts inside the window, against the window's
  gold records, with the pairing and the rules of benchmarks/extract_eval.py
  (value, unit and growth must agree);
* of the correct pairs, ``years``: the predicted year (or period "2011-2015")
  equals the gold year, and ``targets``: the predicted target flag equals the
  gold ``status`` ("target" / "actual");
* entities: the document's predicted (kind, label) pairs whose label (or
  a project's normalised form: 大唐700万吨露天矿 of 大唐700万吨露天矿项目) is
  written inside the window, against the window's gold lists (normalised as
  in extract_eval).

A window marked ``"entities_only": true`` was annotated for its entities alone: its
observations are not scored (they count neither as predicted nor as gold).

A window whose text is missing is reported as skipped, not scored.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from extract_eval import (  # noqa: E402
    GOLD_KINDS,
    _details,
    _entity_counts,
    _prf,
    _spans,
    _totals,
    _width,
    norm_label,
    pair_observations,
)

from anze_kg.errors import AnzeKGError  # noqa: E402
from anze_kg.extract.draft_meta import read_meta, resolve_year  # noqa: E402
from anze_kg.extract.extraction import extract_text, read_report_text  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    golds = sorted(args.windows.glob("*.gold.json"))
    if not golds:
        print(f"extract_windows: no *.gold.json files in {args.windows}", file=sys.stderr)
        return 2
    scored, skipped = [], {}
    try:
        for path in golds:
            gold = json.loads(path.read_text(encoding="utf-8"))
            text_path = _text_path(gold["text"], args.full_dir)
            if not text_path.is_file():
                skipped[gold["doc"]] = f"no text {text_path}"
                continue
            scored.append(score_window(gold, read_report_text(text_path)))
    except (AnzeKGError, OSError, ValueError, KeyError) as e:
        print(f"extract_windows: {e}", file=sys.stderr)
        return 2
    if not scored:
        print(f"extract_windows: every window skipped: {skipped}", file=sys.stderr)
        return 2
    result = {"windows": {w["doc"]: w["counts"] for w in scored}, "skipped": skipped,
              "totals": _totals([w["counts"] for w in scored]),
              "characters": sum(w["characters"] for w in scored)}
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
    else:
        print(render(result))
        if args.details:
            print("\n".join(line for w in scored for line in w["details"]))
    return 0


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("windows", nargs="?", type=Path, default=ROOT / "benchmarks" / "windows")
    p.add_argument("--full-dir", type=Path, default=ROOT.parent / "shared" / "corpus-full")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    p.add_argument("--details", action="store_true", help="list misses, false hits and wrong years")
    return p


def _text_path(name: str, full_dir: Path) -> Path:
    if name.startswith("corpus-full/"):
        return full_dir / name.removeprefix("corpus-full/")
    return ROOT / name


def _window(text: str, gold: dict) -> tuple[int, int]:
    first, last = gold["window_start"], gold["window_end"]
    if text.count(first) != 1 or text.count(last) != 1:
        raise ValueError(f"{gold['doc']}: window_start / window_end must each occur once in the text")
    a, b = text.index(first), text.index(last) + len(last)
    if b <= a:
        raise ValueError(f"{gold['doc']}: the window ends before it starts")
    return a, b


def score_window(gold: dict, text: str) -> dict:
    """Counts and details of one window (the whole text extracted, the window scored)."""
    a, b = _window(text, gold)
    meta = read_meta(text)
    got = extract_text(text, year=resolve_year(None, meta.title or "", text), area=gold["area"])
    window = text[a:b]
    gold_obs = []
    for g in gold["indicators"]:
        spans = [(s, e) for s, e in _spans(text, g["quote"]) if a <= s < b]
        if not spans:
            raise ValueError(f"{gold['doc']}: quote {g['quote']!r} is not in the window")
        gold_obs.append(dict(g, spans=spans))
    pred_obs = [dict(o, spans=[(o["start"], o["end"])]) for o in got.to_json_dict()["observations"]
                if a <= o["start"] < b and not gold.get("entities_only")]
    pairs = pair_observations(pred_obs, gold_obs)
    right = [(pred_obs[i], gold_obs[j]) for i, j, ok in pairs if ok]
    years_right = [(p, g) for p, g in right if str(p["year"]) == str(g.get("year"))]
    targets_right = [(p, g) for p, g in right if p["target"] == (g.get("status") == "target")]
    gold_ents = {(GOLD_KINDS[cat], label) for cat in GOLD_KINDS for label in gold.get(cat, [])}
    pred_ents = {(e.kind, e.label) for e in got.entities
                 if e.label and (e.label in window or e.kind == "project" and norm_label(e.kind, e.label) in window)}
    counts = {"observations": _prf(len(pred_obs), len(gold_obs), sum(ok for _, _, ok in pairs)),
              "years": _prf(len(right), len(right), len(years_right)),
              "targets": _prf(len(right), len(right), len(targets_right))}
    counts.update(_entity_counts(pred_ents, gold_ents))
    details = _details(gold["doc"], pred_obs, gold_obs, pairs, pred_ents, gold_ents)
    details += [f"  year   {p['quote']!r}: got {p['year']}, gold {g.get('year')}" for p, g in right
                if (p, g) not in years_right]
    details += [f"  target {p['quote']!r}: got {p['target']}, gold {g.get('status')}" for p, g in right
                if (p, g) not in targets_right]
    return {"doc": gold["doc"], "counts": counts, "details": details, "characters": b - a}


def render(result: dict) -> str:
    rows = [("window", "category", "gold", "pred", "right", "P", "R")]
    for doc, counts in [*result["windows"].items(), ("ALL", result["totals"])]:
        for cat, c in counts.items():
            if cat in ("years", "targets"):
                rows.append((doc, cat, "", c["predicted"], c["correct"], _pct(c["precision"]), ""))
            else:
                rows.append((doc, cat, c["gold"], c["predicted"], c["correct"], _pct(c["precision"]),
                             _pct(c["recall"])))
    widths = [max(_width(str(r[k])) for r in rows) for k in range(len(rows[0]))]
    lines = ["  ".join(str(v) + " " * (w - _width(str(v))) for v, w in zip(r, widths)).rstrip() for r in rows]
    lines.append(f"{result['characters']} characters in {len(result['windows'])} windows"
                 + "".join(f"; skipped {d}: {why}" for d, why in result["skipped"].items()))
    lines.append("years / targets: of the correct observations, the share whose year / target flag is right")
    return "\n".join(lines)


def _pct(x) -> str:
    return "-" if x is None else f"{x:.3f}"


if __name__ == "__main__":
    sys.exit(main())
