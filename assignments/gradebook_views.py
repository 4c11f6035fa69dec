"""The gradebook of a cohort (staff), its export (XLSX or CSV), and "My grades" (participants)."""

from __future__ import annotations

from flask import abort, render_template
from flask_login import current_user

from assignments.access import teaches
from assignments.gradebook import (
    build_gradebook,
    cell_for,
    gradebook_table,
    own_grades,
    taught_cohorts,
)
from assignments.reviews import grade_text
from cohorts.access import STAFF
from cohorts.models import Cohort
from lms.auth.access import roles_required
from lms.extensions import db
from lms.tables import table_response


def _taught_cohort(cohort_id: int) -> Cohort:
    """A cohort the current person teaches (or organises): 404 unknown, 403 not theirs."""
    cohort = db.session.get(Cohort, cohort_id)
    if cohort is None:
        abort(404)
    if not teaches(current_user, cohort.id):
        abort(403)
    return cohort


@roles_required(*STAFF)
def gradebooks():
    """The cohorts whose gradebook the current person may open."""
    return render_template("assignments/gradebook/index.html",
                           cohorts=taught_cohorts(current_user))


@roles_required(*STAFF)
def gradebook(cohort_id: int):
    book = build_gradebook(_taught_cohort(cohort_id))
    return render_template("assignments/gradebook/gradebook.html", book=book,
                           cell_for=cell_for)


@roles_required(*STAFF)
def gradebook_export(cohort_id: int, format: str):
    cohort = _taught_cohort(cohort_id)
    return table_response(gradebook_table(build_gradebook(cohort)), format)


@roles_required()
def my_grades():
    """Meine Bewertungen: every released grade and feedback of one's own work."""
    return render_template("assignments/gradebook/my_grades.html",
                           grades=own_grades(current_user), grade_text=grade_text)
