"""One unit of the build: a report's facts -> triples -> SHACL verdict ->
fragments in each output format (see :mod:`anze_kg.build.pipeline`).

The shared inputs (ontology index, vocabulary, shapes) are loaded once per
process and kept under the digest of their content (the vocabulary unit's
key), never under a path: a second build in the same process whose shapes or
vocabulary changed loads them again.
"""

from __future__ import annotations

import gc
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef

from anze_kg.build.cache import FRAGMENTS
from anze_kg.errors import AnzeKGError, SourceUnavailable, UsageError
from anze_kg.graph.formats import FORMATS, PREFIX_MAP, serialize
from anze_kg.graph.shacl import (
    ENGINES,
    Violation,
    fast_conforms,
    load_shapes,
    validate_graph,
)
from anze_kg.graph.triples import (
    report_quads,
    report_triples,
    to_ox_quads,
    vocab_triples,
)
from anze_kg.inputs.facts import (
    Fact,
    FactSet,
    check_references,
    load_report_facts,
    load_vocab,
)
from anze_kg.inputs.manifest import ONTOLOGY, graph_of
from anze_kg.inputs.ontology import OntologyIndex, load_ontology
from anze_kg.inputs.project import Project
from anze_kg.inputs.reports import load_report
from anze_kg.rdfterms import RDF, RDFS


@dataclass(frozen=True)
class Shared:
    """What every report of a build is built and validated with."""

    key: tuple[str, str, bool]
    project: Project
    index: OntologyIndex
    vocab: dict[str, Fact]
    shapes: Graph
    ontology: list[tuple]
    axioms: list[tuple]
    vocab_triples: list[tuple]


_SHARED: dict[tuple[str, str, bool], Shared] = {}


def shared_inputs(project_root: str, shared_key: str, allow_drafts: bool) -> Shared:
    """The shared inputs whose content digest is ``shared_key``: loaded once per process."""
    key = (project_root, shared_key, allow_drafts)
    if key not in _SHARED:
        project = Project(Path(project_root))
        index = load_ontology(project.ontology_files())
        vocab = load_vocab(project, index)
        check_references(FactSet(vocab, {}), index, allow_drafts)
        ontology = list(index.triples)
        # What the shapes need of the ontology: the class hierarchy and the concepts' types.
        axioms = [t for t in ontology if t[1] in (RDFS.subClassOf, RDF.type)]
        _SHARED.clear()
        _SHARED[key] = Shared(key, project, index, vocab, load_shapes(project.shapes_file), ontology, axioms,
                              vocab_triples(index, FactSet(vocab, {})))
    return _SHARED[key]


DEFAULT_SHACL_ENGINE = "fast"  # the build's engine (the reference, pySHACL, with --shacl-engine pyshacl)


def check_engine(engine: str) -> str:
    if engine not in ENGINES:
        raise UsageError(f"{engine!r} is not a SHACL engine", hint=f"use one of {', '.join(ENGINES)}")
    return engine


_SHARED_NTRIPLES: dict[tuple[str, str, bool], tuple[str, bool]] = {}
_NO_GRAPH = URIRef("urn:anze-kg:validation")


def _shared_for_fast(shared: Shared) -> tuple[str, bool]:
    if shared.key not in _SHARED_NTRIPLES:
        _SHARED_NTRIPLES.clear()
        triples = list(dict.fromkeys([*shared.axioms, *shared.vocab_triples]))
        quads = to_ox_quads((s, p, o, _NO_GRAPH) for s, p, o in triples)
        _SHARED_NTRIPLES[shared.key] = (ox.serialize([q.triple for q in quads], format=ox.RdfFormat.N_TRIPLES).decode(),
                                        any(type(o) is Literal and o.ill_typed for _, _, o in triples))
    return _SHARED_NTRIPLES[shared.key]


def shared_ntriples(shared: Shared) -> str:
    """The axioms and vocabulary triples every report is validated with, as
    N-Triples (for the fast engine): made once per process."""
    return _shared_for_fast(shared)[0]


@dataclass(frozen=True)
class UnitBuilt:
    """One report built: ``status`` built, failed (SHACL), error (input) or skipped
    (its text is absent); when built, its fragments, triple count and class counts."""

    report: str
    status: str
    fragments: dict[str, bytes] | None = None
    triples: int = 0
    counts: dict[str, int] | None = None
    violations: tuple[Violation, ...] = ()
    error: str | None = None
    exit_code: int = 0


def build_report(project_root: str, folder: str, shared_key: str, allow_drafts: bool,
                 engine: str = DEFAULT_SHACL_ENGINE) -> UnitBuilt:
    """Build and validate one report, to fragments (nothing is written).

    Python's cyclic garbage collector is paused while a report is built: the
    build makes many small objects and no cycles that matter (measured: a
    quarter less time for the graph construction); it runs again in between."""
    gc.disable()
    try:
        return _build_report(project_root, folder, shared_key, allow_drafts, check_engine(engine))
    finally:
        gc.enable()


