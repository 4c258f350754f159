"""The Python API of ``anze_kg`` (what a notebook uses): build, validate, open a
store, run a named query to rows, records and a DataFrame, project to NetworkX."""

from __future__ import annotations

import datetime as dt
import shutil
import sys
from decimal import Decimal

import pyoxigraph as ox
import pytest
from conftest import REPO

import anze_kg
from anze_kg.errors import NotFoundError, UsageError
from anze_kg.sparql.results import python_value

GDP = "https://w3id.org/anze-kg/id/observation/anze-2023/gdp-2023"
XSD = "http://www.w3.org/2001/XMLSchema#"


def test_the_api_is_what_all_names():
    assert set(anze_kg.__all__) <= set(dir(anze_kg))
    for name in anze_kg.__all__:
        assert getattr(anze_kg, name) is not None
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        anze_kg.nope  # noqa: B018


def test_build_graph_then_validate(tmp_path):
    outcome = anze_kg.build_graph(REPO, out=tmp_path / "out")
    summary = outcome.summary()
    assert summary["conforms"] and {"anze-2023", "zizhou-2023"} <= set(summary["reports"])
    assert (tmp_path / "out" / "anze.ttl").is_file() and outcome.triples > 8000
    report = anze_kg.validate(REPO, out=tmp_path / "out")
    assert report.conforms and report.triples > 8000


def test_validate_reports_what_is_wrong(built, tmp_path):
    broken = tmp_path / "broken.ttl"
    text = (built[1] / "anze.ttl").read_text(encoding="utf-8")
    broken.write_text(text + "\n<https://w3id.org/anze-kg/id/enterprise/x> a "
                             "<https://w3id.org/anze-kg/ontology#Enterprise> .\n", encoding="utf-8")
    report = anze_kg.validate(REPO, [broken])
    assert not report.conforms
    assert any(v.focus == "https://w3id.org/anze-kg/id/enterprise/x" for v in report.violations)


def test_a_named_query_gives_rows_records_and_a_dataframe(built):
    result = anze_kg.query("indicators-2023", project=REPO, out=built[1])
    assert result.form == "SELECT" and len(result) == len(result.rows) > 40
    records = result.records()
    gdp = next(r for r in records if r["observation"] == GDP)
    assert gdp["indicator_zh"] == "地区生产总值" and gdp["value"] == Decimal("121.6") and gdp["unit"] == "亿元"
    assert gdp["growth"] == Decimal("12.6")
    pandas = pytest.importorskip("pandas", reason="pip install pandas (the [pandas] extra) for DataFrames")
    frame = result.to_dataframe()
    assert isinstance(frame, pandas.DataFrame) and list(frame.columns) == result.variables
    assert frame.shape[0] == len(records)
    assert frame["value"].dtype == "float64" and frame.loc[frame["observation"] == GDP, "value"].item() == 121.6
    assert frame["indicator_zh"].dropna().map(type).eq(str).all()  # text columns stay text
    exact = result.to_dataframe(exact=True)
    assert exact.loc[exact["observation"] == GDP, "value"].item() == Decimal("121.6")


def test_parameters_and_an_open_store_are_reused(built):
    with anze_kg.open_store(REPO, out=built[1]) as store:
        first = anze_kg.query("indicators-2023", {"year": "2022"}, project=REPO, store=store)
        count = anze_kg.query(sparql="SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", project=REPO, store=store)
        union = {q.triple for q in store.ox.quads_for_pattern(None, None, None, None)
                 if not isinstance(q.graph_name, ox.DefaultGraph)}
        assert count.records()[0]["n"] == len(union)  # each triple once, however many reports state it
    assert all(r["year"] == "2022" for r in first.records())


def test_query_errors_are_the_commands_errors(built):
    with pytest.raises(NotFoundError, match="no named query 'indicators-2030'"):
        anze_kg.query("indicators-2030", project=REPO, out=built[1])
    with pytest.raises(TypeError, match="one of them"):
        anze_kg.query("indicators-2023", sparql="ASK {}", project=REPO)
    ask = anze_kg.query(sparql="ASK { ?s ?p ?o }", project=REPO, out=built[1])
    with pytest.raises(UsageError, match="has no rows"):
        ask.records()


def test_without_pandas_the_dataframe_names_the_extra(built, monkeypatch):
    result = anze_kg.query(sparql="SELECT ?s WHERE { ?s a akg:County }", project=REPO, out=built[1])
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas now raises ImportError
    with pytest.raises(UsageError, match="needs pandas") as info:
        result.to_dataframe()
    assert "anze-kg[pandas]" in info.value.hint


def test_to_networkx(built):
    G = anze_kg.to_networkx(REPO, out=built[1], report="anze-2023")
    anze = "https://w3id.org/anze-kg/id/county/anze"
    assert G.nodes[anze]["label"] == "安泽县" and G.nodes[anze]["class"] == "County"
    assert G.number_of_nodes() > 100 and G.number_of_edges() > G.number_of_nodes()
    assert all(data["reports"] in ([], ["anze-2023"]) for _, data in G.nodes(data=True))


def test_the_project_can_be_a_folder_anywhere(tmp_path):
    copy = tmp_path / "copy"
    for part in ("ontology", "data", "queries"):
        shutil.copytree(REPO / part, copy / part)
    assert anze_kg.open_project(copy).root == copy.resolve()
    assert anze_kg.build_graph(copy).summary()["conforms"]
    assert (copy / "out" / "anze.trig").is_file()  # out/ defaults to the project's


def test_python_values():
    assert python_value(ox.Literal("12", datatype=ox.NamedNode(XSD + "integer"))) == 12
    assert python_value(ox.Literal("1.50", datatype=ox.NamedNode(XSD + "decimal"))) == Decimal("1.50")
    assert python_value(ox.Literal("2.5E3", datatype=ox.NamedNode(XSD + "double"))) == 2500.0
    assert python_value(ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean"))) is True
    assert python_value(ox.Literal("2024-02-26", datatype=ox.NamedNode(XSD + "date"))) == dt.date(2024, 2, 26)
    assert python_value(ox.Literal("安泽", language="zh")) == "安泽"
    assert python_value(ox.Literal("x", datatype=ox.NamedNode(XSD + "integer"))) == "x"  # ill-typed: as written
    assert python_value(ox.NamedNode("https://example.org/a")) == "https://example.org/a"
    assert python_value(None) is None


def test_the_readme_example_runs_as_written(tmp_path):
    """The README's Python block, run from a copy of the project as a notebook would."""
    import os
    import re
    import subprocess

    from conftest import copy_project

    blocks = re.findall(r"```python\n(.*?)```", (REPO / "README.md").read_text(encoding="utf-8"), re.S)
    assert blocks, "the README has no Python example"
    project = copy_project(tmp_path / "project", reports=("anze-2023", "zizhou-2023"))
    shutil.copy(REPO / "pyproject.toml", project.root / "pyproject.toml")
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    done = subprocess.run([sys.executable, "-c", "\n".join(blocks)], cwd=project.root, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "121.6 亿元 12.6" in done.stdout and "Gross regional product" in done.stdout, done.stdout
    assert (project.root / "out" / "anze.ttl").is_file()
