"""The gradebook of a cohort (staff), its export (XLSX or CSV), and "My grades" (participants)."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from assignments.gradebook import (
    build_gradebook,
    cell_for,
    gradebook_table,
    own_grades,
    taught_cohorts,
)
from assignments.reviews import grade_text
from cohorts.models import Cohort
from courses.access import STAFF
from lms.auth.access import load, roles_required
from lms.plugins import current_plugins
from lms.tables import table_response


@roles_required(*STAFF)
def gradebooks():
    """The cohorts whose gradebook the current person may open."""
    return render_template("assignments/gradebook/index.html",
                           cohorts=taught_cohorts(current_user))


@roles_required(*STAFF)
def gradebook(cohort_id: int):
    book = build_gradebook(load(Cohort, cohort_id, "teach"))
    return render_template("assignments/gradebook/gradebook.html", book=book,
                           cell_for=cell_for,
                           extra=current_plugins().person_columns(book.cohort.id, current_user))


@roles_required(*STAFF)
def gradebook_export(cohort_id: int, format: str):
    cohort = load(Cohort, cohort_id, "teach")
    extra = current_plugins().person_columns(cohort.id, current_user)
    return table_response(gradebook_table(build_gradebook(cohort), extra), format)


@roles_required()
def my_grades():
    """Meine Bewertungen: every released grade and feedback of one's own work."""
    return render_template("assignments/gradebook/my_grades.html",
                           grades=own_grades(current_user), grade_text=grade_text)