def _build_report(project_root: str, folder: str, shared_key: str, allow_drafts: bool, engine: str) -> UnitBuilt:
    name = Path(folder).name
    try:
        shared = shared_inputs(project_root, shared_key, allow_drafts)
        report = load_report(Path(folder))
        facts = FactSet(shared.vocab, {report.id: load_report_facts(shared.project, report, shared.index, shared.vocab)})
        check_references(facts, shared.index, allow_drafts)
        if engine == "fast":
            done = _built_fast(shared, facts, report, name)
            if done is not None:
                return done
        triples = report_triples(shared.index, facts, report)
    except SourceUnavailable as exc:
        return UnitBuilt(name, "skipped", error=str(exc))
    except AnzeKGError as exc:
        return UnitBuilt(name, "error", error=str(exc), exit_code=exc.exit_code)
    data = [*shared.axioms, *shared.vocab_triples, *triples]
    if engine == "fast":
        # The fast engine reads the report's N-Triples fragment (made here anyway)
        # after the shared triples; no rdflib graph unless there is a violation.
        fragments = fragments_of(triples, graph_of(name))
        verdict = validate_graph(data, shared.shapes, engine,
                                 ntriples=shared_ntriples(shared) + fragments["nt"].decode("utf-8"))
    else:
        fragments, verdict = None, validate_graph(data, shared.shapes, engine)
    if not verdict.conforms:
        return UnitBuilt(name, "failed", violations=verdict.violations, exit_code=1)
    return UnitBuilt(name, "built", fragments or fragments_of(triples, graph_of(name)), len(set(triples)),
                     class_counts(triples, shared.index))


def _built_fast(shared: Shared, facts: FactSet, report, name: str) -> UnitBuilt | None:
    """The common case, a report that conforms, on pyoxigraph terms alone: its
    quads made directly (:func:`anze_kg.graph.triples.report_quads`), its
    N-Triples fragment validated by the fast engine.  None when that is not the
    whole story (a result of any kind, an ill-typed literal): the report is then
    built again through rdflib, whose graph the violations' report and pySHACL
    read, so every verdict and message is the one that path gives."""
    graph = graph_of(name)
    built = report_quads(shared.index, facts, report, graph)
    ntriples, shared_ill_typed = _shared_for_fast(shared)
    if built.ill_typed or shared_ill_typed:
        return None
    fragments = fragments_of_quads(built.quads, graph)
    if not fast_conforms(shared.shapes, ntriples + fragments["nt"].decode("utf-8")):
        return None
    return UnitBuilt(name, "built", fragments, len(built.quads), quad_class_counts(built.quads, shared.index))


def build_shared(project_root: str, unit: str, shared_key: str, allow_drafts: bool) -> UnitBuilt:
    """The ontology or vocabulary unit, to fragments."""
    shared = shared_inputs(project_root, shared_key, allow_drafts)
    triples = shared.ontology if unit == ONTOLOGY else shared.vocab_triples
    return UnitBuilt(unit, "built", fragments_of(triples, graph_of(unit)), len(set(triples)),
                     class_counts(triples, shared.index))


def fragments_of(triples: list[tuple], graph: str) -> dict[str, bytes]:
    """The graph's fragments in each output format.  The quads are sorted once;
    the N-Triples are the N-Quads with the graph name cut from each line (the
    same bytes ``serialize`` would give, in a tenth of the time)."""
    return fragments_of_quads(to_ox_quads((s, p, o, URIRef(graph)) for s, p, o in dict.fromkeys(triples)), graph)


def fragments_of_quads(quads: list[ox.Quad], graph: str) -> dict[str, bytes]:
    """The fragments of ``quads`` (all in the named graph ``graph``, sorted)."""
    nq = serialize(quads, FORMATS["nquads"])
    nt = nq.replace(f" <{graph}> .\n".encode(), b" .\n")
    ttl = ox.serialize([q.triple for q in quads], format=FORMATS["turtle"].ox, prefixes=PREFIX_MAP)
    fragments = {"nq": nq, "nt": nt, "ttl": ttl, "trig": serialize(quads, FORMATS["trig"])}
    return {name: fragments[name] for name in FRAGMENTS}


def class_counts(triples: list[tuple], index: OntologyIndex) -> dict[str, int]:
    by_iri = {iri: name for name, iri in index.classes.items()}
    counts: dict[str, int] = {}
    for s, p, o in dict.fromkeys(triples):
        if p == RDF.type and o in by_iri:
            counts[by_iri[o]] = counts.get(by_iri[o], 0) + 1
    return counts


def quad_class_counts(quads: list[ox.Quad], index: OntologyIndex) -> dict[str, int]:
    """:func:`class_counts` of distinct pyoxigraph quads."""
    by_iri = {ox.NamedNode(str(iri)): name for name, iri in index.classes.items()}
    rdf_type = ox.NamedNode(str(RDF.type))
    counts: dict[str, int] = {}
    for q in quads:
        if q.predicate == rdf_type:
            name = by_iri.get(q.object)
            if name is not None:
                counts[name] = counts.get(name, 0) + 1
    return counts
