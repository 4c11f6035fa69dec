"""The finished work of the demo's historical cohorts (2017 and 2018).

Everyone enrolled hands in each piece of work that counts for the certificate two days
before it was due (mediators their own work only, a municipality's team once), and a
lecturer grades it passed and releases it ten days after the due date, through the same
services as the pages. The reviews, the notifications and their mails carry those dates,
so the history reads as it happened (the mails as sent then).

Idempotent: work is only handed in where a submission has none, and only unreviewed
versions are graded.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from sqlalchemy import func, select, update

from assignments import reviews, submitting
from assignments.models import (
    Assignment,
    AssignmentKind,
    AssignmentSchedule,
    GradeChange,
    GradingScheme,
    Notification,
    ReviewOutcome,
    Submission,
)
from assignments.reviews import ReviewInput
from cohorts.models import Cohort, Enrollment, EnrollmentKind
from lms.auth.models import User
from lms.demo import LECTURERS
from lms.extensions import db
from lms.mail import OutboxMessage

HANDED_IN_BEFORE_DUE = timedelta(days=2)
GRADED_AFTER_DUE = timedelta(days=10, hours=10)
FEEDBACK = (
    "Gründlich ausgearbeitet und gut belegt, bestanden.",
    "Klar gegliedert; die Beispiele aus Ihrer Kommune überzeugen.",
    "Bestanden. Für die Praxis lohnt es, die Zuständigkeiten noch genauer zu benennen.",
)


def finish_work(cohort: Cohort) -> None:
    """Hand in and grade the counting work of every active enrollment of ``cohort``."""
    lecturer = User.by_email(LECTURERS[0].email)
    if lecturer is None:
        return
    enrollments = list(db.session.scalars(select(Enrollment).where(
        Enrollment.cohort_id == cohort.id, Enrollment.ended_at.is_(None))
        .order_by(Enrollment.id)))
    for schedule in _counting_schedules(cohort):
        for number, enrollment in enumerate(enrollments):
            if schedule.assignment.kind is AssignmentKind.TEAM \
                    and enrollment.kind is EnrollmentKind.MEDIATOR:
                continue  # mediators hand in no team work
            submission = _hand_in(schedule, enrollment.user)
            _grade(submission, lecturer, number)
    db.session.flush()


def _counting_schedules(cohort: Cohort) -> list[AssignmentSchedule]:
    return list(db.session.scalars(
        select(AssignmentSchedule).join(AssignmentSchedule.assignment).where(
            AssignmentSchedule.cohort_id == cohort.id, Assignment.counts_for_certificate,
            Assignment.demo_key.is_not(None))
        .order_by(AssignmentSchedule.due_at)))


def _hand_in(schedule: AssignmentSchedule, person: User) -> Submission:
    submission = submitting.submission_for(schedule, person)
    if submission.version_count:
        return submission
    at = schedule.due_at - HANDED_IN_BEFORE_DUE
    submitting.save_draft(submission, f"Unsere Ausarbeitung zu „{schedule.assignment.title}“."
                          "\n\n- Ausgangslage\n- Vorgehen\n- Ergebnis", [], actor=person)
    submission.draft_saved_at = at
    submitting.record_version(submission, actor=person, token=None, now=at)
    return submission


def _grade(submission: Submission, lecturer: User, number: int) -> None:
    """Grade untouched work passed (points vary, all above the pass mark), then release."""
    latest = submission.latest_version
    if latest is None or latest.review is not None:
        return
    assignment = submission.schedule.assignment
    points = (assignment.max_points - number % 5 if assignment.grading is GradingScheme.POINTS
              else None)
    passed = True if assignment.grading is GradingScheme.PASS_FAIL else None
    at = submission.schedule.due_at + GRADED_AFTER_DUE
    with dated_messages(at, past=True):
        reviews.start_review(submission)
        review = reviews.save_review(
            submission, ReviewInput(ReviewOutcome.GRADED, points, passed,
                                    FEEDBACK[number % len(FEEDBACK)]),
            actor=lecturer, seen=reviews.stamp(submission), version_id=latest.id)
        reviews.release(submission, actor=lecturer)
    review.created_at = review.updated_at = review.released_at = review.shown_at = at
    submission.released_at = at


@contextmanager
def dated_messages(at: datetime, *, past: bool) -> Iterator[None]:
    """Date the grade changes, notifications and mails made inside at ``at``; ``past``:
    the programme's history, so read and sent back then."""
    changes = db.session.scalar(select(func.max(GradeChange.id))) or 0
    notifications = db.session.scalar(select(func.max(Notification.id))) or 0
    mails = db.session.scalar(select(func.max(OutboxMessage.id))) or 0
    yield
    db.session.flush()
    db.session.execute(update(GradeChange).where(GradeChange.id > changes)
                       .values(changed_at=at))
    db.session.execute(update(Notification).where(Notification.id > notifications)
                       .values(created_at=at, read_at=at if past else None))
    db.session.execute(update(OutboxMessage).where(OutboxMessage.id > mails)
                       .values(created_at=at, sent_at=at if past else None))
