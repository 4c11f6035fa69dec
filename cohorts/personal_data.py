"""The personal data the cohort plugin keeps, for the record of processing."""

from flask_babel import lazy_gettext as _l

from lms.plugins import PersonalData
from lms.processing import KEPT_WITH_RECORDS

PERSONAL_DATA = (
    PersonalData(
        _l("Applications"), _l("Contact persons and nominees of municipalities"),
        _l("Names, email addresses and phone numbers of contacts and nominees, the "
           "application's answers, each decision with who made it"),
        _l("Choosing the municipalities of a cohort and enrolling their people"),
        KEPT_WITH_RECORDS,
        ("municipalities", "cohort_applications", "cohort_nominees",
         "cohort_application_events")),
    PersonalData(
        _l("Enrolment"), _l("Participants and lecturers"),
        _l("Membership of a cohort, municipality or mediator role, phone number, dates of "
           "enrolment, who enrolled and ended it; the cohorts a lecturer teaches"),
        _l("Knowing who belongs to which cohort and who teaches it"), KEPT_WITH_RECORDS,
        ("cohort_enrollments", "cohort_lecturers")),
    PersonalData(
        _l("Session attendance"), _l("Participants"),
        _l("Present, excused or absent at each session; every correction with who made it"),
        _l("The attendance rate the certificate asks for"), KEPT_WITH_RECORDS,
        ("cohort_session_attendances", "cohort_attendance_changes")),
)
