"""The eligibility pages: the cohorts and courses to choose from, a cohort's board and its
export (organisers and the lecturers teaching the cohort)."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user
from sqlalchemy import select

from assignments.certificates.access import load_eligibility
from assignments.certificates.eligibility import eligibility_board, eligibility_table
from assignments.certificates.forms import BoardFilter
from assignments.gradebook import taught_cohorts
from courses.access import STAFF
from courses.models import Course
from lms.auth.access import roles_required
from lms.extensions import db
from lms.tables import table_response


@roles_required(*STAFF)
def index():
    """The cohorts whose board the current person may read, and the courses' rules."""
    courses = db.session.scalars(select(Course).order_by(Course.starts_at, Course.id)).all()
    return render_template("certificates/index.html", cohorts=taught_cohorts(current_user),
                           courses=courses)


@roles_required()
def board(cohort_id: int):
    cohort = load_eligibility(cohort_id).cohort
    filters = BoardFilter()
    return render_template("certificates/board.html", cohort=cohort, filters=filters,
                           board=eligibility_board(cohort, filters.show.chosen))


@roles_required()
def board_export(cohort_id: int, format: str):
    cohort = load_eligibility(cohort_id, "export").cohort
    filters = BoardFilter()
    return table_response(eligibility_table(eligibility_board(cohort, filters.show.chosen)),
                          format)
