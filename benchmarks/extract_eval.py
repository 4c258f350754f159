"""Score the rule-based drafter (anze_kg.extract.extraction) against hand-made annotations.

Usage (from the repository root):

    .venv/bin/python benchmarks/extract_eval.py [CORPUS_DIR] [--facts DIR] [--json] [--details]

Two kinds of reference are scored, each with the same rules:

* CORPUS_DIR (default ../shared/corpus next to the repository): NN-name.txt
  and NN-name.gold.json pairs (see its README).  The body after the first
  blank line is given to the extractor, with the county of the gold file as
  ``area``; no default year.
* --facts DIR (default data/reports/anze-2023/facts): the curated facts of a
  report of this project, scored against ../report.txt with the report's area.
  Skipped when the folder or the text is missing.

Which curated records are the reference
---------------------------------------
Figures: every ``Observation`` (``value``, or ``valueText`` when there is no
value; ``unit``; ``growthRate``) and every quantity of another record
(``capacity``, ``investment``, ``area``, ``size``: the gold corpus counts a
capacity written in a project's name as a figure, the curated facts file it
under the project), with the amount's own quote or else its record's quote.
The facts record each fact once, where the corpus lists each mention: a
prediction that repeats an earlier one (same value, unit, growth and quote
text, e.g. a photo caption repeated in the article) is not counted there.

Entities: only the kinds the extractor targets, by the record's type:
Enterprise -> enterprise; Village, Town, Locality, County, DevelopmentZone ->
place; Project -> project; Program -> program; the label is ``zh``.  Records
of other types (designations, events, brands, regions...) are not reference
entities, so a prediction that names one counts as a false hit.  Areas of
data/vocab (provinces, cities: 北京, 西安) are reference data that a report's
facts never redefine: a predicted place whose label is the ``zh`` or an
``altZh`` of a vocab area is left out of the facts' scoring.

Matching observations
---------------------
A predicted and a reference figure are *candidates* when their quote spans
overlap (the reference span is every place where its quote occurs), or when
they have the same value and unit and are at most 60 characters apart.
Candidates are paired one-to-one, greedily, preferring pairs whose value,
unit and growth all agree, then the same value, then the larger overlap.  A
pair is *correct* when value, unit and growth_pct are all equal (numbers
with a 1e-9 tolerance, ratio strings exactly).  Precision = correct /
predicted, recall = correct / reference; a wrong pair counts against both.
Indicator names, years and qualifiers are not scored.

Matching entities
-----------------
Sets of (kind, label) per document.  Row ``entities`` compares normalised
labels; row ``entities-strict`` the labels exactly as given.  Normalisation,
applied the same way to both sides (:func:`norm_label`):

1. Surrounding spaces and punctuation are stripped.
2. Text after the last closing quote mark is dropped: the corpus lists a
   quoted name alone (“四个年”行动 -> 四个年), the curated facts the name with
   its head noun (“四好农村路”工程), so both compare by the quoted name.
3. Quote marks “ ” ‘ ’ 《 》 「 」 『 』 " ' are removed.
4. For places, a final 村, 镇 or 乡 is dropped when two or more characters
   remain: the curated facts write 高壁村 for the 高壁 of "高壁、小黄2个村".
5. For projects, a final 项目 is dropped when four or more characters remain:
   a report writes 大唐700万吨露天矿项目 in one section and 大唐700万吨露天矿
   in the next, and the annotators copied what their window had.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from anze_kg.errors import AnzeKGError  # noqa: E402
from anze_kg.extract.extraction import ENTITY_KINDS, extract_text, read_report_text  # noqa: E402
from anze_kg.inputs.strict_yaml import load_yaml  # noqa: E402

GOLD_KINDS = {"enterprises": "enterprise", "villages_towns": "place", "parks_zones": "place",
              "projects": "project", "programs": "program"}
FACT_KINDS = {"Enterprise": "enterprise", "Village": "place", "Town": "place", "Locality": "place",
              "County": "place", "DevelopmentZone": "place", "Project": "project", "Program": "program"}
QUANTITY_KEYS = ("capacity", "investment", "area", "size")
AREA_TYPES = {"Country", "Province", "City", "County", "District", "Town", "Village"}
NEAR = 60
QUOTE_MARKS = "“”‘’《》「」『』\"'"
CLOSING_MARKS = "”’》」』"
EDGE_PUNCT = " \t\n,，。.;；:：、!！?？()（）"


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        docs = [score_document(*load_corpus_doc(g)) for g in sorted(args.corpus.glob("*.gold.json"))]
        facts = score_facts(args.facts)
    except (AnzeKGError, OSError, ValueError, KeyError) as e:
        print(f"extract_eval: {e}", file=sys.stderr)
        return 2
    if not docs:
        print(f"extract_eval: no *.gold.json files in {args.corpus}", file=sys.stderr)
        return 2
    result = {"corpus": str(args.corpus), "documents": {d["doc"]: d["counts"] for d in docs},
              "totals": _totals([d["counts"] for d in docs]),
              "facts": facts["counts"] if isinstance(facts, dict) else facts}
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
    else:
        print(render(result))
        if args.details:
            extra = [facts] if isinstance(facts, dict) else []
            print("\n".join(line for d in docs + extra for line in d["details"]))
    return 0


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("corpus", nargs="?", type=Path, default=ROOT.parent / "shared" / "corpus")
    p.add_argument("--facts", type=Path, default=ROOT / "data" / "reports" / "anze-2023" / "facts")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    p.add_argument("--details", action="store_true", help="list misses and false hits under the table")
    return p


# --- labels ----------------------------------------------------------------------

def norm_label(kind: str, label: str) -> str:
    """The label compared in row ``entities`` (rules 1-4 of the module docstring)."""
    s = label.strip(EDGE_PUNCT)
    last_close = max(s.rfind(mark) for mark in CLOSING_MARKS)
    if last_close >= 0:
        s = s[:last_close + 1]
    s = "".join(ch for ch in s if ch not in QUOTE_MARKS).strip(EDGE_PUNCT)
    if kind == "place" and len(s) >= 3 and s[-1] in "村镇乡":
        s = s[:-1]
    if kind == "project" and len(s) >= 6 and s.endswith("项目"):
        s = s[:-2]
    return s


# --- documents ---------------------------------------------------------------------

def load_corpus_doc(gold_path: Path) -> tuple[str, str, dict]:
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    text = read_report_text(gold_path.with_name(gold_path.name.replace(".gold.json", ".txt")))
    return gold["doc"], text.partition("\n\n")[2], gold


def score_document(name: str, body: str, gold: dict, *, facts_mode: bool = False,
                   ignored_places: frozenset = frozenset()) -> dict:
    """Counts and details of one document; ``facts_mode`` applies the facts-only rules."""
    area = (gold.get("county") or "").split(" ")[0] or None
    got = extract_text(body, area=area)
    gold_obs = [dict(g, spans=_spans(body, g["quote"])) for g in gold.get("indicators", [])]
    pred_obs = [dict(o, spans=[(o["start"], o["end"])]) for o in got.to_json_dict()["observations"]]
    if facts_mode:
        pred_obs = _first_of_repeats(pred_obs)
    pairs = pair_observations(pred_obs, gold_obs)
    gold_ents = {(GOLD_KINDS[cat], label) for cat in GOLD_KINDS for label in gold.get(cat, [])}
    pred_ents = {(e.kind, e.label) for e in got.entities
                 if not (e.kind == "place" and e.label in ignored_places)}
    counts = {"observations": _prf(len(pred_obs), len(gold_obs), sum(ok for _, _, ok in pairs))}
    counts.update(_entity_counts(pred_ents, gold_ents))
    return {"doc": name, "counts": counts, "details": _details(name, pred_obs, gold_obs, pairs, pred_ents, gold_ents)}


def _first_of_repeats(pred: list[dict]) -> list[dict]:
    seen, out = set(), []
    for p in pred:
        key = (repr(p["value"]), p["unit"], repr(p["growth_pct"]), p["quote"])
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


def _spans(body: str, quote: str) -> list[tuple[int, int]]:
    spans, at = [], body.find(quote)
    while at >= 0:
        spans.append((at, at + len(quote)))
        at = body.find(quote, at + 1)
    return spans


# --- observations --------------------------------------------------------------------

def same_value(a, b) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    return a == b


def fields_agree(p: dict, g: dict) -> bool:
    return (same_value(p["value"], g["value"]) and p["unit"] == g["unit"]
            and same_value(p["growth_pct"], g["growth_pct"]))


def _distance(a: list, b: list) -> int | None:
    """0 when some spans overlap, else the smallest gap; None when either has no span."""
    gaps = [max(s1, s2) - min(e1, e2) for s1, e1 in a for s2, e2 in b]
    return max(0, min(gaps)) if gaps else None


def pair_observations(pred: list[dict], gold: list[dict]) -> list[tuple[int, int, bool]]:
    """One-to-one pairs (pred index, gold index, correct) by the rule in the module docstring."""
    cands = []
    for i, p in enumerate(pred):
        for j, g in enumerate(gold):
            gap = _distance(p["spans"], g["spans"])
            same = same_value(p["value"], g["value"]) and p["unit"] == g["unit"]
            if gap == 0 or (same and (gap is None or gap <= NEAR)):
                overlap = max((min(e1, e2) - max(s1, s2) for s1, e1 in p["spans"] for s2, e2 in g["spans"]), default=0)
                cands.append(((fields_agree(p, g), same, overlap), i, j))
    cands.sort(key=lambda c: c[0], reverse=True)
    used_p, used_g, pairs = set(), set(), []
    for (ok, _, _), i, j in cands:
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            pairs.append((i, j, ok))
    return pairs


# --- counts ------------------------------------------------------------------------------

def _prf(pred: int, gold: int, correct: int) -> dict:
    return {"gold": gold, "predicted": pred, "correct": correct,
            "precision": round(correct / pred, 4) if pred else None,
            "recall": round(correct / gold, 4) if gold else None}


def _normalised(ents: set) -> set:
    return {(kind, norm_label(kind, label)) for kind, label in ents}


def _entity_counts(pred: set, gold: set) -> dict:
    npred, ngold = _normalised(pred), _normalised(gold)
    out = {"entities": _prf(len(npred), len(ngold), len(npred & ngold))}
    for kind in ENTITY_KINDS:
        p, g = {e for e in npred if e[0] == kind}, {e for e in ngold if e[0] == kind}
        out[f"entity:{kind}"] = _prf(len(p), len(g), len(p & g))
    out["entities-strict"] = _prf(len(pred), len(gold), len(pred & gold))
    return out


def _totals(counts: list[dict]) -> dict:
    out = {}
    for key in counts[0]:
        out[key] = _prf(*(sum(c[key][f] for c in counts) for f in ("predicted", "gold", "correct")))
    return out


def _details(name, pred, gold, pairs, pred_ents, gold_ents) -> list[str]:
    lines = [f"--- {name}"]
    paired_p, paired_g = {i for i, _, _ in pairs}, {j for _, j, _ in pairs}
    lines += [f"  wrong  {pred[i]['quote']!r}: got {_show(pred[i])}, gold {_show(gold[j])}"
              for i, j, ok in pairs if not ok]
    lines += [f"  missed {g['quote']!r}: {_show(g)}" for j, g in enumerate(gold) if j not in paired_g]
    lines += [f"  extra  {p['quote']!r}: {_show(p)}" for i, p in enumerate(pred) if i not in paired_p]
    npred, ngold = _normalised(pred_ents), _normalised(gold_ents)
    lines += [f"  missed entity {k} {label}" for k, label in sorted(gold_ents)
              if (k, norm_label(k, label)) not in npred]
    lines += [f"  extra  entity {k} {label}" for k, label in sorted(pred_ents)
              if (k, norm_label(k, label)) not in ngold]
    return lines


def _show(o: dict) -> str:
    return f"{o['value']!r} {o['unit']} growth={o['growth_pct']}"


def render(result: dict) -> str:
    rows = [("document", "category", "gold", "pred", "right", "P", "R")]
    scored_facts = isinstance(result["facts"], dict)
    blocks = [*result["documents"].items(), ("ALL", result["totals"])] + (
        [("anze facts", result["facts"])] if scored_facts else [])
    for doc, counts in blocks:
        for cat, c in counts.items():
            rows.append((doc, cat, c["gold"], c["predicted"], c["correct"], _pct(c["precision"]), _pct(c["recall"])))
    widths = [max(_width(str(r[k])) for r in rows) for k in range(len(rows[0]))]
    lines = ["  ".join(str(v) + " " * (w - _width(str(v))) for v, w in zip(r, widths)).rstrip() for r in rows]
    if not scored_facts:
        lines.append(f"anze facts: {result['facts']}")
    return "\n".join(lines)


def _pct(x) -> str:
    return "-" if x is None else f"{x:.3f}"


def _width(s: str) -> int:
    return sum(2 if "\u2e80" <= ch <= "\u9fff" else 1 for ch in s)


# --- curated facts as the reference ----------------------------------------------------------

def score_facts(facts_dir: Path) -> dict | str:
    """The scored report (as score_document gives it), or the reason it was skipped."""
    files = sorted(facts_dir.glob("*.yaml")) if facts_dir.is_dir() else []
    report = facts_dir.parent / "report.txt"
    if not files or not report.is_file():
        return f"skipped (no fact files in {facts_dir} or no {report.name})"
    records = [m for f in files for m in _load_list(f)]
    vocab = [m for f in sorted((ROOT / "data" / "vocab").glob("*.yaml")) for m in _load_list(f)]
    meta = _load_yaml(facts_dir.parent / "report.yaml")
    area = next((m for m in vocab if m.get("id") == meta.get("area")), {})
    gold = {"indicators": _fact_figures(records), "county": area.get("zh", "")}
    for m in records:
        kind = FACT_KINDS.get(m.get("type"))
        if kind and m.get("zh"):
            gold.setdefault(next(c for c, k in GOLD_KINDS.items() if k == kind), []).append(m["zh"])
    places = frozenset(label for m in vocab if m.get("type") in AREA_TYPES
                       for label in [m.get("zh"), *m.get("altZh", [])] if label)
    return score_document(meta.get("id", "facts"), read_report_text(report), gold, facts_mode=True,
                          ignored_places=places)


def _fact_figures(records: list[dict]) -> list[dict]:
    """Observations, then the quantities of other records (one per quote, value and unit:
    two ovens of one clause "4.3米焦炉" are one figure of the text)."""
    figures, seen = [], set()
    for m in records:
        if m.get("type") == "Observation" and m.get("quote"):
            figures.append(_figure(m, m["quote"], m.get("growthRate")))
        for amount in (m[k] for k in QUANTITY_KEYS if isinstance(m.get(k), dict)):
            figure = _figure(amount, amount.get("quote") or m.get("quote"), None)
            key = (figure["quote"], repr(figure["value"]), figure["unit"])
            if figure["quote"] and key not in seen:
                seen.add(key)
                figures.append(figure)
    return figures


def _figure(amount: dict, quote: str | None, growth) -> dict:
    return {"value": amount.get("value", amount.get("valueText")), "unit": amount.get("unit"),
            "growth_pct": growth, "quote": quote}


def _load_yaml(path: Path):
    return load_yaml(path)  # the project's own strict reader (ruamel is not a dependency)


def _load_list(path: Path) -> list[dict]:
    data = _load_yaml(path)
    return [m for m in data if isinstance(m, dict)] if isinstance(data, list) else []


if __name__ == "__main__":
    sys.exit(main())
