"""CSV files that German Excel opens correctly, and reading such files back.

Written files follow the design's export contract:

- UTF-8 with a byte order mark, by which Excel recognises the encoding (without it,
  umlauts come out garbled);
- ``;`` as separator, the list separator of German Excel, and no ``sep=`` line (Excel
  would then ignore the byte order mark, and other programs show the line as data);
- every text cell in double quotes, whatever it holds, so that a reader splitting on
  ``,`` or tab instead of ``;`` never cuts a cell in two and makes its second half the start
  of a new cell; codes keep their leading zero ("05915000") as quoted text;
- numbers (int, float, Decimal) unquoted, as numbers; missing values (None) empty;
- text cells starting with ``=``, ``+``, ``-`` or ``@``, or with tab or carriage return,
  also after leading whitespace or quote marks (which spreadsheets skip before looking),
  would run as formulas when opened ("CSV injection"): they get a leading apostrophe,
  which spreadsheets show as text and ``read_csv`` removes.

No formula such as ``="05915000"`` is ever written to keep a code as text: that is
exactly what the neutralising forbids. Excel, opened by double-click, may still show an
AGS as a number; its import assistant (Daten > Aus Text/CSV) keeps the column as text.

Nothing here depends on Flask; every plugin's export and import goes through it.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal

BOM = "\ufeff"
SEPARATOR = ";"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NEUTRALISER = "'"
QUOTE = '"'
#: what ``read_csv`` accepts as separators, tried on the header line in this order
SEPARATORS = (";", ",", "\t")
#: a formula's first character, perhaps after blanks or quote marks (spreadsheets skip
#: those before they look; the apostrophe is skipped too, so that one already there is
#: kept when ``read_csv`` removes the neutraliser)
_FORMULA = r"[\s\"']*[" + re.escape("".join(FORMULA_STARTS)) + "]"
#: where a cell starts for some reader: the cell's start, or after a character that a
#: program guessing another separator (or a line end) would split at
_CELL_STARTS = re.compile(rf"(?:^|(?<=[,;\t\r\n]))(?={_FORMULA})")
_NEUTRALISED = re.compile(rf"(?:^|(?<=[,;\t\r\n])){NEUTRALISER}(?={_FORMULA})")


def neutralise(value: object) -> str:
    """``value`` as a cell text that no spreadsheet runs as a formula.

    Quoting alone does not do it: a reader splitting on ``,`` reads a quoted first cell,
    then takes the rest of the line literally and splits inside later quoted cells. So
    every place where some reader may start a cell gets the apostrophe if a formula
    would start there.
    """
    text = "" if value is None else str(value)
    return _CELL_STARTS.sub(NEUTRALISER, text)


def _is_number(value: object) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, float | Decimal):
        return math.isfinite(value)
    return isinstance(value, int)


def format_cell(value: object) -> str:
    """One cell as written: numbers bare, None empty, everything else quoted, neutralised text."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))  # 16.0 points are written "16"
    if _is_number(value):
        return str(value)
    return QUOTE + neutralise(value).replace(QUOTE, QUOTE + QUOTE) + QUOTE


def write_csv(header: Sequence[object], rows: Iterable[Sequence[object]]) -> bytes:
    """A complete CSV file (UTF-8 with BOM, ``;``, CRLF) of ``header`` and ``rows``.

    Written by hand rather than with ``csv.writer``: its ``QUOTE_NONNUMERIC`` would quote
    missing values as ``""`` and write ``True`` as a bare word.
    """
    lines = [SEPARATOR.join(format_cell(cell) for cell in row)
             for row in (header, *rows)]
    return (BOM + "".join(line + "\r\n" for line in lines)).encode("utf-8")


class CsvError(ValueError):
    """The bytes are not a readable CSV file (empty, or no header line)."""


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), or Windows-1252, which German Excel saves by default."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _separator(header_line: str) -> str:
    counts = {separator: header_line.count(separator) for separator in SEPARATORS}
    best = max(SEPARATORS, key=lambda separator: counts[separator])
    return best if counts[best] else SEPARATOR


def _restore(cell: str) -> str:
    """Undo ``neutralise``, so an exported file can be imported again unchanged."""
    return _NEUTRALISED.sub("", cell)


def read_csv(data: bytes) -> tuple[list[str], list[list[str]]]:
    """The header and the data rows of a CSV file, cells stripped; blank rows left out."""
    text = decode(data)
    first_line = text.split("\n", 1)[0]
    if not first_line.strip():
        raise CsvError("no header line")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_separator(first_line))
    try:
        rows = [[_restore(cell).strip() for cell in row] for row in reader]
    except csv.Error as exc:
        raise CsvError(str(exc)) from exc
    rows = [row for row in rows if any(row)]
    if not rows:
        raise CsvError("no header line")
    return rows[0], rows[1:]
