"""From a report's text to a draft report folder: ``report.txt``, ``report.yaml``
and ``facts/draft.yaml`` in exactly the curated facts format (docs/facts.md),
every record marked ``draft: true`` for a person to review.

* Observations name a vocab Indicator when the extracted name equals its
  ``zh`` or an ``altZh`` (a bracketed part such as (GDP) aside); otherwise a
  draft Indicator record is written *in the report's draft file*, with the
  observation's quote: vocab records take no quote, and ``extract`` writes
  nothing outside the new folder.  A reviewer moves it to
  ``data/vocab/indicators-*.yaml`` (dropping the quote) or maps it to an
  existing one.
* Units the ontology does not know, growth-only figures (the facts format
  needs a value) and places that are vocab areas are not records: they are
  listed as comments for the reviewer.
* Entities become Enterprise, Village / Town (by the suffix 村, 镇, 乡),
  DevelopmentZone (园区, 开发区 ...), Locality (other places), Project and
  Program records; ``zh`` is the label as extracted, ``en`` a placeholder
  ``[draft] <label>`` (nothing is translated).  What the shapes require is
  filled with a marked first guess so that the folder builds with
  ``--allow-drafts``: a programme's domain and an enterprise's sector from the
  words of its name (an enterprise whose sector cannot be guessed is an
  Organization), a village's or town's ``locatedIn`` the report's county (in
  a report about a city or province they stay Locality), and a report area
  missing from data/vocab a Locality record.
* Ids are placeholders too (``draft-obs-001``, ``draft-place-002``...): the
  reviewer chooses the final slugs.  ``report.yaml`` carries what the first
  lines of the text say (title, publisher, date, source URL) and marks every
  guess and placeholder with ``# TODO``.

The output is deterministic: the same text and options give the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from anze_kg.errors import OutputError
from anze_kg.extract.draft_meta import (
    PLACEHOLDER_DATE,
    PLACEHOLDER_PUBLISHER,
    Area,
    TextMeta,
    Vocab,
    load_vocab,
    read_meta,
    report_id_of,
    resolve_area,
    resolve_year,
)
from anze_kg.extract.draft_records import draft_records, scalar
from anze_kg.extract.extraction import Extraction, extract_text, read_report_text
from anze_kg.files import write_files, write_new_folder
from anze_kg.inputs.project import Project

__all__ = ["DraftReport", "draft_report", "write_report_folder", "refresh_report_folder", "extract_report",
           "extract_json", "ExtractOutcome", "Refresher"]


@dataclass(frozen=True)
class DraftReport:
    """A report folder ready to be written: its id, the text, the two YAML files and counts."""

    report_id: str
    text: str
    meta_yaml: str
    facts_yaml: str
    extraction: Extraction
    counts: dict

    def files(self, folder: Path) -> dict[Path, bytes]:
        return {folder / "report.txt": self.text.encode("utf-8"),
                folder / "report.yaml": self.meta_yaml.encode("utf-8"),
                folder / "facts" / "draft.yaml": self.facts_yaml.encode("utf-8")}


def draft_report(text: str, vocab: Vocab, *, report_id: str, area: str | None = None, year: int | None = None,
                 source: str = "report.txt") -> DraftReport:
    """Extract from ``text`` (already read: NFC, LF) and draft the report folder's files."""
    meta = read_meta(text)
    the_area = resolve_area(vocab, area, meta.title or "")
    the_year = resolve_year(year, meta.title or "", text)
    extraction = extract_text(text, year=the_year, area=the_area.zh)
    records, comments, counts = draft_records(text, extraction, vocab, the_area, the_year)
    area_id = the_area.id or "draft-area"
    facts_yaml = _facts_header(source) + "\n".join(comments) + ("\n\n" if comments else "") + records
    return DraftReport(report_id, text, _meta_yaml(report_id, meta, area_id, the_area, the_year), facts_yaml,
                       extraction, counts)


def _facts_header(source: str) -> str:
    return (f"# Draft facts written by `anze-kg extract` from {source}.\n"
            "# Review every record against report.txt: correct it, choose its final id, give real English\n"
            "# labels (en) and the relations the text states, then delete `draft: true`.\n"
            "# `anze-kg build` refuses drafts unless given --allow-drafts.\n\n")


def _meta_yaml(report_id: str, meta: TextMeta, area_id: str, area: Area, year: int) -> str:
    def line(key: str, value, todo: str | None = None) -> str:
        return f"{key}: {scalar(value)}" + (f"  # TODO: {todo}" if todo else "")

    lines = ["# Report metadata drafted by `anze-kg extract`. Check every line marked TODO,",
             "# fill in what the text did not say, then delete `draft: true`.",
             line("id", report_id), "draft: true",
             line("title", meta.title or "[draft] title", None if meta.title else "the report's title"),
             line("title_en", f"[draft] {meta.title or 'title'}", "the title in English"),
             line("publisher", meta.publisher or PLACEHOLDER_PUBLISHER,
                  "check (a line near the top)" if meta.publisher else "who published the report"),
             line("publisher_en", f"[draft] {meta.publisher or 'publisher'}", "the publisher in English"),
             line("published", meta.published or PLACEHOLDER_DATE,
                  "check (the first date near the top)" if meta.published else "date of publication (placeholder)"),
             line("reference_year", year, "check: the year the figures are for"),
             line("area", area_id, None if area.id else f"{area.zh} is not in data/vocab: add it there, or review "
                                                         "the draft area record in facts/draft.yaml"),
             line("language", "zh")]
    if meta.source_url:
        lines.append(line("source_url", meta.source_url))
    return "\n".join(lines) + "\n"





