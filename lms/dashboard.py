"""The landing page: each person sees what they need next, gathered from the plugins."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required
from sqlalchemy import func, select

from lms.auth.access import can
from lms.auth.models import User
from lms.extensions import db
from lms.mail import OutboxMessage
from lms.plugins import current_plugins

bp = Blueprint("dashboard", __name__)


def _organiser_figures() -> dict[str, int]:
    return {
        "people": db.session.scalar(select(func.count(User.id))),
        "not_yet_signed_up": db.session.scalar(
            select(func.count(User.id)).where(User.password_hash.is_(None), User.active)
        ),
        "unsent_mail": db.session.scalar(
            select(func.count(OutboxMessage.id)).where(OutboxMessage.sent_at.is_(None))
        ),
    }


@bp.route("/")
@login_required
def index():
    figures = _organiser_figures() if can("manage", User) else None
    panels = current_plugins().dashboard_for(current_user)
    return render_template("dashboard.html", panels=panels, figures=figures,
                           teaches=can("teach", User))
