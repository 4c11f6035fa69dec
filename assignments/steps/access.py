"""Who sees and keeps a municipality's implementation-step records: the steps' policies.

- The municipality's team (its people currently enrolled in the cohort) keep its records.
- Organisers and the lecturers who teach the cohort read every municipality's records.
- The cohort's other people see a summary (states and dates, no documents or notes), and
  only while the cohort shares progress.
- Anyone else learns nothing: a forged id answers 404, like a missing one. Lecturers who
  do not teach the cohort get 403 on its board (staff know the cohort exists).

The plugin's setup registers one policy per object the step pages load
(``register_policies``); the pages load through the host's ``load`` and
``authorize_or_hide``, which answer 404 for what a person may not know exists ("view" or
"know") and 403 for what they know but may not do. The ``Access`` levels are these
policies' inner logic:

- ``Presentation``, ``Measure`` and ``MunicipalityRecords`` (one municipality's page in a
  cohort): "view" (summary), "read" (documents and notes too), "keep" (record, change).
- ``Board`` (a cohort's progress board): "know" (that it exists: staff and the cohort's
  people), "view", "export" (staff teaching the cohort), "manage" (organisers).
- ``Handbook``: staff "view" it, organisers "edit" it. ``TemplateStep``: organisers.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from flask import Flask, abort
from sqlalchemy import ColumnElement, false, or_, select

from assignments.access import current_enrollment
from assignments.steps.board import in_cohort
from assignments.steps.models import Handbook, Measure, Presentation, StepSettings, TemplateStep
from cohorts.access import (
    current_cohort_ids,
    is_organiser,
    is_staff,
    taught_cohort_ids,
    teaches,
)
from cohorts.models import Cohort, Enrollment, EnrollmentKind, Municipality
from lms.auth.access import KNOW, authorize_or_hide, organisers_only, register_policy
from lms.auth.models import User
from lms.extensions import db


class Access(enum.IntEnum):
    """What a person may do with one municipality's records; higher includes lower."""

    NONE = 0
    SUMMARY = 1
    READ = 2
    KEEP = 3


#: the access each action on a municipality's records needs
NEEDED = {"view": Access.SUMMARY, "read": Access.READ, "keep": Access.KEEP}


@dataclass(frozen=True)
class MunicipalityRecords:
    """One municipality's step records in one cohort, as a whole (its page, its timeline)."""

    cohort_id: int
    municipality_id: int


@dataclass(frozen=True)
class Board:
    """A cohort's progress board."""

    cohort: Cohort


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


def visible_presentations(user: User) -> ColumnElement[bool] | None:
    """The records policy's "view" on committee presentations, as a query condition.

    Staff: the cohorts they teach (organisers: every one, None). Participants: their own
    municipality's, and every one of a cohort that shares progress. A list of meetings
    (the calendars) asks this instead of the policy row by row.
    """
    if is_staff(user):
        taught = taught_cohort_ids(user)
        return None if taught is None else Presentation.cohort_id.in_(taught)
    enrollments = db.session.execute(select(Enrollment.cohort_id, Enrollment.municipality_id)
                                     .where(Enrollment.user_id == user.id,
                                            Enrollment.ended_at.is_(None))).all()
    if not enrollments:
        return false()
    sharing = set(db.session.scalars(select(StepSettings.cohort_id).where(
        StepSettings.share_progress, StepSettings.cohort_id.in_([e[0] for e in enrollments]))))
    return or_(*(Presentation.cohort_id == cohort_id if cohort_id in sharing
                 else (Presentation.cohort_id == cohort_id)
                 & (Presentation.municipality_id == municipality_id)
                 for cohort_id, municipality_id in enrollments))


# --- Policies --------------------------------------------------------------------------


def records_policy(user: User, action: str,
                   records: MunicipalityRecords | Presentation | Measure) -> bool:
    """A municipality's records, or one of them: "view", "read" or "keep"."""
    needed = NEEDED.get(action)
    return needed is not None \
        and record_access(user, records.cohort_id, records.municipality_id) >= needed


def board_policy(user: User, action: str, board: Board) -> bool:
    cohort_id = board.cohort.id
    if is_staff(user):
        if action == KNOW:
            return True
        if action == "manage":
            return is_organiser(user)
        return action in {"view", "export"} and teaches(user, cohort_id)
    return action in {KNOW, "view"} and current_enrollment(user, cohort_id) is not None


def handbook_policy(user: User, action: str, _handbook: Handbook) -> bool:
    return is_organiser(user) or (action == "view" and is_staff(user))


def register_policies(app: Flask) -> None:
    for model in (MunicipalityRecords, Presentation, Measure):
        register_policy(app, model, records_policy)
    register_policy(app, Board, board_policy)
    register_policy(app, Handbook, handbook_policy)
    register_policy(app, TemplateStep, organisers_only)


def board_cohort_ids(user: User) -> set[int] | None:
    """The cohorts whose boards ``user`` may open (None: every cohort)."""
    return taught_cohort_ids(user) if is_staff(user) else current_cohort_ids(user)


# --- Loaders for what has no id of its own -----------------------------------------------


def load_board(cohort_id: int, action: str = "view") -> Board:
    """A cohort's board: 404 if the cohort is missing or hidden, 403 if seen but refused."""
    cohort = db.session.get(Cohort, cohort_id)
    if cohort is None:
        abort(404)
    return authorize_or_hide(action, Board(cohort))


def load_records(cohort_id: int, municipality_id: int,
                 action: str) -> tuple[Cohort, Municipality, MunicipalityRecords]:
    """The cohort and the municipality (404 unless it has a place there) whose records the
    current person may ``action``."""
    cohort = db.session.get(Cohort, cohort_id)
    if cohort is None:
        abort(404)
    records = authorize_or_hide(action, MunicipalityRecords(cohort.id, municipality_id))
    municipality = in_cohort(cohort.id, municipality_id)
    if municipality is None:
        abort(404)
    return cohort, municipality, records
