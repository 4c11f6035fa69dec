"""CSV for German Excel: BOM, semicolons, no sep= line, codes as text, formulas neutralised."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lms.csvfile import CsvError, neutralise, read_csv, write_csv

#: a field that a spreadsheet would run: a formula character, perhaps after blanks (tab and
#: carriage return included) or quotes
LOOKS_LIKE_FORMULA = re.compile(r"[\s\"]*[=+\-@]")
#: a number that write_csv wrote bare (only at a field's start can it meet a foreign reader)
NUMBER = re.compile(r"-?\d")


@pytest.mark.parametrize(("cell", "written"), [
    ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
    ("+49 231 123", "'+49 231 123"),
    ("-5", "'-5"),
    ("@Dortmund", "'@Dortmund"),
    ("\t=1+1", "'\t'=1+1"),  # a tab reader would start a cell after the tab
    ("\r=1", "'\r'=1"),
    (" =1+1", "' =1+1"),
    ('"=1+1', "'\"=1+1"),
    ('  " -2', "'  \" -2"),
    ("'=1", "''=1"),  # an apostrophe the writer did not add survives reading back
    ("Hamm, =1+1", "Hamm,' =1+1"),  # a "," or tab reader would start a cell at "="
    ("a\t+1", "a\t'+1"),
    ("Zeile\n@SUM(A1)", "Zeile\n'@SUM(A1)"),
    ("1-2", "1-2"),
    ("'Zitat'", "'Zitat'"),
    ("05915000", "05915000"),
    ("Hamm", "Hamm"),
    ("Müller-Lüdenscheidt", "Müller-Lüdenscheidt"),
    ("", ""),
    (None, ""),
    (7, "7"),
])
def test_neutralise(cell, written):
    assert neutralise(cell) == written


def test_written_file_is_what_german_excel_expects():
    data = write_csv(["Kommune", "AGS"], [["Hamm", "05915000"], ["Köln", "05315000"]])
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert not text.lower().startswith("sep=")
    assert text.splitlines()[0] == '"Kommune";"AGS"'
    assert "\r\n" in text
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert rows == [["Kommune", "AGS"], ["Hamm", "05915000"], ["Köln", "05315000"]]


def test_cells_with_separators_quotes_and_line_breaks_survive():
    tricky = ['Ein "Zitat"', "a;b", "zwei\nZeilen", "=HYPERLINK(\"http://x\")"]
    _header, rows = read_csv(write_csv(["x"] * 4, [tricky]))
    assert rows == [tricky]  # read_csv undoes the neutralising apostrophe


def test_read_csv_accepts_excel_files_in_windows_encoding_and_with_commas():
    header, rows = read_csv("name,email\r\nJörg Groß,jg@example.org\r\n".encode("cp1252"))
    assert header == ["name", "email"]
    assert rows == [["Jörg Groß", "jg@example.org"]]


def test_read_csv_skips_blank_rows_and_strips_cells():
    _header, rows = read_csv(b"\xef\xbb\xbfname;email\n\n Anna ; a@example.org \n;\n")
    assert rows == [["Anna", "a@example.org"]]


@pytest.mark.parametrize("data", [b"", b"\n\n", b"\xef\xbb\xbf"])
def test_empty_files_are_refused(data):
    with pytest.raises(CsvError):
        read_csv(data)


def test_text_is_quoted_numbers_stay_numbers_missing_values_stay_empty():
    data = write_csv(["Name", "Punkte", "Note", "Bestanden", "Leer"],
                     [["Hamm", 16, 12.5, True, None], ["05915000", -3, Decimal("1.70"), False, ""],
                      ["x", 16.0, float("nan"), 0, 7]])
    assert data.decode("utf-8-sig").splitlines() == [
        '"Name";"Punkte";"Note";"Bestanden";"Leer"',
        '"Hamm";16;12.5;"True";',
        '"05915000";-3;1.70;"False";""',
        '"x";16;"nan";0;7',
    ]
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";",
                           quoting=csv.QUOTE_NONNUMERIC))
    assert rows[1][:3] == ["Hamm", 16.0, 12.5]  # a program that asks for numbers gets them


HOSTILE_CELLS = [
    "=HYPERLINK(\"http://evil.example\",\"x\")", "Hamm, =1+1", "Hamm;=1+1", "Hamm\t=1+1",
    "a, +49 231 123", "b,\t@SUM(A1)", 'c, "=1+1"', "d\n-1+1", "e\r\n=1", "f,'=1", "',=1",
    "x\",=1", "\"\";=cmd|' /C calc'!A0", " @x", "\u00a0=1",
]


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_no_reader_separator_turns_a_text_cell_into_a_formula(delimiter):
    """Whatever separator a program assumes, no field it reads starts like a formula."""
    data = write_csv(["Name", "Wert"], [[cell, cell] for cell in HOSTILE_CELLS]
                     + [["Zahl", -5], ["Betrag", Decimal("-1.5")]])
    text = data.decode("utf-8-sig")
    fields = [field for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
              for field in row]
    assert fields
    dangerous = [field for field in fields
                 if LOOKS_LIKE_FORMULA.match(field) and not NUMBER.match(field)]
    assert dangerous == []


def test_hostile_cells_read_back_unchanged():
    _header, rows = read_csv(write_csv(["Name", "Wert"], [[cell, "x"] for cell in HOSTILE_CELLS]))
    assert [row[0] for row in rows] == [cell.strip() for cell in HOSTILE_CELLS]


cell_texts = st.text(alphabet=st.sampled_from("=+-@'\" \t\r\n,;aZ1ü\u00a0"), max_size=12)
cells = st.one_of(cell_texts, st.integers(-10**6, 10**6), st.none())


@settings(max_examples=300, deadline=None, derandomize=True)
@given(rows=st.lists(st.lists(cells, min_size=1, max_size=4), min_size=1, max_size=4))
def test_any_cells_are_safe_for_every_separator_and_read_back(rows):
    rows = [[f"Spalte {i}" for i in range(4)]] + [["t", *row] for row in rows]
    text = write_csv(rows[0], rows[1:]).decode("utf-8-sig")
    for delimiter in (",", ";", "\t"):
        for field in (f for row in csv.reader(io.StringIO(text, newline=""),
                                              delimiter=delimiter) for f in row):
            assert not LOOKS_LIKE_FORMULA.match(field) or NUMBER.match(field), (delimiter, field)
    _header, read = read_csv(text.encode("utf-8"))
    assert read == [[("" if c is None else str(c)).strip() for c in row] for row in rows[1:]]
