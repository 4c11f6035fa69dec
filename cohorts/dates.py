"""Calendar days in Berlin: application windows and cohort dates are whole days there."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from lms.i18n import TIMEZONE

BERLIN = ZoneInfo(TIMEZONE)


def berlin_today() -> date:
    """Today's date in Berlin (not in UTC: just after midnight they differ)."""
    return datetime.now(BERLIN).date()


def berlin_midnight(day: date) -> datetime:
    """The aware moment ``day`` begins in Berlin."""
    return datetime.combine(day, time(), BERLIN)
