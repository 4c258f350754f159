"""Load and check fact files: schema, numbers, units, ids, references.

The format is described in ``docs/facts.md``.  Every problem is a
:class:`FactError` naming ``file:line``.  Quotes are located later, by the
builder, against the report text.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from anze_kg.errors import FactError, Location
from anze_kg.inputs.ontology import OntologyIndex
from anze_kg.inputs.project import Project
from anze_kg.inputs.reports import SLUG, Report
from anze_kg.inputs.strict_yaml import line_of, load_yaml
from anze_kg.inputs.texts import normalise
from anze_kg.namespaces import local_name

LABEL_KEYS = {"zh", "en", "pinyin", "altZh", "note", "definition"}
RESERVED = {"id", "type", "quote", "occurrence", "draft", "value", "unit", "valueText", *LABEL_KEYS}
AMOUNT_KEYS = {"value", "unit", "valueText", "qualifier", "quote", "occurrence"}
LINK_KEYS = {"id", "quote", "occurrence", "stage"}
MENTION_KEYS = {"id", "type", "quote", "occurrence", "note"}
RANK_KEYS = {"rank", "rankBand", "rankOf", "rankScope", "rankScopeAsWritten", "peerGroup"}
RANK_OF = ("value", "growth")
_FULLWIDTH_DIGIT = re.compile(r"[\uff10-\uff19\uff0e\uff0c\uff05]")
_NUMBER_TOKEN = re.compile(r"\d+(?:\.\d+)?")


@dataclass(frozen=True)
class Quote:
    text: str
    occurrence: int | None
    where: Location


@dataclass(frozen=True)
class Link:
    prop: str
    target: str
    quote: Quote | None
    where: Location
    stage: str | None = None  # a concept of the stage scheme, on the relation's own statement


@dataclass(frozen=True)
class Amount:
    value: Decimal | None
    written: str | None
    unit: str | None
    qualifier: str | None
    quote: Quote | None
    where: Location


@dataclass(frozen=True)
class Rank:
    """One rank of a figure: a position (第2) or a band (前列) within a scope, of the value or the growth."""

    position: int | None
    band: str | None
    scope: str | None  # None: only as written (a draft's 全市 whose city is not in data/vocab/)
    scope_written: str | None
    of: str
    peer_group: str | None
    quote: Quote | None  # None: it rests on the observation's quote
    where: Location


@dataclass
class Fact:
    id: str
    type: str
    report: str | None
    where: Location
    file: str
    zh: str | None = None
    en: str | None = None
    pinyin: str | None = None
    alt_zh: tuple[str, ...] = ()
    note: str | None = None
    definition: str | None = None
    quote: Quote | None = None
    draft: bool = False
    mention: bool = False  # a report's record of a data/vocab/ thing: only where the report names it
    links: list[Link] = field(default_factory=list)
    amounts: dict[str, Amount] = field(default_factory=dict)
    literals: dict[str, Any] = field(default_factory=dict)
    ranks: list[Rank] = field(default_factory=list)

    @property
    def is_observation(self) -> bool:
        return self.type == "Observation"


class ReportFacts(dict):
    """One report's facts by id, and ``mentions``: the records that give a
    report's evidence for a thing of ``data/vocab/`` (the report names it here)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.mentions: list[Fact] = []


@dataclass
class FactSet:
    vocab: dict[str, Fact]
    reports: dict[str, dict[str, Fact]]

    def lookup(self, report: str | None, fact_id: str) -> Fact | None:
        if report is not None and fact_id in self.reports.get(report, {}):
            return self.reports[report][fact_id]
        return self.vocab.get(fact_id)

    def all_facts(self):
        yield from self.vocab.values()
        for facts in self.reports.values():
            yield from facts.values()


# ---------------------------------------------------------------- scalars


def _text(value: Any, where: Location, key: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise FactError(where, f"{key} must be a non-empty text, not {_show(value)}")
    return normalise(value.strip())


def _show(value: Any) -> str:
    return f"{type(value).__name__} {value!r}"


# ASCII digits only (Decimal would also read ١٢١٫٦ and 1_21.6), commas only as thousands separators.
_ASCII_NUMBER = re.compile(r"^[-+]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)?(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?$")


def _clip(text: str, limit: int = 80) -> str:
    """``text`` as an error message shows it: at most ``limit`` characters."""
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text):,} characters)"


