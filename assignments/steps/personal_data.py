"""The personal data the implementation-steps plugin keeps, for the record of processing."""

from flask_babel import lazy_gettext as _l

from lms.plugins import PersonalData
from lms.processing import KEPT_WITH_RECORDS

PERSONAL_DATA = (
    PersonalData(
        _l("Implementation steps"), _l("Participants and organisers"),
        _l("Who recorded committee meetings, measures and their updates, and compiled a "
           "handbook"),
        _l("Following each municipality's implementation"), KEPT_WITH_RECORDS,
        ("step_presentations", "step_measures", "step_measure_updates", "step_handbooks")),
)
