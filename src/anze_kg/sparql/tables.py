"""The observations as one tidy table, where analysts work: CSV, XLSX and a
pandas DataFrame (``anze-kg export --format csv|xlsx``, ``anze_kg.observations()``).

One row per ``akg:Observation``, from the named query
``queries/observations-table.rq`` run by the one query evaluation
(:func:`anze_kg.sparql.evaluate.answer`), its columns typed here:

* text (ids, labels, the period, the value and unit **as written**, the
  quote): written as the graph has it, never parsed (121.6 stays "121.6");
* numbers (the normalised value, growth, change in points): the literal's
  own digits in CSV, numbers in XLSX, float64 in the DataFrame;
* integers (rank, the quote's offsets, the fact line): Int64 in the DataFrame;
* a boolean (``is_target``): ``true``/``false`` in CSV.

CSV is UTF-8 with a byte order mark (Excel reads UTF-8 as such only then;
pandas and LibreOffice skip it; Python's ``csv`` needs ``encoding="utf-8-sig"``),
RFC 4180 (comma, CRLF, quotes where needed).  XLSX is written with openpyxl:
one sheet ``observations``, the header row frozen and filtered, columns sized
to their text (a Chinese character counted as two), no timestamps (the same
graph gives the same bytes).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from anze_kg.errors import UsageError
from anze_kg.inputs.project import Project
from anze_kg.sparql.evaluate import answer
from anze_kg.sparql.guard import display_width
from anze_kg.sparql.results import QueryResult, python_value

TABLE_QUERY = "observations-table"
# An export is the whole table: limits far above the query default (100,000 rows, 10 s).
TABLE_MAX_ROWS = 5_000_000
TABLE_TIMEOUT_S = 600.0
SHEET = "observations"


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # text | number | integer | boolean
    meaning: str


COLUMNS = (
    Column("report_id", "text", "the report (dcterms:identifier)"),
    Column("indicator_iri", "text", "what is measured"),
    Column("indicator_zh", "text", "its Chinese label"),
    Column("indicator_en", "text", "its English label"),
    Column("area_iri", "text", "the area (or zone, entity) the figure is for"),
    Column("area_zh", "text", "its Chinese label"),
    Column("area_en", "text", "its English label"),
    Column("period", "text", "the year (xsd:gYear)"),
    Column("value_as_written", "text", "the number as the report writes it"),
    Column("unit_as_written", "text", "the unit as the report writes it"),
    Column("normalized_value", "number", "the value in its base unit"),
    Column("base_unit", "text", "that unit (English label)"),
    Column("growth_rate", "number", "change on the previous year, percent"),
    Column("change_points", "number", "change of a share, percentage points"),
    Column("rank", "integer", "rank within the rank scope (1 = first)"),
    Column("rank_of", "text", "what is ranked: value or growth"),
    Column("rank_scope_as_written", "text", "the scope as written (全市)"),
    Column("rank_scope_zh", "text", "the scope as a place (临汾市)"),
    Column("qualifier_zh", "text", "how the value is qualified (超过, 以上...)"),
    Column("is_target", "boolean", "a target or plan, not an outcome"),
    Column("quote", "text", "the exact quote (oa:exact)"),
    Column("quote_start", "integer", "its offset in the report text (0-based)"),
    Column("quote_end", "integer", "its end (exclusive)"),
    Column("fact_file", "text", "the fact file it was written in"),
    Column("fact_line", "integer", "and the line"),
    Column("observation_iri", "text", "the observation"),
    Column("report_url", "text", "the report's address (schema:url), where it has one"),
)
COLUMN_NAMES = tuple(c.name for c in COLUMNS)


def observations_result(project: Project, out_dir: Path, store_spec: str | None = None) -> QueryResult:
    """The rows of ``queries/observations-table.rq`` on the built graph (or ``store_spec``)."""
    result = answer(project, out_dir, TABLE_QUERY, store_spec=store_spec, timeout_s=TABLE_TIMEOUT_S,
                    max_rows=TABLE_MAX_ROWS)
    return checked(result)


def checked(result: QueryResult) -> QueryResult:
    """``result`` if it has the table's columns, in order (the query and this module agree)."""
    if result.rows is None or tuple(result.variables) != COLUMN_NAMES:
        raise UsageError(f"queries/{TABLE_QUERY}.rq does not select the table's columns",
                         hint=f"it must SELECT {' '.join('?' + n for n in COLUMN_NAMES)}")
    return result


def _value(term, kind: str):
    """A cell as a Python value: text as its lexical form, numbers as Decimal or int, booleans as bool."""
    if term is None:
        return None
    if kind == "text":
        return getattr(term, "value", str(term))
    return python_value(term)  # an ill-typed literal keeps its lexical form (text)


def records(result: QueryResult) -> list[list]:
    """The rows as lists of Python values, one per column (None where empty)."""
    kinds = [c.kind for c in COLUMNS]
    return [[_value(term, kind) for term, kind in zip(row, kinds)] for row in checked(result).rows]


# --------------------------------------------------------------------------- CSV

def _csv_cell(term, kind: str) -> str:
    if term is None:
        return ""
    if kind == "boolean":
        value = python_value(term)
        return ("true" if value else "false") if isinstance(value, bool) else term.value
    return getattr(term, "value", str(term))  # numbers: the literal's own digits, never a float's


