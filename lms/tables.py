"""Table exports: a table is built once, then written as CSV for programs or XLSX for people.

A ``Table`` holds what an export shows: a title (the sheet's name and the workbook's
title), a file stem, typed columns and rows of plain values. Each plugin builds its
tables in a domain function; its view hands the table and the format from the URL to
``table_response``. The writers follow the design's export contract:

- CSV through ``lms.csvfile`` (UTF-8 with BOM, ``;``, text quoted, formulas neutralised);
- XLSX through XlsxWriter: text and codes always as string cells (never a formula, so
  "=SUM(A1)" stays text and AGS "05711000" keeps its zero), dates and times as real date
  cells in a German format, numbers as numbers, a bold, frozen header row with filters,
  column widths to fit, the sheet named after its title.

Missing values (None, or an empty text) are empty cells in both formats. Dates and times
read the same in both: "07.12.2017" and "07.12.2017 10:00" (stored UTC, shown in Berlin).
"""

from __future__ import annotations

import io
import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

import xlsxwriter
from flask import Response, abort
from flask_babel import gettext as _

from lms.csvfile import write_csv
from lms.downloads import content_disposition
from lms.i18n import BERLIN
from lms.web import NO_STORE

#: the URL part that names the format: ``/roster.<any(csv, xlsx):format>``, so one view
#: answers both and ``url_for(endpoint, format="xlsx")`` links either
FORMAT_PART = "<any(csv, xlsx):format>"
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Excel number formats; the CSV writes the same as text
DATE_FORMAT = "DD.MM.YYYY"
DATETIME_FORMAT = "DD.MM.YYYY HH:MM"
_DATE_TEXT = "%d.%m.%Y"
_DATETIME_TEXT = "%d.%m.%Y %H:%M"
#: Excel's limit for a sheet name, the characters it refuses there, and a reserved name
SHEET_NAME_MAX = 31
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
_RESERVED_SHEET_NAME = "history"
#: characters no file name may hold on some system
_FILENAME_FORBIDDEN = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')
#: column widths in characters: at least a short header, at most what a screen shows
MIN_WIDTH, MAX_WIDTH = 6, 60


class Kind(StrEnum):
    """What a column holds; the writers choose a cell type and format from it."""

    #: any text, written as text
    TEXT = "text"
    #: an identifier of digits or letters (AGS "05711000"): text in both formats, never a
    #: number, so leading zeros stay
    CODE = "code"
    INTEGER = "integer"
    #: a number with a fraction (points); int, float or Decimal
    DECIMAL = "decimal"
    #: a calendar day (a stored moment gives its Berlin day)
    DATE = "date"
    #: a stored, timezone-aware moment, shown as Berlin local time
    DATETIME = "datetime"
    #: True/False, written as the words "yes"/"no" in the reader's language
    YES_NO = "yes_no"


@dataclass(frozen=True)
class Column:
    title: str
    kind: Kind = Kind.TEXT


def _text(value: object) -> str | None:
    text = str(value)
    return text or None


def _code(value: object) -> str | None:
    if not isinstance(value, str):
        raise TypeError(f"a code is text, so that leading zeros stay: {value!r}")
    return value or None


def _integer(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"not an integer: {value!r}")
    return value


def _decimal(value: object) -> int | float | Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise TypeError(f"not a number: {value!r}")
    if not isinstance(value, int) and not math.isfinite(value):
        raise ValueError(f"not a finite number: {value!r}")
    return value


def _date(value: object) -> date:
    if isinstance(value, datetime):
        return _datetime(value).date()  # a stored moment's Berlin calendar day
    if not isinstance(value, date):
        raise TypeError(f"not a date: {value!r}")
    return value


def _datetime(value: object) -> datetime:
    if not isinstance(value, datetime) or value.tzinfo is None:
        raise TypeError(f"not a timezone-aware datetime: {value!r}")
    return value.astimezone(BERLIN)


def _yes_no(value: object) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"not True or False: {value!r}")
    return value


_CHECKS: dict[Kind, Callable[[object], object]] = {
    Kind.TEXT: _text, Kind.CODE: _code, Kind.INTEGER: _integer, Kind.DECIMAL: _decimal,
    Kind.DATE: _date, Kind.DATETIME: _datetime, Kind.YES_NO: _yes_no,
}


@dataclass
class Table:
    """One export's data: what the sheet is named, the file's stem, columns and rows."""

    #: what the table holds ("Bewerbungen für Studiengruppe 2017"): the workbook's title
    title: str
    #: the download's file name without extension, e.g. "kongress-3-anmeldungen"
    stem: str
    columns: Sequence[Column]
    #: the sheet's name, short ("Bewerbungen"); the title when not given (Excel keeps 31
    #: characters of it)
    sheet: str = ""
    rows: list[tuple[object, ...]] = field(default_factory=list)

    def add(self, *values: object) -> None:
        """Append a row, one value per column; None (or an empty text) is an empty cell.

        Values are checked against their column's kind here, where the mistake is made:
        a code given as a number, a naive datetime or a date in a number column raise.
        """
        if len(values) != len(self.columns):
            raise ValueError(f"{len(values)} values for {len(self.columns)} columns")
        self.rows.append(tuple(None if value is None else _CHECKS[column.kind](value)
                               for column, value in zip(self.columns, values, strict=True)))


