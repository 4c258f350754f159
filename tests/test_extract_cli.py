"""`anze-kg extract`: the JSON extraction, the draft report folder, and bad input.

The report texts are written here for these tests (a county that does not
exist, 云溪县, and sentences about 安泽县 that the real report does not
contain).  CLI calls go through ``anze_kg.cli.main``; one runs the installed
console script.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from decimal import Decimal as D
from pathlib import Path

import pytest
from conftest import copy_project

from anze_kg.cli import main
from anze_kg.extract.extraction import extract_text, read_report_text
from anze_kg.inputs.reports import load_report
from anze_kg.inputs.strict_yaml import load_yaml

BULLETIN = """source: https://example.org/tjgb/yunxi-2021.html
retrieved-excerpt: yes

安泽县2021年国民经济和社会发展统计公报

安泽县统计局

2022年3月18日

一、综合

2021年,全县实现地区生产总值88.8亿元,比上年增长7.3%,增速全市排名第一。全年城镇新增就业3,215人。
森林覆盖率达到42.5%,比上年提高1.5个百分点。规模以上工业增加值增长9.1%。农作物播种面积30.2万亩。
黄石镇白马村建成“乡村清洁”工程,宏泰煤业年产5万吨有机肥项目建成投产,引进鼎盛集团。
"""


@pytest.fixture
def bulletin(tmp_path) -> Path:
    path = tmp_path / "in" / "bulletin-2021.txt"
    path.parent.mkdir()
    path.write_text(BULLETIN, encoding="utf-8")
    return path


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# --- JSON ----------------------------------------------------------------------------

def test_json_is_what_the_library_extracts_with_exactly_the_documented_keys(bulletin, capsys):
    code, out, _ = run(capsys, "extract", str(bulletin), "--format", "json", "--area", "anze", "--year", "2021")
    data = json.loads(out)
    text = read_report_text(bulletin)
    assert code == 0 and data == extract_text(text, year=2021, area="安泽县").to_json_dict()
    assert list(data) == ["observations", "entities"]
    for o in data["observations"]:
        assert list(o) == ["indicator", "value", "unit", "growth_pct", "year", "quote", "start", "end", "target"]
        assert text[o["start"]:o["end"]] == o["quote"]
    for e in data["entities"]:
        assert list(e) == ["kind", "label", "quote", "start", "end"] and text[e["start"]:e["end"]] == e["quote"]
    gdp = data["observations"][0]
    assert (gdp["value"], gdp["unit"], gdp["growth_pct"], gdp["year"]) == (88.8, "亿元", 7.3, 2021)
    growth_only = next(o for o in data["observations"] if o["indicator"] == "规模以上工业增加值")
    assert (growth_only["value"], growth_only["unit"], growth_only["growth_pct"]) == (None, None, 9.1)
    assert '"value": null' in out and '"value": 88.8' in out
    assert ("place", "安泽县") not in {(e["kind"], e["label"]) for e in data["entities"]}


def test_installed_console_script_prints_json(bulletin):
    script = Path(sys.executable).with_name("anze-kg")
    if not script.is_file():
        script = Path(shutil.which("anze-kg") or "anze-kg")
    done = subprocess.run([str(script), "extract", str(bulletin), "--format", "json"], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["observations"][0]["quote"] == "地区生产总值88.8亿元,比上年增长7.3%,增速全市排名第一"


# --- the draft folder ---------------------------------------------------------------------

def test_report_folder_in_the_facts_format_marked_draft(bulletin, tmp_path, capsys):
    project = copy_project(tmp_path / "project")
    code, out, _ = run(capsys, "--project", str(project.root), "extract", str(bulletin), "--area", "anze", "-o")
    folder = project.reports_dir / "bulletin-2021"
    assert code == 0 and "wrote draft report bulletin-2021" in out and "--allow-drafts" in out
    assert sorted(p.name for p in folder.rglob("*") if p.is_file()) == ["draft.yaml", "report.txt", "report.yaml"]
    assert (folder / "report.txt").read_text(encoding="utf-8") == read_report_text(bulletin)
    report = load_report(folder)
    assert (report.id, report.area, report.year, report.meta["draft"]) == ("bulletin-2021", "anze", 2021, True)
    assert report.meta["title"] == "安泽县2021年国民经济和社会发展统计公报"
    assert (report.meta["publisher"], report.meta["published"]) == ("安泽县统计局", "2022-03-18")
    assert report.meta["source_url"] == "https://example.org/tjgb/yunxi-2021.html"
    assert "# TODO" in (folder / "report.yaml").read_text(encoding="utf-8")
    records = {r["id"]: r for r in load_yaml(folder / "facts" / "draft.yaml")}
    assert all(r["draft"] is True for r in records.values())
    by_type = {}
    for r in records.values():
        by_type.setdefault(r["type"], []).append(r)
    gdp = by_type["Observation"][0]
    assert (gdp["indicator"], gdp["value"], gdp["unit"], gdp["growthRate"], gdp["rank"], gdp["rankOf"],
            gdp["rankScope"], gdp["rankScopeAsWritten"]) == (
        "gdp", D("88.8"), "亿元", D("7.3"), 1, "growth", "linfen", "全市")
    jobs = next(r for r in by_type["Observation"] if r["indicator"] == "new-urban-employment")
    assert (jobs["value"], jobs["valueText"], jobs["unit"]) == (3215, "3,215", "人")
    forest = next(r for r in by_type["Observation"] if r["quote"].startswith("森林覆盖率"))
    assert (forest["value"], forest["unit"], forest["changePoints"]) == (D("42.5"), "%", D("1.5"))
    sown = next(r for r in by_type["Observation"] if r["quote"] == "农作物播种面积30.2万亩")
    assert sown["indicator"] == "crop-sown-area"  # in data/vocab: no new indicator
    new_indicator = next(r for r in by_type["Indicator"] if r["zh"] == "森林覆盖率")
    assert (new_indicator["id"], forest["indicator"]) == ("draft-indicator-001", "draft-indicator-001")
    assert (new_indicator["en"], new_indicator["quote"]) == ("[draft] 森林覆盖率", "森林覆盖率达到42.5%,比上年提高1.5个百分点")
    assert {(r["type"], r["zh"], r.get("locatedIn")) for r in by_type["Town"] + by_type["Village"]} == {
        ("Town", "黄石镇", "anze"), ("Village", "白马村", "anze")}
    assert [(r["zh"], r["domain"]) for r in by_type["Program"]] == [("“乡村清洁”工程", "rural-construction")]
    assert [(r["zh"], r["sector"]) for r in by_type["Enterprise"]] == [("宏泰煤业", "coal-mining")]
    assert [r["zh"] for r in by_type["Organization"]] == ["鼎盛集团"]  # no sector to guess from its name
    assert [r["zh"] for r in by_type["Project"]] == ["宏泰煤业年产5万吨有机肥项目"]
    growth_only = [r for r in by_type["Observation"] if "value" not in r and "valueText" not in r]
    assert growth_only and all(r["growthRate"] is not None for r in growth_only)


def test_fresh_folder_builds_only_with_allow_drafts(bulletin, tmp_path, capsys):
    project = copy_project(tmp_path / "project")
    assert run(capsys, "--project", str(project.root), "extract", str(bulletin), "--area", "anze", "-o")[0] == 0
    code, _, err = run(capsys, "--project", str(project.root), "build", "--out", str(tmp_path / "o1"), "--jobs", "1")
    assert code == 2 and "is an unreviewed draft" in err and "--allow-drafts" in err
    code, out, err = run(capsys, "--project", str(project.root), "build", "--allow-drafts", "--jobs", "1",
                         "--out", str(tmp_path / "o2"))
    assert code == 0, err
    assert "SHACL: conforms" in out and "bulletin-2021" in out
    # every command reads that build as it was built: with the drafts (the README's "Adding a report")
    o2 = str(tmp_path / "o2")
    for args in (["query", "indicators-2023", "-f", "csv"], ["export", "--format", "nt"], ["analyze"],
                 ["path", "安泽县", "小李村"], ["viz", "-o", str(tmp_path / "g.html")], ["check"]):
        code, out, err = run(capsys, "--project", str(project.root), *args, "--out", o2)
        assert code == 0, (args, err)
        assert "unreviewed draft" not in err
    code, out, _ = run(capsys, "--project", str(project.root), "query", "--out", o2, "--sparql",
                       "SELECT ?r WHERE { ?r <http://purl.org/dc/terms/identifier> \"bulletin-2021\" }")
    assert code == 0 and "bulletin-2021" in out


def test_an_area_outside_the_vocabulary_is_a_draft_record(bulletin, tmp_path, capsys):
    project = copy_project(tmp_path / "project")
    text = BULLETIN.replace("安泽县", "云溪县")
    bulletin.write_text(text, encoding="utf-8")
    code, _, _ = run(capsys, "--project", str(project.root), "extract", str(bulletin), "-o", "--report-id", "yunxi")
    assert code == 0
    report = load_report(project.reports_dir / "yunxi")
    assert report.area == "draft-area"
    area = next(r for r in load_yaml(project.reports_dir / "yunxi" / "facts" / "draft.yaml") if r["id"] == "draft-area")
    assert (area["type"], area["zh"], area["quote"]) == ("Locality", "云溪县", "云溪县")
    assert area["occurrence"] == 1 and "data/vocab" in area["note"]
    code, out, err = run(capsys, "--project", str(project.root), "build", "--allow-drafts", "--jobs", "1",
                         "--out", str(tmp_path / "o"))
    assert code == 0 and "SHACL: conforms" in out, err


def test_yaml_on_stdout_without_a_folder_is_deterministic(bulletin, capsys):
    first = run(capsys, "extract", str(bulletin), "--area", "anze")
    second = run(capsys, "extract", str(bulletin), "--area", "anze")
    assert first == second and first[0] == 0
    assert first[1].startswith("# Draft facts written by `anze-kg extract` from bulletin-2021.txt.")


# --- bad input ----------------------------------------------------------------------------------

def test_not_utf8_names_the_encoding_and_is_read_when_told(bulletin, capsys):
    bulletin.write_bytes(BULLETIN.encode("gb18030"))
    code, out, err = run(capsys, "extract", str(bulletin), "--format", "json")
    assert (code, out) == (2, "")
    assert "bulletin-2021.txt:4: not valid UTF-8" in err and "looks like GB18030; pass --encoding gb18030" in err
    code, out, _ = run(capsys, "extract", str(bulletin), "--format", "json", "--encoding", "gb18030")
    assert code == 0 and json.loads(out)["observations"][0]["value"] == 88.8


def test_empty_file(tmp_path, capsys):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"\n  \n")
    code, out, err = run(capsys, "extract", str(path), "--format", "json")
    assert (code, out) == (2, "") and "empty.txt: the file is empty" in err


def test_binary_file(tmp_path, capsys):
    path = tmp_path / "scan.pdf"
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n\x00\x00stream")
    code, out, err = run(capsys, "extract", str(path), "-o", str(tmp_path / "reports"))
    assert (code, out) == (2, "") and "scan.pdf:3: binary file: NUL byte" in err and "plain text" in err
    assert not (tmp_path / "reports").exists()


def test_a_50_mb_file_is_refused_by_its_size_without_reading_it(tmp_path, capsys, monkeypatch):
    path = tmp_path / "huge.txt"
    with path.open("wb") as f:
        f.truncate(50 * 1024 * 1024)

    def no_reading(*args, **kwargs):
        raise AssertionError("the file was opened")

    monkeypatch.setattr(Path, "open", no_reading)
    code, out, err = run(capsys, "extract", str(path), "--format", "json")
    assert (code, out) == (2, "")
    assert "huge.txt: the file is 52,428,800 bytes, over the limit of 20,971,520" in err


def test_a_clashing_report_id_overwrites_nothing(bulletin, tmp_path, capsys):
    reports = tmp_path / "reports"
    assert run(capsys, "extract", str(bulletin), "--area", "anze", "-o", str(reports))[0] == 0
    before = {p: p.read_bytes() for p in (reports / "bulletin-2021").rglob("*") if p.is_file()}
    bulletin.write_text(BULLETIN.replace("88.8", "99.9"), encoding="utf-8")
    code, out, err = run(capsys, "extract", str(bulletin), "--area", "anze", "-o", str(reports))
    assert (code, out) == (2, "")
    assert "report 'bulletin-2021' already exists" in err and "nothing was written" in err
    assert {p: p.read_bytes() for p in (reports / "bulletin-2021").rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in reports.iterdir()) == ["bulletin-2021"]  # no staging folder left behind


def test_the_existing_real_report_id_clashes(capsys):
    repo = Path(__file__).resolve().parents[1]
    code, _, err = run(capsys, "--project", str(repo), "extract", str(repo / "data/reports/anze-2023/report.txt"),
                       "--report-id", "anze-2023", "--area", "anze", "-o")
    assert code == 2 and "report 'anze-2023' already exists" in err


@pytest.mark.parametrize("argv, fragment", [
    (["--report-id", "Bad Id"], "report id 'Bad Id' is not a slug"),
    (["--area", "nowhere"], "--area 'nowhere' is not an area of data/vocab"),
    (["--year", "99"], "--year 99 is not a plausible reference year"),
    (["--encoding", "klingon"], "unknown encoding 'klingon'"),
])
def test_bad_options(bulletin, capsys, argv, fragment):
    code, out, err = run(capsys, "extract", str(bulletin), *argv)
    assert (code, out) == (2, "") and fragment in err


def test_a_title_without_an_area_asks_for_one(tmp_path, capsys):
    path = tmp_path / "news.txt"
    path.write_text("全力当好高质量发展的领跑者\n\n2023年,全县地区生产总值完成80亿元。\n", encoding="utf-8")
    code, _, err = run(capsys, "extract", str(path))
    assert code == 2 and "cannot tell the report's area from its title" in err and "--area" in err


def test_the_real_anze_article_extracted_afresh_builds_with_allow_drafts(tmp_path, capsys):
    repo = Path(__file__).resolve().parents[1]
    project = copy_project(tmp_path / "project")
    code, out, err = run(capsys, "--project", str(project.root), "extract",
                         str(repo / "data/reports/anze-2023/report.txt"), "--report-id", "anze-draft",
                         "--area", "anze", "--year", "2023", "-o")
    assert code == 0, err
    records = load_yaml(project.reports_dir / "anze-draft" / "facts" / "draft.yaml")
    assert {r["type"] for r in records} >= {"Observation", "Indicator", "Enterprise", "Village", "Project", "Program"}
    code, out, err = run(capsys, "--project", str(project.root), "build", "--allow-drafts", "--jobs", "1",
                         "--out", str(tmp_path / "o"))
    assert code == 0 and "SHACL: conforms" in out, err
