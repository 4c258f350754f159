"""What :mod:`anze_kg.extract.drafts` needs to know besides the extraction: the shared
vocabulary (areas and indicators of ``data/vocab``, units of the ontology),
the report's area and year, and the metadata that can be read off the text
(source URL, title, publisher, date).

Nothing here guesses beyond the text: what cannot be read is a placeholder
that ``report.yaml`` marks with a ``TODO`` comment.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from anze_kg.errors import UsageError
from anze_kg.extract.rules import fold
from anze_kg.extract.structure import read_frame
from anze_kg.inputs.facts import load_vocab as load_facts_vocab
from anze_kg.inputs.ontology import load_ontology
from anze_kg.inputs.project import Project
from anze_kg.inputs.reports import SLUG

PLACEHOLDER_DATE = "0001-01-01"
PLACEHOLDER_PUBLISHER = "draft-publisher-unknown"  # becomes part of an IRI: no spaces or brackets


@dataclass(frozen=True)
class Area:
    """An administrative area: a vocab id (or None for one the vocab lacks), its name, its type."""

    id: str | None
    zh: str
    type: str
    ancestors: tuple[tuple[str, str], ...] = ()  # (type, id) of the areas it lies in, nearest first


@dataclass
class Vocab:
    """Areas and indicators of ``data/vocab`` and the units of ``ontology/concepts.ttl``."""

    areas: dict[str, Area] = field(default_factory=dict)  # id -> area
    area_names: dict[str, str] = field(default_factory=dict)  # zh or altZh -> id (generic names left out)
    indicator_names: dict[str, str] = field(default_factory=dict)  # zh or altZh -> indicator id
    units: frozenset[str] = frozenset()

    def area(self, name_or_id: str) -> Area | None:
        key = self.area_names.get(name_or_id, name_or_id)
        return self.areas.get(key)

    def indicator(self, name: str) -> str | None:
        """The vocab indicator named exactly ``name``, or ``name`` without a bracketed part (地区生产总值(GDP))."""
        for candidate in (name, re.sub(r"[((][^()()]*[))]", "", name)):
            if candidate in self.indicator_names:
                return self.indicator_names[candidate]
        return None


_GENERIC_AREA_NAMES = re.compile(r"^(?:全[国省市县区]|[国省市县区])$")


def load_vocab(project: Project) -> Vocab:
    """The shared vocabulary as the fact loader reads it (checked against the ontology)."""
    index = load_ontology(project.ontology_files())
    facts = load_facts_vocab(project, index)
    vocab = Vocab(units=frozenset(index.units))
    for fact in facts.values():
        names = [n for n in (fact.zh, *fact.alt_zh) if n]
        if fact.type == "Indicator":
            vocab.indicator_names.update({n: fact.id for n in names})
        elif index.is_a(fact.type, "AdministrativeArea"):
            vocab.area_names.update({n: fact.id for n in names if not _GENERIC_AREA_NAMES.match(n)})
    for fact in facts.values():
        if index.is_a(fact.type, "AdministrativeArea"):
            vocab.areas[fact.id] = Area(fact.id, fact.zh or fact.id, fact.type, _ancestors(facts, fact))
    return vocab


def _ancestors(facts: dict, fact) -> tuple[tuple[str, str], ...]:
    out, seen = [], {fact.id}
    while True:
        parent = next((link.target for link in fact.links if link.prop == "locatedIn"), None)
        if parent is None or parent in seen or parent not in facts:
            return tuple(out)
        seen.add(parent)
        fact = facts[parent]
        out.append((fact.type, fact.id))


_AREA_TYPES = (("省", "Province"), ("市", "City"), ("县", "County"), ("区", "County"), ("旗", "County"),
               ("镇", "Town"), ("乡", "Town"), ("村", "Village"))
_TITLE_AREA = re.compile(r"([\u4e00-\u9fff]{2,6}?(?:省|市|县|区|旗))")


def resolve_area(vocab: Vocab, given: str | None, title: str) -> Area:
    """The report's area: ``--area`` (a vocab id or name, or a new name), else the first
    county, city or province named in the title."""
    name = given
    if name is None:
        found = _TITLE_AREA.search(title)
        if found is None:
            raise UsageError("cannot tell the report's area from its title",
                             hint="give it: --area NAME (e.g. zizhou or 子洲县)")
        name = found.group(1)
    known = vocab.area(name)
    if known is not None:
        return known
    if SLUG.match(name):
        raise UsageError(f"--area {name!r} is not an area of data/vocab",
                         hint="give a vocab id (see data/vocab/places*.yaml) or the area's Chinese name")
    kind = next((t for suffix, t in _AREA_TYPES if name.endswith(suffix)), "County")
    return Area(None, name, kind)


_CN_YEAR_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")
_YEAR = re.compile(r"((?:19|20)\d\d|[〇零一二][〇零一二三四五六七八九]{3})年")


def resolve_year(given: int | None, title: str, text: str) -> int:
    """``--year``, else for a government work report the year it reviews (delivered in 2016: 2015),
    else the year written in the title (二〇二三年 too), else the year the text names most."""
    if given is not None:
        if not 1900 <= given <= 2100:
            raise UsageError(f"--year {given} is not a plausible reference year", hint="e.g. --year 2023")
        return given
    frame = read_frame(fold(text))
    if frame is not None:
        return frame.reviewed
    in_title = _YEAR.search(title)
    if in_title:
        return int(in_title.group(1).translate(_CN_YEAR_DIGITS))
    counts = Counter(int(m.group(1)) for m in re.finditer(r"(?<!\d)((?:19|20)\d\d)年", text))
    if not counts:
        raise UsageError("cannot tell the report's year", hint="give it: --year YYYY")
    return max(counts, key=lambda y: (counts[y], y))


# --- metadata read off the text ----------------------------------------------------------

_SOURCE = re.compile(r"^\s*(?:source|来源|原文链接)\s*[::]\s*(https?://\S+)", re.I)
_URL = re.compile(r"https?://[^\s\"'<>]+")
_HEADER_LINE = re.compile(r"^[A-Za-z-]+\s*:")
_PUBLISHER = re.compile(r"^\s*(?:来源[::]\s*)?([\u4e00-\u9fff]{2,20}(?:统计局|人民政府|政府|日报|新闻网|融媒体中心|办公室|网))\s*$")
_DATE = re.compile(r"((?:19|20)\d\d)\s*(?:年|-|/|\.)\s*(\d{1,2})\s*(?:月|-|/|\.)\s*(\d{1,2})")


@dataclass(frozen=True)
class TextMeta:
    """Metadata read off the first lines of a report; None where the text does not say."""

    title: str | None
    source_url: str | None
    publisher: str | None
    published: str | None


def read_meta(text: str, head_lines: int = 20) -> TextMeta:
    lines = [line.strip() for line in text.splitlines()[:head_lines]]
    url = next((m.group(1) for line in lines[:3] if (m := _SOURCE.match(line))), None) or next(
        (m.group() for line in lines[:3] if (m := _URL.search(line))), None)
    title = next((line for line in lines if line and not _HEADER_LINE.match(line)
                  and re.search(r"[\u4e00-\u9fff]", line)), None)
    publisher = next((m.group(1) for line in lines if (m := _PUBLISHER.match(line))), None)
    date = next((m for line in lines if (m := _DATE.search(line))), None)
    published = f"{date.group(1)}-{int(date.group(2)):02d}-{int(date.group(3)):02d}" if date else None
    return TextMeta(title, url, publisher, published)


def report_id_of(given: str | None, path: Path) -> str:
    """``--report-id``, else the file name made a slug (01-zizhou.txt -> 01-zizhou)."""
    if given is not None:
        if not SLUG.match(given):
            raise UsageError(f"report id {given!r} is not a slug",
                             hint="lowercase letters, digits and '-', e.g. zizhou-2023")
        return given
    slug = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-")
    if not SLUG.match(slug):
        raise UsageError(f"cannot make a report id from the file name {path.name!r}",
                         hint="give one: --report-id ID (e.g. zizhou-2023)")
    return slug