def csv_bytes(result: QueryResult) -> bytes:
    """The table as CSV: UTF-8 with BOM, comma-separated, CRLF, a header row."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMN_NAMES)
    kinds = [c.kind for c in COLUMNS]
    for row in checked(result).rows:
        writer.writerow([_csv_cell(term, kind) for term, kind in zip(row, kinds)])
    return buffer.getvalue().encode("utf-8-sig")


# --------------------------------------------------------------------------- XLSX

MAX_WIDTH = 60  # characters of the widest column (the quote); longer cells stay whole, hidden past it
_CORE_DATES = re.compile(rb"<dcterms:(created|modified)\b[^>]*>[^<]*</dcterms:\1>")


def _openpyxl():
    try:
        import openpyxl  # deferred: only the xlsx export needs it (a dependency, see pyproject.toml)
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
        from openpyxl.styles import Font
        from openpyxl.utils import get_column_letter
    except ImportError:
        raise UsageError("the xlsx export needs openpyxl", hint="pip install 'openpyxl>=3.1,<4'") from None
    return openpyxl, WriteOnlyCell, ILLEGAL_CHARACTERS_RE, Font, get_column_letter


def xlsx_bytes(result: QueryResult) -> bytes:
    """The table as an XLSX workbook: one sheet, header frozen and filtered, numbers as numbers."""
    openpyxl, WriteOnlyCell, illegal, Font, letter = _openpyxl()
    rows = records(result)
    book = openpyxl.Workbook(write_only=True)
    book.properties.creator = "anze-kg"
    book.properties.title = "Observations"
    sheet = book.create_sheet(SHEET)
    widths = [display_width(name) for name in COLUMN_NAMES]
    for row in rows:
        for i, value in enumerate(row):
            if value is not None:
                longest = max(str(value).split("\n"), key=display_width)
                widths[i] = max(widths[i], display_width(longest))
    for i, width in enumerate(widths, 1):
        sheet.column_dimensions[letter(i)].width = min(MAX_WIDTH, width + 2)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{letter(len(COLUMNS))}{len(rows) + 1}"
    bold = Font(bold=True)
    header = []
    for name in COLUMN_NAMES:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    kinds = [c.kind for c in COLUMNS]
    for number, row in enumerate(rows, 2):
        cells = []
        for column, value, kind in zip(COLUMNS, row, kinds):
            if isinstance(value, str) and illegal.search(value):
                raise UsageError(f"row {number}, {column.name}: a control character that XLSX cannot hold "
                                 f"({row[COLUMN_NAMES.index('observation_iri')]})", hint="export --format csv")
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # text stays text, even "=..." (never a formula)
            elif isinstance(value, Decimal | int) and not isinstance(value, bool) and value == int(value):
                cell.number_format = "0"  # 12160000000, not 1.216E+10
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return _without_timestamps(buffer.getvalue())


def _without_timestamps(data: bytes) -> bytes:
    """The workbook with fixed zip entry times and no created/modified dates: the same table, the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info)
            if info.filename == "docProps/core.xml":
                body = _CORE_DATES.sub(b"", body)
            entry = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type, entry.external_attr = zipfile.ZIP_DEFLATED, 0o600 << 16
            target.writestr(entry, body)
    return out.getvalue()


# --------------------------------------------------------------------------- pandas

def observations_frame(result: QueryResult, *, exact: bool = False):
    """The table as a pandas DataFrame: text columns as pandas' strings (its
    ``str`` dtype from pandas 3, object before; missing: NaN), numbers as
    float64 (Decimal with ``exact``), integers as Int64, ``is_target`` as bool:
    what ``pd.read_csv`` gives of the CSV with the types of :func:`csv_dtypes`."""
    try:
        import pandas  # deferred: optional (the [pandas] extra)
    except ImportError:
        raise UsageError("observations() needs pandas", hint="pip install 'anze-kg[pandas]'") from None
    rows = records(result)
    data = {}
    for i, column in enumerate(COLUMNS):
        values = [row[i] for row in rows]
        if column.kind == "number":
            series = pandas.Series(values, dtype=object)
            data[column.name] = series if exact else series.astype("float64")
        elif column.kind == "integer":
            data[column.name] = pandas.Series(values, dtype="Int64")
        elif column.kind == "boolean":
            data[column.name] = pandas.Series(values, dtype=bool)
        else:
            data[column.name] = pandas.Series(values)  # pandas' own string type (inferred)
    return pandas.DataFrame(data, columns=list(COLUMN_NAMES))


def csv_dtypes() -> dict[str, str]:
    """``dtype=`` for ``pandas.read_csv`` (or ``read_excel``) of the table: text
    stays text (``period`` "2023", ``value_as_written`` "121.6"), integers Int64."""
    kinds = {"text": "str", "number": "float64", "integer": "Int64", "boolean": "bool"}
    return {column.name: kinds[column.kind] for column in COLUMNS}


TABLE_WRITERS = {"csv": csv_bytes, "xlsx": xlsx_bytes}


def table_bytes(project: Project, out_dir: Path, fmt: str, store_spec: str | None = None) -> bytes:
    """The observations table of the built graph as ``fmt`` (csv or xlsx)."""
    writer = TABLE_WRITERS.get(fmt)
    if writer is None:
        raise UsageError(f"unknown table format {fmt!r}", hint=f"choose one of {', '.join(TABLE_WRITERS)}")
    return writer(observations_result(project, out_dir, store_spec))
