"""A review session: one report folder, its draft records, its text and the
decisions taken so far (see :mod:`anze_kg.review`).

The state is read from the folder at every step and written back at once
(:func:`anze_kg.files.write_files`), so nothing is lost on a crash or a
restart: ``review.yaml`` (the decisions) is the record of what was decided,
``facts/draft.yaml`` holds the drafts still to decide and
``facts/reviewed.yaml`` the accepted and corrected records, rewritten from
the decisions.  A draft still in ``draft.yaml`` whose key has a decision (a
write cut short between two files) counts as decided.

Everything here is pure logic on a :class:`State`; :class:`Session` adds
the lock and the files.  Refusals are :class:`Refused` errors that name the
field, with the HTTP status the page gets.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import threading
from dataclasses import dataclass, replace
from pathlib import Path

from anze_kg.build.units import build_report
from anze_kg.errors import (
    AnzeKGError,
    FactError,
    Location,
    NotFoundError,
    SourceError,
    UsageError,
    display_path,
)
from anze_kg.files import write_files
from anze_kg.inputs.facts import load_vocab
from anze_kg.inputs.manifest import VOCAB, unit_keys
from anze_kg.inputs.ontology import load_ontology
from anze_kg.inputs.project import Project
from anze_kg.inputs.quotes import find_all
from anze_kg.inputs.reports import SLUG, load_report
from anze_kg.inputs.strict_yaml import line_of, load_yaml, read_text
from anze_kg.inputs.texts import normalise
from anze_kg.namespaces import local_name
from anze_kg.review.keys import indicator_names, plain_key, record_keys
from anze_kg.review.store import (
    ACTIONS,
    REVIEW_FILE,
    Decision,
    read_decisions,
    review_yaml,
)
from anze_kg.review.yamltext import parse_text, plain, record_item, record_mapping

DRAFT_FILE = "draft.yaml"
REVIEWED_FILE = "reviewed.yaml"
CANDIDATE_FILE = "0-candidate.yaml"  # the record being checked, first of the facts files of the check
KEY_COMMENT = re.compile(r"^# review key: ([0-9a-f]{16})\s*$")
MAX_CORRECTION_CHARS = 100_000
STATUS = {"accept": "accepted", "correct": "corrected", "reject": "rejected"}
_TYPE_ORDER = {"Indicator": 0, "Observation": 1}


class Refused(AnzeKGError):
    """A decision that is not taken: why, the field it is about (if any), the line of
    the edited text, and the HTTP status the page gets (409: conflicts with the
    decisions so far; 422: the record is not valid; 404: no such draft)."""

    def __init__(self, message: str, *, status: int = 422, field: str | None = None, line: int | None = None,
                 hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.status, self.field, self.line = status, field, line

    def to_json(self) -> dict:
        return {"error": self.message, "field": self.field, "line": self.line, "hint": self.hint}


@dataclass(frozen=True)
class Context:
    """What a session needs of the project: vocab ids, indicator names, reference fields."""

    project: Project
    vocab_ids: frozenset[str]
    vocab_names: dict[str, str]  # indicator id -> zh
    reference_keys: frozenset[str]  # fields whose values are ids of things

    @classmethod
    def load(cls, project: Project) -> "Context":
        index = load_ontology(project.ontology_files())
        vocab = load_vocab(project, index)
        names = {fid: fact.zh for fid, fact in vocab.items() if fact.type == "Indicator" and fact.zh}
        refs = frozenset(name for name, prop in index.properties.items() if prop.kind == "entity")
        return cls(project, frozenset(vocab), names, refs)


@dataclass(frozen=True)
class Draft:
    """An undecided draft record: its key, the record, and whether the key is the record's
    own digest (else ``draft.yaml`` states it in a ``# review key:`` comment)."""

    key: str
    record: dict
    plain: bool = True


@dataclass(frozen=True)
class State:
    report_id: str
    folder: Path
    text: str  # the report body, as the build reads it (quote offsets count in it)
    preamble: str  # the comments at the top of draft.yaml
    drafts: tuple[Draft, ...]
    decisions: dict[str, Decision]
    others: dict[str, str]  # id -> fact file, for the ids the other fact files of the folder define
    draft_meta: bool = False  # report.yaml is still marked draft: true

    @property
    def facts_dir(self) -> Path:
        return self.folder / "facts"


# --- the folder ------------------------------------------------------------------------------------

def report_folder(reports_dir: Path, report_id: str) -> Path:
    """``reports_dir/report_id``, checked: a report folder with draft facts."""
    if not SLUG.match(report_id):
        raise UsageError(f"report id {report_id!r} is not a slug", hint="lowercase letters, digits and '-', e.g. anze-2024")
    folder = reports_dir / report_id
    if not (folder / "report.yaml").is_file():
        known = sorted(p.name for p in reports_dir.iterdir() if (p / "report.yaml").is_file()) if reports_dir.is_dir() else []
        raise NotFoundError(f"no report {report_id!r} in {display_path(reports_dir)}",
                            hint=f"the reports there: {', '.join(known)}" if known else
                            "draft one with `anze-kg extract TEXT -o`, or give the reports folder with --reports DIR")
    if not (folder / "facts" / DRAFT_FILE).is_file():
        raise SourceError(Location.of(folder / "facts" / DRAFT_FILE), "no draft facts to review (the file is missing)",
                          hint="`anze-kg extract TEXT -o` drafts them; a report curated by hand has nothing to review")
    return folder


def load_state(ctx: Context, folder: Path) -> State:
    """Read the folder: the text, the drafts (those without a decision), the decisions."""
    report = load_report(folder)
    path = folder / "facts" / DRAFT_FILE
    data = load_yaml(path)
    items = [] if data is None else data
    if not isinstance(items, list):
        raise FactError(Location.of(path, 1), "draft.yaml must be a YAML list of records (`- id: ...`)")
    for n, item in enumerate(items):
        if not isinstance(item, dict) or "id" not in item:
            raise FactError(Location.of(path, line_of(items, n)), "a draft must be a record with an id",
                            hint="write `- id: ...` and the other keys indented under it")
    raw_lines = read_text(path).splitlines()
    given = [_stated_key(raw_lines, line_of(items, n)) for n in range(len(items))]
    decisions = read_decisions(folder / REVIEW_FILE, report.id)
    records = [plain(item) for item in items]
    names = names_of(ctx, records, decisions)
    keys = record_keys(records, names, given)
    drafts = tuple(Draft(k, r, k == plain_key(r, names)) for k, r in zip(keys, records) if k not in decisions)
    first = line_of(items, 0) if items else None
    preamble = preamble_of(raw_lines if first is None else raw_lines[:first - 1])
    return State(report.id, folder, report.text, preamble, sorted_drafts(report.text, drafts), decisions,
                 _other_ids(folder), bool(report.meta.get("draft")))


def _stated_key(lines: list[str], line: int | None) -> str | None:
    if line is None or line < 2:
        return None
    found = KEY_COMMENT.match(lines[line - 2])
    return found.group(1) if found else None


def preamble_of(lines: list[str]) -> str:
    while lines and (not lines[-1].strip() or KEY_COMMENT.match(lines[-1])):
        lines = lines[:-1]
    return "\n".join(lines) + "\n\n" if lines else ""


def _other_ids(folder: Path) -> dict[str, str]:
    """id -> file of every record in the folder's other fact files (written by hand, say)."""
    out: dict[str, str] = {}
    for path in sorted((folder / "facts").glob("*.yaml")):
        if path.name in (DRAFT_FILE, REVIEWED_FILE):
            continue
        data = load_yaml(path)
        for item in data if isinstance(data, list) else []:
            if isinstance(item, dict) and item.get("id") is not None:
                out.setdefault(str(item["id"]), f"facts/{path.name}")
    return out


def names_of(ctx: Context, records: list[dict], decisions: dict[str, Decision]) -> dict[str, str]:
    """Indicator id -> the Chinese name the key uses: the vocab's, a decided draft's (under
    its draft id and its reviewed id), an undecided draft's."""
    names = dict(ctx.vocab_names)
    for decision in decisions.values():
        if decision.draft.get("type") == "Indicator" and decision.draft.get("zh") is not None:
            zh = str(decision.draft["zh"])
            names[str(decision.draft["id"])] = zh
            if decision.record is not None:
                names[str(decision.record["id"])] = zh
    names.update(indicator_names(records))
    return names


def span_of(text: str, record: dict) -> tuple[int, int] | None:
    """Where the record's quote stands in the text (its ``occurrence``-th time), or None."""
    quote = record.get("quote")
    if not isinstance(quote, str) or not quote.strip():
        return None
    quote = normalise(quote)
    starts = find_all(text, quote)
    occurrence = record.get("occurrence") if isinstance(record.get("occurrence"), int) else 1
    if not 1 <= occurrence <= len(starts):
        return None
    return starts[occurrence - 1], starts[occurrence - 1] + len(quote)


def _order(text: str, record: dict) -> tuple:
    span = span_of(text, record)
    return (span[0] if span else len(text) + 1, _TYPE_ORDER.get(str(record.get("type")), 2))


def sorted_drafts(text: str, drafts) -> tuple[Draft, ...]:
    """Text order (a stable sort: drafts at the same place keep their order, indicators first)."""
    return tuple(sorted(drafts, key=lambda d: _order(text, d.record)))


# --- references ------------------------------------------------------------------------------------

def references(ctx: Context, record: dict) -> list[tuple[str, str]]:
    """(field, id) of every id the record refers to."""
    out = []
    for key, value in record.items():
        if key not in ctx.reference_keys:
            continue
        for item in value if isinstance(value, list) else [value]:
            target = item.get("id") if isinstance(item, dict) else item
            if target is not None:
                out.append((key, str(target)))
    return out


def remap(ctx: Context, record: dict, mapping: dict[str, str]) -> dict:
    """``record`` with every reference to an id of ``mapping`` made a reference to its value."""
    def one(item):
        if isinstance(item, dict) and str(item.get("id")) in mapping:
            return {**item, "id": mapping[str(item["id"])]}
        if isinstance(item, str) and item in mapping:
            return mapping[item]
        return item

    out = {}
    for key, value in record.items():
        if key in ctx.reference_keys:
            value = [one(v) for v in value] if isinstance(value, list) else one(value)
        out[key] = value
    return out


def _renamed(ctx: Context, state: State, old: str, new: str, *, keep: str | None = None) -> State:
    """Every reference to ``old`` in the drafts and the decisions made one to ``new`` (the
    decision ``keep`` keeps its draft as it is)."""
    mapping = {old: new}
    drafts = tuple(replace(d, record=remap(ctx, d.record, mapping)) for d in state.drafts)
    decisions = {k: Decision(d.action, d.draft if k == keep else remap(ctx, d.draft, mapping),
                             None if d.record is None else remap(ctx, d.record, mapping))
                 for k, d in state.decisions.items()}
    return replace(state, drafts=drafts, decisions=decisions)


def defined_ids(ctx: Context, state: State, *, without: str | None = None) -> dict[str, str]:
    """id -> where it is defined, for every id a reviewed record may point at (the draft or
    decision of key ``without`` left out): vocab, other fact files, drafts, reviewed records."""
    out = dict.fromkeys(ctx.vocab_ids, "data/vocab")
    out.update(state.others)
    for d in state.drafts:
        if d.key != without:
            out.setdefault(str(d.record["id"]), "facts/draft.yaml")
    for k, d in state.decisions.items():
        if d.record is not None and k != without:
            out.setdefault(str(d.record["id"]), "facts/reviewed.yaml")
    return out


def rejected_ids(state: State, defined: dict[str, str]) -> set[str]:
    return {str(d.draft["id"]) for d in state.decisions.values() if d.action == "reject"} - set(defined)


# --- decisions -------------------------------------------------------------------------------------

def reviewed_form(draft: dict) -> dict:
    """The record a draft becomes when accepted as it is: without ``draft``."""
    return {k: v for k, v in draft.items() if k != "draft"}


def parse_correction(text: str | None):
    """The edited record: a mapping (or a one-record list) read strictly; a Record with its lines."""
    if not isinstance(text, str) or not text.strip():
        raise Refused("the correction is empty: give the record as YAML (id: ..., type: ...)")
    if len(text) > MAX_CORRECTION_CHARS:
        raise Refused(f"the correction is {len(text):,} characters (at most {MAX_CORRECTION_CHARS:,})")
    try:
        data = parse_text(text, "the correction")
    except FactError as exc:
        raise Refused(f"{exc.location}: {exc.message}", line=exc.location.line if exc.location else None,
                      hint=exc.hint) from None
    if isinstance(data, list):
        if len(data) != 1:
            raise Refused(f"the correction holds {len(data)} records: correct one record at a time")
        data = data[0]
    if not isinstance(data, dict):
        raise Refused("the correction must be a mapping of keys to values (id: ..., type: ...)")
    if "draft" in data:
        raise Refused("a reviewed record is not a draft: delete the `draft` line", field="draft",
                      line=line_of(data, "draft"))
    for key in ("id", "type"):
        if key not in data:
            raise Refused(f"the record has no {key!r}", field=key)
    return data


def decide(ctx: Context, state: State, key: str, action: str, text: str | None = None) -> tuple[State, dict]:
    """The state after ``action`` (accept, correct with the edited ``text``, reject) on the
    draft ``key``, and the lines of the edited record's fields; refused with the reason."""
    if action not in ACTIONS:
        raise Refused(f"unknown action {action!r}: accept, correct or reject", status=400)
    if key in state.decisions:
        raise Refused(f"this draft is already {STATUS[state.decisions[key].action]}: undo that first", status=409)
    draft = next((d for d in state.drafts if d.key == key), None)
    if draft is None:
        raise Refused(f"no draft with the key {key!r} (reload the page: the folder may have changed)", status=404)
    original, rest = draft.record, tuple(d for d in state.drafts if d.key != key)
    rid = str(original["id"])
    if action == "reject":
        defined = defined_ids(ctx, state, without=key)
        if rid not in defined:
            for d in state.decisions.values():
                if d.record is not None and any(t == rid for _, t in references(ctx, d.record)):
                    raise Refused(f"{d.record['id']} ({STATUS[d.action]}) refers to {rid}: undo or correct it "
                                  "first, then reject this draft", status=409)
        return replace(state, drafts=rest, decisions={**state.decisions, key: Decision("reject", original)}), {}
    lines: dict = {}
    if action == "correct":
        parsed = parse_correction(text)
        lines = dict(getattr(parsed, "lines", {}) or {})
        record = plain(parsed)
        if record == reviewed_form(original):
            action = "accept"
    else:
        record = reviewed_form(original)
    _check_references(ctx, state, key, rid, record, lines)
    new = replace(state, drafts=rest, decisions={**state.decisions, key: Decision(action, original, record)})
    if str(record["id"]) != rid:
        new = _renamed(ctx, new, rid, str(record["id"]), keep=key)
    return new, lines


def _check_references(ctx: Context, state: State, key: str, rid: str, record: dict, lines: dict) -> None:
    defined = defined_ids(ctx, state, without=key)
    rejected = rejected_ids(state, defined)
    new_id = str(record["id"])
    if new_id != rid and new_id in defined:
        raise Refused(f"id {new_id!r} is already defined ({defined[new_id]})", field="id", line=lines.get("id"),
                      hint="an id names one thing: choose another, or reject this draft if it says the same")
    if new_id != rid and new_id in rejected:
        raise Refused(f"{new_id!r} is the id of a rejected draft: choose another", field="id", line=lines.get("id"))
    for field, target in references(ctx, record):
        if target in (new_id, rid) or target in defined:
            continue
        if target in rejected:
            raise Refused(f"{field} refers to {target}, which was rejected", status=409, field=field,
                          line=lines.get(field), hint="correct this record to point at another (a vocab id or a "
                                                      "kept record), reject it too, or undo that rejection")
        raise Refused(f"{field} refers to {target}, which is not defined", field=field, line=lines.get(field),
                      hint="point it at an id of data/vocab or of a record of this report")


def undo(ctx: Context, state: State, key: str) -> State:
    """The state with the decision ``key`` taken back: its draft is a draft again (an id the
    correction changed is changed back, references too)."""
    decision = state.decisions.get(key)
    if decision is None:
        raise Refused("this draft is not decided: nothing to undo", status=409)
    decisions = {k: d for k, d in state.decisions.items() if k != key}
    new = replace(state, decisions=decisions)
    old_id = str(decision.draft["id"])
    if decision.record is not None and str(decision.record["id"]) != old_id:
        taken = defined_ids(ctx, new)
        if old_id in taken:
            raise Refused(f"the draft's id {old_id!r} is now used by another record ({taken[old_id]})", status=409,
                          hint="undo or correct that record first")
        new = _renamed(ctx, new, str(decision.record["id"]), old_id)
    names = names_of(ctx, [d.record for d in new.drafts] + [decision.draft], new.decisions)
    restored = Draft(key, decision.draft, key == plain_key(decision.draft, names))
    return replace(new, drafts=sorted_drafts(state.text, (*new.drafts, restored)))


# --- the files -------------------------------------------------------------------------------------

def reviewed_header(report_id: str) -> str:
    return (f"# Reviewed facts of report {report_id}: the drafts accepted or corrected with\n"
            f"# `anze-kg review {report_id}`, without `draft: true`.  Rewritten from ../review.yaml at every\n"
            "# decision: do not edit it; put facts written by hand in another file of facts/.\n\n")


def draft_text(preamble: str, drafts) -> str:
    """``draft.yaml``: its comments, then the drafts (a key no digest gives stated in a comment)."""
    blocks = [("" if d.plain else f"# review key: {d.key}\n") + record_item(d.record) for d in drafts]
    return preamble + ("\n\n".join(blocks) + "\n" if blocks else "")


def reviewed_text(state: State) -> str:
    records = [d.record for d in state.decisions.values() if d.record is not None]
    body = "\n\n".join(record_item(r) for r in records)
    return reviewed_header(state.report_id) + (body + "\n" if body else "")


def files_of(state: State, *, undoing: bool = False) -> dict[Path, bytes]:
    """The three files of the state, in the order they are renamed into place: a decision
    reaches review.yaml before its draft leaves draft.yaml, and an undone one reaches
    draft.yaml before it leaves review.yaml, so a write cut short loses nothing."""
    review = (state.folder / REVIEW_FILE, review_yaml(state.report_id, state.decisions).encode("utf-8"))
    drafts = (state.facts_dir / DRAFT_FILE, draft_text(state.preamble, state.drafts).encode("utf-8"))
    reviewed = (state.facts_dir / REVIEWED_FILE, reviewed_text(state).encode("utf-8"))
    return dict([drafts, review, reviewed] if undoing else [review, drafts, reviewed])


# --- checking a record with the build ----------------------------------------------------------------

def check_decision(ctx: Context, state: State, key: str, lines: dict | None = None) -> None:
    """Build the report as ``state`` would write it (a temporary copy of the folder, checked by
    :func:`anze_kg.build.units.build_report`: schema, ids, references, quotes in the text,
    numbers in their quotes, units, SHACL) with the record of decision ``key`` in a file of its
    own; refused, naming the field, if anything is wrong.  The copy holds the reviewed records
    and the drafts they refer to."""
    record = state.decisions[key].record
    reviewed = [d.record for k, d in state.decisions.items() if d.record is not None and k != key]
    scratch = Path(tempfile.mkdtemp(prefix="anze-kg-review-check-"))
    try:
        folder = scratch / "data" / "reports" / state.report_id
        files = {folder / name: (state.folder / name).read_bytes()
                 for name in ("report.yaml", "report.txt") if (state.folder / name).is_file()}
        for path in sorted(state.facts_dir.glob("*.yaml")):
            if path.name not in (DRAFT_FILE, REVIEWED_FILE):
                files[folder / "facts" / path.name] = path.read_bytes()
        files[folder / "facts" / CANDIDATE_FILE] = (record_item(record) + "\n").encode("utf-8")
        files[folder / "facts" / REVIEWED_FILE] = ("\n\n".join(record_item(r) for r in reviewed) + "\n").encode("utf-8")
        needed = [Draft(d.key, d.record) for d in _needed_drafts(ctx, state)]
        files[folder / "facts" / DRAFT_FILE] = draft_text("", needed).encode("utf-8")
        write_files(files)
        shared = unit_keys(ctx.project, True)[VOCAB]
        done = build_report(str(ctx.project.root), str(folder), shared, True)
    except OSError as exc:
        raise Refused(f"cannot check the record: {exc.strerror or exc}", status=500) from None
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if done.status == "built":
        return
    fields = list(record)
    rename = _Untemp(scratch.name, state, fields)
    if done.status == "skipped":
        raise Refused("cannot check the record: the report text is not in the report folder", status=500)
    if done.status == "error":
        head, _, hint = (done.error or "").partition("\n  hint: ")
        message, field = rename(head)
        raise Refused(message, field=field, line=(lines or {}).get(field), hint=rename(hint)[0] if hint else None)
    violations = sorted(done.violations, key=lambda v: CANDIDATE_FILE not in (v.where or ""))
    first = violations[0]
    prop = local_name(first.path) if first.path else None
    more = f" (and {len(violations) - 1} more)" if len(violations) > 1 else ""
    value = f" [value: {first.value}]" if first.value else ""
    if CANDIDATE_FILE in (first.where or ""):  # about the record: the field is the shape's property
        raise Refused(f"{first.message}{value}{more}", field=prop, line=(lines or {}).get(prop),
                      hint="the shapes (ontology/shapes.ttl) say so")
    where, _ = rename(first.where or "")
    raise Refused(f"{where + ': ' if where else ''}<{first.focus}> {prop or ''}: {first.message}{value}{more}",
                  hint="the shapes (ontology/shapes.ttl) say so; the record made this other one wrong")


def _needed_drafts(ctx: Context, state: State) -> list[Draft]:
    """The drafts the reviewed records refer to, and the drafts those refer to, and so on."""
    by_id = {str(d.record["id"]): d for d in state.drafts}
    todo = [t for d in state.decisions.values() if d.record is not None for _, t in references(ctx, d.record)]
    needed: dict[str, Draft] = {}
    while todo:
        target = todo.pop()
        if target in by_id and target not in needed:
            needed[target] = by_id[target]
            todo += [t for _, t in references(ctx, by_id[target].record)]
    return [d for d in state.drafts if str(d.record["id"]) in needed]


class _Untemp:
    """Messages of the check with the temporary copy's paths made the folder's own; the
    record's file named "the record" and a line of it turned into its field."""

    def __init__(self, marker: str, state: State, fields: list[str]) -> None:
        self.pattern = re.compile(r"[^\s(]*" + re.escape(marker) + r"/data/reports/[^/\s]+/([^:\s)]+)(?::(\d+))?(?::(\d+))?")
        self.folder = display_path(state.folder)
        self.fields = fields

    def __call__(self, text: str) -> tuple[str, str | None]:
        found: list[str] = []

        def one(match: re.Match) -> str:
            name, line = match.group(1), match.group(2)
            if name == f"facts/{CANDIDATE_FILE}":
                field = self.fields[int(line) - 1] if line and 0 < int(line) <= len(self.fields) else None
                if field and not found:
                    found.append(field)
                return f"the record ({field})" if field else "the record"
            return f"{self.folder}/{name}" + (f":{line}" if line else "") + (f":{match.group(3)}" if match.group(3) else "")

        text = self.pattern.sub(one, text)
        field = found[0] if found else None
        if field and text.startswith(f"the record ({field}): "):  # the field is given on its own
            text = text[len(f"the record ({field}): "):]
            # an error of the whole record is told at its first line (the id's): the field it is
            # about, if any, is the first word of the message ("value 95.3 is not in the quote")
            if field == self.fields[0]:
                word = text.split(" ", 1)[0]
                field = word if word in self.fields else None
        return text, field


# --- what the page shows -------------------------------------------------------------------------

def counts(state: State) -> dict[str, int]:
    done = [d.action for d in state.decisions.values()]
    out = {"left": len(state.drafts), "accepted": done.count("accept"), "corrected": done.count("correct"),
           "rejected": done.count("reject")}
    out["total"] = out["left"] + len(done)
    return out


def entries(ctx: Context, state: State) -> list[dict]:
    """Every draft, left or decided, in text order: what the page lists and shows."""
    names = names_of(ctx, [d.record for d in state.drafts], state.decisions)
    defined = defined_ids(ctx, state)
    rejected = rejected_ids(state, defined)
    rows = [(d.key, "left", d.record, reviewed_form(d.record)) for d in state.drafts]
    rows += [(k, STATUS[d.action], d.draft, d.record if d.record is not None else reviewed_form(d.draft))
             for k, d in state.decisions.items()]
    rows.sort(key=lambda row: _order(state.text, row[2]))
    out = []
    for key, status, draft, shown in rows:
        span = span_of(state.text, shown) or span_of(state.text, draft)
        warnings = []
        if status == "left":
            for field, target in references(ctx, draft):
                if target in rejected:
                    warnings.append(f"{field} refers to {target}, which was rejected: correct or reject this draft")
                elif target not in defined:
                    warnings.append(f"{field} refers to {target}, which is not defined")
        if status != "rejected" and str(shown.get("en", "")).startswith("[draft]"):
            warnings.append("en is a placeholder ([draft] …): give the English label")
        if span is None:
            warnings.append("the quote is not found in the text")
        out.append({"key": key, "status": status, "id": str(shown.get("id")), "type": str(shown.get("type")),
                    "label": _label(shown, names), "quote": shown.get("quote"), "start": span[0] if span else None,
                    "end": span[1] if span else None, "yaml": record_mapping(shown), "warnings": warnings})
    return out


def _label(record: dict, names: dict[str, str]) -> str:
    if record.get("type") == "Observation":
        indicator = str(record.get("indicator"))
        value = record.get("value") if record.get("value") is not None else record.get("valueText")
        figure = f"{value}{record.get('unit') or ''}" if value is not None else (
            f"{record['growthRate']:+}%" if record.get("growthRate") is not None else "")
        return f"{names.get(indicator, indicator)} {figure}".strip()
    return str(record.get("zh") or record.get("id"))


def notes(state: State) -> list[str]:
    """What the reviewer should know about the folder as a whole."""
    out = []
    if state.draft_meta:
        out.append("report.yaml is still marked draft: true: check its TODO lines, then delete the flag")
    path = state.facts_dir / REVIEWED_FILE
    if state.decisions and (not path.is_file() or path.read_bytes() != reviewed_text(state).encode("utf-8")):
        out.append("facts/reviewed.yaml is not what review.yaml says (a write cut short, or an edit by hand): "
                   "the next decision rewrites it")
    return out


# --- the session -----------------------------------------------------------------------------------

class Session:
    """One report folder under review: every call reads the folder, and a decision is written
    (all three files) only once it is checked.  Safe to call from several threads."""

    def __init__(self, ctx: Context, folder: Path) -> None:
        self.ctx, self.folder = ctx, folder
        self.lock = threading.Lock()

    @classmethod
    def open(cls, project: Project, reports_dir: Path, report_id: str) -> "Session":
        folder = report_folder(reports_dir, report_id)
        session = cls(Context.load(project), folder)
        session.state()  # a malformed draft.yaml or review.yaml is refused now, naming the file and line
        return session

    def state(self) -> State:
        return load_state(self.ctx, self.folder)

    def decide(self, key: str, action: str, text: str | None = None) -> State:
        with self.lock:
            new, lines = decide(self.ctx, self.state(), key, action, text)
            if action != "reject":
                check_decision(self.ctx, new, key, lines)
            write_files(files_of(new))
            return new

    def undo(self, key: str) -> State:
        with self.lock:
            new = undo(self.ctx, self.state(), key)
            write_files(files_of(new, undoing=True))
            return new
