"""``anze-kg extract TEXT -o DIR --refresh``: the new extraction's drafts for a
folder under review, without what was decided.

Given the new ``facts/draft.yaml`` text of a report folder that exists, this
gives the text to write in its place (the writer is
:func:`anze_kg.extract.drafts.refresh_report_folder`):

* a draft whose key (:mod:`anze_kg.review.keys`) has a decision in
  ``review.yaml`` is left out: accepted, corrected and rejected drafts do not
  come back;
* a draft the old ``draft.yaml`` already held (the same key) keeps the id it
  had there, so the reviewed records that point at it still do;
* a new draft whose placeholder id is taken (by a reviewed record, another fact
  file, a decided or a vanished draft) gets the next free one;
* references are rewritten to match: to a decided draft's reviewed id (or, for
  a rejected one, its rejected id, which the page then flags).
"""

from __future__ import annotations

import re
from pathlib import Path

from anze_kg.errors import FactError, Location
from anze_kg.review.keys import plain_key, record_keys
from anze_kg.review.session import (
    DRAFT_FILE,
    Context,
    Draft,
    draft_text,
    load_state,
    names_of,
    preamble_of,
    references,
    remap,
    sorted_drafts,
)
from anze_kg.review.store import REVIEW_FILE, read_decisions
from anze_kg.review.yamltext import parse_text, plain

_NUMBERED = re.compile(r"^(.*)-(\d+)$")


def refresh_drafts(ctx: Context, folder: Path, fresh_yaml: str) -> tuple[str, list[str]]:
    """The ``draft.yaml`` text to write for the new extraction ``fresh_yaml``, and notes on what was done."""
    old = load_state(ctx, folder) if (folder / "facts" / DRAFT_FILE).is_file() else None
    decisions = old.decisions if old else read_decisions(folder / REVIEW_FILE, folder.name)
    data = parse_text(fresh_yaml, "the new extraction")
    items = [] if data is None else data
    if not isinstance(items, list) or not all(isinstance(i, dict) and "id" in i for i in items):
        raise FactError(Location("the new extraction"), "the extraction is not a list of records")
    records = [plain(i) for i in items]
    names = names_of(ctx, records, decisions)
    keys = record_keys(records, names)
    old_ids = {d.key: str(d.record["id"]) for d in old.drafts} if old else {}
    taken = set(old.others) if old else set()
    taken |= set(old_ids.values())
    for d in decisions.values():
        taken.add(str(d.draft["id"]))
        if d.record is not None:
            taken.add(str(d.record["id"]))
    mapping: dict[str, str] = {}
    kept: list[tuple[str, dict]] = []
    for key, record in zip(keys, records):
        rid = str(record["id"])
        if key in decisions:
            decided = decisions[key]
            mapping[rid] = str((decided.record or decided.draft)["id"])
        else:
            kept.append((key, record))
    assigned: set[str] = set()
    fresh_ids = {str(r["id"]) for r in records}
    for key, record in kept:
        rid = str(record["id"])
        if key in old_ids:
            new = old_ids[key]
        elif rid not in taken and rid not in assigned:
            new = rid
        else:
            new = _next_free(rid, taken | assigned | fresh_ids)
        assigned.add(new)
        if new != rid:
            mapping[rid] = new
    drafts = []
    for key, record in kept:
        rid, is_plain = str(record["id"]), key == plain_key(record, names)
        drafts.append(Draft(key, {**remap(ctx, record, mapping), "id": mapping.get(rid, rid)}, is_plain))
    ordered = sorted_drafts(old.text, drafts) if old else tuple(drafts)
    raw = fresh_yaml.splitlines()
    first = getattr(items, "lines", [None])[0] if items else None
    preamble = preamble_of(raw if first is None else raw[:first - 1])
    return draft_text(preamble, ordered), _notes(ctx, decisions, kept, old_ids, assigned, len(records))


def _next_free(rid: str, used: set[str]) -> str:
    """The next placeholder of ``rid``'s kind that is not used (draft-obs-007 -> draft-obs-013)."""
    found = _NUMBERED.match(rid)
    stem = found.group(1) if found else rid
    numbers = [int(m.group(2)) for u in used if (m := _NUMBERED.match(u)) and m.group(1) == stem]
    n = max(numbers, default=0) + 1
    while f"{stem}-{n:03d}" in used:
        n += 1
    return f"{stem}-{n:03d}"


def _notes(ctx: Context, decisions, kept, old_ids: dict[str, str], assigned: set[str], total: int) -> list[str]:
    left_out = total - len(kept)
    notes = [f"{len(kept)} drafts to review, {left_out} already decided left out "
             f"({len(decisions)} decisions in {REVIEW_FILE})"]
    vanished = set(old_ids.values()) - assigned
    for d in decisions.values():
        if d.record is None:
            continue
        for field, target in references(ctx, d.record):
            if target in vanished:
                notes.append(f"the reviewed record {d.record['id']} refers to {target} ({field}), a draft the new "
                             "extraction no longer has: correct it")
    return notes
