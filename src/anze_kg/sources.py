"""Report texts and their metadata; where the project's files are; quote location.

A report is a folder ``data/reports/<id>/`` with ``report.txt`` (the text as
published, read as UTF-8 and normalised to Unicode NFC), ``report.yaml`` (its
metadata) and ``facts/*.yaml``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .errors import AnzeKGError, FactError, Location, QuoteError, SourceError, SourceUnavailable
from .yamlio import line_of, load_yaml, read_text

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CONTEXT_CHARS = 32


@dataclass(frozen=True)
class Project:
    """The folders of one anze-kg checkout (or any folder laid out the same way)."""

    root: Path

    @property
    def ontology_dir(self) -> Path:
        return self.root / "ontology"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def reports_dir(self) -> Path:
        return self.data_dir / "reports"

    @property
    def vocab_dir(self) -> Path:
        return self.data_dir / "vocab"

    @property
    def queries_dir(self) -> Path:
        return self.root / "queries"

    def ontology_files(self) -> list[Path]:
        return [self.ontology_dir / "anze.ttl", self.ontology_dir / "concepts.ttl"]

    @property
    def shapes_file(self) -> Path:
        return self.ontology_dir / "shapes.ttl"

    def report_dirs(self) -> list[Path]:
        if not self.reports_dir.is_dir():
            return []
        return sorted(p for p in self.reports_dir.iterdir() if (p / "report.yaml").is_file())

    def relative(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return path.as_posix()


def find_project(start: Path | None = None) -> Project:
    """The nearest folder at or above ``start`` (default: the working directory)
    that holds ``ontology/anze.ttl`` and ``data/``; else the checkout this
    package was installed from (editable installs)."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "ontology" / "anze.ttl").is_file() and (folder / "data").is_dir():
            return Project(folder)
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / "ontology" / "anze.ttl").is_file():
        return Project(checkout)
    raise AnzeKGError(
        f"no anze-kg project found at or above {here}",
        hint="run inside the project folder, or pass --project DIR",
    )


def normalise(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def read_report_text(path: Path) -> str:
    text = read_text(path, SourceError, "the report text", hint="convert it, e.g. iconv -f GB18030 -t UTF-8")
    if not text.strip():
        raise SourceError(Location.of(path), "the report text is empty")
    return normalise(text)


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


def _report_text(folder: Path, meta: dict, where: Location) -> str:
    """The text beside the metadata (report.txt), or a text kept outside the
    project (``text_path``, relative to the project root, pinned by
    ``text_sha256``), for documents whose licence does not let us copy them;
    of either, the part ``text_body`` says."""
    if (folder / "report.txt").is_file() or "text_path" not in meta:
        return _text_body(read_report_text(folder / "report.txt"), meta, where)
    path = (folder.parents[2] / meta["text_path"]).resolve()
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


# ---------------------------------------------------------------- quotes


@dataclass(frozen=True)
class Span:
    """Where a quote stands in the text: ``text[start:end] == exact``."""

    exact: str
    start: int
    end: int
    prefix: str
    suffix: str


def find_all(text: str, quote: str) -> list[int]:
    starts, at = [], text.find(quote)
    while at != -1:
        starts.append(at)
        at = text.find(quote, at + 1)
    return starts


def locate(text: str, quote: str, where: Location, occurrence: int | None = None) -> Span:
    """Find ``quote`` in ``text``: exactly once, or its ``occurrence``-th time (1-based)."""
    quote = normalise(quote)
    if not quote.strip():
        raise QuoteError(where, "the quote is empty")
    starts = find_all(text, quote)
    if not starts:
        raise QuoteError(where, f"quote not found in the report text: {quote!r}", hint=_near_miss(text, quote))
    if occurrence is None and len(starts) > 1:
        raise QuoteError(where, f"quote occurs {len(starts)} times in the report text: {quote!r}",
                         hint="lengthen the quote, or add `occurrence: N` to say which one")
    if occurrence is not None and not 1 <= occurrence <= len(starts):
        raise QuoteError(where, f"occurrence {occurrence} asked, but the quote occurs {len(starts)} time(s)")
    start = starts[(occurrence or 1) - 1]
    end = start + len(quote)
    return Span(quote, start, end, text[max(0, start - CONTEXT_CHARS):start], text[end:end + CONTEXT_CHARS])


def _near_miss(text: str, quote: str) -> str:
    """Say how much of the quote matches, to point at the first differing character."""
    lo, hi = 0, len(quote)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if quote[:mid] in text:
            lo = mid
        else:
            hi = mid - 1
    if lo == 0:
        return "copy the quote from report.txt; not even its first character is in the text"
    return f"the text has {quote[:lo]!r} but not what follows it ({quote[lo:lo + 8]!r}...): check punctuation (ASCII ',' vs '，')"
