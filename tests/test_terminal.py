"""Terminal output an analyst reads: it fits 100 columns (or $COLUMNS) unless
--wide, Chinese characters counted as two columns, and what does not fit is
said, never silently lost; errors come last."""

from __future__ import annotations

import io

import pyoxigraph as ox
import pytest
from conftest import REPO
from conftest_query import anze_quads, disk_store  # noqa: F401

from anze_kg.cli import main
from anze_kg.cli.base import display_width, fit_lines, wrap
from anze_kg.sparql.results import MIN_COLUMN, QueryResult, fit_columns, table_text


@pytest.fixture
def cli(built, disk_store, capsys, monkeypatch):  # noqa: F811
    monkeypatch.setenv("COLUMNS", "100")

    def call(*args: str) -> tuple[int, list[str], str]:
        argv = list(args)
        if "query" in args[:2]:
            argv += ["--store", str(disk_store.spec), "--out", str(built[1])]
        code = main(argv)
        captured = capsys.readouterr()
        return code, captured.out.splitlines(), captured.err
    return call


def widest(lines: list[str]) -> int:
    return max(display_width(line) for line in lines)


def test_a_query_table_fits_100_columns_and_names_what_it_leaves_out(cli):
    code, lines, _ = cli("query", "villages")
    assert code == 0 and widest(lines) <= 100
    _, full, _ = cli("query", "villages", "--wide")
    assert widest(full) > 100  # the villages' table is wider than a terminal
    header = full[0].split()
    shown = lines[0].split()
    assert [h[:len(s.rstrip("…"))] for h, s in zip(header, shown)] == [s.rstrip("…") for s in shown]
    # the same rows; the columns left out are named, with how to see them
    assert lines[lines.index(next(x for x in lines if x.startswith("(") and "row" in x))] == full[-1]
    left_out = header[len(shown):]
    assert left_out and lines[-1] == f"(not shown: {' '.join('?' + v for v in left_out)}; --wide shows every column, -f csv too)"


def test_columns_narrow_before_they_are_left_out():

    widths, shown = fit_columns([30, 30, 30], 80)
    assert shown == 3 and sum(widths) + 4 <= 80 and min(widths) >= MIN_COLUMN
    widths, shown = fit_columns([40] * 10, 60)
    assert shown == 4 and widths == [MIN_COLUMN] * 4  # 4 × 12 + 3 × 2 = 54; a fifth would not fit
    assert fit_columns([5, 6], 100) == ([5, 6], 2)  # what fits is left as it is


def test_a_cut_cell_ends_in_an_ellipsis_and_keeps_its_width():
    result = QueryResult("SELECT", ["a", "b"], rows=[(ox.Literal("地区生产总值增长速度全市第一"), ox.Literal("x" * 50))])
    text = table_text(result, 40).splitlines()
    assert widest(text) <= 40 and text[2].split()[0].endswith("…")


def test_the_list_of_queries_wraps_beside_the_names(cli):
    code, lines, _ = cli("queries")
    assert code == 0 and widest(lines) <= 100
    _, full, _ = cli("queries", "--wide")
    assert len(full) < len(lines) and widest(full) > 100
    # every query is still listed, at the start of a line, with its parameters' short names
    names = [line.split()[0] for line in full]
    assert [line.split()[0] for line in lines if not line.startswith(" ")] == names
    assert any("holder=homestay/anze-feiling-jianjia-homestay" in line for line in lines)


def test_wrapping_counts_a_chinese_character_as_two_columns():
    assert display_width("安泽县 GDP") == 10
    assert wrap("安泽县地区生产总值 121.6亿元 增长6.5%", 12) == ["安泽县地区生", "产总值", "121.6亿元", "增长6.5%"]
    text = "  地区生产总值 | 安泽县 2023: stated 6.5%, but 100亿元 (2022, check-2022) -> 112亿元 (check-2023) is 12%"
    fitted = fit_lines(text, 50).splitlines()
    assert widest(fitted) <= 50 and all(line.startswith("      ") for line in fitted[1:])
    assert " ".join(x.strip() for x in fitted).replace("  ", " ") == text.strip()
    assert fit_lines(text, None) == text
    path = "/tmp/a-very-long-folder-name/another-long-folder-name/data/reports/anze-2023/facts/economy.yaml:379:"
    assert wrap(f"see {path} here", 40) == ["see", path, "here"]


