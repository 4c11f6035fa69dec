"""Factories for the cohort plugin's tests: municipalities, cohorts, applications, people.

Each factory builds through the plugin's services (the same rules as the pages), commits,
and returns the object detached with its columns loaded; tests read ids and values from
it and use the database for the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from cohorts import municipalities as municipality_rules
from cohorts import services as cohort_rules
from cohorts.applications import ApplicationDetails, change_status, submit_application
from cohorts.attendance_models import AttendanceChange, SessionAttendance
from cohorts.enrollments import enroll
from cohorts.models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    Cohort,
    Enrollment,
    EnrollmentKind,
    Municipality,
    MunicipalityKind,
    Nominee,
    Procedure,
)
from cohorts.municipalities import MunicipalityDetails
from cohorts.people import PersonDetails
from cohorts.services import CohortDetails
from courses.models import Course
from courses.services import CourseDetails, create_course
from lms.audit import AuditEntry
from lms.auth.models import User
from lms.dates import berlin_to_utc, berlin_today
from lms.extensions import db
from lms.mail import OutboxMessage
from tests.conftest import TEST_PASSWORD


def detached(obj: Any) -> Any:
    db.session.commit()
    db.session.refresh(obj)
    db.session.expunge(obj)
    return obj


@pytest.fixture
def municipalities(app: Flask) -> dict[str, Municipality]:
    """The official list of the 53 NRW municipalities, by name."""
    with app.app_context():
        municipality_rules.load_reference_list()
        db.session.commit()
        found = {m.name: m for m in db.session.scalars(select(Municipality))}
        db.session.expunge_all()
    return found


@pytest.fixture
def create_municipality(app: Flask) -> Callable[..., Municipality]:
    counter = iter(range(1, 1000))

    def create(name: str | None = None, ags: str | None = None, *, region: str = "Arnsberg",
               kind: MunicipalityKind = MunicipalityKind.KREISANGEHOERIGE_STADT) -> Municipality:
        number = next(counter)
        with app.test_request_context():
            municipality = municipality_rules.create_municipality(MunicipalityDetails(
                ags=ags or f"0597{number:04d}", name=name or f"Gemeinde {number}", kind=kind,
                region=region), actor=None)
            return detached(municipality)

    return create


@pytest.fixture
def course(app: Flask) -> Course:
    with app.test_request_context():
        created = create_course(CourseDetails(
            title="Integrationsmanagement und Systemdesign",
            starts_at=berlin_to_utc(datetime(2017, 5, 1)),
            ends_at=berlin_to_utc(datetime(2018, 12, 31, 23, 59))), actor=None)
        return detached(created)


@pytest.fixture
def create_cohort(app: Flask, course: Course) -> Callable[..., Cohort]:
    counter = iter(range(1, 1000))

    def create(name: str | None = None, *, capacity: int = 3, seats: int = 2,
               procedure: Procedure = Procedure.FULL, opens: date | None = None,
               closes: date | None = None, starts: date | None = None,
               ends: date | None = None, lecturers: tuple[User, ...] = (),
               **rules: Any) -> Cohort:
        today = berlin_today()
        opens = opens or today - timedelta(days=10)
        closes = closes or today + timedelta(days=20)
        starts = starts or closes + timedelta(days=30)
        ends = ends or starts + timedelta(days=500)
        with app.test_request_context():
            cohort = cohort_rules.create_cohort(CohortDetails(
                course_id=course.id, name=name or f"Studiengruppe {next(counter)}",
                capacity=capacity, seats_per_municipality=seats, procedure=procedure,
                application_opens_on=opens, application_closes_on=closes, starts_on=starts,
                ends_on=ends, lecturer_ids=frozenset(user.id for user in lecturers),
                **rules), actor=None)
            return detached(cohort)

    return create


@pytest.fixture
def cohort(create_cohort: Callable[..., Cohort]) -> Cohort:
    return create_cohort("Studiengruppe 2017")


def nominees_for(municipality: Municipality, seats: int = 2,
                 prefix: str | None = None) -> tuple[PersonDetails, ...]:
    slug = prefix or municipality.ags
    return tuple(PersonDetails(f"Person {index} {municipality.name}",
                               f"{slug}.{index}@example.org", f"Funktion {index}")
                 for index in range(1, seats + 1))


@pytest.fixture
def create_application(app: Flask) -> Callable[..., Application]:
    """An application through the public rules; ``status`` moves it on as an organiser would."""

    def create(cohort: Cohort, municipality: Municipality, *,
               status: ApplicationStatus = ApplicationStatus.SUBMITTED,
               nominees: tuple[PersonDetails, ...] | None = None, actor: User | None = None,
               notify: bool = False) -> Application:
        with app.test_request_context():
            target = db.session.get(Cohort, cohort.id)
            application = submit_application(target, ApplicationDetails(
                municipality_id=municipality.id, contact_name="Karla Kontakt",
                contact_email=f"kontakt.{municipality.ags}@example.org",
                nominees=nominees or nominees_for(municipality, target.seats_per_municipality),
                consent=True, motivation="Wir wollen Konflikte gestalten.",
                structures="- Integrationsrat", contact_phone="0231 123"))
            if status is not ApplicationStatus.SUBMITTED:
                change_status(application, status, notify=notify, reason="Begründung",
                              actor=db.session.get(User, actor.id) if actor else None)
            return detached(application)

    return create


@pytest.fixture
def enroll_person(app: Flask) -> Callable[..., Enrollment]:
    def create(cohort: Cohort, name: str, email: str, *,
               municipality: Municipality | None = None, function: str = "",
               share_contact: bool = False, paired: tuple[Municipality, ...] = ()) -> Enrollment:
        with app.test_request_context():
            kind = EnrollmentKind.MUNICIPALITY if municipality else EnrollmentKind.MEDIATOR
            enrollment = enroll(
                db.session.get(Cohort, cohort.id), PersonDetails(name, email, function),
                kind=kind, actor=None, notify=False,
                municipality=db.session.get(Municipality, municipality.id) if municipality
                else None,
                paired=[db.session.get(Municipality, m.id) for m in paired])
            enrollment.share_contact = share_contact
            return detached(enrollment)

    return create


@pytest.fixture
def client_for(app: Flask) -> Callable[[User], FlaskClient]:
    """A separate signed-in client per person."""

    def sign_in(user: User, password: str = TEST_PASSWORD) -> FlaskClient:
        client = app.test_client()
        response = client.post("/login", data={"email": user.email, "password": password})
        assert response.status_code == 302, "sign-in failed"
        return client

    return sign_in


def snapshot(app: Flask) -> tuple[object, ...]:
    """Everything a refused request must leave as it was."""
    with app.app_context():
        def count(model: type) -> int:
            return db.session.scalar(select(func.count()).select_from(model))

        statuses = tuple(db.session.execute(
            select(Application.id, Application.status).order_by(Application.id)).all())
        enrollments = tuple(db.session.execute(
            select(Enrollment.id, Enrollment.ended_at, Enrollment.share_contact)
            .order_by(Enrollment.id)).all())
        cohorts = tuple(db.session.execute(
            select(Cohort.id, Cohort.name, Cohort.capacity).order_by(Cohort.id)).all())
        municipalities = tuple(db.session.execute(
            select(Municipality.id, Municipality.name, Municipality.contact_name)
            .order_by(Municipality.id)).all())
        attendance = tuple(db.session.execute(
            select(SessionAttendance.id, SessionAttendance.status)
            .order_by(SessionAttendance.id)).all())
        return (statuses, enrollments, cohorts, municipalities, attendance, count(Application),
                count(Nominee), count(ApplicationEvent), count(User), count(OutboxMessage),
                count(AuditEntry), count(AttendanceChange))


@contextmanager
def config(app: Flask, **values: object) -> Iterator[None]:
    """Change settings for the length of a ``with`` block (the app lives for the session)."""
    saved = {key: app.config[key] for key in values}
    app.config.update(values)
    try:
        yield
    finally:
        app.config.update(saved)
