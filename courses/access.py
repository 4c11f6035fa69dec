"""Who may see and change courses, modules, sessions and materials.

Lecturers and organisers see and change everything, except the course's rules (how
attendance counts), which are the organisers'. Participants read what is published
in a course they belong to (``courses.audience``), and of the sessions only those for all
cohorts or for their own. The same rules exist twice, once per object (the policies the
host asks) and once as SQL filters for lists; both live here, side by side.
"""

from __future__ import annotations

from flask import Flask
from sqlalchemy import ColumnElement, Select, or_, select, true
from sqlalchemy.orm import contains_eager

from courses.audience import current_audience
from courses.models import Course, Material, Module, Session
from lms.auth.access import register_policy
from lms.auth.models import Role, User
from lms.extensions import db
from lms.memo import per_request

STAFF = (Role.LECTURER, Role.ORGANISER)


def is_staff(user: User) -> bool:
    return user.has_role(*STAFF)


def course_policy(user: User, action: str, course: Course) -> bool:
    """``set_rules`` (how attendance counts) is the organisers'; the rest is the staff's."""
    if action == "set_rules":
        return user.has_role(Role.ORGANISER)
    if is_staff(user):
        return True
    return action == "view" and current_audience().is_member(user, course)


def module_policy(user: User, action: str, module: Module) -> bool:
    if is_staff(user):
        return True
    return action == "view" and module.published and course_policy(user, "view", module.course)


def session_policy(user: User, action: str, session: Session) -> bool:
    if is_staff(user):
        return True
    cohorts = current_audience().cohort_ids_of(user)
    return (action == "view" and module_policy(user, "view", session.module)
            and (session.cohort_id is None or cohorts is None or session.cohort_id in cohorts))


def material_policy(user: User, action: str, material: Material) -> bool:
    if is_staff(user):
        return True
    return action in {"view", "download"} and module_policy(user, "view", material.module)


def register_policies(app: Flask) -> None:
    register_policy(app, Course, course_policy)
    register_policy(app, Module, module_policy)
    register_policy(app, Session, session_policy)
    register_policy(app, Material, material_policy)


# --- The same rules for lists --------------------------------------------------------------


@per_request
def visible_courses(user: User) -> list[Course]:
    """The courses ``user`` may read, by start (there are only ever a few courses)."""
    courses = db.session.scalars(select(Course).order_by(Course.starts_at, Course.id)).all()
    return [course for course in courses if course_policy(user, "view", course)]


def member_course_ids(user: User) -> list[int]:
    return [course.id for course in visible_courses(user)]


def visible_modules(user: User) -> Select[tuple[Module]]:
    """Modules ``user`` may read, in course order; add ``where`` clauses to narrow it."""
    query = select(Module).order_by(Module.course_id, Module.position, Module.id)
    if is_staff(user):
        return query
    return query.where(Module.published, Module.course_id.in_(member_course_ids(user)))


def session_cohort_filter(cohort_ids: set[int] | frozenset[int] | None) -> ColumnElement[bool]:
    """Sessions for all cohorts, and those of ``cohort_ids`` (None: every session)."""
    if cohort_ids is None:
        return true()
    return or_(Session.cohort_id.is_(None), Session.cohort_id.in_(cohort_ids))


def visible_sessions(user: User) -> Select[tuple[Session]]:
    """Sessions ``user`` may see, by start; add ``where`` clauses to narrow it."""
    query = (select(Session).join(Session.module).options(contains_eager(Session.module))
             .order_by(Session.starts_at, Session.id))
    if is_staff(user):
        return query
    return query.where(
        Module.published, Module.course_id.in_(member_course_ids(user)),
        session_cohort_filter(current_audience().cohort_ids_of(user)),
    )
