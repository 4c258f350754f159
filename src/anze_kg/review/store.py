"""``review.yaml``: the decisions of a review, one per decided draft record,
filed under the record's key (:mod:`anze_kg.review.keys`).

It sits in the report folder beside ``report.yaml``, not in ``facts/``: every
``facts/*.yaml`` is a fact file the build reads (a list of records), and this
is a mapping::

    report: bulletin-2021
    decisions:
      "3f2a9c0d1e2b4a5f":
        action: correct              # accept | correct | reject
        draft:                       # the record as drafted (draft: true)
          id: draft-obs-003
          ...
        record:                      # the record as reviewed (not for reject)
          id: forest-cover-2021
          ...

Read strictly (:func:`anze_kg.inputs.strict_yaml.load_yaml`); every problem
is a :class:`~anze_kg.errors.FactError` naming the file and line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from anze_kg.errors import FactError, Location
from anze_kg.inputs.strict_yaml import line_of, load_yaml
from anze_kg.review.keys import KEY_PATTERN
from anze_kg.review.yamltext import mapping_lines, plain, yaml_scalar

REVIEW_FILE = "review.yaml"
ACTIONS = ("accept", "correct", "reject")


@dataclass(frozen=True)
class Decision:
    """What was decided about one draft: the action, the draft as it was, the record as reviewed."""

    action: str
    draft: dict
    record: dict | None = None


def read_decisions(path: Path, report_id: str) -> dict[str, Decision]:
    """The decisions of ``path`` (key -> decision, in file order); no file: none yet."""
    if not path.is_file():
        return {}
    data = load_yaml(path)
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise FactError(Location.of(path, line_of(data) or 1), "review.yaml must be a mapping "
                        "(report: ..., decisions: ...)", hint="it is written by `anze-kg review`; restore it "
                        "from a backup, or delete it to start the review again")
    unknown = sorted(set(data) - {"report", "decisions"})
    if unknown:
        raise FactError(Location.of(path, line_of(data, unknown[0])), f"unknown key {unknown[0]!r} in review.yaml",
                        hint="review.yaml holds report and decisions")
    if data.get("report") != report_id:
        raise FactError(Location.of(path, line_of(data, "report") or 1),
                        f"review.yaml is for report {data.get('report')!r}, not {report_id!r}",
                        hint="each report folder has its own review.yaml")
    decisions = data.get("decisions") or {}
    if not isinstance(decisions, dict):
        raise FactError(Location.of(path, line_of(data, "decisions")), "decisions must be a mapping of keys to decisions")
    out: dict[str, Decision] = {}
    for key, entry in decisions.items():
        where = Location.of(path, line_of(decisions, key))
        if not isinstance(key, str) or not KEY_PATTERN.match(key):
            raise FactError(where, f"{key!r} is not a review key (16 hex digits)")
        if not isinstance(entry, dict):
            raise FactError(where, f"the decision {key} must be a mapping (action, draft, record)")
        extra = sorted(set(entry) - {"action", "draft", "record"})
        if extra:
            raise FactError(Location.of(path, line_of(entry, extra[0])), f"unknown key {extra[0]!r} in a decision",
                            hint="a decision holds action, draft and record")
        action = entry.get("action")
        if action not in ACTIONS:
            raise FactError(Location.of(path, line_of(entry, "action")),
                            f"action must be one of {', '.join(ACTIONS)}, not {action!r}")
        draft, record = entry.get("draft"), entry.get("record")
        if not isinstance(draft, dict) or "id" not in draft:
            raise FactError(Location.of(path, line_of(entry, "draft")), f"the decision {key} has no draft record")
        if action == "reject" and record is not None:
            raise FactError(Location.of(path, line_of(entry, "record")), "a rejected draft has no record")
        if action != "reject" and (not isinstance(record, dict) or "id" not in record):
            raise FactError(Location.of(path, line_of(entry, "record") or line_of(entry)),
                            f"the decision {key} ({action}) has no record with an id")
        out[key] = Decision(action, plain(draft), plain(record) if record is not None else None)
    return out


def review_yaml(report_id: str, decisions: dict[str, Decision]) -> str:
    """The text of ``review.yaml``: a commented header, then the decisions in the order they were taken."""
    lines = [f"# Review decisions for report {report_id}, written by `anze-kg review {report_id}`.",
             "# One entry per decided draft, under the draft's key (a digest of its type, quote, occurrence",
             "# and main fields: `anze-kg extract --refresh` drafts the same record under the same key and",
             "# leaves it out). action: accept | correct | reject; draft: the record as drafted; record: as",
             "# reviewed. facts/reviewed.yaml (accepted and corrected records) is rewritten from this file.",
             f"report: {yaml_scalar(report_id)}"]
    if not decisions:
        lines.append("decisions: {}")
    else:
        lines.append("decisions:")
        for key, decision in decisions.items():
            lines += [f'  "{key}":', f"    action: {decision.action}", "    draft:"]
            lines += mapping_lines(decision.draft, "      ")
            if decision.record is not None:
                lines.append("    record:")
                lines += mapping_lines(decision.record, "      ")
    return "\n".join(lines) + "\n"
