"""Rosters: the CSV export read back, the import with its preview, pages that stay flat."""

from __future__ import annotations

import csv
import html
import io

import pytest
from sqlalchemy import select

from cohorts.models import ApplicationStatus, Enrollment, EnrollmentKind
from cohorts.people import PersonDetails
from lms.auth.models import User
from lms.extensions import db
from tests.cohorts.conftest import snapshot
from tests.querycount import count_queries

S = ApplicationStatus
EN = {"Accept-Language": "en"}


def parse(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "Excel needs the byte order mark"
    text = data.decode("utf-8-sig")
    assert not text.lower().startswith("sep=")
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))


def test_roster_export_reads_back(app, client, login, organiser, lecturer, create_cohort,
                                  municipalities, create_application, enroll_person):
    cohort = create_cohort("Studiengruppe 2017", lecturers=(lecturer,))
    create_application(cohort, municipalities["Hamm"], status=S.ACCEPTED, nominees=(
        PersonDetails("=HYPERLINK(\"http://böse.example\")", "a@hamm.de", "-Leitung"),
        PersonDetails("Tobias Brandt", "b@hamm.de", "@Sachgebiet")))
    create_application(cohort, municipalities["Duisburg"], status=S.ACCEPTED)
    enroll_person(cohort, "Bernd Koch", "koch@example.org", function="Mediator",
                  paired=(municipalities["Hamm"],))
    login(organiser)
    response = client.get(f"/cohorts/{cohort.id}/roster.csv", headers=EN)
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert 'filename="Studiengruppe_2017.csv"' in response.headers["Content-Disposition"]
    rows = parse(response.data)
    assert list(rows[0]) == ["Municipality", "AGS", "Administrative region", "Role", "Name",
                             "Email address", "Function", "Phone", "Enrolled since",
                             "Certificate"]  # the last from the certificates plugin
    hamm = [row for row in rows
            if row["Municipality"] == "Hamm" and row["Role"] == "Responsible person"]
    assert {row["AGS"] for row in hamm} == {"05915000"}  # text, leading zero kept
    assert {row["Name"] for row in hamm} == {"'=HYPERLINK(\"http://böse.example\")",
                                             "Tobias Brandt"}
    assert {row["Function"] for row in hamm} == {"'-Leitung", "'@Sachgebiet"}
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows
                   for cell in row.values())
    assert {row["AGS"] for row in rows if row["Municipality"] == "Duisburg"} == {"05112000"}
    mediator = next(row for row in rows if row["Name"] == "Bernd Koch")
    assert (mediator["Role"], mediator["Municipality"]) == ("Mediator", "Hamm")
    assert any(row["Name"] == "Doris Dozentin" and row["Role"] == "Lecturer" for row in rows)
    assert len(rows) == 6


def people_file(*lines: str) -> tuple[io.BytesIO, str]:
    return io.BytesIO(("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")), "people.csv"


def test_import_preview_shows_each_rows_errors_and_writes_nothing(
        app, client, login, organiser, cohort, create_cohort, municipalities,
        create_application):
    create_application(cohort, municipalities["Hamm"], status=S.ACCEPTED)
    create_application(cohort, municipalities["Duisburg"], status=S.ACCEPTED, nominees=(
        PersonDetails("Nur Eine", "eine@duisburg.de"), PersonDetails("Zwei", "zwei@duisburg.de")))
    with app.test_request_context():  # one seat free in Duisburg
        enrollment = db.session.scalars(select(Enrollment).join(Enrollment.user).where(
            User.email == "zwei@duisburg.de")).one()
        enrollment.ended_at = enrollment.started_at
        db.session.commit()
    other = create_cohort("Studiengruppe 2018")
    create_application(other, municipalities["Köln"], status=S.ACCEPTED, nominees=(
        PersonDetails("Vergeben", "vergeben@koeln.de"), PersonDetails("K2", "k2@koeln.de")))
    login(organiser)
    before = snapshot(app)
    response = client.post(f"/cohorts/{cohort.id}/import", headers=EN, data={"file": people_file(
        "Name;E-Mail;Funktion;AGS;Bemerkung",
        "Gute Zeile;gut@duisburg.de;Sozialamt;05112000;",
        "Ohne Adresse;keine-adresse;;;",
        ";leer@example.org;;;",
        "Unbekannt;u@example.org;;09999999;",
        "Kein Platz;k@bielefeld.de;;05711000;",
        "Zu viele;drei@hamm.de;;05915000;",
        "Woanders;vergeben@koeln.de;;05112000;",
        "Doppelt;doppelt@example.org;;;",
        "Doppelt;DOPPELT@example.org;;;",
    )})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Ignored columns: Bemerkung" in page
    for message in ("keine-adresse is not a valid email address.", "Please enter the name.",
                    "No municipality has the key 09999999.",
                    "Bielefeld has no place in this cohort.",
                    "Hamm would send more than 2 persons.",
                    "vergeben@koeln.de is already enrolled in another cohort",
                    "doppelt@example.org appears more than once in the file."):
        assert message in page, message
    assert "nothing can be imported" in page
    assert 'name="confirm"' not in page
    assert snapshot(app) == before

    # a forged confirmation of the same file is refused as a whole
    forged = client.post(f"/cohorts/{cohort.id}/import", headers=EN, data={
        "confirm": "1", "content": "name;email;ags\r\nGut;gut2@duisburg.de;05112000\r\n"
                                   "Schlecht;kaputt;05112000\r\n"})
    assert forged.status_code == 200
    assert "nothing has been imported" in forged.get_data(as_text=True)
    assert snapshot(app) == before


