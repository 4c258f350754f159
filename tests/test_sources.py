"""Report texts: kept beside the metadata, or outside the project (text_path,
pinned by text_sha256) and then skipped when absent, refused when changed;
either one read after its header when text_body says so."""

from __future__ import annotations

import hashlib
import shutil

import pytest
from conftest import REPO

from anze_kg.build.pipeline import build
from anze_kg.cli import main
from anze_kg.errors import Location, QuoteError
from anze_kg.inputs.quotes import locate
from anze_kg.inputs.reports import load_report


def _external(project, tmp_path, text_bytes: bytes, sha: str | None = None):
    src = project.reports_dir / "anze-2023"
    dest = project.reports_dir / "ext-2023"
    shutil.copytree(src, dest)
    (dest / "report.txt").unlink()
    (project.root / "external").mkdir()
    (project.root / "external" / "ext.txt").write_bytes(b"source: somewhere\nretrieved-excerpt: yes\n\n" + text_bytes)
    meta = (dest / "report.yaml").read_text(encoding="utf-8").replace("id: anze-2023", "id: ext-2023")
    meta += "text_path: external/ext.txt\ntext_body: after-first-blank-line\n"
    meta += f"text_sha256: \"{sha or hashlib.sha256((project.root / 'external' / 'ext.txt').read_bytes()).hexdigest()}\"\n"
    (dest / "report.yaml").write_text(meta, encoding="utf-8")
    for facts in (dest / "facts").glob("*.yaml"):  # ids of the copy must not clash with anze-2023's
        facts.unlink()
    (dest / "facts" / "one.yaml").write_text(
        "- id: ext-gdp\n  type: Observation\n  indicator: gdp\n  value: 121.6\n  unit: 亿元\n"
        "  quote: 全县地区生产总值完成121.6亿元\n", encoding="utf-8")
    return dest


def test_external_text_is_read_after_its_header(project_copy, tmp_path, report_text):
    _external(project_copy, tmp_path, report_text.encode())
    outcome = build(project_copy, tmp_path / "out")
    assert {r.report: r.status for r in outcome.results} == {"anze-2023": "built", "ext-2023": "built"}
    nt = (tmp_path / "out" / "anze.nt").read_text(encoding="utf-8")
    start = report_text.index("全县地区生产总值完成121.6亿元")
    assert f'<https://w3id.org/anze-kg/id/evidence/ext-2023/ext-gdp/position> <http://www.w3.org/ns/oa#start> "{start}"' in nt


def test_report_txt_is_read_after_its_header_when_text_body_says_so(project_copy, tmp_path, report_text):
    """As Zizhou's report.txt: the corpus file with its source line, and
    text_body: after-first-blank-line, so offsets count from the body."""
    dest = _external(project_copy, tmp_path, report_text.encode())
    (project_copy.root / "external" / "ext.txt").rename(dest / "report.txt")
    meta = (dest / "report.yaml").read_text(encoding="utf-8")
    meta = "".join(line for line in meta.splitlines(keepends=True) if not line.startswith(("text_path", "text_sha256")))
    (dest / "report.yaml").write_text(meta, encoding="utf-8")
    build(project_copy, tmp_path / "out")
    nt = (tmp_path / "out" / "anze.nt").read_text(encoding="utf-8")
    start = report_text.index("全县地区生产总值完成121.6亿元")
    assert f'<https://w3id.org/anze-kg/id/evidence/ext-2023/ext-gdp/position> <http://www.w3.org/ns/oa#start> "{start}"' in nt


def test_zizhou_text_is_the_body_of_its_report_txt():
    folder = REPO / "data" / "reports" / "zizhou-2023"
    raw = (folder / "report.txt").read_text(encoding="utf-8")
    assert raw.startswith("source: https://www.zizhou.gov.cn/") and "\nretrieved-excerpt: yes\n\n" in raw
    assert load_report(folder).text == raw.split("\n\n", 1)[1]


