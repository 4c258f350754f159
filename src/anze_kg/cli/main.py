"""The ``anze-kg`` command: parse options, call one library function, render, exit.

Exit codes: 0 done; 1 the graph does not conform (or no path exists); 2 could
not run (bad arguments, unreadable or inconsistent input).  User errors are
one message, never a traceback.

Each command group is a module of this package that registers its commands
on import (:func:`anze_kg.cli.base.command`).  Only the module of the command
given is imported, so ``anze-kg query`` loads the query stage and nothing of
the build; ``--help`` and an unknown command import them all.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from anze_kg import __version__
from anze_kg.cli.base import COMMANDS, err, set_quiet
from anze_kg.cli.render import violations_text
from anze_kg.errors import EXIT_CANNOT_RUN, EXIT_OK, AnzeKGError, ValidationFailed

COMMAND_MODULES = {
    "build": "build", "validate": "build", "export": "build", "load": "build",
    "query": "query", "queries": "query", "check": "query",
    "serve": "serve", "push": "serve",
    "analyze": "graph", "path": "graph", "neighbors": "graph", "viz": "graph", "chart": "graph",
    "extract": "extract",
    "review": "review",
}
GROUPS = ("build", "query", "serve", "graph", "extract", "review")
QUIET_HELP = "print nothing but errors (the exit code says the rest)"


def _command_of(argv: list[str]) -> str | None:
    """The command word of ``argv`` (the first word that is not an option or ``--project``'s value)."""
    skip = False
    for word in argv:
        if skip:
            skip = False
        elif word == "--project":
            skip = True
        elif not word.startswith("-"):
            return word
    return None


def _load_command_modules(argv: list[str]) -> None:
    word = _command_of(argv)
    group = COMMAND_MODULES.get(word or "")
    for name in (group,) if group else GROUPS:
        importlib.import_module(f"anze_kg.cli.{name}")


def parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    _load_command_modules(sys.argv[1:] if argv is None else argv)
    top = argparse.ArgumentParser(
        prog="anze-kg",
        description="Chinese county economic reports as a traceable, bilingual RDF knowledge graph: "
                    "build, validate, query, analyse, visualise, extract.",
        epilog="Exit codes: 0 done; 1 the data does not conform (or no path); 2 could not run.")
    top.add_argument("--version", action="version", version=f"anze-kg {__version__}")
    top.add_argument("--project", metavar="DIR", help="project folder (default: found from the working directory)")
    top.add_argument("--quiet", "-q", action="store_true", help=QUIET_HELP)
    subs = top.add_subparsers(dest="command", metavar="COMMAND")
    for cmd in COMMANDS.values():
        sub = subs.add_parser(cmd.name, help=cmd.help, description=cmd.help)
        sub.add_argument("--project", metavar="DIR", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
        sub.add_argument("--quiet", "-q", action="store_true", default=argparse.SUPPRESS, help=QUIET_HELP)
        cmd.configure(sub)
        sub.set_defaults(run=cmd.run)
    return top


def main(argv: list[str] | None = None) -> int:
    try:
        args = parser(argv).parse_args(argv)
    except SystemExit as exc:  # argparse: --help (0) or a usage error (2)
        return int(exc.code or 0)
    if not getattr(args, "run", None):
        parser([]).print_help()
        return EXIT_CANNOT_RUN
    set_quiet(getattr(args, "quiet", False))
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
