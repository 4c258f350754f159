"""``anze-kg push`` into a real OpenLink Virtuoso 7 (Debian's virtuoso-opensource-7-bin), with the
command line the README gives for Virtuoso: the Graph Store Protocol endpoint /sparql-graph-crud-auth
(HTTP digest auth only) and /sparql-auth for the count.  The server runs on 127.0.0.1 on free ports,
from a database folder and a virtuoso.ini of its own under tmp_path."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import REPO
from conftest_servers import anze_kg_command, free_port, wait_for_http

PACKAGE = "virtuoso-opensource-7-bin"
GRAPH = "https://w3id.org/anze-kg/graph/"
REPORT_GRAPH = GRAPH + "anze-2023"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
README_HOST = "http://localhost:8890"


def binary(name: str) -> str | None:
    found = shutil.which(name)
    return found or (f"/usr/bin/{name}" if Path(f"/usr/bin/{name}").exists() else None)


VIRTUOSO, ISQL = binary("virtuoso-t"), binary("isql-vt")
pytestmark = pytest.mark.skipif(VIRTUOSO is None or ISQL is None,
                                reason=f"Virtuoso not installed: apt-get install {PACKAGE}")

INI = """\
[Database]
DatabaseFile       = {db}/virtuoso.db
ErrorLogFile       = {db}/virtuoso.log
LockFile           = {db}/virtuoso.lck
TransactionFile    = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile    = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx
Striping        = 0

[Parameters]
ServerPort         = 127.0.0.1:{sql_port}
ServerThreads      = 10
CheckpointInterval = 0
NumberOfBuffers    = 10000
MaxDirtyBuffers    = 6000
DirsAllowed        = {db}
VADInstallDir      = {db}/vad