def test_a_failed_build_ends_with_its_error(tmp_path, capsys, monkeypatch):
    from conftest import copy_project
    monkeypatch.setenv("COLUMNS", "100")
    project = copy_project(tmp_path / "p", reports=("anze-2023",))
    facts = project.reports_dir / "anze-2023" / "facts"
    first = sorted(facts.glob("*.yaml"))[0]
    first.write_text(first.read_text(encoding="utf-8") + "\n- id: broken\n  type: Village\n", encoding="utf-8")
    assert main(["--project", str(project.root), "build", "--out", str(tmp_path / "out")]) == 2
    captured = capsys.readouterr()
    assert "instances per class" not in captured.out and "(errors below)" in captured.out
    # the error as it is: a path and its line are never broken
    assert f"{first}:" in captured.err and "has no 'zh' label" in captured.err


def _stdin(monkeypatch, data: bytes) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def test_a_query_from_standard_input(cli, monkeypatch):
    _stdin(monkeypatch, b"SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/anze-kg/ontology#Village> }")
    code, lines, _ = cli("query", "-", "-f", "csv")
    assert code == 0 and lines == ["n", "6"]  # the report's six villages
    # a named query's file piped in keeps its header: -p still binds its parameter
    _stdin(monkeypatch, (REPO / "queries" / "growth-above.rq").read_bytes())
    code, lines, _ = cli("query", "-", "-p", "min_growth=0", "-f", "csv")
    assert code == 0 and lines[1:] and all(line.endswith(",0") for line in lines[1:])


def test_standard_input_that_is_not_utf8_is_refused(cli, monkeypatch):
    _stdin(monkeypatch, b"SELECT \xff")
    code, lines, err = cli("query", "-")
    assert code == 2 and lines == [] and "<stdin>: byte 7: the query is not UTF-8" in err
    _stdin(monkeypatch, b"ASK {}")
    code, _, err = cli("query", "-", "--sparql", "ASK {}")
    assert code == 2 and "not both" in err


def test_quiet_prints_nothing_but_errors(cli):
    assert cli("-q", "query", "villages") == (0, [], "")
    assert cli("query", "villages", "-q") == (0, [], "")
    code, lines, err = cli("query", "no-such-query", "-q")
    assert code == 2 and lines == [] and "no named query 'no-such-query'" in err


def test_validate_reads_rdf_from_standard_input(built, capsys, monkeypatch):
    _stdin(monkeypatch, (built[1] / "anze.nt").read_bytes())
    assert main(["validate", "-", "--stdin-format", "nt", "--shacl-engine", "fast"]) == 0
    assert "conforms: yes" in capsys.readouterr().out
    # a parse error names <stdin> and its line, never the temporary file behind it
    _stdin(monkeypatch, b'@prefix a: <https://example.org/> .\na:b a:c "x" ;\n')
    assert main(["validate", "-"]) == 2
    err = capsys.readouterr().err
    assert "<stdin>:3: does not parse as turtle" in err and "anze-kg-stdin-" not in err


def test_extract_reads_a_report_from_standard_input(capsys, monkeypatch):
    text = (REPO / "data" / "reports" / "anze-2023" / "report.txt").read_bytes()
    assert main(["extract", str(REPO / "data" / "reports" / "anze-2023" / "report.txt"), "--year", "2023",
                 "--area", "anze"]) == 0
    from_file = capsys.readouterr().out
    _stdin(monkeypatch, text)
    assert main(["extract", "-", "--year", "2023", "--area", "anze"]) == 0
    assert capsys.readouterr().out == from_file  # the same drafts, line for line
    _stdin(monkeypatch, text)
    assert main(["extract", "-", "-o"]) == 2
    assert "needs --report-id" in capsys.readouterr().err
