"""Strict YAML 1.2 reading with line numbers (ruamel.yaml round-trip mode).

Stricter than YAML itself, because fact files are typed by hand, often with a
Chinese input method switched on:

* duplicate keys are errors (ruamel raises; PyYAML would keep the last);
* explicit tags (``!!python/object``, ``!foo``), anchors and aliases are
  refused: facts are plain data;
* a line indented with an ideographic space (U+3000) or a tab, and a key
  followed by a full-width colon (``id： x``), are reported with a hint
  instead of silently becoming part of a string.

Every error is an :class:`InputError` that names ``path:line:column``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent, CollectionStartEvent, ScalarEvent

from .errors import FactError, Location

_FULLWIDTH_KEY = re.compile(r"^\s*(?:-\s+)?[A-Za-z_][A-Za-z0-9_]*\s*：")
_BAD_INDENT = re.compile(r"^[ ]*[\u3000\t]")


def read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FactError(Location.of(path), f"cannot read: {exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FactError(Location.of(path, line), "not valid UTF-8", hint="save the file as UTF-8") from None
    return text


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


def _mark(path: Path, mark) -> Location:
    return Location.of(path, mark.line + 1, mark.column + 1) if mark is not None else Location.of(path)


def _refuse_tags(path: Path, yaml: YAML, text: str) -> None:
    for event in yaml.parse(text):
        if isinstance(event, AliasEvent) or (
            isinstance(event, (ScalarEvent, CollectionStartEvent)) and getattr(event, "anchor", None)
        ):
            raise FactError(_mark(path, event.start_mark), "anchors and aliases are not allowed in fact files",
                            hint="write the value out in full")
        tag = getattr(event, "tag", None)
        if isinstance(event, (ScalarEvent, CollectionStartEvent)) and tag not in (None, "!"):
            raise FactError(_mark(path, event.start_mark), f"YAML tag {tag!s} is not allowed",
                            hint="fact files hold plain data: remove the tag")


def load_yaml(path: Path) -> Any:
    """Parse one YAML file strictly; values are ruamel's commented containers (with ``.lc``)."""
    text = read_text(path)
    _prescan(path, text)
    yaml = YAML(typ="rt")
    try:
        _refuse_tags(path, yaml, text)
        return yaml.load(text)
    except FactError:
        raise
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "malformed YAML"
        raise FactError(_mark(path, mark), f"malformed YAML: {problem}",
                        hint="check indentation, quotes and brackets on this line and the one before") from None
    except YAMLError as exc:
        raise FactError(Location.of(path), f"malformed YAML: {exc}") from None


def line_of(container: Any, key: Any = None) -> int | None:
    """1-based line of a mapping (or of one of its keys / a list item), if known."""
    lc = getattr(container, "lc", None)
    if lc is None:
        return None
    try:
        if key is None:
            return lc.line + 1
        if isinstance(key, int):
            return lc.item(key)[0] + 1
        return lc.key(key)[0] + 1
    except (KeyError, IndexError, TypeError, AttributeError):
        return lc.line + 1
