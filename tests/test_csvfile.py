"""CSV for German Excel: BOM, semicolons, no sep= line, codes as text, formulas neutralised."""

from __future__ import annotations

import csv
import io

import pytest

from lms.csvfile import CsvError, neutralise, read_csv, write_csv


@pytest.mark.parametrize(("cell", "written"), [
    ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
    ("+49 231 123", "'+49 231 123"),
    ("-5", "'-5"),
    ("@Dortmund", "'@Dortmund"),
    ("\t=1+1", "'\t=1+1"),
    ("\r=1", "'\r=1"),
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
    assert text.splitlines()[0] == "Kommune;AGS"
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
