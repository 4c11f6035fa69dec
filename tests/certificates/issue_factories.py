"""Factories for the tests of issued certificates: a finished cohort, most of whom meet
the rule.

The cohort ran from 400 to 10 days ago with one session, held and recorded: Hamm's two
people and the mediator were present, Duisburg's person absent (so not eligible). No
module work counts, so attendance alone decides. A lecturer teaches it, another lecturer
teaches a second cohort with a participant of its own.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from flask import Flask
from pypdf import PdfReader
from sqlalchemy import func, select

from assignments.certificates import issuing
from assignments.certificates.models import Certificate
from cohorts.attendance import record_attendance
from cohorts.attendance_models import AttendanceStatus
from cohorts.models import Cohort, Enrollment, Municipality
from courses.models import Module, Session
from lms.audit import AuditEntry
from lms.auth.models import User
from lms.dates import berlin_day, berlin_today
from lms.db import utcnow
from lms.extensions import db
from tests.assignments import conftest as assignment_fixtures
from tests.assignments.steps.factories import cast
from tests.cohorts import conftest as cohort_fixtures

# The fixtures these tests build on, offered to the modules that import this one.
client_for = cohort_fixtures.client_for
course = cohort_fixtures.course
create_cohort = cohort_fixtures.create_cohort
create_municipality = cohort_fixtures.create_municipality
create_module = assignment_fixtures.create_module
module = assignment_fixtures.module
enroll = assignment_fixtures.enroll

DAY = timedelta(days=1)
ROLES = ("anonymous", "hamm1", "duisburg", "mediator", "outsider", "lecturer",
         "other_lecturer", "organiser")


@dataclass
class Finished:
    cohort: Cohort
    other_cohort: Cohort
    hamm: Municipality
    duisburg: Municipality
    people: dict[str, User] = field(default_factory=dict)

    def __getitem__(self, name: str) -> User:
        return self.people[name]


@pytest.fixture
def finished(app: Flask, create_user, create_cohort, create_municipality, module,
             enroll) -> Finished:
    today = berlin_today()
    people = cast(create_user)
    cohort = create_cohort("Studiengruppe 2017", opens=today - 500 * DAY,
                           closes=today - 450 * DAY, starts=today - 400 * DAY,
                           ends=today - 10 * DAY, lecturers=(people["lecturer"],))
    other = create_cohort("Studiengruppe 2018", lecturers=(people["other_lecturer"],))
    hamm = create_municipality("Hamm", "05915000")
    duisburg = create_municipality("Duisburg", "05112000")
    enrollments = {name: enroll(people[name], cohort, place) for name, place in (
        ("hamm1", hamm), ("hamm2", hamm), ("duisburg", duisburg), ("mediator", None))}
    enroll(people["outsider"], other, create_municipality("Bochum", "05911000"))
    with app.test_request_context():
        for enrollment in db.session.scalars(select(Enrollment)):
            enrollment.started_at = utcnow() - 400 * DAY  # from the cohort's start on
        held = Session(module=db.session.get(Module, module.id), cohort_id=cohort.id,
                       starts_at=utcnow() - 100 * DAY,
                       ends_at=utcnow() - 100 * DAY + timedelta(hours=6))
        db.session.add(held)
        db.session.flush()
        record_attendance(db.session.get(Cohort, cohort.id), held,
                          {enrollments["duisburg"].id: AttendanceStatus.ABSENT},
                          actor=db.session.get(User, people["lecturer"].id),
                          today=berlin_day(held.starts_at))
        db.session.commit()
    return Finished(cohort, other, hamm, duisburg, people)


def issue_all(app: Flask, world: Finished) -> dict[str, int]:
    """Certificates for everyone eligible; their ids by the holder's name in ``world``."""
    with app.test_request_context():
        issued = issuing.issue_eligible(db.session.get(Cohort, world.cohort.id),
                                        actor=db.session.get(User, world["organiser"].id))
        db.session.commit()
        names = {person.id: name for name, person in world.people.items()}
        return {names[certificate.user_id]: certificate.id for certificate in issued}


def certificate_rows(app: Flask) -> list[tuple]:
    """Every certificate as (number, holder, revoked?, replaces), for comparisons."""
    with app.app_context():
        return [tuple(row) for row in db.session.execute(select(
            Certificate.number, Certificate.user_id, Certificate.revoked_at.is_not(None),
            Certificate.replaces_id).order_by(Certificate.id))]


def audit_actions(app: Flask) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEntry.action).where(
            AuditEntry.object_type == "certificates").order_by(AuditEntry.id)))


def count(app: Flask, model: type) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def pdf_text(data: bytes) -> str:
    """The PDF's text, its lines joined by single spaces."""
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def zip_names(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return sorted(archive.namelist())

