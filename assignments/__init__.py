"""Assignment plugin: module work, submissions, grading, gradebook, notifications.

``blueprint`` creates the plugin's blueprint and registers every route, pointing at the
view functions in ``views``, ``work``, ``grading_views``, ``gradebook_views`` and
``notifications_views``. The implementation steps are a plugin of their own inside this
package (``assignments.steps``), which requires this one.
"""

from flask import Flask
from flask_babel import lazy_gettext as _l

from assignments.access import register_policies
from assignments.blueprint import bp
from assignments.calendar import MODELS as CALENDAR_MODELS
from assignments.calendar import calendar_source
from assignments.dashboard import dashboard_panels
from assignments.demo import seed_demo
from assignments.demo_reviews import seed_reviews
from assignments.grading_dashboard import grading_panels
from assignments.models import DraftFile, ReviewFile, VersionFile
from assignments.notifications import cli, notification_panels
from assignments.personal_data import (
    PERSONAL_DATA,
    erase_personal_data,
    export_personal_data,
)
from assignments.progress import module_progress
from assignments.reviews_access import register_review_policies
from courses.access import STAFF
from courses.progress import register_module_progress
from lms.auth.models import Role, User
from lms.plugins import DashboardPanel, NavEntry, Plugin


def _dashboard(user: User) -> list[DashboardPanel]:
    return [*dashboard_panels(user), *notification_panels(user), *grading_panels(user)]


def _seed_demo() -> None:
    seed_demo()
    seed_reviews()


def _setup(app: Flask) -> None:
    register_policies(app)
    register_review_policies(app)
    register_module_progress(app, module_progress)


plugin = Plugin(
    name="assignments",
    personal_data=PERSONAL_DATA,
    export_personal_data=export_personal_data,
    erase_personal_data=erase_personal_data,
    requires=("cohorts",),
    blueprint=bp,
    url_prefix="/assignments",
    navigation=(NavEntry(_l("Assignments"), "assignments.index", order=15),
                NavEntry(_l("Gradebooks"), "assignments.gradebooks", roles=frozenset(STAFF),
                         order=16),
                NavEntry(_l("My grades"), "assignments.my_grades",
                         roles=frozenset({Role.PARTICIPANT}), order=16)),
    calendar_source=calendar_source,
    calendar_models=CALENDAR_MODELS,
    dashboard=_dashboard,
    cli=cli,
    seed_demo=_seed_demo,
    setup=_setup,
    file_references=(DraftFile.sha256, VersionFile.sha256, ReviewFile.sha256),
)
