"""Commands ``query`` and ``queries``: SPARQL over the built graph."""

from __future__ import annotations

import argparse
import json

from anze_kg.cli.base import (
    add_out_option,
    command,
    out,
    out_dir_of,
    project_of,
    write_bytes,
)
from anze_kg.errors import EXIT_OK
from anze_kg.sparql.evaluate import answer
from anze_kg.sparql.named import list_queries, parse_assignments


def _store_option(p: argparse.ArgumentParser, default: str | None = "memory") -> None:
    p.add_argument("--store", metavar="SPEC", default=default,
                   help="memory (the last build, default) or oxigraph:PATH (a store on disk)")


def _query_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("target", nargs="?", metavar="NAME|FILE.rq", help="a named query (see anze-kg queries) or a file")
    p.add_argument("--sparql", metavar="TEXT", help="the query text itself")
    p.add_argument("--param", "-p", action="append", metavar="NAME=VALUE", help="a parameter (repeatable)")
    p.add_argument("--format", "-f", metavar="FMT",
                   help="table, csv, tsv, json, xml (SELECT/ASK); turtle, nt (CONSTRUCT/DESCRIBE)")
    p.add_argument("--timeout", type=float, default=10.0, metavar="S", help="stop the query after S seconds (10)")
    p.add_argument("--max-rows", type=int, default=100_000, metavar="N", help="refuse results over N rows (100000)")
    _store_option(p)
    add_out_option(p)


@command("query", "run a named SPARQL query, a .rq file or --sparql TEXT on the graph", _query_options)
def cmd_query(args) -> int:
    project = project_of(args)
    result = answer(project, out_dir_of(args, project), args.target, sparql=args.sparql,
                    given=parse_assignments(args.param), store_spec=args.store,
                    timeout_s=args.timeout, max_rows=args.max_rows)
    write_bytes(result.serialize(args.format))
    return EXIT_OK


def _queries_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="names, titles, descriptions and parameters as JSON")


@command("queries", "list the named queries with what each answers", _queries_options)
def cmd_queries(args) -> int:
    queries = list_queries(project_of(args))
    if args.json:
        rows = [{"name": q.name, "title_zh": q.title_zh, "title_en": q.title_en, "answers": q.description,
                 "params": q.params, "param_types": q.param_types} for q in queries]
        out(json.dumps(rows, ensure_ascii=False, indent=2))
        return EXIT_OK
    width = max((len(q.name) for q in queries), default=0)
    for q in queries:
        params = " [" + ", ".join(f"{k}={v}" for k, v in q.params.items()) + "]" if q.params else ""
        out(f"{q.name:<{width}}  {q.title_en or q.title_zh}: {q.description}{params}")
    return EXIT_OK
