"""The build end to end: it conforms, it is deterministic, every fact is traceable,
and key facts of the report are in the graph with the values the report gives."""

from __future__ import annotations

import json
from decimal import Decimal

from conftest import REPO, report_graph
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from anze_kg.build.pipeline import build
from anze_kg.inputs.project import Project
from anze_kg.rdfterms import AKG, ID, OA, SCHEMA


def _graph(out) -> Graph:
    return Graph().parse(out / "anze.nt", format="nt")


def test_build_conforms_and_writes_the_outputs(built):
    outcome, out = built
    assert outcome.failures == [] and outcome.exit_code == 0
    for name in ("anze.ttl", "anze.nt", "anze.trig", "build.json"):
        assert (out / name).stat().st_size > 0
    # Triples are counted per named graph: one stated in two reports counts twice.
    assert outcome.triples == len((out / "anze.nt").read_text(encoding="utf-8").splitlines())
    assert outcome.triples >= len(_graph(out))


def test_two_builds_give_identical_bytes(built, tmp_path):
    _, out = built
    build(Project(REPO), tmp_path)
    for name in ("anze.ttl", "anze.nt", "anze.trig"):
        assert (tmp_path / name).read_bytes() == (out / name).read_bytes(), name


def test_no_blank_nodes(built):
    g = _graph(built[1])
    assert not [t for t in g if any(isinstance(x, BNode) for x in t)]


def test_every_quote_is_where_its_offsets_say(built, report_text):
    g = report_graph(built[1], "anze-2023")
    positions = list(g.subjects(RDF.type, OA.TextPositionSelector))
    assert len(positions) > 200
    for pos in positions:
        target = next(g.subjects(OA.hasSelector, pos))
        exact = next(g.value(sel, OA.exact) for sel in g.objects(target, OA.hasSelector)
                     if (sel, RDF.type, OA.TextQuoteSelector) in g)
        start, end = int(g.value(pos, OA.start)), int(g.value(pos, OA.end))
        assert report_text[start:end] == str(exact)


def test_every_fact_node_has_evidence_and_both_labels(built):
    g = _graph(built[1])
    for cls in (AKG.Enterprise, AKG.Project, AKG.Program, AKG.Village, AKG.Designation, AKG.Observation):
        members = set(g.subjects(RDF.type, cls))
        assert members, cls
        for node in members:
            assert g.value(node, AKG.hasEvidence) is not None, node
            langs = {lbl.language for lbl in g.objects(node, RDFS.label)}
            assert {"zh", "en"} <= langs, node


def _observation(g: Graph, indicator_slug: str, area: str = "county/anze", period: str = "2023"):
    indicator = URIRef(f"{ID}indicator/{indicator_slug}")
    found = [o for o in g.subjects(AKG.indicator, indicator) if (o, AKG.refArea, URIRef(f"{ID}{area}")) in g
             and (o, AKG.period, Literal(period, datatype=XSD.gYear)) in g]
    assert len(found) == 1, (indicator_slug, found)
    return found[0]


def test_gdp_as_the_report_states_it(built):
    # 2023年,全县地区生产总值完成121.6亿元,同比增长12.6%,增速全市排名第一
    g = _graph(built[1])
    obs = _observation(g, "gdp")
    assert g.value(obs, AKG.valueAsWritten) == Literal("121.6")
    assert g.value(obs, AKG.unitAsWritten) == Literal("亿元")
    assert Decimal(str(g.value(obs, AKG.normalizedValue))) == Decimal("12160000000")
    assert Decimal(str(g.value(obs, AKG.growthRate))) == Decimal("12.6")
    (rank,) = g.objects(obs, AKG.hasRank)
    assert (int(g.value(rank, AKG.rank)), str(g.value(rank, AKG.rankOf))) == (1, "growth")
    assert g.value(rank, AKG.rankScope) == URIRef(f"{ID}city/linfen")
    assert g.value(obs, AKG.refArea) == URIRef(f"{ID}county/anze")
    assert g.value(obs, AKG.period) == Literal("2023", datatype=XSD.gYear)


