"""The personal data the cohort plugin keeps: its declaration for the record of
processing, a person's part of their export (Art. 15 GDPR) and of their erasure (Art. 17)."""

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, or_, select

from cohorts.attendance_models import SessionAttendance
from cohorts.models import Application, Cohort, Enrollment, Nominee, cohort_lecturers
from lms.auth.models import User
from lms.extensions import db
from lms.plugins import PersonalData, PersonalSection
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


def export_personal_data(user: User) -> PersonalSection:
    """A person's enrolments with their attendance, the cohorts they teach, and the
    applications that name them as contact or nominee (their own entries only)."""
    enrollments = db.session.scalars(select(Enrollment).where(Enrollment.user_id == user.id)
                                     .order_by(Enrollment.started_at, Enrollment.id)).all()
    teaching = db.session.scalars(select(Cohort).join(
        cohort_lecturers, cohort_lecturers.c.cohort_id == Cohort.id)
        .where(cohort_lecturers.c.user_id == user.id).order_by(Cohort.id))
    return PersonalSection({
        "enrolments": [_enrolment(enrollment) for enrollment in enrollments],
        "cohorts_taught": [cohort.name for cohort in teaching],
        "applications": [_application(application, user) for application in
                         db.session.scalars(_applications_naming(user.email))],
    })


def _enrolment(enrollment: Enrollment) -> dict[str, Any]:
    attendances = db.session.scalars(select(SessionAttendance).where(
        SessionAttendance.enrollment_id == enrollment.id).order_by(SessionAttendance.id))
    return {
        "cohort": enrollment.cohort.name, "kind": enrollment.kind,
        "municipality": enrollment.municipality.name if enrollment.municipality else None,
        "function": enrollment.function, "phone": enrollment.phone,
        "contact_shared": enrollment.share_contact, "started_at": enrollment.started_at,
        "ended_at": enrollment.ended_at, "ended_reason": enrollment.ended_reason,
        "attendance": [{"session": attendance.session.title,
                        "starts_at": attendance.session.starts_at,
                        "status": attendance.status} for attendance in attendances],
    }


def _applications_naming(email: str) -> Select[tuple[Application]]:
    nominated = select(Nominee.application_id).where(Nominee.email == email)
    return select(Application).where(
        or_(Application.contact_email == email, Application.id.in_(nominated))
    ).order_by(Application.submitted_at, Application.id)


def _application(application: Application, user: User) -> dict[str, Any]:
    is_contact = application.contact_email == user.email
    return {
        "cohort": application.cohort.name, "municipality": application.municipality.name,
        "status": application.status, "submitted_at": application.submitted_at,
        "contact": {"name": application.contact_name, "email": application.contact_email,
                    "phone": application.contact_phone} if is_contact else None,
        "nominated_as": [{"name": nominee.name, "email": nominee.email,
                          "function": nominee.function}
                         for nominee in application.nominees if nominee.email == user.email],
    }
