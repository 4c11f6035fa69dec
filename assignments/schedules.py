"""Cohorts' schedules with what every page shows of them, read once per request: the
participant's work list and the gradebook (the dashboard shows both) share them."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from assignments.models import Assignment, AssignmentSchedule
from courses.models import Module
from lms.extensions import db
from lms.memo import per_request


@per_request
def schedules_of(cohort_ids: frozenset[int]) -> tuple[AssignmentSchedule, ...]:
    """Every schedule of the cohorts, unpublished modules' too, with its assignment, module
    and extensions, in course order (module, assignment, then the earlier deadline)."""
    return tuple(db.session.scalars(
        select(AssignmentSchedule).join(AssignmentSchedule.assignment).join(Assignment.module)
        .where(AssignmentSchedule.cohort_id.in_(cohort_ids))
        .options(joinedload(AssignmentSchedule.assignment).joinedload(Assignment.module),
                 selectinload(AssignmentSchedule.extensions))
        .order_by(Module.position, Assignment.position, AssignmentSchedule.due_at,
                  AssignmentSchedule.id)).unique())
