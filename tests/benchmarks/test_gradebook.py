"""The gradebook, its CSV, the grading queue and "My grades": queries stay flat as a
cohort grows (no N+1), and the gradebook's build time for a large cohort.

Run ``make bench`` to print the timing; the query counts are part of every ``make test``.
"""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from assignments import authoring
from assignments.authoring import AssignmentDetails, ScheduleDates
from assignments.gradebook import build_gradebook
from assignments.models import (
    AssignmentKind,
    AssignmentSchedule,
    GradingScheme,
    Review,
    ReviewOutcome,
    Submission,
    SubmissionState,
    SubmissionVersion,
)
from cohorts import services as cohort_services
from cohorts.models import (
    Cohort,
    Enrollment,
    EnrollmentKind,
    Municipality,
    MunicipalityKind,
    Procedure,
)
from cohorts.services import CohortDetails
from courses import services as course_services
from courses.services import CourseDetails, ModuleContent
from lms.auth.models import Role, User
from lms.db import utcnow
from lms.extensions import db
from tests.benchmarks.conftest import throughput
from tests.conftest import TEST_PASSWORD
from tests.querycount import count_queries

SCHEMES = ((AssignmentKind.INDIVIDUAL, GradingScheme.POINTS),
           (AssignmentKind.INDIVIDUAL, GradingScheme.PASS_FAIL),
           (AssignmentKind.TEAM, GradingScheme.PASS_FAIL),
           (AssignmentKind.TEAM, GradingScheme.FEEDBACK_ONLY))


def _setup(app: Flask, create_user) -> dict[str, int]:
    """A course with one module, a cohort, four assignments scheduled in it."""
    lecturer = create_user("dozent@example.org", Role.LECTURER)
    with app.test_request_context():
        now = utcnow()
        course = course_services.create_course(CourseDetails(
            "Integrationsmanagement", datetime(2017, 5, 1, tzinfo=now.tzinfo),
            now + timedelta(days=400)), actor=None)
        module = course_services.create_module(course, ModuleContent("Konflikte"), actor=None)
        course_services.set_module_published(module, True, actor=None)
        cohort = cohort_services.create_cohort(CohortDetails(
            course_id=course.id, name="Studiengruppe 2017", capacity=60,
            procedure=Procedure.FULL, application_opens_on=date(2017, 1, 1),
            application_closes_on=date(2017, 2, 1), starts_on=date(2017, 5, 1),
            ends_on=date(2018, 12, 31), lecturer_ids=frozenset({lecturer.id})), actor=None)
        schedules = []
        for number, (kind, grading) in enumerate(SCHEMES, start=1):
            assignment = authoring.create_assignment(module, AssignmentDetails(
                title=f"Aufgabe {number}", kind=kind, grading=grading,
                max_points=20 if grading is GradingScheme.POINTS else None),
                actor=None, max_upload_mb=20)
            schedules.append(authoring.schedule_assignment(
                assignment, cohort, ScheduleDates(now - timedelta(days=30),
                                                  now - timedelta(days=2), None), actor=None))
        db.session.commit()
        return {"cohort": cohort.id, "course": course.id,
                "schedules": [s.id for s in schedules]}


