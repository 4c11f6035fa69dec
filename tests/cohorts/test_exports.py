"""The cohort plugin's table exports as workbooks: roster and applications, and their links."""

from __future__ import annotations

import html
from datetime import datetime, timedelta

from sqlalchemy import select

from cohorts.models import Application, ApplicationStatus, Municipality
from cohorts.people import PersonDetails
from lms.csvfile import read_csv
from lms.dates import berlin_today
from lms.extensions import db
from lms.i18n import BERLIN
from tests.workbooks import XLSX_TYPE, by_header, read_sheet, sheet_rows

S = ApplicationStatus
EN = {"Accept-Language": "en"}
DE = {"Accept-Language": "de"}


def test_the_roster_workbook_keeps_keys_names_and_dates(
        client, login, organiser, lecturer, create_cohort, municipalities, create_application,
        enroll_person):
    cohort = create_cohort("Studiengruppe 2017/18: Köln", lecturers=(lecturer,))
    create_application(cohort, municipalities["Bielefeld"], status=S.ACCEPTED, nominees=(
        PersonDetails("=HYPERLINK(\"http://böse.example\")", "a@bielefeld.de", "-Leitung"),
        PersonDetails("Jörg Groß", "b@bielefeld.de")))
    enroll_person(cohort, "Bernd Koch", "koch@example.org",
                  paired=(municipalities["Bielefeld"],))
    login(organiser)
    response = client.get(f"/cohorts/{cohort.id}/roster.xlsx", headers=EN)
    assert response.status_code == 200
    assert response.mimetype == XLSX_TYPE
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="Studiengruppe_2017_18_Koln.xlsx"; '
        "filename*=UTF-8''Studiengruppe_2017_18_K%C3%B6ln.xlsx")
    assert response.headers["Cache-Control"] == "private, no-store"
    sheet = read_sheet(response.data)
    assert sheet.title == "Roster"
    assert sheet.parent.properties.title == "Roster Studiengruppe 2017/18: Köln"
    rows = {row["Name"].value: row for row in by_header(sheet)}
    formula, joerg = rows['=HYPERLINK("http://böse.example")'], rows["Jörg Groß"]
    assert formula["Name"].data_type == "s" and formula["Function"].value == "-Leitung"
    assert formula["Function"].data_type == "s"
    assert joerg["AGS"].value == "05711000" and joerg["AGS"].data_type == "s"
    assert joerg["Municipality"].value == "Bielefeld"
    assert joerg["Phone"].value is None and joerg["Function"].value is None  # empty cells
    since = joerg["Enrolled since"]
    assert since.is_date and since.number_format == "DD.MM.YYYY"
    assert since.value == datetime.combine(berlin_today(), datetime.min.time())
    mediator = rows["Bernd Koch"]
    assert (mediator["Municipality"].value, mediator["AGS"].value) == ("Bielefeld", "05711000")
    assert mediator["Administrative region"].value is None
    doris = rows["Doris Dozentin"]
    assert (doris["Role"].value, doris["AGS"].value, doris["Enrolled since"].value) == (
        "Lecturer", None, None)
    # other plugins' columns of the cohort's people: the certificate rule's verdict
    assert (joerg["Certificate"].value, doris["Certificate"].value) == ("met", None)
    # the CSV holds the same cells for programs, the lecturer's missing ones empty
    _header, csv_rows = read_csv(client.get(f"/cohorts/{cohort.id}/roster.csv",
                                            headers=EN).data)
    assert ["", "", "", "Lecturer", "Doris Dozentin"] in [row[:5] for row in csv_rows]
    assert [row[8] for row in csv_rows if row[4] == "Jörg Groß"] == [
        berlin_today().strftime("%d.%m.%Y")]


