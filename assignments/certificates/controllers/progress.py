"""A participant's own progress towards the certificate, in each of their cohorts."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from assignments.certificates.progress import own_progress
from lms.auth.access import roles_required


@roles_required()
def my_progress():
    return render_template("certificates/progress.html", progress=own_progress(current_user))
