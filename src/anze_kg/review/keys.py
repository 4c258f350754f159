"""The stable key of a draft record.

A draft's ``id`` is a placeholder that ``anze-kg extract`` numbers in text
order (``draft-obs-007``): one more figure found earlier in the text, and
every later id shifts.  A decision is therefore filed under a key made of
what the record *says*, which re-extracting the same text gives again:

* every record: its ``type``, its ``quote`` and the quote's ``occurrence``
  (1 when it is not given);
* an Observation, also: the Chinese name of its indicator (the ``zh`` of the
  draft Indicator record it points at, or of the vocab indicator), its
  ``value`` (as a normalised decimal; ``valueText`` when there is no value)
  and its ``unit``;
* any other record, also: its ``zh``.

The key is the first 16 hex digits of the SHA-256 of that list as compact
JSON.  Two drafts that say exactly the same get ``#2``, ``#3``... appended
to the material in file order, so each key names one record.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

KEY_PATTERN = re.compile(r"^[0-9a-f]{16}$")


def _number(value: Any) -> str | None:
    if value is None or isinstance(value, bool):
        return None if value is None else str(value)
    try:
        number = Decimal(str(value).replace(",", ""))
    except InvalidOperation:
        return str(value)
    if not number.is_finite():
        return str(value)
    return format(number.normalize(), "f")


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _target(value: Any) -> str | None:
    """The id a reference field names (``indicator: gdp`` or ``{id: gdp, quote: ...}``)."""
    if isinstance(value, dict):
        value = value.get("id")
    return None if value is None else str(value)


def key_material(record: Mapping, names: Mapping[str, str]) -> list:
    """What the key of ``record`` is made of; ``names`` maps indicator ids to their Chinese name."""
    kind = _text(record.get("type"))
    occurrence = record.get("occurrence")
    material: list = [kind, _text(record.get("quote")), int(occurrence) if isinstance(occurrence, int) else 1]
    if kind == "Observation":
        indicator = _target(record.get("indicator"))
        value = record.get("value")
        material += [names.get(indicator, indicator) if indicator else None,
                     _number(value) if value is not None else _text(record.get("valueText")),
                     _text(record.get("unit"))]
    else:
        material.append(_text(record.get("zh")))
    return material


def _digest(material: list) -> str:
    data = json.dumps(material, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:16]


def plain_key(record: Mapping, names: Mapping[str, str]) -> str:
    """The key of ``record`` when no other draft says the same."""
    return _digest(key_material(record, names))


def record_keys(records: list[Mapping], names: Mapping[str, str], given: list[str | None] | None = None) -> list[str]:
    """The key of each record, in order.  ``given[i]``, when not None, is the key the file
    states for record ``i`` (a ``# review key:`` comment); the others get their plain key,
    or, when an earlier record has it, the key of the ``#2``, ``#3``... repeat."""
    given = given or [None] * len(records)
    used = {k for k in given if k}
    keys = []
    for record, stated in zip(records, given):
        if stated:
            keys.append(stated)
            continue
        material, n = key_material(record, names), 1
        key = _digest(material)
        while key in used:
            n += 1
            key = _digest([*material, f"#{n}"])
        used.add(key)
        keys.append(key)
    return keys


def indicator_names(records: Iterable[Mapping]) -> dict[str, str]:
    """id -> zh of the Indicator records among ``records``."""
    return {str(r["id"]): str(r["zh"]) for r in records
            if r.get("type") == "Indicator" and r.get("id") is not None and r.get("zh") is not None}
