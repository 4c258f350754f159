"""The ontology is OWL 2 DL that HermiT and Pellet (through owlready2) accept,
on its own and with the built graph's instance data; its disjointness axioms
make a node typed as two kinds (a village that is also an enterprise)
inconsistent; and no node of the built graph has two kinds declared disjoint.

Both reasoners run in Java: without ``java`` the reasoner tests skip and say
which Debian package to install."""

from __future__ import annotations

import itertools
import shutil
import time

import pytest
from conftest import REPO
from owl_dl import problems
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

AKG = "https://w3id.org/anze-kg/ontology#"
DCT_ISSUED = URIRef("http://purl.org/dc/terms/issued")
FEILING = URIRef("https://w3id.org/anze-kg/id/village/anze-feiling-village")

needs_java = pytest.mark.skipif(
    shutil.which("java") is None,
    reason="HermiT and Pellet need Java: install Debian's default-jre-headless (apt-get install default-jre-headless)")


def ontology() -> Graph:
    graph = Graph()
    for name in ("anze.ttl", "concepts.ttl"):
        graph.parse(REPO / "ontology" / name, format="turtle")
    return graph


@pytest.fixture(scope="module")
def dataset(built) -> Dataset:
    ds = Dataset()
    ds.parse(built[1] / "anze.trig", format="trig")
    return ds


def everything(ds: Dataset) -> Graph:
    """The ontology files plus every named graph of a build (vocabulary, reports)."""
    graph = ontology()
    for s, p, o, _ in ds.quads():
        graph.add((s, p, o))
    return graph


def reason(graph: Graph, reasoner: str, tmp_path, ignore_unsupported_datatypes: bool = False) -> float:
    """Runs HermiT or Pellet through owlready2 on ``graph`` (as N-Triples);
    returns the seconds it took, or raises owlready2's error."""
    owlready2 = pytest.importorskip("owlready2", reason="owlready2 ships HermiT and Pellet: pip install -e '.[test]'")
    path = tmp_path / f"{reasoner}.nt"
    graph.serialize(path, format="nt", encoding="utf-8")
    world = owlready2.World()
    world.get_ontology(path.as_uri()).load(format="ntriples")
    start = time.perf_counter()
    if reasoner == "hermit":
        owlready2.sync_reasoner_hermit(world, debug=0, ignore_unsupported_datatypes=ignore_unsupported_datatypes)
    else:
        owlready2.sync_reasoner_pellet(world, debug=0)
    return time.perf_counter() - start


# -- (c) the structure, in Python -----------------------------------------

def test_ontology_is_structurally_owl2_dl():
    assert problems(ontology()) == []


def test_instance_data_departs_from_owl2_dl_only_where_known(dataset):
    """The data keeps two things of RDF that OWL 2 DL lacks: xsd:gYear and
    xsd:date literals (SPARQL, SHACL and Data Cube users expect them), and RDF
    reification of the akg:Statement nodes. Nothing else."""
    graph = everything(dataset)
    assert sorted(problems(graph)) == sorted([
        f"datatype {XSD.date} is not in the OWL 2 datatype map (used by {DCT_ISSUED})",
        f"datatype {XSD.gYear} is not in the OWL 2 datatype map (used by {AKG}period, {AKG}referenceYear)",
        f"{RDF.Statement} is reserved vocabulary, used as a class",
        *(f"{RDF[p]} is reserved vocabulary, used as a property" for p in ("subject", "predicate", "object")),
    ])
    # So HermiT may ignore those literals: their properties say nothing a
    # literal could contradict (range rdfs:Literal, or an annotation).
    for prop in ("period", "referenceYear"):
        assert graph.value(URIRef(AKG + prop), RDFS.range) == RDFS.Literal
        assert graph.value(URIRef(AKG + prop), URIRef(AKG + "literalDatatype")) == XSD.gYear
    assert (DCT_ISSUED, RDF.type, OWL.AnnotationProperty) in graph