def _grow(app: Flask, ids: dict, municipalities: int, first: int = 0) -> None:
    """Municipalities with two people each, every assignment handed in and graded."""
    password_hash = generate_password_hash(TEST_PASSWORD,
                                           method=app.config["PASSWORD_HASH_METHOD"])
    with app.app_context():
        schedules = db.session.scalars(select(AssignmentSchedule).where(
            AssignmentSchedule.id.in_(ids["schedules"]))).all()
        for number in range(first, first + municipalities):
            municipality = Municipality(ags=f"0599{number:04d}", name=f"Gemeinde {number}",
                                        kind=MunicipalityKind.KREISANGEHOERIGE_STADT,
                                        region="Arnsberg")
            people = [User(email=f"p{number}.{i}@example.org", password_hash=password_hash,
                           display_name=f"Person {number}.{i}") for i in (1, 2)]
            for person in people:
                person.roles = {Role.PARTICIPANT}
            db.session.add_all([municipality, *people])
            db.session.flush()
            for person in people:
                db.session.add(Enrollment(cohort_id=ids["cohort"], user_id=person.id,
                                          kind=EnrollmentKind.MUNICIPALITY,
                                          municipality_id=municipality.id))
            for schedule in schedules:
                team = schedule.assignment.kind is AssignmentKind.TEAM
                owners = [dict(municipality_id=municipality.id)] if team else \
                    [dict(user_id=person.id) for person in people]
                for owner in owners:
                    submission = Submission(schedule_id=schedule.id, version_count=1,
                                            state=SubmissionState.GRADED,
                                            released_at=utcnow(), **owner)
                    version = SubmissionVersion(submission=submission, number=1,
                                                text="Antwort", submitted_by_id=people[0].id,
                                                submitted_at=schedule.due_at + timedelta(
                                                    hours=1 if number % 3 == 0 else -1))
                    submission.newest_version = version
                    db.session.add(Review(version=version, outcome=ReviewOutcome.GRADED,
                                          points=12, passed=True, feedback="Gut",
                                          released_at=utcnow()))
        db.session.commit()


def _sign_in(app: Flask, email: str) -> FlaskClient:
    client = app.test_client()
    assert client.post("/login", data={"email": email, "password": TEST_PASSWORD}
                       ).status_code == 302
    return client


def _pages(ids: dict) -> list[str]:
    cohort, schedule = ids["cohort"], ids["schedules"][0]
    return [f"/assignments/cohorts/{cohort}/gradebook",
            f"/assignments/cohorts/{cohort}/gradebook.csv",
            f"/assignments/schedules/{schedule}/grading",
            f"/assignments/schedules/{schedule}/grading?status=late",
            f"/assignments/schedules/{ids['schedules'][2]}/grading"]


def _queries(app: Flask, client: FlaskClient, pages: list[str]) -> dict[str, int]:
    counts = {}
    for page in pages:
        with count_queries(app) as log:
            assert client.get(page).status_code == 200, page
        counts[page] = log.count
    return counts


def test_gradebook_queue_and_own_grades_stay_flat_as_the_cohort_grows(app, create_user):
    ids = _setup(app, create_user)
    _grow(app, ids, 2)
    lecturer = _sign_in(app, "dozent@example.org")
    participant = _sign_in(app, "p0.1@example.org")
    small = _queries(app, lecturer, _pages(ids))
    small_own = _queries(app, participant, ["/assignments/my-grades"])
    _grow(app, ids, 20, first=2)
    large = _queries(app, lecturer, _pages(ids))
    large_own = _queries(app, participant, ["/assignments/my-grades"])
    print(f"\nqueries per page: {small} / own grades {small_own}")
    assert large == small
    assert large_own == small_own
    # the gradebook and its CSV carry the certificate rule's column (the certificates
    # plugin's person column): the rule's settings, the sessions with their attendance and
    # the work it judges cost a fixed five queries more
    assert max(small.values()) <= 19, small
    assert max(small_own.values()) <= 8, small_own


@throughput
def test_gradebook_build_time_for_a_large_cohort(app, create_user):
    """53 municipalities (the whole of NRW), 106 people, four assignments all graded."""
    ids = _setup(app, create_user)
    _grow(app, ids, 53)
    with app.test_request_context():
        cohort = db.session.get(Cohort, ids["cohort"])
        start = time.perf_counter()
        for _ in range(5):
            book = build_gradebook(cohort)
            db.session.expire_all()
        elapsed = (time.perf_counter() - start) / 5
    lecturer = _sign_in(app, "dozent@example.org")
    start = time.perf_counter()
    for _ in range(5):
        assert lecturer.get(f"/assignments/cohorts/{ids['cohort']}/gradebook").status_code == 200
    page = (time.perf_counter() - start) / 5
    print(f"\ngradebook of {len(book.people)} people x {len(book.schedules)} assignments: "
          f"built in {elapsed * 1000:.0f} ms, page in {page * 1000:.0f} ms")
    assert len(book.people) == 106
