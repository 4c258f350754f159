"""Bad input, each a file in tests/data/bad/ with its expected error on its first line:

    # expect: EXIT | LOCATION-SUFFIX | MESSAGE FRAGMENT

Each file is dropped into a copy of the project as an extra fact file
(facts/zz_bad.yaml) on top of a good build; the build must fail with that exit
code and message, print no traceback, and leave the previous out/ untouched.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from anze_kg.cli import main

BAD = Path(__file__).parent / "data" / "bad"
CASES = sorted(BAD.glob("*.yaml"))


def expectation(path: Path) -> tuple[int, str, str]:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# expect:"), path
    code, where, message = (part.strip() for part in first.removeprefix("# expect:").split("|"))
    return int(code), where, message


def snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def good_build(project_copy, tmp_path):
    out = tmp_path / "out"
    assert main(["--project", str(project_copy.root), "build", "--out", str(out)]) == 0
    return project_copy, out


def test_there_is_a_case_for_every_listed_bad_input():
    names = {p.stem for p in CASES}
    assert {"malformed", "duplicate-key", "unknown-key", "python-tag", "fullwidth-colon", "ideographic-indent",
            "quote-not-found", "quote-ambiguous", "unknown-reference", "duplicate-id", "bad-number",
            "fullwidth-digits", "unknown-unit", "shacl-violation"} <= names


@pytest.mark.parametrize("case", CASES, ids=[p.stem for p in CASES])
def test_bad_fact_file(case, good_build, capsys):
    project, out = good_build
    before = snapshot(out)
    capsys.readouterr()
    code, where, message = expectation(case)
    (project.reports_dir / "anze-2023" / "facts" / "zz_bad.yaml").write_bytes(case.read_bytes())
    assert main(["--project", str(project.root), "build", "--out", str(out)]) == code
    stderr = capsys.readouterr().err
    # The message is on the line that names the place, exactly (zz_bad.yaml:5 is not zz_bad.yaml:50
    # nor zz_bad.yaml:5:3 unless the case says so).
    located = [line for line in stderr.splitlines()
               if message in line and re.search(rf"facts/{re.escape(where)}(?!\d|:\d)", line)]
    assert located, stderr
    assert "Traceback" not in stderr
    assert snapshot(out) == before


def test_report_text_that_is_not_utf8(good_build, capsys):
    project, out = good_build
    before = snapshot(out)
    text = project.reports_dir / "anze-2023" / "report.txt"
    text.write_bytes(text.read_text(encoding="utf-8").encode("gb18030"))
    assert main(["--project", str(project.root), "build", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "report.txt:1: the report text is not valid UTF-8" in err
    assert snapshot(out) == before


def test_unknown_metadata_key(good_build, capsys):
    project, out = good_build
    meta = project.reports_dir / "anze-2023" / "report.yaml"
    meta.write_text(meta.read_text(encoding="utf-8") + "publsher: typo\n", encoding="utf-8")
    assert main(["--project", str(project.root), "build", "--out", str(out)]) == 2
    assert "unknown metadata key 'publsher'" in capsys.readouterr().err


def test_shacl_violation_prints_the_report_with_the_fact_location(good_build, capsys):
    project, out = good_build
    (project.reports_dir / "anze-2023" / "facts" / "zz_bad.yaml").write_bytes((BAD / "shacl-violation.yaml").read_bytes())
    assert main(["--project", str(project.root), "build", "--out", str(out)]) == 1
    captured = capsys.readouterr()
    err = captured.err
    assert "the last good graph of each failing report was kept" in captured.out
    assert "anze-2023: 1 SHACL violation(s)" in err
    assert "facts/zz_bad.yaml:2: Violation: <https://w3id.org/anze-kg/id/enterprise/sectorless-enterprise>" in err


def test_an_unwritable_out_dir_changes_nothing(project_copy, tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert main(["--project", str(project_copy.root), "build", "--out", str(blocker / "out")]) == 2
    assert "cannot write" in capsys.readouterr().err
    assert blocker.read_text() == "not a folder"
