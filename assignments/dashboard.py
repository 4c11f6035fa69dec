"""The "due soon" panel on a participant's dashboard."""

from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _
from markupsafe import Markup

from assignments.overview import due_soon
from lms.auth.models import Role, User
from lms.plugins import DashboardPanel


def dashboard_panels(user: User) -> list[DashboardPanel]:
    if not user.has_role(Role.PARTICIPANT):
        return []
    rows = due_soon(user)
    body = Markup(render_template("assignments/panels/due_soon.html", rows=rows))
    return [DashboardPanel(_("Due soon"), body, 8)]
