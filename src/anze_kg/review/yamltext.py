"""Fact records as YAML text, and YAML text as records, for the review files.

Records are written the way ``anze-kg extract`` writes them (one ``key:
value`` line per field, simple words plain, any other text double-quoted
with JSON escapes), so a draft record read back and written again gives the
same bytes; nested values (``capacity: {value: 170, unit: 万吨}``, lists of
links) are written in flow style on their line.  Everything is read back by
the project's strict reader (:func:`anze_kg.inputs.strict_yaml.load_yaml`).
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from anze_kg.errors import FactError, Location
from anze_kg.extract.draft_records import scalar as _text_scalar
from anze_kg.files import write_files
from anze_kg.inputs.strict_yaml import load_yaml

_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def yaml_scalar(value: Any) -> str:
    """One YAML scalar that the strict reader reads back as ``value``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    return _text_scalar(str(value))


def _key(key: Any) -> str:
    text = str(key)
    return text if _KEY.match(text) else json.dumps(text, ensure_ascii=False)


def flow(value: Any) -> str:
    """``value`` on one line: a scalar, ``{k: v, ...}`` or ``[a, b]``."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_key(k)}: {flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(flow(v) for v in value) + "]"
    return yaml_scalar(value)


def mapping_lines(record: dict, indent: str = "", first: str | None = None) -> list[str]:
    """The lines of a block mapping, one field a line; ``first`` prefixes the first line (``- ``)."""
    lines = []
    for n, (key, value) in enumerate(record.items()):
        lead = (first if n == 0 and first is not None else indent)
        lines.append(f"{lead}{_key(key)}: {flow(value)}")
    return lines


def record_item(record: dict) -> str:
    """A record as an item of a fact file (``- id: ...`` and its fields indented by two)."""
    return "\n".join(mapping_lines(record, "  ", "- "))


def record_mapping(record: dict) -> str:
    """A record as a plain mapping (what the review page shows for editing)."""
    return "\n".join(mapping_lines(record)) + "\n"


def fact_file(header: str, records: list[dict]) -> str:
    """A fact file: the header (comments) then the records, a blank line between them."""
    body = "\n\n".join(record_item(r) for r in records)
    return header + (body + "\n" if body else "")


def plain(value: Any) -> Any:
    """A parsed value as plain dicts and lists (the strict reader's Record and Items dropped)."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def parse_text(text: str, name: str) -> Any:
    """Parse ``text`` with the strict reader; errors name ``name`` (and the line and column)."""
    scratch = Path(tempfile.mkdtemp(prefix="anze-kg-review-"))
    try:
        path = scratch / "record.yaml"
        write_files({path: text.encode("utf-8")})
        try:
            return load_yaml(path)
        except FactError as exc:
            where = exc.location
            raise FactError(Location(name, where.line if where else None, where.column if where else None),
                            exc.message, hint=exc.hint) from None
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
