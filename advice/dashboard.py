"""The advice office's dashboard panel: the open cases a person works on or asked for,
and for organisers the requests waiting for triage."""

from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import or_, select

from advice.access import is_organiser, member_of, municipality_ids_of
from advice.models import (
    OPEN_STATES,
    AdviceCase,
    AssignmentStatus,
    CaseAssignment,
    CaseState,
)
from lms.auth.models import User
from lms.extensions import db
from lms.plugins import DashboardPanel


def _open_cases(user: User) -> list[AdviceCase]:
    statement = select(AdviceCase).where(AdviceCase.state.in_(OPEN_STATES)) \
        .order_by(AdviceCase.created_at, AdviceCase.id)
    if is_organiser(user):
        return list(db.session.scalars(statement.where(
            AdviceCase.state.in_({CaseState.NEW, CaseState.TRIAGE}))))
    member = member_of(user)
    assigned = select(CaseAssignment.case_id).where(
        CaseAssignment.member_id == (member.id if member else -1),
        CaseAssignment.status != AssignmentStatus.DECLINED)
    return list(db.session.scalars(statement.where(or_(
        AdviceCase.requester_id == user.id,
        AdviceCase.municipality_id.in_(municipality_ids_of(user)),
        AdviceCase.id.in_(assigned)))))


def dashboard_panels(user: User) -> list[DashboardPanel]:
    cases = _open_cases(user)
    if not cases and not is_organiser(user):
        return []
    title = _("Requests waiting for triage") if is_organiser(user) else _("Conflict advice")
    return [DashboardPanel(title, Markup(render_template("advice/panel.html", cases=cases)),
                           order=60)]
