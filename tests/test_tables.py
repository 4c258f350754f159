"""Observations as tidy tables: ``anze-kg export --format csv|xlsx`` and
``anze_kg.observations()``, one row per akg:Observation, read back by pandas
(and LibreOffice, where installed) with the Chinese intact, checked against
the reports' own words."""

from __future__ import annotations

import csv
import os
import pty
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
import yaml
from conftest import REPO
from openpyxl import load_workbook

import anze_kg
from anze_kg.cli import main
from anze_kg.inputs.reports import load_report
from anze_kg.sparql.tables import COLUMN_NAMES, MAX_WIDTH, csv_dtypes

OBS = "https://w3id.org/anze-kg/id/observation/"
REPORTS = REPO / "data" / "reports"
LIBREOFFICE_MISSING = "LibreOffice not installed: apt-get install libreoffice-calc-nogui"


def export(out: Path, fmt: str, target: Path) -> Path:
    assert main(["--project", str(REPO), "export", "--format", fmt, "--out", str(out), "-o", str(target)]) == 0
    return target


@pytest.fixture(scope="module")
def tables(built, tmp_path_factory):
    """The CSV and the XLSX of the real build, and the API's DataFrame."""
    folder = tmp_path_factory.mktemp("tables")
    out = built[1]
    return {"csv": export(out, "csv", folder / "observations.csv"),
            "xlsx": export(out, "xlsx", folder / "observations.xlsx"),
            "frame": anze_kg.observations(REPO, out=out)}


@pytest.fixture(scope="module")
def observations_in_graph(built) -> set[str]:
    """The akg:Observation nodes of the built graph, counted by rdflib (not by the query under test)."""
    from rdflib import Dataset, URIRef
    from rdflib.namespace import RDF

    ds = Dataset()
    ds.parse(built[1] / "anze.trig", format="trig")
    kind = URIRef("https://w3id.org/anze-kg/ontology#Observation")
    return {str(s) for s, _, _, _ in ds.quads((None, RDF.type, kind, None))}


def read_csv(path: Path, encoding: str = "utf-8-sig") -> pd.DataFrame:
    return pd.read_csv(path, dtype=csv_dtypes(), encoding=encoding)


def row(frame: pd.DataFrame, observation: str) -> dict:
    [found] = frame[frame["observation_iri"] == OBS + observation].to_dict("records")
    return found