def test_linxin_coking_project_is_operated_and_in_operation(built):
    # 蔺鑫170万吨焦化项目投产达效
    g = _graph(built[1])
    projects = [p for p in g.subjects(RDF.type, AKG.Project)
                if any("蔺鑫170万吨焦化项目" in str(l) for l in g.objects(p, RDFS.label))]
    assert len(projects) == 1
    project = projects[0]
    assert g.value(project, AKG.status) == URIRef(f"{ID}status/in-operation")
    operator = g.value(None, AKG.operates, project)
    assert (operator, RDF.type, AKG.Enterprise) in g
    capacity = g.value(project, AKG.capacity)
    assert g.value(capacity, AKG.valueAsWritten) == Literal("170")


def test_villages_lie_in_anze_and_xiaoli_holds_its_sites(built):
    g = _graph(built[1])
    xiaoli = URIRef(f"{ID}village/anze-xiaoli-village")
    assert (xiaoli, RDF.type, AKG.Village) in g
    sites = set(g.subjects(AKG.locatedIn, xiaoli))
    assert URIRef(f"{ID}historic-site/taiyue-administrative-office-site") in sites
    assert URIRef(f"{ID}base/taiyue-red-education-base") in sites


def test_report_metadata(built):
    g = _graph(built[1])
    doc = URIRef(f"{ID}report/anze-2023")
    assert (doc, RDF.type, AKG.Report) in g
    assert str(g.value(doc, URIRef("http://purl.org/dc/terms/issued"))).startswith("2024-02-26")
    text = str(g.value(doc, SCHEMA.text))
    assert text.startswith("安泽:全力当好") and "版权声明" in text
    creators = {str(l) for c in g.objects(doc, URIRef("http://purl.org/dc/terms/creator"))
                for l in g.objects(c, RDFS.label)}
    assert "亢亚莉" in creators


def test_build_summary_counts_classes(built):
    outcome, _ = built
    assert outcome.counts["Observation"] >= 50
    assert outcome.counts["Enterprise"] >= 8
    assert outcome.counts["Village"] >= 6


def test_a_failed_build_says_so_without_the_class_table(project_copy, tmp_path, capsys):
    from anze_kg.cli import main

    out = tmp_path / "out"
    assert main(["--project", str(project_copy.root), "build", "-q", "--out", str(out)]) == 0
    assert capsys.readouterr().out == ""
    facts = project_copy.reports_dir / "anze-2023" / "facts" / "zz.yaml"
    facts.write_text("- id: sectorless\n  type: Enterprise\n  zh: 某公司\n  en: Some company\n"
                     "  quote: 全县地区生产总值完成121.6亿元\n", encoding="utf-8")
    assert main(["--project", str(project_copy.root), "build", "--out", str(out)]) == 1
    captured = capsys.readouterr()
    assert "an enterprise belongs to a sector" in captured.err
    assert "instances per class" not in captured.out and "wrote: nothing (out/ is as it was)" in captured.out
    assert main(["--project", str(project_copy.root), "build", "-q", "--out", str(out)]) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and "an enterprise belongs to a sector" in captured.err


def test_a_changed_builder_never_reuses_a_graph_its_old_code_made(tmp_path):
    """The cache key of every unit covers the code that makes triples: the same inputs with a changed
    graph/triples.py give other keys (else a fix in the builder would leave the old graph in out/)."""
    import shutil
    import subprocess
    import sys

    show = ("import json, sys; from anze_kg.inputs.manifest import unit_keys; from anze_kg.inputs.project import Project; "
            "from pathlib import Path; print(json.dumps(unit_keys(Project(Path(sys.argv[1])))))")

    def keys(package_root):
        run = subprocess.run([sys.executable, "-c", show, str(REPO)], capture_output=True, text=True, check=True,
                             env={"PYTHONPATH": str(package_root), "PATH": "/usr/bin:/bin"})
        return json.loads(run.stdout)

    for name in ("same", "changed"):
        shutil.copytree(REPO / "src" / "anze_kg", tmp_path / name / "anze_kg")
    with open(tmp_path / "changed" / "anze_kg" / "graph" / "triples.py", "a", encoding="utf-8") as f:
        f.write("\n# a changed builder\n")
    same, changed = keys(tmp_path / "same"), keys(tmp_path / "changed")
    assert same.keys() == changed.keys() and len(same) >= 3
    assert all(same[unit] != changed[unit] for unit in same)
    assert keys(tmp_path / "same") == same  # and the key is stable for the same code
