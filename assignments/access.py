"""Who may see and change assignments, schedules, extensions, submissions and their files.

- Assignments belong to modules: lecturers and organisers write them (like module text).
- A schedule, its extensions and the work handed in for it belong to one cohort: the
  organisers and the lecturers who teach that cohort (``Cohort.lecturers``) manage them.
- Participants see the schedules of the cohorts they are enrolled in now, if the module
  is published; they see and change their own submission only: their own for individual
  work, their municipality's for team work. What they may not see answers 404.
- Staff know that a cohort's work exists (``KNOW``: 403, not 404, where they may not
  open it); drafts are the owners' alone: for staff a submission exists once handed in.
"""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from assignments.deadlines import Owner
from assignments.models import (
    Assignment,
    AssignmentKind,
    AssignmentSchedule,
    DraftFile,
    Extension,
    Submission,
    SubmissionVersion,
    VersionFile,
)
from cohorts.access import is_staff, taught_cohort_ids, teaches
from cohorts.models import Cohort, Enrollment, EnrollmentKind
from lms.auth.access import KNOW, register_policy
from lms.auth.models import User
from lms.extensions import db


def current_enrollment(user: User, cohort_id: int) -> Enrollment | None:
    return db.session.scalar(select(Enrollment).where(
        Enrollment.user_id == user.id, Enrollment.cohort_id == cohort_id,
        Enrollment.ended_at.is_(None)))


def owner_of(user: User, schedule: AssignmentSchedule) -> Owner | None:
    """Whose submission ``user`` works on for ``schedule``; None if they have none there."""
    return owner_for(current_enrollment(user, schedule.cohort_id), schedule)


def owner_for(enrollment: Enrollment | None, schedule: AssignmentSchedule) -> Owner | None:
    """The owner a person enrolled as ``enrollment`` works for in ``schedule``.

    Team work needs a municipality: mediators have none, so they do not hand it in.
    """
    if enrollment is None or enrollment.cohort_id != schedule.cohort_id:
        return None
    team = schedule.assignment.kind is AssignmentKind.TEAM
    if team and enrollment.kind is not EnrollmentKind.MUNICIPALITY:
        return None
    return Owner.of(enrollment.user_id, enrollment.municipality_id, team=team)


def owns(user: User, submission: Submission) -> bool:
    if submission.user_id is not None:
        return submission.user_id == user.id
    enrollment = current_enrollment(user, submission.schedule.cohort_id)
    return enrollment is not None and enrollment.municipality_id == submission.municipality_id


def team_members(submission: Submission) -> list[User]:
    """The people who own ``submission`` now: its person, or the municipality's team."""
    if submission.user is not None:
        return [submission.user]
    return list(db.session.scalars(
        select(User).join(Enrollment, Enrollment.user_id == User.id).where(
            Enrollment.cohort_id == submission.schedule.cohort_id,
            Enrollment.municipality_id == submission.municipality_id,
            Enrollment.kind == EnrollmentKind.MUNICIPALITY, Enrollment.ended_at.is_(None))
        .order_by(User.sort_name, User.id)))


# --- Policies --------------------------------------------------------------------------


def assignment_policy(user: User, action: str, assignment: Assignment) -> bool:
    if is_staff(user):
        return True
    return action == "view" and any(schedule_policy(user, "view", schedule)
                                    for schedule in assignment.schedules)


def schedule_policy(user: User, action: str, schedule: AssignmentSchedule) -> bool:
    """``view``: see the assignment there; ``manage``: dates, extensions, the work handed in."""
    if is_staff(user):
        return action in {"view", KNOW} or teaches(user, schedule.cohort_id)
    return action == "view" and schedule.assignment.module.published \
        and current_enrollment(user, schedule.cohort_id) is not None


def extension_policy(user: User, action: str, extension: Extension) -> bool:
    if action == KNOW:
        return is_staff(user)
    return teaches(user, extension.schedule.cohort_id)


def submission_policy(user: User, action: str, submission: Submission) -> bool:
    """Staff of the cohort read and grade it once handed in; the owners read and work on it.

    Who may grade is decided here ("grade"), for the queue, the grading page and releases.
    """
    if is_staff(user):
        if submission.version_count == 0:
            return False
        if action == KNOW:
            return True
        return action in {"view", "grade"} and teaches(user, submission.schedule.cohort_id)
    return action in {"view", "work"} and owns(user, submission) \
        and schedule_policy(user, "view", submission.schedule)


def version_policy(user: User, action: str, version: SubmissionVersion) -> bool:
    return action in {"view", KNOW} and submission_policy(user, action, version.submission)


def version_file_policy(user: User, action: str, file: VersionFile) -> bool:
    if action == KNOW:
        return version_policy(user, KNOW, file.version)
    return action == "download" and version_policy(user, "view", file.version)


def draft_file_policy(user: User, action: str, file: DraftFile) -> bool:
    """The owners download and remove draft files; staff do not see drafts."""
    return action in {"download", "remove"} and not is_staff(user) \
        and submission_policy(user, "work", file.submission)


def register_policies(app: Flask) -> None:
    register_policy(app, Assignment, assignment_policy)
    register_policy(app, AssignmentSchedule, schedule_policy)
    register_policy(app, Extension, extension_policy)
    register_policy(app, Submission, submission_policy)
    register_policy(app, SubmissionVersion, version_policy)
    register_policy(app, VersionFile, version_file_policy)
    register_policy(app, DraftFile, draft_file_policy)


def cohort_choices(user: User) -> list[tuple[int, str]]:
    """Cohorts ``user`` may schedule work in, by start."""
    taught = taught_cohort_ids(user)
    statement = select(Cohort.id, Cohort.name).order_by(Cohort.starts_on, Cohort.id)
    if taught is not None:
        statement = statement.where(Cohort.id.in_(taught))
    return [(cohort_id, name) for cohort_id, name in db.session.execute(statement)]
