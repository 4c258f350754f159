"""The ``anze-kg`` command line: one module per command group (the only code
of the package that prints); :mod:`anze_kg.cli.main` parses and dispatches."""

from anze_kg.cli.main import main

__all__ = ["main"]
