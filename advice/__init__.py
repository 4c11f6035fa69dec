"""Advice plugin: the programme's central conflict advice office.

A pool of mediators and advisers that municipalities call on, requests that become
confidential cases (triage, assignment, appointments, notes, documents, conclusion and
feedback), and anonymous statistics. It builds on the cohort plugin's municipalities,
people and enrollments.
"""

from flask_babel import lazy_gettext as _l

from advice.access import register_policies
from advice.calendar import CALENDAR_MODELS, calendar_source
from advice.consents import PURPOSES
from advice.dashboard import dashboard_panels
from advice.demo import seed_demo
from advice.models import CaseDocument
from advice.personal_data import PERSONAL_DATA, erase_personal_data, export_personal_data
from advice.retention import retention_due
from advice.views import bp
from lms.auth.models import Role
from lms.plugins import NavEntry, Plugin

plugin = Plugin(
    name="advice",
    requires=("cohorts",),
    blueprint=bp,
    navigation=(
        NavEntry(_l("Conflict advice"), "advice.index", order=60),
        NavEntry(_l("Advice pool"), "advice.pool", roles=frozenset({Role.ORGANISER}),
                 order=61),
        # for municipalities outside the programme, and organisers checking the public form
        NavEntry(_l("Ask for advice"), "advice.public_request",
                 roles=frozenset({Role.ORGANISER}), public=True, order=62),
    ),
    calendar_source=calendar_source,
    calendar_models=CALENDAR_MODELS,
    dashboard=dashboard_panels,
    seed_demo=seed_demo,
    setup=register_policies,
    file_references=(CaseDocument.sha256,),
    personal_data=PERSONAL_DATA,
    consent_purposes=PURPOSES,
    export_personal_data=export_personal_data,
    erase_personal_data=erase_personal_data,
    retention_due=retention_due,
)
