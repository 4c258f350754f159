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
import os
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


# Digests of files already read, by what the files' stat says (see digest_files):
# a build reads its thousands of inputs twice, once to plan and once to check that
# nothing changed while it ran (1.1 s each at 1,000 reports), and the next build
# reads the same files again.  A build keeps the memo beside its cache
# (load_memo / save_memo), as git keeps its index: the next build reads only what changed.
_KNOWN: dict[tuple, str] = {}
_USED: set[tuple] = set()  # the memo's keys asked for since it was loaded (what save_memo keeps)
SETTLED_S = 2.0  # a file changed this recently before it was read is read again next time
MEMO_VERSION = 1


def digest_files(paths: list[Path] | list[str], extra: str = "") -> str:
    """The SHA-256 of the files' names and bytes (and ``extra``).  A second call
    in the same process on files whose stat (size, inode, modification and
    change times to the nanosecond) is what it was when they were read, and
    whose change time was at least SETTLED_S before that read, reuses the
    digest: any later write changes the change time, and the margin keeps a
    coarse file-system clock from giving a write just after the read the
    time of one just before it (git's "racily clean" files)."""
    names = tuple(map(os.fspath, paths))
    return _digest(names, tuple(map(_stat, names)), extra)


def _digest(names: tuple[str, ...], stats: tuple, extra: str) -> str:
    """:func:`digest_files` of the files ``names`` whose stat is ``stats``."""
    key = (extra, names, stats)
    known = _KNOWN.get(key)
    if known is not None:
        _USED.add(key)
        return known
    read_at = time.time_ns()
    digest = hashlib.sha256(extra.encode())
    for name in names:
        digest.update(os.path.basename(name).encode() + b"\0")
        try:
            digest.update(_read(name))
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            digest.update(b"<missing>")
        digest.update(b"\0")
    result = digest.hexdigest()
    _remember(key, result, names, stats, read_at)
    return result


def _read(name: str) -> bytes:
    with open(name, "rb") as handle:
        return handle.read()


def _remember(key: tuple, digest: str, paths, stats: tuple, read_at: int) -> None:
    """Keep ``digest`` under ``key`` when every file had settled before ``read_at``
    (its change time SETTLED_S earlier) and its stat is still ``stats``: the one
    rule by which the memo trusts a file (see digest_files)."""
    if all(s is not None and s[3] < read_at - SETTLED_S * 1e9 for s in stats) and stats == tuple(map(_stat, paths)):
        _KNOWN[key] = digest
        _USED.add(key)


_FILE_SHA256 = "<sha256 of one file>"  # the memo's key space for single files' plain digests


def _known_one(space: str, path) -> tuple[str | None, tuple | None, tuple]:
    """What the memo holds in ``space`` for the file ``path`` at its stat as it is
    now (else None), that stat, and the memo key it is kept under."""
    stat = _stat(path)
    key = (space, (str(path),), (stat,))
    known = _KNOWN.get(key) if stat is not None else None
    if known is not None:
        _USED.add(key)
    return known, stat, key


def known_sha256(path: Path) -> tuple[str | None, tuple | None]:
    """The SHA-256 of the file's bytes if the memo holds it for the file's
    stat as it is now (else None), and that stat (for :func:`note_sha256`)."""
    known, stat, _ = _known_one(_FILE_SHA256, path)
    return known, stat


def note_sha256(path: Path, digest: str, stat: tuple | None, read_at: int) -> None:
    """Remember ``digest``, the SHA-256 of the bytes read from ``path`` starting
    at ``read_at`` (time.time_ns()) with ``stat`` as it was just before, under
    the rule of :func:`digest_files`: only for a file that had settled and is
    unchanged since."""
    _remember((_FILE_SHA256, (str(path),), (stat,)), digest, [path], (stat,), read_at)


_FILE_TEXT = "<text of one file>"  # the memo's key space for small files kept whole (cache entries' metadata)


