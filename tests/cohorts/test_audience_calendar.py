"""What the plugin tells others: the course's audience, calendar events, dashboard panels."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from flask_login import AnonymousUserMixin
from sqlalchemy import select

from cohorts.calendar import calendar_source
from cohorts.models import ApplicationStatus, Cohort, Enrollment
from cohorts.people import PersonDetails
from courses.audience import cohort_label, current_audience
from courses.models import Course
from courses.services import ModuleContent, SessionDetails, create_module, schedule_session
from lms.auth.models import User
from lms.db import utcnow
from lms.errors import DomainError
from lms.extensions import db
from lms.i18n import BERLIN
from lms.plugins import CalendarQuery, current_plugins
from tests.courses.conftest import berlin

S = ApplicationStatus
DATES_2017 = (date(2017, 1, 16), date(2017, 3, 31), date(2017, 5, 1), date(2018, 12, 31))
DATES_2018 = (date(2017, 11, 2), date(2018, 1, 15), date(2018, 2, 1), date(2018, 12, 31))
EN = {"Accept-Language": "en"}


def _world(app, create_cohort, municipalities, create_application, participant):
    """Cohorts 2017 and 2018 with their real dates; the participant in 2017, for Hamm."""
    first, second = create_cohort("Studiengruppe 2017"), create_cohort("Studiengruppe 2018")
    create_application(first, municipalities["Hamm"], status=S.ACCEPTED, nominees=(
        PersonDetails(participant.display_name, participant.email), PersonDetails("X", "x@h.de")))
    with app.app_context():  # set after applying: the windows lie in the past
        for made, dates in ((first, DATES_2017), (second, DATES_2018)):
            cohort = db.session.get(Cohort, made.id)
            (cohort.application_opens_on, cohort.application_closes_on, cohort.starts_on,
             cohort.ends_on) = dates
        db.session.commit()
    return first, second


def test_the_course_audience(app, create_cohort, municipalities, create_application,
                             participant, lecturer, organiser, create_user, course):
    first, second = _world(app, create_cohort, municipalities, create_application, participant)
    outsider = create_user("aussen@example.org")
    with app.test_request_context():
        audience = current_audience()
        the_course = db.session.get(Course, course.id)
        assert audience.cohort_choices(the_course) == [(first.id, "Studiengruppe 2017"),
                                                       (second.id, "Studiengruppe 2018")]
        assert cohort_label(the_course, second.id) == "Studiengruppe 2018"
        people = {who: db.session.get(User, who.id) for who in
                  (participant, lecturer, organiser, outsider)}
        assert audience.cohort_ids_of(people[participant]) == {first.id}
        assert audience.cohort_ids_of(people[outsider]) == set()
        assert audience.cohort_ids_of(people[lecturer]) is None
        assert audience.cohort_ids_of(people[organiser]) is None
        assert audience.is_member(people[participant], the_course)
        assert not audience.is_member(people[outsider], the_course)
        assert audience.is_member(people[lecturer], the_course)
        assert audience.is_member(people[organiser], the_course)

        enrollment = db.session.scalars(select(Enrollment).where(
            Enrollment.user_id == participant.id)).one()
        enrollment.ended_at = utcnow()  # after leaving, the course is closed to them
        db.session.flush()
        assert audience.cohort_ids_of(people[participant]) == set()
        assert not audience.is_member(people[participant], the_course)


def _events(query: CalendarQuery) -> dict[str, object]:
    return {event.uid: event for event in calendar_source(query)}


def test_calendar_events(app, create_cohort, municipalities, create_application, participant,
                         organiser, create_user):
    first, second = _world(app, create_cohort, municipalities, create_application, participant)
    outsider = create_user("aussen@example.org")
    with app.test_request_context():
        everything = _events(CalendarQuery(viewer=db.session.get(User, organiser.id)))
        deadline = everything[f"cohort-{first.id}-deadline@lehrgang"]
        assert (deadline.start, deadline.end, deadline.kind, deadline.all_day) == (
            date(2017, 3, 31), date(2017, 4, 1), "deadline", True)
        assert deadline.url.endswith(f"/apply/{first.id}")
        start = everything[f"cohort-{first.id}-start@lehrgang"]
        end = everything[f"cohort-{first.id}-end@lehrgang"]
        assert (start.start, start.end, start.kind) == (date(2017, 5, 1), date(2017, 5, 2),
                                                        "cohort")
        assert (end.start, end.end) == (date(2018, 12, 31), date(2019, 1, 1))
        assert len(everything) == 6

        public = _events(CalendarQuery(viewer=None))
        assert set(public) == {f"cohort-{first.id}-deadline@lehrgang",
                               f"cohort-{second.id}-deadline@lehrgang"}
        assert set(_events(CalendarQuery(viewer=AnonymousUserMixin()))) == set(public)
        assert set(_events(CalendarQuery(viewer=db.session.get(User, outsider.id)))) == \
            set(public)

        mine = _events(CalendarQuery(viewer=db.session.get(User, participant.id)))
        assert set(mine) == set(public) | {f"cohort-{first.id}-start@lehrgang",
                                           f"cohort-{first.id}-end@lehrgang"}

        only_second = _events(CalendarQuery(viewer=db.session.get(User, organiser.id),
                                            cohort_ids=frozenset({second.id})))
        assert {event.cohort_id for event in only_second.values()} == {second.id}
        deadlines = _events(CalendarQuery(viewer=db.session.get(User, organiser.id),
                                          kinds=frozenset({"deadline"})))
        assert {event.kind for event in deadlines.values()} == {"deadline"}
        assert not _events(CalendarQuery(viewer=None, kinds=frozenset({"session"})))

        spring_2017 = _events(CalendarQuery(
            viewer=db.session.get(User, organiser.id),
            start=datetime(2017, 3, 1, tzinfo=BERLIN), end=datetime(2017, 5, 1, tzinfo=BERLIN)))
        assert set(spring_2017) == {f"cohort-{first.id}-deadline@lehrgang"}
        # a window in UTC that reaches 1 May in Berlin (from 22:00 UTC) includes the start
        assert f"cohort-{first.id}-start@lehrgang" in _events(CalendarQuery(
            viewer=db.session.get(User, organiser.id),
            start=datetime(2017, 4, 30, 21, tzinfo=UTC),
            end=datetime(2017, 4, 30, 23, tzinfo=UTC)))

        # the host's registry gathers them alongside the other plugins' events
        gathered = current_plugins().calendar_events(CalendarQuery(viewer=None))
        assert {e.uid for e in gathered if e.kind == "deadline"} >= set(public)


def test_changing_dates_raises_the_sequence(app, client, login, organiser, cohort, course):
    login(organiser)
    data = {"course_id": str(course.id), "name": cohort.name, "capacity": "3",
            "seats_per_municipality": "2", "procedure": "full",
            "application_opens_on": cohort.application_opens_on.isoformat(),
            "application_closes_on": cohort.application_closes_on.isoformat(),
            "starts_on": cohort.starts_on.isoformat(), "ends_on": cohort.ends_on.isoformat(),
            "ask_motivation": "required", "ask_structures": "required", "ask_phone": "optional"}
    assert client.post(f"/cohorts/{cohort.id}/edit", data={**data, "name": "Neu"}
                       ).status_code == 302
    with app.test_request_context():
        assert {e.sequence for e in calendar_source(CalendarQuery(viewer=None))} == {0}
    later = (cohort.ends_on + timedelta(days=7)).isoformat()
    assert client.post(f"/cohorts/{cohort.id}/edit", data={**data, "ends_on": later}
                       ).status_code == 302
    with app.test_request_context():
        assert {e.sequence for e in calendar_source(CalendarQuery(viewer=None))} == {1}


def test_dashboard_panels(app, client, login, create_cohort, municipalities,
                          create_application, participant, lecturer, organiser):
    open_round = create_cohort("Studiengruppe 2027", lecturers=(lecturer,))
    create_application(open_round, municipalities["Dortmund"])
    create_application(open_round, municipalities["Essen"], status=S.SHORTLISTED)
    create_application(open_round, municipalities["Bonn"], status=S.REJECTED)
    create_application(open_round, municipalities["Hamm"], status=S.ACCEPTED, nominees=(
        PersonDetails(participant.display_name, participant.email, "Leitung KI"),
        PersonDetails("Tobias Brandt", "t.brandt@hamm.de", "Integration")))

    login(organiser)
    page = client.get("/", headers=EN).get_data(as_text=True)
    assert "Application rounds" in page
    assert "2 applications wait for a decision" in page
    client.post("/logout")

    login(lecturer)
    page = client.get("/", headers=EN).get_data(as_text=True)
    assert "My cohorts" in page and "Studiengruppe 2027" in page
    client.post("/logout")

    login(participant)
    page = client.get("/", headers=EN).get_data(as_text=True)
    assert "My cohort" in page
    assert "You take part for Hamm." in page and "Tobias Brandt" in page


def test_the_host_calendar_names_the_cohorts(app, create_cohort):
    first, second = create_cohort("Studiengruppe 2017"), create_cohort("Studiengruppe 2018")
    from lms.calendar.events import CohortChoice, cohorts_in

    with app.test_request_context():
        events = list(calendar_source(CalendarQuery(viewer=None)))
        assert cohorts_in(events) == [CohortChoice(first.id, "Studiengruppe 2017"),
                                      CohortChoice(second.id, "Studiengruppe 2018")]


def test_a_later_cohort_s_sessions_lie_within_its_dates_not_the_course_s(
        app, create_cohort, course):
    """Studiengruppe 2027 meets in 2027, long after the course's first run (2017-2018)."""
    later = create_cohort("Studiengruppe 2027", opens=date(2026, 10, 1),
                          closes=date(2026, 12, 15), starts=date(2027, 2, 1),
                          ends=date(2028, 6, 30))
    with app.test_request_context(headers={"Accept-Language": "de"}):
        module = create_module(db.session.get(Course, course.id), ModuleContent("Grundlagen"),
                               actor=None)

        def session(starts: str, ends: str) -> SessionDetails:
            return SessionDetails(starts_at=berlin(starts), ends_at=berlin(ends),
                                  cohort_id=later.id, location="Dortmund")

        assert current_audience().cohort_period(later.id) == (date(2027, 2, 1),
                                                               date(2028, 6, 30))
        assert schedule_session(module, session("2027-03-04 10:00", "2027-03-04 16:30")).id
        for starts, ends in (("2018-03-04 10:00", "2018-03-04 16:30"),
                             ("2028-06-30 18:00", "2028-07-01 10:00")):
            with pytest.raises(DomainError,
                               match=r"Studiengruppe 2027.*01\.02\.2027.*30\.06\.2028"):
                schedule_session(module, session(starts, ends))
