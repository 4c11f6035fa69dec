"""The record of processing activities: complete for every table that names a person, and
readable and exportable by organisers only (the route table in ``test_access``)."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import Table

from lms.extensions import db
from lms.processing import processing_record
from tests.workbooks import read_sheet

#: columns that hold a person's own details, wherever they stand
PERSONAL_COLUMNS = frozenset({"email", "contact_email", "contact_name", "contact_phone",
                              "phone", "recipient", "holder_name", "display_name"})
#: tables whose rows are people without an account (their ``name`` is a person's)
PEOPLE_WITHOUT_ACCOUNTS = frozenset({"cohort_nominees", "congress_speakers"})


def _names_a_person(table: Table) -> bool:
    return (table.name in PEOPLE_WITHOUT_ACCOUNTS
            or any(column.name in PERSONAL_COLUMNS for column in table.columns)
            or any(key.column.table.name == "users" for column in table.columns
                   for key in column.foreign_keys))


def test_every_table_that_names_a_person_is_in_the_record(app: Flask):
    with app.app_context():
        declared = [table for entry in processing_record() for table in entry.declared.tables]
        tables = {table.name: table for table in db.metadata.sorted_tables}
    assert len(declared) == len(set(declared)), "a table is declared twice"
    assert not set(declared) - set(tables), "declared tables that do not exist"
    undeclared = sorted(name for name, table in tables.items()
                        if _names_a_person(table) and name not in declared)
    assert not undeclared, f"tables keeping personal data without a declaration: {undeclared}"


def test_every_part_declares_its_data(app: Flask):
    with app.app_context():
        parts = {entry.part for entry in processing_record()}
    assert parts == {"lms", "courses", "cohorts", "assignments", "steps", "certificates",
                     "advice"}


def test_organisers_read_the_record_in_german_and_export_it(client, login, organiser):
    login(organiser)
    page = client.get("/admin/processing", headers={"Accept-Language": "de"})
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Verzeichnis der Verarbeitungstätigkeiten" in text
    for title in ("Konten", "Anwesenheit", "Bewertungen und Feedback",
                  "Zertifikate"):
        assert f'<th scope="row">{title}</th>' in text
    workbook = client.get("/admin/processing.xlsx", headers={"Accept-Language": "de"})
    rows = list(read_sheet(workbook.data).iter_rows(values_only=True))
    assert rows[0][:3] == ("Teil", "Verarbeitung", "Betroffene Personen")
    assert any(row[1] == "Zertifikate" and "certificates" in row[6] for row in rows[1:])
