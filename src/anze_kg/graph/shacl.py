"""SHACL validation with pySHACL, returned as a report object (never printed here).

Each result carries the focus node, path, message and, when the graph holds
the evidence of the fact, the data file and line the fact was written at.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF

from anze_kg.errors import InputError, Location
from anze_kg.inputs.ontology import load_ontology
from anze_kg.rdfterms import AKG, OA, SH


@dataclass(frozen=True)
class Violation:
    focus: str
    path: str | None
    message: str
    severity: str
    shape: str | None
    value: str | None
    where: str | None  # data file:line of the fact, when known

    def describe(self, graph_label: str | None = None) -> str:
        head = f"{self.where}: " if self.where else ""
        label = f" ({graph_label})" if graph_label else ""
        path = f" {self.path}" if self.path else ""
        value = f" [value: {self.value}]" if self.value else ""
        return f"{head}{self.severity}: <{self.focus}>{label}{path}: {self.message}{value}"


@dataclass(frozen=True)
class ValidationReport:
    conforms: bool
    violations: tuple[Violation, ...]
    triples: int

    def to_json(self) -> str:
        return json.dumps({"conforms": self.conforms, "triples": self.triples,
                           "violations": [asdict(v) for v in self.violations]}, ensure_ascii=False, indent=2)


def load_shapes(path: Path) -> Graph:
    """The shapes of ``path``, with property shapes hoisted (see :func:`hoist_property_shapes`)."""
    try:
        authored = Graph().parse(path, format="turtle")
    except FileNotFoundError:
        raise InputError(Location.of(path), "the shapes file is missing") from None
    except Exception as exc:
        raise InputError(Location.of(path), f"the shapes do not parse: {exc}") from None
    return hoist_property_shapes(authored)


_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)


def hoist_property_shapes(shapes: Graph) -> Graph:
    """The same shapes, with each node shape's targets copied onto its
    ``sh:property`` shapes and the ``sh:property`` links dropped.

    SHACL gives the same results either way (a property shape reports itself
    as ``sh:sourceShape`` in both), but pySHACL evaluates a linked property
    shape once per focus node, building its constraint components anew each
    time, and a targeted one once for all its focus nodes: validation of one
    report takes a third of the time.  A node shape is left as written when
    another shape refers to it (``sh:node``, ``sh:or`` ...), when it is
    deactivated, or when it has no targets.  The file stays in the plain
    authored form, which is what Jena and other engines read."""
    hoisted = Graph()
    for prefix, namespace in shapes.namespaces():
        hoisted.bind(prefix, namespace, override=True)
    for triple in shapes:
        hoisted.add(triple)
    for node_shape in set(shapes.subjects(SH.property, None)):
        targets = [(p, o) for p in _TARGETS for o in shapes.objects(node_shape, p)]
        referenced = next(shapes.subjects(None, node_shape), None) is not None
        deactivated = (node_shape, SH.deactivated, Literal(True)) in shapes
        if not targets or referenced or deactivated:
            continue
        for prop in shapes.objects(node_shape, SH.property):
            hoisted.remove((node_shape, SH.property, prop))
            for p, o in targets:
                hoisted.add((prop, p, o))
    return hoisted


def validate_graph(data: Graph, shapes: Graph) -> ValidationReport:
    """Validate ``data`` (which must include the ontology) against ``shapes``."""
    from pyshacl import validate  # deferred: 0.25 s that only validation pays

    conforms, results, _ = validate(data, shacl_graph=shapes, inference="none", advanced=False, inplace=True,
                                    allow_warnings=False, abort_on_first=False, meta_shacl=False)
    violations = sorted({_violation(results, r, data) for r in results.subjects(RDF.type, SH.ValidationResult)},
                        key=lambda v: (v.where or "~", v.focus, v.path or "", v.message, v.value or "", v.shape or ""))
    return ValidationReport(bool(conforms), tuple(violations), len(data))


def _text(node) -> str | None:
    if node is None:
        return None
    return str(node) if isinstance(node, (URIRef, Literal)) else None


def _violation(results: Graph, result, data: Graph) -> Violation:
    focus = results.value(result, SH.focusNode)
    message = results.value(result, SH.resultMessage)
    severity = results.value(result, SH.resultSeverity)
    return Violation(
        focus=str(focus),
        path=_text(results.value(result, SH.resultPath)),
        message=str(message) if message is not None else "constraint violated",
        severity=str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation",
        shape=_text(results.value(result, SH.sourceShape)),
        value=_text(results.value(result, SH.value)),
        where=fact_location(data, focus),
    )


def fact_location(data: Graph, node, depth: int = 0) -> str | None:
    """The fact file:line behind a node: its evidence, or its owner's (for helper nodes)."""
    if node is None or depth > 3:
        return None
    evidence = [node] if (node, RDF.type, AKG.Evidence) in data else list(data.objects(node, AKG.hasEvidence))
    if not evidence:
        evidence = list(data.subjects(OA.hasBody, node))
    for ev in sorted(evidence):
        file, line = data.value(ev, AKG.factFile), data.value(ev, AKG.factLine)
        if file is not None:
            return f"{file}:{line}" if line is not None else str(file)
    for owner in sorted(data.subjects(None, node)):
        if isinstance(owner, URIRef):
            found = fact_location(data, owner, depth + 1)
            if found:
                return found
    return None


def validate_files(files: list[Path], project, shapes_path: Path | None = None) -> ValidationReport:
    """Validate RDF files (any format rdflib reads, by suffix) against the shapes.

    The ontology is merged into the data graph first, so that class hierarchy
    checks work on files that hold only instance data.
    """
    data = Graph()
    for path in files:
        _parse_into(data, path)
    for triple in load_ontology(project.ontology_files()).graph:
        data.add(triple)
    return validate_graph(data, load_shapes(shapes_path or project.shapes_file))


_SUFFIX_FORMATS = {".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld", ".json": "json-ld",
                   ".trig": "trig", ".nq": "nquads", ".rdf": "xml", ".owl": "xml", ".xml": "xml"}


def _parse_into(graph: Graph, path: Path) -> None:
    fmt = _SUFFIX_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(Location.of(path), f"unknown RDF file type {path.suffix!r}",
                         hint="use .ttl, .nt, .jsonld, .trig, .nq or .rdf")
    if not path.is_file():
        raise InputError(Location.of(path), "no such file", hint="run `anze-kg build` first, or name a file")
    try:
        if fmt in ("trig", "nquads"):
            ds = Dataset()
            ds.parse(path, format=fmt)
            for s, p, o, _ in ds.quads():
                graph.add((s, p, o))
        elif fmt == "json-ld":
            graph.parse(path, format=fmt, base=path.resolve().as_uri())
        else:
            graph.parse(path, format=fmt)
    except InputError:
        raise
    except Exception as exc:
        line = getattr(exc, "lines", None) or getattr(exc, "line", None)
        raise InputError(Location.of(path, line if isinstance(line, int) else None),
                         f"does not parse as {fmt}: {exc}") from None
