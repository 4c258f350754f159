"""Every export format re-parses (with rdflib, an independent parser) to the same
graph; quad formats keep one named graph per report; any Unicode label survives."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import REPO
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDFS

from anze_kg.cli import main
from anze_kg.graph.formats import FORMATS, serialize
from anze_kg.graph.triples import to_ox_quads

RDFLIB = {"turtle": "turtle", "nt": "nt", "jsonld": "json-ld", "rdfxml": "xml", "trig": "trig", "nquads": "nquads"}


def _triples(g) -> set:
    return {(s, p, o.__class__(str(o), lang=o.language.lower()) if isinstance(o, Literal) and o.language else o)
            for s, p, o in g}


@pytest.fixture(scope="module")
def reference(built):
    return _triples(Graph().parse(built[1] / "anze.nt", format="nt"))


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_export_round_trip(fmt, built, reference, tmp_path, capsys):
    outcome, out = built
    target = tmp_path / f"graph{FORMATS[fmt].suffix}"
    assert main(["--project", str(REPO), "export", "--format", fmt, "--out", str(out), "-o", str(target)]) == 0
    if FORMATS[fmt].quads:
        ds = Dataset()
        ds.parse(target, format=RDFLIB[fmt])
        names = {str(g.identifier) for g in ds.graphs() if len(g)}
        manifest = json.loads((out / "build.json").read_text(encoding="utf-8"))
        assert names == set(manifest["graphs"].values())
        assert {"https://w3id.org/anze-kg/graph/ontology", "https://w3id.org/anze-kg/graph/vocab",
                "https://w3id.org/anze-kg/graph/anze-2023"} <= names
        union = Graph()
        for s, p, o, _ in ds.quads():
            union.add((s, p, o))
        assert _triples(union) == reference
    else:
        assert _triples(Graph().parse(target, format=RDFLIB[fmt])) == reference


def test_export_nt_is_the_built_graph_sorted_and_deduplicated(built, tmp_path, capsysbinary):
    _, out = built
    assert main(["--project", str(REPO), "export", "--format", "nt", "--out", str(out)]) == 0
    exported = capsysbinary.readouterr().out.decode().splitlines()
    assert exported == sorted(set((out / "anze.nt").read_text(encoding="utf-8").splitlines()))


def test_export_unknown_format(built, capsys):
    assert main(["--project", str(REPO), "export", "--format", "rdfa", "--out", str(built[1])]) == 2
    assert "unknown format 'rdfa'" in capsys.readouterr().err


def test_installed_console_script_exports_n_triples(built, tmp_path):
    _, out = built
    target = tmp_path / "g.nt"
    exe = [sys.executable, "-m", "anze_kg"]
    script = REPO / ".venv" / "bin" / "anze-kg"
    cmd = [str(script)] if script.exists() else exe
    done = subprocess.run([*cmd, "--project", str(REPO), "export", "--format", "nt", "--out", str(out), "-o", str(target)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert set(target.read_text(encoding="utf-8").splitlines()) == set((out / "anze.nt").read_text(encoding="utf-8").splitlines())


XML_SAFE = st.characters(blacklist_categories=("Cs",), blacklist_characters=[chr(c) for c in range(32) if c not in (9, 10, 13)] + ["\ufffe", "\uffff"])


@settings(max_examples=60, deadline=None)
@given(label=st.text(alphabet=XML_SAFE, min_size=0, max_size=40), fmt=st.sampled_from(sorted(FORMATS)))
def test_any_unicode_label_survives_every_format(label, fmt):
    s, g = URIRef("https://w3id.org/anze-kg/id/place/x"), URIRef("https://w3id.org/anze-kg/graph/t")
    quads = to_ox_quads([(s, RDFS.label, Literal(label, lang="zh"), g)])
    data = serialize(quads, FORMATS[fmt])
    if FORMATS[fmt].quads:
        ds = Dataset()
        ds.parse(data=data, format=RDFLIB[fmt])
        back = [o for _, _, o, _ in ds.quads()]
    else:
        back = [o for _, _, o in Graph().parse(data=data, format=RDFLIB[fmt])]
    assert [str(o) for o in back] == [label]


def test_json_ld_has_a_context_and_the_named_graphs(built, tmp_path):
    import pyoxigraph as ox

    target = tmp_path / "anze.jsonld"
    assert main(["--project", str(REPO), "export", "--format", "jsonld", "-o", str(target), "--out", str(built[1])]) == 0
    doc = json.loads(target.read_text(encoding="utf-8"))
    assert doc["@context"]["akg"] == "https://w3id.org/anze-kg/ontology#"
    graphs = {g["@id"] for g in doc["@graph"]}
    assert "https://w3id.org/anze-kg/graph/anze-2023" in graphs and "https://w3id.org/anze-kg/graph/vocab" in graphs
    back = Dataset()
    back.parse(target, format="json-ld")
    store = ox.Store()
    store.load(path=str(built[1] / "anze.trig"), format=ox.RdfFormat.TRIG)
    assert len(list(back.quads())) == len(store)


def test_export_to_a_file_named_with_out_is_a_usage_error(built, tmp_path, capsys):
    """`--out` is the build folder; `-o` names the file: --out x.ttl used to print the graph to stdout."""
    code = main(["--project", str(REPO), "export", "--format", "ttl", "--out", str(tmp_path / "x.ttl")])
    captured = capsys.readouterr()
    assert code == 2 and captured.out == ""
    assert "--out is the build folder" in captured.err and f"-o {tmp_path / 'x.ttl'}" in captured.err


@pytest.mark.parametrize("alias,name", [("ttl", "turtle"), ("nq", "nquads"), ("json-ld", "jsonld"), ("NT", "nt")])
def test_export_format_aliases(built, tmp_path, alias, name):
    a, b = tmp_path / "a", tmp_path / "b"
    assert main(["--project", str(REPO), "export", "-f", alias, "--out", str(built[1]), "-o", str(a)]) == 0
    assert main(["--project", str(REPO), "export", "-f", name, "--out", str(built[1]), "-o", str(b)]) == 0
    assert a.read_bytes() == b.read_bytes() and a.stat().st_size > 1000
