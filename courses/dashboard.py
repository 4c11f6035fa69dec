"""The course's panels on the dashboard: what comes next for participants, drafts for staff."""

from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import select

from courses.access import is_staff, visible_courses, visible_modules, visible_sessions
from courses.models import Module, Session
from lms.auth.models import User
from lms.db import utcnow
from lms.extensions import db
from lms.plugins import DashboardPanel

NEXT_SESSIONS = 5
DRAFTS = 10


def _panel(title: str, template: str, order: int, **context: object) -> DashboardPanel:
    return DashboardPanel(title, Markup(render_template(f"courses/panels/{template}", **context)),
                          order)


def dashboard_panels(user: User) -> list[DashboardPanel]:
    if is_staff(user):
        courses = visible_courses(user)
        drafts = db.session.scalars(
            select(Module).where(~Module.published)
            .order_by(Module.updated_at.desc(), Module.id.desc()).limit(DRAFTS)).all()
        return [_panel(_("Module drafts"), "drafts.html", 10, drafts=drafts, courses=courses)]
    sessions = db.session.scalars(
        visible_sessions(user).where(Session.ends_at >= utcnow()).limit(NEXT_SESSIONS)).all()
    modules = db.session.scalars(visible_modules(user)).all()
    return [
        _panel(_("Next sessions"), "next_sessions.html", 10, sessions=sessions),
        _panel(_("Modules"), "modules.html", 20, modules=modules),
    ]