def read_text_memo(path: Path) -> str:
    """The UTF-8 text of a small file that builds read again and again (a cache
    entry's metadata: 1,000 of them at 1,000 reports), from the memo when the
    file's stat is the one it had when the memo read it (the rule of
    :func:`digest_files`), else from the file."""
    known, stat, key = _known_one(_FILE_TEXT, path)
    if known is not None:
        return known
    read_at = time.time_ns()
    text = Path(path).read_text(encoding="utf-8")
    _remember(key, text, [path], (stat,), read_at)
    return text


def load_memo(path: Path) -> None:
    """Add the digests a build kept in ``path`` (written by :func:`save_memo`) to
    this process's memo.  Each is trusted only as :func:`digest_files` trusts its
    own: for files whose stat, change time to the nanosecond included, is what it
    was when they were read, which a file written since cannot keep (a memo
    copied to another machine or folder matches nothing there).  A memo that is
    missing, unreadable or of another version is ignored: every file is read."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("version") != MEMO_VERSION:
            return
        # No conversion of each field (a fifth of a build's start at 1,000 reports): a
        # field of the wrong type matches no real stat or name, so its row is never used;
        # only the shape of each row is checked.
        for extra, names, stats, digest in data["digests"]:
            if isinstance(digest, str) and len(names) == len(stats) and all(len(s) == 4 for s in stats):
                _KNOWN.setdefault((extra, tuple(names), tuple(map(tuple, stats))), digest)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return


def save_memo(path: Path) -> None:
    """Write the digests asked for since the memo was loaded to ``path`` (what
    this build's inputs are: the memo does not grow with every edit ever made)."""
    # deferred: the query path reads inputs, never writes a memo
    from anze_kg.files import write_files

    rows = sorted([extra, list(names), [list(s) for s in stats], _KNOWN[(extra, names, stats)]]
                  for extra, names, stats in _USED if (extra, names, stats) in _KNOWN)
    write_files({path: json.dumps({"version": MEMO_VERSION, "digests": rows}, ensure_ascii=False).encode()})


def _stat(path: Path | str) -> tuple | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_ino, st.st_mtime_ns, st.st_ctime_ns


def _shared_files(project: Project) -> list[Path]:
    return [*project.ontology_files(), project.shapes_file, *sorted(project.vocab_dir.glob("*.yaml"))]


def _report_files(folder: str) -> list[str]:
    """report.yaml, report.txt and facts/*.yaml by name, as strings (one directory
    read, no pathlib: Path objects and glob were most of a key's cost at 1,000 reports)."""
    facts = f"{folder}{os.sep}facts{os.sep}"
    try:
        with os.scandir(facts) as entries:
            names = sorted(entry.name for entry in entries if entry.name.endswith(".yaml"))
    except OSError:  # no facts/ folder: no fact files
        names = []
    return [f"{folder}{os.sep}report.yaml", f"{folder}{os.sep}report.txt", *(facts + name for name in names)]


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
        keys[folder.name] = digest_files(_report_files(os.fspath(folder)), shared)
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


def union_files(out_dir: Path) -> list[Path]:
    """The Turtle files whose union is the built graph: ``out/anze.ttl``, or after
    ``build --per-report-files`` each unit's ``out/graphs/UNIT.ttl`` (the
    ontology, the vocabulary, then the reports by id, as the dump orders them)."""
    manifest = read_manifest(out_dir)
    folder = manifest.get("graph_files")
    if not isinstance(folder, str) or not isinstance(manifest.get("units"), dict):
        return [out_dir / "anze.ttl"]
    return [out_dir / folder / f"{unit}.ttl" for unit in unit_order(manifest["units"])]


def unit_order(units) -> list[str]:
    """The order of the units in every output: the shared ones first, then the reports by id."""
    return [u for u in SHARED_UNITS if u in units] + sorted(u for u in units if u not in SHARED_UNITS)


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
