"""SHACL validation, returned as a report object (never printed here).

Each result carries the focus node, path, message and, when the graph holds
the evidence of the fact, the data file and line the fact was written at.

Two engines give the same :class:`ValidationReport`:

* ``"pyshacl"``, the reference (the default here and of ``anze-kg validate``);
* ``"fast"``, the Rust ``shacl`` package (the default of ``anze-kg build``):
  14 ms against pySHACL's 230 ms on the Anze graph (10,000 triples), 30-50
  times faster on larger ones.  It reads the data as N-Triples text; the build
  hands it the N-Triples it makes anyway, so the report's rdflib graph is only
  made when there is a violation to locate.

Which shapes fall back to pySHACL: none.  The parity test
(tests/test_shacl_engines.py) breaks every constraint of ontology/shapes.ttl
one at a time and all at once, and tries the edges of those our shapes use:
sh:in on plain, typed and tagged literals, sh:languageIn with subtags and
upper case, sh:uniqueLang, sh:lessThan across datatypes and on IRIs, sh:or and
sh:and, sh:qualifiedValueShape, sh:hasValue on a sequence path, sh:datatype on
integers, decimals, dates and strings, sh:nodeKind on blank nodes, subclass
chains.  The engines agree on all of them, so no shape is taken from the fast
engine.  What it cannot answer in our terms goes to pySHACL whole (the report
is then pySHACL's):

* a data literal rdflib found ill-typed: rdflib keeps some with a normalised
  lexical form ("TRUE"^^xsd:boolean is kept as "true"), so the text the fast
  engine would read is no longer the data;
* data that is not valid N-Triples (a relative or malformed IRI in the graph);
* a result on a blank node (the engine renames blank nodes: the focus could not
  be found in the data to locate its fact), or with no sh:message (pySHACL
  writes one; shape:Evidence's sh:class is the one such constraint of ours).
  Both happen only when the data does not conform.

Where the engines differ, the fast one follows RDF 1.1 and XSD and pySHACL
(through rdflib) does not: "v"^^xsd:string is the same term as "v" (pySHACL
finds it not in sh:in ( "v" )), and "NaN" is not an xsd:decimal (rdflib takes
Python's Decimal("NaN")).  The parity test keeps both as known differences.

Shapes are SHACL Core only: :func:`load_shapes` refuses SHACL-SPARQL (sh:sparql,
SPARQL targets and validators, whose queries may reach other services with
SERVICE), SHACL-AF and any other non-Core term of the sh: namespace, and a
malformed file, with file:line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from xml.parsers import expat

import shacl as shacl_engine
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from anze_kg.errors import InputError, Location, UsageError
from anze_kg.inputs.ontology import load_ontology
from anze_kg.rdfterms import AKG, OA, SH

ENGINES = ("fast", "pyshacl")


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


class ShapesGraph(Graph):
    """Shapes as :func:`load_shapes` gives them: the hoisted graph (what pySHACL
    reads), the file they came from and its text (for file:line in errors), and
    the fast engine's compiled form of the authored shapes."""

    def __init__(self, *args, source: Path | None = None, text: str | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.source = source
        self.text = text
        self.compiled: tuple[int, shacl_engine.Shapes] | None = None  # (len of the graph it was made for, shapes)


def load_shapes(path: Path) -> ShapesGraph:
    """The shapes of ``path``, with property shapes hoisted (see :func:`hoist_property_shapes`).

    Refused with file:line (InputError, exit 2): a file that is missing, not
    UTF-8 or not Turtle; a term that is not SHACL Core (SHACL-SPARQL above
    all); a malformed shape (``sh:minCount "x"``, ``sh:in`` on a non-list ...);
    a file that declares no shapes."""
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError(Location.of(path), "the shapes file is missing") from None
    except OSError as exc:
        raise InputError(Location.of(path), f"the shapes file cannot be read: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(Location.of(path, raw.count(b"\n", 0, exc.start) + 1),
                         "the shapes are not UTF-8 text") from None
    authored = Graph()
    try:
        authored.parse(data=text, format="turtle", publicID=Path(path).resolve().as_uri())
    except Exception as exc:
        raise InputError(Location.of(path, _error_line(exc)), f"the shapes do not parse as Turtle: {_error_text(exc)}") \
            from None
    _refuse_non_core(authored, path, text)
    try:
        compiled = shacl_engine.Shapes.from_text(text, format="turtle", base=Path(path).resolve().as_uri())
    except ValueError as exc:
        raise InputError(_shape_error_location(str(exc), authored, path, text), f"malformed shapes: {exc}") from None
    if len(compiled) == 0:
        raise InputError(Location.of(path), "the file declares no shapes",
                         hint="name a SHACL shapes file (sh:NodeShape, sh:PropertyShape) with --shapes")
    shapes = ShapesGraph(source=Path(path), text=text)
    _hoist(authored, shapes)
    shapes.compiled = (len(shapes), compiled)
    return shapes


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
    return _hoist(shapes, Graph())


def _hoist(shapes: Graph, hoisted: Graph) -> Graph:
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


# ---------------------------------------------------------------- SHACL Core only

# The sh: terms a SHACL Core shapes graph may use (as a predicate, or as the
# class of a node): targets, paths, the Core constraint components and their
# parameters, non-validating characteristics, results, prefix declarations.
_CORE_PREDICATES = frozenset(SH[name] for name in """
    targetClass targetNode targetObjectsOf targetSubjectsOf message severity deactivated
    property path inversePath alternativePath zeroOrMorePath oneOrMorePath zeroOrOnePath
    class datatype nodeKind minCount maxCount minExclusive minInclusive maxExclusive maxInclusive
    minLength maxLength pattern flags languageIn uniqueLang equals disjoint lessThan lessThanOrEquals
    not and or xone node qualifiedValueShape qualifiedMinCount qualifiedMaxCount qualifiedValueShapesDisjoint
    closed ignoredProperties hasValue in name description order group defaultValue
    shapesGraph suggestedShapesGraph entailment
    conforms result focusNode resultPath value sourceShape sourceConstraintComponent sourceConstraint
    resultMessage resultSeverity detail declare prefixes prefix namespace""".split())
_CORE_CLASSES = frozenset(SH[name] for name in """
    Shape NodeShape PropertyShape PropertyGroup ValidationReport ValidationResult AbstractResult
    Severity Info Warning Violation NodeKind BlankNode IRI Literal BlankNodeOrIRI BlankNodeOrLiteral
    IRIOrLiteral PrefixDeclaration""".split())
_SPARQL = re.compile(r"sparql|select|ask|construct|update|validator|target$|rule", re.IGNORECASE)


def _refuse_non_core(shapes: Graph, path: Path | None = None, text: str | None = None) -> None:
    """InputError (file:line when known) on the terms of the sh: namespace that
    are not SHACL Core (the first in the file is named): SPARQL-based constraints
    and targets (which pySHACL and the fast engine would run, SERVICE included),
    SHACL-AF rules and functions, JavaScript, custom constraint components."""
    predicates = {p for p in shapes.predicates() if p.startswith(str(SH)) and p not in _CORE_PREDICATES}
    classes = {c for c in shapes.objects(None, RDF.type)
               if isinstance(c, URIRef) and c.startswith(str(SH)) and c not in _CORE_CLASSES}
    if not predicates and not classes:
        return
    lines = {term: (_line_of(text, shapes, term) if text else None) for term in predicates | classes}
    found = sorted(lines, key=lambda t: (lines[t] or 1 << 30, t in classes, t))
    named = [f"sh:{t[len(str(SH)):]}" for t in found]
    term = named[0]
    what = (f"{term} is SHACL-SPARQL or SHACL-AF, not SHACL Core (its queries could reach other services "
            f"through SERVICE)" if _SPARQL.search(term[3:]) else f"{term} is not SHACL Core")
    also = f" (also: {', '.join(named[1:])})" if len(named) > 1 else ""
    raise InputError(Location.of(path, lines[found[0]]) if path else None, f"the shapes are refused: {what}{also}",
                     hint="anze-kg validates with SHACL Core shapes only (as ontology/shapes.ttl is); "
                          "state the constraint with Core components")


_INTEGER_PARAMETERS = frozenset(SH[n] for n in "minCount maxCount minLength maxLength qualifiedMinCount "
                                                "qualifiedMaxCount".split())
_BOOLEAN_PARAMETERS = frozenset(SH[n] for n in "deactivated uniqueLang closed qualifiedValueShapesDisjoint".split())
_LIST_PARAMETERS = frozenset(SH[n] for n in "in languageIn and or xone ignoredProperties alternativePath".split())


_NODE_PARAMETERS = frozenset(SH[n] for n in """path inversePath zeroOrMorePath oneOrMorePath zeroOrOnePath class
    datatype nodeKind node not property qualifiedValueShape targetClass targetSubjectsOf targetObjectsOf equals
    disjoint lessThan lessThanOrEquals severity""".split())


def _suspect(shapes: Graph, predicate: URIRef, obj) -> bool:
    """Whether ``obj`` looks like a malformed value of ``predicate`` (to point at its line)."""
    if predicate in _INTEGER_PARAMETERS:
        return not (isinstance(obj, Literal) and isinstance(obj.value, int) and not isinstance(obj.value, bool)
                    and obj.value >= 0)
    if predicate in _BOOLEAN_PARAMETERS:
        return not (isinstance(obj, Literal) and obj.datatype == XSD.boolean and not obj.ill_typed)
    if predicate in _LIST_PARAMETERS:
        seen, node = set(), obj
        while node != RDF.nil:
            if node is None or isinstance(node, Literal) or node in seen or (node, RDF.first, None) not in shapes:
                return True
            seen.add(node)
            node = shapes.value(node, RDF.rest)
        return False
    return predicate in _NODE_PARAMETERS and isinstance(obj, Literal)


def _shape_error_location(message: str, shapes: Graph, path: Path, text: str) -> Location:
    """file:line of what an engine's message about a malformed shape is about: a
    malformed value of the sh: term it names, or else of any parameter."""
    named = re.search(r"sh:(\w+)", message)
    predicates = [SH[named[1]]] if named else sorted({p for p in shapes.predicates() if p.startswith(str(SH))})
    for predicate in predicates:
        bad = next((o for o in shapes.objects(None, predicate) if _suspect(shapes, predicate, o)), None)
        if bad is not None:
            return Location.of(path, _line_of(text, shapes, predicate, bad))
    return Location.of(path, _line_of(text, shapes, predicates[0]) if named else None)


def _spellings(graph: Graph, term: URIRef) -> list[str]:
    iri = str(term)
    spelled = [f"<{iri}>"]
    for prefix, namespace in graph.namespaces():
        if iri.startswith(str(namespace)) and len(iri) > len(str(namespace)):
            spelled.append(f"{prefix}:{iri[len(str(namespace)):]}")
    return spelled


def _line_of(text: str, graph: Graph, term: URIRef, obj=None) -> int | None:
    """The first line of ``text`` that spells ``term`` (and, when given and it can be
    spelled, ``obj`` after it on the same line); else the first that spells ``term``."""
    word = re.compile("|".join(rf"(?<![\w:.-]){re.escape(s)}(?![\w-])" if not s.startswith("<") else re.escape(s)
                               for s in _spellings(graph, term)))
    after = None
    if isinstance(obj, Literal):
        after = re.escape(str(obj))
    elif isinstance(obj, URIRef):
        after = "|".join(re.escape(s) for s in _spellings(graph, obj))
    first = None
    for number, line in enumerate(text.splitlines(), 1):
        if line.lstrip().startswith("#"):
            continue
        hit = word.search(line)
        if hit is None:
            continue
        if after is None or re.search(after, line[hit.end():]):
            return number
        first = first or number
    return first


# ---------------------------------------------------------------- validation


def validate_graph(data: Graph | Sequence[tuple], shapes: Graph, engine: str = "pyshacl", *,
                   ntriples: str | None = None) -> ValidationReport:
    """Validate ``data`` (which must include the ontology) against ``shapes``.

    ``data`` is an rdflib graph or a sequence of rdflib triples; ``ntriples``,
    when the caller has it, is the same triples as N-Triples text, which the
    fast engine then reads instead of a serialisation of ``data``.  ``engine``
    is ``"pyshacl"`` (the reference) or ``"fast"`` (see the module docstring
    for what it hands on to pySHACL)."""
    if engine not in ENGINES:
        raise UsageError(f"unknown SHACL engine {engine!r}", hint=f"use one of {', '.join(ENGINES)}")
    if not isinstance(shapes, ShapesGraph):
        _refuse_non_core(shapes)
    if engine == "fast":
        report = _validate_fast(data, shapes, ntriples)
        if report is not None:
            return report
    graph = _as_graph(data)
    return _validate_pyshacl(graph, shapes)


def fast_conforms(shapes: Graph, ntriples: str) -> bool:
    """Whether the fast engine finds no result at all in ``ntriples`` (the data
    with the ontology's axioms, as N-Triples) against ``shapes`` as
    :func:`load_shapes` gave them.  False also when it cannot tell (shapes of
    another kind, text it cannot read): :func:`validate_graph` then gives the
    verdict and the report.  The caller checks that no literal is ill-typed
    (such data is pySHACL's to judge)."""
    if not isinstance(shapes, ShapesGraph):
        return False
    compiled = _compiled(shapes)
    try:
        verdict = compiled.validate_text(ntriples, format="ntriples")
    except Exception:  # noqa: BLE001 - validate_graph reads the graph instead
        return False
    return bool(verdict.conforms) and not verdict.results


def _as_graph(data: Graph | Sequence[tuple]) -> Graph:
    if isinstance(data, Graph):
        return data
    graph = Graph()
    for triple in data:
        graph.add(triple)
    return graph


def _report(conforms: bool, violations, triples: int) -> ValidationReport:
    ordered = sorted(set(violations), key=lambda v: (v.where or "~", v.focus, v.path or "", v.message, v.value or "",
                                                     v.shape or ""))
    return ValidationReport(bool(conforms), tuple(ordered), triples)


def _shapes_error(shapes: Graph, exc: Exception) -> InputError:
    source = getattr(shapes, "source", None)
    text = getattr(shapes, "text", None)
    where = _shape_error_location(str(exc), shapes, source, text) if source and text else None
    return InputError(where, f"malformed shapes: {exc}")


def _validate_pyshacl(data: Graph, shapes: Graph) -> ValidationReport:
    from pyshacl import validate  # deferred: 0.25 s that only validation pays
    from pyshacl.errors import ReportableRuntimeError  # deferred: with pyshacl

    try:
        conforms, results, text = validate(data, shacl_graph=shapes, inference="none", advanced=False, inplace=True,
                                           allow_warnings=False, abort_on_first=False, meta_shacl=False)
    except ReportableRuntimeError as exc:
        raise _shapes_error(shapes, exc) from None
    if not isinstance(results, Graph):  # pySHACL's ValidationFailure: it could not validate
        raise _shapes_error(shapes, RuntimeError(str(text).removeprefix("Validation Failure - ")))
    # The report's own results: nested sh:detail results (sh:node) are not violations of their own.
    return _report(conforms, (_violation(results, r, data) for r in results.objects(None, SH.result)), len(data))


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


def _compiled(shapes: Graph) -> shacl_engine.Shapes:
    """The fast engine's form of ``shapes``: made once by load_shapes, else now (a few ms)."""
    if isinstance(shapes, ShapesGraph) and shapes.compiled and shapes.compiled[0] == len(shapes):
        return shapes.compiled[1]
    try:
        compiled = shacl_engine.Shapes.from_text(_ntriples(shapes), format="ntriples")
    except ValueError as exc:
        raise _shapes_error(shapes, exc) from None
    if isinstance(shapes, ShapesGraph):
        shapes.compiled = (len(shapes), compiled)
    return compiled


def _ntriples(data: Graph | Sequence[tuple]) -> str:
    """``data`` as N-Triples (rdflib's serialiser: 50 ms for 10,000 triples).  Strict
    N-Triples, not Turtle: a relative IRI in the graph does not parse (Turtle would
    resolve it against a base), and the report goes to pySHACL."""
    return _as_graph(data).serialize(format="nt", encoding="utf-8").decode("utf-8")


def _ill_typed(triples) -> bool:
    return any(type(o) is Literal and o.ill_typed for _, _, o in triples)


def _validate_fast(data: Graph | Sequence[tuple], shapes: Graph, ntriples: str | None) -> ValidationReport | None:
    """The fast engine's report, or None when it is pySHACL's to give (see the module docstring)."""
    # Shapes the fast engine mishandles, to be validated by pySHACL instead: none
    # (tests/test_shacl_engines.py).  The whole report goes to pySHACL for ill-typed
    # data literals, data that is not N-Triples, and results on blank nodes or
    # without sh:message.
    compiled = _compiled(shapes)
    if _ill_typed(data):
        return None
    try:
        verdict = compiled.validate_text(ntriples if ntriples is not None else _ntriples(data), format="ntriples")
    except Exception:  # noqa: BLE001 - text the engine cannot read (a relative IRI ...): pySHACL reads the graph
        return None
    results = verdict.results
    if any(r.focus_node.startswith("_:") or r.message is None for r in results):
        return None
    triples = len(data) if isinstance(data, Graph) else len(set(data))
    if not results:
        return _report(verdict.conforms, (), triples)
    graph = _as_graph(data)
    return _report(verdict.conforms, (_fast_violation(r, graph) for r in results), triples)


def _fast_violation(result, data: Graph) -> Violation:
    """A result of the fast engine, in the words pySHACL's would give (terms read
    back into rdflib, whose lexical forms are the graph's: "NaN"^^xsd:double is "nan")."""
    focus = _term(result.focus_node)
    return Violation(
        focus=str(focus),
        path=_iri(result.path),
        message=result.message,
        severity=result.severity,
        shape=_iri(result.source_shape),
        value=_text(_term(result.value)) if result.value is not None else None,
        where=fact_location(data, focus),
    )


def _iri(term: str | None) -> str | None:
    """The IRI of an N-Triples ``<iri>``; None for anything else (a blank node, a
    complex path), as pySHACL's blank nodes give None."""
    return term[1:-1] if term and term.startswith("<") and term.endswith(">") else None


_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))", re.DOTALL)
_SIMPLE_ESCAPES = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
_LITERAL = re.compile(r'"(.*)"(?:@([A-Za-z0-9-]+)|\^\^<([^>]*)>)?', re.DOTALL)


