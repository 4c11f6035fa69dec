"""Due dates as calendar events: per cohort, and with a participant's own extension.

Staff see every schedule's due date. A participant sees those of their current cohorts
in published modules; in their personal view (no cohort chosen) the dates are their own,
with any extension applied (the one deadline rule), while a cohort's calendar shows the
cohort's dates. Nothing here is public.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import InstrumentedAttribute, joinedload, selectinload

from assignments.access import owner_for
from assignments.deadlines import effective_deadlines
from assignments.models import Assignment, AssignmentSchedule, Extension
from cohorts.access import current_cohort_ids, current_enrollments, is_staff
from courses.models import Module
from lms.extensions import db
from lms.links import site_url
from lms.plugins import CalendarEvent, CalendarQuery

KIND = "deadline"
#: what the source reads (``Plugin.calendar_models``) beside courses' and cohorts' models
MODELS: tuple[type, ...] = (Assignment, AssignmentSchedule, Extension)


def schedule_uid(schedule: AssignmentSchedule) -> str:
    return f"assignment-schedule-{schedule.id}@lehrgang"


def deadline_event(schedule: AssignmentSchedule, due_at: datetime, *,
                   extended: bool = False) -> CalendarEvent:
    assignment = schedule.assignment
    url = site_url("assignments.work", schedule_id=schedule.id)
    title = _("Due: %(title)s", title=assignment.title)
    description = _("Module: %(module)s", module=assignment.module.title)
    if extended:
        description += "\n" + _("Your extended due date.")
    return CalendarEvent(uid=schedule_uid(schedule), title=title, start=due_at, end=due_at,
                         kind=KIND, description=description, url=url,
                         sequence=schedule.sequence, last_modified=schedule.updated_at,
                         cohort_id=schedule.cohort_id)


def _due_or_extended(
        condition: Callable[[InstrumentedAttribute[datetime]], ColumnElement[bool]],
) -> ColumnElement[bool]:
    """``condition`` holds for the schedule's due date or for one of its extensions'."""
    extended = select(Extension.id).where(Extension.schedule_id == AssignmentSchedule.id,
                                          condition(Extension.due_at))
    return or_(condition(AssignmentSchedule.due_at), extended.exists())


def calendar_source(query: CalendarQuery) -> Iterator[CalendarEvent]:
    if not query.signed_in:
        return
    viewer = query.viewer
    if not query.wants(KIND):
        return
    statement = (select(AssignmentSchedule).join(AssignmentSchedule.assignment)
                 .join(Assignment.module)
                 .options(joinedload(AssignmentSchedule.assignment)
                          .joinedload(Assignment.module),
                          selectinload(AssignmentSchedule.extensions))
                 .order_by(AssignmentSchedule.due_at, AssignmentSchedule.id))
    staff = is_staff(viewer)
    if not staff:
        statement = statement.where(
            Module.published, AssignmentSchedule.cohort_id.in_(current_cohort_ids(viewer)))
    if query.cohort_ids is not None:
        statement = statement.where(AssignmentSchedule.cohort_id.in_(query.cohort_ids))
    # schedules whose date, or an extension's, may fall in the range; the loop decides
    if query.start is not None:
        statement = statement.where(_due_or_extended(lambda due: due >= query.start))
    if query.end is not None:
        statement = statement.where(_due_or_extended(lambda due: due < query.end))
    # the personal view: the viewer's own dates, from their enrollment in each cohort
    enrollments = {e.cohort_id: e for e in current_enrollments(viewer)} \
        if not staff and query.cohort_ids is None else {}
    for schedule in db.session.scalars(statement).unique():
        deadlines = effective_deadlines(
            schedule, owner_for(enrollments.get(schedule.cohort_id), schedule))
        if query.start is not None and deadlines.due_at < query.start:
            continue
        if query.end is not None and deadlines.due_at >= query.end:
            continue
        yield deadline_event(schedule, deadlines.due_at, extended=deadlines.extended)
