"""Implementation-steps plugin: each municipality's way from analysis to decided measures.

A plugin of its own inside ``assignments/``, requiring module work (``assignments``):
steps with evidence are handed in and reviewed as team assignments. It keeps procedure
templates and each cohort's steps (``procedures``), committee meetings and their
decisions (``committees``), measures and their history (``measures``), the progress board
with its figures and exports (``board``, ``states``, ``chart``, ``timeline``) and the
"Handbuch Integration" (``handbook``). ``access`` holds its policies, ``blueprint`` its
routes, ``calendar`` the committee meetings for the host's calendars, ``demo`` its part of
the demo.
"""

from flask_babel import lazy_gettext as _l

from assignments.steps.access import register_policies
from assignments.steps.blueprint import URL_PREFIX, bp
from assignments.steps.calendar import MODELS as CALENDAR_MODELS
from assignments.steps.calendar import calendar_source
from assignments.steps.demo import seed_demo
from assignments.steps.models import Presentation
from assignments.steps.personal_data import (
    PERSONAL_DATA,
    erase_personal_data,
    export_personal_data,
)
from lms.plugins import NavEntry, Plugin

plugin = Plugin(
    name="steps",
    personal_data=PERSONAL_DATA,
    export_personal_data=export_personal_data,
    erase_personal_data=erase_personal_data,
    requires=("assignments",),
    blueprint=bp,
    url_prefix=URL_PREFIX,
    navigation=(NavEntry(_l("Implementation steps"), "steps.index", order=17),),
    calendar_source=calendar_source,
    calendar_models=CALENDAR_MODELS,
    seed_demo=seed_demo,
    setup=register_policies,
    file_references=(Presentation.sha256,),
)
