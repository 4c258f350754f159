"""Commands ``build``, ``validate``, ``export`` and ``load``: the graph from the facts, checked, written."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from anze_kg.build.pipeline import build, load_built
from anze_kg.cli.base import (
    add_out_option,
    add_wide_option,
    command,
    err,
    fit_lines,
    out,
    out_dir_of,
    progress_bar,
    project_of,
    stdin_as_file,
    terminal_width,
    write_bytes,
)
from anze_kg.cli.render import build_summary_text, failures_text, violations_text
from anze_kg.errors import EXIT_OK, UsageError
from anze_kg.files import write_files
from anze_kg.graph.formats import FORMATS, TABLE_FORMATS, format_name
from anze_kg.graph.shacl import ENGINES, validate_files
from anze_kg.inputs.manifest import union_files


def _build_options(p: argparse.ArgumentParser) -> None:
    add_out_option(p)
    p.add_argument("--allow-drafts", action="store_true", help="build facts still marked draft: true")
    p.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1, help="worker processes (default: one per core)")
    p.add_argument("--store", metavar="SPEC", help="also fill a persistent store: oxigraph:PATH")
    files = p.add_mutually_exclusive_group()
    files.add_argument("--no-files", action="store_true", help="write no anze.ttl/.nt/.trig (with --store, for large corpora)")
    files.add_argument("--per-report-files", action="store_true",
                       help="write out/graphs/UNIT.ttl/.nt/.trig, one graph each, instead of the one-file dumps "
                            "(one changed report rewrites only its own; `export` makes the dumps on demand)")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    add_wide_option(p)
    p.add_argument("--shacl-engine", choices=ENGINES, default="fast",
                   help="SHACL engine: fast (the Rust `shacl` package, default) or pyshacl (the reference)")


@command("build", "facts -> RDF graph -> SHACL check -> out/ (anze.ttl, anze.nt, anze.trig)", _build_options)
def cmd_build(args) -> int:
    project = project_of(args)
    outcome = build(project, out_dir_of(args, project), allow_drafts=args.allow_drafts, jobs=args.jobs,
                    store=args.store, progress=progress_bar(), outputs=not args.no_files,
                    per_report=args.per_report_files,
                    shacl_engine=args.shacl_engine)
    width = terminal_width(args)
    out(json.dumps(outcome.summary(), ensure_ascii=False, indent=2) if args.json
        else fit_lines(build_summary_text(outcome), width))
    if outcome.failures:  # last, where the eye ends
        err(failures_text(outcome))  # never wrapped: file:line stays whole
    return outcome.exit_code


STDIN_SUFFIXES = {"turtle": ".ttl", "ttl": ".ttl", "nt": ".nt", "jsonld": ".jsonld", "json-ld": ".jsonld",
                  "trig": ".trig", "nquads": ".nq", "nq": ".nq", "rdfxml": ".rdf", "xml": ".rdf"}


def _validate_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("files", nargs="*", metavar="FILE",
                   help="RDF files (default: the built graph, out/anze.ttl, or out/graphs/*.ttl after "
                        "build --per-report-files); - for standard input (see --stdin-format)")
    p.add_argument("--stdin-format", default="turtle", choices=sorted(STDIN_SUFFIXES),
                   help="the RDF format of - (default: turtle)")
    add_out_option(p)
    p.add_argument("--shapes", metavar="FILE", help="SHACL shapes (default: ontology/shapes.ttl)")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--shacl-engine", choices=ENGINES, default="pyshacl",
                   help="SHACL engine: pyshacl (the reference, default) or fast (the Rust `shacl` package)")


@command("validate", "check RDF files against the SHACL shapes; exit 1 when they do not conform", _validate_options)
def cmd_validate(args) -> int:
    project = project_of(args)
    if args.files.count("-") > 1:
        raise UsageError("standard input (-) can be read once")
    shapes = Path(args.shapes) if args.shapes else None
    if "-" in args.files:
        with stdin_as_file("the RDF to validate", "stdin" + STDIN_SUFFIXES[args.stdin_format]) as piped:
            files = [piped if f == "-" else Path(f) for f in args.files]
            report = validate_files(files, project, shapes, args.shacl_engine)
    else:
        files = [Path(f) for f in args.files] or union_files(out_dir_of(args, project))
        report = validate_files(files, project, shapes, args.shacl_engine)
    out(report.to_json() if args.json else violations_text(report))
    return EXIT_OK if report.conforms else 1


def _export_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", "-f", required=True,
                   help="turtle (ttl), nt, jsonld (json-ld), trig, nquads (nq), graphml, gexf, cytoscape; "
                        "csv, xlsx (excel): every observation as one table")
    p.add_argument("-o", "--output", metavar="FILE",
                   help="write here (default, or -: standard output; xlsx goes there only when it is not a terminal)")
    add_out_option(p)


# Names of files, not folders: given as --out without -o, the user meant -o.
_FILE_SUFFIXES = (*(f.suffix for f in FORMATS.values()), ".json", ".cyjs", ".graphml", ".gexf",
                  *TABLE_FORMATS.values())


@command("export", "write the graph in a W3C format (or a network format), or its observations as a CSV or "
                   "XLSX table, to a file or stdout", _export_options)
def cmd_export(args) -> int:
    if args.out and Path(args.out).suffix.lower() in _FILE_SUFFIXES and not args.output:
        raise UsageError(f"--out is the build folder, not the file to write ({args.out})",
                         hint=f"did you mean -o {args.out}?")
    fmt = format_name(args.format)
    to_stdout = args.output in (None, "-")
    if fmt == "xlsx" and to_stdout and sys.stdout.isatty():
        raise UsageError("xlsx is a binary file: it is not written to a terminal",
                         hint="write it to a file: -o observations.xlsx (or redirect: > observations.xlsx)")
    project = project_of(args)
    if fmt in TABLE_FORMATS:
        # deferred: the query stage, for the tables only
        from anze_kg.sparql.tables import table_bytes

        data = table_bytes(project, out_dir_of(args, project), fmt)
    else:
        # deferred: the network stage (NetworkX, 55 ms to import) that `build` never needs
        from anze_kg.network.export import export_bytes

        data = export_bytes(project, out_dir_of(args, project), fmt)
    if to_stdout:
        write_bytes(data)
    else:
        write_files({Path(args.output): data})
    return EXIT_OK


def _load_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--store", metavar="SPEC", help="the store on disk to fill: oxigraph:PATH")
    add_out_option(p)


@command("load", "put the built graph into a store on disk (--store oxigraph:PATH), one named graph per report",
         _load_options)
def cmd_load(args) -> int:
    project = project_of(args)
    summary = load_built(args.store, project, out_dir_of(args, project))
    out(f"loaded {summary.quads} quads into {summary.store}")
    for graph, count in summary.graphs.items():
        out(f"  {graph}  {count}")
    return EXIT_OK
