"""How the calendar page lays events out: months, a week grid, a list, time labels.

Everything is in Berlin local days; weeks begin on Monday.
"""

from __future__ import annotations

import calendar as pycalendar
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import gettext as _

from lms.calendar.events import days_of, local_end, local_start
from lms.datetext import day_span, local_time, month_name, named_date, time_span
from lms.plugins import CalendarEvent

MONTH_PATTERN = re.compile(r"(\d{4})-(\d{2})")
FIRST_YEAR, LAST_YEAR = 1970, 2200


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Month | None:
        """``"2017-12"`` as a month; None for anything else, or a year out of range."""
        match = MONTH_PATTERN.fullmatch(text)
        if match is None:
            return None
        year, month = int(match[1]), int(match[2])
        if not (FIRST_YEAR <= year <= LAST_YEAR and 1 <= month <= 12):
            return None
        return cls(year, month)

    @classmethod
    def of(cls, day: date) -> Month:
        return cls(day.year, day.month)

    @property
    def key(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        return date(self.year, self.month, pycalendar.monthrange(self.year, self.month)[1])

    @property
    def previous(self) -> Month:
        return Month.of(self.first_day - timedelta(days=1))

    @property
    def next(self) -> Month:
        return Month.of(self.last_day + timedelta(days=1))

    def label(self) -> str:
        return month_name(self.first_day)


@dataclass(frozen=True)
class Day:
    day: date
    in_month: bool
    is_today: bool
    events: tuple[CalendarEvent, ...]


def overlapping(events: Iterable[CalendarEvent], first: date, last: date) -> list[CalendarEvent]:
    """The events that touch any day from ``first`` to ``last`` (both included)."""
    result = []
    for event in events:
        start, end = days_of(event)
        if start <= last and end >= first:
            result.append(event)
    return result


def weeks(month: Month, events: Sequence[CalendarEvent], today: date) -> list[list[Day]]:
    """The month's weeks, Monday first, padded with the neighbouring months' days."""
    grid_start = month.first_day - timedelta(days=month.first_day.weekday())
    grid_end = month.last_day + timedelta(days=6 - month.last_day.weekday())
    per_day: dict[date, list[CalendarEvent]] = {}
    for event in overlapping(events, grid_start, grid_end):
        start, end = days_of(event)
        day = max(start, grid_start)
        while day <= min(end, grid_end):
            per_day.setdefault(day, []).append(event)
            day += timedelta(days=1)
    days = []
    day = grid_start
    while day <= grid_end:
        days.append(Day(day, Month.of(day) == month, day == today, tuple(per_day.get(day, ()))))
        day += timedelta(days=1)
    return [days[index:index + 7] for index in range(0, len(days), 7)]


def by_month(events: Iterable[CalendarEvent]) -> list[tuple[Month, list[CalendarEvent]]]:
    """Events grouped by the month they begin in, in order."""
    groups: dict[Month, list[CalendarEvent]] = {}
    for event in events:
        groups.setdefault(Month.of(days_of(event)[0]), []).append(event)
    return sorted(groups.items())


def from_month(events: Iterable[CalendarEvent], month: Month) -> list[CalendarEvent]:
    """The events that end on or after the first day of ``month``."""
    return [event for event in events if days_of(event)[1] >= month.first_day]


def month_span(event: CalendarEvent) -> tuple[Month, Month]:
    """The first and last month of ``event``."""
    start, end = days_of(event)
    return Month.of(start), Month.of(end)


def month_spans(events: Iterable[CalendarEvent]) -> set[tuple[Month, Month]]:
    """The first and last month of each event."""
    return {month_span(event) for event in events}


def nearest_months(spans: Iterable[tuple[Month, Month]],
                   month: Month) -> tuple[Month | None, Month | None]:
    """The latest month before ``month`` and the earliest after it that have events, from
    the events' ``month_spans``."""
    before = after = None
    for first, last in spans:
        if last < month:
            before = last if before is None or last > before else before
        elif first > month:
            after = first if after is None or first < after else after
    return before, after


def when(event: CalendarEvent) -> str:
    """When ``event`` happens, in Berlin time and the reader's language."""
    start, end = local_start(event), local_end(event)
    first, last = days_of(event)
    if not isinstance(start, datetime):
        if first == last:
            return _("%(day)s, all day", day=named_date(first))
        return day_span(first, last)
    return time_span(start, end if isinstance(end, datetime) else start)


def clock(event: CalendarEvent, day: date) -> str:
    """The time to show in ``day``'s grid cell: the start, or the end on a later last day.

    Empty for all-day items and for the middle days of a long event.
    """
    start, end = local_start(event), local_end(event)
    if not isinstance(start, datetime):
        return ""
    first, last = days_of(event)
    if day == first:
        return local_time(start)
    if day == last and isinstance(end, datetime):
        return _("until %(time)s", time=local_time(end))
    return ""
