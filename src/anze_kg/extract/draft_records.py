"""The records of ``facts/draft.yaml`` (see :mod:`anze_kg.extract.drafts`): extracted
observations and entities as fact records in the curated format, written as
YAML text (simple words plain, any other string double-quoted with JSON
escapes, so any label or quote survives), with the comments a reviewer needs.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal

from anze_kg.errors import UsageError
from anze_kg.extract.draft_meta import Area, Vocab
from anze_kg.extract.extraction import ExtractedEntity, ExtractedObservation, Extraction
from anze_kg.extract.words import PARKS
from anze_kg.inputs.facts import written_number
from anze_kg.inputs.quotes import find_all

QUALIFIERS = {"约": "about", "左右": "about", "近": "nearly", "将近": "nearly", "接近": "nearly",
              "超过": "over", "超": "over", "逾": "over", "突破": "over", "以上": "at-least", "不少于": "at-least",
              "不低于": "at-least", "余": "more-than", "多": "more-than", "有余": "more-than", "全部": "all"}
RANK_SCOPES = {"全国": "Country", "全省": "Province", "全市": "City", "全州": "City", "全县": "County", "全区": "County"}
_PARK_END = re.compile(f"(?:{PARKS})$")
# A programme needs a domain (SHACL): a first guess from the words of its name, for the reviewer to check.
DOMAIN_WORDS = [("营商|政务|审批|办事|放管服", "business-environment"), ("招商|引资|签约", "investment-promotion"),
                ("园区|开发区", "industrial-park"), ("脱贫|返贫|帮扶|衔接|低收入", "poverty-alleviation"),
                ("农业|粮食|耕地|农田|种植|养殖|藏粮", "agriculture"), ("乡村|农村|人居环境", "rural-construction"),
                ("旅游|文旅|文化|文物", "tourism"), ("交通|公路|道路|铁路|农村路", "transport"),
                ("城市|县城|城镇|更新", "urban-renewal"), ("就业|培训|创业", "employment"),
                ("教育|学校|教学|双减|课后|办学", "education"),
                ("医疗|卫生|健康|医生|诊疗|疾病|筛查|检查", "health"),
                ("社会保险|养老|低保|救助|退役|双拥|福利|社保", "social-security"),
                ("产业|工业|企业|煤|焦|制造|能源", "industry")]
DEFAULT_DOMAIN = "governance"
# An enterprise needs a sector (SHACL) and the scheme has no "unknown": guessed from its name, else the
# record is an Organization for the reviewer to type.
SECTOR_WORDS = [("中药材", "herb-cultivation"), ("煤业|矿业|煤矿", "coal-mining"), ("洗煤|洗选", "coal-washing"),
                ("焦化|焦煤", "coking"), ("化工|树脂|合成油|焦油", "coal-chemicals"), ("碳材料|碳素", "carbon-materials"),
                ("热电|能源|电力|光伏|风电", "energy"), ("药业|中药|医药|制药", "herb-processing"),
                ("酿酒|酒业|食品|乳业|粮油", "food-processing"),
                ("农牧|农业|种植|养殖|蔬菜|果业|专业合作社", "agriculture"), ("旅游|文旅|酒店|民宿", "tourism"),
                ("物流|仓储", "logistics"), ("建材|建设|建筑|路桥", "construction")]


def draft_records(text: str, extraction: Extraction, vocab: Vocab, area: Area, year: int) -> tuple[str, list, dict]:
    """YAML text of the records, comments for what is not a record, and counts."""
    writer = _Writer(text)
    comments: list[str] = []
    if area.id is None:
        writer.area_record(area)
    indicators: dict[str, str] = {}
    observations = _merge_points(list(extraction.observations))
    for o in observations:
        if isinstance(o.year, str):
            comments.append(f"# figure of the period {o.year}, not a record (an observation has one year): "
                            f"{o.indicator} {_shown(o)} in {json.dumps(o.quote, ensure_ascii=False)}")
            continue
        writer.observation(o, _indicator_id(o, vocab, writer, indicators), vocab, area, year)
    known_places = []
    for e in extraction.entities:
        place_id = vocab.area_names.get(e.label) if e.kind == "place" else None
        if place_id:
            known_places.append(f"{e.label} ({place_id})")
        else:
            writer.entity(e, area)
    if known_places:
        comments.append("# places named in the text that are areas of data/vocab (no record needed): "
                        + ", ".join(known_places))
    counts = {"observations": writer.counts.get("obs", 0), "indicators": len(indicators),
              "entities": sum(v for k, v in writer.counts.items() if k not in ("obs", "indicator", "area")),
              "growth-only": sum(o.value is None for o in observations),
              "period figures": sum(isinstance(o.year, str) for o in observations), "vocab places": len(known_places)}
    return writer.render(), comments, counts


def _merge_points(observations: list[ExtractedObservation]) -> list:
    """A change in 个百分点 right after the share it changes becomes that share's changePoints."""
    out: list = []
    for o in observations:
        prev = out[-1] if out else None
        if (o.change_points is not None and prev is not None
                and prev.indicator == o.indicator and 0 <= o.start - prev.end <= 2 and prev.change_points is None):
            out[-1] = _Merged(prev, o)
        else:
            out.append(o)
    return out