[HTTPServer]
ServerPort    = 127.0.0.1:{http_port}
ServerRoot    = {db}/www
ServerThreads = 10
"""


class Virtuoso:
    def __init__(self, base: str, sql_port: int, log: Path) -> None:
        self.base, self.sql_port, self.log = base, sql_port, log

    def isql(self, sql: str) -> str:
        """Run SQL as dba through isql-vt on the server's SQL port; fail on any SQL error."""
        done = subprocess.run([ISQL, f"127.0.0.1:{self.sql_port}", "dba", "dba", f"exec={sql}"],
                              check=False, capture_output=True, text=True, timeout=60)
        output = done.stdout + done.stderr
        assert done.returncode == 0 and "*** Error" not in output, f"isql-vt {sql!r}:\n{output}"
        return output

    def select(self, query: str) -> list[dict]:
        """A SELECT at the anonymous /sparql endpoint, asked with urllib."""
        data = urllib.parse.urlencode({"query": query}).encode()
        request = urllib.request.Request(self.base + "/sparql", data=data,
                                         headers={"Accept": "application/sparql-results+json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.load(response)["results"]["bindings"]

    def count(self, graph: str) -> int:
        rows = self.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
        return int(rows[0]["n"]["value"])

    def our_graphs(self) -> set[str]:
        rows = self.select(f'SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), "{GRAPH}")) }}')
        return {row["g"]["value"] for row in rows}


def log_tail(log: Path) -> str:
    return log.read_text(encoding="utf-8", errors="replace")[-3000:] if log.exists() else "(no log)"


def stop_group(process: subprocess.Popen) -> None:
    """SIGTERM to Virtuoso's process group (it checkpoints and exits), SIGKILL after 20 s."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)


@contextmanager
def virtuoso_server(folder: Path):
    db = folder / "db"
    for sub in (db, db / "www", db / "vad"):
        sub.mkdir(parents=True, exist_ok=True)
    http_port = free_port()
    sql_port = free_port()
    while sql_port == http_port:
        sql_port = free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(INI.format(db=db, sql_port=sql_port, http_port=http_port), encoding="utf-8")
    log = db / "virtuoso.log"
    with open(folder / "stdout.log", "wb") as console:
        process = subprocess.Popen([VIRTUOSO, "+foreground", "+configfile", str(ini)], cwd=db,
                                   stdout=console, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{http_port}"
    try:
        try:
            wait_for_http(base + "/sparql?query=ASK%7B%7D", process, timeout=60)
        except RuntimeError as exc:
            pytest.fail(f"Virtuoso did not come up: {exc}\n--- {log}:\n{log_tail(log)}"
                        f"\n--- its console:\n{log_tail(folder / 'stdout.log')}")
        yield Virtuoso(base, sql_port, log)
    finally:
        stop_group(process)


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory):
    with virtuoso_server(tmp_path_factory.mktemp("virtuoso")) as server:
        yield server


def readme_virtuoso_block() -> tuple[list[str], str]:
    """The README's push command for Virtuoso (continuation lines joined) and its grant comment."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    lines = readme.replace("\\\n", " ").splitlines()
    commands = [line for line in lines if line.startswith("$ anze-kg push ") and "# Virtuoso" in line]
    assert len(commands) == 1, "README.md must have one `$ anze-kg push ... # Virtuoso` line"
    grants = [m.group(1) for line in lines if line.startswith("#") and "Virtuoso" in line
              for m in [re.search(r"(GRANT SPARQL_UPDATE TO \"\w+\";)", line)] if m]
    assert len(grants) == 1, "README.md must name the one grant a Virtuoso user other than dba needs"
    return shlex.split(commands[0][2:], comments=True), grants[0]


def run_readme_push(virtuoso: Virtuoso, out: Path, user: str, password: str) -> subprocess.CompletedProcess:
    """The README's line as a user types it, with the test server's port and the test build's out/."""
    words, _ = readme_virtuoso_block()
    assert words[:2] == ["anze-kg", "push"]
    args = [w.replace(README_HOST, virtuoso.base) for w in words[2:]]
    assert any(virtuoso.base in a for a in args), f"the README's Virtuoso line does not use {README_HOST}"
    env = {**os.environ, "ANZE_KG_PUSH_USER": user, "ANZE_KG_PUSH_PASSWORD": password}
    return subprocess.run([*anze_kg_command(), "--project", str(REPO), "push", "--out", str(out), *args],
                          check=False, capture_output=True, text=True, timeout=300, env=env)


def file_triples(out: Path) -> dict[str, set]:
    """The triples of every named graph of out/anze.trig, read independently with pyoxigraph."""
    graphs: dict[str, set] = {}
    for q in ox.parse(path=str(out / "anze.trig")):
        graphs.setdefault(q.graph_name.value, set()).add(q.triple)
    return graphs


def zh_label_subjects(triples: set, label: str) -> set[str]:
    wanted = ox.Literal(label, language="zh")
    return {t.subject.value for t in triples if t.predicate.value == RDFS_LABEL and t.object == wanted}


def test_push_twice_into_virtuoso_with_the_readme_command(virtuoso, built):
    out = built[1]
    in_file = file_triples(out)
    assert {REPORT_GRAPH, GRAPH + "vocab", GRAPH + "ontology"} <= set(in_file)
    # a triple left over from an earlier load: the push must replace the graph, not add to it
    virtuoso.isql(f'SPARQL INSERT DATA {{ GRAPH <{REPORT_GRAPH}> {{ <urn:x:stale> <urn:x:p> "left over" }} }};')
    assert virtuoso.count(REPORT_GRAPH) == 1

    for attempt in (1, 2):
        done = run_readme_push(virtuoso, out, "dba", "dba")
        assert done.returncode == 0, f"push {attempt}:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
        assert "Traceback" not in done.stderr
        total = sum(len(t) for t in in_file.values())
        assert f"pushed {len(in_file)} graphs, {total} triples" in done.stdout
        assert "the store holds the same" in done.stdout
        assert virtuoso.our_graphs() == set(in_file)
        counts = {graph: virtuoso.count(graph) for graph in in_file}
        assert counts == {graph: len(triples) for graph, triples in in_file.items()}, f"after push {attempt}"

    assert not virtuoso.select("SELECT * WHERE { GRAPH ?g { <urn:x:stale> ?p ?o } }")


@pytest.mark.parametrize("graph, label", [
    ("vocab", "安泽县"), ("anze-2023", "安泽县委"), ("anze-2023", "健康安泽建设"),
    ("zizhou-2023", "子洲县二〇二三年国民经济和社会发展统计公报 指标数据"),
])
def test_chinese_labels_come_back_intact(virtuoso, built, graph, label):
    graph = GRAPH + graph
    triples = file_triples(built[1])[graph]
    if virtuoso.count(graph) != len(triples):
        assert run_readme_push(virtuoso, built[1], "dba", "dba").returncode == 0
    subjects = zh_label_subjects(triples, label)
    assert subjects, f"{graph} has no rdfs:label {label!r}@zh"
    # the literal as a query constant finds the same subjects ...
    rows = virtuoso.select(f'SELECT ?s WHERE {{ GRAPH <{graph}> {{ ?s <{RDFS_LABEL}> "{label}"@zh }} }}')
    assert {row["s"]["value"] for row in rows} == subjects
    # ... and each subject's Chinese labels come back as the same strings
    for subject in subjects:
        rows = virtuoso.select(f"SELECT ?l WHERE {{ GRAPH <{graph}> {{ <{subject}> <{RDFS_LABEL}> ?l }} "
                               f'FILTER(LANG(?l) = "zh") }}')
        expected = {t.object.value for t in triples if t.subject.value == subject and t.predicate.value == RDFS_LABEL
                    and t.object.language == "zh"}
        assert label in expected
        assert {(row["l"]["value"], row["l"].get("xml:lang")) for row in rows} == {(v, "zh") for v in expected}


def test_a_user_other_than_dba_needs_the_readme_grant(virtuoso, built):
    _, grant = readme_virtuoso_block()
    virtuoso.isql("DB.DBA.USER_CREATE('anze_push', 'anze-pw');")
    refused = run_readme_push(virtuoso, built[1], "anze_push", "anze-pw")
    assert refused.returncode == 2 and "answered 403 Forbidden" in refused.stderr, refused.stderr[-2000:]
    virtuoso.isql(grant.replace('"user"', '"anze_push"'))
    done = run_readme_push(virtuoso, built[1], "anze_push", "anze-pw")
    assert done.returncode == 0, done.stderr[-2000:]
    assert "the store holds the same" in done.stdout


def test_wrong_password_is_refused(virtuoso, built):
    done = run_readme_push(virtuoso, built[1], "dba", "not-the-password")
    assert done.returncode == 2
    assert "answered 401 Unauthorized" in done.stderr and "ANZE_KG_PUSH_USER" in done.stderr
    assert "not-the-password" not in done.stderr + done.stdout
