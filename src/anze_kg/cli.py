"""The ``anze-kg`` command: parse options, call one library function, render, exit.

Exit codes: 0 done; 1 the graph does not conform (or no path exists); 2 could
not run (bad arguments, unreadable or inconsistent input).  User errors are
one message, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from . import __version__
from .clibase import COMMANDS, add_out_option, command, err, out, out_dir_of, progress_bar, project_of, write_bytes
from .errors import EXIT_CANNOT_RUN, EXIT_OK, AnzeKGError, ValidationFailed
from .render import build_summary_text, failures_text, violations_text


def _build_options(p: argparse.ArgumentParser) -> None:
    add_out_option(p)
    p.add_argument("--allow-drafts", action="store_true", help="build facts still marked draft: true")
    p.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1, help="worker processes (default: one per core)")
    p.add_argument("--store", metavar="SPEC", help="also fill a persistent store: oxigraph:PATH")
    p.add_argument("--no-files", action="store_true", help="write no anze.ttl/.nt/.trig (with --store, for large corpora)")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")


@command("build", "facts -> RDF graph -> SHACL check -> out/ (anze.ttl, anze.nt, anze.trig)", _build_options)
def cmd_build(args) -> int:
    from .pipeline import build

    project = project_of(args)
    outcome = build(project, out_dir_of(args, project), allow_drafts=args.allow_drafts, jobs=args.jobs,
                    store=args.store, progress=progress_bar(), outputs=not args.no_files)
    if outcome.failures:
        err(failures_text(outcome))
    out(json.dumps(outcome.summary(), ensure_ascii=False, indent=2) if args.json else build_summary_text(outcome))
    return outcome.exit_code


def _validate_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("files", nargs="*", metavar="FILE", help="RDF files (default: the built graph, out/anze.ttl)")
    add_out_option(p)
    p.add_argument("--shapes", metavar="FILE", help="SHACL shapes (default: ontology/shapes.ttl)")
    p.add_argument("--json", action="store_true", help="print the report as JSON")


@command("validate", "check RDF files against the SHACL shapes; exit 1 when they do not conform", _validate_options)
def cmd_validate(args) -> int:
    from .validate import validate_files

    project = project_of(args)
    files = [Path(f) for f in args.files] or [out_dir_of(args, project) / "anze.ttl"]
    report = validate_files(files, project, Path(args.shapes) if args.shapes else None)
    out(report.to_json() if args.json else violations_text(report))
    return EXIT_OK if report.conforms else 1


def _export_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", "-f", required=True, help="turtle, nt, jsonld, trig, nquads, graphml, gexf, cytoscape")
    p.add_argument("-o", "--output", metavar="FILE", help="write here (default: standard output)")
    add_out_option(p)


@command("export", "write the graph in a W3C format (or a network format) to a file or stdout", _export_options)
def cmd_export(args) -> int:
    from .exporting import export_bytes

    project = project_of(args)
    data = export_bytes(project, out_dir_of(args, project), args.format)
    if args.output:
        from .export import write_files
        write_files({Path(args.output): data})
    else:
        write_bytes(data)
    return EXIT_OK


def _load_command_modules() -> None:
    """Command modules of the later stages register themselves on import."""
    import importlib

    for name in ("cli_query", "cli_serve", "cli_graph", "cli_extract"):
        try:
            importlib.import_module(f"{__package__}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__package__}.{name}":
                raise


def parser() -> argparse.ArgumentParser:
    _load_command_modules()
    top = argparse.ArgumentParser(
        prog="anze-kg",
        description="Chinese county economic reports as a traceable, bilingual RDF knowledge graph: "
                    "build, validate, query, analyse, visualise, extract.",
        epilog="Exit codes: 0 done; 1 the data does not conform (or no path); 2 could not run.")
    top.add_argument("--version", action="version", version=f"anze-kg {__version__}")
    top.add_argument("--project", metavar="DIR", help="project folder (default: found from the working directory)")
    subs = top.add_subparsers(dest="command", metavar="COMMAND")
    for cmd in COMMANDS.values():
        sub = subs.add_parser(cmd.name, help=cmd.help, description=cmd.help)
        sub.add_argument("--project", metavar="DIR", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
        cmd.configure(sub)
        sub.set_defaults(run=cmd.run)
    return top


def main(argv: list[str] | None = None) -> int:
    try:
        args = parser().parse_args(argv)
    except SystemExit as exc:  # argparse: --help (0) or a usage error (2)
        return int(exc.code or 0)
    if not getattr(args, "run", None):
        parser().print_help()
        return EXIT_CANNOT_RUN
    try:
        return args.run(args) or EXIT_OK
    except ValidationFailed as exc:
        err(violations_text(exc.report))
        err(f"anze-kg {args.command}: the graph does not conform to the shapes; nothing was written")
        return exc.exit_code
    except AnzeKGError as exc:
        err(f"anze-kg {args.command}: {exc}")
        return exc.exit_code
    except KeyboardInterrupt:
        err("anze-kg: interrupted")
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