def number(value: Any, where: Location, key: str) -> Decimal:
    """A numeric field: ASCII digits only (full-width ones are refused, see docs/facts.md)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        raise FactError(where, f"{key} must be a number, not {_show(value)}")
    text = str(value).strip()
    if _FULLWIDTH_DIGIT.search(text):
        ascii_form = unicodedata.normalize("NFKC", text)
        raise FactError(where, f"{key} {text!r} is written with full-width digits or punctuation",
                        hint=f"write it in ASCII ({ascii_form}); the quote keeps the text as written")
    if not _ASCII_NUMBER.match(text):
        raise FactError(where, f"{key} {_clip(text)!r} is not a number",
                        hint="write ASCII digits with an optional decimal point (thousands may be grouped "
                             "with commas, 12,345.6); put words in valueText")
    try:
        parsed = Decimal(text.replace(",", "") if isinstance(value, str) else text)
    except InvalidOperation:
        raise FactError(where, f"{key} {text!r} is not a number",
                        hint="write digits with an optional decimal point, e.g. 121.6; put words in valueText") from None
    if not parsed.is_finite():
        raise FactError(where, f"{key} {text!r} is not a finite number")
    return parsed


def _integer(value: Any, where: Location, key: str, minimum: int = 1) -> int:
    parsed = number(value, where, key)
    if parsed != parsed.to_integral_value() or parsed < minimum:
        raise FactError(where, f"{key} must be a whole number >= {minimum}, not {value!r}")
    return int(parsed)


def written_number(quote: str, value: Decimal) -> str | None:
    """The token of the quote that spells ``value`` (digits as written), if any."""
    folded = unicodedata.normalize("NFKC", quote)
    for match in _NUMBER_TOKEN.finditer(folded):
        if Decimal(match.group()) == value:
            return quote[match.start():match.end()]
    return None


# ---------------------------------------------------------------- records


# Words that name "the area this report is about" (or its city, province, country), not
# one area: 全县 is Anze in Anze's report and Zizhou in Zizhou's.
GENERIC_AREA_WORD = re.compile(r"^(?:[全本]?[国省市县区州旗盟]|全国|本地)$")


class _Reader:
    """Turns one YAML record into a :class:`Fact`, checking it against the ontology."""

    def __init__(self, index: OntologyIndex, path: Path, rel: str, report: Report | None,
                 vocab: dict[str, Fact] | None = None) -> None:
        self.index, self.path, self.rel, self.report = index, path, rel, report
        self.vocab = vocab or {}

    def at(self, container, key=None) -> Location:
        return Location.of(self.path, line_of(container, key))

    def quote(self, record, where: Location) -> Quote | None:
        if "quote" not in record:
            return None
        if self.report is None:
            raise FactError(where, "reference data in data/vocab/ takes no quote",
                            hint="quotes belong to facts of a report")
        occurrence = record.get("occurrence")
        if occurrence is not None:
            occurrence = _integer(occurrence, self.at(record, "occurrence"), "occurrence")
        return Quote(_text(record["quote"], self.at(record, "quote"), "quote"), occurrence, self.at(record, "quote"))

    def record(self, record: Any, item_where: Location) -> Fact:
        if not isinstance(record, dict):
            raise FactError(item_where, f"a fact must be a mapping of keys to values, not {_show(record)}",
                            hint="write `- id: ...` and the other keys indented under it")
        where = self.at(record)
        for key in ("id", "type"):
            if key not in record:
                raise FactError(where, f"fact has no {key!r}")
        fact_id = _text(record["id"], self.at(record, "id"), "id")
        if not SLUG.match(fact_id):
            raise FactError(self.at(record, "id"), f"id {fact_id!r} is not a slug",
                            hint="lowercase a-z, digits and '-', e.g. linxin-coking-170")
        cls = _text(record["type"], self.at(record, "type"), "type")
        if cls not in self.index.classes or cls in self.index.concept_classes():
            raise FactError(self.at(record, "type"), f"unknown type {cls!r}",
                            hint=_suggest(cls, self.index.classes))
        fact = Fact(fact_id, cls, self.report.id if self.report else None, where, self.rel,
                    quote=self.quote(record, where))
        if self.report is not None and fact_id in self.vocab:
            return self.mention(fact, record)
        self.labels(fact, record)
        for key, value in record.items():
            if key == "ranks":
                fact.ranks = [self.rank(item, self.at(record, key), own_quote=True) for item in self.rank_list(value, record)]
            elif key not in RESERVED and key not in RANK_KEYS:
                self.field(fact, record, key, value)
        flat = RANK_KEYS & set(record)
        if flat:
            if "ranks" in record:
                raise FactError(self.at(record, sorted(flat)[0]), "give one rank as rank, rankScope, ... or several "
                                "as ranks: [...], not both")
            fact.ranks = [self.rank({k: record[k] for k in flat}, self.at(record, sorted(flat)[0]), own_quote=False)]
        if fact.ranks and not fact.is_observation:
            raise FactError(self.at(record, "ranks" if "ranks" in record else sorted(flat)[0]),
                            f"a rank belongs to an observation, not to a {cls}")
        if fact.is_observation:
            # a growth, a change in points or a rank may stand alone ("固定资产投资增长10%", "增速位居省市前列":
            # no level is written)
            alone = not {"value", "valueText", "unit"} & set(record) and (
                {"growthRate", "changePoints"} & set(record) or fact.ranks)
            if not alone:
                fact.amounts["value"] = self.amount(record, where, own_quote=False)
        elif "value" in record or "unit" in record or "valueText" in record:
            raise FactError(self.at(record, "value" if "value" in record else "unit"),
                            f"value/unit belong to observations; a {cls} states amounts with capacity, investment, area or size")
        self.required(fact, record)
        return fact

    def mention(self, fact: Fact, record) -> Fact:
        """``- {id: beijing, type: Province, quote: 赴北京、西安、深圳等地招商}``: the report names a thing
        of data/vocab/ here. The record adds the report's evidence and nothing else: its labels and
        relations are the vocabulary's, the same in every report."""
        shared = self.vocab[fact.id]
        extra = sorted(set(record) - MENTION_KEYS)
        if extra:
            raise FactError(self.at(record, extra[0]),
                            f"{fact.id!r} is defined in {shared.file}; a report's record of it takes only "
                            f"id, type, quote, occurrence and note (got {extra[0]!r})",
                            hint="it gives the report's evidence for the shared thing; change its labels or "
                                 "relations in data/vocab/, or give a new thing of the report a new id")
        if fact.type != shared.type:
            raise FactError(self.at(record, "type"),
                            f"{fact.id!r} is a {shared.type} in {shared.file}, not a {fact.type}")
        if fact.quote is None:
            raise FactError(fact.where, f"the record of {fact.id!r} (defined in {shared.file}) has no quote",
                            hint="it exists to say where the report names the thing: give the quote")
        if "note" in record:
            fact.note = _text(record["note"], self.at(record, "note"), "note")
        fact.mention = True
        return fact

    def labels(self, fact: Fact, record) -> None:
        for key, attr in (("zh", "zh"), ("en", "en"), ("pinyin", "pinyin"), ("note", "note"), ("definition", "definition")):
            if key in record:
                setattr(fact, attr, _text(record[key], self.at(record, key), key))
        if "altZh" in record:
            alts = record["altZh"]
            if not isinstance(alts, list):
                raise FactError(self.at(record, "altZh"), "altZh must be a list of texts")
            fact.alt_zh = tuple(_text(a, self.at(record, "altZh"), "altZh") for a in alts)
            generic = [a for a in fact.alt_zh if GENERIC_AREA_WORD.match(a)]
            if generic and self.report is None:
                raise FactError(self.at(record, "altZh"),
                                f"{generic[0]} is not a name of {record.get('id', 'this area')}: "
                                "it means the area of whichever report uses it",
                                hint="shared reference data names an area for every report; "
                                     "全县, 全市, 全省 and the like are resolved per report")
        if "draft" in record:
            if not isinstance(record["draft"], bool):
                raise FactError(self.at(record, "draft"), "draft must be true or false")
            fact.draft = record["draft"]

    def required(self, fact: Fact, record) -> None:
        where = fact.where
        if fact.is_observation:
            if not any(link.prop == "indicator" for link in fact.links):
                raise FactError(where, f"observation {fact.id!r} has no indicator")
        else:
            for key in ("zh", "en"):
                if getattr(fact, key) is None:
                    raise FactError(where, f"{fact.type} {fact.id!r} has no {key!r} label")
        if self.report is not None and fact.quote is None:
            raise FactError(where, f"fact {fact.id!r} has no quote",
                            hint="every fact of a report carries the verbatim quote it rests on")

    def field(self, fact: Fact, record, key: str, value: Any) -> None:
        where = self.at(record, key)
        prop = self.index.properties.get(key)
        if prop is None:
            raise FactError(where, f"unknown key {key!r}",
                            hint=_suggest(key, {**self.index.properties, **dict.fromkeys(RESERVED)}))
        if prop.kind == "quantity":
            if not isinstance(value, dict):
                raise FactError(where, f"{key} takes {{value: ..., unit: ...}}")
            fact.amounts[key] = self.amount(value, where, own_quote=True)
        elif prop.kind == "literal":
            fact.literals[key] = self.literal(prop.range, value, where, key)
        else:
            items = value if isinstance(value, list) else [value]
            for item in items:
                fact.links.append(self.link(key, item, where))

    def link(self, key: str, item: Any, where: Location) -> Link:
        if isinstance(item, dict):
            unknown = set(item) - LINK_KEYS
            if unknown or "id" not in item:
                raise FactError(where, f"a {key} entry takes id, quote, occurrence and stage (got {sorted(item)})")
            return Link(key, _text(item["id"], where, key), self.quote(item, where), where, self.stage(item, where))
        return Link(key, _text(item, where, key), None, where)

    def stage(self, item: dict, where: Location) -> str | None:
        """The stage a relation has reached (``appliedFor: [{id: ..., quote: ..., stage: inclusion-sought}]``):
        a concept of the stage scheme, written on the relation's statement, so it needs the quote that says it."""
        if "stage" not in item:
            return None
        stage = _text(item["stage"], self.at(item, "stage"), "stage")
        stages = self.index.concepts.get("Stage", {})
        if stage not in stages:
            raise FactError(self.at(item, "stage"), f"unknown stage {stage!r}", hint=_suggest(stage, stages))
        if "quote" not in item:
            raise FactError(self.at(item, "stage"), "a stage rests on a quote of its own",
                            hint="give the entry the quote that says the stage: {id: ..., quote: ..., stage: ...}")
        return stage

    def rank_list(self, value: Any, record) -> list:
        if not isinstance(value, list) or not value or not all(isinstance(v, dict) for v in value):
            raise FactError(self.at(record, "ranks"), "ranks takes a list of {rank: ..., rankScope: ..., quote: ...}")
        return value

    def rank(self, item: dict, where: Location, own_quote: bool) -> Rank:
        """``{rank: 2, rankScope: shanxi, rankOf: value, peerGroup: 工业类开发区, rankScopeAsWritten: 全省, quote: …}``,
        or ``rankBand: among-the-leaders`` for a rank written without a position (位居前列)."""
        if own_quote:
            where = self.at(item) if line_of(item) else where
            unknown = set(item) - RANK_KEYS - {"quote", "occurrence"}
            if unknown:
                raise FactError(where, f"unknown key {sorted(unknown)[0]!r} in a rank",
                                hint="a rank takes " + ", ".join(sorted(RANK_KEYS)) + ", quote, occurrence")
        if ("rank" in item) == ("rankBand" in item):
            raise FactError(where, "a rank has a position (rank: 1) or a band (rankBand: among-the-leaders), one of them")
        if "rankScope" not in item and "rankScopeAsWritten" not in item:
            raise FactError(where, "a rank needs its rankScope: the area it is within (全市: the report's city)",
                            hint="give rankScope (an area id); a draft whose area is not in data/vocab/ may give "
                                 "only rankScopeAsWritten")
        position = _integer(item["rank"], where, "rank") if "rank" in item else None
        band = _text(item["rankBand"], where, "rankBand") if "rankBand" in item else None
        of = _text(item.get("rankOf", "value"), where, "rankOf")
        if of not in RANK_OF:
            raise FactError(where, f"rankOf is value or growth, not {of!r}")
        written = _text(item["rankScopeAsWritten"], where, "rankScopeAsWritten") if "rankScopeAsWritten" in item else None
        peers = _text(item["peerGroup"], where, "peerGroup") if "peerGroup" in item else None
        scope = _text(item["rankScope"], where, "rankScope") if "rankScope" in item else None
        return Rank(position, band, scope, written, of, peers,
                    self.quote(item, where) if own_quote else None, where)

    def literal(self, rng, value: Any, where: Location, key: str) -> Any:
        kind = str(rng).rsplit("#", 1)[-1] if rng is not None else "string"
        if kind == "decimal":
            return number(value, where, key)
        if kind in ("positiveInteger", "gYear", "nonNegativeInteger"):
            return _integer(value, where, key, minimum=0 if kind == "nonNegativeInteger" else 1)
        if kind == "boolean":
            if not isinstance(value, bool):
                raise FactError(where, f"{key} must be true or false")
            return value
        return _text(value, where, key)

    def amount(self, record, where: Location, own_quote: bool) -> Amount:
        unknown = set(record) - AMOUNT_KEYS if own_quote else set()
        if unknown:
            raise FactError(where, f"unknown key(s) {sorted(unknown)} in an amount",
                            hint="an amount takes value, unit, valueText, qualifier, quote, occurrence")
        value = number(record["value"], self.at(record, "value"), "value") if "value" in record else None
        written = _text(record["valueText"], self.at(record, "valueText"), "valueText") if "valueText" in record else None
        if value is None and written is None:
            raise FactError(where, "an amount needs a value (or valueText)")
        unit = None
        if record.get("unit") is not None:
            unit = _text(record["unit"], self.at(record, "unit"), "unit")
            if unit not in self.index.units:
                raise FactError(self.at(record, "unit"), f"unknown unit {unit!r}",
                                hint="known units: " + " ".join(sorted(self.index.units)) + " (add one to ontology/concepts.ttl)")
        qualifier = record.get("qualifier") if own_quote else None
        if qualifier is not None:
            qualifier = _text(qualifier, where, "qualifier")
            if qualifier not in self.index.concepts.get("Qualifier", {}):
                raise FactError(where, f"unknown qualifier {qualifier!r}",
                                hint=_suggest(qualifier, self.index.concepts.get("Qualifier", {})))
        quote = self.quote(record, where) if own_quote else None
        return Amount(value, written, unit, qualifier, quote, where)


