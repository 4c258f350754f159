"""Commands ``serve`` (the SPARQL 1.1 Protocol endpoint and query page) and
``push`` (the graph into any SPARQL 1.1 store, Graph Store HTTP Protocol)."""

from __future__ import annotations

import argparse
import json

from anze_kg.cli.base import add_out_option, command, err, out, out_dir_of, project_of
from anze_kg.errors import EXIT_OK
from anze_kg.protocol.endpoint import LOOPBACK_NAMES, Limits, is_loopback, serve_project
from anze_kg.protocol.push import push_store, target_from


def _store_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--store", metavar="SPEC", help="memory (default: the built graph) or oxigraph:PATH")
    add_out_option(p)


def _serve_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--host", default="127.0.0.1", help="interface to listen on (default: 127.0.0.1)")
    p.add_argument("--port", type=int, default=7878, help="default: 7878")
    _store_option(p)
    p.add_argument("--timeout", type=float, default=10.0, metavar="S", help="time limit per query (default: 10 s)")
    p.add_argument("--max-rows", type=int, default=10_000, metavar="N",
                   help="larger results are refused with 422 (default: 10000)")
    p.add_argument("--workers", type=int, default=2, metavar="N", help="query processes of the slow lane (default: 2)")
    p.add_argument("--fast-lane", type=float, default=0.5, metavar="S",
                   help="every query runs first for up to S seconds in a worker of its own, so short queries "
                        "never wait behind slow ones (default: 0.5; 0: no fast lane)")
    p.add_argument("--max-answer-mb", type=float, default=32, metavar="MB",
                   help="larger answers are refused with 422 (default: 32)")
    p.add_argument("--request-timeout", type=float, default=10.0, metavar="S",
                   help="close a connection whose request head does not arrive within S seconds of opening or "
                        "of the last answer; 408 for a body slower than that (default: 10)")
    p.add_argument("--allow-host", action="append", default=[], metavar="NAME",
                   help="also answer requests whose Host is NAME (any port) or NAME:PORT, e.g. the public "
                        "name behind a proxy (repeatable; default: only 127.0.0.1, localhost, [::1] and --host)")


@command("serve", "SPARQL 1.1 Protocol endpoint (read-only) with a query page at /", _serve_options)
def cmd_serve(args) -> int:
    project = project_of(args)
    limits = Limits(timeout=args.timeout, max_rows=args.max_rows, workers=args.workers, fast=args.fast_lane,
                    max_answer=int(args.max_answer_mb * 2**20), request_timeout=args.request_timeout)
    if not is_loopback(args.host):
        bound = [] if args.host.strip("[]") in ("0.0.0.0", "::") else [args.host]
        names = ", ".join([*LOOPBACK_NAMES, *bound, *args.allow_host])
        err(f"anze-kg serve: warning: listening on {args.host} makes the endpoint reachable from the network; "
            f"it answers only requests whose Host is {names} (add names with --allow-host)")
    url = f"http://{'[' + args.host + ']' if ':' in args.host else args.host}:{args.port}"
    err(f"anze-kg serve: {url}/ (query page), {url}/query (endpoint); Ctrl+C stops")
    serve_project(args.store, project, out_dir_of(args, project), limits, host=args.host, port=args.port,
                  allow_hosts=tuple(args.allow_host))
    return EXIT_OK


def _push_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--endpoint", required=True, metavar="URL",
                   help="graph store endpoint, e.g. http://localhost:7878/store (Oxigraph)")
    p.add_argument("--query-endpoint", metavar="URL",
                   help="SPARQL query URL for the check (default: derived for Oxigraph, Fuseki, GraphDB)")
    p.add_argument("--graph", action="append", default=[], metavar="IRI", help="push only this named graph (repeatable)")
    _store_option(p)
    p.add_argument("--timeout", type=float, default=60.0, metavar="S", help="read timeout (default: 60 s)")
    p.add_argument("--connect-timeout", type=float, default=10.0, metavar="S", help="default: 10 s")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")


@command("push", "put each named graph into a SPARQL 1.1 store (Graph Store Protocol PUT), then check the counts",
         _push_options)
def cmd_push(args) -> int:
    project = project_of(args)
    target = target_from(args.endpoint, args.query_endpoint, timeout=args.timeout, connect_timeout=args.connect_timeout)
    result = push_store(args.store, project, out_dir_of(args, project), target, args.graph)
    if args.json:
        out(json.dumps(result.summary(), ensure_ascii=False, indent=2))
        return EXIT_OK
    out(f"pushed {len(result.graphs)} graphs, {result.triples} triples, to {result.endpoint}; the store holds the same")
    for g in result.graphs:
        out(f"  {g.iri}  {g.sent} triples  {g.seconds:.2f} s")
    return EXIT_OK
