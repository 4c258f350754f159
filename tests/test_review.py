"""`anze-kg review`: keys that survive re-extraction, decisions written to
review.yaml / facts/reviewed.yaml / facts/draft.yaml, references kept whole,
corrections checked by the build before anything is written, `extract
--refresh`, the errors, and the page's JSON API end to end on 127.0.0.1.

The report text is written here (sentences about 安泽县 that the real
report does not contain; 𠀋, a character outside the BMP, makes the page's
offsets in characters differ from JavaScript's UTF-16 ones); every folder is a tmp_path copy of a project made
of the repository's ontology and vocabulary.  Records are found by what they
say, not by their placeholder ids, so that the extractor may improve.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import selectors
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import copy_project
from conftest_servers import anze_kg_command

from anze_kg.cli import main
from anze_kg.extract import drafts as drafts_module
from anze_kg.inputs.project import Project
from anze_kg.inputs.strict_yaml import load_yaml
from anze_kg.review import Session
from anze_kg.review.keys import plain_key, record_keys
from anze_kg.review.session import Refused, draft_text, entries, names_of, notes
from anze_kg.review.store import read_decisions

RID = "anze-brief-2021"
TEXT = """安泽县2021年经济运行简报

安泽县统计局

2022年1月20日 责任编辑:王𠀋