def _suggest(word: str, known) -> str:
    close = difflib.get_close_matches(word, list(known), n=3, cutoff=0.6)
    return f"did you mean {', '.join(close)}?" if close else f"known: {', '.join(sorted(known)[:40])}"


# ---------------------------------------------------------------- files


def read_fact_file(path: Path, index: OntologyIndex, project: Project, report: Report | None,
                   vocab: dict[str, Fact] | None = None) -> list[Fact]:
    data = load_yaml(path)
    if data is None:
        return []
    if not isinstance(data, list):
        raise FactError(Location.of(path, 1), "a fact file must be a YAML list of records (`- id: ...`)")
    reader = _Reader(index, path, project.relative(path), report, vocab)
    return [reader.record(item, Location.of(path, line_of(data, i))) for i, item in enumerate(data)]


def _add(into: dict[str, Fact], fact: Fact, also: dict[str, Fact] | None = None) -> None:
    earlier = into.get(fact.id) or (also or {}).get(fact.id)
    if earlier is not None:
        raise FactError(fact.where, f"id {fact.id!r} is defined twice (first at {earlier.where})",
                        hint="an id names one thing; rename one, or merge the two records")
    into[fact.id] = fact


def load_vocab(project: Project, index: OntologyIndex) -> dict[str, Fact]:
    vocab: dict[str, Fact] = {}
    for path in sorted(project.vocab_dir.glob("*.yaml")):
        for fact in read_fact_file(path, index, project, None):
            _add(vocab, fact)
    return vocab