@pytest.mark.parametrize("plant, found", [
    ((URIRef(AKG + "pinyin"), RDF.type, OWL.DatatypeProperty), "punned as annotation and datatype property"),
    ((URIRef(AKG + "period"), RDFS.range, XSD.gYear), "is not in the OWL 2 datatype map"),
    ((URIRef(AKG + "Statement"), RDFS.subClassOf, RDF.Statement), "reserved vocabulary, used as a class"),
    ((URIRef(AKG + "Report"), URIRef("http://example.org/undeclared"), Literal("x")), "is not declared"),
    ((URIRef(AKG + "Place"), RDFS.subClassOf, URIRef("http://example.org/Undeclared")), "is not declared"),
    ((URIRef(AKG + "rank"), RDFS.range, URIRef(AKG + "Place")), "has a class range"),
])
def test_structural_check_finds_planted_violation(plant, found):
    graph = ontology()
    graph.add(plant)
    assert any(found in line for line in problems(graph)), problems(graph)


# -- disjointness ------------------------------------------------------------

def disjoint_pairs(graph: Graph) -> set[tuple[URIRef, URIRef]]:
    pairs = set(graph.subject_objects(OWL.disjointWith))
    for node in graph.subjects(RDF.type, OWL.AllDisjointClasses):
        pairs.update(itertools.combinations(graph.items(graph.value(node, OWL.members)), 2))
    return pairs


def test_disjointness_axioms_cover_the_kinds():
    pairs = {frozenset(p) for p in disjoint_pairs(ontology())}
    for a, b in [("Village", "Town"), ("Place", "Organization"), ("Project", "Program"), ("Indicator", "Observation"),
                 ("Enterprise", "Institution"), ("Person", "Organization"), ("Event", "Project")]:
        assert frozenset((URIRef(AKG + a), URIRef(AKG + b))) in pairs, (a, b)


def test_no_node_of_the_build_has_two_disjoint_kinds(dataset):
    graph = ontology()
    pairs = disjoint_pairs(graph)
    kinds: dict = {}
    for s, _, cls, _ in dataset.quads((None, RDF.type, None, None)):
        kinds.setdefault(s, set()).update({cls, *graph.transitive_objects(cls, RDFS.subClassOf)})
    clashes = [(node, a, b) for node, ks in kinds.items() for a, b in pairs if a in ks and b in ks]
    assert len(kinds) > 1000 and clashes == []


# -- (a) and (b): the reasoners ------------------------------------------------

@needs_java
def test_hermit_accepts_the_ontology_as_it_is(tmp_path):
    """No option to ignore datatypes: HermiT refuses any datatype outside the
    OWL 2 datatype map (it refused the xsd:gYear ranges)."""
    reason(ontology(), "hermit", tmp_path)


@needs_java
def test_hermit_refuses_a_gyear_range(tmp_path):
    owlready2 = pytest.importorskip("owlready2")
    graph = ontology()
    graph.set((URIRef(AKG + "period"), RDFS.range, XSD.gYear))
    with pytest.raises(owlready2.OwlReadyJavaError, match="gYear"):
        reason(graph, "hermit", tmp_path)


@needs_java
@pytest.mark.parametrize("reasoner", ["hermit", "pellet"])
def test_reasoner_finds_the_built_graph_consistent(reasoner, dataset, tmp_path):
    """Ontology + vocabulary + every report of the build (about 14,700
    triples). HermiT ignores the xsd:gYear and xsd:date literals (see the
    structural test: nothing constrains them); Pellet reads them."""
    graph = everything(dataset)
    assert len(graph) > 14000
    reason(graph, reasoner, tmp_path, ignore_unsupported_datatypes=True)


@needs_java
@pytest.mark.parametrize("reasoner", ["hermit", "pellet"])
def test_a_village_that_is_also_an_enterprise_is_inconsistent(reasoner, dataset, tmp_path):
    owlready2 = pytest.importorskip("owlready2")
    graph = everything(dataset)
    assert (FEILING, RDF.type, URIRef(AKG + "Village")) in graph
    graph.add((FEILING, RDF.type, URIRef(AKG + "Enterprise")))
    with pytest.raises(owlready2.OwlReadyInconsistentOntologyError):
        reason(graph, reasoner, tmp_path, ignore_unsupported_datatypes=True)