2021年,全县实现地区生产总值95.2亿元,比上年增长8.1%。全年城镇新增就业2,480人。
森林覆盖率达到58.3%,比上年提高0.6个百分点。
和川镇东洼村实施“美丽乡村”工程,引进华润集团,安泰煤业年产60万吨洗煤项目开工建设。
"""
# the same text with one more figure, and a new indicator, before 森林覆盖率: the placeholder ids after it shift
SHIFTED = TEXT.replace("森林覆盖率达到", "草原综合植被盖度达到45.1%。森林覆盖率达到")


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def write_text(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """A project (the repository's ontology, queries and vocabulary, no reports) with the
    draft folder `anze-kg extract` makes of TEXT."""
    root = tmp_path_factory.mktemp("review") / "project"
    project = copy_project(root, reports=())
    text = write_text(root.parent / "in", f"{RID}.txt", TEXT)
    assert main(["--project", str(root), "extract", str(text), "--area", "anze", "-o"]) == 0
    assert (project.reports_dir / RID / "facts" / "draft.yaml").is_file()
    return root


@pytest.fixture
def project(template, tmp_path) -> Project:
    root = tmp_path / "project"
    shutil.copytree(template, root)
    shutil.copytree(template.parent / "in", tmp_path / "in")
    return Project(root)


def folder_of(project: Project) -> Path:
    return project.reports_dir / RID


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def open_session(project: Project) -> Session:
    return Session.open(project, project.reports_dir, RID)


def rows(session: Session) -> list[dict]:
    return entries(session.ctx, session.state())


def find(session: Session, **want) -> dict:
    """The one entry whose fields contain ``want`` (``label`` matches as a prefix)."""
    found = [e for e in rows(session) if all(e[k].startswith(v) if k == "label" else e[k] == v
                                            for k, v in want.items())]
    assert len(found) == 1, (want, [(e["type"], e["label"]) for e in rows(session)])
    return found[0]


def reviewed_records(folder: Path) -> list[dict]:
    return list(load_yaml(folder / "facts" / "reviewed.yaml") or [])


def draft_records(folder: Path) -> list[dict]:
    return list(load_yaml(folder / "facts" / "draft.yaml") or [])


# --- keys -------------------------------------------------------------------------------------------

def test_keys_survive_reextraction_when_the_placeholder_ids_shift(project, tmp_path, capsys):
    other = write_text(tmp_path / "in", "shifted-2021.txt", SHIFTED)
    assert run(capsys, "--project", project.root, "extract", other, "--area", "anze", "-o")[0] == 0
    one = open_session(project)
    two = Session.open(project, project.reports_dir, "shifted-2021")
    by_key = {e["key"]: e for e in rows(two)}
    mine = rows(one)
    assert len(by_key) == len(mine) + 2  # the new figure and its new indicator
    for entry in mine:
        twin = by_key[entry["key"]]
        assert (twin["type"], twin["label"], twin["quote"]) == (entry["type"], entry["label"], entry["quote"])
    forest = find(one, type="Indicator", label="森林覆盖率")
    forest_figure = find(one, type="Observation", label="森林覆盖率")
    # the ids differ (the indicator and the figure were numbered after the new ones), the keys do not
    assert by_key[forest["key"]]["id"] != forest["id"]
    assert by_key[forest_figure["key"]]["id"] != forest_figure["id"]


def test_a_key_is_made_of_what_the_record_says():
    names = {"draft-indicator-001": "森林覆盖率", "draft-indicator-009": "森林覆盖率", "gdp": "地区生产总值"}
    figure = {"id": "draft-obs-003", "type": "Observation", "indicator": "draft-indicator-001", "value": 58.3,
              "unit": "%", "quote": "森林覆盖率达到58.3%", "draft": True}
    key = plain_key(figure, names)
    assert plain_key({**figure, "id": "draft-obs-017", "indicator": "draft-indicator-009"}, names) == key
    assert plain_key({**figure, "growthRate": 1, "note": "x"}, names) == key  # only the main fields count
    from decimal import Decimal
    assert plain_key({**figure, "value": Decimal("58.30")}, names) == key
    for changed in ({"value": 58.4}, {"unit": "‰"}, {"indicator": "gdp"}, {"quote": "森林覆盖率达到58.3"},
                    {"occurrence": 2}, {"type": "Indicator"}):
        assert plain_key({**figure, **changed}, names) != key, changed
    place = {"id": "draft-place-001", "type": "Town", "zh": "和川镇", "quote": "和川镇东洼村"}
    assert plain_key({**place, "id": "x"}, names) == plain_key(place, names) != plain_key({**place, "zh": "和川"}, names)
    assert re.fullmatch(r"[0-9a-f]{16}", key)
    twice = record_keys([place, place], names)
    assert twice[0] == plain_key(place, names) and twice[1] != twice[0]


def test_draft_yaml_is_written_back_as_extract_wrote_it(project):
    """Records read and written again give extract's bytes (here, before any decision, in its order)."""
    session = open_session(project)
    path = folder_of(project) / "facts" / "draft.yaml"
    state = session.state()
    raw = draft_records(folder_of(project))
    by_id = {str(d.record["id"]): d for d in state.drafts}
    assert draft_text(state.preamble, [by_id[str(r["id"])] for r in raw]) == path.read_text(encoding="utf-8")


# --- decisions and the files they write ---------------------------------------------------------------

def test_accept_correct_reject_and_undo_write_the_three_files(project):
    folder = folder_of(project)
    session = open_session(project)
    total = len(rows(session))
    gdp = find(session, type="Observation", label="地区生产总值")
    jobs = find(session, type="Observation", label="城镇新增就业")
    town = find(session, type="Town", label="和川镇")

    session.decide(gdp["key"], "accept")
    corrected = jobs["yaml"].replace("valueText", "note: 城镇新增就业2,480人\nvalueText")
    session.decide(jobs["key"], "correct", corrected)
    session.decide(town["key"], "reject")

    decisions = read_decisions(folder / "review.yaml", RID)
    assert [(k, d.action) for k, d in decisions.items()] == [(gdp["key"], "accept"), (jobs["key"], "correct"),
                                                             (town["key"], "reject")]
    assert decisions[jobs["key"]].record["note"] == "城镇新增就业2,480人"
    assert decisions[town["key"]].record is None and decisions[town["key"]].draft["draft"] is True
    text = (folder / "review.yaml").read_text(encoding="utf-8")
    assert text.startswith("# Review decisions for report anze-brief-2021")
    reviewed = reviewed_records(folder)
    assert [r["id"] for r in reviewed] == [gdp["id"], jobs["id"]]
    assert all("draft" not in r for r in reviewed)
    assert reviewed[1]["note"] == "城镇新增就业2,480人"
    left = draft_records(folder)
    assert len(left) == total - 3 and {gdp["id"], jobs["id"], town["id"]}.isdisjoint(r["id"] for r in left)
    assert all(r["draft"] is True for r in left)
    assert (folder / "facts" / "draft.yaml").read_text(encoding="utf-8").startswith("# Draft facts written by")
    counts = {e["status"] for e in rows(session)}
    assert counts == {"left", "accepted", "corrected", "rejected"}

    for entry in (gdp, jobs, town):
        session.undo(entry["key"])
    assert read_decisions(folder / "review.yaml", RID) == {}
    assert reviewed_records(folder) == []
    assert sorted(r["id"] for r in draft_records(folder)) == sorted(e["id"] for e in rows(session))
    assert len(draft_records(folder)) == total
    with pytest.raises(Refused) as refused:
        session.undo(gdp["key"])
    assert refused.value.status == 409


def test_a_correction_that_changes_an_id_rewrites_the_references_to_it(project):
    folder = folder_of(project)
    session = open_session(project)
    forest = find(session, type="Indicator", label="森林覆盖率")
    figure = find(session, type="Observation", label="森林覆盖率")
    assert f"indicator: {forest['id']}" in figure["yaml"]

    session.decide(forest["key"], "correct", forest["yaml"].replace(f"id: {forest['id']}", "id: anze-forest-cover")
                   .replace('en: "[draft] 森林覆盖率"', "en: Forest cover"))
    [waiting] = [r for r in draft_records(folder) if r["id"] == figure["id"]]
    assert waiting["indicator"] == "anze-forest-cover"
    assert find(session, id=figure["id"])["key"] == figure["key"]  # its key did not change with the reference
    session.decide(figure["key"], "accept")
    assert {r["id"]: r.get("indicator") for r in reviewed_records(folder)} == {
        "anze-forest-cover": None, figure["id"]: "anze-forest-cover"}

    session.undo(forest["key"])  # the id goes back, and so do the references
    assert [r.get("indicator") for r in reviewed_records(folder)] == [forest["id"]]
    assert find(session, id=forest["id"])["status"] == "left"


def test_references_to_rejected_or_missing_records_are_refused(project):
    folder = folder_of(project)
    session = open_session(project)
    forest = find(session, type="Indicator", label="森林覆盖率")
    figure = find(session, type="Observation", label="森林覆盖率")

    session.decide(figure["key"], "accept")
    before = snapshot(folder)
    with pytest.raises(Refused) as refused:  # an accepted record points at it
        session.decide(forest["key"], "reject")
    assert refused.value.status == 409 and figure["id"] in refused.value.message
    assert snapshot(folder) == before

    session.undo(figure["key"])
    session.decide(forest["key"], "reject")
    before = snapshot(folder)
    with pytest.raises(Refused) as refused:
        session.decide(figure["key"], "accept")
    assert refused.value.field == "indicator" and "rejected" in refused.value.message
    assert "rejected" in " ".join(find(session, key=figure["key"])["warnings"])
    pointing_nowhere = figure["yaml"].replace(forest["id"], "no-such-indicator")
    with pytest.raises(Refused) as refused:
        session.decide(figure["key"], "correct", pointing_nowhere)
    assert refused.value.field == "indicator" and "not defined" in refused.value.message
    assert refused.value.line == pointing_nowhere.splitlines().index("indicator: no-such-indicator") + 1
    assert snapshot(folder) == before
    # pointing it at a vocab indicator instead is fine
    session.decide(figure["key"], "correct", figure["yaml"].replace(f"indicator: {forest['id']}", "indicator: gdp"))
    assert [r["indicator"] for r in reviewed_records(folder)] == ["gdp"]


def _bad(yaml: str, quote: str) -> dict[str, tuple[str, str | None]]:
    """Edits of an observation's YAML that must be refused: (edited text, the field named)."""
    return {
        "malformed YAML": (yaml + "unit: [亿元\n", None),
        "unknown key": (yaml + "colour: red\n", "colour"),
        "quote not in the text": (yaml.replace(quote, quote + "以上"), "quote"),
        "unknown unit": (yaml.replace("unit: 亿元", "unit: 亿斤"), "unit"),
        "value not in its quote": (yaml.replace("value: 95.2", "value: 95.3"), "value"),
        "full-width digits": (yaml.replace("value: 95.2", 'value: "９５.２"'), "value"),
        "still a draft": (yaml + "draft: true\n", "draft"),
        "unknown type": (yaml.replace("type: Observation", "type: Observaton"), "type"),
        "an id that is not a slug": (yaml.replace("id: draft-obs", "id: Draft_obs"), "id"),
        "an id another record has": (re.sub(r"^id: .*$", "id: {other}", yaml, flags=re.M), "id"),
        "two records": ("- " + yaml.replace("\n", "\n  ").rstrip() + "\n- id: x\n  type: Town\n", None),
        "empty": ("   \n", None),
    }


@pytest.mark.parametrize("case", list(_bad("", "")))
def test_a_bad_correction_leaves_every_file_byte_identical(project, case):
    folder = folder_of(project)
    session = open_session(project)
    gdp = find(session, type="Observation", label="地区生产总值")
    other = find(session, type="Town", label="和川镇")["id"]
    text, field = _bad(gdp["yaml"], gdp["quote"])[case]
    text = text.replace("{other}", other)
    before = snapshot(folder)
    with pytest.raises(Refused) as refused:
        session.decide(gdp["key"], "correct", text)
    assert refused.value.field == field, refused.value.to_json()
    assert refused.value.message
    assert snapshot(folder) == before
    assert find(session, key=gdp["key"])["status"] == "left"


def test_a_correction_the_shapes_refuse_names_the_field(project):
    folder = folder_of(project)
    session = open_session(project)
    firm = next(e for e in rows(session) if e["type"] == "Enterprise" and "sector:" in e["yaml"])
    before = snapshot(folder)
    with pytest.raises(Refused) as refused:  # an enterprise needs its sector (ontology/shapes.ttl)
        session.decide(firm["key"], "correct", re.sub(r"(?m)^sector: .*\n", "", firm["yaml"]))
    assert refused.value.field == "sector" and "sector" in refused.value.message
    assert snapshot(folder) == before


def test_build_accepts_the_folder_once_every_draft_is_decided(project, tmp_path, capsys):
    session = open_session(project)
    code, _, err = run(capsys, "--project", project.root, "build", "--out", tmp_path / "o1", "--jobs", "1")
    assert code == 2 and "unreviewed draft" in err  # drafts left: refused, as ever
    town = find(session, type="Town", label="和川镇")
    session.decide(town["key"], "correct", town["yaml"].replace('en: "[draft] 和川镇"', "en: Hechuan Town\npinyin: Héchuān"))
    for entry in rows(session):
        if entry["status"] != "left":
            continue
        if entry["type"] == "Organization":
            session.decide(entry["key"], "reject")
        else:
            session.decide(entry["key"], "accept")
    state = session.state()
    assert not state.drafts and draft_records(folder_of(project)) == []
    code, out, err = run(capsys, "--project", project.root, "build", "--out", tmp_path / "o2", "--jobs", "1")
    assert code == 0, err
    assert "SHACL: conforms" in out and RID in out
    code, out, _ = run(capsys, "--project", project.root, "review", RID, "--status")
    assert code == 0 and f"{RID}: 0 of" in out and re.search(r"left\s+0\b", out)


def test_status_prints_the_counts(project, capsys):
    session = open_session(project)
    total = len(rows(session))
    session.decide(find(session, type="Observation", label="地区生产总值")["key"], "accept")
    session.decide(find(session, type="Town", label="和川镇")["key"], "reject")
    before = snapshot(folder_of(project))
    code, out, err = run(capsys, "--project", project.root, "review", RID, "--status")
    assert code == 0, err
    assert out.splitlines()[0] == f"{RID}: {total - 2} of {total} left (accepted 1, corrected 0, rejected 1)"
    assert re.search(rf"left\s+{total - 2}\n\s+accepted\s+1\n\s+corrected\s+0\n\s+rejected\s+1\n", out)
    assert snapshot(folder_of(project)) == before


def test_a_write_cut_short_loses_no_decision(project):
    """review.yaml is renamed into place first: a draft still in draft.yaml whose key has a
    decision counts as decided (and the next decision tidies draft.yaml and reviewed.yaml)."""
    folder = folder_of(project)
    session = open_session(project)
    old_drafts = (folder / "facts" / "draft.yaml").read_bytes()
    gdp = find(session, type="Observation", label="地区生产总值")
    session.decide(gdp["key"], "accept")
    (folder / "facts" / "draft.yaml").write_bytes(old_drafts)  # as if cut short after review.yaml
    (folder / "facts" / "reviewed.yaml").unlink()
    assert find(session, key=gdp["key"])["status"] == "accepted"
    assert [e["key"] for e in rows(session)].count(gdp["key"]) == 1
    assert any("reviewed.yaml is not what review.yaml says" in n for n in notes(session.state()))
    session.decide(find(session, type="Town", label="和川镇")["key"], "reject")
    assert [r["id"] for r in reviewed_records(folder)] == [gdp["id"]]
    assert gdp["id"] not in [r["id"] for r in draft_records(folder)]


def test_identical_drafts_keep_keys_of_their_own(project):
    """Two drafts that say the same are two records: deciding one leaves the other, its key
    stated in a comment of draft.yaml."""
    path = folder_of(project) / "facts" / "draft.yaml"
    text = path.read_text(encoding="utf-8")
    block = text[text.index("- id: "):].split("\n\n", 1)[0]
    ident = block.split("\n", 1)[0].removeprefix("- id: ")
    path.write_text(text + "\n" + block.replace(f"- id: {ident}", f"- id: {ident}-twin") + "\n", encoding="utf-8")
    session = open_session(project)
    twins = [e for e in rows(session) if e["id"] in (ident, f"{ident}-twin")]
    assert len(twins) == 2 and twins[0]["key"] != twins[1]["key"]
    session.decide(twins[0]["key"], "accept")
    assert f"# review key: {twins[1]['key']}\n- id: " in path.read_text(encoding="utf-8")
    assert find(session, key=twins[1]["key"])["status"] == "left"
    session.decide(twins[1]["key"], "reject")
    assert [find(session, key=t["key"])["status"] for t in twins] == ["accepted", "rejected"]
    assert "# review key" not in path.read_text(encoding="utf-8")


# --- extract --refresh -------------------------------------------------------------------------------

def _decide_some(session: Session) -> dict[str, str]:
    forest = find(session, type="Indicator", label="森林覆盖率")
    session.decide(find(session, type="Observation", label="地区生产总值")["key"], "accept")
    session.decide(forest["key"], "correct", forest["yaml"].replace(f"id: {forest['id']}", "id: anze-forest-cover"))
    session.decide(find(session, type="Town", label="和川镇")["key"], "reject")
    return {e["key"]: e["status"] for e in rows(session)}


def test_extract_refresh_keeps_the_decisions_and_brings_no_decided_draft_back(project, tmp_path, capsys):
    folder = folder_of(project)
    session = open_session(project)
    statuses = _decide_some(session)
    figure = find(session, type="Observation", label="森林覆盖率")
    kept = {name: data for name, data in snapshot(folder).items() if name != "facts/draft.yaml"}
    left_before = {(e["key"], e["id"]) for e in rows(session) if e["status"] == "left"}
    text = tmp_path / "in" / f"{RID}.txt"

    code, out, err = run(capsys, "--project", project.root, "extract", text, "--area", "anze", "-o")
    assert code == 2 and "already exists" in err and "--refresh" in err  # without --refresh: refused as before
    code, out, err = run(capsys, "--project", project.root, "extract", text, "--area", "anze", "-o", "--refresh")
    assert code == 0, err
    assert "refreshed the drafts" in out and "3 already decided left out" in out
    assert {name: data for name, data in snapshot(folder).items() if name != "facts/draft.yaml"} == kept
    after = open_session(project)
    assert {e["key"]: e["status"] for e in rows(after)} == statuses
    assert {(e["key"], e["id"]) for e in rows(after) if e["status"] == "left"} == left_before
    drafted = draft_records(folder)
    decided = {k for k, s in statuses.items() if s != "left"}
    names = names_of(after.ctx, drafted, read_decisions(folder / "review.yaml", RID))
    assert decided.isdisjoint(record_keys(drafted, names))
    [waiting] = [r for r in drafted if r["id"] == figure["id"]]
    assert waiting["indicator"] == "anze-forest-cover"  # the new draft points at the reviewed indicator
    assert find(after, type="Observation", label="森林覆盖率")["warnings"] == []

    # a refresh is only for the same text
    changed = write_text(tmp_path / "in2", f"{RID}.txt", SHIFTED)
    before = snapshot(folder)
    code, _, err = run(capsys, "--project", project.root, "extract", changed, "--area", "anze", "-o", "--refresh")
    assert code == 2 and "report.txt is not the text given" in err and "nothing was written" in err
    assert snapshot(folder) == before
    code, _, err = run(capsys, "--project", project.root, "extract", text, "--area", "anze", "--refresh")
    assert code == 2 and "-o" in err
    # a folder that is not there yet is drafted as without --refresh
    code, out, err = run(capsys, "--project", project.root, "extract", text, "--report-id", "fresh-2021",
                         "--area", "anze", "-o", "--refresh")
    assert code == 0 and "wrote draft report fresh-2021" in out, err
    assert sorted(snapshot(project.reports_dir / "fresh-2021")) == ["facts/draft.yaml", "report.txt", "report.yaml"]


def test_refresh_after_the_extractor_changed_keeps_the_ids_drafts_had(project, tmp_path, capsys, monkeypatch):
    """The new extraction finds one figure less, so its placeholder ids shift: the drafts it shares
    with the folder keep the ids they had there, and no id clashes with a reviewed record."""
    folder = folder_of(project)
    session = open_session(project)
    _decide_some(session)
    left_before = {e["key"]: e["id"] for e in rows(session) if e["status"] == "left"}
    dropped = find(session, type="Observation", label="城镇新增就业")
    real = drafts_module.extract_text

    def fewer(text, **options):
        found = real(text, **options)
        return replace(found, observations=tuple(o for o in found.observations if o.quote != dropped["quote"]))

    monkeypatch.setattr(drafts_module, "extract_text", fewer)
    code, out, err = run(capsys, "--project", project.root, "extract", tmp_path / "in" / f"{RID}.txt", "--area",
                         "anze", "-o", "--refresh")
    assert code == 0, err
    after = {e["key"]: e["id"] for e in rows(open_session(project)) if e["status"] == "left"}
    assert after == {k: v for k, v in left_before.items() if k != dropped["key"]}
    ids = [r["id"] for r in draft_records(folder)] + [r["id"] for r in reviewed_records(folder)]
    assert len(ids) == len(set(ids))


# --- errors ------------------------------------------------------------------------------------------

def test_an_unknown_report_or_a_folder_without_drafts_is_refused(project, capsys):
    code, _, err = run(capsys, "--project", project.root, "review", "no-such-report", "--status")
    assert code == 2 and "no report 'no-such-report'" in err and RID in err and "Traceback" not in err
    (folder_of(project) / "facts" / "draft.yaml").rename(folder_of(project) / "facts" / "curated.yaml")
    before = snapshot(folder_of(project))
    code, _, err = run(capsys, "--project", project.root, "review", RID, "--status")
    assert code == 2 and "facts/draft.yaml: no draft facts to review" in err
    assert snapshot(folder_of(project)) == before
    code, _, err = run(capsys, "--project", project.root, "review", "Not_A_Slug")
    assert code == 2 and "not a slug" in err


@pytest.mark.parametrize("text, line, says", [
    ("report: anze-brief-2021\ndecisions:\n  \"0123456789abcdef\":\n    action: accept\n    action: reject\n", 5,
     "duplicate key"),
    ("report: anze-brief-2021\ndecisions:\n  \"0123456789abcdef\":\n    action: maybe\n    draft: {id: x}\n", 4,
     "action must be one of"),
    ("report: anze-brief-2021\ndecisions:\n  not-a-key:\n    action: reject\n    draft: {id: x}\n", 3,
     "is not a review key"),
    ("report: anze-brief-2021\ndecisions: [\n", 3, "malformed YAML"),
    ("- a list\n", 1, "must be a mapping"),
    ("report: another-report\ndecisions: {}\n", 1, "is for report 'another-report'"),
])
def test_a_malformed_review_yaml_is_named_with_its_line_and_nothing_is_written(project, capsys, text, line, says):
    folder = folder_of(project)
    (folder / "review.yaml").write_text(text, encoding="utf-8")
    before = snapshot(folder)
    code, _, err = run(capsys, "--project", project.root, "review", RID, "--status")
    assert code == 2 and f"review.yaml:{line}" in err and says in err, err
    code, _, err = run(capsys, "--project", project.root, "extract", project.root.parent / "in" / f"{RID}.txt",
                       "--area", "anze", "-o", "--refresh")
    assert code == 2 and f"review.yaml:{line}" in err, err
    assert snapshot(folder) == before


# --- the page and its API, end to end -------------------------------------------------------------------

class Server:
    """`anze-kg review ID --port 0 --no-browser` as a subprocess: the URL is read from what it prints."""

    def __init__(self, project: Project) -> None:
        self.process = subprocess.Popen([*anze_kg_command(), "--project", str(project.root), "review", RID,
                                         "--port", "0", "--no-browser"], stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, env={**os.environ, "BROWSER": "false"})
        self.url = self._read_url(60)

    def _read_url(self, timeout: float) -> str:
        selector = selectors.DefaultSelector()
        selector.register(self.process.stderr, selectors.EVENT_READ)
        deadline, seen = time.monotonic() + timeout, b""
        while time.monotonic() < deadline:
            if not selector.select(timeout=1):
                continue
            line = self.process.stderr.readline()
            if not line:
                raise RuntimeError(f"review exited: {seen.decode(errors='replace')}")
            seen += line
            found = re.search(rb"http://127\.0\.0\.1:(\d+)/", line)
            if found:
                return found.group().decode()
        raise RuntimeError(f"no URL within {timeout} s: {seen.decode(errors='replace')}")

    def request(self, path: str, body=None, headers: dict | None = None, raw: bytes | None = None):
        data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
        heads = {"Content-Type": "application/json"} if data is not None else {}
        request = urllib.request.Request(self.url + path.lstrip("/"), data=data, headers={**heads, **(headers or {})},
                                         method="POST" if data is not None else "GET")
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                return answer.status, dict(answer.headers), answer.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    def oversized(self, path: str) -> int:
        """The status of a POST declaring a body over the limit (only its first bytes are sent:
        the server answers on the header, without reading it)."""
        parts = urllib.parse.urlsplit(self.url)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        try:
            connection.putrequest("POST", path)
            connection.putheader("Content-Type", "application/json")
            connection.putheader("Content-Length", str(2 << 20))
            connection.endheaders(b"{}")
            return connection.getresponse().status
        finally:
            connection.close()

    def stop(self) -> int:
        self.process.send_signal(signal.SIGINT)  # Ctrl+C
        try:
            return self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)
            raise


