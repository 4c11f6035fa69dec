"""Who may see and change cohorts, applications, enrollments and municipalities.

Organisers run everything. Lecturers read every cohort's roster. Participants read the
cohorts they are currently enrolled in, and change only whether their own contact data
is shown. Applications and municipalities are the organisers' alone.

The same rules answer the course plugin's questions (``courses.audience``): which cohorts a
person belongs to and whether they belong to a course.
"""

from __future__ import annotations

from typing import Any, TypeVar

from flask import Flask, abort
from sqlalchemy import exists, select

from cohorts.models import Application, Cohort, Enrollment, Municipality
from courses.audience import CourseAudience, register_audience
from courses.models import Course
from lms.auth.access import get_authorized, register_policy
from lms.auth.models import Role, User
from lms.extensions import db

STAFF = (Role.LECTURER, Role.ORGANISER)
M = TypeVar("M")


def is_staff(user: User) -> bool:
    return user.has_role(*STAFF)


def is_organiser(user: User) -> bool:
    return user.has_role(Role.ORGANISER)


def current_cohort_ids(user: User) -> set[int]:
    """The cohorts ``user`` is enrolled in now (as a municipality's person or mediator)."""
    return set(db.session.scalars(select(Enrollment.cohort_id).where(
        Enrollment.user_id == user.id, Enrollment.ended_at.is_(None))))


def cohort_policy(user: User, action: str, cohort: Cohort) -> bool:
    if is_organiser(user):
        return True
    if action != "view":
        return False
    return is_staff(user) or cohort.id in current_cohort_ids(user)


def application_policy(user: User, _action: str, _application: Application) -> bool:
    return is_organiser(user)


def municipality_policy(user: User, _action: str, _municipality: Municipality) -> bool:
    return is_organiser(user)


def enrollment_policy(user: User, action: str, enrollment: Enrollment) -> bool:
    """Organisers manage enrollments; whether to share contact data only the person decides."""
    if action == "share_contact":
        return enrollment.user_id == user.id and enrollment.ended_at is None
    return is_organiser(user)


def load_in_cohort(model: type[M], ident: Any, cohort: Cohort, action: str = "view") -> M:
    """An application or enrollment of ``cohort``: 404 if it belongs to another cohort.

    An id taken from another cohort's page must not act there through this one's URL.
    """
    obj = get_authorized(model, ident, action)
    if obj.cohort_id != cohort.id:  # type: ignore[attr-defined]
        abort(404)
    return obj


# --- The course's audience -----------------------------------------------------------------


def cohort_choices(course: Course) -> list[tuple[int, str]]:
    return [(cohort.id, cohort.name) for cohort in db.session.scalars(
        select(Cohort).where(Cohort.course_id == course.id)
        .order_by(Cohort.starts_on, Cohort.id))]


def cohort_ids_of(user: User) -> set[int] | None:
    """None (unrestricted) for staff; otherwise the cohorts the person is enrolled in now."""
    if is_staff(user):
        return None
    return current_cohort_ids(user)


def is_member(user: User, course: Course) -> bool:
    if not user.is_authenticated or not user.active:
        return False
    if is_staff(user):
        return True
    return bool(db.session.scalar(select(exists().where(
        Enrollment.user_id == user.id, Enrollment.ended_at.is_(None),
        Enrollment.cohort_id == Cohort.id, Cohort.course_id == course.id))))


AUDIENCE = CourseAudience(cohort_choices=cohort_choices, cohort_ids_of=cohort_ids_of,
                          is_member=is_member)


def register_policies(app: Flask) -> None:
    register_policy(app, Cohort, cohort_policy)
    register_policy(app, Application, application_policy)
    register_policy(app, Municipality, municipality_policy)
    register_policy(app, Enrollment, enrollment_policy)
    register_audience(app, AUDIENCE)
