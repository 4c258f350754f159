"""Report folders: a report is ``data/reports/<id>/`` with ``report.txt`` (the
text as published, read by :func:`anze_kg.inputs.texts.read_report_text`),
``report.yaml`` (its metadata, checked here) and ``facts/*.yaml``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from anze_kg.errors import FactError, Location, SourceError, SourceUnavailable
from anze_kg.inputs.project import SLUG_PATTERN
from anze_kg.inputs.strict_yaml import line_of, load_yaml
from anze_kg.inputs.texts import normalise
from anze_kg.inputs.texts import read_report_text as _read_text

SLUG = re.compile(SLUG_PATTERN)


def read_report_text(path: Path) -> str:
    """A report's text as the build reads it: newlines kept as published (quote offsets count in it)."""
    return _read_text(path, what="the report text", keep_newlines=True)


# ---------------------------------------------------------------- metadata

_META_REQUIRED = {"id": str, "title": str, "publisher": str, "published": str, "reference_year": int, "area": str}
_META_OPTIONAL = {
    "title_en": str, "subtitle": str, "publisher_en": str, "language": str, "genre": str,
    "reporter": str, "photographers": list, "editor": str, "rights": str, "rights_en": str,
    "source_url": str, "note": str, "draft": bool, "people_pinyin": dict,
    "text_path": str, "text_sha256": str, "text_body": str,
}
TEXT_BODIES = ("whole", "after-first-blank-line")


@dataclass(frozen=True)
class Report:
    id: str
    folder: Path
    text: str
    meta: dict
    meta_lines: dict = field(default_factory=dict)

    @property
    def text_path(self) -> Path:
        return self.folder / "report.txt"

    @property
    def meta_path(self) -> Path:
        return self.folder / "report.yaml"

    @property
    def year(self) -> int:
        return int(self.meta["reference_year"])

    @property
    def area(self) -> str:
        return str(self.meta["area"])

    def fact_files(self) -> list[Path]:
        return sorted((self.folder / "facts").glob("*.yaml"))


def _check_meta(path: Path, raw) -> dict:
    if not isinstance(raw, dict):
        raise SourceError(Location.of(path, 1), "report metadata must be a mapping of keys to values")
    meta: dict = {}
    for key, value in raw.items():
        where = Location.of(path, line_of(raw, key))
        expected = _META_REQUIRED.get(key) or _META_OPTIONAL.get(key)
        if expected is None:
            known = ", ".join(sorted({*_META_REQUIRED, *_META_OPTIONAL}))
            raise SourceError(where, f"unknown metadata key {key!r}", hint=f"known keys: {known}")
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            raise SourceError(where, f"{key} must be {expected.__name__}, not {type(value).__name__}")
        if expected is list:
            value = [normalise(str(v)) for v in value]
        elif expected is dict:
            value = {normalise(str(k)): normalise(str(v)) for k, v in value.items()}
        elif isinstance(value, str):
            value = normalise(value)
        meta[key] = value
    missing = sorted(set(_META_REQUIRED) - set(meta))
    if missing:
        raise SourceError(Location.of(path, 1), f"missing metadata: {', '.join(missing)}")
    if not SLUG.match(meta["id"]):
        raise SourceError(Location.of(path, line_of(raw, "id")), f"report id {meta['id']!r} is not a slug",
                          hint="lowercase letters, digits and '-', e.g. anze-2023")
    try:
        dt.datetime.fromisoformat(meta["published"])
    except ValueError:
        raise SourceError(Location.of(path, line_of(raw, "published")),
                          f"published {meta['published']!r} is not an ISO 8601 date or date-time") from None
    return meta


def load_report(folder: Path) -> Report:
    meta_path = folder / "report.yaml"
    try:
        raw = load_yaml(meta_path)
    except FactError as exc:
        raise SourceError(exc.location, exc.message, hint=exc.hint) from None
    meta = _check_meta(meta_path, raw)
    if meta["id"] != folder.name:
        raise SourceError(Location.of(meta_path, line_of(raw, "id")),
                          f"report id {meta['id']!r} differs from its folder name {folder.name!r}")
    lines = {k: line_of(raw, k) for k in raw}
    text = _report_text(folder, meta, Location.of(meta_path, lines.get("text_path")))
    return Report(meta["id"], folder, text, meta, lines)


TEXT_DIRS_ENV = "ANZE_KG_TEXT_DIRS"  # folders outside the project a text_path may lead into


def text_dirs() -> list[Path]:
    """The folders outside the project that ``text_path`` may read from: only those
    the user named in ``ANZE_KG_TEXT_DIRS`` (a report.yaml alone cannot widen it)."""
    return [Path(p).resolve() for p in os.environ.get(TEXT_DIRS_ENV, "").split(os.pathsep) if p.strip()]


def _report_text(folder: Path, meta: dict, where: Location) -> str:
    """The text beside the metadata (report.txt), or a text kept outside the
    project (``text_path``, relative to the project root, pinned by
    ``text_sha256``), for documents whose licence does not let us copy them;
    of either, the part ``text_body`` says."""
    if (folder / "report.txt").is_file() or "text_path" not in meta:
        return _text_body(read_report_text(folder / "report.txt"), meta, where)
    if "text_sha256" not in meta:
        raise SourceError(where, "a text_path needs its text_sha256: the facts were written against one exact text",
                          hint="add text_sha256: <the SHA-256 of that file> (sha256sum prints it)")
    root = folder.parents[2].resolve()
    path = (root / meta["text_path"]).resolve()
    allowed = [root, *text_dirs()]
    if not any(path.is_relative_to(base) for base in allowed):
        raise SourceError(where, f"text_path {meta['text_path']!r} leads outside the project ({path})",
                          hint=f"keep the text in the project, or name its folder in {TEXT_DIRS_ENV} "
                               "(folders separated by ':')")
    if not path.is_file():
        raise SourceUnavailable(where, f"the report text is kept outside the project and is not here: {path}",
                                hint="this report is left out of the build; put the file there to include it")
    data = path.read_bytes()
    if "text_sha256" in meta and hashlib.sha256(data).hexdigest() != meta["text_sha256"]:
        raise SourceError(where, f"{path} is not the text the facts were written against (SHA-256 differs)",
                          hint="restore that file, or review the facts against the new text and update text_sha256")
    return _text_body(read_report_text(path), meta, where)


def _text_body(text: str, meta: dict, where: Location) -> str:
    body = meta.get("text_body", "whole")
    if body not in TEXT_BODIES:
        raise SourceError(where, f"text_body must be one of {', '.join(TEXT_BODIES)}")
    if body == "after-first-blank-line":
        text = text.split("\n\n", 1)[1] if "\n\n" in text else text
    return text


