"""The line on a holder's dashboard that leads to their certificates."""

from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import select

from assignments.certificates.models import Certificate
from lms.auth.models import User
from lms.extensions import db
from lms.plugins import DashboardPanel


def certificate_panels(user: User) -> list[DashboardPanel]:
    """A panel while ``user`` holds a valid certificate; none otherwise."""
    valid = list(db.session.scalars(select(Certificate).where(
        Certificate.user_id == user.id, Certificate.revoked_at.is_(None))
        .order_by(Certificate.issued_at)))
    if not valid:
        return []
    body = Markup(render_template("certificates/panels/own.html", certificates=valid))
    return [DashboardPanel(_("Certificate"), body, 5)]