def test_the_page_and_its_api_end_to_end_on_127_0_0_1(project):
    folder = folder_of(project)
    server = Server(project)
    try:
        status, headers, page = server.request("/")
        assert status == 200 and b'src="static/review.js"' in page
        policy = headers["content-security-policy"]
        assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy and "http" not in policy
        assert headers["x-content-type-options"] == "nosniff"
        status, _, script = server.request("/static/review.js")
        assert status == 200 and b"innerHTML" not in script and b"textContent" in script
        assert b"http://" not in script and b"https://" not in script  # nothing fetched from elsewhere

        status, _, body = server.request("/api/records")
        listed = json.loads(body)
        status_text, _, text_body = server.request("/api/text")
        text = json.loads(text_body)["text"]
        assert status == status_text == 200 and listed["report"] == RID
        assert listed["counts"]["left"] == listed["counts"]["total"] == len(listed["records"]) > 5
        # every quote's highlight offsets (characters, as the page uses them) are the quote in the text
        for record in listed["records"]:
            assert text[record["start"]:record["end"]] == record["quote"], record
        assert text == (folder / "report.txt").read_text(encoding="utf-8")
        gdp = next(r for r in listed["records"] if r["label"].startswith("地区生产总值"))

        before = snapshot(folder)
        decide = {"key": gdp["key"], "action": "accept"}
        status, _, answer = server.request("/api/decide", decide, headers={"Origin": "http://evil.example"})
        assert status == 403 and b"cross-origin" in answer
        status, _, answer = server.request("/api/decide", decide, headers={"Host": "evil.example:80"})
        assert status == 400 and b"does not answer to the host" in answer
        status, _, _ = server.request("/api/decide", raw=json.dumps(decide).encode(),
                                      headers={"Content-Type": "text/plain"})
        assert status == 415
        status, _, _ = server.request("/api/decide", raw=b"{not json")
        assert status == 400
        assert server.oversized("/api/decide") == 413
        status, _, answer = server.request("/api/decide", {**decide, "action": "correct",
                                                           "yaml": gdp["yaml"].replace("unit: 亿元", "unit: 亿斤")})
        assert status == 422 and json.loads(answer)["field"] == "unit"
        assert snapshot(folder) == before  # nothing that was refused wrote anything

        started = time.perf_counter()
        status, _, answer = server.request("/api/decide", decide, headers={"Origin": server.url.rstrip("/")})
        took = time.perf_counter() - started
        assert status == 200, answer
        after = json.loads(answer)
        assert after["counts"]["left"] == listed["counts"]["left"] - 1 and after["counts"]["accepted"] == 1
        assert [r["status"] for r in after["records"] if r["key"] == gdp["key"]] == ["accepted"]
        assert [r["id"] for r in reviewed_records(folder)] == [gdp["id"]]
        status, _, answer = server.request("/api/decide", decide)
        assert status == 409
        status, _, answer = server.request("/api/undo", {"key": gdp["key"]})
        assert status == 200 and json.loads(answer)["counts"]["left"] == listed["counts"]["left"]
        assert reviewed_records(folder) == []
        print(f"one decision through the API: {took * 1000:.0f} ms")
    finally:
        code = server.stop()
    assert code == 0
    assert b"stopped" in server.process.stderr.read()


