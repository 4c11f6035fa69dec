"""The lecturers' dashboard panel: work waiting for a grade in the cohorts they teach.

Organisers find the same through "Gradebooks" in the navigation, which costs their
dashboard no query.
"""

from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _
from markupsafe import Markup

from assignments.grading import waiting_work
from cohorts.access import taught_cohort_ids
from lms.auth.models import Role, User
from lms.plugins import DashboardPanel

#: waiting work listed on the panel; the rest is counted
PANEL_ROWS = 8


def grading_panels(user: User) -> list[DashboardPanel]:
    if not user.has_role(Role.LECTURER):
        return []
    body = Markup(render_template("assignments/grading/panel.html",
                                  waiting=waiting_work(taught_cohort_ids(user), PANEL_ROWS)))
    return [DashboardPanel(_("Grading"), body, 6)]
