"""The layout holds: imports run one way between the stage subpackages, no
import hides inside a function unless it defers a heavy or optional
dependency (and says so), only ``cli/`` prints, and ``anze-kg query`` loads
the query stage and nothing of the build."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import networkx as nx
from conftest import REPO

PACKAGE = REPO / "src" / "anze_kg"
# base modules (errors, namespaces, rdfterms, files, storespec) are rank 0
RANKS = {"inputs": 1, "extract": 2, "graph": 2, "build": 3, "sparql": 4, "network": 4, "protocol": 5, "review": 6,
         "cli": 7, "api": 7}  # anze_kg.api: the Python API, beside the command line


def module_name(path: Path, package: Path = PACKAGE) -> str:
    parts = path.relative_to(package.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def stage_of(module: str) -> str | None:
    """The stage subpackage of ``anze_kg.STAGE.x``, or None for a base module."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in RANKS else None


def rank(module: str) -> int:
    stage = stage_of(module)
    return RANKS[stage] if stage else 0


def imports(path: Path):
    """(line, imported module, inside a function?) for every import in ``path`` (for
    ``from anze_kg.x import y``: both ``anze_kg.x`` and ``anze_kg.x.y``, which may be a module)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    inside: set[int] = set()
    for fn in ast.walk(tree):
        if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            inside.update(id(n) for n in ast.walk(fn) if n is not fn)
    type_checking = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            type_checking.update(id(n) for n in ast.walk(node))
    for node in ast.walk(tree):
        if id(node) in type_checking:
            continue
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        for name in names if isinstance(node, ast.Import) or node.module.startswith("anze_kg") else names[:1]:
            yield node.lineno, name, id(node) in inside


def sources(package: Path = PACKAGE) -> list[Path]:
    return sorted(package.rglob("*.py"))


def rel(path: Path) -> str:
    return str(path.relative_to(REPO)) if path.is_relative_to(REPO) else path.name


def wrong_way(package: Path = PACKAGE) -> list[str]:
    """Every import of a later stage, or of a sibling stage of the same rank."""
    known = {module_name(p, package) for p in sources(package)}
    wrong = []
    for path in sources(package):
        me = module_name(path, package)
        if me in ("anze_kg", "anze_kg.__main__"):
            continue
        targets: dict[int, str] = {}  # per import statement, the most specific module it names
        for line, name, _ in imports(path):
            if name in known and name != "anze_kg" and len(name) > len(targets.get(line, "")):
                targets[line] = name
        for line, name in sorted(targets.items()):
            upward = rank(name) > rank(me)
            sideways = rank(name) == rank(me) and stage_of(name) != stage_of(me) and rank(me) > 0
            if upward or sideways:
                wrong.append(f"{rel(path)}:{line}: {me} imports {name}")
    return wrong


def test_the_stages_are_subpackages():
    assert {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").is_file()} == set(RANKS) - {"api"}
    flat = sorted(p.stem for p in PACKAGE.glob("*.py"))
    assert flat == ["__init__", "__main__", "api", "errors", "files", "namespaces", "rdfterms", "storespec"]


def test_imports_run_one_way_between_the_stages():
    wrong = wrong_way()
    assert not wrong, "\n".join(wrong)


def test_the_direction_check_sees_an_upward_and_a_sideways_import(tmp_path):
    """The check can fail: an inputs module importing the build, and graph importing extract, are reported."""
    package = tmp_path / "anze_kg"
    for folder in ("inputs", "build", "graph", "extract"):
        (package / folder).mkdir(parents=True)
        (package / folder / "__init__.py").write_text("")
    (package / "__init__.py").write_text("")
    (package / "build" / "pipeline.py").write_text("from anze_kg.inputs.x import y\n")
    (package / "extract" / "rules.py").write_text("")
    (package / "inputs" / "x.py").write_text("y = 1\n\ndef f():\n    from anze_kg.build.pipeline import build\n")
    (package / "graph" / "triples.py").write_text("from anze_kg.extract import rules\n")
    assert wrong_way(package) == ["triples.py:1: anze_kg.graph.triples imports anze_kg.extract.rules",
                                  "x.py:4: anze_kg.inputs.x imports anze_kg.build.pipeline"]


def test_no_import_cycle():
    known, graph = {module_name(p) for p in sources()}, nx.DiGraph()
    for path in sources():
        for _, name, in_function in imports(path):
            if name in known and name != "anze_kg" and not in_function:
                graph.add_edge(module_name(path), name)
    cycles = list(nx.simple_cycles(graph))
    assert not cycles, cycles


def test_an_import_inside_a_function_says_what_it_defers():
    undeclared = []
    for path in sources():
        lines = path.read_text(encoding="utf-8").splitlines()
        for line, name, in_function in imports(path):
            if not in_function:
                continue
            # the import's own line, or the lines just above it (comments, try:, other imports)
            k, context = line - 1, [lines[line - 1]]
            while k > 0 and lines[k - 1].strip().startswith(("#", "try:", "from ", "import ")):
                k -= 1
                context.append(lines[k])
            if not any("deferred" in text.lower() for text in context):
                undeclared.append(f"{rel(path)}:{line}: {lines[line - 1].strip()}")
    assert not undeclared, "\n".join(undeclared)


def test_the_package_itself_imports_its_stages_lazily():
    """``import anze_kg`` loads nothing: its API is resolved on first use (``__getattr__``)."""
    done = subprocess.run([sys.executable, "-c", "import sys, anze_kg; print(sorted(m for m in sys.modules if m.startswith(('anze_kg', 'rdflib', 'pyshacl', 'pyoxigraph'))))"],
                          capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.strip() == "['anze_kg']"


def _prints(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "print":
            found.append(f"{rel(path)}:{node.lineno}: print()")
        if (isinstance(node, ast.Attribute) and node.attr in ("stdout", "stderr")
                and isinstance(node.value, ast.Name) and node.value.id == "sys"):
            found.append(f"{rel(path)}:{node.lineno}: sys.{node.attr}")
    return found


def test_nothing_outside_cli_prints():
    found = [hit for path in sources() if "cli" not in path.relative_to(PACKAGE).parts for hit in _prints(path)]
    assert not found, "\n".join(found)


def test_the_print_check_sees_a_print(tmp_path):
    """The check above can fail: it finds print() and sys.stderr in a module."""
    sample = tmp_path / "sample.py"
    sample.write_text("import sys\n\ndef f():\n    print('x')\n    sys.stderr.write('y')\n", encoding="utf-8")
    assert _prints(sample) == ["sample.py:4: print()", "sample.py:5: sys.stderr"]


def test_a_query_loads_no_build_and_no_rdflib(built):
    """``anze-kg query`` on a fresh build reads out/ with pyoxigraph alone."""
    code = f"""
import sys
from anze_kg.cli import main
code = main(["--project", {str(REPO)!r}, "query", "--out", {str(built[1])!r}, "--sparql", "ASK {{ ?s ?p ?o }}"])
print("exit", code)
print(" ".join(sorted(sys.modules)))
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    lines = done.stdout.splitlines()
    assert lines[:2] == ["true", "exit 0"], done.stdout + done.stderr
    loaded = set(lines[2].split())
    assert "anze_kg.sparql.evaluate" in loaded
    heavy = sorted(m for m in loaded if m.split(".")[0] in ("rdflib", "pyshacl", "networkx", "starlette")
                   or m.startswith(("anze_kg.build.pipeline", "anze_kg.build.units", "anze_kg.graph.triples",
                                    "anze_kg.graph.shacl", "anze_kg.extract", "anze_kg.network", "anze_kg.protocol")))
    assert not heavy, heavy