def fact(report: str, slug: str) -> tuple[str, int, dict]:
    """The fact file (relative to the project), line and body of fact ``slug``, read from the YAML."""
    for path in sorted((REPORTS / report / "facts").glob("*.yaml")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, text in enumerate(lines, 1):
            if text.strip() == f"- id: {slug}":
                [body] = [f for f in yaml.safe_load(path.read_text(encoding="utf-8")) if f.get("id") == slug]
                return str(path.relative_to(REPO)), number, body
    raise AssertionError(f"no fact {slug} in {report}")


# --------------------------------------------------------------------------- reading back

def test_the_csv_is_utf8_with_a_bom_and_reads_back_with_chinese_intact(tables):
    data = tables["csv"].read_bytes()
    assert data.startswith(b"\xef\xbb\xbfreport_id,indicator_iri,")  # the BOM Excel needs, then the header
    assert b"\r\n" in data  # RFC 4180 line ends
    for encoding in ("utf-8", "utf-8-sig"):  # pandas skips the BOM either way
        frame = read_csv(tables["csv"], encoding)
        assert tuple(frame.columns) == COLUMN_NAMES
        assert "安泽县" in set(frame["area_zh"]) and "子洲县" in set(frame["area_zh"])
        assert "地区生产总值" in set(frame["indicator_zh"])
    with open(tables["csv"], encoding="utf-8-sig", newline="") as handle:  # Python's csv module
        rows = list(csv.reader(handle))
    assert tuple(rows[0]) == COLUMN_NAMES and len(rows) == len(read_csv(tables["csv"])) + 1


def test_the_xlsx_reads_back_with_pandas_and_is_laid_out_for_people(tables):
    frame = pd.read_excel(tables["xlsx"], engine="openpyxl", dtype=csv_dtypes())
    assert tuple(frame.columns) == COLUMN_NAMES
    assert "安泽县" in set(frame["area_zh"])
    book = load_workbook(tables["xlsx"])
    assert book.sheetnames == ["observations"]
    sheet = book["observations"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == f"A1:AA{len(frame) + 1}"
    assert all(cell.font.bold for cell in sheet[1])
    widths = {sheet.cell(1, i).value: sheet.column_dimensions[sheet.cell(1, i).column_letter].width
              for i in range(1, len(COLUMN_NAMES) + 1)}
    assert widths["quote"] == MAX_WIDTH  # the widest text, capped
    assert 10 < widths["report_id"] < widths["indicator_iri"] <= MAX_WIDTH
    longest = max(frame["area_zh"], key=len)  # a Chinese character takes two columns
    assert widths["area_zh"] == min(MAX_WIDTH, 2 * len(longest) + 2) and 2 * len(longest) > len("area_zh")


def test_cells_are_numbers_where_numbers_and_text_where_text(tables):
    sheet = load_workbook(tables["xlsx"])["observations"]
    column = {name: i for i, name in enumerate(COLUMN_NAMES)}
    [gdp] = [r for r in sheet.iter_rows(min_row=2) if r[column["observation_iri"]].value == OBS + "anze-2023/gdp-2023"]
    cell = lambda name: gdp[column[name]]
    for name in ("report_id", "period", "value_as_written", "unit_as_written", "quote"):
        assert cell(name).data_type == "s", name
    assert cell("value_as_written").value == "121.6" and cell("period").value == "2023"
    for name in ("normalized_value", "growth_rate", "rank", "quote_start", "quote_end", "fact_line"):
        assert cell(name).data_type == "n", name
    assert cell("normalized_value").value == 12160000000 and cell("normalized_value").number_format == "0"
    assert cell("is_target").data_type == "b" and cell("is_target").value is False


# --------------------------------------------------------------------------- one row per observation

def test_one_row_per_observation_in_every_form(tables, observations_in_graph):
    csv_frame = read_csv(tables["csv"])
    xlsx_frame = pd.read_excel(tables["xlsx"], engine="openpyxl", dtype=csv_dtypes())
    assert len(observations_in_graph) > 150
    for frame in (csv_frame, xlsx_frame, tables["frame"]):
        assert set(frame["observation_iri"]) == observations_in_graph
        # a figure with two ranks (在工业类开发区中排名全省第2、全市第1) has a row per rank; every other one row
        rows = frame["observation_iri"].value_counts()
        several = {iri: n for iri, n in rows.items() if n > 1}
        assert several == {f"{OBS}anze-2023/anze-dz-output-intensity-2023": 2,
                           f"{OBS}anze-2023/gdp-growth-rank-2022": 2}
        assert len(frame) == len(observations_in_graph) + 2


def test_rows_are_sorted_by_report_indicator_area_period_observation(tables):
    frame = read_csv(tables["csv"])
    keys = list(zip(frame["report_id"], frame["indicator_iri"], frame["area_iri"], frame["period"],
                    frame["observation_iri"]))
    assert keys == sorted(keys)


def test_the_same_graph_gives_the_same_bytes(built, tables, tmp_path):
    for fmt in ("csv", "xlsx"):
        again = export(built[1], fmt, tmp_path / f"again.{fmt}")
        assert again.read_bytes() == tables[fmt].read_bytes(), fmt


def test_the_api_dataframe_equals_the_csv_and_the_xlsx(tables):
    frame = tables["frame"]
    assert tuple(frame.columns) == COLUMN_NAMES
    pd.testing.assert_frame_equal(frame, read_csv(tables["csv"]))
    pd.testing.assert_frame_equal(frame, pd.read_excel(tables["xlsx"], engine="openpyxl", dtype=csv_dtypes()))
    assert str(frame["rank"].dtype) == "Int64" and frame["normalized_value"].dtype == "float64"
    assert frame["is_target"].dtype == bool


def test_exact_keeps_the_decimals_as_the_csv_writes_them(built, tables):
    exact = anze_kg.observations(REPO, out=built[1], exact=True)
    written = pd.read_csv(tables["csv"], dtype=str, encoding="utf-8-sig")
    for got, text in zip(exact["normalized_value"], written["normalized_value"]):
        assert (pd.isna(got) and pd.isna(text)) or got == Decimal(text)
    assert Decimal(12160000000) in set(exact["normalized_value"])


# --------------------------------------------------------------------------- against the reports' words

def test_anze_gdp_2023_is_what_the_report_says(tables, report_text):
    gdp = row(read_csv(tables["csv"]), "anze-2023/gdp-2023")
    fact_file, fact_line, body = fact("anze-2023", "gdp-2023")
    # economy.yaml: value 121.6, unit 亿元, growthRate 12.6, rank 1 of growth within 全市 (linfen)
    assert body["value"] == 121.6 and body["unit"] == "亿元" and body["growthRate"] == 12.6
    assert "全县地区生产总值完成121.6亿元,同比增长12.6%,增速全市排名第一" in report_text
    assert (gdp["report_id"], gdp["indicator_iri"], gdp["area_iri"]) == (
        "anze-2023", "https://w3id.org/anze-kg/id/indicator/gdp", "https://w3id.org/anze-kg/id/county/anze")
    assert (gdp["indicator_zh"], gdp["indicator_en"], gdp["area_zh"], gdp["area_en"]) == (
        "地区生产总值", "Gross regional product", "安泽县", "Anze County")
    assert (gdp["period"], gdp["value_as_written"], gdp["unit_as_written"]) == ("2023", "121.6", "亿元")
    assert gdp["normalized_value"] == 121.6e8 and gdp["base_unit"] == "yuan"
    assert gdp["growth_rate"] == 12.6 and pd.isna(gdp["change_points"])
    assert (gdp["rank"], gdp["rank_of"], gdp["rank_scope_as_written"], gdp["rank_scope_zh"]) == (1, "growth", "全市", "临汾市")
    assert not gdp["is_target"]
    assert gdp["quote"] == body["quote"] == report_text[gdp["quote_start"]:gdp["quote_end"]]
    assert (gdp["fact_file"], gdp["fact_line"]) == (fact_file, fact_line)
    assert pd.isna(gdp["report_url"])  # the Anze report has no source_url in its report.yaml
    assert "source_url" not in yaml.safe_load((REPORTS / "anze-2023" / "report.yaml").read_text(encoding="utf-8"))


def test_a_value_written_in_words_stays_as_written(tables):
    schools = row(read_csv(tables["csv"]), "anze-2023/schools-merged-2023")
    _, _, body = fact("anze-2023", "schools-merged-2023")
    assert body["valueText"] == "两" and body["value"] == 2 and body["unit"] == "所"
    assert (schools["value_as_written"], schools["unit_as_written"], schools["normalized_value"]) == ("两", "所", 2.0)
    assert schools["quote"] == body["quote"] == "完成两所学校撤并任务"


def test_a_qualifier_and_a_target(tables):
    frame = read_csv(tables["csv"])
    coal = row(frame, "anze-2023/coal-advanced-capacity-share-2023")
    assert (coal["value_as_written"], coal["unit_as_written"], coal["qualifier_zh"]) == ("70", "%", "超过")
    assert coal["quote"] == "先进产能占比超过70%"
    target = row(frame, "hailar-gwr-2012/gdp-2012-target")
    _, _, body = fact("hailar-gwr-2012", "gdp-2012-target")
    assert body["target"] is True and body["value"] == 240 and body["growthRate"] == 21
    assert target["is_target"] and target["period"] == "2012"
    assert (target["value_as_written"], target["unit_as_written"], target["growth_rate"]) == ("240", "亿元", 21.0)
    assert target["quote"] == body["quote"] == "地区生产总值达到240亿元，同比增长21%"
    assert frame["is_target"].sum() > 10 and (~frame["is_target"]).sum() > 100


def test_zizhou_rows_carry_the_reports_url(tables):
    gdp = row(read_csv(tables["csv"]), "zizhou-2023/gdp-2023")
    meta = yaml.safe_load((REPORTS / "zizhou-2023" / "report.yaml").read_text(encoding="utf-8"))
    _, _, body = fact("zizhou-2023", "gdp-2023")
    assert body["value"] == 98.38 and body["quote"] == "地区生产总值(GDP)98.38亿元,较上年增长3.1%"
    assert (gdp["value_as_written"], gdp["unit_as_written"], gdp["growth_rate"]) == ("98.38", "亿元", 3.1)
    assert gdp["area_zh"] == "子洲县" and gdp["report_url"] == meta["source_url"]


def test_every_quote_is_the_report_text_at_its_offsets_and_every_fact_line_names_it(tables):
    frame = read_csv(tables["csv"])
    # the text as the build reads it: newlines as published (CRLF in the Hailar reports), the body its
    # report.yaml names (text_body), which is what the offsets count in
    texts = {r: load_report(REPORTS / r).text for r in set(frame["report_id"])}
    for record in frame.to_dict("records"):
        text = texts[record["report_id"]]
        assert text[record["quote_start"]:record["quote_end"]] == record["quote"], record["observation_iri"]
        lines = (REPO / record["fact_file"]).read_text(encoding="utf-8").splitlines()
        slug = record["observation_iri"].rsplit("/", 1)[1]
        assert lines[record["fact_line"] - 1].strip() == f"- id: {slug}", record["observation_iri"]


# --------------------------------------------------------------------------- where it goes, and refusals

def test_csv_goes_to_stdout_without_o_and_with_o_dash(built, tables, capsysbinary):
    for extra in ([], ["-o", "-"]):
        assert main(["--project", str(REPO), "export", "-f", "csv", "--out", str(built[1]), *extra]) == 0
        assert capsysbinary.readouterr().out == tables["csv"].read_bytes()


def _cli(*args: str, **kwargs) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    return subprocess.run([sys.executable, "-m", "anze_kg", "--project", str(REPO), *args], env=env,
                          timeout=180, check=False, **kwargs)


def test_xlsx_goes_to_a_pipe_but_never_to_a_terminal(built, tables):
    piped = _cli("export", "-f", "xlsx", "--out", str(built[1]), capture_output=True)
    assert piped.returncode == 0 and piped.stdout == tables["xlsx"].read_bytes()
    for extra in ([], ["-o", "-"]):
        leader, follower = pty.openpty()  # a real terminal as standard output
        try:
            done = _cli("export", "-f", "xlsx", "--out", str(built[1]), *extra, stdout=follower,
                        stderr=subprocess.PIPE, text=True)
            os.close(follower)
            shown = b""
            try:
                while chunk := os.read(leader, 65536):
                    shown += chunk
            except OSError:  # EIO: the terminal's other end is closed, all was read
                pass
        finally:
            os.close(leader)
        assert done.returncode == 2 and shown == b""
        assert "xlsx is a binary file: it is not written to a terminal" in done.stderr
        assert "-o observations.xlsx" in done.stderr


@pytest.mark.parametrize("name", ["x.ttl", "x.csv", "x.xlsx", "x.nq"])
def test_out_naming_a_file_is_refused_with_a_hint(tmp_path, capsys, name):
    code = main(["--project", str(REPO), "export", "--format", "csv", "--out", str(tmp_path / name)])
    captured = capsys.readouterr()
    assert code == 2 and captured.out == ""
    assert "--out is the build folder" in captured.err and f"did you mean -o {tmp_path / name}?" in captured.err
    assert not (tmp_path / name).exists()


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_unwritable_output_is_exit_2_and_nothing_is_half_written(built, tmp_path, capsys, monkeypatch, fmt):
    folder = tmp_path / f"observations.{fmt}"  # a folder where the file should go
    folder.mkdir()
    assert main(["--project", str(REPO), "export", "-f", fmt, "--out", str(built[1]), "-o", str(folder)]) == 2
    err = capsys.readouterr().err
    assert f"cannot write {folder}" in err and "nothing was changed" in err
    assert list(folder.iterdir()) == [] and _leftovers(tmp_path) == []

    plain = tmp_path / "plain.txt"  # a file where a folder should be
    plain.write_text("keep", encoding="utf-8")
    assert main(["--project", str(REPO), "export", "-f", fmt, "--out", str(built[1]),
                 "-o", str(plain / f"x.{fmt}")]) == 2
    assert "cannot write" in capsys.readouterr().err and plain.read_text(encoding="utf-8") == "keep"

    earlier = tmp_path / f"earlier.{fmt}"  # a full disk at the last step: the earlier file stays whole
    earlier.write_bytes(b"earlier")

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("anze_kg.files.os.replace", full)
    assert main(["--project", str(REPO), "export", "-f", fmt, "--out", str(built[1]), "-o", str(earlier)]) == 2
    assert "No space left on device" in capsys.readouterr().err
    assert earlier.read_bytes() == b"earlier" and _leftovers(tmp_path) == []


def test_the_table_formats_are_listed_and_aliased(built, tables, tmp_path, capsys):
    assert main(["--project", str(REPO), "export", "-f", "rdfa", "--out", str(built[1])]) == 2
    assert "csv, xlsx" in capsys.readouterr().err
    assert export(built[1], "excel", tmp_path / "a.xlsx").read_bytes() == tables["xlsx"].read_bytes()
    assert export(built[1], "CSV", tmp_path / "a.csv").read_bytes() == tables["csv"].read_bytes()


def test_the_named_query_runs_as_any_other(built):
    result = anze_kg.query("observations-table", project=REPO, out=built[1], max_rows=100_000)
    assert tuple(result.variables) == COLUMN_NAMES and len(result) > 150


# --------------------------------------------------------------------------- LibreOffice

def _soffice(tmp_path: Path, *args: str) -> None:
    profile = (tmp_path / "lo-profile").as_uri()
    done = subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", *args],
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.skipif(shutil.which("soffice") is None, reason=LIBREOFFICE_MISSING)
def test_libreoffice_opens_the_xlsx_and_the_csv(tables, tmp_path):
    # the xlsx, saved again by LibreOffice as UTF-8 CSV: the same table
    _soffice(tmp_path, "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1", "--outdir", str(tmp_path),
             str(tables["xlsx"]))
    again = pd.read_csv(tmp_path / "observations.csv", dtype=csv_dtypes(), encoding="utf-8")
    pd.testing.assert_frame_equal(again, tables["frame"], check_exact=False)
    # the CSV (its BOM included), opened as UTF-8 and saved as xlsx: header and Chinese intact
    source = tmp_path / "in" / "observations.csv"
    source.parent.mkdir()
    shutil.copy(tables["csv"], source)
    _soffice(tmp_path, "--infilter=CSV:44,34,76,1", "--convert-to", "xlsx", "--outdir", str(tmp_path / "back"),
             str(source))
    back = pd.read_excel(tmp_path / "back" / "observations.xlsx", engine="openpyxl", dtype=str)
    assert tuple(back.columns) == COLUMN_NAMES
    for name in ("indicator_zh", "area_zh", "unit_as_written", "quote", "observation_iri"):
        assert back[name].tolist() == tables["frame"][name].tolist(), name


def test_without_pandas_observations_names_the_extra(built, monkeypatch):
    from anze_kg.errors import UsageError

    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas now raises ImportError
    with pytest.raises(UsageError, match="needs pandas") as info:
        anze_kg.observations(REPO, out=built[1])
    assert "anze-kg[pandas]" in info.value.hint
