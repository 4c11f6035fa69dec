"""The personal data the module-work plugin keeps, for the record of processing."""

from flask_babel import lazy_gettext as _l

from lms.plugins import PersonalData
from lms.processing import KEPT_WITH_RECORDS

PERSONAL_DATA = (
    PersonalData(
        _l("Module work"), _l("Participants and lecturers"),
        _l("Drafts, handed-in versions with their files and times, extensions with their "
           "reasons, notifications; who set each assignment"),
        _l("Handing in, following deadlines, proving what was handed in when"),
        KEPT_WITH_RECORDS,
        ("assignments", "assignment_submissions", "assignment_versions",
         "assignment_draft_files", "assignment_version_files", "assignment_extensions",
         "assignment_notifications")),
    PersonalData(
        _l("Grades and feedback"), _l("Participants and lecturers"),
        _l("Points or pass/fail, feedback and its files, who graded, every change of a grade"),
        _l("Assessment for the certificate, and tracing every change of a grade"),
        KEPT_WITH_RECORDS,
        ("assignment_reviews", "assignment_review_files", "assignment_grade_changes")),
)
