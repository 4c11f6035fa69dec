"""The course's sessions as calendar events, for the host's calendar pages and feeds."""

from __future__ import annotations

from collections.abc import Iterator

from flask import has_request_context, url_for

from courses.access import session_cohort_filter, visible_sessions
from courses.models import Session
from lms.extensions import db
from lms.plugins import CalendarEvent, CalendarQuery

KIND = "session"


def session_uid(session: Session) -> str:
    """Stable across exports and edits, so subscribers update rather than duplicate."""
    return f"session-{session.id}@lehrgang"


def _description(session: Session) -> str:
    parts = [session.notes]
    if session.online_url:
        parts.append(session.online_url)
    return "\n\n".join(part for part in parts if part)


def session_event(session: Session) -> CalendarEvent:
    url = (url_for("courses.module", module_id=session.module_id, _external=True)
           if has_request_context() else None)
    return CalendarEvent(
        uid=session_uid(session), title=session.display_title, start=session.starts_at,
        end=session.ends_at, kind=KIND, location=session.location or session.online_url,
        description=_description(session), url=url, cancelled=session.cancelled,
        sequence=session.sequence, last_modified=session.updated_at,
        cohort_id=session.cohort_id,
    )


def calendar_source(query: CalendarQuery) -> Iterator[CalendarEvent]:
    """Sessions ``query.viewer`` may see; sessions are never public (no viewer, no events).

    A session for all cohorts belongs to every cohort, so a cohort filter keeps it.
    """
    if query.viewer is None or not query.viewer.is_authenticated or not query.viewer.active:
        return
    if query.kinds is not None and KIND not in query.kinds:
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
