"""Calendar events as RFC 5545 iCalendar: pure functions, no request, no database.

Times go out as local Berlin times with ``TZID=Europe/Berlin`` and the one VTIMEZONE that
``berlin_timezone`` writes, so clients show the right wall-clock time on both sides of a
daylight-saving change; the hour that October's change repeats goes out in UTC instead
(see ``_written``). All-day items go out as dates with an exclusive end. Folding,
escaping and CRLF line endings are left to the icalendar package.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import icalendar

from lms.i18n import BERLIN, TIMEZONE
from lms.plugins import CalendarEvent

PRODID = "-//LaKI NRW//Lehrgang Integrationsmanagement und Systemdesign//DE"
#: raise when the output changes for the same events, so cached copies are refetched
FORMAT_VERSION = "2"


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
    if any(not event.all_day for event in events):
        calendar.add_component(berlin_timezone())
    for event in events:
        calendar.add_component(event_component(event, options, now))
    return calendar


def berlin_timezone() -> icalendar.Timezone:
    """Europe/Berlin as large calendar providers publish it: two yearly rules.

    Summer time from the last Sunday of March, 02:00, to the last Sunday of October,
    03:00: the EU's rule since 1996, and the zone database's for every year to come. The
    first onsets lie in 1970, so every accepted date (2000-2100) is covered;
    tests/calendar/test_clients.py holds the rules to the zone database for each of those
    years. Every client reads RRULEs; the RDATE lists after a first DTSTART that
    icalendar's ``add_missing_timezones`` wrote cost Mozilla's ical.js the first year's
    changes and covered only the years of the events. This is the only place that writes
    a VTIMEZONE.
    """
    zone = icalendar.Timezone()
    zone.add("tzid", TIMEZONE)
    zone.add_component(_observance(icalendar.TimezoneDaylight, "CEST", datetime(1970, 3, 29, 2),
                                   month=3, before=1, after=2))
    zone.add_component(_observance(icalendar.TimezoneStandard, "CET", datetime(1970, 10, 25, 3),
                                   month=10, before=2, after=1))
    return zone


def _observance(kind: type[icalendar.Component], name: str, first: datetime, *, month: int,
                before: int, after: int) -> icalendar.Component:
    """A change on the last Sunday of ``month`` each year, from UTC+``before`` to +``after``."""
    observance = kind()
    observance.add("dtstart", first)
    observance.add("rrule", {"freq": "yearly", "bymonth": month, "byday": "-1SU"})
    observance.add("tzoffsetfrom", timedelta(hours=before))
    observance.add("tzoffsetto", timedelta(hours=after))
    observance.add("tzname", name)
    return observance


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
    """Times as written (or dates); an end not after its start becomes the shortest valid."""
    if event.all_day:
        start = _as_date(event.start)
        end = _as_date(event.end)
        return start, max(end, start + timedelta(days=1))
    # compared in UTC: two times in one zone compare by wall clock, and October's second
    # 02:30 would not count as later than its first
    start, end = _local(event.start).astimezone(UTC), _local(event.end).astimezone(UTC)
    return _written(start), _written(max(start, end))


def _written(moment: datetime) -> datetime:
    """``moment`` in Berlin time, or in UTC where Berlin's wall clock names two instants.

    In the hour that the October change repeats (02:00-02:59 twice), RFC 5545 reads a
    local time as the first instant, and icalendar and vobject do; ical.js reads the
    second. Written in UTC, the instant is the same in every client. (A local time that
    does not exist, in March's skipped hour, is never written: times come from UTC.)
    """
    local = moment.astimezone(BERLIN)
    if local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset():
        return local.astimezone(UTC)
    return local


def _local(moment: date | datetime) -> datetime:
    if not isinstance(moment, datetime):
        return datetime.combine(moment, datetime.min.time(), BERLIN)
    if moment.tzinfo is None:
        raise ValueError("calendar events need timezone-aware datetimes")
    return moment.astimezone(BERLIN)


def _as_date(moment: date | datetime) -> date:
    return _local(moment).date() if isinstance(moment, datetime) else moment
