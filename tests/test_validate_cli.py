"""`anze-kg validate` on any RDF file: verdict, readable violations with the fact's
file:line, JSON equal to the library's report, exit codes 0/1/2."""

from __future__ import annotations

import json

from conftest import REPO
from rdflib import Graph, URIRef

from anze_kg.cli import main
from anze_kg.graph.shacl import validate_files
from anze_kg.inputs.project import Project
from anze_kg.rdfterms import AKG


def test_validate_the_built_graph(built, capsys):
    assert main(["--project", str(REPO), "validate", "--out", str(built[1])]) == 0
    assert capsys.readouterr().out.startswith("conforms: yes")


def _broken(built, tmp_path):
    g = Graph().parse(built[1] / "anze.nt", format="nt")
    g.remove((URIRef("https://w3id.org/anze-kg/id/enterprise/linxin"), AKG.sector, None))
    path = tmp_path / "broken.ttl"
    g.serialize(path, format="turtle")
    return path


def test_validate_a_broken_file_names_the_fact(built, tmp_path, capsys):
    path = _broken(built, tmp_path)
    assert main(["--project", str(REPO), "validate", str(path)]) == 1
    text = capsys.readouterr().out
    assert "conforms: no: 1 violation(s)" in text
    assert "data/reports/anze-2023/facts/industry.yaml:" in text
    assert "<https://w3id.org/anze-kg/id/enterprise/linxin>" in text and "belongs to a sector" in text


def test_validate_json_is_the_library_report(built, tmp_path, capsys):
    path = _broken(built, tmp_path)
    assert main(["--project", str(REPO), "validate", "--json", str(path)]) == 1
    printed = json.loads(capsys.readouterr().out)
    library = json.loads(validate_files([path], Project(REPO)).to_json())
    assert printed == library and printed["conforms"] is False


def test_validate_instance_data_only_merges_the_ontology(built, tmp_path, capsys):
    # A file with the report's named graph only (no ontology) still validates.
    trig = (built[1] / "anze.trig").read_text(encoding="utf-8")
    from rdflib import Dataset
    ds = Dataset()
    ds.parse(data=trig, format="trig")
    only = ds.graph(URIRef("https://w3id.org/anze-kg/graph/anze-2023"))
    vocab = ds.graph(URIRef("https://w3id.org/anze-kg/graph/vocab"))
    g = Graph()
    for t in only:
        g.add(t)
    for t in vocab:
        g.add(t)
    path = tmp_path / "instances.nt"
    g.serialize(path, format="nt", encoding="utf-8")
    assert main(["--project", str(REPO), "validate", str(path)]) == 0


def test_validate_missing_and_malformed_files(tmp_path, capsys):
    assert main(["--project", str(REPO), "validate", str(tmp_path / "nope.ttl")]) == 2
    assert "nope.ttl: no such file" in capsys.readouterr().err
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .\n", encoding="utf-8")
    assert main(["--project", str(REPO), "validate", str(bad)]) == 2
    assert "does not parse as turtle" in capsys.readouterr().err
