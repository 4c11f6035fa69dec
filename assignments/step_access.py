"""Who sees and keeps a municipality's implementation-step records.

- The municipality's team (its people currently enrolled in the cohort) keep its records.
- Organisers and the lecturers who teach the cohort read every municipality's records.
- The cohort's other people see a summary (states and dates, no documents or notes), and
  only while the cohort shares progress.
- Anyone else learns nothing: a forged id answers 404, like a missing one. Lecturers who
  do not teach the cohort get 403 on its board (staff know the cohort exists).
"""

from __future__ import annotations

import enum
from typing import Any, TypeVar

from flask import abort
from flask_login import current_user
from sqlalchemy import select

from assignments.access import current_enrollment, teaches
from assignments.step_models import StepSettings
from cohorts.access import is_staff
from cohorts.models import Cohort, EnrollmentKind
from lms.auth.models import User
from lms.extensions import db, login_manager

M = TypeVar("M")


class Access(enum.IntEnum):
    """What a person may do with one municipality's records; higher includes lower."""

    NONE = 0
    SUMMARY = 1
    READ = 2
    KEEP = 3


def shares_progress(cohort_id: int) -> bool:
    return bool(db.session.scalar(select(StepSettings.share_progress).where(
        StepSettings.cohort_id == cohort_id)))


def team_municipality_id(user: User, cohort_id: int) -> int | None:
    """The municipality ``user`` is a current team member of in the cohort, if any."""
    enrollment = current_enrollment(user, cohort_id)
    if enrollment is None or enrollment.kind is not EnrollmentKind.MUNICIPALITY:
        return None
    return enrollment.municipality_id


def cohort_access(user: User, cohort_id: int) -> Access:
    """The most ``user`` may do with records of the cohort they do not keep themselves."""
    if not user.is_authenticated or not user.active:
        return Access.NONE
    if is_staff(user):
        return Access.READ if teaches(user, cohort_id) else Access.NONE
    if current_enrollment(user, cohort_id) is None:
        return Access.NONE
    return Access.SUMMARY if shares_progress(cohort_id) else Access.NONE


def record_access(user: User, cohort_id: int, municipality_id: int) -> Access:
    if not user.is_authenticated or not user.active:
        return Access.NONE
    if not is_staff(user) and team_municipality_id(user, cohort_id) == municipality_id:
        return Access.KEEP
    return cohort_access(user, cohort_id)


def _signed_in() -> User:
    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())
    return current_user


def load_board_cohort(cohort_id: int) -> Cohort:
    """A cohort whose board the current person may open: staff teaching it, its people."""
    user = _signed_in()
    cohort = db.session.get(Cohort, cohort_id)
    if cohort is None:
        abort(404)
    if is_staff(user):
        if not teaches(user, cohort.id):
            abort(403)
    elif current_enrollment(user, cohort.id) is None:
        abort(404)
    return cohort


def load_record(model: type[M], ident: Any, needed: Access) -> tuple[M, Access]:
    """A presentation or measure with the current person's access to it.

    404 when they may not even see it (or it does not exist); 403 when they see it but
    may not do what ``needed`` asks.
    """
    user = _signed_in()
    obj = db.session.get(model, ident)
    if obj is None:
        abort(404)
    access = record_access(user, obj.cohort_id, obj.municipality_id)  # type: ignore[attr-defined]
    if access is Access.NONE:
        abort(404)
    if access < needed:
        abort(403)
    return obj, access


def municipality_access(cohort: Cohort, municipality_id: int, needed: Access) -> Access:
    """The current person's access to one municipality's records in ``cohort``."""
    access = record_access(_signed_in(), cohort.id, municipality_id)
    if access is Access.NONE:
        abort(404)
    if access < needed:
        abort(403)
    return access
