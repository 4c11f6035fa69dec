"""Calendar events as RFC 5545 iCalendar: pure functions, no request, no database.

Times go out as local Berlin times with ``TZID=Europe/Berlin`` and the matching VTIMEZONE,
so clients show the right wall-clock time on both sides of a daylight-saving change;
all-day items go out as dates with an exclusive end. Folding, escaping and CRLF line
endings are left to the icalendar package.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar

from lms.i18n import TIMEZONE
from lms.plugins import CalendarEvent

PRODID = "-//LaKI NRW//Lehrgang Integrationsmanagement und Systemdesign//DE"
BERLIN = ZoneInfo(TIMEZONE)
#: raise when the output changes for the same events, so cached copies are refetched
FORMAT_VERSION = "1"


@dataclass(frozen=True)
class FeedOptions:
    """What a feed says about itself, beside its events."""

    #: X-WR-CALNAME and NAME: what a client calls the subscribed calendar
    name: str
    #: how often subscribers should fetch again (REFRESH-INTERVAL, X-PUBLISHED-TTL)
    refresh: timedelta = timedelta(hours=1)
    #: CATEGORIES per kind, e.g. {"session": "Präsenztermin"}; other kinds go out as they are
    kind_labels: Mapping[str, str] = field(default_factory=dict)


def feed_etag(events: Sequence[CalendarEvent], options: FeedOptions) -> str:
    """A validator that changes whenever the feed's content would.

    It hashes every field of every event rather than trusting sources to raise
    ``sequence`` or ``last_modified``: titles may be translated or derived from other
    records. For 300 events this costs well under a millisecond; building the feed costs
    tens of them, which is what a 304 answer saves.
    """
    digest = hashlib.blake2b(digest_size=16)
    labels = sorted(options.kind_labels.items())
    digest.update(repr((FORMAT_VERSION, options.name, options.refresh, labels)).encode())
    for event in events:
        digest.update(repr((event.uid, event.title, event.start, event.end, event.kind,
                            event.location, event.description, event.url, event.cancelled,
                            event.sequence, event.last_modified)).encode())
    return digest.hexdigest()


def feed_last_modified(events: Sequence[CalendarEvent]) -> datetime | None:
    """The newest change of any event, or None if no source tells.

    An event that leaves a feed does not move this time (sources keep cancelled events,
    so that is rare); the ETag covers it.
    """
    stamps = [event.last_modified for event in events if event.last_modified is not None]
    return max(stamps) if stamps else None


def to_ical(events: Sequence[CalendarEvent], options: FeedOptions, now: datetime) -> bytes:
    """The feed as bytes, CRLF line endings, UTF-8."""
    return to_calendar(events, options, now).to_ical()


def to_calendar(events: Sequence[CalendarEvent], options: FeedOptions,
                now: datetime) -> icalendar.Calendar:
    """A VCALENDAR with one VEVENT per event and the VTIMEZONE its times need.

    ``now`` is the DTSTAMP of events whose source gives no ``last_modified``.
    """
    calendar = icalendar.Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", PRODID)
    calendar.add("calscale", "GREGORIAN")
    calendar.add("name", options.name)
    calendar.add("x-wr-calname", options.name)
    calendar.add("x-wr-timezone", TIMEZONE)
    calendar.add("refresh-interval", options.refresh, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", icalendar.vDuration(options.refresh))
    for event in events:
        calendar.add_component(event_component(event, options, now))
    timed = [event for event in events if not event.all_day]
    if timed:
        # whole years around the events: the rules of every year the feed touches
        first = min(_local(event.start) for event in timed).year
        last = max(_local(event.end) for event in timed).year
        calendar.add_missing_timezones(first_date=date(first, 1, 1),
                                       last_date=date(last + 1, 1, 1))
    return calendar


def event_component(event: CalendarEvent, options: FeedOptions,
                    now: datetime) -> icalendar.Event:
    component = icalendar.Event()
    component.add("uid", event.uid)
    # Without METHOD, DTSTAMP is when the item was last revised (RFC 5545, 3.8.7.2).
    component.add("dtstamp", event.last_modified or now)
    start, end = _start_end(event)
    component.add("dtstart", start)
    component.add("dtend", end)
    component.add("summary", event.title)
    component.add("sequence", event.sequence)
    if event.last_modified is not None:
        component.add("last-modified", event.last_modified)
    component.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
    component.add("categories", [str(options.kind_labels.get(event.kind, event.kind))])
    if event.location:
        component.add("location", event.location)
    if event.description:
        component.add("description", event.description)
    if event.url:
        component.add("url", event.url)
    return component


def _start_end(event: CalendarEvent) -> tuple[date | datetime, date | datetime]:
    """Local Berlin times (or dates); an end not after its start becomes the shortest valid."""
    if event.all_day:
        start = _as_date(event.start)
        end = _as_date(event.end)
        return start, max(end, start + timedelta(days=1))
    start, end = _local(event.start), _local(event.end)
    return start, max(start, end)


def _local(moment: date | datetime) -> datetime:
    if not isinstance(moment, datetime):
        return datetime.combine(moment, datetime.min.time(), BERLIN)
    if moment.tzinfo is None:
        raise ValueError("calendar events need timezone-aware datetimes")
    return moment.astimezone(BERLIN)


def _as_date(moment: date | datetime) -> date:
    return _local(moment).date() if isinstance(moment, datetime) else moment
