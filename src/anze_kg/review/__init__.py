"""Reviewing drafts: ``anze-kg review REPORT_ID``.

A review session is one report folder made by ``anze-kg extract -o``: the
draft records of ``facts/draft.yaml``, the report's text, and the decisions
taken so far.  Each draft is accepted, corrected (an edited record, checked
by the build before it is saved) or rejected; the decisions are kept in
``review.yaml`` beside ``report.yaml`` under each draft's stable key
(:mod:`anze_kg.review.keys`), the accepted and corrected records are written
without ``draft: true`` to ``facts/reviewed.yaml`` (a fact file the build
reads), and ``facts/draft.yaml`` keeps only the drafts still to decide.
``anze-kg extract --refresh`` re-extracts without bringing decided drafts back
(:mod:`anze_kg.review.refresh`).

Modules: :mod:`~anze_kg.review.keys` (the key), :mod:`~anze_kg.review.yamltext`
(records as YAML and back), :mod:`~anze_kg.review.store` (``review.yaml``),
:mod:`~anze_kg.review.session` (the logic and the files),
:mod:`~anze_kg.review.refresh`, :mod:`~anze_kg.review.server` (the page and
its JSON API on 127.0.0.1).  Nothing here prints.
"""

from __future__ import annotations

from pathlib import Path

from anze_kg.inputs.project import Project
from anze_kg.review.refresh import refresh_drafts
from anze_kg.review.session import Context, Refused, Session, counts, notes

__all__ = ["Session", "Context", "Refused", "counts", "notes", "refresher"]


def refresher(project: Project):
    """The refresh ``anze-kg extract --refresh`` hands to :func:`anze_kg.extract.drafts.extract_report`:
    the project's vocabulary is loaded only when a folder is refreshed."""
    def refresh(folder: Path, fresh_yaml: str) -> tuple[str, list[str]]:
        return refresh_drafts(Context.load(project), folder, fresh_yaml)

    return refresh