def load_report_facts(project: Project, report: Report, index: OntologyIndex, vocab: dict[str, Fact]) -> ReportFacts:
    facts = ReportFacts()
    seen: dict[tuple, Fact] = {}
    files = report.fact_files()
    if not files:
        raise FactError(Location.of(report.folder / "facts"), f"report {report.id!r} has no fact files",
                        hint="add facts/*.yaml, or draft them with `anze-kg extract`")
    for path in files:
        for fact in read_fact_file(path, index, project, report, vocab):
            if fact.mention:
                key = (fact.id, fact.quote.text, fact.quote.occurrence)
                if key in seen:
                    raise FactError(fact.where, f"{fact.id!r} is recorded twice with the same quote "
                                                f"(first at {seen[key].where})")
                seen[key] = fact
                facts.mentions.append(fact)
            else:
                _add(facts, fact, vocab)
    return facts


def check_references(facts: FactSet, index: OntologyIndex, allow_drafts: bool = False) -> None:
    """Every link points at something of the right kind; drafts only when allowed."""
    for fact in facts.all_facts():
        if fact.draft and not allow_drafts:
            raise FactError(fact.where, f"fact {fact.id!r} is an unreviewed draft",
                            hint="review it against the text and delete `draft: true`, or build with --allow-drafts")
        for link in fact.links:
            _check_link(facts, index, fact, link)
        _check_includes(fact)
        for rank in fact.ranks:
            if rank.scope is not None:
                _check_link(facts, index, fact, Link("rankScope", rank.scope, None, rank.where))
            if rank.band is not None:
                _check_link(facts, index, fact, Link("rankBand", rank.band, None, rank.where))


