"""Commands ``query`` and ``queries``: SPARQL over the built graph."""

from __future__ import annotations

import argparse
import json

from anze_kg.cli.base import (
    add_out_option,
    add_wide_option,
    command,
    fit_lines,
    out,
    out_dir_of,
    project_of,
    stdin_text,
    terminal_width,
    wrap,
    write_bytes,
)
from anze_kg.errors import EXIT_NONCONFORMANT, EXIT_OK, UsageError
from anze_kg.sparql.checks import (
    DEFAULT_PARTS_TOLERANCE,
    DEFAULT_TOLERANCE,
    CheckReport,
    run_checks,
)
from anze_kg.sparql.evaluate import answer
from anze_kg.sparql.named import list_queries, parse_assignments, short_iri


def _store_option(p: argparse.ArgumentParser, default: str | None = "memory") -> None:
    p.add_argument("--store", metavar="SPEC", default=default,
                   help="memory (the last build, default) or oxigraph:PATH (a store on disk)")


def _query_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("target", nargs="?", metavar="NAME|FILE.rq|-",
                   help="a named query (see anze-kg queries), a file, or - for the query text on standard input")
    p.add_argument("--sparql", metavar="TEXT", help="the query text itself")
    p.add_argument("--param", "-p", action="append", metavar="NAME=VALUE", help="a parameter (repeatable)")
    p.add_argument("--format", "-f", metavar="FMT",
                   help="table, csv, tsv, json, xml (SELECT/ASK); turtle, nt (CONSTRUCT/DESCRIBE)")
    p.add_argument("--timeout", type=float, default=10.0, metavar="S", help="stop the query after S seconds (10)")
    p.add_argument("--max-rows", type=int, default=100_000, metavar="N", help="refuse results over N rows (100000)")
    add_wide_option(p)
    _store_option(p)
    add_out_option(p)


@command("query", "run a named SPARQL query, a .rq file or --sparql TEXT on the graph", _query_options)
def cmd_query(args) -> int:
    project = project_of(args)
    target, sparql = args.target, args.sparql
    if target == "-":
        if sparql is not None:
            raise UsageError("give the query on standard input (-) or with --sparql, not both")
        target, sparql = None, stdin_text("the query")
    result = answer(project, out_dir_of(args, project), target, sparql=sparql,
                    given=parse_assignments(args.param), store_spec=args.store,
                    timeout_s=args.timeout, max_rows=args.max_rows)
    write_bytes(result.serialize(args.format, terminal_width(args)))
    return EXIT_OK


def _queries_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="names, titles, descriptions and parameters as JSON")
    add_wide_option(p)


@command("queries", "list the named queries with what each answers", _queries_options)
def cmd_queries(args) -> int:
    queries = list_queries(project_of(args))
    if args.json:
        rows = [{"name": q.name, "title_zh": q.title_zh, "title_en": q.title_en, "answers": q.description,
                 "params": q.params, "param_types": q.param_types} for q in queries]
        out(json.dumps(rows, ensure_ascii=False, indent=2))
        return EXIT_OK
    width = max((len(q.name) for q in queries), default=0)
    columns = terminal_width(args)
    for q in queries:
        params = " [" + ", ".join(f"{k}={short_iri(v)}" for k, v in q.params.items()) + "]" if q.params else ""
        line = f"{q.title_en or q.title_zh}: {q.description}{params}"
        if columns is None:
            out(f"{q.name:<{width}}  {line}")
            continue
        # the name, then what it answers wrapped beside it (under it when the names leave too little room)
        indent = width + 2 if columns - width - 2 >= 40 else 4
        lines = wrap(line, columns - indent) or [""]
        first = f"{q.name:<{width}}  " if indent > 4 else f"{q.name}\n{' ' * indent}"
        out(first + f"\n{' ' * indent}".join(lines))
    return EXIT_OK


def _check_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--tolerance", type=float, default=DEFAULT_TOLERANCE, metavar="POINTS",
                   help=f"growth against levels: flag gaps over this many percentage points ({DEFAULT_TOLERANCE})")
    p.add_argument("--parts-tolerance", type=float, default=DEFAULT_PARTS_TOLERANCE, metavar="PERCENT",
                   help=f"parts against their total: flag sums off by more than this percent of the total "
                        f"({DEFAULT_PARTS_TOLERANCE})")
    p.add_argument("--json", action="store_true", help="every finding with all its fields, as JSON")
    p.add_argument("--strict", action="store_true",
                   help="exit 1 on any revision, mismatch, missed target, sum that does not add up or contradicted rank")
    p.add_argument("--timeout", type=float, default=10.0, metavar="S", help="stop each check after S seconds (10)")
    add_wide_option(p)
    _store_option(p)
    add_out_option(p)


