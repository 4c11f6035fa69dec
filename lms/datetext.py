"""Dates and times as text: the one set of formats for every page, mail and feed text.

German readers get "07.12.2017", "07.12.2017, 10:00 Uhr" and "07.12.2017, 10:00-16:30 Uhr";
a span across days is written out at both ends ("07.12.2017, 10:00 Uhr - 08.12.2017,
12:00 Uhr", "07.12.2017 - 09.12.2017"), with an en dash. English readers get the same
shapes with the month's name ("7 Dec 2017, 10:00"). The shapes are msgids of the catalog,
so the "Uhr" and the order of the parts belong to the language; so is the day's pattern.

Stored times are UTC and shown in Berlin time; a ``date`` is a calendar day as it is, a
``datetime`` given where a day is asked is its Berlin day. Spreadsheet exports write
cells a spreadsheet reads as dates instead (``lms.tables``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from functools import lru_cache, wraps
from typing import TypeVar

from flask import Flask
from flask_babel import format_date, format_time, get_locale, ngettext, pgettext
from flask_babel import gettext as _

from lms.i18n import BERLIN

EN_DASH = "\u2013"
MINUTE, HOUR, DAY = 60, 3600, 86400

Formatter = TypeVar("Formatter", bound=Callable[..., str])


def _kept_per_language(formatter: Formatter) -> Formatter:
    """``formatter`` answering from the latest texts it made in the current language.

    A text depends on the value and the language alone, and pages format the same days
    and times over and over (a month view some eighty times per request), at 20-30 µs a
    call through Babel and the catalog. A forced language (mails, feeds) is the current one.
    """
    kept = lru_cache(maxsize=4096)(
        lambda _language, *args, **options: formatter(*args, **options))

    @wraps(formatter)
    def formatted(*args, **options):
        return kept(str(get_locale()), *args, **options)

    formatted.cache_clear = kept.cache_clear  # as functools' caches offer it
    return formatted  # type: ignore[return-value]


def _day_pattern() -> str:
    # TRANSLATORS: the CLDR pattern of a calendar day, for example 07.12.2017
    return pgettext("date pattern", "d MMM yyyy")


def _berlin(value: datetime) -> datetime:
    return value.astimezone(BERLIN)


def _day_of(value: date | datetime) -> date:
    return _berlin(value).date() if isinstance(value, datetime) else value


def _clock(value: datetime) -> str:
    return format_time(_berlin(value).replace(tzinfo=None), "HH:mm", rebase=False)


@_kept_per_language
def local_date(value: date | datetime | None) -> str:
    """"07.12.2017": a day, or the Berlin day of a stored time."""
    if value is None:
        return ""
    return format_date(_day_of(value), _day_pattern())


@_kept_per_language
def local_time(value: datetime | None) -> str:
    """"10:00 Uhr": the Berlin time of day of a stored time."""
    if value is None:
        return ""
    return pgettext("time of day", "%(time)s", time=_clock(value))


@_kept_per_language
def local_datetime(value: datetime | None) -> str:
    """"07.12.2017, 10:00 Uhr": a stored time in Berlin."""
    if value is None:
        return ""
    return _("%(day)s, %(time)s", day=local_date(value), time=_clock(value))


@_kept_per_language
def clock_span(start: datetime, end: datetime) -> str:
    """"10:00-16:30 Uhr" (en dash): from and until, on a page that names the day already."""
    return pgettext("time of day", "%(time)s", time=f"{_clock(start)}{EN_DASH}{_clock(end)}")


@_kept_per_language
def time_span(start: datetime, end: datetime) -> str:
    """"07.12.2017, 10:00-16:30 Uhr" (en dash) within a Berlin day, else both ends written out."""
    if _day_of(start) == _day_of(end):
        return _("%(day)s, %(start)s\u2013%(end)s", day=local_date(start), start=_clock(start),
                 end=_clock(end))
    return f"{local_datetime(start)} {EN_DASH} {local_datetime(end)}"


@_kept_per_language
def day_span(first: date | datetime, last: date | datetime) -> str:
    """"07.12.2017 - 09.12.2017" (en dash; one day: "07.12.2017"); both ends are inclusive."""
    if _day_of(first) == _day_of(last):
        return local_date(first)
    return f"{local_date(first)} {EN_DASH} {local_date(last)}"


@_kept_per_language
def named_date(value: date | datetime) -> str:
    """"Donnerstag, 07.12.2017": a day with its weekday, for headings of days."""
    return _("%(weekday)s, %(day)s", weekday=weekday_name(value), day=local_date(value))


@_kept_per_language
def month_name(value: date | datetime, width: str = "wide") -> str:
    """"Dezember 2017": a month, as calendar headings and monthly tables name it
    (``width="abbreviated"``: "Dez. 2017", for a chart's axis)."""
    return format_date(_day_of(value), "LLLL yyyy" if width == "wide" else "LLL yyyy")


@_kept_per_language
def weekday_name(value: date | datetime, width: str = "wide") -> str:
    """"Donnerstag" (``width="abbreviated"``: "Do.")."""
    return format_date(_day_of(value), "EEEE" if width == "wide" else "EEE")


@_kept_per_language
def local_duration(length: timedelta) -> str:
    """A stretch of time as people write it: whole days ("14 Tage"), below a day in hours
    or minutes ("2 Stunden"), never "336 Stunden"."""
    seconds = int(length.total_seconds())
    if seconds >= DAY and seconds % DAY == 0:
        return ngettext("%(num)d day", "%(num)d days", seconds // DAY)
    if seconds >= HOUR and seconds % HOUR == 0:
        return ngettext("%(num)d hour", "%(num)d hours", seconds // HOUR)
    return ngettext("%(num)d minute", "%(num)d minutes", -(-seconds // MINUTE))


def init_app(app: Flask) -> None:
    for name, function in (("date", local_date), ("time", local_time),
                           ("datetime", local_datetime), ("clock_span", clock_span),
                           ("time_span", time_span), ("named_date", named_date),
                           ("day_span", day_span), ("month_name", month_name),
                           ("weekday_name", weekday_name), ("duration", local_duration)):
        app.add_template_filter(function, name)
