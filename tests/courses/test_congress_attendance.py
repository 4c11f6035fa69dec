"""Attendance: the organisers' list and its exports (CSV, XLSX), and capacity under concurrency.

In the concurrency tests each person registers as a separate gunicorn worker would
(``tests.concurrency``).
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select

from courses import congresses as rules
from courses.congress_models import Attendance, AttendanceStatus, Congress
from lms.auth.models import User
from lms.csvfile import BOM, read_csv
from lms.extensions import db
from tests.concurrency import run_at_once
from tests.courses.congress_factories import BEFORE, make_congress, when
from tests.workbooks import XLSX_TYPE, read_sheet, sheet_rows

THREADS = 8
CAPACITY = 3


def _register(app, congress_id: int, user_ids: list[int], *, minutes_apart: bool = True):
    with app.test_request_context():
        congress = db.session.get(Congress, congress_id)
        for offset, ident in enumerate(user_ids):
            moment = BEFORE.replace(minute=offset) if minutes_apart else BEFORE
            rules.register(congress, db.session.get(User, ident), now=moment)
        db.session.commit()


def test_the_csv_export_lists_everyone_for_german_excel(app, course, organiser, login,
                                                        create_user):
    congress_id = make_congress(app, course.id, capacity=1)
    people = [create_user(name="Änne Öztürk").id, create_user(name="=Formel").id]
    _register(app, congress_id, people)
    response = login(organiser).get(f"/congresses/{congress_id}/attendance.csv",
                                    headers={"Accept-Language": "de"})
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith(
        f'attachment; filename="kongress-{congress_id}-anmeldungen.csv";')
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.data.startswith(BOM.encode("utf-8"))
    assert b";" in response.data.splitlines()[0]
    assert b"'=Formel" in response.data  # neutralised for spreadsheets
    header, rows = read_csv(response.data)
    with app.test_request_context(), force_locale("de"):
        assert header == [_("Name"), _("Email address"), _("Status"),
                          _("Registered at (Berlin time)")]
        registered, waitlisted = AttendanceStatus.REGISTERED.label, \
            AttendanceStatus.WAITLISTED.label
    assert [row[0] for row in rows] == ["Änne Öztürk", "=Formel"]
    assert [row[2] for row in rows] == [registered, waitlisted]
    assert rows[0][1].endswith("@example.org")
    assert rows[0][3] == "01.11.2017 12:00"  # 11:00 UTC, shown in Berlin time


def test_the_xlsx_export_has_real_times_and_text_names(app, course, organiser, login,
                                                       create_user):
    congress_id = make_congress(app, course.id, capacity=1)
    people = [create_user(name="Änne Öztürk").id, create_user(name="=Formel").id]
    _register(app, congress_id, people)
    response = login(organiser).get(f"/congresses/{congress_id}/attendance.xlsx",
                                    headers={"Accept-Language": "de"})
    assert response.status_code == 200
    assert response.mimetype == XLSX_TYPE
    assert response.headers["Content-Disposition"].startswith(
        f'attachment; filename="kongress-{congress_id}-anmeldungen.xlsx";')
    sheet = read_sheet(response.data)
    assert sheet.title == "Anmeldeliste"
    header, first, second = sheet_rows(sheet)
    assert header == ("Name", "E-Mail-Adresse", "Status", "Angemeldet am (Berliner Zeit)")
    assert first[0] == "Änne Öztürk" and first[3] == datetime(2017, 11, 1, 12, 0)
    assert sheet["D2"].is_date and sheet["D2"].number_format == "DD.MM.YYYY HH:MM"
    assert second[0] == "=Formel" and sheet["A3"].data_type == "s"
    assert second[3] == datetime(2017, 11, 1, 12, 1)


def test_the_attendance_page_counts_and_lists(app, course, organiser, login, create_user):
    congress_id = make_congress(app, course.id, capacity=1)
    _register(app, congress_id, [create_user(name=name).id for name in ("Ada", "Bert")])
    body = login(organiser).get(f"/congresses/{congress_id}/attendance").get_data(as_text=True)
    assert body.index("Ada") < body.index("Bert")
    assert "<strong>1</strong>" in body
    for format in ("xlsx", "csv"):
        assert f'href="/congresses/{congress_id}/attendance.{format}"' in body


def test_the_congress_page_tells_people_their_state_and_places_left(app, course, login,
                                                                    create_user):
    congress_id = make_congress(app, course.id, capacity=1)
    first, second = create_user(), create_user()
    _register(app, congress_id, [first.id, second.id])
    # registration has closed (the congress lies in the past): the state is still shown
    with app.test_request_context(), force_locale("en"):
        waiting = _("You are on the waiting list.")
    body = login(second).get(f"/congresses/{congress_id}",
                             headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert waiting in body and 'id="register"' not in body


# --- Concurrency -----------------------------------------------------------------------------


def _at_once(app, congress_id: int, user_ids: list[int]) -> list[str]:
    """Every person registers at the same moment; the outcome is their status."""
    def register(user_id: int):
        return lambda: rules.register(db.session.get(Congress, congress_id),
                                      db.session.get(User, user_id), now=BEFORE).status.value

    outcomes = run_at_once(app, [register(ident) for ident in user_ids])
    return [outcome.split(":", 1)[0] for outcome in outcomes]


def _count(app, status: AttendanceStatus) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Attendance.id)).where(
            Attendance.status == status))


def test_concurrent_registrations_never_exceed_the_capacity(app, course,
                                                            create_user):
    congress_id = make_congress(app, course.id, capacity=CAPACITY)
    people = [create_user().id for _ in range(THREADS)]

    outcomes = _at_once(app, congress_id, people)

    assert sorted(outcomes) == (["registered"] * CAPACITY
                                + ["waitlisted"] * (THREADS - CAPACITY))
    assert _count(app, AttendanceStatus.REGISTERED) == CAPACITY


def test_a_double_click_from_two_workers_registers_once(app, course, create_user):
    congress_id = make_congress(app, course.id, capacity=CAPACITY)
    person = create_user().id

    outcomes = _at_once(app, congress_id, [person] * 4)

    assert sorted(outcomes) == ["refused"] * 3 + ["registered"]
    assert _count(app, AttendanceStatus.REGISTERED) == 1


def test_a_full_congress_says_it_is_fully_booked(app, course, organiser, login, create_user):
    congress_id = make_congress(app, course.id, capacity=1,
                                starts_at=when("2099-06-10 10:00"),
                                ends_at=when("2099-06-10 16:00"))
    client = login(organiser)
    page = client.get(f"/congresses/{congress_id}", headers={"Accept-Language": "de"})
    assert "Noch 1 Platz frei" in page.get_data(as_text=True)
    _register(app, congress_id, [create_user().id])
    page = client.get(f"/congresses/{congress_id}",
                      headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert "Ausgebucht: Weitere Anmeldungen kommen auf die Warteliste." in page
    assert "0 Plätze" not in page
