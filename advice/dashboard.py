"""The advice office's dashboard panel: the open cases a person works on or asked for,
and for organisers the requests waiting for triage."""

from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import select

from advice.access import involving, is_organiser
from advice.models import OPEN_STATES, AdviceCase, CaseState
from lms.auth.models import User
from lms.extensions import db
from lms.plugins import DashboardPanel


def _open_cases(user: User) -> list[AdviceCase]:
    statement = select(AdviceCase).where(AdviceCase.state.in_(OPEN_STATES)) \
        .order_by(AdviceCase.created_at, AdviceCase.id)
    if is_organiser(user):
        return list(db.session.scalars(statement.where(
            AdviceCase.state.in_({CaseState.NEW, CaseState.TRIAGE}))))
    return list(db.session.scalars(statement.where(involving(user))))


def dashboard_panels(user: User) -> list[DashboardPanel]:
    cases = _open_cases(user)
    if not cases and not is_organiser(user):
        return []
    title = _("Requests waiting for triage") if is_organiser(user) else _("Conflict advice")
    return [DashboardPanel(title, Markup(render_template("advice/panel.html", cases=cases)),
                           order=60)]