def _unescape(text: str) -> str:
    return _ESCAPE.sub(lambda m: chr(int(m[1] or m[2], 16)) if (m[1] or m[2]) else _SIMPLE_ESCAPES.get(m[3], m[3]),
                       text)


def _term(nt: str):
    """An N-Triples term as an rdflib term."""
    if nt.startswith("<"):
        return URIRef(_unescape(nt[1:-1]))
    if nt.startswith("_:"):
        return BNode(nt[2:])
    literal = _LITERAL.fullmatch(nt)
    if literal is None:
        return Literal(nt)
    return Literal(_unescape(literal[1]), lang=literal[2], datatype=URIRef(literal[3]) if literal[3] else None)


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


def validate_files(files: list[Path], project, shapes_path: Path | None = None,
                   engine: str = "pyshacl") -> ValidationReport:
    """Validate RDF files (any format rdflib reads, by suffix) against the shapes.

    The ontology is merged into the data graph first, so that class hierarchy
    checks work on files that hold only instance data.  Hostile input is
    refused before it is read (InputError, exit 2): JSON-LD that would load a
    context (remote, file: or relative) and RDF/XML with a DOCTYPE (entities:
    billion laughs, external entities)."""
    shapes = load_shapes(shapes_path or project.shapes_file)
    data = Graph()
    for path in files:
        _parse_into(data, path)
    for triple in load_ontology(project.ontology_files()).triples:
        data.add(triple)
    return validate_graph(data, shapes, engine)


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
            graph.parse(data=_jsonld_document(path), format=fmt, base=path.resolve().as_uri())
        elif fmt == "xml":
            _refuse_doctype(path)
            graph.parse(path, format=fmt)
        else:
            graph.parse(path, format=fmt)
    except InputError:
        raise
    except Exception as exc:
        raise InputError(Location.of(path, _error_line(exc)), f"does not parse as {fmt}: {_error_text(exc)}") from None


