"""Case appointments in the host's calendars: only for the people involved (the requester,
the municipality's responsible persons, the assigned members) and the organisers. They
belong to no cohort, so a cohort's calendar shows none."""

from __future__ import annotations

from collections.abc import Iterator

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from advice.access import involving, is_organiser
from advice.models import AdviceCase, Appointment, CaseAssignment, PoolMember
from cohorts.models import Enrollment
from lms.extensions import db
from lms.links import site_url
from lms.plugins import CalendarEvent, CalendarQuery, rows_as_events

APPOINTMENT = "advice"
#: every model the source reads: what the events say and who sees them
CALENDAR_MODELS = (Appointment, AdviceCase, CaseAssignment, PoolMember, Enrollment)


def appointment_event(appointment: Appointment) -> CalendarEvent:
    case = appointment.case
    return CalendarEvent(
        uid=f"advice-appointment-{appointment.id}@lehrgang",
        title=_("%(title)s (%(kind)s)", title=appointment.title, kind=case.kind.label),
        start=appointment.starts_at, end=appointment.ends_at, kind=APPOINTMENT,
        location=appointment.location, url=site_url("advice.case", case_id=case.id),
        cancelled=appointment.cancelled, sequence=appointment.sequence,
        last_modified=appointment.updated_at)


def calendar_source(query: CalendarQuery) -> Iterator[CalendarEvent]:
    if not query.signed_in or query.cohort_ids is not None or not query.wants(APPOINTMENT):
        return
    viewer = query.viewer
    statement = select(Appointment).join(Appointment.case).options(
        contains_eager(Appointment.case)).order_by(Appointment.starts_at,
                                                                    Appointment.id)
    if not is_organiser(viewer):
        statement = statement.where(involving(viewer))
    if query.start is not None:
        statement = statement.where(Appointment.ends_at > query.start)
    if query.end is not None:
        statement = statement.where(Appointment.starts_at < query.end)
    yield from rows_as_events(db.session.scalars(statement),
                              lambda appointment: [appointment_event(appointment)])
