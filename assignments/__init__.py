"""Assignment plugin: module work, implementation steps, submissions, grading, progress.

``blueprint`` holds the one blueprint; each view module below adds its routes to it.
"""

from collections.abc import Iterator

from flask import Flask
from flask_babel import lazy_gettext as _l

from assignments import (  # noqa: F401  (routes and policies on the blueprint)
    gradebook_views,
    grading_views,
    notifications_views,
    reviews_access,
    step_routes,
    views,
    work,
)
from assignments.access import register_policies
from assignments.blueprint import bp
from assignments.calendar import calendar_source
from assignments.dashboard import dashboard_panels
from assignments.demo import seed_demo
from assignments.demo_reviews import seed_reviews
from assignments.demo_steps import seed_steps_demo
from assignments.grading_dashboard import grading_panels
from assignments.notifications import cli, notification_panels
from assignments.progress import module_progress
from assignments.step_calendar import committee_events
from cohorts.access import STAFF
from courses.progress import register_module_progress
from lms.auth.models import Role, User
from lms.plugins import CalendarEvent, CalendarQuery, DashboardPanel, NavEntry, Plugin


def _dashboard(user: User) -> list[DashboardPanel]:
    return [*dashboard_panels(user), *notification_panels(user), *grading_panels(user)]


def _calendar(query: CalendarQuery) -> Iterator[CalendarEvent]:
    """Due dates, then the municipalities' committee meetings."""
    yield from calendar_source(query)
    yield from committee_events(query)


def _seed_demo() -> None:
    seed_demo()
    seed_reviews()
    seed_steps_demo()


def _setup(app: Flask) -> None:
    register_policies(app)
    register_module_progress(app, module_progress)


plugin = Plugin(
    name="assignments",
    requires=("cohorts",),
    blueprint=bp,
    url_prefix="/assignments",
    navigation=(NavEntry(_l("Assignments"), "assignments.index", order=15),
                NavEntry(_l("Gradebooks"), "assignments.gradebooks", roles=frozenset(STAFF),
                         order=16),
                NavEntry(_l("My grades"), "assignments.my_grades",
                         roles=frozenset({Role.PARTICIPANT}), order=16),
                NavEntry(_l("Implementation steps"), "assignments.steps_index", order=17)),
    calendar_source=_calendar,
    dashboard=_dashboard,
    cli=cli,
    seed_demo=_seed_demo,
    setup=_setup,
)
