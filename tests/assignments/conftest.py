"""Factories for the assignment plugin's tests.

The cohort plugin's factories (course, cohorts, municipalities, per-person clients) are
reused; people are put into cohorts as plain enrollment rows, since the enrolment rules
are the cohort plugin's to test. ``world`` builds one cohort with its lecturer, two
municipalities with their teams, a mediator, and a second cohort with its own lecturer
and participant, which is what most tests need.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from assignments import authoring
from assignments.authoring import AssignmentDetails, ScheduleDates
from assignments.models import (
    Assignment,
    AssignmentKind,
    AssignmentSchedule,
    DraftFile,
    Extension,
    GradingScheme,
    Submission,
    SubmissionVersion,
    VersionFile,
)
from cohorts.models import Cohort, Enrollment, EnrollmentKind, Municipality
from courses import services as course_services
from courses.demo import simple_pdf
from courses.models import Course, Module
from courses.services import ModuleContent
from lms.auth.models import Role, User
from lms.db import utcnow
from lms.extensions import db
from lms.mail import OutboxMessage
from tests.cohorts import conftest as cohort_fixtures
from tests.cohorts.conftest import detached

# The cohort plugin's fixtures, offered to these tests too.
client_for = cohort_fixtures.client_for
course = cohort_fixtures.course
create_cohort = cohort_fixtures.create_cohort
create_municipality = cohort_fixtures.create_municipality

DAY = timedelta(days=1)


def pdf(text: str = "Antwort") -> bytes:
    return simple_pdf([text])


def upload(name: str = "antwort.pdf", data: bytes | None = None) -> tuple[io.BytesIO, str]:
    """A file for a test client's multipart form."""
    return io.BytesIO(pdf() if data is None else data), name


@pytest.fixture
def create_module(app: Flask, course: Course) -> Callable[..., Module]:
    def create(title: str = "Grundlagen des Konfliktmanagements", *,
               published: bool = True) -> Module:
        with app.test_request_context():
            module = course_services.create_module(db.session.get(Course, course.id),
                                                   ModuleContent(title), actor=None)
            course_services.set_module_published(module, published, actor=None)
            return detached(module)

    return create


@pytest.fixture
def module(create_module: Callable[..., Module]) -> Module:
    return create_module()


@pytest.fixture
def create_assignment(app: Flask) -> Callable[..., Assignment]:
    def create(module: Module, title: str = "Konfliktfall beschreiben", *,
               kind: AssignmentKind = AssignmentKind.INDIVIDUAL,
               grading: GradingScheme = GradingScheme.POINTS, max_points: int | None = 20,
               **details: Any) -> Assignment:
        with app.test_request_context():
            assignment = authoring.create_assignment(
                db.session.get(Module, module.id),
                AssignmentDetails(title=title, kind=kind, grading=grading, max_points=max_points,
                                  instructions="Beschreiben Sie **einen** Konflikt.",
                                  **{"allowed_extensions": "pdf,docx,txt", **details}),
                actor=None, max_upload_mb=20)
            return detached(assignment)

    return create


@pytest.fixture
def create_schedule(app: Flask) -> Callable[..., AssignmentSchedule]:
    """Dates relative to now: by default open for a week, due in a week, cut-off 3 days later."""

    def create(assignment: Assignment, cohort: Cohort, *, opens: timedelta = -7 * DAY,
               due: timedelta = 7 * DAY, cut_off: timedelta | None = 10 * DAY
               ) -> AssignmentSchedule:
        now = utcnow()
        with app.test_request_context():
            schedule = authoring.schedule_assignment(
                db.session.get(Assignment, assignment.id), db.session.get(Cohort, cohort.id),
                ScheduleDates(now + opens, now + due, now + cut_off if cut_off else None),
                actor=None)
            return detached(schedule)

    return create


@pytest.fixture
def enroll(app: Flask) -> Callable[..., Enrollment]:
    def create(user: User, cohort: Cohort, municipality: Municipality | None = None) -> Enrollment:
        with app.app_context():
            enrollment = Enrollment(
                cohort_id=cohort.id, user_id=user.id,
                kind=EnrollmentKind.MUNICIPALITY if municipality else EnrollmentKind.MEDIATOR,
                municipality_id=municipality.id if municipality else None)
            db.session.add(enrollment)
            return detached(enrollment)

    return create


@dataclass
class World:
    cohort: Cohort
    other_cohort: Cohort
    hamm: Municipality
    duisburg: Municipality
    module: Module
    people: dict[str, User] = field(default_factory=dict)

    def __getitem__(self, name: str) -> User:
        return self.people[name]


@pytest.fixture
def world(app, create_user, create_cohort, create_municipality, module, enroll) -> World:
    """Two cohorts; the first with a lecturer, Hamm (two people), Duisburg (one), a mediator.

    ``lecturer`` teaches the first cohort, ``other_lecturer`` the second one only;
    ``outsider`` is a participant of the second cohort.
    """
    people = {
        "organiser": create_user("orga@example.org", Role.ORGANISER, name="Olga Orga"),
        "lecturer": create_user("dozent@example.org", Role.LECTURER, name="Doris Dozentin"),
        "other_lecturer": create_user("dozent2@example.org", Role.LECTURER, name="Otto Dozent"),
        "hamm1": create_user("hamm1@example.org", name="Sabine Hoffmann"),
        "hamm2": create_user("hamm2@example.org", name="Tobias Brandt"),
        "duisburg": create_user("duisburg@example.org", name="Nadine Kaya"),
        "mediator": create_user("mediator@example.org", name="Bernd Koch"),
        "outsider": create_user("outsider@example.org", name="Olaf Außen"),
    }
    cohort = create_cohort("Studiengruppe 2017", lecturers=(people["lecturer"],))
    other = create_cohort("Studiengruppe 2018", lecturers=(people["other_lecturer"],))
    hamm = create_municipality("Hamm", "05915000")
    duisburg = create_municipality("Duisburg", "05112000")
    enroll(people["hamm1"], cohort, hamm)
    enroll(people["hamm2"], cohort, hamm)
    enroll(people["duisburg"], cohort, duisburg)
    enroll(people["mediator"], cohort)
    enroll(people["outsider"], other, create_municipality("Bochum", "05911000"))
    return World(cohort, other, hamm, duisburg, module, people)


def count(app: Flask, model: type) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def snapshot(app: Flask) -> tuple[object, ...]:
    """Everything a refused request must leave as it was."""
    with app.app_context():
        assignments = tuple(db.session.execute(select(
            Assignment.id, Assignment.title, Assignment.grading, Assignment.max_points,
            Assignment.allowed_extensions).order_by(Assignment.id)).all())
        schedules = tuple(db.session.execute(select(
            AssignmentSchedule.id, AssignmentSchedule.opens_at, AssignmentSchedule.due_at,
            AssignmentSchedule.cut_off_at).order_by(AssignmentSchedule.id)).all())
        submissions = tuple(db.session.execute(select(
            Submission.id, Submission.state, Submission.draft_text, Submission.version_count)
            .order_by(Submission.id)).all())
        extensions = tuple(db.session.execute(select(
            Extension.id, Extension.revoked_at).order_by(Extension.id)).all())
    return (assignments, schedules, submissions, extensions,
            *(count(app, model) for model in (SubmissionVersion, VersionFile, DraftFile,
                                               OutboxMessage)))
