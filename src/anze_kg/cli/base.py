"""What every command module of the command line shares: the registry of
subcommands, the output helpers and the options used by several commands.
Only the ``cli*`` modules print; the library returns objects.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import unicodedata
from collections import namedtuple
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from anze_kg.errors import AnzeKGError, UsageError, display_path
from anze_kg.inputs.project import Project, find_project


class Command(namedtuple("Command", "name help configure run")):
    """``anze-kg NAME``: its help, ``configure(parser)`` adding its options, and ``run(args)``."""

    __slots__ = ()


COMMANDS: dict[str, Command] = {}


def command(name: str, help: str, configure: Callable[[argparse.ArgumentParser], None] = lambda p: None):
    """Register the decorated function as ``anze-kg NAME``; ``configure`` adds its options."""
    def register(run):
        COMMANDS[name] = Command(name, help, configure, run)
        return run
    return register


_quiet = False  # -q: print nothing but errors (the exit code says the rest)


def set_quiet(on: bool) -> None:
    global _quiet
    _quiet = on


def out(text: str = "") -> None:
    if not _quiet:
        sys.stdout.write(text + "\n")


def err(text: str) -> None:
    sys.stderr.write(text + "\n")


def terminal_width(args: argparse.Namespace | None = None) -> int | None:
    """Display columns for human-readable output: the terminal's (100 when not a
    terminal, or $COLUMNS), None with --wide (every column at full width)."""
    if args is not None and getattr(args, "wide", False):
        return None
    return max(40, shutil.get_terminal_size((100, 24)).columns)


def display_width(text: str) -> int:
    """Terminal columns of ``text``: a wide (CJK) character takes two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def wrap(text: str, width: int, first: int | None = None) -> list[str]:
    """``text`` in lines of at most ``width`` display columns (the first line
    ``first``; a Chinese character is two), broken at spaces; a run of Chinese
    longer than a line is broken where it must, a path or an IRI never (it
    overflows, whole, to stay copyable)."""
    lines: list[str] = []
    line = ""
    room = lambda: max(1, first if first is not None and not lines else width)  # noqa: E731
    for word in text.split():
        if line and display_width(line) + 1 + display_width(word) > room():
            lines.append(line)
            line = ""
        while display_width((f"{line} " if line else "") + word) > room() and display_width(word) > len(word):
            cut = len(word)
            while cut > 1 and display_width((f"{line} " if line else "") + word[:cut]) > room():
                cut -= 1
            lines.append((f"{line} " if line else "") + word[:cut])
            line, word = "", word[cut:]
        line = f"{line} {word}" if line else word
    return [*lines, line] if line else lines


def fit_lines(text: str, width: int | None) -> str:
    """Each line of ``text`` wrapped to ``width`` display columns, its continuation
    indented four more than the line (None: as it is)."""
    if width is None:
        return text
    fitted = []
    for line in text.split("\n"):
        lead = len(line) - len(line.lstrip(" "))
        if display_width(line) <= width or not line.strip():
            fitted.append(line)
            continue
        parts = wrap(line, width - lead - 4, first=width - lead)
        fitted += [" " * lead + parts[0]] + [" " * (lead + 4) + p for p in parts[1:]]
    return "\n".join(fitted)


def add_wide_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--wide", action="store_true",
                   help="print at full width (default: fit the terminal, 100 columns when not one)")


def write_bytes(data: bytes) -> None:
    if _quiet:
        return
    sys.stdout.buffer.write(data)
    sys.stdout.flush()


STDIN_LIMIT = 100_000_000  # bytes read from standard input at most


def stdin_bytes(what: str, limit: int = STDIN_LIMIT) -> bytes:
    """Standard input (``-`` for a file), at most ``limit`` bytes; refused from a terminal."""
    if sys.stdin is None or sys.stdin.isatty():
        raise UsageError(f"- reads {what} from standard input, which is a terminal",
                         hint="pipe it in, e.g. anze-kg query - < my.rq")
    data = sys.stdin.buffer.read(limit + 1)
    if len(data) > limit:
        raise UsageError(f"{what} on standard input is over {limit:,} bytes")
    return data


def stdin_text(what: str, limit: int = 10_000_000) -> str:
    """Standard input as UTF-8 text, at most ``limit`` bytes."""
    data = stdin_bytes(what, limit)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UsageError(f"<stdin>: byte {exc.start}: {what} is not UTF-8") from None


@contextmanager
def stdin_as_file(what: str, name: str):
    """Standard input in a temporary file called ``name`` (for the library, which
    reads files); an error that names the file names ``<stdin>`` instead."""
    import tempfile  # deferred: standard input only, not on every command's path

    data = stdin_bytes(what)
    with tempfile.TemporaryDirectory(prefix="anze-kg-stdin-") as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            yield path
        except AnzeKGError as exc:
            _name_stdin(exc, path)
            raise


def _name_stdin(exc: AnzeKGError, path: Path) -> None:
    spellings = sorted({str(path), str(path.resolve()), display_path(path)}, key=len, reverse=True)

    def swap(text):
        for spelling in spellings:
            text = text.replace(spelling, "<stdin>") if isinstance(text, str) else text
        return text
    exc.message, exc.hint = swap(exc.message), swap(exc.hint)
    location = getattr(exc, "location", None)
    if location is not None and getattr(location, "path", None) in spellings:
        exc.location = location._replace(path="<stdin>")


def project_of(args: argparse.Namespace) -> Project:
    return Project(Path(args.project).resolve()) if getattr(args, "project", None) else find_project()


def out_dir_of(args: argparse.Namespace, project: Project) -> Path:
    return Path(args.out) if getattr(args, "out", None) else project.root / "out"


def add_out_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", metavar="DIR", help="folder of the built graph (default: out/ in the project)")


def progress_bar():
    """A progress callback drawing a bar on a terminal's stderr; None when not on a terminal."""
    if _quiet or not sys.stderr.isatty():
        return None

    def draw(done: int, total: int, name: str, status: str) -> None:
        width = 30
        filled = width * done // max(total, 1)
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {name[:30]:<30} {status:<6}")
        if done == total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return draw