def _check_includes(fact: Fact) -> None:
    """``includes``: the things a count names (安晋华康中药材、荀康酿酒等5家); never more than it counts."""
    named = [link for link in fact.links if link.prop == "includes"]
    if not named:
        return
    ids = [link.target for link in named]
    twice = next((i for i in ids if ids.count(i) > 1), None)
    if twice is not None:
        raise FactError(named[0].where, f"includes names {twice!r} twice")
    amount = fact.amounts.get("value")
    count = amount.value if amount is not None else None
    if count is None or count != count.to_integral_value():
        raise FactError(named[0].where, "includes belongs to a count: the figure must be a whole number "
                                        "(…等5家: the 5 things counted, of which the report names some)")
    if len(ids) > count:
        raise FactError(named[0].where, f"the figure counts {count} but includes names {len(ids)}",
                        hint="includes lists only things the count counts; check the value or the list")


def _check_link(facts: FactSet, index: OntologyIndex, fact: Fact, link: Link) -> None:
    prop = index.properties[link.prop]
    if prop.kind == "concept":
        scheme = local_name(prop.range)
        if link.target not in index.concepts[scheme]:
            raise FactError(link.where, f"{link.prop} {link.target!r} is not a {scheme}",
                            hint=_suggest(link.target, index.concepts[scheme]))
        return
    target = facts.lookup(fact.report, link.target)
    if target is None:
        raise FactError(link.where, f"{link.prop} refers to {link.target!r}, which is not defined",
                        hint=_suggest(link.target, [*facts.vocab, *facts.reports.get(fact.report, {})]))
    wanted = local_name(prop.range) if prop.range is not None else None
    if wanted in index.classes and not index.is_a(target.type, wanted):
        raise FactError(link.where, f"{link.prop} must point at a {wanted}, but {link.target!r} is a {target.type}")


def load_facts(project: Project, reports: list[Report], index: OntologyIndex, allow_drafts: bool = False) -> FactSet:
    vocab = load_vocab(project, index)
    facts = FactSet(vocab, {r.id: load_report_facts(project, r, index, vocab) for r in reports})
    check_references(facts, index, allow_drafts)
    return facts
