"""Every `$ anze-kg …` line of the README runs as written, in a fresh copy of
the project, and succeeds.  The few that need something outside the project
(a server to push to, a text at ../next-year.txt, a folder under /data) or
run until stopped (serve) are given what they need or started and stopped,
never skipped silently: the list below names each and why."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO, copy_project

README = (REPO / "README.md").read_text(encoding="utf-8")
LINES = [line for line in README.splitlines() if line.startswith("$ anze-kg ")]


def commands() -> list[str]:
    """The README's command lines, continuation lines joined and comments dropped."""
    text = README.replace("\\\n", " ")
    found = []
    for line in text.splitlines():
        if line.startswith("$ anze-kg "):
            words = shlex.split(line[2:], comments=True)
            found.append(shlex.join(words))
    return found


# Lines that need what no fresh clone has: each is run in a form that supplies it.
ADAPTED = {
    "push": "needs a SPARQL store to push to: tests/test_push.py pushes to Oxigraph, Fuseki and the endpoint itself",
    "serve": "runs until stopped: started here, asked one query, then stopped",
}


def test_the_readme_has_the_commands_a_user_types():
    names = {shlex.split(c)[1] for c in commands()}
    assert {"build", "query", "queries", "check", "serve", "analyze", "path", "viz", "export", "extract"} <= names


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    root = tmp_path_factory.mktemp("readme")
    project = copy_project(root / "project", reports=("anze-2023", "zizhou-2023"))
    shutil.copy(REPO / "pyproject.toml", project.root / "pyproject.toml")
    (root / "next-year.txt").write_text((REPO / "data" / "reports" / "anze-2023" / "report.txt").read_text(
        encoding="utf-8"), encoding="utf-8")
    return project


def _run(project, command: str, timeout: float = 300) -> subprocess.CompletedProcess:
    words = shlex.split(command)
    words = [f"oxigraph:{project.root.parent / 'store'}" if w.startswith("oxigraph:/data/") else w for w in words]
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    return subprocess.run([sys.executable, "-m", "anze_kg", *words[1:]], cwd=project.root, env=env,
                          capture_output=True, text=True, timeout=timeout)


@pytest.mark.parametrize("command", [c for c in commands() if shlex.split(c)[1] not in ADAPTED])
def test_each_readme_command_runs_as_written(fresh, command):
    # extract writes drafts into data/reports/anze-2024, which the README then has a person review
    # ($EDITOR): no test can, so the other lines run on the project without them
    shutil.rmtree(fresh.reports_dir / "anze-2024", ignore_errors=True)
    done = _run(fresh, command)
    assert done.returncode == 0, f"$ {command}\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
    assert "Traceback" not in done.stderr


def test_the_readme_serve_line_serves(fresh):
    [line] = [c for c in commands() if shlex.split(c)[1] == "serve"]
    shutil.rmtree(fresh.reports_dir / "anze-2024", ignore_errors=True)
    assert _run(fresh, "anze-kg build").returncode == 0
    port = 20000 + os.getpid() % 20000
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    proc = subprocess.Popen([sys.executable, "-m", "anze_kg", *shlex.split(line)[1:], "--port", str(port)],
                            cwd=fresh.root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        import urllib.request

        deadline, body = time.monotonic() + 60, None
        while time.monotonic() < deadline and body is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/query?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D",
                                            timeout=5) as answer:
                    body = answer.read()
            except OSError:
                time.sleep(0.3)
        assert body is not None and b"true" in body
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_what_the_readme_shows_of_build_is_what_build_prints(fresh):
    shutil.rmtree(fresh.reports_dir / "anze-2024", ignore_errors=True)
    done = _run(fresh, "anze-kg build")
    shown = README[README.index("$ anze-kg build\n"):].split("```", 1)[0]
    for line in shown.splitlines()[1:]:
        if line.strip() and line.strip() != "...":
            key = re.sub(r"\s+", " ", line.strip()).split(" ")[0]
            assert key in done.stdout, (line, done.stdout)


def test_every_readme_line_was_considered():
    """A new `$ anze-kg` line is run by the tests above unless its command is in ADAPTED."""
    assert len(commands()) == len(LINES) >= 20
    assert Path(__file__).read_text(encoding="utf-8").count("ADAPTED") >= 2
