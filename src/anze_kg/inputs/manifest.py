"""What a build recorded, as every later stage reads it: the digests of the
inputs (the key of each unit and the fingerprint of the whole project) and
``out/build.json``, which says what the last build landed from which inputs.

Each named graph is a *unit*: the ontology, the shared vocabulary, and one
per report.  A unit's key is the digest of every input it depends on (for a
report: its text, metadata and fact files, plus the ontology, the shapes, the
vocabulary, the builder's version and the digest of the code that turns facts
into triples, so a changed builder never reuses a graph its old code made).  Reading these needs no RDF library:
a query checks that ``out/`` is fresh without loading the build.
"""

from __future__ import annotations

import hashlib
import json
import time
from functools import cache
from pathlib import Path

from anze_kg import __version__
from anze_kg import namespaces as ns
from anze_kg.inputs.project import Project

DATASET_TRIG = "anze.trig"
MANIFEST = "build.json"
OUTPUTS = {"anze.ttl": "ttl", "anze.nt": "nt", DATASET_TRIG: "trig"}
ONTOLOGY, VOCAB = "ontology", "vocab"
SHARED_UNITS = (ONTOLOGY, VOCAB)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# Digests of files already read in this process, by what the files' stat says
# (see digest_files): a build reads its thousands of inputs twice, once to plan
# and once to check that nothing changed while it ran (1.1 s each at 1,000 reports).
_KNOWN: dict[tuple, str] = {}
SETTLED_S = 2.0  # a file changed this recently before it was read is read again next time


def digest_files(paths: list[Path], extra: str = "") -> str:
    """The SHA-256 of the files' names and bytes (and ``extra``).  A second call
    in the same process on files whose stat (size, inode, modification and
    change times to the nanosecond) is what it was when they were read, and
    whose change time was at least SETTLED_S before that read, reuses the
    digest: any later write changes the change time, and the margin keeps a
    coarse file-system clock from giving a write just after the read the
    time of one just before it (git's "racily clean" files)."""
    stats = tuple(_stat(path) for path in paths)
    key = (extra, tuple(str(p) for p in paths), stats)
    if key in _KNOWN:
        return _KNOWN[key]
    read_at = time.time_ns()
    digest = hashlib.sha256(extra.encode())
    for path in paths:
        digest.update(path.name.encode() + b"\0")
        digest.update(path.read_bytes() if path.is_file() else b"<missing>")
        digest.update(b"\0")
    result = digest.hexdigest()
    if all(s is not None and s[3] < read_at - SETTLED_S * 1e9 for s in stats) and stats == tuple(map(_stat, paths)):
        _KNOWN[key] = result
    return result


def _stat(path: Path) -> tuple | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_size, st.st_ino, st.st_mtime_ns, st.st_ctime_ns


def _shared_files(project: Project) -> list[Path]:
    return [*project.ontology_files(), project.shapes_file, *sorted(project.vocab_dir.glob("*.yaml"))]


def _report_files(folder: Path) -> list[Path]:
    return [folder / "report.yaml", folder / "report.txt", *sorted((folder / "facts").glob("*.yaml"))]


@cache
def builder_digest() -> str:
    """The digest of the modules whose code decides a unit's triples (reading facts, making triples)."""
    package = Path(__file__).resolve().parent.parent
    modules = [package / "namespaces.py", package / "rdfterms.py",
               *sorted((package / "inputs").glob("*.py")), *sorted((package / "graph").glob("*.py"))]
    return digest_files(modules)[:16]


def unit_keys(project: Project, allow_drafts: bool = False) -> dict[str, str]:
    """The key of every unit: the digest of exactly the inputs it depends on."""
    version = f"anze-kg {__version__} code={builder_digest()} drafts={allow_drafts}"
    shared = digest_files(_shared_files(project), version)
    keys = {ONTOLOGY: digest_files(project.ontology_files(), version), VOCAB: shared}
    for folder in project.report_dirs():
        keys[folder.name] = digest_files(_report_files(folder), shared)
    return keys


def fingerprint(project: Project, allow_drafts: bool = False) -> str:
    return sha256(json.dumps(unit_keys(project, allow_drafts), sort_keys=True).encode())


def built_with_drafts(out_dir: Path) -> bool:
    """Whether the last build in ``out_dir`` let unreviewed drafts in (``build
    --allow-drafts``): the commands that read it then read it as it was built."""
    return bool(read_manifest(out_dir).get("allow_drafts", False))


def graph_of(unit: str) -> str:
    return str({ONTOLOGY: ns.ONTOLOGY_GRAPH, VOCAB: ns.VOCAB_GRAPH}.get(unit) or ns.report_graph(unit))


def read_manifest(out_dir: Path) -> dict:
    try:
        return json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def is_fresh(project: Project, out_dir: Path) -> bool:
    """Whether ``out_dir`` holds what the last build of exactly the current inputs landed."""
    manifest = read_manifest(out_dir)
    return (bool(manifest) and manifest.get("fingerprint") == fingerprint(project, bool(manifest.get("allow_drafts")))
            and DATASET_TRIG in manifest.get("outputs", OUTPUTS) and outputs_whole(out_dir, [DATASET_TRIG], manifest))


def outputs_whole(out_dir: Path, names, manifest: dict) -> bool:
    """Whether each of the files ``names`` in ``out_dir`` is there with the size the
    build recorded (a file cut short by a full disk or a bad copy is not)."""
    sizes = manifest.get("sizes", {})
    for name in names:
        try:
            size = (out_dir / name).stat().st_size
        except OSError:
            return False
        if name in sizes and sizes[name] != size:
            return False
    return True
