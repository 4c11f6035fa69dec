"""A cohort's schedules with what every page shows of them, read once per request: the
participant's work list and the gradebook (the dashboard shows both) share them."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from assignments.models import Assignment, AssignmentSchedule
from courses.models import Module
from lms.extensions import db
from lms.memo import per_request


@per_request
def cohort_schedules(cohort_id: int) -> tuple[AssignmentSchedule, ...]:
    """Every schedule of the cohort, unpublished modules' too, with its assignment, module
    and extensions, in course order (module, then assignment)."""
    return tuple(db.session.scalars(
        select(AssignmentSchedule).join(AssignmentSchedule.assignment).join(Assignment.module)
        .where(AssignmentSchedule.cohort_id == cohort_id)
        .options(joinedload(AssignmentSchedule.assignment).joinedload(Assignment.module),
                 selectinload(AssignmentSchedule.extensions))
        .order_by(Module.position, Assignment.position, AssignmentSchedule.id)).unique())
