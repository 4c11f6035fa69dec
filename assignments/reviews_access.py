"""Who may grade, and who may see reviews, feedback files and notifications.

- Grading (the queue, the grading view, saving, releasing) is for the organisers and the
  lecturers who teach the submission's cohort: the same people who manage its schedule.
- The owners of a submission see a review, and its files, once it is released; before
  that it does not exist for them (404).
- A notification belongs to its person alone.
"""

from __future__ import annotations

from flask import Flask, abort
from flask_login import current_user
from sqlalchemy.orm import selectinload

from assignments.access import owns, teaches
from assignments.models import Notification, Review, ReviewFile, Submission, SubmissionVersion
from cohorts.access import is_staff
from lms.auth.access import register_policy
from lms.auth.models import User
from lms.extensions import db


def may_grade(user: User, submission: Submission) -> bool:
    return teaches(user, submission.schedule.cohort_id)


def review_policy(user: User, action: str, review: Review) -> bool:
    submission = review.version.submission
    if is_staff(user):
        return may_grade(user, submission)
    # the owners see the grade last released (``reviews.shown_grade``), not a newer draft
    return action == "view" and review.shown_at is not None and owns(user, submission)


def review_file_policy(user: User, action: str, file: ReviewFile) -> bool:
    return action == "download" and review_policy(user, "view", file.review) \
        and (is_staff(user) or file.shown_at is not None)


def notification_policy(user: User, action: str, notification: Notification) -> bool:
    return notification.user_id == user.id and action in {"view", "read"}


def register_review_policies(app: Flask) -> None:
    register_policy(app, Review, review_policy)
    register_policy(app, ReviewFile, review_file_policy)
    register_policy(app, Notification, notification_policy)


def load_for_grading(submission_id: int) -> Submission:
    """A handed-in submission the current person (staff) may grade.

    404 for unknown ids and for drafts (never handed in, not the staff's to see), 403 for
    staff who do not teach its cohort.
    """
    # the grading view shows every version with its files, review and feedback files
    submission = db.session.get(Submission, submission_id, options=[
        selectinload(Submission.versions).options(
            selectinload(SubmissionVersion.files),
            selectinload(SubmissionVersion.review).selectinload(Review.files))])
    if submission is None or submission.version_count == 0:
        abort(404)
    if not may_grade(current_user, submission):
        abort(403)
    return submission
