"""Template filters of the course pages: which cohorts a session is for."""

from __future__ import annotations

from flask import Flask

from courses.audience import cohort_label
from courses.models import Session


def session_cohort(session: Session) -> str:
    return cohort_label(session.module.course, session.cohort_id)


def init_app(app: Flask) -> None:
    app.add_template_filter(session_cohort, "session_cohort")
