"""Reading exported workbooks back with openpyxl, and the checks every export sheet meets."""

from __future__ import annotations

import io
import zipfile

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def read_sheet(data: bytes) -> Worksheet:
    """The only sheet of an exported workbook, after checking what every export holds.

    A bold header row, frozen, with an autofilter over all columns, and no formula in any
    cell: each sheet's XML is searched for ``<f>`` as well as each cell's type.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name)
    workbook = load_workbook(io.BytesIO(data))
    assert len(workbook.worksheets) == 1
    sheet = workbook.active
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:")
    assert all(cell.font.b for cell in sheet[1]), "the header is bold"
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    return sheet


def sheet_rows(sheet: Worksheet) -> list[tuple]:
    """The header and data rows as values (None for an empty cell)."""
    return [tuple(cell.value for cell in row) for row in sheet.iter_rows()]


def by_header(sheet: Worksheet) -> list[dict[str, object]]:
    """The data rows as cells keyed by the header's titles."""
    header = [cell.value for cell in sheet[1]]
    return [dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2)]
