"""Reviewing handed-in work: in review, graded or returned, released, and the grade history.

The workflow of a submission's newest version::

    submitted -> in review -> graded (hidden) -> released
                           -> returned for revision (visible at once) -> submitted ...

- A grade stays hidden from the owners until it is released, one submission at a time or
  all graded work of a schedule at once. Returning work for revision shows its feedback at
  once: the owners cannot revise what they cannot read.
- A released grade that is changed is hidden again until it is released again; meanwhile
  the owners keep seeing the one released before (``shown_grade``), on every page.
- Every change of a grade, an outcome, feedback or release adds a ``GradeChange`` (who,
  when, before, after); nothing is overwritten without a trace.
- Two lecturers grading the same version: each form carries the ``stamp`` it was built
  from. Saving locks the submission row and compares stamps, so the second save is told
  that the work changed meanwhile, and nothing is silently lost.

Functions here flush and never commit (one commit per request, in the host).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, BinaryIO

from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload

from assignments.extensions import check_revision_date, grant_revision_time
from assignments.models import (
    Assignment,
    AssignmentSchedule,
    GradeChange,
    GradingScheme,
    Review,
    ReviewFile,
    ReviewOutcome,
    Submission,
    SubmissionState,
    SubmissionVersion,
)
from assignments.notifications import notify_owners
from assignments.submitting import lock_submission
from lms.auth.models import User
from lms.db import utcnow
from lms.errors import DomainError
from lms.extensions import db
from lms.uploads import (
    CheckedUpload,
    PendingUpload,
    check_upload,
    clean_filename,
    keep_pending,
    release_pending,
    stored_uploads,
)

FEEDBACK_MAX = 100_000
#: a points grade passes from this share of the maximum on (the certificate rule)
PASS_SHARE = 0.5
MAX_FEEDBACK_FILES = 5



@dataclass(frozen=True)
class ReviewInput:
    """What the grading form sent, parsed but not yet checked against the scheme."""

    outcome: ReviewOutcome
    points: float | None = None
    passed: bool | None = None
    feedback: str = ""
    #: returned work: the date by which its revision is due (an extension), if any
    revision_due_at: datetime | None = None


class GradeConflict(DomainError):
    """Someone else graded or handed in since the form was built; nothing was saved."""


def stamp(submission: Submission) -> str:
    """What a grading form was built from: the newest version and the newest change.

    Every save adds a ``GradeChange`` and every hand-in a version, so the stamp differs
    as soon as anybody else changed the submission.
    """
    last_change = db.session.scalar(select(func.max(GradeChange.id)).where(
        GradeChange.submission_id == submission.id)) or 0
    return f"{submission.version_count}.{last_change}"


def start_review(submission: Submission) -> bool:
    """Mark newly handed-in work as being reviewed; True if the state changed.

    Its owners cannot hand in another version meanwhile, so this is an explicit step of
    the lecturer's (a POST), never a side effect of opening the work.
    """
    submission = lock_submission(submission.id)
    if submission.state is not SubmissionState.SUBMITTED:
        return False
    submission.state = SubmissionState.IN_REVIEW
    db.session.flush()
    return True


def passes(assignment: Assignment, review: Review | ShownGrade | None) -> bool:
    """Whether ``review`` passes: points at least half the maximum, "passed", or any
    feedback-only grading. Returned work does not pass."""
    if review is None or review.outcome is not ReviewOutcome.GRADED:
        return False
    match assignment.grading:
        case GradingScheme.POINTS:
            return review.points is not None and review.points >= pass_mark(assignment)
        case GradingScheme.PASS_FAIL:
            return bool(review.passed)
    return True


def pass_mark(assignment: Assignment) -> float:
    """The fewest points that pass (points scheme)."""
    return PASS_SHARE * (assignment.max_points or 0)


def _checked_grade(assignment: Assignment, data: ReviewInput) -> tuple[float | None, bool | None]:
    """The grade columns for ``data``; a returned version gets no grade."""
    if data.outcome is ReviewOutcome.RETURNED:
        return None, None
    match assignment.grading:
        case GradingScheme.POINTS:
            top = assignment.max_points or 0
            if data.points is None or not 0 <= data.points <= top:
                raise DomainError(_("Please give between 0 and %(max)d points.", max=top),
                                  field="points")
            return round(data.points, 2), None
        case GradingScheme.PASS_FAIL:
            if data.passed is None:
                raise DomainError(_("Please choose passed or not passed."), field="passed")
            return None, data.passed
    return None, None


def snapshot(review: Review | None) -> dict[str, Any] | None:
    """A review as the grade history keeps it."""
    if review is None:
        return None
    return {"version": review.version.number, "outcome": review.outcome.value,
            "points": review.points, "passed": review.passed, "feedback": review.feedback,
            "released": review.released_at is not None}


def _record(submission: Submission, review: Review | None, action: str, actor: User | None,
            before: dict[str, Any] | None, after: dict[str, Any] | None) -> GradeChange:
    change = GradeChange(submission_id=submission.id, review_id=review.id if review else None,
                         changed_by_id=actor.id if actor else None, action=action,
                         before=before, after=after)
    db.session.add(change)
    return change


def keep_feedback_files(submission: Submission, uploads: Iterable[tuple[str, BinaryIO]],
                        kept: Sequence[PendingUpload], *, actor: User) -> list[PendingUpload]:
    """Check feedback files chosen in a form that is shown again (a preview, a confirmation)
    and keep them for ``actor`` until the review is saved (``save_review``'s ``kept``)."""
    assignment = submission.schedule.assignment
    review = submission.latest_version.review if submission.latest_version else None
    checked = _check_uploads(uploads, assignment,
                             (len(review.files) if review else 0) + len(kept))
    return keep_pending(checked, assignment.feedback_rules, owner_id=actor.id)


def _check_uploads(uploads: Iterable[tuple[str, BinaryIO]], assignment: Assignment,
                   existing: int) -> list[CheckedUpload]:
    checked = [check_upload(filename, stream, assignment.feedback_rules)
               for filename, stream in uploads if clean_filename(filename)]
    if existing + len(checked) > MAX_FEEDBACK_FILES:
        raise DomainError(_("At most %(count)d feedback files can be attached.",
                            count=MAX_FEEDBACK_FILES), field="files")
    return checked


def check_review(submission: Submission, data: ReviewInput, *, seen: str,
                 version_id: int | None) -> tuple[str, float | None, bool | None]:
    """Whether ``data`` can be saved as it stands: the feedback, points and passed to save;
    raises ``DomainError`` (``GradeConflict`` for a stale form) with the reason if not.

    Asked before a return is confirmed too, so that the confirmation never promises what
    saving then refuses.
    """
    version = submission.latest_version
    if version is None:
        raise DomainError(_("Nothing has been handed in yet."))
    if version_id != version.id:
        raise GradeConflict(_("A new version was handed in while you were grading. Please "
                              "look at version %(number)d first.", number=version.number))
    if seen != stamp(submission):
        raise GradeConflict(_("Someone else changed this review while you were grading. "
                              "Please look at the current state; your input is still in "
                              "the form."))
    feedback = (data.feedback or "").replace("\r\n", "\n").strip()
    if len(feedback) > FEEDBACK_MAX:
        raise DomainError(_("The feedback is too long."), field="feedback")
    if data.outcome is ReviewOutcome.RETURNED:
        if not feedback:
            raise DomainError(_("Please say in the feedback what should be revised."),
                              field="feedback")
        check_revision_date(submission, data.revision_due_at, utcnow())
    return (feedback, *_checked_grade(submission.schedule.assignment, data))


def save_review(submission: Submission, data: ReviewInput, *, actor: User, seen: str,
                version_id: int | None, uploads: Iterable[tuple[str, BinaryIO]] = (),
                kept: Sequence[PendingUpload] = ()) -> Review:
    """Grade the newest version or return it for revision, with feedback and files:
    ``uploads`` sent now and ``kept``, those kept from an earlier page of the same form.

    ``seen`` is the ``stamp`` the form was built from and ``version_id`` the version it
    showed; if either is out of date, nothing is saved and the lecturer is told why.
    """
    submission = lock_submission(submission.id)
    feedback, points, passed = check_review(submission, data, seen=seen,
                                            version_id=version_id)
    version = submission.latest_version
    assignment = submission.schedule.assignment
    if data.outcome is ReviewOutcome.RETURNED:
        grant_revision_time(submission, data.revision_due_at, actor=actor)
    review = version.review
    checked = _check_uploads(uploads, assignment,
                             (len(review.files) if review else 0) + len(kept))
    before = snapshot(review)
    if review is None:
        review = Review(version=version, outcome=data.outcome, reviewer_id=actor.id)
        db.session.add(review)
    review.outcome, review.points, review.passed = data.outcome, points, passed
    review.feedback, review.reviewer_id = feedback, actor.id
    with stored_uploads() as store:
        for upload in checked:
            stored = store.put(upload, assignment.feedback_rules)
            review.files.append(ReviewFile(filename=upload.filename,
                                           content_type=upload.content_type,
                                           size=stored.size, sha256=stored.sha256,
                                           uploaded_by_id=actor.id))
        for pending in kept:
            review.files.append(ReviewFile(filename=pending.filename,
                                           content_type=pending.content_type,
                                           size=pending.size, sha256=pending.sha256,
                                           uploaded_by_id=actor.id))
        db.session.flush()
    release_pending(kept)
    if before == snapshot(review) and not checked and not kept:
        return review
    returned = data.outcome is ReviewOutcome.RETURNED
    state_before = submission.state
    if returned:
        _show(review)  # the owners cannot revise what they cannot read
        submission.released_at = review.shown_at
    else:
        # A new or changed grade waits for its release; the owners keep seeing the grade
        # released before, if any. A grade given instead of a return takes the work back
        # into review for them.
        review.released_at = None
        if state_before is SubmissionState.RETURNED:
            submission.released_at = None
    submission.state = SubmissionState.RETURNED if returned else SubmissionState.GRADED
    _record(submission, review, data.outcome.value, actor, before, snapshot(review))
    db.session.flush()
    if returned and state_before is not SubmissionState.RETURNED:
        # to the work page: the feedback, until when, and the form to hand in again
        notify_owners(submission, "returned", link_endpoint="assignments.work",
                      values={"schedule_id": submission.schedule_id})
    return review


def _show(review: Review) -> None:
    """Release ``review`` as it stands: its grade, feedback and files are what the owners
    see from now on."""
    review.released_at = review.shown_at = utcnow()
    review.shown_outcome, review.shown_points = review.outcome, review.points
    review.shown_passed, review.shown_feedback = review.passed, review.feedback
    for file in review.files:
        if file.shown_at is None:
            file.shown_at = review.shown_at


@dataclass(frozen=True)
class ShownGrade:
    """A grade as its owners see it: the one last released (``Review.shown_*``)."""

    review: Review
    outcome: ReviewOutcome
    points: float | None
    passed: bool | None
    feedback: str
    feedback_html: Markup
    released_at: datetime

    @property
    def version(self) -> SubmissionVersion:
        return self.review.version

    @property
    def files(self) -> list[ReviewFile]:
        return [file for file in self.review.files if file.shown_at is not None]


def shown_grade(review: Review | None) -> ShownGrade | None:
    """What the owners of ``review``'s work see of it (None: nothing released yet)."""
    if review is None or review.shown_at is None or review.shown_outcome is None:
        return None
    return ShownGrade(review, review.shown_outcome, review.shown_points, review.shown_passed,
                      review.shown_feedback or "", review.shown_feedback_html, review.shown_at)


def shown_grades(submission: Submission | None) -> list[ShownGrade]:
    """Every grade and feedback the owners of ``submission`` see, the newest version first."""
    if submission is None:
        return []
    found = (shown_grade(version.review) for version in reversed(submission.versions))
    return [grade for grade in found if grade is not None]


def release(submission: Submission, *, actor: User) -> bool:
    """Show the owners their grade and feedback; False if there was nothing to release."""
    submission = lock_submission(submission.id)
    review = submission.latest_version.review if submission.latest_version else None
    if submission.state is not SubmissionState.GRADED or review is None \
            or review.released_at is not None:
        return False
    before = snapshot(review)
    _show(review)
    submission.released_at = review.shown_at
    _record(submission, review, "released", actor, before, snapshot(review))
    db.session.flush()
    notify_owners(submission, "feedback_released", link_endpoint="assignments.my_grades")
    return True


def _releasable(schedule: AssignmentSchedule) -> Select:
    return (select(Submission)
            .join(SubmissionVersion, SubmissionVersion.id == Submission.latest_version_id)
            .join(Review, Review.version_id == SubmissionVersion.id)
            .where(Submission.schedule_id == schedule.id,
                   Submission.state == SubmissionState.GRADED, Review.released_at.is_(None)))


def releasable(schedule: AssignmentSchedule) -> list[Submission]:
    """The graded submissions of ``schedule`` whose grade is still hidden."""
    return list(db.session.scalars(_releasable(schedule).order_by(Submission.id)))


def releasable_count(schedule: AssignmentSchedule) -> int:
    """How many grades of ``schedule`` are still hidden, counted by the database."""
    return db.session.scalar(_releasable(schedule).with_only_columns(func.count())) or 0


def release_all(schedule: AssignmentSchedule, *, actor: User) -> int:
    """Release every hidden grade of ``schedule``; returns how many were released."""
    return sum(release(submission, actor=actor) for submission in releasable(schedule))


def grade_history(submission: Submission) -> list[GradeChange]:
    """Every change of the grade of ``submission``, the newest first."""
    return list(db.session.scalars(
        select(GradeChange).where(GradeChange.submission_id == submission.id)
        .options(joinedload(GradeChange.changed_by))
        .order_by(GradeChange.changed_at.desc(), GradeChange.id.desc())))


def describe(grade: dict[str, Any] | None, assignment: Assignment) -> str:
    """A grade of the history (or ``snapshot``) as a short text for staff."""
    if grade is None:
        return "-"
    if grade["outcome"] == ReviewOutcome.RETURNED.value:
        return _("returned for revision")
    return grade_text(assignment, grade["points"], grade["passed"])


def grade_text(assignment: Assignment, points: float | None, passed: bool | None) -> str:
    """A grade as people read it: "14 / 20 points", "passed", "feedback given"."""
    match assignment.grading:
        case GradingScheme.POINTS:
            shown = f"{points:g}" if points is not None else "-"
            return _("%(points)s / %(max)d points", points=shown, max=assignment.max_points or 0)
        case GradingScheme.PASS_FAIL:
            return _("passed") if passed else _("not passed")
    return _("feedback given")

