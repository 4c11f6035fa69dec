"""Attendance pages: a session's list, a cohort's matrix and its export, one's own attendance.

Who teaches a cohort (its lecturers, and organisers) keeps its lists and reads its
matrix (``can("teach", cohort)``); every participant reads their own attendance only.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from cohorts.attendance import (
    FIELD_PREFIX,
    Standing,
    attendance_matrix,
    attendance_table,
    belongs_to,
    list_history,
    may_record,
    own_attendance,
    parse_list,
    record_attendance,
    recorded_by,
    session_list,
)
from cohorts.attendance_models import AttendanceStatus
from cohorts.forms import AttendanceListForm
from cohorts.models import Cohort
from courses.models import Session
from lms.auth.access import load, roles_required
from lms.errors import DomainError
from lms.tables import FORMAT_PART, table_response
from lms.web import reject

#: the attendance pages, at paths under /cohorts/ beside the cohort's own pages
bp = Blueprint("attendance", __name__)


@bp.route("/cohorts/<int:cohort_id>/attendance")
@roles_required()
def matrix(cohort_id: int):
    cohort = load(Cohort, cohort_id, "teach")
    return render_template("cohorts/attendance/matrix.html", cohort=cohort,
                           matrix=attendance_matrix(cohort), Standing=Standing)


@bp.route(f"/cohorts/<int:cohort_id>/attendance.{FORMAT_PART}")
@roles_required()
def export(cohort_id: int, format: str):
    cohort = load(Cohort, cohort_id, "teach")
    return table_response(attendance_table(attendance_matrix(cohort)), format)


@bp.route("/cohorts/<int:cohort_id>/attendance/<int:session_id>", methods=["GET", "POST"])
@roles_required()
def sheet(cohort_id: int, session_id: int):
    cohort = load(Cohort, cohort_id, "teach")
    session = load(Session, session_id)
    if not belongs_to(session, cohort):
        abort(404)
    form = AttendanceListForm()
    if form.validate_on_submit():
        try:
            changed = record_attendance(cohort, session, parse_list(request.form),
                                        actor=current_user)
        except DomainError as exc:
            reject(form, exc)
        else:
            flash(ngettext("The attendance has been saved (%(num)d change).",
                           "The attendance has been saved (%(num)d changes).", changed)
                  if changed else _("The attendance has been saved; nothing had changed."),
                  "success")
            return redirect(url_for(".sheet", cohort_id=cohort.id,
                                    session_id=session.id))
    rows = session_list(cohort, session)
    return render_template("cohorts/attendance/list.html", cohort=cohort, session=session,
                           rows=rows, form=form, statuses=list(AttendanceStatus),
                           prefix=FIELD_PREFIX, editable=may_record(session),
                           first=recorded_by(rows), history=list_history(session))


@bp.route("/cohorts/mine/attendance")
@roles_required()
def mine():
    return render_template("cohorts/attendance/mine.html",
                           attendances=own_attendance(current_user), Standing=Standing)