def _words(value: bool) -> str:
    return _("yes") if value else _("no")


def _as_text(kind: Kind, value: object) -> object:
    """A checked value as the CSV writes it: numbers stay numbers, the rest is text."""
    if isinstance(value, datetime):
        return value.strftime(_DATETIME_TEXT)
    if isinstance(value, date):
        return value.strftime(_DATE_TEXT)
    if kind is Kind.YES_NO:
        return _words(bool(value))
    return value


def write_table_csv(table: Table) -> bytes:
    """The table as a CSV file for programs (``lms.csvfile``)."""
    return write_csv([column.title for column in table.columns],
                     [[None if value is None else _as_text(column.kind, value)
                       for column, value in zip(table.columns, row, strict=True)]
                      for row in table.rows])


def sheet_name(title: str) -> str:
    """``title`` as Excel accepts a sheet name: no []:*?/\\, not quoted, 31 characters."""
    name = _SHEET_NAME_FORBIDDEN.sub(" ", title)
    name = " ".join(name.split())[:SHEET_NAME_MAX].strip().strip("'").strip()
    if not name or name.lower() == _RESERVED_SHEET_NAME:
        name = (name + " 1").strip() if name else _("Table")
    return name


def _width(kind: Kind, value: object) -> int:
    if kind is Kind.DATE:
        return len("00.00.0000")
    if kind is Kind.DATETIME:
        return len("00.00.0000 00:00")
    text = _as_text(kind, value)
    return max((len(line) for line in str(text).splitlines()), default=0)


def write_table_xlsx(table: Table) -> bytes:
    """The table as an XLSX workbook of one sheet, for people to open in Excel."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {
        "in_memory": True,
        # whatever a text holds, it is written as a string: never a formula, URL or number
        "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
    })
    workbook.set_properties({"title": table.title})
    sheet = workbook.add_worksheet(sheet_name(table.sheet or table.title))
    header = workbook.add_format({"bold": True})
    formats = {
        Kind.CODE: workbook.add_format({"num_format": "@"}),  # stays text when edited
        Kind.DATE: workbook.add_format({"num_format": DATE_FORMAT}),
        Kind.DATETIME: workbook.add_format({"num_format": DATETIME_FORMAT}),
    }
    widths = [len(column.title) for column in table.columns]
    for number, column in enumerate(table.columns):
        sheet.write_string(0, number, column.title, header)
    for row_number, row in enumerate(table.rows, start=1):
        for number, (column, value) in enumerate(zip(table.columns, row, strict=True)):
            if value is None:
                continue
            kind, cell_format = column.kind, formats.get(column.kind)
            if kind in (Kind.DATE, Kind.DATETIME):
                # Excel knows no time zones: the Berlin wall-clock time is what people read
                shown = value.replace(tzinfo=None) if isinstance(value, datetime) else value
                sheet.write_datetime(row_number, number, shown, cell_format)
            elif kind in (Kind.INTEGER, Kind.DECIMAL):
                sheet.write_number(row_number, number, float(value) if isinstance(
                    value, Decimal) else value)
            else:
                sheet.write_string(row_number, number, str(_as_text(kind, value)), cell_format)
            widths[number] = max(widths[number], _width(kind, value))
    for number, width in enumerate(widths):
        sheet.set_column(number, number, min(max(width, MIN_WIDTH), MAX_WIDTH) + 2)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(table.rows), 1), max(len(table.columns) - 1, 0))
    workbook.close()
    return buffer.getvalue()


WRITERS: dict[str, tuple[str, Callable[[Table], bytes]]] = {
    "csv": (CSV_TYPE, write_table_csv),
    "xlsx": (XLSX_TYPE, write_table_xlsx),
}


def safe_filename(stem: str, extension: str) -> str:
    """A download name that every system accepts: no path parts, no control characters."""
    stem = unicodedata.normalize("NFC", stem)
    stem = "_".join(_FILENAME_FORBIDDEN.sub(" ", stem).split()).strip("._")[:100]
    return f"{stem or 'export'}.{extension}"


def table_response(table: Table, format: str) -> Response:
    """The table as a download in ``format`` ("csv" or "xlsx"; anything else is a 404).

    An attachment with the table's file name, our content type, and never stored by a
    browser or proxy: exports hold personal data.
    """
    if format not in WRITERS:
        abort(404)
    content_type, write = WRITERS[format]
    response = Response(write(table), content_type=content_type)
    response.headers["Content-Disposition"] = content_disposition(
        safe_filename(table.stem, format))
    response.headers["Cache-Control"] = NO_STORE
    return response
