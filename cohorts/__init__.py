"""Cohort plugin: municipalities, application rounds, cohorts, enrollments and rosters.

It tells the course plugin who belongs to the course and in which cohort
(``courses.audience``), and gives the host's calendars application deadlines and cohort
dates.
"""

from flask_babel import lazy_gettext as _l

from cohorts import attendance_views
from cohorts.access import register_policies
from cohorts.calendar import MODELS as CALENDAR_MODELS
from cohorts.calendar import calendar_source, cohort_names
from cohorts.cli import cli
from cohorts.consents import PURPOSES
from cohorts.dashboard import dashboard_panels
from cohorts.demo import seed_demo
from cohorts.personal_data import (
    PERSONAL_DATA,
    erase_personal_data,
    export_personal_data,
)
from cohorts.retention import retention_due
from cohorts.views import bp
from lms.auth.models import Role
from lms.calendar.events import COHORT_NAMES_KEY
from lms.plugins import NavEntry, Plugin

plugin = Plugin(
    name="cohorts",
    personal_data=PERSONAL_DATA,
    consent_purposes=PURPOSES,
    export_personal_data=export_personal_data,
    erase_personal_data=erase_personal_data,
    retention_due=retention_due,
    requires=("courses",),
    blueprint=bp,
    more_blueprints=((attendance_views.bp, None),),
    navigation=(
        NavEntry(_l("Cohorts"), "cohorts.index",
                 roles=frozenset({Role.LECTURER, Role.ORGANISER}), order=20),
        NavEntry(_l("My cohort"), "cohorts.mine", roles=frozenset({Role.PARTICIPANT}), order=20),
        NavEntry(_l("My attendance"), "attendance.mine",
                 roles=frozenset({Role.PARTICIPANT}), order=25),
        NavEntry(_l("Municipalities"), "cohorts.municipalities",
                 roles=frozenset({Role.ORGANISER}), order=30),
        # for municipalities that want to apply, and organisers checking the public page
        NavEntry(_l("Apply"), "cohorts.open_rounds", roles=frozenset({Role.ORGANISER}),
                 public=True, order=40),
    ),
    calendar_source=calendar_source,
    calendar_models=CALENDAR_MODELS,
    dashboard=dashboard_panels,
    cli=cli,
    seed_demo=seed_demo,
    setup=register_policies,
    extra={COHORT_NAMES_KEY: cohort_names},
)
