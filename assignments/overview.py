"""A participant's assignments with their own dates and state: for the list, the module
page and the dashboard."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select

from assignments.access import owner_for
from assignments.deadlines import Deadlines, Owner, Verdict, effective_deadlines, verdict
from assignments.models import (
    Assignment,
    AssignmentKind,
    AssignmentSchedule,
    Submission,
    SubmissionState,
)
from assignments.schedules import schedules_of
from assignments.submitting import participant_state
from cohorts.access import current_enrollments
from cohorts.models import Enrollment
from lms.auth.models import User
from lms.db import utcnow
from lms.extensions import db
from lms.memo import per_request

DUE_SOON = timedelta(days=14)


@dataclass(frozen=True)
class WorkRow:
    schedule: AssignmentSchedule
    deadlines: Deadlines
    submission: Submission | None
    #: as the participant may see it; None before anything was saved
    state: SubmissionState | None
    #: what handing in now would be: not open yet, on time, late, or refused
    now: Verdict
    #: False for team work the person cannot hand in (a mediator, say)
    can_work: bool

    @property
    def assignment(self) -> Assignment:
        return self.schedule.assignment

    @property
    def handed_in(self) -> bool:
        return self.submission is not None and self.submission.version_count > 0


@per_request
def participant_rows(user: User, module_id: int | None = None,
                     at: datetime | None = None) -> list[WorkRow]:
    """The schedules of ``user``'s current cohorts in published modules, in course order.

    A fixed number of queries however many assignments there are.
    """
    enrollments = {e.cohort_id: e for e in current_enrollments(user)}
    if not enrollments:
        return []
    schedules = [schedule for schedule in schedules_of(frozenset(enrollments))
                 if schedule.assignment.module.published
                 and (module_id is None or schedule.assignment.module_id == module_id)]
    submissions = _submissions_of(user, enrollments.values(), [s.id for s in schedules])
    at = at or utcnow()
    rows = []
    for schedule in schedules:
        owner = owner_for(enrollments.get(schedule.cohort_id), schedule)
        submission = submissions.get(_key(schedule, owner)) if owner is not None else None
        deadlines = effective_deadlines(schedule, owner)
        rows.append(WorkRow(schedule, deadlines, submission, participant_state(submission),
                            verdict(deadlines, at), owner is not None))
    return rows


def _submissions_of(user: User, enrollments: Iterable[Enrollment],
                    schedule_ids: list[int]) -> dict[tuple[int, int | None, int | None],
                                                      Submission]:
    """The person's own and their municipalities' submissions, by (schedule, user, place)."""
    municipality_ids = [e.municipality_id for e in enrollments if e.municipality_id]
    found = db.session.scalars(select(Submission).where(
        Submission.schedule_id.in_(schedule_ids),
        or_(Submission.user_id == user.id, Submission.municipality_id.in_(municipality_ids))))
    return {(s.schedule_id, s.user_id, s.municipality_id): s for s in found}


def _key(schedule: AssignmentSchedule, owner: Owner) -> tuple[int, int | None, int | None]:
    if schedule.assignment.kind is AssignmentKind.TEAM:
        return schedule.id, None, owner.municipality_id
    return schedule.id, owner.user_id, None


def due_soon(user: User, at: datetime | None = None) -> list[WorkRow]:
    """Open work not handed in yet whose due date (or cut-off, if overdue) is near."""
    rows = participant_rows(user, at=at)
    at = at or utcnow()
    return [row for row in rows
            if row.can_work and not row.handed_in
            and row.now in {Verdict.ON_TIME, Verdict.LATE}
            and row.deadlines.due_at - at <= DUE_SOON]
