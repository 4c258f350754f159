"""What the ontology allows, read from ``ontology/*.ttl``: the index fact
checking and the builder consult (classes, properties and their ranges,
concept slugs, units).  Nothing about the ontology is repeated in Python.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from anze_kg.errors import InputError, Location
from anze_kg.rdfterms import AKG, QUDT, local_name


@dataclass(frozen=True)
class PropertyInfo:
    name: str
    iri: URIRef
    kind: str  # "entity" (object, range a class of things), "concept", "quantity", "literal"
    range: URIRef | None
    inverse: URIRef | None = None


@dataclass(frozen=True)
class UnitInfo:
    iri: URIRef
    notation: str
    multiplier: Decimal
    base: URIRef


@dataclass
class OntologyIndex:
    triples: list[tuple]  # the ontology's triples (rdflib terms), each once, in the files' order
    classes: dict[str, URIRef]
    ancestors: dict[str, frozenset[str]]
    properties: dict[str, PropertyInfo]
    concepts: dict[str, dict[str, URIRef]]  # concept class local name -> slug -> IRI
    units: dict[str, UnitInfo]  # notation as written -> unit

    def is_a(self, cls: str, ancestor: str) -> bool:
        return ancestor in self.ancestors.get(cls, frozenset())

    def concept_classes(self) -> set[str]:
        return set(self.concepts)


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
# What pyoxigraph reads differently from rdflib (beside blank nodes, whose labels
# differ): "x"^^xsd:string (rdflib keeps the datatype), upper-case language
# tags (pyoxigraph lowers them), relative IRIs (another base).
_NOT_FOR_OXIGRAPH = re.compile(rb'\^\^xsd:string|XMLSchema#string>|"@[A-Za-z0-9-]*[A-Z]|<(?![a-z][a-z0-9+.-]*:)')


def _parse_with_oxigraph(graph: list, path: Path) -> bool:
    """Append the triples of ``path`` to ``graph`` as rdflib's Turtle parser would
    (the same terms, in the same order), read by pyoxigraph's parser: half
    the time (most of what is left is making the rdflib terms).  False, with nothing added, for a file that uses
    anything the two read differently (see ``_NOT_FOR_OXIGRAPH``) or that
    pyoxigraph does not read: rdflib parses it then (and names any error)."""
    try:
        import pyoxigraph as ox  # deferred: pyoxigraph is loaded anyway wherever the ontology is

        raw = path.read_bytes()
        if _NOT_FOR_OXIGRAPH.search(raw):
            return False
        triples = list(ox.parse(raw, format=ox.RdfFormat.TURTLE))
    except (OSError, SyntaxError, ValueError, ImportError):
        return False
    iris: dict[str, URIRef] = {}

    def term(node):
        if isinstance(node, ox.NamedNode):
            found = iris.get(node.value)
            if found is None:
                found = iris[node.value] = URIRef(node.value)
            return found
        if node.language:
            return Literal(node.value, lang=node.language)
        if node.datatype.value != _XSD_STRING:
            return Literal(node.value, datatype=term(node.datatype))
        return Literal(node.value)

    if any(isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode) for t in triples):
        return False
    graph.extend((term(t.subject), term(t.predicate), term(t.object)) for t in triples)
    return True


def _parse(paths: list[Path]) -> list[tuple]:
    triples: list[tuple] = []
    for path in paths:
        if _parse_with_oxigraph(triples, Path(path)):
            continue
        graph = Graph()
        try:
            graph.parse(path, format="turtle")
        except FileNotFoundError:
            raise InputError(Location.of(path), "ontology file is missing") from None
        except Exception as exc:  # rdflib raises several parser exception types
            raise InputError(Location.of(path), f"the ontology does not parse: {exc}") from None
        triples.extend(graph)
    return list(dict.fromkeys(triples))


class _Index:
    """The few lookups the index is made with, over the ontology's triples: an rdflib
    graph made only for them was most of loading the ontology (its store's add)."""

    def __init__(self, triples: list[tuple]) -> None:
        self.all = set(triples)
        self.by_po: dict[tuple, list] = {}
        self.by_sp: dict[tuple, list] = {}
        for s, p, o in triples:
            self.by_po.setdefault((p, o), []).append(s)
            self.by_sp.setdefault((s, p), []).append(o)

    def subjects(self, p, o) -> list:
        return self.by_po.get((p, o), [])

    def value(self, s, p):
        found = self.by_sp.get((s, p))
        return found[0] if found else None

    def subject(self, p, o):
        found = self.by_po.get((p, o))
        return found[0] if found else None

    def transitive_objects(self, s, p) -> list:
        """``s`` and everything reached from it by ``p``, each once (rdflib's transitive_objects)."""
        seen, todo = [s], [s]
        while todo:
            for o in self.by_sp.get((todo.pop(), p), []):
                if o not in seen:
                    seen.append(o)
                    todo.append(o)
        return seen


def _ancestors(graph: _Index, classes: dict[str, URIRef]) -> dict[str, frozenset[str]]:
    out = {}
    for name, iri in classes.items():
        seen = {name}
        for parent in graph.transitive_objects(iri, RDFS.subClassOf):
            if str(parent).startswith(str(AKG)):
                seen.add(local_name(parent))
        out[name] = frozenset(seen)
    return out


def _property_kind(graph: _Index, iri: URIRef, rng: URIRef | None, concept_classes: set[str]) -> str:
    if (iri, RDF.type, OWL.DatatypeProperty) in graph.all:
        return "literal"
    if rng == AKG.Quantity:
        return "quantity"
    if rng is not None and local_name(rng) in concept_classes:
        return "concept"
    return "entity"


def load_ontology(paths: list[Path]) -> OntologyIndex:
    triples = _parse(paths)
    graph = _Index(triples)
    akg = str(AKG)
    classes = {local_name(s): s for s in graph.subjects(RDF.type, OWL.Class) if str(s).startswith(akg)}
    ancestors = _ancestors(graph, classes)
    # Concept classes are the SKOS classes whose members the ontology itself
    # lists (statuses, units...); Indicator members live in data/vocab instead.
    concepts: dict[str, dict[str, URIRef]] = {}
    for cls, anc in ancestors.items():
        if any((classes[a], RDFS.subClassOf, SKOS.Concept) in graph.all for a in anc):
            members = {local_name(c): c for c in graph.subjects(RDF.type, classes[cls])}
            if members:
                concepts[cls] = members
    concept_classes = set(concepts)
    properties = {}
    for kind_iri in (OWL.ObjectProperty, OWL.DatatypeProperty):
        for prop in graph.subjects(RDF.type, kind_iri):
            if not str(prop).startswith(akg):
                continue
            # A datatype OWL 2 DL lacks (xsd:gYear) is named by akg:literalDatatype;
            # the range is then rdfs:Literal, for reasoners.
            rng = graph.value(prop, AKG.literalDatatype) or graph.value(prop, RDFS.range)
            name = local_name(prop)
            inverse = graph.value(prop, OWL.inverseOf) or graph.subject(OWL.inverseOf, prop)
            if (prop, RDF.type, OWL.SymmetricProperty) in graph.all:
                inverse = prop
            properties[name] = PropertyInfo(name, prop, _property_kind(graph, prop, rng, concept_classes), rng, inverse)
    units = {}
    for unit in graph.subjects(RDF.type, AKG.Unit):
        notation = graph.value(unit, SKOS.notation)
        if notation is None:
            continue
        factor = graph.value(unit, QUDT.conversionMultiplier)
        base = graph.value(unit, AKG.baseUnit) or unit
        units[str(notation)] = UnitInfo(unit, str(notation), Decimal(str(factor or 1)), base)
    return OntologyIndex(triples, classes, ancestors, properties, concepts, units)
