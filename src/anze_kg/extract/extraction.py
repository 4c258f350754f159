"""Draft facts from a report's text: figures and named entities, by rules.

Deterministic and offline: regular expressions and small dictionaries of the
genre (Chinese county bulletins, work reports, news), no model, no network.
The result is a draft for a person to check, never a curated fact file
(:mod:`anze_kg.extract.drafts` writes it in the facts format, marked ``draft: true``).

Reports in traditional characters are read too: the rules match a folded copy
in which the characters they look for are simplified (億元, 增長, 較上年, 個百分點;
the table is in :mod:`anze_kg.extract.rules`).

Offsets are character offsets into the text given to :func:`extract_text`
(``text[start:end] == quote``).  Read files with :func:`read_report_text`,
which decodes, strips a BOM, turns CRLF into LF and NFC-normalises; the
extractor itself never changes the text it is given.

The rules live in :mod:`anze_kg.extract.rules` (the vocabulary of figures),
:mod:`anze_kg.extract.figures` (prose), :mod:`anze_kg.extract.tables`
(flattened tables), :mod:`anze_kg.extract.entities` and
:mod:`anze_kg.extract.lists` (names), with the word lists in
:mod:`anze_kg.extract.words`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from anze_kg.extract.entities import find_entities
from anze_kg.extract.figures import find_observations
from anze_kg.extract.rules import fold
from anze_kg.inputs.texts import DEFAULT_MAX_BYTES, read_report_text

__all__ = ["ExtractedObservation", "ExtractedEntity", "Extraction", "extract_text", "read_report_text",
           "DEFAULT_MAX_BYTES", "ENTITY_KINDS"]

ENTITY_KINDS = ("enterprise", "place", "project", "program")
OBSERVATION_KEYS = ("indicator", "value", "unit", "growth_pct", "year", "quote", "start", "end", "target")


@dataclass(frozen=True)
class ExtractedObservation:
    """One figure as written: value and unit, growth on the previous year, rank, and its quote.

    ``value`` is the number as written (a ratio such as "21.9∶38.7∶39.4" stays a
    string; a growth-only figure has None; a Chinese numeral 两 is 2 and 全部为
    is 100 with unit %), ``value_text`` the value exactly as the text writes it
    ("3,215", "两", "全部").  ``unit`` is as written but with ％ and full-width
    brackets folded to ASCII and traditional characters to simplified (億元 is
    亿元).  ``growth_pct`` is negative for 下降/减少/回落 …  A change in 个百分点
    is its own record: ``value`` as written, ``change_points`` signed.  Rates
    listed after one verb ("A、B分别下降13.5%、8.6%") are a record each, with
    the verb's sign, named after the members of the list when they agree in
    number.  ``qualifier`` keeps 约/余/超过/以上/近/全部 …; ``rank`` and
    ``rank_scope`` a 全省第2 either of this figure or, with value = rank and no
    unit, of a ranking named by ``indicator``.  ``year`` is the year the figure is for, or a
    five-year period as "2011-2015"; ``target`` says it is an aim, not an actual (read from the
    report's structure and words: :mod:`anze_kg.extract.structure`).
    """

    indicator: str
    value: float | int | str | None
    unit: str | None
    growth_pct: float | None
    year: int | str | None
    quote: str
    start: int
    end: int
    qualifier: str | None = None
    rank: int | None = None
    rank_scope: str | None = None
    change_points: float | None = None
    value_text: str | None = None
    target: bool = False


@dataclass(frozen=True)
class ExtractedEntity:
    """A named enterprise, place (parks and zones too), project or program, at its first mention.

    ``label`` is the name as written, with its quote marks and the head noun
    written right after them (“双减”政策); a few names are composed from a list
    that writes their shared part once (玉华煤业智能化矿井建设 from
    "玉华煤业、安鑫煤业智能化矿井建设").  ``quote`` (= text[start:end]) is the
    clause the name stands in.
    """

    kind: str
    label: str
    quote: str
    start: int
    end: int


@dataclass(frozen=True)
class Extraction:
    """What :func:`extract_text` drafts: observations and entities, each in text order."""

    observations: tuple[ExtractedObservation, ...]
    entities: tuple[ExtractedEntity, ...]

    def to_json_dict(self, extras: bool = False) -> dict:
        """The JSON object of ``anze-kg extract --format json``: for each observation indicator,
        value, unit, growth_pct, year, quote, start, end, target (with ``extras``, then qualifier, rank,
        rank_scope, change_points, value_text), for each entity kind, label, quote, start, end."""
        def observation(o: ExtractedObservation) -> dict:
            d = asdict(o)
            return d if extras else {k: d[k] for k in OBSERVATION_KEYS}

        return {"observations": [observation(o) for o in self.observations],
                "entities": [asdict(e) for e in self.entities]}


def extract_text(text: str, *, year: int | None = None, area: str | None = None) -> Extraction:
    """Draft observations and entities from a report's text.

    ``year`` is the year given to figures before any year is stated (and after a
    numbered heading); ``area`` is the report's own area (e.g. "安泽县"), which
    is not listed as a place entity.
    """
    if not isinstance(text, str):
        raise TypeError(f"extract_text needs str, got {type(text).__name__}")
    norm = fold(text)
    observations = tuple(ExtractedObservation(**o) for o in find_observations(text, norm, year))
    entities = tuple(ExtractedEntity(**e) for e in find_entities(text, norm, area))
    return Extraction(observations, entities)
