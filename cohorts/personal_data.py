"""The personal data the cohort plugin keeps: its declaration for the record of
processing, a person's part of their export (Art. 15 GDPR) and of their erasure (Art. 17)."""

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, or_, select, update

from cohorts.attendance_models import SessionAttendance
from cohorts.models import (
    Application,
    ApplicationEvent,
    Cohort,
    Enrollment,
    Municipality,
    Nominee,
    cohort_lecturers,
)
from lms.auth.models import User
from lms.erasure import Erasure
from lms.extensions import db
from lms.plugins import PersonalData, PersonalSection
from lms.processing import KEPT_AFTER_APPLICATION, KEPT_AFTER_COHORT

PERSONAL_DATA = (
    PersonalData(
        _l("Applications"), _l("Contact persons and nominees of municipalities"),
        _l("Names, email addresses and phone numbers of contacts and nominees, the "
           "application's answers, each decision with who made it"),
        _l("Choosing the municipalities of a cohort and enrolling their people"),
        KEPT_AFTER_APPLICATION,
        ("municipalities", "cohort_applications", "cohort_nominees",
         "cohort_application_events")),
    PersonalData(
        _l("Enrolment"), _l("Participants and lecturers"),
        _l("Membership of a cohort, municipality or mediator role, phone number, dates of "
           "enrolment, who enrolled and ended it; the cohorts a lecturer teaches"),
        _l("Knowing who belongs to which cohort and who teaches it"), KEPT_AFTER_COHORT,
        ("cohort_enrollments", "cohort_lecturers")),
    PersonalData(
        _l("Session attendance"), _l("Participants"),
        _l("Present, excused or absent at each session; every correction with who made it"),
        _l("The attendance rate the certificate asks for"), KEPT_AFTER_COHORT,
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


def erase_personal_data(erasure: Erasure) -> None:
    """Enrolments and attendance stay with the pseudonymised account, without phone,
    function or shared contact; applications and municipalities that name the person as
    contact or nominee keep the entry under the pseudonym; texts that mention the
    person are scrubbed."""
    db.session.execute(update(Enrollment).where(Enrollment.user_id == erasure.user.id)
                       .values(phone="", function="", share_contact=False))
    db.session.execute(update(Nominee).where(func.lower(Nominee.email) == erasure.email)
                       .values(name=erasure.pseudonym, email=erasure.placeholder_email,
                               function=""))
    db.session.execute(update(Application)
                       .where(func.lower(Application.contact_email) == erasure.email)
                       .values(contact_name=erasure.pseudonym,
                               contact_email=erasure.placeholder_email, contact_phone=""))
    db.session.execute(update(Municipality)
                       .where(func.lower(Municipality.contact_email) == erasure.email)
                       .values(contact_name="", contact_email="", contact_phone=""))
    erasure.scrub(Nominee.name, Application.contact_name, Application.motivation,
                  Application.structures, ApplicationEvent.reason, Enrollment.ended_reason,
                  Municipality.contact_name, Municipality.address)
