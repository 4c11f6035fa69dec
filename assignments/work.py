"""Participants' pages: their assignments, the work page with draft and submit, receipts,
and the downloads of handed-in files."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from assignments import reviews, submitting
from assignments.access import owner_of, team_members
from assignments.authoring import newest_schedules
from assignments.deadlines import Verdict, effective_deadlines, verdict
from assignments.forms import WorkForm, chosen_files
from assignments.models import (
    Assignment,
    AssignmentSchedule,
    DraftFile,
    Submission,
    SubmissionVersion,
    VersionFile,
)
from assignments.overview import participant_rows
from courses.models import Module
from lms.auth.access import can, load, roles_required
from lms.db import utcnow
from lms.downloads import stored_file_response
from lms.errors import DomainError
from lms.extensions import db
from lms.markdown import render_markdown
from lms.web import parse_id, reject

#: cohorts named beside each assignment on the staff list; its own page lists them all
LISTED_COHORTS = 4


@roles_required()
def index():
    if can("edit", Assignment):
        assignments = db.session.scalars(
            select(Assignment).join(Assignment.module)
            .order_by(Module.course_id, Module.position, Assignment.position)).all()
        modules = db.session.scalars(select(Module).order_by(Module.course_id,
                                                             Module.position)).all()
        return render_template("assignments/staff_index.html", assignments=assignments,
                               modules=modules, cohorts=newest_schedules(LISTED_COHORTS))
    return render_template("assignments/index.html", rows=participant_rows(current_user))


def _work_page(schedule: AssignmentSchedule, form: WorkForm | None = None,
               preview: str | None = None, status: int = 200):
    owner = owner_of(current_user, schedule)
    if owner is None:
        abort(404)
    submission = submitting.find_submission(schedule, owner)
    deadlines = effective_deadlines(schedule, owner)
    if form is None:
        form = WorkForm(formdata=None)
        form.text.data = submission.draft_text if submission else ""
    form.token.data = submitting.new_token()
    now = utcnow()
    return render_template(
        "assignments/work.html", schedule=schedule, assignment=schedule.assignment,
        submission=submission, deadlines=deadlines, now_verdict=verdict(deadlines, now),
        Verdict=Verdict, form=form, preview=preview,
        state=submitting.participant_state(submission),
        can_submit=(submission is None or submission.state in submitting.OPEN_STATES),
        members=team_members(submission) if submission else [],
        feedback=reviews.shown_grades(submission), grade_text=reviews.grade_text,
    ), status


@roles_required()
def work(schedule_id: int):
    schedule = load(AssignmentSchedule, schedule_id)
    if can("edit", schedule.assignment):  # those who write it manage it there
        return redirect(url_for(".manage", schedule_id=schedule.id))
    return _work_page(schedule)


@roles_required()
def save_work(schedule_id: int):
    """One form, three buttons: preview (nothing saved), save the draft, hand it in."""
    schedule = load(AssignmentSchedule, schedule_id)
    if can("edit", schedule.assignment):
        abort(403)
    if owner_of(current_user, schedule) is None:
        abort(404)
    form = WorkForm()
    if not form.validate_on_submit():
        flash(_("The form has expired. Please send it again."), "error")
        return _work_page(schedule, form, status=400)
    if "remove_file" in request.form:
        return _remove_from_form(schedule, form)
    if "preview" in request.form:
        return _preview(schedule, form)
    try:
        if "submit" in request.form:
            version, new = submitting.hand_in(schedule, current_user, text=form.text.data,
                                              uploads=chosen_files(form.files),
                                              token=form.token.data)
        else:
            submission = submitting.submission_for(schedule, current_user)
            submitting.save_draft(submission, form.text.data, chosen_files(form.files),
                                  actor=current_user)
    except DomainError as exc:
        reject(form, exc)
        return _work_page(schedule, form, status=422)
    if "submit" not in request.form:
        flash(_("Your draft has been saved. It is not handed in yet."), "success")
        return redirect(url_for(".work", schedule_id=schedule.id, _anchor="draft"))
    if new:
        flash(_("Your work has been handed in as version %(number)d.", number=version.number),
              "success")
    else:
        flash(_("This was already handed in; nothing was added."), "info")
    return redirect(url_for(".version", version_id=version.id))


def _preview(schedule: AssignmentSchedule, form: WorkForm):
    """The text rendered, not saved; chosen files are attached to the draft, not dropped."""
    preview = render_markdown(form.text.data or "")
    files = chosen_files(form.files)
    if files:
        try:
            submitting.attach_files(submitting.submission_for(schedule, current_user), files,
                                    actor=current_user)
        except DomainError as exc:
            reject(form, exc)
            return _work_page(schedule, form, preview=preview, status=422)
        flash(_("The chosen files are in your draft now. Your text is not saved yet."), "info")
    return _work_page(schedule, form, preview=preview)


def _remove_from_form(schedule: AssignmentSchedule, form: WorkForm):
    """A draft file removed with a button of the work form, which keeps the typed text."""
    file_id = parse_id(request.form["remove_file"])
    if file_id is None:
        abort(404)
    file = load(DraftFile, file_id, "remove")
    if file.submission.schedule_id != schedule.id:
        abort(404)
    try:
        submitting.remove_draft_file(file)
    except DomainError as exc:
        reject(form, exc)
        return _work_page(schedule, form, status=422)
    flash(_("“%(name)s” has been removed from your draft.", name=file.filename), "success")
    return _work_page(schedule, form)


@roles_required()
def draft_file(file_id: int):
    file = load(DraftFile, file_id, "download")
    return stored_file_response(file.sha256, file.filename, file.content_type)


@roles_required()
def version(version_id: int):
    """The receipt: what was handed in, when, by whom, with the files' checksums."""
    version = load(SubmissionVersion, version_id)
    submission: Submission = version.submission
    return render_template("assignments/version.html", version=version, submission=submission,
                           schedule=submission.schedule,
                           assignment=submission.schedule.assignment,
                           manages=can("manage", submission.schedule))


@roles_required()
def version_file(file_id: int):
    file = load(VersionFile, file_id, "download")
    return stored_file_response(file.sha256, file.filename, file.content_type)
