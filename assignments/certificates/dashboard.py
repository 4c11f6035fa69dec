"""The participant's dashboard panel: where their cohort stands and their own progress
towards the certificate, linked to the page with the details."""

from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _
from markupsafe import Markup

from assignments.certificates.progress import own_progress
from lms.auth.models import Role, User
from lms.plugins import DashboardPanel


def progress_panels(user: User) -> list[DashboardPanel]:
    """One panel for participants enrolled in a cohort now; nothing for anyone else."""
    if not user.has_role(Role.PARTICIPANT):
        return []
    progress = own_progress(user)
    if not progress:
        return []
    body = Markup(render_template("certificates/panel.html", progress=progress))
    return [DashboardPanel(_("My progress"), body, 5)]
