"""Template filters for dates and cohorts of sessions, in the reader's language and Berlin time."""

from __future__ import annotations

from datetime import datetime

from flask import Flask
from flask_babel import format_date, format_datetime, format_time, to_user_timezone

from courses.audience import cohort_label
from courses.models import Session

EN_DASH = "\u2013"


def time_range(start: datetime, end: datetime) -> str:
    """"Friday, 12 May 2017, 10:00-16:30" (with an en dash), or both dates if they differ."""
    if to_user_timezone(start).date() == to_user_timezone(end).date():
        return f"{format_date(start, 'full')}, {format_time(start, 'short')} {EN_DASH} " \
               f"{format_time(end, 'short')}"
    return f"{format_datetime(start, 'short')} {EN_DASH} {format_datetime(end, 'short')}"


def session_cohort(session: Session) -> str:
    return cohort_label(session.module.course, session.cohort_id)


def init_app(app: Flask) -> None:
    app.add_template_filter(time_range, "time_range")
    app.add_template_filter(session_cohort, "session_cohort")