def test_the_page_works_in_a_browser(project):
    """Keys a (accept) and j (next), a refused correction shown on the page, the quote marked in the text."""
    playwright = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
    if not os.path.exists("/usr/bin/chromium"):
        pytest.skip("no chromium at /usr/bin/chromium (apt-get install -y chromium fonts-noto-cjk)")
    server = Server(project)
    try:
        with playwright.sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                         args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page()
            problems: list[str] = []
            page.on("pageerror", lambda e: problems.append(str(e)))
            page.goto(server.url)
            page.wait_for_selector("#list button")
            counts = page.text_content("#counts")
            total = int(counts.split(" of ")[1].split()[0])
            first = page.text_content("#list button[aria-current=true] .label")
            listed = json.loads(server.request("/api/records")[2])["records"]
            quotes = {r["label"]: r["quote"] for r in listed}
            assert page.text_content("mark") == quotes[first]  # after 𠀋: offsets in characters, not UTF-16
            assert page.input_value("#editor").startswith("id: ")
            page.keyboard.press("a")
            playwright.expect(page.locator("#counts")).to_have_text(re.compile(f"^{total - 1} of {total} left"))
            assert first not in page.locator("#list .label").all_text_contents()  # the left filter hides it
            page.keyboard.press("j")
            assert page.text_content("mark") == quotes[page.text_content("#list button[aria-current=true] .label")]
            page.fill("#editor", page.input_value("#editor") + "colour: red\n")
            page.click("#correct")
            playwright.expect(page.locator("#error")).to_contain_text("colour")
            page.check("input[value=decided]")
            assert page.locator("#list .label").all_text_contents() == [first]
            browser.close()
        assert problems == []
    finally:
        server.stop()
    assert len(reviewed_records(folder_of(project))) == 1
