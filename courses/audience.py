"""Extension point: who belongs to a course, and in which cohorts.

Courses know nothing about cohorts (they live in a later plugin, and imports run one way).
A plugin that does know registers a ``CourseAudience`` in its ``setup(app)``; until one
does, sessions are for all cohorts and every active signed-in account belongs to the
course (accounts are only created by the organisers of this programme).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from flask import Flask, current_app
from flask_babel import gettext as _

from lms.auth.models import User

if TYPE_CHECKING:
    from courses.models import Course

EXTENSION_KEY = "courses.audience"


def _no_period(_cohort_id: int) -> tuple[date, date] | None:
    return None


@dataclass(frozen=True)
class CourseAudience:
    #: (cohort id, name) pairs for the session form's cohort select; [] hides the select
    cohort_choices: Callable[[Course], list[tuple[int, str]]]
    #: the cohorts a person belongs to; None when unrestricted (staff, or no cohorts known)
    cohort_ids_of: Callable[[User], frozenset[int] | None]
    #: whether a person belongs to (may read) the course
    is_member: Callable[[User, Course], bool]
    #: a cohort's first and last day (Berlin calendar days); its sessions lie within them
    cohort_period: Callable[[int], tuple[date, date] | None] = _no_period


def _no_cohorts(_course: Course) -> list[tuple[int, str]]:
    return []


def _unrestricted(_user: User) -> frozenset[int] | None:
    return None


def _every_active_account(user: User, _course: Course) -> bool:
    return bool(user.is_authenticated and user.active)


EVERYONE = CourseAudience(cohort_choices=_no_cohorts, cohort_ids_of=_unrestricted,
                          is_member=_every_active_account)


def register_audience(app: Flask, audience: CourseAudience) -> None:
    """Let ``audience`` decide membership and cohorts; only one plugin may do so."""
    if EXTENSION_KEY in app.extensions:
        raise RuntimeError("a course audience is already registered")
    app.extensions[EXTENSION_KEY] = audience


def current_audience() -> CourseAudience:
    return current_app.extensions.get(EXTENSION_KEY, EVERYONE)


def cohort_label(course: Course, cohort_id: int | None) -> str:
    """The name of ``cohort_id`` in ``course``; sessions without one are for all cohorts."""
    if cohort_id is None:
        return _("All cohorts")
    return dict(current_audience().cohort_choices(course)).get(cohort_id, f"#{cohort_id}")
