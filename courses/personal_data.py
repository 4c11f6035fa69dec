"""The personal data the course plugin keeps, for the record of processing."""

from flask_babel import lazy_gettext as _l

from lms.plugins import PersonalData
from lms.processing import KEPT_WITH_RECORDS

PERSONAL_DATA = (
    PersonalData(
        _l("Course content"), _l("Lecturers and organisers"),
        _l("Author and time of each module version and material"),
        _l("Tracing who wrote and changed the course"), KEPT_WITH_RECORDS,
        ("course_module_revisions", "course_materials")),
    PersonalData(
        _l("Congresses"), _l("Participants, staff and speakers"),
        _l("Registrations and waiting list places; speakers' names and roles on the agenda"),
        _l("Planning the congresses and publishing their programmes"), KEPT_WITH_RECORDS,
        ("congress_attendances", "congress_speakers")),
)