def test_absent_external_text_skips_the_report(project_copy, tmp_path, report_text, capsys):
    _external(project_copy, tmp_path, report_text.encode())
    (project_copy.root / "external" / "ext.txt").unlink()
    assert main(["--project", str(project_copy.root), "build", "--out", str(tmp_path / "out"), "--wide"]) == 0
    out = capsys.readouterr().out
    assert "skipped ext-2023: " in out and "kept outside the project and is not here" in out


def test_changed_external_text_is_refused(project_copy, tmp_path, report_text, capsys):
    _external(project_copy, tmp_path, report_text.encode(), sha="0" * 64)
    assert main(["--project", str(project_copy.root), "build", "--out", str(tmp_path / "out")]) == 2
    assert "SHA-256 differs" in capsys.readouterr().err


def test_locate_names_the_first_differing_character():
    with pytest.raises(QuoteError) as info:
        locate("增速全市排名第一,", "增速全市排名第二", Location("f.yaml", 3))
    assert "f.yaml:3: quote not found" in str(info.value)
    assert "'增速全市排名第'" in str(info.value)


def _point_text_path(dest, target: str, sha: str | None) -> None:
    meta = (dest / "report.yaml").read_text(encoding="utf-8")
    meta = "".join(line for line in meta.splitlines(keepends=True) if not line.startswith(("text_path", "text_sha256")))
    meta += f"text_path: {target}\n" + (f"text_sha256: \"{sha}\"\n" if sha else "")
    (dest / "report.yaml").write_text(meta, encoding="utf-8")


@pytest.mark.parametrize("target", ["/etc/passwd", "../../../../../../etc/passwd", "../outside.txt"])
def test_a_text_path_cannot_lead_out_of_the_project(project_copy, tmp_path, report_text, capsys, target):
    dest = _external(project_copy, tmp_path, report_text.encode())
    outside = project_copy.root.parent / "outside.txt"
    outside.write_text("全县地区生产总值完成121.6亿元", encoding="utf-8")
    _point_text_path(dest, target, "0" * 64)
    assert main(["--project", str(project_copy.root), "build", "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "ext-2023/report.yaml:" in err and "leads outside the project" in err and "ANZE_KG_TEXT_DIRS" in err
    assert "root:" not in err  # nothing of the file was read into the message
    assert "ext-2023" not in (tmp_path / "out" / "anze.trig").read_text(encoding="utf-8")  # the others still land


def test_a_symlink_out_of_the_project_is_outside_too(project_copy, tmp_path, report_text, capsys):
    dest = _external(project_copy, tmp_path, report_text.encode())
    outside = tmp_path / "elsewhere.txt"
    outside.write_bytes((project_copy.root / "external" / "ext.txt").read_bytes())
    (project_copy.root / "external" / "link.txt").symlink_to(outside)
    _point_text_path(dest, "external/link.txt", hashlib.sha256(outside.read_bytes()).hexdigest())
    assert main(["--project", str(project_copy.root), "build", "--out", str(tmp_path / "out")]) == 2
    assert "leads outside the project" in capsys.readouterr().err


def test_a_folder_the_user_names_may_hold_texts(project_copy, tmp_path, report_text, monkeypatch):
    dest = _external(project_copy, tmp_path, report_text.encode())
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    text = corpus / "ext.txt"
    shutil.move(project_copy.root / "external" / "ext.txt", text)
    _point_text_path(dest, str(text), hashlib.sha256(text.read_bytes()).hexdigest())
    monkeypatch.setenv("ANZE_KG_TEXT_DIRS", str(corpus))
    outcome = build(project_copy, tmp_path / "out")
    assert {r.report: r.status for r in outcome.results}["ext-2023"] == "built"


def test_a_text_path_needs_its_digest(project_copy, tmp_path, report_text, capsys):
    dest = _external(project_copy, tmp_path, report_text.encode())
    _point_text_path(dest, "external/ext.txt", None)
    assert main(["--project", str(project_copy.root), "build", "--out", str(tmp_path / "out")]) == 2
    assert "a text_path needs its text_sha256" in capsys.readouterr().err
