"""The certificates' part of the demo: Studiengruppe 2017's finishers and their certificates.

The 2017 cohort's sessions are all held and recorded (the cohort plugin's demo). Its module
work is the demo's lived-in story (work in every state, for the demo participant's Hamm
and most teams), so this part finishes it for the people that story leaves untouched:
Kreis Recklinghausen's team and the two mediators hand in every piece of work that counts
for the certificate, and a lecturer grades it passed and releases it, through the same
services as the pages. THE rule then decides: the mediators and Marco Vogel meet it;
Claudia Becker, one session short, does not.

The organiser issues the certificates in January 2019. Elif Yılmaz's account read "Elif
Yilmaz" then: her certificate is revoked (name misspelt) after the account is corrected,
and re-issued with the right name.

Idempotent: work is only added to a submission that has none, only untouched work is
graded, and the certificates are issued once (found again by ``demo_key``).
"""

from __future__ import annotations

from contextlib import nullcontext
from datetime import date, datetime, timedelta

from flask import current_app, has_request_context
from sqlalchemy import select

from assignments import reviews, submitting
from assignments.certificates import issuing
from assignments.certificates.models import Certificate
from assignments.models import (
    Assignment,
    AssignmentKind,
    AssignmentSchedule,
    GradingScheme,
    ReviewOutcome,
    Submission,
)
from assignments.reviews import ReviewInput
from cohorts.demo import COHORTS
from cohorts.models import Cohort, Enrollment, EnrollmentKind
from lms.auth.models import User
from lms.auth.services import update_account
from lms.dates import berlin_to_utc
from lms.db import utcnow
from lms.demo import LECTURERS, ORGANISERS
from lms.extensions import db

COHORT_KEY = COHORTS[0].key  # Studiengruppe 2017
#: who finishes their work in the demo (untouched by the demo's lived-in story)
FINISHERS = ("kreis-recklinghausen.1@example.org", "kreis-recklinghausen.2@example.org",
             "mediator.koch@example.org", "mediatorin.yilmaz@example.org")
ISSUED_ON = date(2019, 1, 15)
#: whose account was misspelt when the certificates were issued, and how
MISSPELT = ("mediatorin.yilmaz@example.org", "Elif Yilmaz")
REVOKED_AT = berlin_to_utc(datetime(2019, 2, 4, 10, 30))
REISSUED_ON = date(2019, 2, 5)
REVOKE_REASON = "Name falsch geschrieben: „Yilmaz“ statt „Yılmaz“."
DEMO_KEY = "certificate-{number}"


def _counting_schedules(cohort: Cohort) -> list[AssignmentSchedule]:
    return list(db.session.scalars(
        select(AssignmentSchedule).join(AssignmentSchedule.assignment).where(
            AssignmentSchedule.cohort_id == cohort.id, Assignment.counts_for_certificate)
        .order_by(AssignmentSchedule.due_at)))


def _hand_in(schedule: AssignmentSchedule, person: User) -> Submission | None:
    """The person's (or their team's) work for ``schedule``, handed in before it was due."""
    submission = submitting.submission_for(schedule, person)
    if submission.version_count:
        return submission
    at = min(schedule.due_at - timedelta(days=2), utcnow() - timedelta(hours=1))
    if at < schedule.opens_at:
        return None  # not open yet: a later run hands it in
    submitting.save_draft(submission, f"Unsere Ausarbeitung zu „{schedule.assignment.title}“."
                          "\n\n- Ausgangslage\n- Vorgehen\n- Ergebnis", [], actor=person)
    submitting.record_version(submission, actor=person, token=None, now=at)
    return submission


def _pass(submission: Submission, lecturer: User) -> None:
    """Grade untouched work passed and release it."""
    latest = submission.latest_version
    if latest is None or latest.review is not None:
        return
    assignment = submission.schedule.assignment
    points = assignment.max_points if assignment.grading is GradingScheme.POINTS else None
    passed = True if assignment.grading is GradingScheme.PASS_FAIL else None
    reviews.start_review(submission)
    reviews.save_review(submission, ReviewInput(ReviewOutcome.GRADED, points, passed,
                                                "Gründlich ausgearbeitet, bestanden."),
                        actor=lecturer, seen=reviews.stamp(submission), version_id=latest.id)
    reviews.release(submission, actor=lecturer)


def _finish_work(cohort: Cohort, lecturer: User) -> None:
    schedules = _counting_schedules(cohort)
    for email in FINISHERS:
        person = User.by_email(email)
        enrollment = person and db.session.scalar(select(Enrollment).where(
            Enrollment.cohort_id == cohort.id, Enrollment.user_id == person.id,
            Enrollment.ended_at.is_(None)))
        if enrollment is None:
            continue
        for schedule in schedules:
            if schedule.assignment.kind is AssignmentKind.TEAM \
                    and enrollment.kind is EnrollmentKind.MEDIATOR:
                continue  # mediators hand in no team work
            submission = _hand_in(schedule, person)
            if submission is not None:
                _pass(submission, lecturer)
    db.session.flush()


def _rename(person: User, name: str, organiser: User) -> None:
    update_account(person, actor=organiser, display_name=name, roles=person.roles,
                   active=person.active, language=person.language)


def _issue(cohort: Cohort, organiser: User) -> None:
    """Issue once, with the misspelt name; then revoke that one and re-issue it."""
    if db.session.scalar(select(Certificate.id).where(Certificate.demo_key.is_not(None))):
        return
    misspelt = User.by_email(MISSPELT[0])
    correct = misspelt.display_name if misspelt else ""
    if misspelt is not None:
        _rename(misspelt, MISSPELT[1], organiser)
    issued = issuing.issue_eligible(cohort, actor=organiser, today=ISSUED_ON)
    if misspelt is not None:
        _rename(misspelt, correct, organiser)
    for certificate in issued:
        certificate.issued_at = berlin_to_utc(datetime.combine(ISSUED_ON, datetime.min.time()))
        certificate.demo_key = DEMO_KEY.format(number=certificate.number)
        if misspelt is not None and certificate.user_id == misspelt.id:
            issuing.revoke(certificate, REVOKE_REASON, actor=organiser)
            certificate.revoked_at = REVOKED_AT
            again = issuing.reissue(certificate, actor=organiser, today=REISSUED_ON)
            again.issued_at = REVOKED_AT + timedelta(days=1)
            again.demo_key = DEMO_KEY.format(number=again.number)
    db.session.flush()


def seed_demo() -> None:
    cohort = db.session.scalar(select(Cohort).where(Cohort.demo_key == COHORT_KEY))
    lecturer = User.by_email(LECTURERS[0].email)
    organiser = User.by_email(ORGANISERS[0].email)
    if cohort is None or lecturer is None or organiser is None:
        return  # the cohort or people demo did not run
    # notifications of released grades link to pages: built as for the configured site
    context = nullcontext() if has_request_context() else current_app.test_request_context(
        base_url=current_app.config["BASE_URL"])
    with context:
        _finish_work(cohort, lecturer)
        _issue(cohort, organiser)
