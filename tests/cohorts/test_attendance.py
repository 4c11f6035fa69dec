"""Attendance at sessions: the rate at its edges, the list of a session (all present until
saved, corrections kept), one's own attendance, the matrix and its export, the course's
rule for excused absences, and saving the same list at once."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from flask import Flask
from sqlalchemy import func, select

from cohorts.attendance import (
    Standing,
    attendance_matrix,
    attendance_rate,
    cell,
    rate_of,
    record_attendance,
)
from cohorts.attendance_models import AttendanceChange, AttendanceStatus, SessionAttendance
from cohorts.models import ApplicationStatus, Cohort, Enrollment
from cohorts.people import PersonDetails
from courses.models import Course, Module, Session
from lms.auth.models import Role, User
from lms.dates import berlin_to_utc
from lms.db import utcnow
from lms.extensions import db
from tests.concurrency import run_at_once
from tests.workbooks import by_header, read_sheet

P, E, A = AttendanceStatus.PRESENT, AttendanceStatus.EXCUSED, AttendanceStatus.ABSENT
NOW = datetime(2018, 6, 1, 12, tzinfo=UTC)


def at(text: str) -> datetime:
    return berlin_to_utc(datetime.fromisoformat(text))


# --- The rule, on objects that need no database ---------------------------------------------


def sessions(*starts: str, cancelled: tuple[int, ...] = ()) -> list[Session]:
    return [Session(id=number, starts_at=at(start), ends_at=at(start) + timedelta(hours=6),
                    cancelled=number in cancelled)
            for number, start in enumerate(starts, start=1)]


def enrollment(started: str = "2017-05-01 00:00", ended: str | None = None) -> Enrollment:
    return Enrollment(id=1, started_at=at(started), ended_at=at(ended) if ended else None)


FIVE = sessions("2017-05-18 10:00", "2017-06-22 10:00", "2017-09-14 10:00",
                "2017-11-09 10:00", "2018-01-18 10:00")


def test_exactly_eighty_percent():
    rate = rate_of(enrollment(), FIVE, dict(zip(range(1, 6), (P, P, P, P, A), strict=True)),
                   excused_count=False, now=NOW)
    assert (rate.attended, rate.counted, rate.percent) == (4, 5, Decimal("80.0"))


def test_the_percent_is_cut_not_rounded():
    """79.96 percent must not read as 80: the rate is cut to one decimal."""
    many = sessions(*[f"2017-05-{day:02d} 10:00" for day in range(2, 27)])  # 25 sessions
    statuses = {session.id: P for session in many} | {1: A, 2: A, 3: A, 4: A, 5: A, 6: A}
    rate = rate_of(enrollment(), many, statuses, excused_count=False, now=NOW)
    assert rate.percent == Decimal("76.0")
    three = rate_of(enrollment(), FIVE[:3], {1: P, 2: P, 3: A}, excused_count=False, now=NOW)
    assert three.percent == Decimal("66.6")


@pytest.mark.parametrize(("excused_count", "attended", "percent"),
                         [(True, 4, Decimal("80.0")), (False, 3, Decimal("60.0"))])
def test_an_excused_absence_counts_as_the_course_says(excused_count, attended, percent):
    rate = rate_of(enrollment(), FIVE, dict(zip(range(1, 6), (P, P, P, E, A), strict=True)),
                   excused_count=excused_count, now=NOW)
    assert (rate.excused, rate.attended, rate.counted, rate.percent) == (
        1, attended, 5, percent)


def test_a_cancelled_session_does_not_count_even_with_a_list():
    cancelled = sessions("2017-05-18 10:00", "2017-06-22 10:00", "2017-09-14 10:00",
                         "2017-11-09 10:00", "2018-01-18 10:00", cancelled=(5,))
    rate = rate_of(enrollment(), cancelled, dict(zip(range(1, 6), (P, P, P, A, A),
                                                     strict=True)), excused_count=False, now=NOW)
    assert (rate.counted, rate.absent, rate.percent) == (4, 1, Decimal("75.0"))
    assert cell(cancelled[4], enrollment(), A, NOW) is Standing.CANCELLED


def test_a_future_session_does_not_count():
    later = sessions("2017-05-18 10:00", "2018-06-01 16:00")  # two hours after NOW (14:00)
    rate = rate_of(enrollment(), later, {1: P}, excused_count=False, now=NOW)
    assert (rate.counted, rate.unrecorded, rate.percent) == (1, 0, Decimal("100.0"))
    assert cell(later[1], enrollment(), None, NOW) is Standing.UPCOMING


def test_sessions_before_a_late_enrollment_and_after_its_end_do_not_count():
    late = enrollment(started="2017-09-14 15:00", ended="2017-11-09 09:00")
    # enrolled in the afternoon of the third session's day: that day counts, the earlier
    # two do not; the fourth began after the enrollment ended
    rate = rate_of(late, FIVE, {3: P}, excused_count=False, now=NOW)
    assert (rate.counted, rate.percent) == (1, Decimal("100.0"))
    assert [cell(s, late, None, NOW) for s in FIVE] == [
        Standing.NOT_ENROLLED, Standing.NOT_ENROLLED, Standing.UNRECORDED,
        Standing.NOT_ENROLLED, Standing.NOT_ENROLLED]


def test_an_unsaved_list_is_reported_not_counted():
    rate = rate_of(enrollment(), FIVE, {1: P, 2: A}, excused_count=True, now=NOW)
    assert (rate.counted, rate.unrecorded, rate.percent) == (2, 3, Decimal("50.0"))
    assert rate_of(enrollment(), FIVE, {}, excused_count=True, now=NOW).percent is None


# --- Lists through the pages ----------------------------------------------------------------


@pytest.fixture
def world(app: Flask, course, create_cohort, municipalities, create_application,
          enroll_person, organiser, lecturer, participant, create_user):
    """A cohort taught by the lecturer, Hamm's two people (one of them the participant) and
    a mediator, all enrolled since May 2017; sessions past, cancelled and to come."""
    teaching = create_cohort("Studiengruppe 2017", lecturers=(lecturer,))
    other = create_cohort("Studiengruppe 2018")
    create_application(teaching, municipalities["Hamm"], status=ApplicationStatus.ACCEPTED,
                       nominees=(PersonDetails(participant.display_name, participant.email,
                                               "Integration"),
                                 PersonDetails("Zweite Person", "zweite@hamm.de", "Sozialamt")))
    enroll_person(teaching, "Bernd Koch", "koch@example.org", function="Mediator")
    guest = create_user("gast@example.org", name="Gast Person")
    with app.app_context():
        for person in db.session.scalars(select(Enrollment)):
            person.started_at = at("2017-05-01 00:00")
        module = Module(course_id=course.id, position=1, title="Grundlagen", published=True)
        future = datetime.now(UTC) + timedelta(days=30)
        made = {
            "past": Session(module=module, cohort_id=teaching.id, starts_at=at("2017-05-18 10:00"),
                            ends_at=at("2017-05-18 16:00"), location="Dortmund"),
            "all": Session(module=module, cohort_id=None, starts_at=at("2017-06-22 10:00"),
                           ends_at=at("2017-06-22 16:00")),
            "cancelled": Session(module=module, cohort_id=teaching.id, cancelled=True,
                                 starts_at=at("2017-07-06 10:00"), ends_at=at("2017-07-06 16:00")),
            "future": Session(module=module, cohort_id=teaching.id, starts_at=future,
                              ends_at=future + timedelta(hours=6)),
            "other": Session(module=module, cohort_id=other.id, starts_at=at("2018-03-01 10:00"),
                             ends_at=at("2018-03-01 16:00")),
        }
        db.session.add_all(made.values())
        db.session.commit()
        people = {e.user.email: e.id for e in db.session.scalars(
            select(Enrollment).where(Enrollment.cohort_id == teaching.id))}
        return {"cohort": teaching.id, "other": other.id, "course": course.id,
                "sessions": {name: s.id for name, s in made.items()}, "people": people,
                "participant": participant, "lecturer": lecturer, "organiser": organiser,
                "guest": guest}


def list_url(world, name: str = "past") -> str:
    return f"/cohorts/{world['cohort']}/attendance/{world['sessions'][name]}"


def recorded(app: Flask, session_id: int) -> dict[int, AttendanceStatus]:
    with app.app_context():
        return dict(db.session.execute(
            select(SessionAttendance.enrollment_id, SessionAttendance.status)
            .where(SessionAttendance.session_id == session_id)).all())


def count(app: Flask, model: type) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_a_list_never_saved_shows_everyone_present_and_saving_records_it(app, world,
                                                                          client_for):
    client = client_for(world["lecturer"])
    page = client.get(list_url(world), headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert len(re.findall(r'value="present"[^>]* checked', page)) == 3
    assert '<th scope="col">Kommune</th>' in page  # beside each name, its municipality
    assert not re.findall(r'value="(absent|excused)"[^>]* checked', page)
    assert count(app, SessionAttendance) == 0  # the page wrote nothing

    response = client.post(list_url(world), data={})
    assert response.status_code == 302
    assert recorded(app, world["sessions"]["past"]) == dict.fromkeys(
        world["people"].values(), P)
    page = client.get(list_url(world)).get_data(as_text=True)
    assert "Doris Dozentin" in page and "Bisher keine Korrekturen." in page


def test_corrections_are_kept_and_a_double_submit_adds_nothing(app, world, client_for):
    second = world["people"]["zweite@hamm.de"]
    client_for(world["lecturer"]).post(list_url(world), data={})
    organiser = client_for(world["organiser"])
    for _ in range(2):  # the second is a double submit
        assert organiser.post(list_url(world), data={f"status-{second}": "absent"}
                              ).status_code == 302
    assert recorded(app, world["sessions"]["past"])[second] is A
    assert count(app, SessionAttendance) == 3
    with app.app_context():
        changes = db.session.scalars(select(AttendanceChange)).all()
        assert [(c.from_status, c.to_status, c.actor.email) for c in changes] == [
            (P, A, world["organiser"].email)]
    page = organiser.get(list_url(world), headers={"Accept-Language": "de"}).get_data(
        as_text=True)
    history = page.split('id="history-heading"', 1)[1]
    assert "Zweite Person" in history and "Olga Organisatorin" in history
    assert "anwesend" in history and "abwesend" in history


@pytest.mark.parametrize(("name", "data"), [
    ("cancelled", {}), ("future", {}),
    ("past", {"status-999999": "absent"}),           # nobody of this list
    ("past", {"status-1": "maybe"}),                 # no status
])
def test_a_refused_save_changes_nothing(app, world, client_for, name, data):
    client = client_for(world["organiser"])
    response = client.post(list_url(world, name), data=data)
    assert response.status_code == 200
    assert count(app, SessionAttendance) == 0


def test_a_session_of_another_cohort_is_not_found(world, client_for):
    client = client_for(world["organiser"])
    assert client.get(list_url(world, "other")).status_code == 404
    assert client.post(list_url(world, "other"), data={}).status_code == 404
    assert client.get(list_url(world, "all")).status_code == 200  # for every cohort


def test_a_participant_sees_only_their_own_attendance(app, world, client_for):
    own, second = world["people"][world["participant"].email], world["people"]["zweite@hamm.de"]
    client_for(world["organiser"]).post(list_url(world), data={f"status-{own}": "excused",
                                                              f"status-{second}": "absent"})
    client = client_for(world["participant"])
    page = client.get("/cohorts/mine/attendance", headers={"Accept-Language": "de"}
                      ).get_data(as_text=True)
    assert "entschuldigt" in page and "abwesend" not in page
    assert "Zweite Person" not in page and "Bernd Koch" not in page
    # the excused absence does not count as attended in this course: 0 of 1
    assert "0 von 1" in page and "0,0 %" in page
    assert "nicht erfasst" in page  # the session for all cohorts: its list is not saved
    assert "abgesagt" in page and "anstehend" in page
    for url in (list_url(world), f"/cohorts/{world['cohort']}/attendance",
                f"/cohorts/{world['cohort']}/attendance.xlsx"):
        assert client.get(url).status_code == 403
    assert client.post(list_url(world), data={f"status-{second}": "present"}).status_code == 403
    assert recorded(app, world["sessions"]["past"])[second] is A
    guest = client_for(world["guest"]).get("/cohorts/mine/attendance").get_data(as_text=True)
    assert "Paul Teilnehmer" not in guest and "entschuldigt" not in guest


def test_the_matrix_and_its_export(app, world, client_for):
    own, second = world["people"][world["participant"].email], world["people"]["zweite@hamm.de"]
    client = client_for(world["lecturer"])
    client.post(list_url(world), data={f"status-{second}": "absent"})
    client.post(list_url(world, "all"), data={f"status-{own}": "excused"})

    page = client.get(f"/cohorts/{world['cohort']}/attendance").get_data(as_text=True)
    assert "Zweite Person" in page and "50,0 %" in page
    response = client.get(f"/cohorts/{world['cohort']}/attendance.xlsx")
    rows = {row["Name"].value: {title: cell.value for title, cell in row.items()}
            for row in by_header(read_sheet(response.data))}
    assert set(rows) == {"Paul Teilnehmer", "Zweite Person", "Bernd Koch"}
    rate = "Anwesenheitsquote (%)"
    assert rows["Zweite Person"]["AGS"] == "05915000"
    assert rows["Zweite Person"][rate] == 50
    assert rows["Paul Teilnehmer"][rate] == 50  # excused does not count as attended here
    assert rows["Bernd Koch"][rate] == 100
    assert rows["Bernd Koch"]["Gezählte Präsenztermine"] == 2
    cancelled = next(title for title in rows["Bernd Koch"] if title.startswith("06.07.2017"))
    assert rows["Bernd Koch"][cancelled] == "abgesagt"

    with app.app_context():
        course = db.session.get(Course, world["course"])
        course.excused_counts_as_attended = True
        db.session.commit()
    response = client.get(f"/cohorts/{world['cohort']}/attendance.csv")
    text = response.data.decode("utf-8-sig")
    table = {row["Name"]: row for row in csv.DictReader(io.StringIO(text), delimiter=";")}
    assert table["Paul Teilnehmer"][rate] in {"100.0", "100,0"}
    assert table["Zweite Person"]["AGS"] == "05915000"


def test_the_domain_rate_reads_the_course_rule(app, world):
    own = world["people"][world["participant"].email]
    with app.test_request_context():
        cohort = db.session.get(Cohort, world["cohort"])
        session = db.session.get(Session, world["sessions"]["past"])
        record_attendance(cohort, session, {own: E}, actor=db.session.get(User, world[
            "organiser"].id))
        enrollment = db.session.get(Enrollment, own)
        assert attendance_rate(enrollment).percent == Decimal("0.0")
        cohort.course.excused_counts_as_attended = True
        assert attendance_rate(enrollment).percent == Decimal("100.0")


def test_only_organisers_set_the_course_rule(app, world, client_for):
    url = f"/course/{world['course']}/edit"
    lecturer = client_for(world["lecturer"])
    assert "excused_counts_as_attended" not in lecturer.get(url).get_data(as_text=True)
    with app.app_context():
        course = db.session.get(Course, world["course"])
        # the course must end after the world's session to come
        data = {"title": course.title, "description": "", "certificate_requirements": "",
                "starts_at": "2017-05-01T00:00", "ends_at": "2099-12-31T23:59",
                "excused_counts_as_attended": "y"}
    assert lecturer.post(url, data=data).status_code == 302
    with app.app_context():
        assert db.session.get(Course, world["course"]).excused_counts_as_attended is False
    organiser = client_for(world["organiser"])
    assert "excused_counts_as_attended" in organiser.get(url).get_data(as_text=True)
    assert organiser.post(url, data=data).status_code == 302
    with app.app_context():
        assert db.session.get(Course, world["course"]).excused_counts_as_attended is True


# --- Saving the same list at once -----------------------------------------------------------


def test_saving_the_same_list_at_once_keeps_one_row_per_person(app, world):
    session_id, cohort_id = world["sessions"]["past"], world["cohort"]
    second = world["people"]["zweite@hamm.de"]

    def save(status: AttendanceStatus, actor_id: int):
        def job() -> int:
            return record_attendance(db.session.get(Cohort, cohort_id),
                                     db.session.get(Session, session_id), {second: status},
                                     actor=db.session.get(User, actor_id))
        return job

    outcomes = run_at_once(app, [save(A, world["organiser"].id), save(A, world["lecturer"].id)])
    assert sorted(outcomes) == ["0", "3"], outcomes  # the second found the first's rows
    assert recorded(app, session_id) == {**dict.fromkeys(world["people"].values(), P),
                                         second: A}
    assert count(app, AttendanceChange) == 0

    outcomes = run_at_once(app, [save(E, world["organiser"].id), save(P, world["lecturer"].id)])
    assert sorted(outcomes) == ["1", "1"], outcomes
    assert count(app, SessionAttendance) == 3
    with app.app_context():
        changes = db.session.scalars(select(AttendanceChange).order_by(AttendanceChange.id)).all()
        # each correction starts where the one before it ended
        assert changes[0].from_status is A and changes[1].from_status is changes[0].to_status
        assert recorded(app, session_id)[second] is changes[1].to_status


# --- The demo -------------------------------------------------------------------------------


def test_the_demo_has_attendance_for_every_held_session_of_both_cohorts(app, demo_world):
    with app.test_request_context():
        for key in ("cohort-2017", "cohort-2018"):
            cohort = db.session.scalar(select(Cohort).where(Cohort.demo_key == key))
            matrix = attendance_matrix(cohort)
            held = [s for s in matrix.sessions if not s.cancelled and s.starts_at <= utcnow()]
            assert held and matrix.rows
            assert all(row.rate.unrecorded == 0 for row in matrix.rows), key
            found = {value for row in matrix.rows for value in row.cells}
            assert {P, E, A} <= found, key
            present = sum(row.rate.present for row in matrix.rows)
            assert present > 0.85 * sum(row.rate.counted for row in matrix.rows)
        assert db.session.scalar(select(func.count()).select_from(AttendanceChange)) >= 1
        before = db.session.scalar(select(func.count()).select_from(SessionAttendance))
    assert app.test_cli_runner().invoke(args=["lms", "seed-demo"]).exit_code == 0
    with app.app_context():  # a second run adds nothing
        assert db.session.scalar(select(func.count()).select_from(SessionAttendance)) == before


def test_a_lecturer_who_does_not_teach_the_cohort_keeps_no_list(app, world, create_user,
                                                                client_for):
    other = client_for(create_user("fremd@example.org", Role.LECTURER, name="Fremde Dozentin"))
    for url in (list_url(world), f"/cohorts/{world['cohort']}/attendance",
                f"/cohorts/{world['cohort']}/attendance.csv"):
        assert other.get(url).status_code == 403
    assert other.post(list_url(world), data={}).status_code == 403
    assert count(app, SessionAttendance) == 0
