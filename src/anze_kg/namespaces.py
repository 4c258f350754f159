"""The only place an IRI is spelled.

Things are ``{base}id/{kind}/{slug}``; ontology terms are ``{base}ontology#Term``;
named graphs are ``{base}graph/{name}``.  The base is configurable through the
``ANZE_KG_BASE`` environment variable (it must end with ``/``) so that a
deployment can mint IRIs under its own domain.
"""

from __future__ import annotations

import os
import re

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

DEFAULT_BASE = "https://w3id.org/anze-kg/"
BASE = os.environ.get("ANZE_KG_BASE", DEFAULT_BASE)
if not BASE.endswith("/"):
    BASE += "/"

AKG = Namespace("https://w3id.org/anze-kg/ontology#")
ONTOLOGY_IRI = URIRef("https://w3id.org/anze-kg/ontology")
ID = Namespace(BASE + "id/")
GRAPH = Namespace(BASE + "graph/")

OA = Namespace("http://www.w3.org/ns/oa#")
QB = Namespace("http://purl.org/linked-data/cube#")
QUDT = Namespace("http://qudt.org/schema/qudt/")
SCHEMA = Namespace("https://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
SH = Namespace("http://www.w3.org/ns/shacl#")

PINYIN = "zh-Latn-pinyin"

PREFIXES: dict[str, Namespace] = {
    "akg": AKG,
    "id": ID,
    "rdf": Namespace(str(RDF)),
    "rdfs": Namespace(str(RDFS)),
    "owl": Namespace(str(OWL)),
    "xsd": Namespace(str(XSD)),
    "skos": Namespace(str(SKOS)),
    "dcterms": Namespace(str(DCTERMS)),
    "prov": Namespace(str(PROV)),
    "oa": OA,
    "qb": QB,
    "qudt": QUDT,
    "schema": SCHEMA,
    "org": ORG,
    "foaf": FOAF,
}

_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")


def kind_of(class_local_name: str) -> str:
    """IRI segment for a class: ``DevelopmentZone`` -> ``development-zone``."""
    return _CAMEL.sub("-", class_local_name).lower()


def thing(kind: str, slug: str) -> URIRef:
    return URIRef(f"{ID}{kind}/{slug}")


def report_node(report_id: str) -> URIRef:
    return thing("report", report_id)


def in_report(kind: str, report_id: str, slug: str) -> URIRef:
    """A node that only makes sense inside one report (observation, evidence)."""
    return URIRef(f"{ID}{kind}/{report_id}/{slug}")


def report_graph(report_id: str) -> URIRef:
    return URIRef(f"{GRAPH}{report_id}")


ONTOLOGY_GRAPH = URIRef(f"{GRAPH}ontology")
VOCAB_GRAPH = URIRef(f"{GRAPH}vocab")


def bind_prefixes(graph) -> None:
    """Bind the project's prefixes on an rdflib graph or dataset."""
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True, replace=True)


def local_name(iri: str) -> str:
    text = str(iri)
    for sep in ("#", "/"):
        if sep in text:
            text = text.rsplit(sep, 1)[1]
            break
    return text
