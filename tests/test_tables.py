"""One table, two files: XLSX read back with openpyxl, CSV read back, and the download."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from flask_babel import force_locale
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lms.csvfile import read_csv
from lms.tables import (
    DATE_FORMAT,
    DATETIME_FORMAT,
    Column,
    Kind,
    Table,
    safe_filename,
    sheet_name,
    table_response,
    write_table_csv,
    write_table_xlsx,
)
from tests.workbooks import XLSX_TYPE, read_sheet, sheet_rows

FORMULA = '=HYPERLINK("http://böse.example","klick")'


def sample() -> Table:
    table = Table("Teilnehmende: Studiengruppe 2017/18 [erste Runde]", "Studiengruppe 2017", [
        Column("Name"), Column("AGS", Kind.CODE), Column("Personen", Kind.INTEGER),
        Column("Punkte", Kind.DECIMAL), Column("Tag", Kind.DATE),
        Column("Angemeldet", Kind.DATETIME), Column("Zertifikat", Kind.YES_NO)])
    # 09:00 UTC in December is 10:00 in Berlin, 08:00 UTC in May is 10:00 too
    table.add("Jörg Groß", "05711000", 2, 12.5, date(2017, 12, 7),
              datetime(2017, 12, 7, 9, 0, tzinfo=UTC), True)
    table.add(FORMULA, "05915000", 0, Decimal("1.70"), None, None, False)
    table.add("+49 231 123", None, None, 16, datetime(2017, 5, 17, 22, 30, tzinfo=UTC),
              datetime(2017, 5, 18, 8, 0, tzinfo=UTC), None)
    table.add("", "", 3, 0.0, None, None, None)
    return table


@pytest.fixture
def german(app):
    with app.test_request_context(), force_locale("de"):
        yield


def test_xlsx_keeps_codes_as_text_dates_as_dates_numbers_as_numbers(german):
    sheet = read_sheet(write_table_xlsx(sample()))
    assert sheet.title == "Teilnehmende Studiengruppe 2017"  # 31 characters, no : / [ ]
    assert sheet.parent.properties.title == "Teilnehmende: Studiengruppe 2017/18 [erste Runde]"
    assert sheet_rows(sheet) == [
        ("Name", "AGS", "Personen", "Punkte", "Tag", "Angemeldet", "Zertifikat"),
        ("Jörg Groß", "05711000", 2, 12.5, datetime(2017, 12, 7),
         datetime(2017, 12, 7, 10, 0), "ja"),
        (FORMULA, "05915000", 0, 1.7, None, None, "nein"),
        ("+49 231 123", None, None, 16, datetime(2017, 5, 18), datetime(2017, 5, 18, 10, 0),
         None),
        (None, None, 3, 0, None, None, None),
    ]
    ags, formula, number, points = sheet["B2"], sheet["A3"], sheet["C2"], sheet["D3"]
    assert (ags.data_type, formula.data_type) == ("s", "s")  # text, never a formula
    assert ags.number_format == "@"  # and stays text when someone edits it
    assert (number.data_type, points.data_type) == ("n", "n")
    day, moment = sheet["E2"], sheet["F2"]
    assert day.is_date and day.number_format == DATE_FORMAT == "DD.MM.YYYY"
    assert moment.is_date and moment.number_format == DATETIME_FORMAT == "DD.MM.YYYY HH:MM"
    assert sheet.auto_filter.ref == "A1:G5"
    assert sheet["A1"].font.b and not sheet["A2"].font.b
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABCDEFG"}
    assert widths["A"] >= len(FORMULA) > widths["B"] >= len("05711000")
    assert widths["F"] >= len("07.12.2017 10:00")


def test_csv_of_the_same_table_for_programs(german):
    data = write_table_csv(sample())
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").splitlines()
    assert lines == [
        '"Name";"AGS";"Personen";"Punkte";"Tag";"Angemeldet";"Zertifikat"',
        '"Jörg Groß";"05711000";2;12.5;"07.12.2017";"07.12.2017 10:00";"ja"',
        '"\'=HYPERLINK(""http://böse.example"",""klick"")";"05915000";0;1.70;;;"nein"',
        '"\'+49 231 123";;;16;"18.05.2017";"18.05.2017 10:00";',
        ';;3;0;;;',
    ]
    _header, rows = read_csv(data)
    assert rows[1][0] == FORMULA  # read back unchanged


def test_the_same_cells_in_both_formats(german):
    """Every cell reads alike: the CSV's text is what Excel shows of the XLSX cell."""
    table = sample()
    sheet = read_sheet(write_table_xlsx(table))
    _header, rows = read_csv(write_table_csv(table))

    def shown(cell) -> str:
        if cell.value is None:
            return ""
        if cell.is_date:
            return cell.value.strftime("%d.%m.%Y %H:%M" if "HH" in cell.number_format
                                       else "%d.%m.%Y")
        if isinstance(cell.value, float) and cell.value.is_integer():
            return str(int(cell.value))
        return str(cell.value)

    assert [[shown(cell) for cell in row] for row in sheet.iter_rows(min_row=2)] \
        == [[cell.replace("1.70", "1.7") for cell in row] for row in rows]


