"""Peak memory of `anze-kg serve` while clients ask for large answers and never read them.

    .venv/bin/python benchmarks/bench_serve_memory.py [--clients 8] [--seconds 20]

Starts the endpoint on the project's build (run `anze-kg build` first); each
client sends a CONSTRUCT of the whole graph (about 2 MB of Turtle), then
leaves the socket unread; the resident memory of the server and its workers
(the whole process tree) is sampled every 0.2 s.  Prints the memory before,
the peak, and how a fast ASK fares meanwhile.
"""

from __future__ import annotations

import argparse
import socket
import sys
import time
import urllib.parse
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
from conftest_servers import anze_kg_server  # noqa: E402

BIG = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
ASK = "ASK { ?s ?p ?o }"


def tree_rss_mb(root: int) -> float:
    """Resident memory of ``root`` and its descendants (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def server_pid(port: int) -> int:
    """The pid of the process listening on ``port`` (via /proc/net/tcp and the fds)."""
    inode = None
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if fields[1].endswith(f":{port:04X}") and fields[3] == "0A":
            inode = fields[9]
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                for fd in (entry / "fd").iterdir():
                    if f"socket:[{inode}]" == str(fd.readlink()):
                        return int(entry.name)
            except OSError:
                continue
    raise RuntimeError("no server process found")


def unread_request(port: int, query: str, accept: str = "text/turtle") -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port))
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    body = urllib.parse.urlencode({"query": query})
    sock.sendall((f"POST /query HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: {accept}\r\n"
                  f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n\r\n{body}")
                 .encode())
    return sock


def ask_ms(port: int) -> float:
    started = time.monotonic()
    sock = unread_request(port, ASK, "application/sparql-results+json")
    sock.settimeout(30)
    data = b""
    while b"true" not in data and b"false" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    sock.close()
    return (time.monotonic() - started) * 1000


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--clients", type=int, default=8)
    p.add_argument("--seconds", type=float, default=20)
    args = p.parse_args()
    with anze_kg_server("--project", str(REPO), "serve", "--out", str(REPO / "out"), "--workers", "2",
                        "--max-rows", "100000") as base:
        port = int(base.rsplit(":", 1)[1])
        pid = server_pid(port)
        before = tree_rss_mb(pid)
        held = [unread_request(port, BIG) for _ in range(args.clients)]
        peak, asks, end = before, [], time.monotonic() + args.seconds
        while time.monotonic() < end:
            peak = max(peak, tree_rss_mb(pid))
            if len(asks) < 10:
                asks.append(ask_ms(port))
            time.sleep(0.2)
        for sock in held:
            sock.close()
        print(f"{args.clients} clients not reading a {BIG!r} answer for {args.seconds:g} s")
        print(f"serve (process tree) resident memory: before {before:.0f} MB, peak {peak:.0f} MB")
        print(f"a fast ASK meanwhile: median {sorted(asks)[len(asks) // 2]:.0f} ms, max {max(asks):.0f} ms")


if __name__ == "__main__":
    main()
