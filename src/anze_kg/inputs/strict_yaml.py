"""Strict YAML reading with line numbers.

libyaml (PyYAML's C parser) builds the node tree quickly; the values are then
constructed here, by the YAML 1.2 core schema and stricter than YAML itself,
because fact files are typed by hand, often with a Chinese input method on:

* duplicate keys are errors (PyYAML's own loader would keep the last);
* ``NO``, ``on``, ``yes`` stay text (YAML 1.2; PyYAML would read booleans);
* explicit tags (``!!python/object``, ``!foo``), anchors, aliases and merge
  keys are refused: facts are plain data;
* a line indented with an ideographic space (U+3000) or a tab, and a key
  followed by a full-width colon (``id： x``), are reported with a hint
  instead of silently becoming part of a string.

Mappings and lists come back as :class:`Record` and :class:`Items`, which
remember the line of each key and item.  Every error is a :class:`FactError`
naming ``path:line:column``.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from anze_kg.errors import FactError, Location

_FULLWIDTH_KEY = re.compile(r"^\s*(?:-\s+)?[A-Za-z_][A-Za-z0-9_]*\s*：")
_BAD_INDENT = re.compile(r"^[ ]*[\u3000\t]")
_CORE = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {_CORE + t for t in ("str", "int", "float", "bool", "null", "seq", "map")}
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
# Characters no fact holds: C0 controls but tab and newline, DEL, C1 controls, and the
# bidirectional overrides and isolates that make a text display other than it reads.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
MAX_VALUE_CHARS = 20_000  # one text value of a fact file (a report text is not a fact value)
MAX_FILE_BYTES = 20 << 20
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^[-+]?[0-9]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Record(dict):
    """A mapping that remembers its line and the line of each key (1-based)."""

    line: int = 0
    lines: dict


class Items(list):
    """A list that remembers its line and the line of each item (1-based)."""

    line: int = 0
    lines: list


def read_text(path: Path, error: type[FactError] = FactError, what: str = "the file",
              hint: str = "save the file as UTF-8") -> str:
    """A UTF-8 file's text (a BOM is dropped); ``error`` names the file and the line of bad bytes."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise error(Location.of(path), f"cannot read {what}: {exc.strerror or exc}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise error(Location.of(path, line), f"{what} is not valid UTF-8", hint=hint) from None


def _prescan(path: Path, text: str) -> None:
    for number, line in enumerate(text.splitlines(), start=1):
        if _BAD_INDENT.match(line):
            what = "a tab" if "\t" in line[: len(line) - len(line.lstrip())] else "an ideographic space (U+3000)"
            raise FactError(
                Location.of(path, number, 1),
                f"line indented with {what}",
                hint="indent YAML with ASCII spaces only (switch the input method to half-width)",
            )
        if _FULLWIDTH_KEY.match(line):
            column = line.index("：") + 1
            raise FactError(
                Location.of(path, number, column),
                "full-width colon '：' after a key",
                hint="write the key separator as an ASCII ':' followed by a space",
            )


def _where(path: Path, node) -> Location:
    return Location.of(path, node.start_mark.line + 1, node.start_mark.column + 1)


class _Constructor:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.seen: set[int] = set()

    def value(self, node) -> Any:
        if id(node) in self.seen:
            raise FactError(_where(self.path, node), "anchors and aliases are not allowed in fact files",
                            hint="write the value out in full")
        self.seen.add(id(node))
        if node.tag not in _ALLOWED_TAGS:
            raise FactError(_where(self.path, node), f"YAML tag {node.tag} is not allowed",
                            hint="fact files hold plain data: remove the tag")
        if isinstance(node, ScalarNode):
            return self.scalar(node)
        if isinstance(node, SequenceNode):
            items = Items(self.value(child) for child in node.value)
            items.line, items.lines = node.start_mark.line + 1, [c.start_mark.line + 1 for c in node.value]
            return items
        return self.mapping(node)

    def mapping(self, node: MappingNode) -> Record:
        record = Record()
        record.line, record.lines = node.start_mark.line + 1, {}
        for key_node, value_node in node.value:
            key = self.value(key_node)
            if key == "<<" or key_node.tag == _CORE + "merge":
                raise FactError(_where(self.path, key_node), "merge keys (<<) are not allowed in fact files")
            if not isinstance(key, (str, int)):
                raise FactError(_where(self.path, key_node), f"a key must be text, not {type(key).__name__}")
            if key in record:
                raise FactError(_where(self.path, key_node), f"duplicate key {key!r} (first on line {record.lines[key]})",
                                hint="a record states each key once; YAML would silently keep only one")
            record.lines[key] = key_node.start_mark.line + 1
            record[key] = self.value(value_node)
        return record

    def scalar(self, node: ScalarNode) -> Any:
        text = node.value
        bad = _CONTROL.search(text)
        if bad:
            raise FactError(_where(self.path, node), f"a value holds the control character U+{ord(bad.group()):04X}",
                            hint="remove it (an escape such as \\0, \\e or \\u202e in a quoted value writes one)")
        if len(text) > MAX_VALUE_CHARS:
            raise FactError(_where(self.path, node), f"a value of {len(text):,} characters (at most {MAX_VALUE_CHARS:,})",
                            hint="a quote is one sentence or clause of the report, not a passage")
        if node.style:  # quoted or block scalars are text
            return text
        if _NULL.match(text):
            return None
        if text in _BOOL:
            return _BOOL[text]
        if _INT.match(text):
            return int(text)
        if _FLOAT.match(text):
            return Decimal(text)
        return text


def load_yaml(path: Path) -> Any:
    """Parse one YAML file strictly into plain data with line numbers."""
    try:
        size = path.stat().st_size
    except OSError:
        size = 0  # read_text names the problem
    if size > MAX_FILE_BYTES:
        raise FactError(Location.of(path), f"a YAML file of {size:,} bytes (at most {MAX_FILE_BYTES:,})",
                        hint="split the facts into several files")
    text = read_text(path)
    _prescan(path, text)
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "malformed YAML"
        if exc.context and exc.context_mark and mark and exc.context_mark.line != mark.line:
            problem += f" ({exc.context} started on line {exc.context_mark.line + 1})"
        where = Location.of(path, mark.line + 1, mark.column + 1) if mark else Location.of(path)
        raise FactError(where, f"malformed YAML: {problem}",
                        hint="check indentation, quotes and brackets on this line and the one before") from None
    except yaml.YAMLError as exc:
        raise FactError(Location.of(path), f"malformed YAML: {exc}") from None
    return None if node is None else _Constructor(path).value(node)


def line_of(container: Any, key: Any = None) -> int | None:
    """1-based line of a record or list, or of one of its keys / items, if known."""
    if key is None:
        return getattr(container, "line", None) or None
    lines = getattr(container, "lines", None)
    try:
        return lines[key]
    except (KeyError, IndexError, TypeError):
        return getattr(container, "line", None) or None