def test_the_applications_export_follows_the_lists_filters(
        app, client, login, organiser, cohort, municipalities, create_application):
    create_application(cohort, municipalities["Bielefeld"], nominees=(
        PersonDetails("Änne Öztürk", "ae@bielefeld.de", "Leitung"),
        PersonDetails("=1+1", "x@bielefeld.de")))
    create_application(cohort, municipalities["Hamm"], status=S.WAITLISTED)
    with app.app_context():
        submitted = db.session.scalar(select(Application.submitted_at).join(
            Application.municipality).where(Application.cohort_id == cohort.id)
            .order_by(Application.id))
    login(organiser)
    sheet = read_sheet(client.get(f"/cohorts/{cohort.id}/applications.xlsx", headers=DE).data)
    assert sheet.title == "Bewerbungen"
    header, *rows = sheet_rows(sheet)
    assert header == ("Eingereicht", "Kommune", "AGS", "Art", "Regierungsbezirk", "Status",
                      "Status seit", "Ansprechperson", "E-Mail-Adresse", "Telefon",
                      "Benannte Personen")
    assert [row[1:3] for row in rows] == [("Bielefeld", "05711000"), ("Hamm", "05915000")]
    first = by_header(sheet)[0]
    assert first["Eingereicht"].is_date
    assert first["Eingereicht"].number_format == "DD.MM.YYYY HH:MM"
    berlin = submitted.astimezone(BERLIN).replace(tzinfo=None)  # Excel's wall-clock time
    assert abs(first["Eingereicht"].value - berlin) < timedelta(seconds=1)
    assert first["Telefon"].value == "0231 123"  # text: the leading zero stays
    assert first["Benannte Personen"].value == (
        "Änne Öztürk <ae@bielefeld.de>; =1+1 <x@bielefeld.de>")
    assert all(first[name].data_type == "s" for name in ("AGS", "Telefon", "Benannte Personen"))
    # the list's filters narrow the export alike, in both formats
    waiting = client.get(f"/cohorts/{cohort.id}/applications.xlsx?status=waitlisted",
                         headers=DE).data
    assert [row[1] for row in sheet_rows(read_sheet(waiting))[1:]] == ["Hamm"]
    _header, csv_rows = read_csv(client.get(
        f"/cohorts/{cohort.id}/applications.csv?q=biele", headers=DE).data)
    assert [row[1:3] for row in csv_rows] == [["Bielefeld", "05711000"]]
    assert csv_rows[0][0] == submitted.astimezone(BERLIN).strftime("%d.%m.%Y %H:%M")


def test_the_municipalities_export_keeps_every_key_as_text(
        app, client, login, organiser, municipalities):
    with app.app_context():
        bielefeld = db.session.get(Municipality, municipalities["Bielefeld"].id)
        bielefeld.contact_name, bielefeld.address = "+Ina Ißler", "Niederwall 23\n33602 Bielefeld"
        db.session.commit()
    login(organiser)
    sheet = read_sheet(client.get("/municipalities/export.xlsx", headers=DE).data)
    assert sheet.title == "Kommunen"
    rows = by_header(sheet)
    assert len(rows) == 53
    assert all(row["AGS"].data_type == "s" and len(row["AGS"].value) == 8
               and row["AGS"].value.startswith("05") for row in rows)
    row = next(row for row in rows if row["Name"].value == "Bielefeld")
    assert [row[name].value for name in ("AGS", "Ansprechperson", "Anschrift",
                                         "Amtliche Liste", "Telefon")] == [
        "05711000", "+Ina Ißler", "Niederwall 23\n33602 Bielefeld", "ja", None]
    _header, csv_rows = read_csv(client.get("/municipalities/export.csv?kind=kreis&q=05",
                                            headers=DE).data)
    assert len(csv_rows) == 31 and {row[2] for row in csv_rows} == {"Kreis"}
    assert all(len(row[0]) == 8 for row in csv_rows)


def test_the_pages_link_both_formats(client, login, organiser, cohort, municipalities,
                                     create_application):
    create_application(cohort, municipalities["Hamm"], status=S.ACCEPTED)
    login(organiser)
    page = client.get(f"/cohorts/{cohort.id}", headers=DE).get_data(as_text=True)
    for format in ("xlsx", "csv"):
        assert f'href="/cohorts/{cohort.id}/roster.{format}"' in page
    assert "Excel (XLSX)" in page and "CSV (für Programme)" in page
    page = html.unescape(client.get(f"/cohorts/{cohort.id}/applications?status=accepted",
                                    headers=DE).get_data(as_text=True))
    for format in ("xlsx", "csv"):
        assert f'href="/cohorts/{cohort.id}/applications.{format}?status=accepted"' in page
    page = html.unescape(client.get("/municipalities/?kind=kreis", headers=DE)
                         .get_data(as_text=True))
    for format in ("xlsx", "csv"):
        assert f'href="/municipalities/export.{format}?kind=kreis"' in page


def test_an_unknown_format_is_not_found(client, login, organiser, cohort):
    login(organiser)
    for path in ("roster.xls", "roster.pdf", "applications.XLSX", "roster."):
        assert client.get(f"/cohorts/{cohort.id}/{path}").status_code == 404
