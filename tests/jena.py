"""Apache Jena's command-line classes (riot, shacl, arq) for the tests: an
independent engine to cross-check our Turtle, SHACL and SPARQL results.

It uses Debian's packages ``libapache-jena-java`` and ``default-jre-headless``
and installs nothing (``.ci/run`` does that)::

    import jena
    if (why := jena.available()) is None:
        done = jena.run("riotcmd.riot", "--validate", "out/anze.ttl")
        done = jena.run("shacl.shacl", "validate", "--shapes", "ontology/shapes.ttl", "--data", "out/anze.ttl")
        done = jena.run("arq.sparql", "--data", "out/anze.ttl", "--query", "queries/x.rq", "--results=JSON")

Debian's 4.5.0 ``jena-core.jar`` relocates the bundled xerces from
``org.apache.jena.ext.xerces`` to package ``xerces`` but leaves its message
bundles (``*.properties``) at the old path, so whatever xerces wants to say
(an invalid regex in a shape, a bad datatype lexical form) ends as
"internal error". The bundles are copied to the relocated path in a folder
that goes first on the class path, once per user and per jar.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

JAVA_DIR = Path("/usr/share/java")
JAVA_PACKAGE = "default-jre-headless"
JENA_PACKAGE = "libapache-jena-java"
OLD_XERCES, NEW_XERCES = "org/apache/jena/ext/xerces/", "xerces/"

# Jena's jars (every unversioned jena-*.jar) and what they need at run time,
# as Debian names them in /usr/share/java. slf4j-simple (libslf4j-java, which
# libapache-jena-java depends on) gives Jena's log a binding: without one SLF4J
# drops every message, and riot's warnings (a bad lexical form, a bad IRI)
# would never reach stderr.
LIBRARIES = ("commons-cli", "commons-codec", "commons-compress", "commons-csv", "commons-io", "commons-lang3",
             "dexx.collection", "gson", "guava", "jsonld-java", "jackson-core", "jackson-databind",
             "jackson-annotations", "thrift", "protobuf", "slf4j-api", "httpclient", "httpcore",
             "titanium-json-ld", "jakarta.json-api", "slf4j-simple")
NEEDED = ("jena-core.jar", "jena-arq.jar", "jena-cmds.jar", "jena-shacl.jar")
VERSIONED = re.compile(r"-\d[^/]*\.jar$")


@functools.cache
def available() -> str | None:
    """None when Jena can be run; else why not, with what to install."""
    missing = []
    if shutil.which("java") is None:
        missing.append(("Java", JAVA_PACKAGE))
    if not all((JAVA_DIR / jar).is_file() for jar in NEEDED):
        missing.append(("Apache Jena", JENA_PACKAGE))
    if missing:
        return (f"{' and '.join(what for what, _ in missing)} not installed: "
                f"apt-get install {' '.join(package for _, package in missing)}")
    try:
        _fix_folder()
    except (OSError, zipfile.BadZipFile) as exc:
        return f"cannot prepare the work-around for Debian's jena-core.jar: {exc}"
    return None


def run(cls: str, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    """Run Jena's command-line class ``cls`` (e.g. ``arq.sparql``) with ``args``;
    stdout and stderr as text. Jena logs warnings and errors to stderr as
    ``[main] WARN …`` / ``[main] ERROR …``; SLF4J's own lines ("SLF4J: …")
    are removed."""
    why = available()
    if why is not None:
        raise RuntimeError(why)
    done = subprocess.run(["java", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                           "-cp", os.pathsep.join(map(str, class_path())), cls, *args],
                          capture_output=True, text=True, encoding="utf-8", timeout=timeout)
    done.stderr = "".join(line for line in done.stderr.splitlines(keepends=True) if not line.startswith("SLF4J"))
    return done


def class_path() -> list[Path]:
    jars = [p for p in sorted(JAVA_DIR.glob("jena-*.jar")) if not VERSIONED.search(p.name)]
    jars += [JAVA_DIR / f"{name}.jar" for name in LIBRARIES if (JAVA_DIR / f"{name}.jar").is_file()]
    return [_fix_folder(), *jars]


@functools.cache
def _fix_folder() -> Path:
    """A folder with xerces' message bundles where the relocated classes look
    for them. Made in a temporary folder beside it and renamed into place, so
    that pytest processes running at once never see it half written."""
    jar = (JAVA_DIR / "jena-core.jar").resolve()
    stat = jar.stat()
    key = hashlib.sha256(f"{jar}\0{stat.st_size}\0{stat.st_mtime_ns}".encode()).hexdigest()[:16]
    errors = []
    for base in _cache_dirs():
        final = base / f"jena-fix-{key}"
        if final.is_dir():
            return final
        try:
            base.mkdir(parents=True, exist_ok=True)
            work = Path(tempfile.mkdtemp(prefix=".jena-fix-", dir=base))
        except OSError as exc:
            errors.append(f"{base}: {exc}")
            continue
        try:
            _copy_bundles(jar, work)
            try:
                work.rename(final)
            except OSError:
                if not final.is_dir():  # not another process that got there first
                    raise
        finally:
            shutil.rmtree(work, ignore_errors=True)
        return final
    raise OSError("; ".join(errors))


def _cache_dirs() -> list[Path]:
    """The per-user cache (~/.cache/anze-kg), else a per-user temporary folder."""
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return [cache / "anze-kg", Path(tempfile.gettempdir()) / f"anze-kg-{os.getuid()}"]


def _copy_bundles(jar: Path, dest: Path) -> None:
    """Every ``.properties`` bundle left under org/apache/jena/ext/xerces/,
    copied to the same place under xerces/ (unless the jar has it there)."""
    with zipfile.ZipFile(jar) as z:
        names = set(z.namelist())
        for name in sorted(names):
            if not (name.startswith(OLD_XERCES) and name.endswith(".properties")):
                continue
            target = NEW_XERCES + name[len(OLD_XERCES):]
            if target in names:
                continue
            path = dest / target
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(z.read(name))
