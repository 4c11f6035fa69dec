"""A participant's assignments of a module, for the course's module page."""

from __future__ import annotations

from flask import render_template
from markupsafe import Markup

from assignments.overview import participant_rows
from courses.models import Module
from lms.auth.models import User


def module_progress(user: User, module: Module) -> Markup | None:
    rows = participant_rows(user, module_id=module.id)
    if not rows:
        return None
    return Markup(render_template("assignments/panels/module_progress.html", rows=rows))