# --- writing ---------------------------------------------------------------------------------

def write_report_folder(draft: DraftReport, reports_dir: Path) -> Path:
    """Write ``reports_dir/<id>/`` all at once (a staged folder renamed into place); an
    existing folder of that id is an error and is left as it is."""
    target = reports_dir / draft.report_id
    if target.exists():
        raise OutputError(f"report {draft.report_id!r} already exists: {target}",
                          hint="choose another --report-id, or move the existing folder away; nothing was written")
    return write_new_folder(target, {path.relative_to(target).as_posix(): data
                                     for path, data in draft.files(target).items()})


# A refresh turns the new extraction's facts/draft.yaml text, for an existing folder, into the text
# to write and notes for the user (``anze-kg extract --refresh`` gives anze_kg.review.refresh_drafts).
Refresher = Callable[[Path, str], tuple[str, list[str]]]


def refresh_report_folder(draft: DraftReport, folder: Path, refresh: Refresher) -> list[str]:
    """Rewrite only ``folder/facts/draft.yaml`` of an existing report folder, with the text
    ``refresh`` makes of the new drafts; everything else in the folder stays as it is.
    The folder's ``report.txt`` must be byte for byte the text drafted from: quotes,
    offsets and the keys of decisions count in it."""
    text_path = folder / "report.txt"
    try:
        written = text_path.read_bytes()
    except OSError as exc:
        raise OutputError(f"cannot refresh {folder}: cannot read its report.txt ({exc.strerror or exc})",
                          hint="a refresh re-extracts the text of a report folder made by `anze-kg extract -o`; "
                               "nothing was written") from None
    if written != draft.text.encode("utf-8"):
        raise OutputError(f"cannot refresh {folder}: its report.txt is not the text given ({draft.report_id})",
                          hint="a refresh re-extracts the same text (as read: UTF-8, NFC, LF line ends); for a "
                               "changed text draft a new report with another --report-id; nothing was written")
    facts_yaml, notes = refresh(folder, draft.facts_yaml)
    write_files({folder / "facts" / "draft.yaml": facts_yaml.encode("utf-8")})
    return notes


# --- one call for the command line ---------------------------------------------------------------

@dataclass(frozen=True)
class ExtractOutcome:
    """What ``anze-kg extract`` did: the draft, and the folder written (None when only printed)."""

    draft: DraftReport
    folder: Path | None
    refreshed: tuple[str, ...] | None = None  # notes of a refresh (--refresh of an existing folder)

    def summary(self, fmt: str = "yaml") -> str:
        """What was written: JSON (``fmt`` json) or lines of text."""
        if self.refreshed is not None:
            written = [str(self.folder / "facts" / "draft.yaml")]
            if fmt == "json":
                return json.dumps({"report": self.draft.report_id, "folder": str(self.folder), "files": written,
                                   "counts": self.draft.counts, "refreshed": list(self.refreshed)},
                                  ensure_ascii=False, indent=1)
            return "\n".join([f"refreshed the drafts of report {self.draft.report_id}: {written[0]}",
                              *(f"  {note}" for note in self.refreshed),
                              "report.txt, report.yaml, the decisions and facts/reviewed.yaml are as they were"])
        files = [str(p) for p in self.draft.files(self.folder)] if self.folder else []
        if fmt == "json":
            return json.dumps({"report": self.draft.report_id, "folder": str(self.folder), "files": files,
                               "counts": self.draft.counts}, ensure_ascii=False, indent=1)
        counts = ", ".join(f"{v} {k}" for k, v in self.draft.counts.items())
        return "\n".join([f"wrote draft report {self.draft.report_id} ({counts}):", *(f"  {f}" for f in files),
                          "review facts/draft.yaml and report.yaml (TODO lines), then delete `draft: true`;",
                          "until then build with: anze-kg build --allow-drafts"])


def extract_json(project: Project, path: Path, *, area: str | None = None, year: int | None = None,
                 encoding: str | None = None) -> dict:
    """The extraction of ``path`` as the JSON object of ``extract --format json``; ``area`` may be a
    vocab id (its Chinese name is given to the extractor) or a name."""
    text = read_report_text(path, encoding)
    if area is not None:
        known = load_vocab(project).area(area)
        area = known.zh if known else area
    return extract_text(text, year=year, area=area).to_json_dict()


def extract_report(project: Project, path: Path, *, report_id: str | None = None, area: str | None = None,
                   year: int | None = None, encoding: str | None = None,
                   reports_dir: Path | None = None, refresh: Refresher | None = None) -> ExtractOutcome:
    """Read ``path``, extract, draft the report folder and, given ``reports_dir``, write it there.
    With ``refresh``, an existing folder of that id gets only its ``facts/draft.yaml``
    rewritten (:func:`refresh_report_folder`); without, it is an error."""
    rid = report_id_of(report_id, path)
    existing = reports_dir is not None and (reports_dir / rid).exists()
    if existing and refresh is None:
        raise OutputError(f"report {rid!r} already exists: {reports_dir / rid}",
                          hint="choose another --report-id, move the existing folder away, or re-extract its "
                               "drafts with --refresh (keeps what was reviewed); nothing was written")
    text = read_report_text(path, encoding)
    draft = draft_report(text, load_vocab(project), report_id=rid, area=area, year=year, source=path.name)
    if existing:
        notes = refresh_report_folder(draft, reports_dir / rid, refresh)
        return ExtractOutcome(draft, reports_dir / rid, tuple(notes))
    folder = write_report_folder(draft, reports_dir) if reports_dir is not None else None
    return ExtractOutcome(draft, folder)
