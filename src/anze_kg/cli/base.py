"""What every command module of the command line shares: the registry of
subcommands, the output helpers and the options used by several commands.
Only the ``cli*`` modules print; the library returns objects.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from anze_kg.inputs.project import Project, find_project


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    configure: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int | None]


COMMANDS: dict[str, Command] = {}


def command(name: str, help: str, configure: Callable[[argparse.ArgumentParser], None] = lambda p: None):
    """Register the decorated function as ``anze-kg NAME``; ``configure`` adds its options."""
    def register(run):
        COMMANDS[name] = Command(name, help, configure, run)
        return run
    return register


def out(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def err(text: str) -> None:
    sys.stderr.write(text + "\n")


def write_bytes(data: bytes) -> None:
    sys.stdout.buffer.write(data)
    sys.stdout.flush()


def project_of(args: argparse.Namespace) -> Project:
    return Project(Path(args.project).resolve()) if getattr(args, "project", None) else find_project()


def out_dir_of(args: argparse.Namespace, project: Project) -> Path:
    return Path(args.out) if getattr(args, "out", None) else project.root / "out"


def add_out_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", metavar="DIR", help="folder of the built graph (default: out/ in the project)")


def progress_bar():
    """A progress callback drawing a bar on a terminal's stderr; None when not on a terminal."""
    if not sys.stderr.isatty():
        return None

    def draw(done: int, total: int, name: str, status: str) -> None:
        width = 30
        filled = width * done // max(total, 1)
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {name[:30]:<30} {status:<6}")
        if done == total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return draw
