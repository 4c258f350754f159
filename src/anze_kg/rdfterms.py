"""The project's namespaces as rdflib terms, for the modules that build or read
rdflib graphs (the ontology index, the triples, SHACL).  The IRIs themselves
are spelled once, in :mod:`anze_kg.namespaces`; this module only wraps them,
so that code which never touches rdflib (queries, the endpoint) need not
import it."""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD  # noqa: F401 (re-exported)

from anze_kg import namespaces as _ns
from anze_kg.namespaces import PINYIN, kind_of, local_name  # noqa: F401 (re-exported)

AKG = Namespace(_ns.AKG)
ID = Namespace(_ns.ID)
GRAPH = Namespace(_ns.GRAPH)
OA = Namespace(_ns.OA)
QB = Namespace(_ns.QB)
QUDT = Namespace(_ns.QUDT)
SCHEMA = Namespace(_ns.SCHEMA)
ORG = Namespace(_ns.ORG)
FOAF = Namespace(_ns.FOAF)
SH = Namespace(_ns.SH)
ONTOLOGY_IRI = URIRef(_ns.ONTOLOGY_IRI)
ONTOLOGY_GRAPH = URIRef(_ns.ONTOLOGY_GRAPH)
VOCAB_GRAPH = URIRef(_ns.VOCAB_GRAPH)


def thing(kind: str, slug: str) -> URIRef:
    return URIRef(_ns.thing(kind, slug))


def report_node(report_id: str) -> URIRef:
    return URIRef(_ns.report_node(report_id))


def in_report(kind: str, report_id: str, slug: str) -> URIRef:
    return URIRef(_ns.in_report(kind, report_id, slug))


def report_graph(report_id: str) -> URIRef:
    return URIRef(_ns.report_graph(report_id))


def bind_prefixes(graph) -> None:
    """Bind the project's prefixes on an rdflib graph or dataset."""
    for prefix, iri in _ns.PREFIXES.items():
        graph.bind(prefix, Namespace(iri), override=True, replace=True)
