"""Who may see and change cohorts, applications, enrollments and municipalities.

Organisers run everything. Lecturers read every cohort's roster and teach the cohorts
that name them (``teach``: organisers too); who teaches a cohort keeps its attendance
lists and reads its attendance matrix. Participants read the cohorts they are currently
enrolled in and their own attendance, and change only whether their own contact data is
shown. Everybody, signed in or not, may apply to a cohort (whether its round is open is
the application rules' question), knows that cohorts exist and reads the list of municipalities (the
application form offers it); applications, and changes to municipalities, are the
organisers' alone.

The same rules answer the course plugin's questions (``courses.audience``): which cohorts a
person belongs to and whether they belong to a course.
"""

from __future__ import annotations

from datetime import date

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from cohorts.attendance_models import AttendanceChange, SessionAttendance
from cohorts.models import Application, Cohort, Enrollment, Municipality, cohort_lecturers
from courses.access import is_staff
from courses.audience import CourseAudience, register_audience
from courses.models import Course
from lms.auth.access import KNOW, organisers_only, register_policy
from lms.auth.models import Role, User
from lms.extensions import db
from lms.memo import per_request


def is_organiser(user: User) -> bool:
    return user.has_role(Role.ORGANISER)


@per_request
def current_enrollments(user: User) -> tuple[Enrollment, ...]:
    """``user``'s enrollments that have not ended, by start, with their cohort (and its
    course) and municipality: read once per request, for every part of a page that asks."""
    return tuple(db.session.scalars(
        select(Enrollment).where(Enrollment.user_id == user.id, Enrollment.ended_at.is_(None))
        .options(joinedload(Enrollment.cohort).joinedload(Cohort.course),
                 joinedload(Enrollment.municipality))
        .order_by(Enrollment.started_at, Enrollment.id)))


def current_cohort_ids(user: User) -> frozenset[int]:
    """The cohorts ``user`` is enrolled in now (as a municipality's person or mediator)."""
    return frozenset(enrollment.cohort_id for enrollment in current_enrollments(user))


def teaches(user: User, cohort_id: int) -> bool:
    """Organisers, and lecturers named for the cohort, teach it (and manage its work)."""
    if is_organiser(user):
        return True
    return is_staff(user) and db.session.scalar(select(cohort_lecturers.c.user_id).where(
        cohort_lecturers.c.cohort_id == cohort_id,
        cohort_lecturers.c.user_id == user.id)) is not None


def taught_cohort_ids(user: User) -> set[int] | None:
    """None (every cohort) for organisers; else the cohorts the lecturer teaches."""
    if is_organiser(user):
        return None
    if not is_staff(user):
        return set()
    return set(db.session.scalars(select(cohort_lecturers.c.cohort_id).where(
        cohort_lecturers.c.user_id == user.id)))


def cohort_policy(user: User, action: str, cohort: Cohort | type[Cohort]) -> bool:
    """Also asked for anonymous visitors ("apply", "know").

    With the class: "create" (organisers), "list" (staff: every cohort, with its full
    roster: contact data and AGS).
    """
    if action in {"apply", KNOW}:
        return True
    if not user.is_authenticated or not user.active:
        return False
    if is_organiser(user):
        return True
    if not isinstance(cohort, Cohort):
        return action == "list" and is_staff(user)
    if action == "teach":
        return teaches(user, cohort.id)
    if action != "view":
        return False
    return is_staff(user) or cohort.id in current_cohort_ids(user)


def municipality_policy(user: User, action: str, _municipality: Municipality) -> bool:
    """Also asked for anonymous visitors: the list is public, changes are the organisers'."""
    if action == "view":
        return True
    return user.is_authenticated and user.active and is_organiser(user)


def enrollment_policy(user: User, action: str, enrollment: Enrollment) -> bool:
    """Organisers manage enrollments; whether to share contact data only the person decides."""
    if action == "share_contact":
        return enrollment.user_id == user.id and enrollment.ended_at is None
    if action == KNOW:  # the cohort's roster names it
        return cohort_policy(user, "view", enrollment.cohort)
    return is_organiser(user)


def attendance_policy(user: User, action: str, record: SessionAttendance) -> bool:
    """The person reads their own attendance; who teaches the cohort records and corrects."""
    if action == "view" and record.enrollment.user_id == user.id:
        return True
    return action in {"view", "edit"} and teaches(user, record.enrollment.cohort_id)


def attendance_change_policy(user: User, action: str, change: AttendanceChange) -> bool:
    """The history of a list is read by those who keep the list."""
    return action == "view" and teaches(user, change.attendance.enrollment.cohort_id)


# --- The course's audience -----------------------------------------------------------------


@per_request
def cohort_choices(course: Course) -> list[tuple[int, str]]:
    return [(cohort.id, cohort.name) for cohort in db.session.scalars(
        select(Cohort).where(Cohort.course_id == course.id)
        .order_by(Cohort.starts_on, Cohort.id))]


def cohort_ids_of(user: User) -> frozenset[int] | None:
    """None (unrestricted) for staff; otherwise the cohorts the person is enrolled in now."""
    if is_staff(user):
        return None
    return current_cohort_ids(user)


def is_member(user: User, course: Course) -> bool:
    if not user.is_authenticated or not user.active:
        return False
    if is_staff(user):
        return True
    return any(enrollment.cohort.course_id == course.id
               for enrollment in current_enrollments(user))


def cohort_period(cohort_id: int) -> tuple[date, date] | None:
    cohort = db.session.get(Cohort, cohort_id)
    return None if cohort is None else (cohort.starts_on, cohort.ends_on)


AUDIENCE = CourseAudience(cohort_choices=cohort_choices, cohort_ids_of=cohort_ids_of,
                          is_member=is_member, cohort_period=cohort_period)


def register_policies(app: Flask) -> None:
    register_policy(app, Cohort, cohort_policy, public=True)
    register_policy(app, Application, organisers_only)
    register_policy(app, Municipality, municipality_policy, public=True)
    register_policy(app, Enrollment, enrollment_policy)
    register_policy(app, SessionAttendance, attendance_policy)
    register_policy(app, AttendanceChange, attendance_change_policy)
    register_audience(app, AUDIENCE)
