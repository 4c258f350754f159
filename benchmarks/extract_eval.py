"""Score the rule-based drafter (anze_kg.extract) against hand-made gold annotations.

Usage (from the repository root):

    .venv/bin/python benchmarks/extract_eval.py [CORPUS_DIR] [--facts DIR] [--json] [--details]

CORPUS_DIR (default ../shared/corpus next to the repository) holds NN-name.txt
and NN-name.gold.json pairs (see its README).  The text body starts after the
first blank line; the two header lines are not given to the extractor.  The
county named in the gold file is passed as ``area``; no default year is given.

--facts DIR (default data/reports/anze-2023/facts) adds the curated Anze facts
when that folder holds YAML files and the report text (../report.txt) exists;
otherwise that part is skipped.  Each fact is a mapping with a ``type`` and a
``quote``: ``Observation`` facts give ``value``, ``unit`` and ``growthRate``;
``Enterprise``, ``Project`` and ``Program`` facts, and ``Village``, ``Town``,
``Locality`` and ``DevelopmentZone`` (as place), give the label in ``zh``.
The curated labels are normalised names (高壁村 for a text's 高壁, “双减”政策
for a quoted 双减), so exact entity figures there are a lower bound; the row
"entities~lenient" also counts a label of the same kind inside the other.

Matching rule for observations
------------------------------
A predicted and a gold observation are *candidates* when their quote spans
overlap in the body (the gold span is every place where the gold quote
occurs), or when they have the same value and unit and their spans are at most
60 characters apart.  Candidates are paired one-to-one, greedily, preferring
pairs whose value, unit and growth all agree, then pairs with the same value,
then the larger overlap.  A pair is *correct* when value, unit and growth_pct
are all equal (numbers with a 1e-9 tolerance, ratio strings exactly).
Precision = correct / predicted, recall = correct / gold; a paired but wrong
prediction counts against both.  Indicator names, years and qualifiers are not
scored.

Entities are compared as sets of (kind, label) per document, label exactly as
written; gold categories map enterprises -> enterprise, villages_towns and
parks_zones -> place, projects -> project, programs -> program.
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
from anze_kg.extract import ENTITY_KINDS, extract_text, read_report_text  # noqa: E402

GOLD_KINDS = {"enterprises": "enterprise", "villages_towns": "place", "parks_zones": "place",
              "projects": "project", "programs": "program"}
FACT_KINDS = {"Enterprise": "enterprises", "Project": "projects", "Program": "programs", "Village": "villages_towns",
              "Town": "villages_towns", "Locality": "villages_towns", "DevelopmentZone": "parks_zones"}
NEAR = 60


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        docs = [score_document(*load_corpus_doc(g)) for g in sorted(args.corpus.glob("*.gold.json"))]
        facts = score_facts(args.facts)
    except (AnzeKGError, OSError, ValueError) as e:
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


def load_corpus_doc(gold_path: Path) -> tuple[str, str, dict]:
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    text = read_report_text(gold_path.with_name(gold_path.name.replace(".gold.json", ".txt")))
    return gold["doc"], text.partition("\n\n")[2], gold


def score_document(name: str, body: str, gold: dict) -> dict:
    area = (gold.get("county") or "").split(" ")[0] or None
    got = extract_text(body, area=area)
    gold_obs = [dict(g, spans=_spans(body, g["quote"])) for g in gold.get("indicators", [])]
    pred_obs = [dict(o, spans=[(o["start"], o["end"])]) for o in got.to_json_dict()["observations"]]
    pairs = pair_observations(pred_obs, gold_obs)
    gold_ents = {(GOLD_KINDS[cat], label) for cat in GOLD_KINDS for label in gold.get(cat, [])}
    pred_ents = {(e.kind, e.label) for e in got.entities}
    counts = {"observations": _prf(len(pred_obs), len(gold_obs), sum(ok for _, _, ok in pairs))}
    counts.update(_entity_counts(pred_ents, gold_ents))
    return {"doc": name, "counts": counts, "details": _details(name, pred_obs, gold_obs, pairs, pred_ents, gold_ents)}


def _spans(body: str, quote: str) -> list[tuple[int, int]]:
    spans, at = [], body.find(quote)
    while at >= 0:
        spans.append((at, at + len(quote)))
        at = body.find(quote, at + 1)
    return spans


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


def _prf(pred: int, gold: int, correct: int, gold_found: int | None = None) -> dict:
    """Counts with precision and recall; gold_found (for lenient matching) is the gold items found."""
    found = correct if gold_found is None else gold_found
    return {"gold": gold, "predicted": pred, "correct": correct,
            "precision": round(correct / pred, 4) if pred else None,
            "recall": round(found / gold, 4) if gold else None}


def _lenient(pred: set, gold: set) -> dict:
    """Same kind and one label inside the other, quote marks ignored: 双减 ~ “双减”政策, 高壁 ~ 高壁村."""
    def near(a, b):
        x, y = a[1].strip("“”"), b[1].replace("“", "").replace("”", "")
        return a[0] == b[0] and (x in y or y in x)
    hits = sum(any(near(p, g) for g in gold) for p in pred)
    return _prf(len(pred), len(gold), hits, sum(any(near(p, g) for p in pred) for g in gold))


def _entity_counts(pred: set, gold: set) -> dict:
    out = {"entities": _prf(len(pred), len(gold), len(pred & gold))}
    for kind in ENTITY_KINDS:
        p, g = {e for e in pred if e[0] == kind}, {e for e in gold if e[0] == kind}
        out[f"entity:{kind}"] = _prf(len(p), len(g), len(p & g))
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
    lines += [f"  missed entity {k} {label}" for k, label in sorted(gold_ents - pred_ents)]
    lines += [f"  extra  entity {k} {label}" for k, label in sorted(pred_ents - gold_ents)]
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


def score_facts(facts_dir: Path) -> dict | str:
    """The scored Anze document (as score_document gives it), or the reason it was skipped."""
    files = sorted(facts_dir.glob("*.yaml")) + sorted(facts_dir.glob("*.yml")) if facts_dir.is_dir() else []
    report = facts_dir.parent / "report.txt"
    if not files or not report.is_file():
        return f"skipped (no fact files in {facts_dir} or no {report.name})"
    from ruamel.yaml import YAML

    items = [m for f in files for m in _mappings(YAML(typ="safe").load(f.read_text(encoding="utf-8")))]
    gold: dict[str, list] = {"indicators": [
        {"value": m.get("value"), "unit": m.get("unit"), "growth_pct": m.get("growthRate"), "quote": m["quote"]}
        for m in items if m.get("type") == "Observation" and "quote" in m]}
    for m in items:
        category = FACT_KINDS.get(m.get("type"))
        if category and m.get("zh"):
            gold.setdefault(category, []).append(m["zh"])
    gold["county"] = "安泽县"
    scored = score_document("anze", read_report_text(report), gold)
    gold_ents = {(GOLD_KINDS[c], label) for c in GOLD_KINDS for label in gold.get(c, [])}
    pred_ents = {(e.kind, e.label) for e in extract_text(read_report_text(report), area="安泽县").entities}
    scored["counts"]["entities~lenient"] = _lenient(pred_ents, gold_ents)
    return scored


def _mappings(node):
    if isinstance(node, dict):
        yield node
        for v in node.values():
            yield from _mappings(v)
    elif isinstance(node, list):
        for v in node:
            yield from _mappings(v)


if __name__ == "__main__":
    sys.exit(main())
