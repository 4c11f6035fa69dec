"""Sessions and congresses as calendar events, for the host's calendar pages and feeds.

The calendar shows a congress as one event; its own feed (``agenda_events``) has one
event per agenda item.
"""

from __future__ import annotations

from collections.abc import Iterator

from courses.access import session_cohort_filter, visible_sessions
from courses.congress_access import visible_congresses
from courses.congress_models import AgendaItem, Congress
from courses.congresses import programme
from courses.models import Course, Module, Session
from lms.extensions import db
from lms.links import site_url
from lms.plugins import CalendarEvent, CalendarQuery

KIND = "session"
CONGRESS_KIND = "congress"
#: what the source reads (``Plugin.calendar_models``); who belongs to which cohort is
#: the audience's (cohorts) to name
MODELS: tuple[type, ...] = (Course, Module, Session, Congress)


def session_uid(session: Session) -> str:
    """Stable across exports and edits, so subscribers update rather than duplicate."""
    return f"session-{session.id}@lehrgang"


def _description(session: Session) -> str:
    parts = [session.notes]
    if session.online_url:
        parts.append(session.online_url)
    return "\n\n".join(part for part in parts if part)


def session_event(session: Session) -> CalendarEvent:
    url = site_url("courses.module", module_id=session.module_id)
    return CalendarEvent(
        uid=session_uid(session), title=session.display_title, start=session.starts_at,
        end=session.ends_at, kind=KIND, location=session.location or session.online_url,
        description=_description(session), url=url, cancelled=session.cancelled,
        sequence=session.sequence, last_modified=session.updated_at,
        cohort_id=session.cohort_id,
    )


def calendar_source(query: CalendarQuery) -> Iterator[CalendarEvent]:
    yield from session_events(query)
    yield from congress_events(query)


def session_events(query: CalendarQuery) -> Iterator[CalendarEvent]:
    """Sessions ``query.viewer`` may see; sessions are never public (no viewer, no events).

    A session for all cohorts belongs to every cohort, so a cohort filter keeps it.
    """
    if query.viewer is None or not query.viewer.is_authenticated or not query.viewer.active:
        return
    if not query.wants(KIND):
        return
    statement = visible_sessions(query.viewer)
    if query.cohort_ids is not None:
        statement = statement.where(session_cohort_filter(query.cohort_ids))
    if query.start is not None:
        statement = statement.where(Session.ends_at > query.start)
    if query.end is not None:
        statement = statement.where(Session.starts_at < query.end)
    for session in db.session.scalars(statement):
        yield session_event(session)


# --- Congresses ----------------------------------------------------------------------------


def congress_uid(congress: Congress) -> str:
    return f"congress-{congress.id}@lehrgang"


def agenda_item_uid(item: AgendaItem) -> str:
    return f"congress-item-{item.id}@lehrgang"


def _congress_url(congress: Congress, anchor: str | None = None) -> str:
    return site_url("congresses.congress", congress_id=congress.id, _anchor=anchor)


def congress_location(congress: Congress) -> str:
    """Venue and address on one line, as calendar programs show a place."""
    lines = [congress.venue, *congress.address.splitlines()]
    return ", ".join(line.strip() for line in lines if line.strip())


def congress_event(congress: Congress) -> CalendarEvent:
    return CalendarEvent(
        uid=congress_uid(congress), title=congress.title, start=congress.starts_at,
        end=congress.ends_at, kind=CONGRESS_KIND, location=congress_location(congress),
        description=congress.subtitle, url=_congress_url(congress),
        cancelled=congress.cancelled, sequence=congress.sequence,
        last_modified=congress.updated_at,
    )


def _item_description(item: AgendaItem) -> str:
    speakers = [", ".join(part for part in (s.name, s.role, s.organisation) if part)
                for s in item.speakers]
    parts = [item.kind.label, "\n".join(speakers), item.description]
    return "\n\n".join(part for part in parts if part)


def agenda_item_event(item: AgendaItem) -> CalendarEvent:
    """An agenda item; cancelled with its congress, and changed when the congress changes."""
    congress = item.congress
    location = ", ".join(part for part in (item.room, congress_location(congress)) if part)
    return CalendarEvent(
        uid=agenda_item_uid(item), title=item.title, start=item.starts_at, end=item.ends_at,
        kind=CONGRESS_KIND, location=location, description=_item_description(item),
        url=_congress_url(congress, f"item-{item.id}"),
        cancelled=item.cancelled or congress.cancelled,
        sequence=item.sequence + congress.sequence,
        last_modified=max(item.updated_at, congress.updated_at),
    )


def agenda_events(congress: Congress) -> list[CalendarEvent]:
    return [agenda_item_event(item) for item in programme(congress)]


def congress_events(query: CalendarQuery) -> Iterator[CalendarEvent]:
    """The congresses ``query.viewer`` may see (no viewer: the public ones), for all cohorts;
    those overlapping the range, asked of the database as sessions are."""
    if not query.wants(CONGRESS_KIND):
        return
    statement = visible_congresses(query.viewer)
    if query.start is not None:
        statement = statement.where(Congress.ends_at > query.start)
    if query.end is not None:
        statement = statement.where(Congress.starts_at < query.end)
    for congress in db.session.scalars(statement):
        yield congress_event(congress)
