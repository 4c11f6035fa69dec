"""Who may grade, and who may see reviews, feedback files and notifications.

- Grading (the queue, the grading view, saving, releasing) is for the organisers and the
  lecturers who teach the submission's cohort: the same people who manage its schedule
  (``assignments.access.submission_policy``, action "grade").
- The owners of a submission see a review, and its files, once it is released; before
  that it does not exist for them (404).
- A notification belongs to its person alone.
"""

from __future__ import annotations

from flask import Flask

from assignments.access import owns, submission_policy
from assignments.models import Notification, Review, ReviewFile
from cohorts.access import is_staff
from lms.auth.access import register_policy
from lms.auth.models import User


def review_policy(user: User, action: str, review: Review) -> bool:
    submission = review.version.submission
    if is_staff(user):
        return submission_policy(user, "grade", submission)
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