def test_import_without_errors_enrols_everyone(app, client, login, organiser, cohort,
                                               municipalities, create_application):
    create_application(cohort, municipalities["Hamm"], status=S.ACCEPTED, nominees=(
        PersonDetails("Eins", "eins@hamm.de"), PersonDetails("Zwei", "zwei@hamm.de")))
    with app.app_context():
        for enrollment in db.session.scalars(select(Enrollment)):
            enrollment.ended_at = enrollment.started_at
        db.session.commit()
    login(organiser)
    preview = client.post(f"/cohorts/{cohort.id}/import", headers=EN, data={"file": people_file(
        "name,email,function,phone,ags",
        "Sabine Hoffmann,s.hoffmann@hamm.de,Leitung KI,02381 1,05915000",
        "Tobias Brandt,t.brandt@hamm.de,Integration,,05 915 000",
        "Bernd Koch,koch@example.org,Mediator,,",
    )})
    page = preview.get_data(as_text=True)
    assert "3 rows, no errors." in page and 'name="confirm"' in page
    with app.app_context():
        assert db.session.scalar(select(Enrollment).where(Enrollment.ended_at.is_(None))) is None
    content = page.split('name="content" type="hidden" value="', 1)[1].split('"', 1)[0]
    response = client.post(f"/cohorts/{cohort.id}/import",
                           data={"confirm": "1", "content": html.unescape(content)})
    assert response.status_code == 302
    with app.app_context():
        current = db.session.scalars(select(Enrollment).where(Enrollment.ended_at.is_(None))
                                     .order_by(Enrollment.id)).all()
        assert [(e.user.email, e.kind, e.phone) for e in current] == [
            ("s.hoffmann@hamm.de", EnrollmentKind.MUNICIPALITY, "02381 1"),
            ("t.brandt@hamm.de", EnrollmentKind.MUNICIPALITY, ""),
            ("koch@example.org", EnrollmentKind.MEDIATOR, "")]


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"foo;bar\r\n1;2\r\n",
                                     b"name;email\r\n"])
def test_unusable_files(app, client, login, organiser, cohort, content):
    login(organiser)
    before = snapshot(app)
    response = client.post(f"/cohorts/{cohort.id}/import", headers=EN,
                           data={"file": (io.BytesIO(content), "x.csv")})
    assert response.status_code == 200
    assert 'class="error"' in response.get_data(as_text=True)
    assert snapshot(app) == before


def test_oversized_import_file(app, client, login, organiser, cohort, monkeypatch):
    login(organiser)
    page = client.get(f"/cohorts/{cohort.id}/import", headers=EN)
    assert "At most 512 KB." in page.get_data(as_text=True)  # named before it is sent
    before = snapshot(app)
    data = b"name;email\r\n" + b"x;y@example.org\r\n" * 40_000
    response = client.post(f"/cohorts/{cohort.id}/import", headers=EN,
                           data={"file": (io.BytesIO(data), "x.csv")})
    assert "too large" in response.get_data(as_text=True)
    assert snapshot(app) == before
    # above the host's file limit it is refused alike, not with a bare error page
    monkeypatch.setitem(app.config, "MAX_UPLOAD_MB", 1)
    response = client.post(f"/cohorts/{cohort.id}/import", headers=EN,
                           data={"file": (io.BytesIO(data * 2), "x.csv")})
    assert response.status_code == 200 and "too large" in response.get_data(as_text=True)
    assert snapshot(app) == before


# --- queries per page stay flat as data grows ---------------------------------------------


NAMES = ("Hamm", "Duisburg", "Bielefeld", "Kreis Düren", "Kreis Recklinghausen", "Solingen",
         "Bochum", "Köln", "Münster", "Gelsenkirchen", "Oberhausen", "Kreis Lippe")


def _queries(app, client, paths: list[str]) -> dict[str, int]:
    counts = {}
    for path in paths:
        with count_queries(app) as log:
            assert client.get(path).status_code == 200, path
        counts[path] = log.count
    return counts


def test_roster_and_application_list_queries_stay_flat(app, client, login, organiser,
                                                       lecturer, participant, create_cohort,
                                                       municipalities, create_application,
                                                       enroll_person):
    cohort = create_cohort(capacity=20, lecturers=(lecturer,))
    counter = iter(range(1000))

    def grow(names: tuple[str, ...], mediators: int) -> None:
        for name in names:
            create_application(cohort, municipalities[name], status=S.ACCEPTED)
        for _ in range(mediators):
            number = next(counter)
            enroll_person(cohort, f"Mediator {number}", f"mediator.{number}@example.org",
                          paired=tuple(municipalities[n] for n in names))

    create_application(cohort, municipalities["Bonn"], status=S.ACCEPTED, nominees=(
        PersonDetails(participant.display_name, participant.email),
        PersonDetails("X", "x@bonn.de")))
    grow(NAMES[:2], 1)
    paths = [f"/cohorts/{cohort.id}", f"/cohorts/{cohort.id}/applications",
             f"/cohorts/{cohort.id}/roster.csv", "/cohorts/", "/"]
    login(organiser)
    small = _queries(app, client, paths)
    client.post("/logout")
    login(participant)
    small_participant = _queries(app, client, [f"/cohorts/{cohort.id}", "/"])

    grow(NAMES[2:], 3)
    for name in ("Dortmund", "Essen", "Hagen"):
        create_application(cohort, municipalities[name])
    large_participant = _queries(app, client, [f"/cohorts/{cohort.id}", "/"])
    client.post("/logout")
    login(organiser)
    large = _queries(app, client, paths)

    assert large == small
    assert large_participant == small_participant
    assert max(small.values()) <= 16, small
