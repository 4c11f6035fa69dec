"""Factories for the certificate tests: the implementation steps' running cohort (Hamm with
two people, Duisburg with one, a mediator; cohort started 200 days ago), everyone enrolled
since its start, with helpers for sessions, attendance, module work and the rule."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from flask import Flask
from sqlalchemy import select, update

from assignments.certificates.settings import RuleInput, course_assignments, save_rule
from assignments.models import Assignment, AssignmentKind, AssignmentSchedule, GradingScheme
from assignments.steps.models import StepKind
from cohorts.attendance_models import AttendanceStatus, SessionAttendance
from cohorts.models import Cohort, Enrollment
from courses.models import Course, Session
from lms.auth.models import User
from lms.db import utcnow
from lms.extensions import db
from tests.assignments import conftest as assignment_fixtures
from tests.assignments.steps import factories as steps_factories
from tests.assignments.steps.factories import Steps

DAY = timedelta(days=1)

client_for = assignment_fixtures.client_for
course = assignment_fixtures.course
create_cohort = assignment_fixtures.create_cohort
create_municipality = assignment_fixtures.create_municipality
create_module = assignment_fixtures.create_module
module = assignment_fixtures.module
create_assignment = assignment_fixtures.create_assignment
create_schedule = assignment_fixtures.create_schedule
enroll = assignment_fixtures.enroll
steps_world = steps_factories.steps_world


def enrolled_since_start(world: Steps) -> None:
    """Everyone of the cohort enrolled since the cohort began (inside an app context)."""
    cohort = db.session.get(Cohort, world.cohort.id)
    db.session.execute(update(Enrollment).where(Enrollment.cohort_id == cohort.id)
                       .values(started_at=utcnow() - 200 * DAY))
    db.session.commit()


def add_sessions(world: Steps, module_id: int, days: Iterable[int], *,
                 cancelled: Iterable[int] = ()) -> list[int]:
    """Sessions of the cohort ``days`` from today (negative: past); returns their ids."""
    cancelled = set(cancelled)
    made = [Session(module_id=module_id, cohort_id=world.cohort.id,
                    starts_at=utcnow() + day * DAY,
                    ends_at=utcnow() + day * DAY + timedelta(hours=6), cancelled=day in cancelled)
            for day in days]
    db.session.add_all(made)
    db.session.commit()
    return [session.id for session in made]


def record(world: Steps, session_id: int, statuses: dict[str, AttendanceStatus]) -> None:
    """Record each named person's status at the session (everybody else present)."""
    recorder = db.session.get(User, world["lecturer"].id)
    for enrollment in db.session.scalars(select(Enrollment).where(
            Enrollment.cohort_id == world.cohort.id)):
        name = next((n for n, u in world.people.items() if u.id == enrollment.user_id), None)
        db.session.add(SessionAttendance(
            session_id=session_id, enrollment_id=enrollment.id, recorded_by=recorder,
            status=statuses.get(name, AttendanceStatus.PRESENT)))
    db.session.commit()


def set_rule(world: Steps, *, percent: int = 80, step: StepKind | None = None,
             required: Iterable[int] | None = None) -> None:
    """The course's rule; ``required``: the assignments that count (None: as they are)."""
    course = db.session.get(Course, world.cohort.course_id)
    if required is None:
        required = [a.id for a in course_assignments(course) if a.counts_for_certificate]
    save_rule(course, RuleInput(percent, step, frozenset(required)),
              actor=db.session.get(User, world["organiser"].id))
    db.session.commit()


def module_work(app: Flask, create_assignment, create_schedule, world: Steps, module,
                title: str = "Modularbeit 5", *,
                kind: AssignmentKind = AssignmentKind.INDIVIDUAL) -> AssignmentSchedule:
    """A pass/fail assignment that counts, open now and due in a week, for the cohort."""
    assignment: Assignment = create_assignment(module, title, kind=kind,
                                               grading=GradingScheme.PASS_FAIL,
                                               max_points=None)
    return create_schedule(assignment, world.cohort)
