"""The plugin's dashboard panels: a participant's progress towards the certificate (where
their cohort stands, linked to the page with the details), and the certificates a person
holds."""

from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import select

from assignments.certificates.models import Certificate
from assignments.certificates.progress import own_progress
from lms.auth.models import Role, User
from lms.extensions import db
from lms.plugins import DashboardPanel


def dashboard_panels(user: User) -> list[DashboardPanel]:
    """Panels for participants (the people certificates are for); none for staff."""
    if not user.has_role(Role.PARTICIPANT):
        return []
    return [*certificate_panels(user), *progress_panels(user)]


def certificate_panels(user: User) -> list[DashboardPanel]:
    """A panel while ``user`` holds a valid certificate; none otherwise."""
    valid = list(db.session.scalars(select(Certificate).where(
        Certificate.user_id == user.id, Certificate.revoked_at.is_(None))
        .order_by(Certificate.issued_at)))
    if not valid:
        return []
    body = Markup(render_template("certificates/panels/own.html", certificates=valid))
    return [DashboardPanel(_("Certificate"), body, 5)]


def progress_panels(user: User) -> list[DashboardPanel]:
    """One panel while ``user`` is enrolled in a cohort."""
    progress = own_progress(user)
    if not progress:
        return []
    body = Markup(render_template("certificates/panel.html", progress=progress))
    return [DashboardPanel(_("My progress"), body, 5)]
