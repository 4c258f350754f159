"""Cross-checks with an independent toolkit, Apache Jena (riot, SHACL), run through
tests/jena.py; skipped, naming the Debian packages to install, where Java or
Jena is not installed (.ci/run installs default-jre-headless and
libapache-jena-java)."""

from __future__ import annotations

import jena
import pytest
from conftest import REPO
from rdflib import Graph, URIRef

from anze_kg.rdfterms import AKG

pytestmark = pytest.mark.skipif(jena.available() is not None, reason=jena.available() or "")


@pytest.mark.parametrize("name", ["anze.ttl", "anze.nt", "anze.trig"])
def test_riot_reads_the_outputs_without_warnings(built, name):
    done = jena.run("riotcmd.riot", "--validate", str(built[1] / name))
    assert done.returncode == 0, done.stderr
    assert "WARN" not in done.stderr and "ERROR" not in done.stderr, done.stderr


def test_riot_warns_about_a_literal_that_is_not_its_datatype(built, tmp_path):
    """The check above can fail: riot's warnings reach stderr, and xerces (which
    checks lexical forms) says what is wrong instead of "internal error"."""
    path = tmp_path / "bad-literal.nt"
    path.write_text((built[1] / "anze.nt").read_text(encoding="utf-8")
                    + '<https://w3id.org/anze-kg/id/x> <https://w3id.org/anze-kg/id/p> '
                      '"12.6 percent"^^<http://www.w3.org/2001/XMLSchema#decimal> .\n', encoding="utf-8")
    done = jena.run("riotcmd.riot", "--validate", str(path))
    assert "WARN" in done.stderr and "Lexical form '12.6 percent' not valid" in done.stderr, done.stderr
    assert "internal error" not in done.stderr + done.stdout


def test_jena_shacl_agrees_the_graph_conforms(built):
    done = jena.run("shacl.shacl", "validate", "--shapes", str(REPO / "ontology" / "shapes.ttl"),
                "--data", str(built[1] / "anze.ttl"))
    assert "sh:conforms  true" in done.stdout, done.stdout + done.stderr


def test_jena_shacl_agrees_a_broken_graph_does_not(built, tmp_path):
    g = Graph().parse(built[1] / "anze.nt", format="nt")
    g.remove((URIRef("https://w3id.org/anze-kg/id/enterprise/linxin"), AKG.sector, None))
    path = tmp_path / "broken.nt"
    g.serialize(path, format="nt", encoding="utf-8")
    done = jena.run("shacl.shacl", "validate", "--shapes", str(REPO / "ontology" / "shapes.ttl"), "--data", str(path))
    assert "sh:conforms  false" in done.stdout
    assert "enterprise/linxin" in done.stdout


def test_jena_and_pyshacl_flag_the_same_nodes_for_every_shape_case(built, tmp_path):
    """All the broken-graph cases of test_shapes at once: both engines must flag
    exactly the same focus nodes."""
    from rdflib.namespace import SH
    from test_shapes import CASES

    from anze_kg.graph.shacl import load_shapes, validate_graph

    g = Graph().parse(built[1] / "anze.nt", format="nt")
    for _, mutate, _ in CASES:
        mutate(g)
    path = tmp_path / "all-broken.nt"
    g.serialize(path, format="nt", encoding="utf-8")
    ours = {v.focus for v in validate_graph(g, load_shapes(REPO / "ontology" / "shapes.ttl")).violations}
    done = jena.run("shacl.shacl", "validate", "--shapes", str(REPO / "ontology" / "shapes.ttl"), "--data", str(path))
    report = Graph().parse(data=done.stdout, format="turtle")
    theirs = {str(f) for f in report.objects(None, SH.focusNode)}
    assert len(ours) >= 15
    assert ours == theirs
