"""CSV files that German Excel opens correctly, and reading such files back.

Written files follow the design's export contract:

- UTF-8 with a byte order mark, by which Excel recognises the encoding (without it,
  umlauts come out garbled);
- ``;`` as separator, the list separator of German Excel, and no ``sep=`` line (Excel
  would then ignore the byte order mark, and other programs show the line as data);
- every value written as text, unchanged, so municipality keys keep their leading zero
  ("05915000") for every program that reads the file as text;
- cells starting with ``=``, ``+``, ``-`` or ``@`` (and tab or carriage return, which
  spreadsheets skip before looking) would run as formulas when opened ("CSV injection"):
  they get a leading apostrophe, which spreadsheets show as text and ``read_csv`` removes.

No formula such as ``="05915000"`` is ever written to keep a code as text: that is
exactly what the neutralising forbids. Excel, opened by double-click, may still show an
AGS as a number; its import assistant (Daten > Aus Text/CSV) keeps the column as text.

Nothing here depends on Flask; every plugin's export and import goes through it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

BOM = "\ufeff"
SEPARATOR = ";"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NEUTRALISER = "'"
#: what ``read_csv`` accepts as separators, tried on the header line in this order
SEPARATORS = (";", ",", "\t")


def neutralise(value: object) -> str:
    """``value`` as a cell text that no spreadsheet runs as a formula."""
    text = "" if value is None else str(value)
    return NEUTRALISER + text if text.startswith(FORMULA_STARTS) else text


def write_csv(header: Sequence[object], rows: Iterable[Sequence[object]]) -> bytes:
    """A complete CSV file (UTF-8 with BOM, ``;``, CRLF) of ``header`` and ``rows``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=SEPARATOR, quoting=csv.QUOTE_MINIMAL,
                        lineterminator="\r\n")
    writer.writerow([neutralise(cell) for cell in header])
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return (BOM + buffer.getvalue()).encode("utf-8")


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
    if cell.startswith(NEUTRALISER) and cell[1:].startswith(FORMULA_STARTS):
        return cell[1:]
    return cell


def read_csv(data: bytes) -> tuple[list[str], list[list[str]]]:
    """The header and the data rows of a CSV file, cells stripped; blank rows left out."""
    text = decode(data)
    first_line = text.split("\n", 1)[0]
    if not first_line.strip():
        raise CsvError("no header line")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_separator(first_line))
    try:
        rows = [[_restore(cell.strip()) for cell in row] for row in reader]
    except csv.Error as exc:
        raise CsvError(str(exc)) from exc
    rows = [row for row in rows if any(row)]
    if not rows:
        raise CsvError("no header line")
    return rows[0], rows[1:]
