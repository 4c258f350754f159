"""What a query returned, and its W3C result formats (SPARQL 1.1 Query
Results JSON, XML, CSV, TSV; Turtle and N-Triples for graphs) and the plain
text table of the command line."""

from __future__ import annotations

import datetime as dt
import json
from collections import namedtuple
from decimal import Decimal

import pyoxigraph as ox

from anze_kg.errors import UsageError
from anze_kg.namespaces import PREFIX_MAP
from anze_kg.sparql.guard import char_width, display_width

XSD = "http://www.w3.org/2001/XMLSchema#"


class ResultFormat(namedtuple("ResultFormat", "name media_type forms")):
    """A result format: its ``name``, ``media_type`` and the query ``forms`` it can carry."""

    __slots__ = ()


RESULT_FORMATS = {
    f.name: f
    for f in (
        ResultFormat("table", "text/plain; charset=utf-8", ("SELECT", "ASK")),
        ResultFormat("csv", "text/csv; charset=utf-8", ("SELECT", "ASK")),
        ResultFormat("tsv", "text/tab-separated-values; charset=utf-8", ("SELECT", "ASK")),
        ResultFormat("json", "application/sparql-results+json", ("SELECT", "ASK")),
        ResultFormat("xml", "application/sparql-results+xml", ("SELECT", "ASK")),
        ResultFormat("turtle", "text/turtle; charset=utf-8", ("CONSTRUCT", "DESCRIBE")),
        ResultFormat("nt", "application/n-triples", ("CONSTRUCT", "DESCRIBE")),
        ResultFormat("rdfxml", "application/rdf+xml", ("CONSTRUCT", "DESCRIBE")),
        ResultFormat("jsonld", "application/ld+json", ("CONSTRUCT", "DESCRIBE")),
    )
}

_OX_RESULTS = {"csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV,
               "json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML}
_OX_GRAPH = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "rdfxml": ox.RdfFormat.RDF_XML,
             "jsonld": ox.RdfFormat.JSON_LD}


def default_format(form: str) -> str:
    """``table`` for SELECT and ASK, ``turtle`` for CONSTRUCT and DESCRIBE."""
    return "table" if form in ("SELECT", "ASK") else "turtle"


class QueryResult:
    """What a query returned: ``rows`` (SELECT: tuples of terms, None where
    unbound), ``boolean`` (ASK) or ``triples`` (CONSTRUCT, DESCRIBE; sorted),
    and the ``seconds`` it took.  A plain class (see :class:`anze_kg.errors.Location`
    for why not a dataclass)."""

    __slots__ = ("form", "variables", "rows", "boolean", "triples", "seconds")

    def __init__(self, form: str, variables: list[str] | None = None, rows: list[tuple] | None = None,
                 boolean: bool | None = None, triples: list | None = None, seconds: float = 0.0) -> None:
        self.form, self.variables, self.rows = form, [] if variables is None else variables, rows
        self.boolean, self.triples, self.seconds = boolean, triples, seconds

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, QueryResult):
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in self.__slots__)

    __hash__ = None  # mutable (``seconds`` is set after the run), like the dataclass it was

    def __repr__(self) -> str:
        return "QueryResult(" + ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__) + ")"

    def __len__(self) -> int:
        if self.rows is not None:
            return len(self.rows)
        return len(self.triples) if self.triples is not None else 1

    def serialize(self, fmt: str | None = None, width: int | None = None) -> bytes:
        """Bytes in ``fmt`` (see RESULT_FORMATS; default: table or turtle); a
        table in at most ``width`` display columns when given."""
        if fmt:
            # deferred: a named format only; the table of a cold query does without it
            from anze_kg.graph.formats import format_name

            fmt = "table" if fmt.lower() == "text" else format_name(fmt)
        else:
            fmt = default_format(self.form)
        spec = RESULT_FORMATS.get(fmt)
        if spec is None:
            raise UsageError(f"unknown result format {fmt!r}", hint=f"choose one of {', '.join(RESULT_FORMATS)}")
        if self.form not in spec.forms:
            usable = ", ".join(f.name for f in RESULT_FORMATS.values() if self.form in f.forms)
            raise UsageError(f"format {fmt} cannot carry the result of a {self.form} query", hint=f"use {usable}")
        if fmt == "table":
            return (table_text(self, width) + "\n").encode("utf-8")
        if fmt in _OX_GRAPH:
            prefixes = {k: v for k, v in PREFIX_MAP.items() if k != "id"} if fmt in ("turtle", "rdfxml", "jsonld") else None
            return ox.serialize(self.triples, format=_OX_GRAPH[fmt], prefixes=prefixes)
        parsed = ox.parse_query_results(self.json_bytes(), format=ox.QueryResultsFormat.JSON)
        return parsed.serialize(format=_OX_RESULTS[fmt])

    def records(self) -> list[dict[str, object]]:
        """SELECT rows as dicts of Python values (see :func:`python_value`);
        an unbound variable is left out of its row's dict."""
        if self.rows is None:
            raise UsageError(f"a {self.form} result has no rows", hint="records() is for SELECT queries")
        return [{v: python_value(t) for v, t in zip(self.variables, row) if t is not None} for row in self.rows]

    def to_dataframe(self, *, exact: bool = False):
        """The SELECT rows as a pandas DataFrame (one column per variable, None
        where unbound), values as :meth:`records` gives them, except that a
        column of decimals becomes float64, pandas' own numbers, unless
        ``exact`` (then they stay :class:`decimal.Decimal`, an object column)."""
        try:
            import pandas  # deferred: optional (the [pandas] extra)
        except ImportError:
            raise UsageError("to_dataframe() needs pandas", hint="pip install 'anze-kg[pandas]'") from None
        if self.rows is None:
            raise UsageError(f"a {self.form} result has no rows", hint="to_dataframe() is for SELECT queries")
        frame = pandas.DataFrame([[python_value(t) for t in row] for row in self.rows], columns=self.variables)
        if not exact:
            for column in frame.columns:
                present = frame[column].dropna()
                if len(present) and all(isinstance(v, Decimal) for v in present):
                    frame[column] = frame[column].astype("float64")
        return frame

    def json_bytes(self) -> bytes:
        """SPARQL 1.1 Query Results JSON."""
        if self.form == "ASK":
            doc = {"head": {}, "boolean": bool(self.boolean)}
        else:
            bindings = [{v: term_json(t) for v, t in zip(self.variables, row) if t is not None} for row in self.rows]
            doc = {"head": {"vars": self.variables}, "results": {"bindings": bindings}}
        return json.dumps(doc, ensure_ascii=False).encode("utf-8")


