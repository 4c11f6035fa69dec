"""Committee meetings (step 3) as calendar events of kind "committee".

Staff see the meetings of the cohorts they teach (organisers: all). Participants see
their own municipality's meetings, and all of their cohort's when it shares progress.
Nothing is public. A meeting keeps its event once its outcome is recorded, so
subscribers' calendars do not lose it; the outcome goes into the description.

This is the steps plugin's calendar source; module work's due dates come from
``assignments.calendar``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from assignments.steps.access import visible_presentations
from assignments.steps.models import Presentation, StepSettings
from cohorts.models import Municipality
from lms.extensions import db
from lms.links import site_url
from lms.plugins import CalendarEvent, CalendarQuery, rows_as_events

KIND = "committee"
#: what the source reads (``Plugin.calendar_models``) beside cohorts' models
MODELS: tuple[type, ...] = (Presentation, StepSettings, Municipality)
#: committee meetings have no end time in the records; calendars show two hours
DURATION = timedelta(hours=2)


def meeting_event(presentation: Presentation) -> CalendarEvent:
    municipality = presentation.municipality.name
    url = site_url("steps.municipality_page", cohort_id=presentation.cohort_id,
                   municipality_id=presentation.municipality_id, _anchor="presentation")
    description = presentation.reference
    if presentation.outcome is not None:
        description = "\n".join(filter(None, [description, _("Outcome: %(outcome)s",
                                                             outcome=presentation.outcome.label)]))
    return CalendarEvent(
        uid=f"step-presentation-{presentation.id}@lehrgang",
        title=_("%(committee)s (%(municipality)s)", committee=presentation.committee,
                municipality=municipality),
        start=presentation.meeting_at, end=presentation.meeting_at + DURATION, kind=KIND,
        description=description, url=url, sequence=presentation.sequence,
        last_modified=presentation.updated_at, cohort_id=presentation.cohort_id)


def calendar_source(query: CalendarQuery) -> Iterator[CalendarEvent]:
    if not query.signed_in:
        return
    if not query.wants(KIND):
        return
    statement = (select(Presentation).options(joinedload(Presentation.municipality))
                 .order_by(Presentation.meeting_at, Presentation.id))
    condition = visible_presentations(query.viewer)
    if condition is not None:
        statement = statement.where(condition)
    if query.cohort_ids is not None:
        statement = statement.where(Presentation.cohort_id.in_(query.cohort_ids))
    if query.start is not None:
        statement = statement.where(Presentation.meeting_at > query.start - DURATION)
    if query.end is not None:
        statement = statement.where(Presentation.meeting_at < query.end)
    yield from rows_as_events(db.session.scalars(statement),
                              lambda presentation: [meeting_event(presentation)])
