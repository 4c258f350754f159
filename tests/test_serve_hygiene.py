"""``anze-kg serve`` request checks and response headers, tested with real HTTP
requests to the installed command on a free port: a Host allow-list (DNS
rebinding), an Origin check (cross-site requests), nosniff and
frame-ancestors on every response, and a warning when listening beyond
loopback."""

from __future__ import annotations

import http.client
import socket
import time
import urllib.parse

import pytest
from conftest import REPO
from conftest_servers import anze_kg_server

from anze_kg.cli import main
from anze_kg.protocol.endpoint import allowed_hosts, host_problem, origin_problem

ASK = "/query?" + urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"})


@pytest.fixture(scope="module")
def served(built):
    _, out = built
    with anze_kg_server("--project", str(REPO), "serve", "--out", str(out), "--workers", "1",
                        "--allow-host", "kg.example.org", "--allow-host", "proxy.example:8443") as base:
        yield int(base.rsplit(":", 1)[1])


def request(port: int, path: str = "/", method: str = "GET", host: str | None = "default",
            headers: tuple = (), body: bytes | None = None) -> tuple[int, list, bytes]:
    """One request with exactly the Host (None: no Host header) and headers given."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        if host is not None:
            conn.putheader("Host", f"127.0.0.1:{port}" if host == "default" else host.format(port=port))
        for key, value in headers:
            conn.putheader(key, value.format(port=port))
        if body is not None:
            conn.putheader("Content-Length", str(len(body)))
        conn.endheaders(body)
        response = conn.getresponse()
        return response.status, [(k.lower(), v) for k, v in response.getheaders()], response.read()
    finally:
        conn.close()


def header(headers: list, name: str) -> list[str]:
    return [v for k, v in headers if k == name]


# -- Host ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("host, status", [
    ("127.0.0.1:{port}", 200),
    ("localhost:{port}", 200),
    ("LocalHost:{port}", 200),
    ("[::1]:{port}", 200),
    ("127.0.0.1", 200),                       # no port: the server's own
    ("kg.example.org", 200),                  # --allow-host NAME: any port
    ("kg.example.org:443", 200),
    ("proxy.example:8443", 200),              # --allow-host NAME:PORT: that port only
    ("proxy.example:8444", 400),
    ("evil.example:{port}", 400),             # DNS rebinding: another name for 127.0.0.1
    ("evil.example", 400),
    ("localhost.evil.example:{port}", 400),
    ("127.0.0.1.nip.io:{port}", 400),
    ("127.0.0.1:1", 400),                     # a loopback name with another port
    ("[::1]", 200),
    ("[::2]:{port}", 400),
    ("::1", 400),                             # malformed
    ("127.0.0.1:{port}@evil.example", 400),
    ("", 400),
])
def test_only_allowed_host_names_are_answered(served, host, status):
    for path in ("/", ASK, "/nowhere"):
        got, headers, body = request(served, path, host=host)
        assert (got == status) if status == 400 else (got in (200, 404)), (path, got, body)
        if status == 400:
            assert b"Host" in body or b"host" in body
    if status == 400 and host.startswith("evil"):
        assert b"restart it with --allow-host NAME" in request(served, "/", host=host)[2]


def test_a_request_without_a_host_or_with_two_is_refused(served):
    assert request(served, ASK, host=None)[0] == 400
    assert request(served, ASK, headers=(("Host", "127.0.0.1:{port}"),))[0] == 400  # a second Host


# -- Origin -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("origin, host, status", [
    (None, "127.0.0.1:{port}", 200),                        # curl, SPARQL clients: no Origin
    ("http://127.0.0.1:{port}", "127.0.0.1:{port}", 200),   # the query page itself
    ("http://localhost:{port}", "localhost:{port}", 200),
    ("http://[::1]:{port}", "[::1]:{port}", 200),
    ("https://kg.example.org", "kg.example.org", 200),     # behind a TLS proxy
    ("http://evil.example", "127.0.0.1:{port}", 403),
    ("http://evil.example:{port}", "127.0.0.1:{port}", 403),
    ("null", "127.0.0.1:{port}", 403),                      # sandboxed frames, file: pages
    ("http://localhost:{port}", "127.0.0.1:{port}", 403),   # another origin, same machine
    ("http://127.0.0.1:1", "127.0.0.1:{port}", 403),
    ("ftp://127.0.0.1:{port}", "127.0.0.1:{port}", 403),
    ("http://127.0.0.1:{port}/path", "127.0.0.1:{port}", 403),
])
def test_a_cross_origin_request_gets_403(served, origin, host, status):
    extra = (("Origin", origin),) if origin else ()
    assert request(served, ASK, host=host, headers=extra)[0] == status
    form = urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"}).encode()
    got, _, body = request(served, "/query", "POST", host=host, body=form,
                           headers=(*extra, ("Content-Type", "application/x-www-form-urlencoded")))
    assert got == status, body
    if status == 403:
        assert b"cross-origin requests are refused" in body


def test_two_origins_are_refused(served):
    origin = ("Origin", "http://127.0.0.1:{port}")
    assert request(served, ASK, headers=(origin, origin))[0] == 403


# -- response headers ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("method, path, host, headers, status", [
    ("GET", "/", "default", (), 200),
    ("GET", "/static/query.js", "default", (), 200),
    ("GET", "/queries", "default", (), 200),
    ("GET", ASK, "default", (), 200),
    ("GET", "/query", "default", (), 400),
    ("PUT", "/query", "default", (), 405),
    ("GET", "/nowhere", "default", (), 404),
    ("GET", ASK, "evil.example", (), 400),
    ("GET", ASK, "default", (("Origin", "http://evil.example"),), 403),
])
def test_every_response_has_nosniff_and_frame_ancestors(served, method, path, host, headers, status):
    got, response, _ = request(served, path, method, host=host, headers=headers)
    assert got == status
    assert header(response, "x-content-type-options") == ["nosniff"]
    policies = header(response, "content-security-policy")
    assert len(policies) == 1 and policies[0].count("frame-ancestors") == 1
    assert "frame-ancestors 'none'" in policies[0]


def test_the_query_page_keeps_its_policy_with_frame_ancestors_merged_in(served):
    _, response, _ = request(served, "/")
    (policy,) = header(response, "content-security-policy")
    assert policy.startswith("default-src 'self'") and "script-src 'self'" in policy
    assert policy.endswith("; frame-ancestors 'none'")


# -- the command -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("host, warned", [
    ("0.0.0.0", True), ("::", True), ("192.0.2.7", True), ("example.org", True),
    ("127.0.0.1", False), ("127.0.0.2", False), ("localhost", False), ("::1", False),
])
def test_listening_beyond_loopback_warns(built, capsys, monkeypatch, host, warned):
    served_with = {}
    monkeypatch.setattr("anze_kg.cli.serve.serve_project", lambda *a, **k: served_with.update(k))
    code = main(["--project", str(REPO), "serve", "--out", str(built[1]), "--host", host,
                 "--allow-host", "kg.example.org"])
    err = capsys.readouterr().err
    assert code == 0 and served_with["allow_hosts"] == ("kg.example.org",)
    assert ("warning: listening on" in err) is warned
    if warned:
        assert "reachable from the network" in err and "--allow-host" in err and "kg.example.org" in err


def test_a_malformed_allow_host_is_refused_before_listening(built, capsys):
    code = main(["--project", str(REPO), "serve", "--out", str(built[1]), "--allow-host", "evil.example/x"])
    assert code == 2
    assert "--allow-host 'evil.example/x' is not a host name" in capsys.readouterr().err


# -- unit ---------------------------------------------------------------------------------------------------------

def test_the_checks_without_a_server():
    allowed = allowed_hosts(7878, ("kg.example.org",), bound="192.0.2.7")
    assert host_problem("192.0.2.7:7878", allowed) is None           # the address listened on
    assert host_problem("192.0.2.7:7879", allowed) is not None
    assert host_problem("0.0.0.0:7878", allowed_hosts(7878, (), bound="0.0.0.0")) is not None  # a wildcard is no name
    assert host_problem("[2001:db8::1]:7878", allowed_hosts(7878, (), bound="2001:db8::1")) is None
    assert origin_problem("http://127.0.0.1:7878", "127.0.0.1:7878") is None
    assert origin_problem("http://127.0.0.1", "127.0.0.1") is None
    assert origin_problem("https://127.0.0.1", "127.0.0.1:7878") is not None
    assert origin_problem("http://127.0.0.1:notaport", "127.0.0.1:7878") is not None


@pytest.mark.parametrize("port", ["99999", "-1"])
def test_a_port_that_is_not_one_is_a_usage_error(built, capsys, port):
    from anze_kg.cli import main

    assert main(["--project", str(REPO), "serve", "--out", str(built[1]), "--port", port]) == 2
    err = capsys.readouterr().err
    assert f"--port {port} is not a TCP port" in err and "Traceback" not in err


# ----------------------------------------------------------------------------- connections that hold the server

@pytest.fixture(scope="module")
def impatient(built):
    _, out = built
    with anze_kg_server("--project", str(REPO), "serve", "--out", str(out), "--workers", "1",
                        "--request-timeout", "1") as base:
        yield int(base.rsplit(":", 1)[1])


def _closed_within(sock: socket.socket, seconds: float) -> float | None:
    """Seconds until the server closed ``sock`` (None: still open after ``seconds``)."""
    started = time.monotonic()
    sock.settimeout(seconds)
    try:
        while sock.recv(4096):
            pass
    except TimeoutError:
        return None
    return time.monotonic() - started


def test_a_connection_that_never_sends_a_request_is_closed(impatient):
    with socket.create_connection(("127.0.0.1", impatient)) as sock:
        assert (_closed_within(sock, 5) or 99) < 3


def test_a_request_head_sent_a_byte_at_a_time_is_cut_off(impatient):
    head = f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{impatient}\r\nX-Slow: ".encode()
    with socket.create_connection(("127.0.0.1", impatient)) as sock:
        started = time.monotonic()
        sock.sendall(head)
        try:
            for _ in range(40):  # a byte every 0.1 s: data keeps coming, the head never ends
                sock.sendall(b"a")
                time.sleep(0.1)
        except OSError:
            pass  # closed by the server while we were still sending: that is the point
        assert time.monotonic() - started < 3.5
        assert (_closed_within(sock, 2) or 0) < 2  # closed (or closing) without an answer


def test_a_body_slower_than_the_deadline_gets_408(impatient):
    body = urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"}).encode()
    with socket.create_connection(("127.0.0.1", impatient)) as sock:
        sock.sendall(f"POST /query HTTP/1.1\r\nHost: 127.0.0.1:{impatient}\r\nContent-Type: "
                     f"application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body[:5])
        sock.settimeout(5)
        answer = sock.recv(4096)
    assert answer.startswith(b"HTTP/1.1 408")


def test_a_kept_alive_connection_answers_then_must_ask_again_in_time(impatient):
    conn = http.client.HTTPConnection("127.0.0.1", impatient, timeout=10)
    for _ in range(2):  # two requests on one connection, quicker than the deadline: both answered
        conn.request("GET", ASK)
        response = conn.getresponse()
        assert response.status == 200 and b"true" in response.read()
    assert (_closed_within(conn.sock, 5) or 99) < 3  # then idle: closed
    conn.close()