_NUMBERS = {XSD + "integer": int, XSD + "int": int, XSD + "long": int, XSD + "nonNegativeInteger": int,
            XSD + "positiveInteger": int, XSD + "decimal": Decimal, XSD + "double": float, XSD + "float": float}


def python_value(term):
    """A term as a Python value: an IRI as its string, a number as int, Decimal
    or float, xsd:boolean as bool, xsd:date as a date, any other literal (a
    string in any language, a gYear) as its lexical form; None stays None."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if not isinstance(term, ox.Literal):
        return str(term)
    kind = term.datatype.value
    try:
        if kind in _NUMBERS:
            return _NUMBERS[kind](term.value)
        if kind == XSD + "boolean":
            return term.value in ("true", "1")
        if kind == XSD + "date":
            return dt.date.fromisoformat(term.value)
    except (ValueError, ArithmeticError):
        pass  # an ill-typed literal keeps its lexical form
    return term.value


def term_json(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD + "string":
            out["datatype"] = term.datatype.value
        return out
    return {"type": "triple", "value": {"subject": term_json(term.subject), "predicate": term_json(term.predicate),
                                        "object": term_json(term.object)}}


# --------------------------------------------------------------------------- the text table

def display(term) -> str:
    """A term as a person reads it: prefixed IRIs, literal values without quotes."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return compact_iri(term.value)
    if isinstance(term, ox.Literal):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return str(term)


def compact_iri(iri: str) -> str:
    best = ""
    for prefix, ns in PREFIX_MAP.items():
        if iri.startswith(ns) and len(ns) > len(PREFIX_MAP.get(best, "")):
            best = prefix
    return f"{best}:{iri[len(PREFIX_MAP[best]):]}" if best else f"<{iri}>"


MAX_CELL = 80  # display columns of one table cell; longer values are cut with "…"


def _cell(term) -> str:
    return _cut(display(term).replace("\n", " "), MAX_CELL)


def _cut(text: str, width: int) -> str:
    """``text`` in at most ``width`` display columns, cut with "…" when longer.
    One pass over the characters (cutting one at a time and measuring again was
    quadratic: 130,000 width lookups for one 47-row table)."""
    if len(text) <= width // 2 or (text.isascii() and len(text) <= width):
        return text
    used, keep = 0, 0  # display columns so far; characters that fit in width - 1
    for i, char in enumerate(text):
        used += char_width(char)
        if used <= width - 1:
            keep = i + 1
        elif used > width:
            return text[:keep] + "…"
    return text


_width = display_width
MIN_COLUMN = 12  # display columns a column is narrowed to, at most, before columns are left out


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def fit_columns(widths: list[int], total: int) -> tuple[list[int], int]:
    """Column widths whose row (two spaces between columns) fits ``total``
    display columns, and how many leading columns are shown: the widest column
    is narrowed first, none below MIN_COLUMN; then columns are left out from
    the right (queries put the IRIs last)."""
    widths = list(widths)
    shown = len(widths)
    span = lambda: sum(widths[:shown]) + 2 * (shown - 1)  # noqa: E731
    while span() > total:
        i = max(range(shown), key=lambda k: widths[k])
        if widths[i] > MIN_COLUMN:
            widths[i] -= max(1, min(widths[i] - MIN_COLUMN, span() - total))
        elif shown > 1:
            shown -= 1
        else:
            widths[0] = max(1, total)
            break
    return widths[:shown], shown


def table_text(result: QueryResult, width: int | None = None) -> str:
    """A plain-text table of a SELECT result (or the ASK answer), in at most
    ``width`` display columns when given (see :func:`fit_columns`)."""
    if result.form == "ASK":
        return "true" if result.boolean else "false"
    cells = [[_cell(t) for t in row] for row in result.rows]
    widths = [max([_width(v)] + [_width(r[i]) for r in cells]) for i, v in enumerate(result.variables)]
    variables, shown = list(result.variables), len(widths)
    if width is not None:
        widths, shown = fit_columns(widths, width)
        variables = variables[:shown]
        cells = [[_cut(c, w) for c, w in zip(row, widths)] for row in cells]
    lines = ["  ".join(_pad(_cut(v, w), w) for v, w in zip(variables, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(_pad(c, w) for c, w in zip(row, widths)).rstrip() for row in cells]
    lines.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    if shown < len(result.variables):
        left = " ".join(f"?{v}" for v in result.variables[shown:])
        lines.append(_cut(f"(not shown: {left}; --wide shows every column, -f csv too)", width or 10**6))
    return "\n".join(lines)
