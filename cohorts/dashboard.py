"""The cohort plugin's dashboard panels.

Organisers: open application rounds and the applications waiting for a decision.
Participants: their cohort, their municipality and its team. Lecturers: their cohorts.
"""

from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import joinedload

from cohorts.access import current_enrollments
from cohorts.models import UNDECIDED, Application, Cohort, Enrollment, cohort_lecturers
from lms.auth.models import Role, User
from lms.dates import berlin_today
from lms.extensions import db
from lms.plugins import DashboardPanel


def _panel(title: str, template: str, order: int, **context: object) -> DashboardPanel:
    return DashboardPanel(title, Markup(render_template(f"cohorts/panels/{template}", **context)),
                          order)


def _rounds() -> list[tuple[Cohort, int]]:
    """Cohorts whose window is open or that have undecided applications, with their count."""
    today = berlin_today()
    waiting = func.count(Application.id)
    rows = db.session.execute(
        select(Cohort, waiting)
        .outerjoin(Application, and_(Application.cohort_id == Cohort.id,
                                     Application.status.in_(UNDECIDED)))
        .group_by(Cohort.id)
        .having(or_(and_(Cohort.application_opens_on <= today,
                         Cohort.application_closes_on >= today), waiting > 0))
        .order_by(Cohort.application_closes_on, Cohort.id)).all()
    return [(cohort, count) for cohort, count in rows]


def _my_teams(user: User) -> list[tuple[Enrollment, list[Enrollment]]]:
    """The person's current enrollments, each with the others of the same municipality."""
    mine = current_enrollments(user)
    municipality_ids = [e.municipality_id for e in mine if e.municipality_id is not None]
    others = db.session.scalars(
        select(Enrollment).where(Enrollment.municipality_id.in_(municipality_ids),
                                 Enrollment.ended_at.is_(None), Enrollment.user_id != user.id)
        .options(joinedload(Enrollment.user)).order_by(Enrollment.started_at)).all() \
        if municipality_ids else []
    return [(enrollment, [o for o in others if o.cohort_id == enrollment.cohort_id
                          and o.municipality_id == enrollment.municipality_id])
            for enrollment in mine]


def _lecturer_cohorts(user: User) -> list[Cohort]:
    return list(db.session.scalars(
        select(Cohort).join(cohort_lecturers, cohort_lecturers.c.cohort_id == Cohort.id)
        .where(cohort_lecturers.c.user_id == user.id).order_by(Cohort.starts_on)))


def dashboard_panels(user: User) -> list[DashboardPanel]:
    panels = []
    if user.has_role(Role.ORGANISER):
        panels.append(_panel(_("Application rounds"), "rounds.html", 30, rounds=_rounds()))
    if user.has_role(Role.LECTURER):
        panels.append(_panel(_("My cohorts"), "lecturer.html", 30,
                             cohorts=_lecturer_cohorts(user)))
    if user.has_role(Role.PARTICIPANT):
        teams = _my_teams(user)
        if teams:
            panels.append(_panel(_("My cohort"), "participant.html", 5, teams=teams))
    return panels
