"""Helpers for the tests that start servers (serve, push, the query page):
free ports on 127.0.0.1, waiting for readiness, a real Oxigraph server, a
fake HTTP server with scripted answers.  Imported explicitly by those tests."""

from __future__ import annotations

import http.server
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

BIN = Path(sys.executable).parent
SERVER_START_TIMEOUT = 60.0


def anze_kg_command() -> list[str]:
    """The installed console script."""
    return [str(BIN / "anze-kg")]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_http(url: str, process: subprocess.Popen, timeout: float = SERVER_START_TIMEOUT) -> None:
    """Poll ``url`` until it answers with any HTTP status; fail if the process exits first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}: {_output(process)}")
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.1)
    stop(process)
    raise RuntimeError(f"server at {url} not ready within {timeout} s: {_output(process)}")


def _output(process: subprocess.Popen) -> str:
    try:
        out, errs = process.communicate(timeout=5)
    except (subprocess.TimeoutExpired, ValueError):
        return "(no output)"
    return (errs or b"").decode(errors="replace")[-2000:] + (out or b"").decode(errors="replace")[-500:]


def stop(process: subprocess.Popen) -> None:
    """SIGTERM (graceful), then SIGKILL after 10 s."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


def oxigraph_binary() -> str | None:
    found = BIN / "oxigraph"
    return str(found) if found.exists() else shutil.which("oxigraph")


@contextmanager
def oxigraph_server(location: Path):
    """A real Oxigraph server (PyPI ``oxigraph``) on 127.0.0.1; yields its base URL."""
    port = free_port()
    process = subprocess.Popen([oxigraph_binary(), "serve", "--location", str(location),
                                "--bind", f"127.0.0.1:{port}"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(base + "/query?query=ASK%7B%7D", process)
        yield base
    finally:
        stop(process)


@contextmanager
def anze_kg_server(*args: str, env: dict | None = None):
    """``anze-kg serve ARGS --port FREE`` as a subprocess; yields its base URL once it answers."""
    port = free_port()
    process = subprocess.Popen([*anze_kg_command(), *args, "--host", "127.0.0.1", "--port", str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, **(env or {})})
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(base + "/", process)
        yield base
    finally:
        stop(process)


@dataclass
class Seen:
    method: str
    path: str
    headers: dict
    body: bytes


@dataclass
class FakeStore:
    """A scripted HTTP server: ``answer(seen) -> (status, body, delay_seconds)``; records what it got."""

    answer: Callable[[Seen], tuple[int, bytes, float]]
    seen: list[Seen] = field(default_factory=list)
    url: str = ""

    def handler(self):
        fake = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _any(self):
                length = int(self.headers.get("Content-Length") or 0)
                seen = Seen(self.command, self.path, dict(self.headers), self.rfile.read(length))
                fake.seen.append(seen)
                status, body, delay = fake.answer(seen)
                time.sleep(delay)
                try:
                    self.send_response(status)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:
                    pass  # the client gave up (read timeout)

            do_GET = do_PUT = do_POST = _any

            def log_message(self, *args):
                pass

        return Handler


@contextmanager
def fake_store(answer: Callable[[Seen], tuple[int, bytes, float]]):
    fake = FakeStore(answer)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), fake.handler())
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