@command("check", "compare reports: revised figures, growth that does not match its levels, targets against "
                  "actuals, parts against their total, ranks against peers", _check_options)
def cmd_check(args) -> int:
    for name in ("tolerance", "parts_tolerance"):
        if getattr(args, name) < 0:
            raise UsageError(f"--{name.replace('_', '-')} must be 0 or more, not {getattr(args, name)}")
    project = project_of(args)
    report = run_checks(project, out_dir_of(args, project), store_spec=args.store, tolerance=args.tolerance,
                        parts_tolerance=args.parts_tolerance, timeout_s=args.timeout)
    if args.json:
        out(json.dumps(report.to_dict(), ensure_ascii=False, indent=2, default=str))
    else:
        out(fit_lines(check_text(report), terminal_width(args)))
    return EXIT_NONCONFORMANT if args.strict and report.problems else EXIT_OK


def _n(value) -> str:
    return "" if value is None else f"{value:g}" if isinstance(value, float) else str(value)


def _written(value, unit) -> str:
    return f"{_n(value)}{unit or ''}"


def check_text(report: CheckReport) -> str:
    """The findings, a few lines each, with the quotes behind them."""
    lines: list[str] = []
    revisions, growth, targets = report.of("revisions"), report.of("growth"), report.of("targets")
    lines.append(f"revised figures: {len(revisions)}")
    for f in revisions:
        r = f.row
        lines.append(f"  {r['indicator_zh']} | {r['area_zh']} {r['period']}: {_written(r['value_a'], r['unit_a'])} "
                     f"in {r['report_a']} -> {_written(r['value_b'], r['unit_b'])} in {r['report_b']} "
                     f"({_n(r['change_pct'])}%)")
        lines += [f"    {r['report_a']}: \u201c{r['quote_a']}\u201d", f"    {r['report_b']}: \u201c{r['quote_b']}\u201d"]
    lines.append(f"growth not matching its levels (gap over {report.tolerance:g} points): {len(growth)}")
    for f in growth:
        r = f.row
        lines.append(f"  {r['indicator_zh']} | {r['area_zh']} {r['period']}: stated {_n(r['stated_growth'])}%, but "
                     f"{_written(r['previous_value'], r['previous_unit'])} ({r['previous_period']}, {r['previous_report']})"
                     f" -> {_written(r['value'], r['unit'])} ({r['report']}) is {_n(r['implied_growth'])}%"
                     f" (gap {_n(r['gap'])})")
        lines += [f"    {r['report']}: \u201c{r['quote']}\u201d",
                  f"    {r['previous_report']}: \u201c{r['previous_quote']}\u201d"]
    missed = sum(f.problem for f in targets)
    lines.append(f"targets against actuals: {len(targets)} ({missed} missed)")
    for f in targets:
        r = f.row
        about = f" ({r['target_qualifier']})" if r.get("target_qualifier") else ""
        unit = " points" if r["measure"] != "level" else "% of the target"
        lines.append(f"  {r['indicator_zh']} | {r['area_zh']} {r['period']} {r['measure']}: target "
                     f"{_n(r['target_value'])}{about}, actual {_n(r['actual_value'])}: {r['verdict']} "
                     f"({_n(r.get('difference'))}{unit})")
        lines += [f"    target, {r['target_report']}: \u201c{r['target_quote']}\u201d",
                  f"    actual, {r['actual_report']}: \u201c{r['actual_quote']}\u201d"]
    parts = report.of("parts")
    lines.append(f"parts against their total (tolerance {report.parts_tolerance:g}%): {len(parts)} "
                 f"({sum(f.problem for f in parts)} not adding up)")
    for f in parts:
        r = f.row
        lines.append(f"  {r['indicator_zh']} | {r['area_zh']} {r['period']}: {_written(r['value'], r.get('unit'))}, "
                     f"parts {_n(r['parts_sum'])} ({_n(r['gap_pct'])}%): {r['verdict']}")
        lines += [f"    {r['report']}: \u201c{r['quote']}\u201d", f"    parts: {r['parts']}"]
    ranks = report.of("ranks")
    lines.append(f"ranks against peers in the graph: {len(ranks)} ({sum(f.problem for f in ranks)} contradicted)")
    for f in ranks:
        r = f.row
        above = f"; above: {r['peers_above']}" if r.get("peers_above") else ""
        lines.append(f"  {r['indicator_zh']} | {r['area_zh']} {r['period']}: stated {r['rank']} in {r['scope_zh']} "
                     f"({r['rank_of']}), {r['above']} of {r['peers']} peers above{above}: {r['verdict']}")
        lines.append(f"    {r['report']}: \u201c{r['quote']}\u201d")
    return "\n".join(lines)
