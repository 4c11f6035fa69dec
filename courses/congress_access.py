"""Who may see and change congresses.

Public congresses are open to everybody, signed in or not; internal ones to the people
of their course (``courses.access.course_policy``). Organisers create and change
congresses and see their attendance; every signed-in person who may see a congress may
register for it.
"""

from __future__ import annotations

from flask import Flask
from sqlalchemy import Select, select

from courses.access import course_policy, visible_courses
from courses.congress_models import AgendaItem, Congress
from lms.auth.access import register_policy
from lms.auth.models import Role, User


def congress_policy(user: User, action: str, congress: Congress | type[Congress]) -> bool:
    """Also asked for anonymous visitors: they see public congresses and nothing else."""
    if not user.is_authenticated or not user.active:
        return action == "view" and isinstance(congress, Congress) and congress.public
    if user.has_role(Role.ORGANISER):
        return True
    if action == "view":
        return congress.public or course_policy(user, "view", congress.course)
    if action == "register":
        return congress_policy(user, "view", congress)
    return False


def agenda_item_policy(user: User, action: str, item: AgendaItem) -> bool:
    """An agenda item is its congress's: who may edit the congress edits its items."""
    return congress_policy(user, action, item.congress)


def register_congress_policy(app: Flask) -> None:
    register_policy(app, Congress, congress_policy, public=True)
    register_policy(app, AgendaItem, agenda_item_policy, public=True)


def visible_congresses(user: User | None) -> Select[tuple[Congress]]:
    """The congresses ``user`` may see (None or anonymous: the public ones), by start; add
    ``where`` clauses to narrow it."""
    query = select(Congress).order_by(Congress.starts_at, Congress.id)
    if user is None or not user.is_authenticated or not user.active:
        return query.where(Congress.public)
    if user.has_role(Role.ORGANISER):
        return query
    course_ids = [course.id for course in visible_courses(user)]
    return query.where(Congress.public | Congress.course_id.in_(course_ids))
