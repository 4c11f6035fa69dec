"""Who may see and change congresses.

Public congresses are open to everybody, signed in or not; internal ones to the people
of their course (``courses.access.course_policy``). Organisers create and change
congresses and see their attendance; every signed-in person who may see a congress may
register for it.
"""

from __future__ import annotations

from flask import Flask, abort
from flask_login import current_user
from sqlalchemy import select

from courses.access import course_policy, visible_courses
from courses.congress_models import AgendaItem, Congress
from lms.auth.access import authorize, can, register_policy
from lms.auth.models import Role, User
from lms.extensions import db, login_manager


def congress_policy(user: User, action: str, congress: Congress) -> bool:
    if user.has_role(Role.ORGANISER):
        return True
    if action == "view":
        return congress.public or course_policy(user, "view", congress.course)
    if action == "register":
        return congress_policy(user, "view", congress)
    return False


def register_congress_policy(app: Flask) -> None:
    register_policy(app, Congress, congress_policy)


def may_view(congress: Congress, user: User | None = None) -> bool:
    """Public congresses for everybody; others as the policy says (anonymous: never)."""
    return congress.public or can("view", congress, user)


def load_congress(congress_id: int, action: str = "view") -> Congress:
    """The congress, if the current visitor may do ``action`` with it.

    What a visitor may not see answers like a missing id, so internal congresses stay
    hidden: anonymous visitors are asked to sign in, signed-in people get 404. Who may see
    it but not do ``action`` gets 403 (anonymous visitors: sign in).
    """
    congress = db.session.get(Congress, congress_id)
    if congress is None or not may_view(congress, current_user):
        if not current_user.is_authenticated:
            abort(login_manager.unauthorized())
        abort(404)
    return congress if action == "view" else authorize(action, congress)


def load_item(congress: Congress, item_id: int) -> AgendaItem:
    """An agenda item of ``congress``; an item of another congress answers 404."""
    item = db.session.get(AgendaItem, item_id)
    if item is None or item.congress_id != congress.id:
        abort(404)
    return item


def visible_congresses(user: User | None) -> list[Congress]:
    """The congresses ``user`` may see (None or anonymous: the public ones), by start."""
    query = select(Congress).order_by(Congress.starts_at, Congress.id)
    if user is None or not user.is_authenticated or not user.active:
        return list(db.session.scalars(query.where(Congress.public)))
    if user.has_role(Role.ORGANISER):
        return list(db.session.scalars(query))
    course_ids = [course.id for course in visible_courses(user)]
    return list(db.session.scalars(
        query.where(Congress.public | Congress.course_id.in_(course_ids))))
