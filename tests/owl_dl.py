"""A structural OWL 2 DL check of an RDF graph, in Python: the parts of the
OWL 2 DL restrictions (OWL 2 Structural Specification, sections 5 and 11)
that a careless edit of ``ontology/anze.ttl`` breaks.

- every datatype named (a range, a literal, a datatype restriction) is in the
  OWL 2 datatype map (xsd:gYear and xsd:date are not);
- no IRI is two kinds of property (object, datatype, annotation), nor a class
  and a datatype;
- every IRI used as a property, and every class named, is declared (typed
  in the graph): OWL 2 DL has no guessing;
- an object property has IRI objects, a datatype property literals;
- the reserved vocabulary (rdf:, rdfs:, owl:, xsd:) is not used for classes
  or properties of one's own (rdf:Statement, rdf:subject...);
- a property is a sub-property and an inverse only of its own kind;
- domains and ranges fit the property's kind.

``problems(graph)`` returns one line per violation, empty when clean.
"""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

RDF_NS, RDFS_NS, OWL_NS, XSD_NS = str(RDF), str(RDFS), str(OWL), str(XSD)

# OWL 2 Structural Specification 4: the OWL 2 datatype map, plus rdfs:Literal.
DATATYPE_MAP = {URIRef(x) for x in (
    RDF_NS + "PlainLiteral", RDF_NS + "XMLLiteral", RDFS_NS + "Literal",
    OWL_NS + "real", OWL_NS + "rational",
    *(XSD_NS + name for name in (
        "decimal", "integer", "nonNegativeInteger", "nonPositiveInteger", "positiveInteger",
        "negativeInteger", "long", "int", "short", "byte", "unsignedLong", "unsignedInt",
        "unsignedShort", "unsignedByte", "double", "float", "string", "normalizedString",
        "token", "language", "Name", "NCName", "NMTOKEN", "boolean", "hexBinary",
        "base64Binary", "anyURI", "dateTime", "dateTimeStamp")),
)}
# rdf:langString: how RDF 1.1 types a literal with a language tag (OWL 2's
# rdf:PlainLiteral in the OWL 2 mapping); rdflib reports no datatype for it.
LANG_STRING = URIRef(RDF_NS + "langString")

# The vocabulary of the OWL 2 RDF mapping itself: predicates that encode axioms.
AXIOM_PREDICATES = {RDF.type, RDF.first, RDF.rest, RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain,
                    RDFS.range, OWL.inverseOf, OWL.disjointWith, OWL.members, OWL.equivalentClass,
                    OWL.equivalentProperty, OWL.unionOf, OWL.intersectionOf, OWL.onProperty,
                    OWL.someValuesFrom, OWL.allValuesFrom, OWL.propertyDisjointWith, OWL.versionIRI,
                    OWL.imports, OWL.onDatatype, OWL.withRestrictions, OWL.complementOf, OWL.oneOf}
# Built-in annotation properties (OWL 2 Structural Specification 5.5).
BUILTIN_ANNOTATIONS = {RDFS.label, RDFS.comment, RDFS.seeAlso, RDFS.isDefinedBy, OWL.versionInfo,
                       OWL.deprecated, OWL.backwardCompatibleWith, OWL.incompatibleWith, OWL.priorVersion}
OBJECT_KINDS = {OWL.ObjectProperty, OWL.TransitiveProperty, OWL.SymmetricProperty, OWL.AsymmetricProperty,
                OWL.ReflexiveProperty, OWL.IrreflexiveProperty, OWL.InverseFunctionalProperty}
# The OWL vocabulary used as the object of rdf:type (declarations, axioms).
OWL_TYPES = OBJECT_KINDS | {OWL.Class, OWL.DatatypeProperty, OWL.AnnotationProperty, OWL.Ontology,
                            OWL.FunctionalProperty, OWL.AllDisjointClasses, OWL.Restriction,
                            OWL.NamedIndividual, RDFS.Datatype, OWL.Axiom}


def _reserved(iri) -> bool:
    return isinstance(iri, URIRef) and str(iri).startswith((RDF_NS, RDFS_NS, OWL_NS, XSD_NS))


def _kinds(graph: Graph) -> dict[URIRef, set[str]]:
    kinds: dict[URIRef, set[str]] = {}
    for s, kind in graph.subject_objects(RDF.type):
        name = ("object" if kind in OBJECT_KINDS else "datatype" if kind == OWL.DatatypeProperty
                else "annotation" if kind == OWL.AnnotationProperty else "class" if kind == OWL.Class
                else "datatype-iri" if kind == RDFS.Datatype else None)
        if name is not None and isinstance(s, URIRef):
            kinds.setdefault(s, set()).add(name)
    return kinds


