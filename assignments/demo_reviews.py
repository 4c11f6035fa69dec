"""The grading part of the demo: reviews in every state on the work ``assignments.demo`` made.

Runs after ``assignments.demo.seed_demo`` (the plugin's ``seed_demo`` calls both). In the
current cohort it grades and releases, grades without releasing, returns for revision and
opens work for review, through the same services as the grading pages, so each demo role
finds a lived-in system: participants see released grades and a returned piece of work,
lecturers a queue with work waiting and grades still to release, notifications included.

Idempotent: a submission that already has a review or a grade change is left alone.
"""

from __future__ import annotations

from sqlalchemy import exists, select

from assignments import reviews
from assignments.demo import DEMO_KEY
from assignments.extensions import suggested_revision_due
from assignments.models import (
    Assignment,
    AssignmentSchedule,
    GradeChange,
    ReviewOutcome,
    Submission,
)
from assignments.reviews import ReviewInput
from cohorts.models import Cohort, Municipality
from lms.auth.models import User
from lms.demo import CURRENT, LECTURERS
from lms.extensions import db

_G, _R = ReviewOutcome.GRADED, ReviewOutcome.RETURNED

# (assignment position, owner: a person's email or "municipality:<name>", outcome or None
# for "in review" only, points, passed, release, feedback)
REVIEWS = (
    (1, "teilnehmer@example.org", _G, 17, None, True,
     "Sehr anschaulicher Fall. Die Einordnung nach **Glasl** ist überzeugend; die Rolle "
     "des Integrationsrats könnten Sie noch genauer beschreiben."),
    (1, "herne.2@example.org", _G, 12, None, True,
     "Gute Beschreibung der Beteiligten. Bei der Konfliktstufe fehlt eine Begründung."),
    (1, "hagen.1@example.org", _G, 9, None, False,
     "Knapp unter der Hälfte: Der Verlauf des Konflikts bleibt unklar."),
    (1, "krefeld.1@example.org", None, None, None, False, ""),
    (1, "moenchengladbach.1@example.org", _G, 18, None, True,
     "Ein klar beschriebener Fall mit einer gut begründeten Einordnung."),
    (2, "teilnehmer@example.org", _R, None, None, False,
     "Eine ehrliche Reflexion. Bitte ergänzen Sie noch, was Sie beim nächsten Rollenspiel "
     "**anders machen** würden, und reichen Sie sie erneut ein."),
    (2, "hagen.2@example.org", _G, None, True, True,
     "Eine genaue Reflexion, danke!"),
    (3, "municipality:Herne", _G, None, True, False,
     "Eine vollständige Akteurslandkarte; die Migrantenorganisationen sind gut erfasst."),
    (3, "municipality:Hagen", _R, None, None, False,
     "Es fehlen die Gremien (Rat, Ausschüsse). Bitte ergänzen Sie die Karte."),
)


def _submission(schedule: AssignmentSchedule, owner: str) -> Submission | None:
    statement = select(Submission).where(Submission.schedule_id == schedule.id,
                                         Submission.version_count > 0)
    if owner.startswith("municipality:"):
        municipality = db.session.scalar(select(Municipality).where(
            Municipality.name == owner.partition(":")[2]))
        if municipality is None:
            return None
        statement = statement.where(Submission.municipality_id == municipality.id)
    else:
        person = User.by_email(owner)
        if person is None:
            return None
        statement = statement.where(Submission.user_id == person.id)
    return db.session.scalar(statement)


def _untouched(submission: Submission) -> bool:
    reviewed = submission.latest_version is not None and submission.latest_version.review
    return not reviewed and not db.session.scalar(select(exists().where(
        GradeChange.submission_id == submission.id)))


def seed_reviews() -> None:
    """Add the demo's reviews (idempotent); needs the assignment demo to have run."""
    cohort = db.session.scalar(select(Cohort).where(Cohort.demo_key == CURRENT))
    lecturer = User.by_email(LECTURERS[0].email)
    if cohort is None or lecturer is None:
        return
    for position, owner, outcome, points, passed, release, feedback in REVIEWS:
        schedule = db.session.scalar(
            select(AssignmentSchedule).join(AssignmentSchedule.assignment).where(
                Assignment.demo_key == DEMO_KEY.format(position=position),
                AssignmentSchedule.cohort_id == cohort.id))
        submission = _submission(schedule, owner) if schedule else None
        if submission is None or not _untouched(submission):
            continue
        reviews.start_review(submission)
        if outcome is None:
            continue
        revision_due_at = suggested_revision_due(submission) \
            if outcome is ReviewOutcome.RETURNED else None
        reviews.save_review(submission, ReviewInput(outcome, points, passed, feedback,
                                                    revision_due_at),
                            actor=lecturer, seen=reviews.stamp(submission),
                            version_id=submission.latest_version.id)
        if release:
            reviews.release(submission, actor=lecturer)
    db.session.flush()