@pytest.mark.parametrize(("column", "value"), [
    (Column("AGS", Kind.CODE), 5711000),  # the leading zero would be lost already
    (Column("n", Kind.INTEGER), True),
    (Column("n", Kind.INTEGER), 1.5),
    (Column("x", Kind.DECIMAL), "12,5"),
    (Column("x", Kind.DECIMAL), float("nan")),
    (Column("x", Kind.DECIMAL), Decimal("Infinity")),
    (Column("d", Kind.DATE), "2017-12-07"),
    (Column("t", Kind.DATETIME), datetime(2017, 12, 7, 10, 0)),  # naive: which zone?
    (Column("t", Kind.DATETIME), date(2017, 12, 7)),
    (Column("b", Kind.YES_NO), "ja"),
])
def test_a_value_that_does_not_fit_its_column_is_refused_where_it_is_added(column, value):
    table = Table("t", "t", [column])
    with pytest.raises((TypeError, ValueError)):
        table.add(value)
    assert table.rows == []


def test_a_row_needs_one_value_per_column():
    table = Table("t", "t", [Column("a"), Column("b")])
    with pytest.raises(ValueError):
        table.add("x")


@pytest.mark.parametrize(("title", "name"), [
    ("Bewerbungen", "Bewerbungen"),
    ("Kurs 2017/18: [A]*?\\", "Kurs 2017 18 A"),
    ("x" * 40, "x" * 31),
    ("'zitiert'", "zitiert"),
    ("History", "History 1"),  # reserved by Excel
    ("", "Tabelle"),
    ("::", "Tabelle"),
])
def test_sheet_names_follow_excels_rules(german, title, name):
    assert sheet_name(title) == name
    table = Table(title, "t", [Column("a")])
    assert read_sheet(write_table_xlsx(table)).title == name


@pytest.mark.parametrize(("stem", "name"), [
    ("Studiengruppe 2017", "Studiengruppe_2017.csv"),
    ("Bewerbungen für Köln", "Bewerbungen_für_Köln.csv"),
    ("../../etc/passwd", "etc_passwd.csv"),
    ('a"b;c\r\nd', "a_b;c_d.csv"),
    ("", "export.csv"),
])
def test_file_names_are_safe(stem, name):
    assert safe_filename(stem, "csv") == name


def test_one_response_for_either_format(german):
    table = sample()
    xlsx, plain = table_response(table, "xlsx"), table_response(table, "csv")
    assert xlsx.content_type == XLSX_TYPE
    assert plain.content_type == "text/csv; charset=utf-8"
    for response, extension in ((xlsx, "xlsx"), (plain, "csv")):
        assert response.headers["Content-Disposition"] == (
            f"attachment; filename=\"Studiengruppe_2017.{extension}\"; "
            f"filename*=UTF-8''Studiengruppe_2017.{extension}")
        assert response.headers["Cache-Control"] == "private, no-store"
    assert read_sheet(xlsx.get_data())["B2"].value == "05711000"
    assert plain.get_data() == write_table_csv(table)


def test_an_unknown_format_is_not_found(german):
    from werkzeug.exceptions import NotFound

    with pytest.raises(NotFound):
        table_response(sample(), "xls")


texts = st.text(alphabet=st.sampled_from("=+-@'\" \t\n,;aZ1ü0\u00a0<>&"), max_size=12)


@settings(max_examples=150, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cells=st.lists(st.tuples(texts, texts), min_size=1, max_size=5))
def test_any_text_stays_text_in_the_workbook(app, cells):
    with app.test_request_context():
        table = Table("t", "t", [Column("Text"), Column("Code", Kind.CODE)])
        for text, code in cells:
            table.add(text, code)
        sheet = read_sheet(write_table_xlsx(table))
    rows = list(sheet.iter_rows(min_row=2, max_row=1 + len(cells), max_col=2))
    for (text, code), row in zip(cells, rows, strict=True):
        assert [cell.value for cell in row] == [text or None, code or None]
        assert all(cell.data_type == "s" for cell in row if cell.value is not None)


def test_csv_rows_read_back_with_the_csv_module(german):
    text = write_table_csv(sample()).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert [row[1] for row in rows] == ["AGS", "05711000", "05915000", "", ""]
