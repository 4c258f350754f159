"""One exception hierarchy for the whole package.

Every error a user can cause derives from :class:`AnzeKGError` and carries the
exit code the command line returns for it (2: could not run, 1: the data does
not conform).  Input errors carry a location so the message reads
``path:line: what is wrong`` followed by a hint.
"""

from __future__ import annotations

from collections import namedtuple
from functools import lru_cache
from pathlib import Path

EXIT_OK = 0
EXIT_NONCONFORMANT = 1
EXIT_CANNOT_RUN = 2


class AnzeKGError(Exception):
    """Base of every error the package raises on purpose."""

    exit_code = EXIT_CANNOT_RUN

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        text = self.message
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


class Location(namedtuple("Location", "path line column", defaults=(None, None))):
    """Where in an input file something is: ``path`` (str), 1-based ``line`` and
    ``column`` (int or None).  A named tuple, not a dataclass: this module is on
    every command's path, and ``dataclasses`` costs a cold query about 10 ms."""

    __slots__ = ()

    def __str__(self) -> str:
        out = self.path
        if self.line is not None:
            out += f":{self.line}"
            if self.column is not None:
                out += f":{self.column}"
        return out

    @classmethod
    def of(cls, path: str | Path, line: int | None = None, column: int | None = None) -> "Location":
        return cls(display_path(path), line, column)


@lru_cache(maxsize=4096)
def display_path(path: str | Path) -> str:
    """A path as the user would type it: relative to the working directory when inside it."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(p)


class InputError(AnzeKGError):
    """Unreadable, malformed or inconsistent input, pointing at where it is."""

    def __init__(self, location: Location | str | None, message: str, *, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        if isinstance(location, str):
            location = Location(location)
        self.location = location

    def __str__(self) -> str:
        head = f"{self.location}: {self.message}" if self.location else self.message
        if self.hint:
            head += f"\n  hint: {self.hint}"
        return head


class FactError(InputError):
    """A fact file is malformed or a fact is inconsistent (bad key, bad reference...)."""


class QuoteError(FactError):
    """A fact's quote is not in the report text, or is ambiguous."""


class SourceError(InputError):
    """A report text or its metadata cannot be read."""


class SourceUnavailable(SourceError):
    """A report's text is kept outside the project and is not present: the report is skipped."""

    exit_code = 0


class UsageError(AnzeKGError):
    """Bad command-line arguments or options."""


class OutputError(AnzeKGError):
    """An output cannot be written (nothing was changed)."""


class QueryError(AnzeKGError):
    """A SPARQL query cannot be run: syntax, refused feature, timeout, parameters."""


class StoreError(AnzeKGError):
    """A graph store cannot be opened, read, or written (local or remote)."""


class NotFoundError(AnzeKGError):
    """A named entity, query or report does not exist."""


class NoPathError(AnzeKGError):
    """There is no relationship path between two entities."""

    exit_code = EXIT_NONCONFORMANT


class ValidationFailed(AnzeKGError):
    """The graph does not conform to the SHACL shapes; carries the report."""

    exit_code = EXIT_NONCONFORMANT

    def __init__(self, report: object, message: str = "the graph does not conform to the shapes") -> None:
        super().__init__(message)
        self.report = report
