"""Application deadlines and cohort dates as calendar events for the host's calendars.

All of them are all-day events (dates, the end exclusive). Application deadlines are
public: everyone sees them, also without signing in. A cohort's start and end are seen by
staff and by the people of that cohort.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import or_, select

from cohorts.access import cohort_ids_of
from cohorts.models import Cohort, Enrollment
from lms.dates import berlin_day, berlin_midnight
from lms.extensions import db
from lms.links import site_url
from lms.plugins import CalendarEvent, CalendarQuery, rows_as_events

DEADLINE = "deadline"
#: what the source reads (``Plugin.calendar_models``); a cohort's lecturers change with it
MODELS: tuple[type, ...] = (Cohort, Enrollment)
COHORT = "cohort"
ONE_DAY = timedelta(days=1)


def _url(endpoint: str, cohort: Cohort) -> str:
    return site_url(endpoint, cohort_id=cohort.id)


def _day(cohort: Cohort, uid: str, title: str, day: date, kind: str, endpoint: str,
         description: str = "") -> CalendarEvent:
    return CalendarEvent(uid=f"cohort-{cohort.id}-{uid}@lehrgang", title=title, start=day,
                         end=day + ONE_DAY, kind=kind, description=description,
                         url=_url(endpoint, cohort), sequence=cohort.calendar_sequence,
                         last_modified=cohort.updated_at, cohort_id=cohort.id)


def cohort_events(cohort: Cohort, *, with_dates: bool) -> list[CalendarEvent]:
    """The deadline of ``cohort``, and its start and end if ``with_dates``."""
    events = [_day(cohort, "deadline", _("Application deadline: %(cohort)s", cohort=cohort.name),
                   cohort.application_closes_on, DEADLINE, "cohorts.apply",
                   _("Applications are accepted until the end of this day."))]
    if with_dates:
        events += [
            _day(cohort, "start", _("Start: %(cohort)s", cohort=cohort.name), cohort.starts_on,
                 COHORT, "cohorts.cohort"),
            _day(cohort, "end", _("End: %(cohort)s", cohort=cohort.name), cohort.ends_on,
                 COHORT, "cohorts.cohort"),
        ]
    return events


def _wanted(event: CalendarEvent, query: CalendarQuery) -> bool:
    if not query.wants(event.kind):
        return False
    if query.start is not None and berlin_midnight(event.end) <= query.start:
        return False
    return query.end is None or berlin_midnight(event.start) < query.end


def calendar_source(query: CalendarQuery) -> Iterator[CalendarEvent]:
    viewer = query.viewer
    signed_in = viewer is not None and viewer.is_authenticated and viewer.active
    # None: every cohort's dates (staff); a set: the cohorts whose dates the viewer sees
    own = cohort_ids_of(viewer) if signed_in else set()
    statement = select(Cohort).order_by(Cohort.starts_on, Cohort.id)
    if query.cohort_ids is not None:
        statement = statement.where(Cohort.id.in_(query.cohort_ids))
    days = (Cohort.application_closes_on, Cohort.starts_on, Cohort.ends_on)
    # cohorts with a day that may fall in the range; ``_wanted`` decides for each event
    if query.start is not None:
        statement = statement.where(or_(*(day >= berlin_day(query.start) for day in days)))
    if query.end is not None:
        statement = statement.where(or_(*(day <= berlin_day(query.end) for day in days)))

    def wanted_events(cohort: Cohort) -> list[CalendarEvent]:
        with_dates = own is None or cohort.id in own
        return [event for event in cohort_events(cohort, with_dates=with_dates)
                if _wanted(event, query)]

    yield from rows_as_events(db.session.scalars(statement), wanted_events)


def cohort_names(cohort_ids: Collection[int]) -> dict[int, str]:
    """Names for the host calendar's cohort filter, in one query."""
    rows = db.session.execute(select(Cohort.id, Cohort.name).where(Cohort.id.in_(cohort_ids)))
    return {cohort_id: name for cohort_id, name in rows}