def used_datatypes(graph: Graph) -> dict[URIRef, set[URIRef]]:
    """Datatype IRI -> the predicates whose literals (or ranges) carry it."""
    out: dict[URIRef, set[URIRef]] = {}
    for s, p, o in graph:
        if isinstance(o, Literal) and o.datatype is not None and o.datatype != LANG_STRING:
            out.setdefault(o.datatype, set()).add(p)
    for prop, rng in graph.subject_objects(RDFS.range):
        if (prop, RDF.type, OWL.DatatypeProperty) in graph and isinstance(rng, URIRef):
            out.setdefault(rng, set()).add(prop)
    for _, dt in graph.subject_objects(OWL.onDatatype):
        out.setdefault(dt, set()).add(OWL.onDatatype)
    return out


def problems(graph: Graph) -> list[str]:
    out: list[str] = []
    kinds = _kinds(graph)

    def kind(iri) -> set[str]:
        if iri in BUILTIN_ANNOTATIONS:
            return {"annotation"}
        return kinds.get(iri, set())

    for iri, ks in sorted(kinds.items()):
        props = ks & {"object", "datatype", "annotation"}
        if len(props) > 1:
            out.append(f"{iri} is punned as {' and '.join(sorted(props))} property")
        if {"class", "datatype-iri"} <= ks:
            out.append(f"{iri} is both a class and a datatype")
        if _reserved(iri) and ks & {"object", "datatype", "annotation", "class"} and iri not in BUILTIN_ANNOTATIONS:
            out.append(f"{iri} is reserved vocabulary, declared as {' and '.join(sorted(ks))}")

    for dt, props in sorted(used_datatypes(graph).items()):
        if dt not in DATATYPE_MAP and not (kind(dt) == {"datatype-iri"} and not _reserved(dt)):
            out.append(f"datatype {dt} is not in the OWL 2 datatype map (used by {', '.join(sorted(props))})")

    classes: set = set()
    for s, o in graph.subject_objects(RDF.type):
        if o not in OWL_TYPES:
            classes.add(o)
    for s, o in graph.subject_objects(RDFS.subClassOf):
        classes.update((s, o))
    for s, o in graph.subject_objects(OWL.disjointWith):
        classes.update((s, o))
    for node in graph.subjects(RDF.type, OWL.AllDisjointClasses):
        classes.update(graph.items(graph.value(node, OWL.members)))
    for prop, c in (*graph.subject_objects(RDFS.domain), *graph.subject_objects(RDFS.range)):
        if "datatype" not in kind(prop) or graph.value(prop, RDFS.domain) == c:
            classes.add(c)
    for c in sorted(x for x in classes if isinstance(x, URIRef)):
        if c in (OWL.Thing, OWL.Nothing):
            continue
        if _reserved(c):
            out.append(f"{c} is reserved vocabulary, used as a class")
        elif "class" not in kind(c):
            out.append(f"class {c} is not declared (owl:Class)")

    seen: set = set()
    for s, p, o in graph:
        if p in AXIOM_PREDICATES or (p, type(o) is Literal) in seen:
            continue
        seen.add((p, type(o) is Literal))
        ks = kind(p) & {"object", "datatype", "annotation"}
        if _reserved(p) and p not in BUILTIN_ANNOTATIONS:
            out.append(f"{p} is reserved vocabulary, used as a property")
        elif not ks:
            out.append(f"property {p} is not declared")
        elif ks == {"object"} and isinstance(o, Literal):
            out.append(f"object property {p} has a literal value")
        elif ks == {"datatype"} and not isinstance(o, Literal):
            out.append(f"datatype property {p} has a non-literal value")

    for s, o in (*graph.subject_objects(RDFS.subPropertyOf), *graph.subject_objects(OWL.inverseOf)):
        if kind(s) & {"object", "datatype", "annotation"} != kind(o) & {"object", "datatype", "annotation"}:
            out.append(f"{s} ({'/'.join(sorted(kind(s))) or 'undeclared'}) is tied to {o} "
                       f"({'/'.join(sorted(kind(o))) or 'undeclared'}) by a property axiom")
    for prop, rng in graph.subject_objects(RDFS.range):
        if "annotation" in kind(prop):
            continue
        if isinstance(rng, BNode):
            continue
        if "datatype" in kind(prop) and "class" in kind(rng):
            out.append(f"datatype property {prop} has a class range {rng}")
        if "object" in kind(prop) and (rng in DATATYPE_MAP or "datatype-iri" in kind(rng)):
            out.append(f"object property {prop} has a datatype range {rng}")
    return out
