"""Setting up and changing cohorts: the rules, the pages, the lecturers; and the demo."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from cohorts.attendance import cohort_sessions
from cohorts.demo import seed_demo
from cohorts.models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    Cohort,
    Enrollment,
    EnrollmentKind,
    FieldRule,
    Municipality,
    Procedure,
)
from courses.demo import demo_sessions_of_year
from courses.models import Session
from lms.auth.models import User
from lms.demo import DEMO_PARTICIPANTS, MEDIATORS
from lms.extensions import db
from tests.cohorts.conftest import snapshot

EN = {"Accept-Language": "en"}
S = ApplicationStatus


def cohort_form(course_id: int, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "course_id": str(course_id), "name": "Studiengruppe 2017", "capacity": "6",
        "seats_per_municipality": "2", "procedure": "full",
        "application_opens_on": "2017-01-16", "application_closes_on": "2017-03-31",
        "starts_on": "2017-05-01", "ends_on": "2018-12-31",
        "ask_motivation": "required", "ask_structures": "required", "ask_phone": "optional",
    }
    data.update(overrides)
    return data


def test_organiser_sets_up_a_cohort_with_its_lecturers(app, client, login, organiser, lecturer,
                                                       course):
    login(organiser)
    page = client.get("/cohorts/new", headers=EN).get_data(as_text=True)
    assert "Doris Dozentin" in page
    response = client.post("/cohorts/new", data=cohort_form(course.id,
                                                             lecturer_ids=[str(lecturer.id)]))
    assert response.status_code == 302
    with app.app_context():
        cohort = db.session.scalars(select(Cohort)).one()
        assert (cohort.capacity, cohort.seats_per_municipality, cohort.procedure) == (
            6, 2, Procedure.FULL)
        assert [user.id for user in cohort.lecturers] == [lecturer.id]
        assert cohort.field_rules == {"motivation": FieldRule.REQUIRED,
                                      "structures": FieldRule.REQUIRED,
                                      "contact_phone": FieldRule.OPTIONAL}
    page = client.get(response.location, headers=EN).get_data(as_text=True)
    assert "Doris Dozentin" in page and "Studiengruppe 2017" in page


@pytest.mark.parametrize(("overrides", "message"), [
    ({"name": ""}, "Please fill in this field."),
    ({"capacity": "0"}, "Please enter a number from 1 to 100."),
    ({"capacity": "9" * 400}, "Please enter a number from 1 to 100."),
    ({"capacity": "\u0661"}, "Please enter a whole number (digits 0-9)."),
    ({"seats_per_municipality": "11"}, "Please enter a number from 1 to 10."),
    ({"application_closes_on": "2017-01-01"}, "cannot close before it opens"),
    ({"application_closes_on": "2017-06-01"}, "must close by the day the cohort starts"),
    ({"ends_on": "2017-05-01"}, "The end must be after the start."),
    ({"procedure": "shortened"}, "does not ask for the long motivation"),
    ({"course_id": "999"}, "Please choose the course."),
    ({"lecturer_ids": ["999"]}, "Please choose lecturers from the list."),
])
def test_bad_cohorts_are_refused(app, client, login, organiser, course, overrides, message):
    login(organiser)
    before = snapshot(app)
    response = client.post("/cohorts/new", data={**cohort_form(course.id), **overrides},
                           headers=EN)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert snapshot(app) == before


def test_a_participant_is_no_lecturer(app, client, login, organiser, participant, course):
    login(organiser)
    before = snapshot(app)
    response = client.post("/cohorts/new", headers=EN, data=cohort_form(
        course.id, lecturer_ids=[str(participant.id)]))
    assert "Please choose lecturers from the list." in response.get_data(as_text=True)
    assert snapshot(app) == before


def test_capacity_and_seats_cannot_drop_below_what_is_taken(app, client, login, organiser,
                                                           course, create_cohort,
                                                           municipalities, create_application):
    cohort = create_cohort(capacity=3)
    for name in ("Hamm", "Duisburg"):
        create_application(cohort, municipalities[name], status=S.ACCEPTED)
    login(organiser)
    data = cohort_form(course.id, application_opens_on=cohort.application_opens_on.isoformat(),
                       application_closes_on=cohort.application_closes_on.isoformat(),
                       starts_on=cohort.starts_on.isoformat(), ends_on=cohort.ends_on.isoformat())
    before = snapshot(app)
    for overrides, message in [({"capacity": "1"}, "2 municipalities already hold a place"),
                               ({"seats_per_municipality": "1"}, "already has 2 persons")]:
        response = client.post(f"/cohorts/{cohort.id}/edit", data={**data, **overrides},
                               headers=EN)
        assert message in response.get_data(as_text=True)
        assert snapshot(app) == before
    assert client.post(f"/cohorts/{cohort.id}/edit",
                       data={**data, "capacity": "2"}).status_code == 302


def test_the_cohort_list(app, client, login, organiser, lecturer, create_cohort,
                         municipalities, create_application):
    cohort = create_cohort("Studiengruppe 2017", lecturers=(lecturer,))
    create_application(cohort, municipalities["Hamm"], status=S.ACCEPTED)
    login(lecturer)
    page = client.get("/cohorts/", headers=EN).get_data(as_text=True)
    assert "Studiengruppe 2017" in page and "1 of 3" in page
    assert "/applications" not in page  # applications are the organisers' business


def test_mine_lists_several_cohorts(app, client, login, participant, create_cohort,
                                    enroll_person):
    first, second = create_cohort("Eins"), create_cohort("Zwei")
    enroll_person(first, participant.display_name, participant.email)
    enroll_person(second, participant.display_name, participant.email)
    login(participant)
    page = client.get("/cohorts/mine").get_data(as_text=True)
    assert f"/cohorts/{first.id}" in page and f"/cohorts/{second.id}" in page


# --- the demo ----------------------------------------------------------------------------


def _demo_counts() -> tuple[int, ...]:
    def count(model: type) -> int:
        return db.session.scalar(select(func.count()).select_from(model))

    return tuple(count(model) for model in (Municipality, Cohort, Application, ApplicationEvent,
                                            Enrollment, User))


def test_the_demo(app):
    result = app.test_cli_runner().invoke(args=["lms", "seed-demo"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        counts = _demo_counts()
        cohorts = {c.demo_key: c for c in db.session.scalars(select(Cohort))}
        first, second, current, open_round = (
            cohorts["cohort-2017"], cohorts["cohort-2018"], cohorts["cohort-current"],
            cohorts["cohort-open-round"])
        assert (first.name, first.capacity, first.procedure) == ("Studiengruppe 2017", 6,
                                                                 Procedure.FULL)
        assert (first.starts_on, first.ends_on) == (date(2017, 5, 1), date(2018, 12, 31))
        assert (second.capacity, second.procedure) == (10, Procedure.SHORTENED)

        def accepted(cohort: Cohort) -> set[str]:
            return set(db.session.scalars(
                select(Municipality.name).join(Application).where(
                    Application.cohort_id == cohort.id,
                    Application.status == S.ACCEPTED)))

        assert accepted(first) == {p.municipality for p in DEMO_PARTICIPANTS
                                   if p.cohort == "cohort-2017"}
        assert {"Hamm", "Duisburg"} <= accepted(first)
        assert len(accepted(second)) == 10
        assert len(accepted(current)) == 6 and "Herne" in accepted(current)
        # the current cohort started months ago and runs on: its sessions lie around today
        today = date.today()
        assert current.starts_on < today - timedelta(days=90) < today < current.ends_on
        held = [s.starts_at.date() < today for s in cohort_sessions(current)]
        assert held.count(True) >= 3 and held.count(False) >= 2
        hamm = db.session.scalars(select(Application).join(Municipality).where(
            Municipality.name == "Hamm")).one()
        assert [(e.from_status, e.to_status) for e in hamm.events] == [
            (None, S.SUBMITTED), (S.SUBMITTED, S.SHORTLISTED), (S.SHORTLISTED, S.ACCEPTED)]

        teilnehmer = db.session.scalars(select(Enrollment).join(Enrollment.user).where(
            User.email == "teilnehmer@example.org")).one()
        assert (teilnehmer.cohort_id, teilnehmer.municipality.name) == (current.id, "Herne")
        for person in DEMO_PARTICIPANTS:
            enrollment = db.session.scalars(select(Enrollment).join(Enrollment.user).where(
                User.email == person.email)).one()
            assert enrollment.municipality.name == person.municipality
            assert enrollment.function == person.function
        mediators = db.session.scalars(select(Enrollment).where(
            Enrollment.kind == EnrollmentKind.MEDIATOR)).all()
        assert {e.user.email for e in mediators} == {p.email for p in MEDIATORS}
        assert all(e.paired_municipalities for e in mediators)
        assert len(first.lecturers) == 3

        assert open_round.window_open(date.today()) or open_round.window_open(
            date.today() + timedelta(days=1))
        pending = db.session.scalars(select(Application).where(
            Application.cohort_id == open_round.id)).all()
        assert len(pending) >= 3
        assert any(a.status in (S.SUBMITTED, S.SHORTLISTED) for a in pending)

        for year, cohort in ((2017, first), (2018, second)):
            sessions = demo_sessions_of_year(year)
            assert sessions and {s.cohort_id for s in sessions} == {cohort.id}
        assert db.session.scalar(select(func.count(Session.id)).where(
            Session.cohort_id.is_(None))) == 0

    again = app.test_cli_runner().invoke(args=["lms", "seed-demo"])
    assert again.exit_code == 0, again.output
    with app.app_context():
        assert _demo_counts() == counts


def test_demo_seeding_without_the_course_adds_only_municipalities(app):
    with app.app_context():
        seed_demo()
        db.session.commit()
        assert db.session.scalar(select(func.count(Municipality.id))) == 53
        assert db.session.scalar(select(func.count(Cohort.id))) == 0
