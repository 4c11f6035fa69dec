"""Course plugin: the programme, its modules, sessions, materials and congresses.

Other plugins extend it without being imported: ``courses.audience`` says who belongs to
a course and in which cohorts, ``courses.progress`` adds a participant's progress to the
module page.
"""

from flask import Flask
from flask_babel import lazy_gettext as _l

from courses import formatting
from courses.access import register_policies
from courses.calendar import MODELS as CALENDAR_MODELS
from courses.calendar import calendar_source
from courses.congress_access import register_congress_policy
from courses.congress_views import bp as congress_bp
from courses.dashboard import dashboard_panels
from courses.demo import seed_demo
from courses.models import Material
from courses.personal_data import (
    PERSONAL_DATA,
    erase_personal_data,
    export_personal_data,
)
from courses.views import bp
from lms.plugins import NavEntry, Plugin


def _setup(app: Flask) -> None:
    register_policies(app)
    register_congress_policy(app)
    formatting.init_app(app)


plugin = Plugin(
    name="courses",
    personal_data=PERSONAL_DATA,
    export_personal_data=export_personal_data,
    erase_personal_data=erase_personal_data,
    blueprint=bp,
    url_prefix="/course",
    # the congress pages, some of them public, beside the course's own pages
    more_blueprints=((congress_bp, "/congresses"),),
    navigation=(NavEntry(_l("Course"), "courses.index", order=10),
                NavEntry(_l("Congresses"), "congresses.index", public=True, order=40)),
    calendar_source=calendar_source,
    calendar_models=CALENDAR_MODELS,
    dashboard=dashboard_panels,
    seed_demo=seed_demo,
    setup=_setup,
    file_references=(Material.sha256,),
)
