"""A calendar source for the host's calendar tests.

It holds its events in memory and filters them the way a real source must: public
items for everyone, a cohort's items for staff and that cohort's members only, and the
query's cohorts, kinds and time range. Tests fill ``EVENTS``, ``MEMBERS`` and ``NAMES``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, time

from lms.auth.models import Role
from lms.calendar.events import COHORT_NAMES_KEY
from lms.i18n import BERLIN
from lms.plugins import CalendarEvent, CalendarQuery, Plugin


@dataclass(frozen=True)
class Entry:
    event: CalendarEvent
    public: bool = False


EVENTS: list[Entry] = []
#: email -> the cohorts the person belongs to
MEMBERS: dict[str, set[int]] = {}
#: cohort id -> name; cohorts missing here stay unnamed
NAMES: dict[int, str] = {}
#: every query the source was asked, for tests of what a page asks for
QUERIES: list[CalendarQuery] = []


def reset() -> None:
    EVENTS.clear()
    MEMBERS.clear()
    NAMES.clear()
    QUERIES.clear()


def _moment(value: date | datetime) -> datetime:
    return value if isinstance(value, datetime) else datetime.combine(value, time(), BERLIN)


def _may_see(query: CalendarQuery, entry: Entry) -> bool:
    if entry.public:
        return True
    viewer = query.viewer
    if viewer is None or not viewer.is_authenticated or not viewer.active:
        return False
    if viewer.has_role(Role.ORGANISER, Role.LECTURER):
        return True
    cohort = entry.event.cohort_id
    return cohort is None or cohort in MEMBERS.get(viewer.email, set())


def _wanted(query: CalendarQuery, event: CalendarEvent) -> bool:
    if query.kinds is not None and event.kind not in query.kinds:
        return False
    if query.cohort_ids is not None and event.cohort_id is not None \
            and event.cohort_id not in query.cohort_ids:
        return False
    if query.start is not None and _moment(event.end) <= query.start:
        return False
    return query.end is None or _moment(event.start) < query.end


def calendar_source(query: CalendarQuery) -> Iterator[CalendarEvent]:
    QUERIES.append(query)
    for entry in EVENTS:
        if _may_see(query, entry) and _wanted(query, entry.event):
            yield entry.event


plugin = Plugin(
    name="calendartest",
    calendar_source=calendar_source,
    extra={COHORT_NAMES_KEY: lambda ids: {i: NAMES[i] for i in ids if i in NAMES}},
)


#: the same source with its data declared watched (no models: tests renew the stamp by
#: hand after changing ``EVENTS``), so its feeds are cached
cached_plugin = replace(plugin, calendar_models=())