class _Merged:
    """A share and its change in points, read as one observation."""

    def __init__(self, share: ExtractedObservation, points: ExtractedObservation) -> None:
        self.__dict__.update(share.__dict__)
        self.change_points, self.end = points.change_points, points.end


def _indicator_id(o, vocab: Vocab, writer: "_Writer", made: dict[str, str]) -> str:
    found = vocab.indicator(o.indicator)
    if found:
        return found
    name = o.indicator or "[draft] unnamed figure"
    if name not in made:
        made[name] = writer.indicator_record(name, o.start, o.end)
    return made[name]


def _place_type(label: str, area: Area) -> str:
    """DevelopmentZone, Village (村), Town (镇, 乡) or Locality; a village or town only in a
    county's report (the shapes want it inside a town or county, taken to be the report's)."""
    bare = label.strip("“”")
    if _PARK_END.search(bare):
        return "DevelopmentZone"
    if area.type == "County" and area.id is not None:
        if bare.endswith("村"):
            return "Village"
        if bare.endswith(("镇", "乡")):
            return "Town"
    return "Locality"


ENTITY_TYPES = {"enterprise": "Enterprise", "project": "Project", "program": "Program"}


class _Writer:
    """Numbers the ids and writes each record as YAML lines."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.blocks: list[str] = []
        self.counts: dict[str, int] = {}

    def next_id(self, kind: str) -> str:
        self.counts[kind] = self.counts.get(kind, 0) + 1
        return f"draft-{kind}-{self.counts[kind]:03d}"

    def record(self, fields: list[tuple[str, object]]) -> None:
        lines = [f"- {fields[0][0]}: {scalar(fields[0][1])}"]
        lines += [f"  {key}: {scalar(value)}" for key, value in fields[1:] if value is not None]
        self.blocks.append("\n".join(lines))

    def quote_fields(self, start: int, end: int) -> list[tuple[str, object]]:
        quote = self.text[start:end]
        starts = find_all(self.text, quote)
        occurrence = starts.index(start) + 1 if len(starts) > 1 else None
        return [("quote", quote), ("occurrence", occurrence)]

    def area_record(self, area: Area) -> None:
        at = self.text.find(area.zh)
        if at < 0:
            raise UsageError(f"the area {area.zh!r} is neither in data/vocab nor named in the text",
                             hint="add it to data/vocab (places), or give --area with a vocab id")
        self.record([("id", "draft-area"), ("type", "Locality"), ("zh", area.zh), ("en", f"[draft] {area.zh}"),
                     *self.quote_fields(at, at + len(area.zh)),
                     ("note", f"the report's area, not in data/vocab: add it to data/vocab/places*.yaml as a "
                              f"{area.type} in its city or province, set report.yaml area to its id and delete "
                              "this record"), ("draft", True)])

    def indicator_record(self, name: str, start: int, end: int) -> str:
        ident = self.next_id("indicator")
        self.record([("id", ident), ("type", "Indicator"), ("zh", name), ("en", f"[draft] {name}"),
                     *self.quote_fields(start, end),
                     ("note", "not in data/vocab: reuse a vocab indicator, or move this record to "
                              "data/vocab/indicators-*.yaml without its quote"), ("draft", True)])
        return ident

    def observation(self, o, indicator: str, vocab: Vocab, area: Area, year: int) -> None:
        ident = self.next_id("obs")
        quote = self.text[o.start:o.end]
        value, value_text = _value_fields(o, quote)
        notes = []
        unit = o.unit
        if unit is not None and unit not in vocab.units:
            notes.append(f"unit as written {unit!r} is not in ontology/concepts.ttl")
            unit = None
        qualifier = QUALIFIERS.get(o.qualifier or "")
        if o.qualifier and qualifier is None:
            notes.append(f"qualifier as written: {o.qualifier}")
        rank_fields = _rank_fields(o, quote, area) if o.rank is not None else []
        self.record([("id", ident), ("type", "Observation"), ("indicator", indicator),
                     ("period", o.year if o.year not in (None, year) else None), ("target", o.target or None),
                     ("value", value), ("valueText", value_text), ("unit", unit), ("qualifier", qualifier),
                     ("growthRate", o.growth_pct), ("changePoints", o.change_points),
                     *rank_fields, *self.quote_fields(o.start, o.end),
                     ("note", "; ".join(notes) or None), ("draft", True)])

    def entity(self, e: ExtractedEntity, area: Area) -> None:
        cls = _place_type(e.label, area) if e.kind == "place" else ENTITY_TYPES[e.kind]
        extra: list[tuple[str, object]] = []
        if cls == "Program":
            extra = [("domain", _guess(DOMAIN_WORDS, e.label, DEFAULT_DOMAIN)),
                     ("note", "domain guessed from the words of the name: check it")]
        elif cls == "Enterprise":
            sector = _guess(SECTOR_WORDS, e.label, None)
            cls = cls if sector else "Organization"
            extra = [("sector", sector), ("note", "sector guessed from the name: check it" if sector else
                                          "an enterprise? the sector could not be guessed: make it an Enterprise "
                                          "with its sector, or keep it an Organization")]
        elif cls in ("Village", "Town"):
            extra = [("locatedIn", area.id or "draft-area"), ("note", "assumed to lie in the report's area: check")]
        self.record([("id", self.next_id(e.kind)), ("type", cls), ("zh", e.label), ("en", f"[draft] {e.label}"),
                     *self.quote_fields(e.start, e.end), *extra, ("draft", True)])

    def render(self) -> str:
        return "\n\n".join(self.blocks) + "\n"


def _guess(words: list[tuple[str, str]], label: str, default: str | None) -> str | None:
    return next((concept for pattern, concept in words if re.search(pattern, label)), default)


def _shown(o) -> str:
    value = "" if o.value is None else f"{o.value_text or o.value}{o.unit or ''}"
    growth = "" if o.growth_pct is None else f" {o.growth_pct:+g}%"
    return (value + growth).strip()


def _value_fields(o, quote: str) -> tuple[object, str | None]:
    """value (a number) and valueText (only when the quote does not spell the value in ASCII digits)."""
    if isinstance(o.value, str):
        return None, o.value  # a ratio, kept as written
    if o.value is None:
        return None, None  # growth only
    value = Decimal(str(o.value))
    if written_number(quote, value) is not None:
        return o.value, None
    return o.value, o.value_text


def _rank_fields(o, quote: str, area: Area) -> list[tuple[str, object]]:
    scope_type = RANK_SCOPES.get(o.rank_scope or "")
    scope = None
    if scope_type == area.type:
        scope = area.id
    elif scope_type == "Country":
        scope = next((i for t, i in area.ancestors if t == "Country"), None)
    elif scope_type:
        scope = next((i for t, i in area.ancestors if t == scope_type), None)
    before = quote[:quote.rfind("第")] if "第" in quote else quote
    rank_of = "growth" if re.search(r"增速|增幅|增长", before[-12:]) else "value"
    return [("rank", o.rank), ("rankOf", rank_of), ("rankScope", scope), ("rankScopeAsWritten", o.rank_scope)]


_PLAIN = re.compile(r"^[\u4e00-\u9fffA-Za-z][\u4e00-\u9fffA-Za-z0-9-]*$")
_YAML_WORDS = {"true", "false", "null", "yes", "no", "on", "off", "y", "n"}


def scalar(value) -> str:
    """A YAML scalar: numbers and booleans as such, simple words plain, any other text double-quoted."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    text = str(value)
    if _PLAIN.match(text) and text.lower() not in _YAML_WORDS:
        return text
    return json.dumps(text, ensure_ascii=False)
