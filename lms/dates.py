"""Days in Berlin, the dates the app accepts, and the form fields and check that hold them.

Calendar days are Berlin's (``berlin_today``, ``berlin_midnight``); ``BERLIN`` itself lives
beside the language settings in ``lms.i18n``.

Every date a person or a program hands in lies between 01.01.2000 and 31.12.2100 (Berlin
calendar days). Outside that window nothing the programme plans can lie, and near the
ends of Python's calendar (year 1, year 9999) converting to UTC or adding an event's
duration overflows. Forms use the fields below, so a far date is a form error in the
reader's language; domain functions call ``check_date``, so the CLI, imports and tests
meet the same rule.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from flask_babel import gettext as _
from wtforms import DateField as _DateField
from wtforms.fields import DateTimeLocalField

from lms.datetext import local_date
from lms.errors import DomainError
from lms.i18n import BERLIN

#: the first and the last day accepted, both included
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2100, 12, 31)
AFTER_LAST_DAY = LAST_DAY + timedelta(days=1)
#: the same window as moments: from the first day's midnight in Berlin, until the
#: midnight after the last day (excluded)
EARLIEST = datetime.combine(FIRST_DAY, time(), BERLIN).astimezone(UTC)
END = datetime.combine(AFTER_LAST_DAY, time(), BERLIN).astimezone(UTC)
#: the HTML input format of a date and time in Berlin local time
INPUT_FORMAT = "%Y-%m-%dT%H:%M"


def berlin_midnight(day: date) -> datetime:
    """The aware moment ``day`` begins in Berlin."""
    return datetime.combine(day, time(), BERLIN)


def berlin_day_end(day: date) -> datetime:
    """23:59 on ``day`` in Berlin: the moment things fall due on that day."""
    return datetime.combine(day, time(23, 59), BERLIN)


def berlin_today() -> date:
    """Today's date in Berlin (not in UTC: just after midnight they differ)."""
    return berlin_day(datetime.now(UTC))


def berlin_day(moment: datetime) -> date:
    """The calendar day in Berlin of a stored (aware) moment: 23:30 UTC is the next day."""
    return moment.astimezone(BERLIN).date()


def berlin_to_utc(value: datetime) -> datetime:
    """A wall-clock time in Berlin as an aware UTC datetime.

    As RFC 5545 (3.3.5) reads such times: one in the hour that March's change skips takes
    the offset before the gap (02:30 becomes 01:30 UTC, shown as 03:30), one in the hour
    that October's change repeats is its first instant (summer time).
    """
    return value.replace(tzinfo=BERLIN, fold=0).astimezone(UTC)


def in_window(value: date | datetime) -> bool:
    """Whether ``value`` lies within the accepted window.

    A date, or a naive datetime, is read as a Berlin calendar day; an aware datetime is
    compared as a moment, which never converts it and so cannot overflow.
    """
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return FIRST_DAY <= value.date() <= LAST_DAY
        return EARLIEST <= value < END
    return FIRST_DAY <= value <= LAST_DAY


def span_in_window(start: date | datetime, end: date | datetime) -> bool:
    """Whether a span from ``start`` to ``end`` (excluded, as in calendars) lies within."""
    if not isinstance(end, datetime):
        return in_window(start) and FIRST_DAY < end <= AFTER_LAST_DAY
    if end.tzinfo is None:
        return in_window(start) and in_window(end)
    return in_window(start) and EARLIEST <= end <= END


def window_message() -> str:
    """What a person is told about a date outside the window, in their language."""
    return _("Please enter a date between %(first)s and %(last)s.",
             first=local_date(FIRST_DAY), last=local_date(LAST_DAY))


def check_date(value: date | datetime | None, field: str | None = None) -> None:
    """Refuse a date outside the window (``DomainError`` at ``field``); None passes."""
    if value is not None and not in_window(value):
        raise DomainError(window_message(), field=field)


def _with_bounds(kwargs: dict[str, Any], first: str, last: str) -> dict[str, Any]:
    """Let the browser's date picker offer the window too (the server checks anyway)."""
    kwargs["render_kw"] = {"min": first, "max": last, **(kwargs.get("render_kw") or {})}
    return kwargs


class DateField(_DateField):
    """A day within the window; anything else is a form error, never an exception."""

    def __init__(self, label: Any = None, validators: Any = None, **kwargs: Any):
        super().__init__(label, validators, **_with_bounds(
            kwargs, FIRST_DAY.isoformat(), LAST_DAY.isoformat()))

    def process_formdata(self, valuelist: list[str]) -> None:
        super().process_formdata(valuelist)
        if self.data is not None and not in_window(self.data):
            self.data = None
            raise ValueError(window_message())


class BerlinDateTimeField(DateTimeLocalField):
    """A date and time typed in Berlin local time; ``data`` is an aware UTC datetime.

    The typed value is held to the window before it is converted, so the conversion
    cannot overflow (year 1 in Berlin lies before UTC's year 1).
    """

    def __init__(self, label: Any = None, validators: Any = None, **kwargs: Any):
        super().__init__(label, validators, **_with_bounds(
            kwargs, berlin_midnight(FIRST_DAY).strftime(INPUT_FORMAT),
            datetime.combine(LAST_DAY, time(23, 59)).strftime(INPUT_FORMAT)))

    def process_formdata(self, valuelist: list[str]) -> None:
        super().process_formdata(valuelist)
        if self.data is None:
            return
        if not in_window(self.data):
            self.data = None
            raise ValueError(window_message())
        self.data = berlin_to_utc(self.data)

    def _value(self) -> str:
        if self.raw_data:
            return " ".join(self.raw_data)
        if self.data is None or not in_window(self.data):
            return ""  # a stored value outside the window is typed anew
        return self.data.astimezone(BERLIN).strftime(INPUT_FORMAT)
