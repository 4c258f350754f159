"""The only place an IRI is spelled.

Things are ``{base}id/{kind}/{slug}``; ontology terms are ``{base}ontology#Term``;
named graphs are ``{base}graph/{name}``.  The base is configurable through the
``ANZE_KG_BASE`` environment variable (it must end with ``/``) so that a
deployment can mint IRIs under its own domain.
"""

from __future__ import annotations

import os
import re


class Namespace(str):
    """An IRI prefix as a plain string: ``AKG.Enterprise`` (or ``AKG.term("Enterprise")``)
    is the full IRI, a ``str``.  No rdflib here, so the query path starts without
    it; the graph stage wraps these in rdflib terms (:mod:`anze_kg.graph.terms`)."""

    __slots__ = ()

    def __getattr__(self, name: str) -> str:
        if name.startswith("__"):
            raise AttributeError(name)
        return str(self) + name

    def term(self, name: str) -> str:
        return str(self) + name


RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
OWL = Namespace("http://www.w3.org/2002/07/owl#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
PROV = Namespace("http://www.w3.org/ns/prov#")

DEFAULT_BASE = "https://w3id.org/anze-kg/"
BASE = os.environ.get("ANZE_KG_BASE", DEFAULT_BASE)
if not BASE.endswith("/"):
    BASE += "/"

AKG = Namespace("https://w3id.org/anze-kg/ontology#")
ONTOLOGY_IRI = "https://w3id.org/anze-kg/ontology"
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
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "prov": PROV,
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


def thing(kind: str, slug: str) -> str:
    return f"{ID}{kind}/{slug}"


def report_node(report_id: str) -> str:
    return thing("report", report_id)


def in_report(kind: str, report_id: str, slug: str) -> str:
    """A node that only makes sense inside one report (observation, evidence)."""
    return f"{ID}{kind}/{report_id}/{slug}"


def report_graph(report_id: str) -> str:
    return f"{GRAPH}{report_id}"


ONTOLOGY_GRAPH = f"{GRAPH}ontology"
VOCAB_GRAPH = f"{GRAPH}vocab"


def local_name(iri: str) -> str:
    text = str(iri)
    for sep in ("#", "/"):
        if sep in text:
            text = text.rsplit(sep, 1)[1]
            break
    return text


PREFIX_MAP: dict[str, str] = {prefix: str(iri) for prefix, iri in PREFIXES.items()}
"""The prefixes as plain strings (for pyoxigraph's ``prefixes=`` arguments)."""