def _error_line(exc: Exception) -> int | None:
    """The 1-based line a parser's exception points at, when it says."""
    if type(exc).__name__ == "BadSyntax":  # rdflib's Turtle/N3 parser: 0-based
        lines = getattr(exc, "lines", None)
        return lines + 1 if isinstance(lines, int) else None
    for attribute in ("lineno", "line", "lines"):
        line = getattr(exc, attribute, None)
        if isinstance(line, int) and not isinstance(line, bool):
            return line
    get = getattr(exc, "getLineNumber", None)  # SAX
    return get() if callable(get) else None


def _error_text(exc: Exception) -> str:
    why = getattr(exc, "_why", None)  # rdflib's BadSyntax: the reason without the dump of the input
    return str(why) if why else str(exc)


# ---------------------------------------------------------------- hostile input


def _jsonld_document(path: Path):
    """The JSON of a JSON-LD file, refused (InputError naming the file) when it
    would load a context: a remote, ``file:`` or relative ``@context`` (a string)
    or an ``@import``, at any depth.  Inline contexts are read as they are."""
    try:
        document = json.loads(path.read_bytes())
    except json.JSONDecodeError as exc:
        raise InputError(Location.of(path, exc.lineno, exc.colno), f"does not parse as JSON: {exc.msg}") from None
    except (UnicodeDecodeError, RecursionError, ValueError) as exc:
        raise InputError(Location.of(path), f"does not parse as JSON: {exc}") from None
    todo = [document]
    while todo:
        node = todo.pop()
        if isinstance(node, list):
            todo.extend(node)
        elif isinstance(node, dict):
            if "@context" in node:
                contexts = node["@context"] if isinstance(node["@context"], list) else [node["@context"]]
                for context in contexts:
                    if isinstance(context, str):
                        raise InputError(Location.of(path), f"the JSON-LD names a context to load ({context!r}): "
                                         "refused, contexts are never fetched or opened",
                                         hint="put the context inline (\"@context\": {...})")
                    if isinstance(context, dict) and "@import" in context:
                        raise InputError(Location.of(path), f"the JSON-LD imports a context ({context['@import']!r}): "
                                         "refused, contexts are never fetched or opened",
                                         hint="put the context inline (\"@context\": {...})")
            todo.extend(node.values())
    return document


class _Prolog(Exception):
    """The root element began: the prolog held no DOCTYPE."""


def _refuse_doctype(path: Path) -> None:
    """InputError (file:line) when an XML file has a DOCTYPE or an entity
    declaration; only the prolog is read (expat stops at the root element, before
    any entity is expanded or fetched)."""
    parser = expat.ParserCreate()

    def refuse(*_args) -> None:
        raise InputError(Location.of(path, parser.CurrentLineNumber),
                         "RDF/XML with a DOCTYPE or entity declarations is refused (entity expansion, external "
                         "entities)", hint="remove the <!DOCTYPE ...> and write the entities out")

    def root(*_args) -> None:
        raise _Prolog

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.StartElementHandler = root
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 16):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except _Prolog:
        return
    except expat.ExpatError as exc:
        raise InputError(Location.of(path, exc.lineno, exc.offset + 1), f"does not parse as XML: "
                         f"{expat.ErrorString(exc.code)}") from None
