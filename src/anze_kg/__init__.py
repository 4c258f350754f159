"""anze-kg: Chinese county economic reports as a traceable, bilingual RDF knowledge graph.

The Python API (:mod:`anze_kg.api`)::

    import anze_kg

    anze_kg.build_graph()                             # facts -> RDF -> SHACL -> out/
    anze_kg.validate().conforms                       # the built graph against the shapes
    result = anze_kg.query("indicators-2023", {"year": "2023"})
    result.records()                                  # rows as dicts of Python values
    result.to_dataframe()                             # pandas, with the [pandas] extra
    anze_kg.observations()                            # every observation as one DataFrame (pandas)
    G = anze_kg.to_networkx()                         # NetworkX MultiDiGraph of the named things
    with anze_kg.open_store() as store:               # the graph as a pyoxigraph store
        store.ox.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")

``import anze_kg`` itself loads nothing else: each name is imported on first
use (module ``__getattr__``, PEP 562), so the command line and the stages
that need no RDF library (a query of a fresh build) never pay for rdflib,
pySHACL or NetworkX.  (The build is ``build_graph``: ``anze_kg.build`` is the
build stage's subpackage, and Python sets a package's attribute to a
subpackage as soon as it is imported.)
"""

from __future__ import annotations

import importlib

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a cold query never needs it)

__version__ = "0.1.0"

if TYPE_CHECKING:  # for type checkers and editors; at run time see __getattr__
    from anze_kg.api import (
        build_graph,
        check,
        observations,
        open_project,
        open_store,
        query,
        to_networkx,
        validate,
    )
    from anze_kg.build.pipeline import BuildOutcome
    from anze_kg.errors import AnzeKGError
    from anze_kg.graph.shacl import ValidationReport
    from anze_kg.inputs.project import Project
    from anze_kg.sparql.checks import CheckReport
    from anze_kg.sparql.results import QueryResult
    from anze_kg.sparql.stores import Store

_EXPORTS = {
    "build_graph": "anze_kg.api", "validate": "anze_kg.api", "open_project": "anze_kg.api",
    "open_store": "anze_kg.api", "query": "anze_kg.api", "to_networkx": "anze_kg.api", "check": "anze_kg.api",
    "observations": "anze_kg.api",
    "CheckReport": "anze_kg.sparql.checks",
    "Project": "anze_kg.inputs.project", "BuildOutcome": "anze_kg.build.pipeline",
    "ValidationReport": "anze_kg.graph.shacl", "QueryResult": "anze_kg.sparql.results",
    "Store": "anze_kg.sparql.stores", "AnzeKGError": "anze_kg.errors",
}

__all__ = ["AnzeKGError", "BuildOutcome", "CheckReport", "Project", "QueryResult", "Store", "ValidationReport",
           "__version__", "build_graph", "check", "observations", "open_project", "open_store", "query", "to_networkx",
           "validate"]


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'anze_kg' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # resolved once
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
