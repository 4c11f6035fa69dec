"""Staff pages: write assignments, schedule them per cohort, copy them, grant extensions."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from assignments import authoring
from assignments import extensions as extension_rules
from assignments.access import cohort_choices
from assignments.authoring import AssignmentDetails
from assignments.deadlines import owner_deadlines
from assignments.forms import (
    AssignmentForm,
    CopyForm,
    DatesForm,
    ExtensionForm,
    ScheduleForm,
    choices,
)
from assignments.models import Assignment, AssignmentSchedule, Extension, Submission
from cohorts.models import Cohort
from courses.access import STAFF
from courses.models import Module
from lms.auth.access import can, load, roles_required
from lms.errors import DomainError
from lms.extensions import db
from lms.web import reject


def _max_upload_mb() -> int:
    return current_app.config["MAX_UPLOAD_MB"]


def _chosen_cohort(cohort_id: int | None) -> Cohort:
    """The cohort chosen in a form, if the current person teaches it; a forged id gets a
    message in the form, not an error page."""
    cohort = db.session.get(Cohort, cohort_id) if cohort_id is not None else None
    if cohort is None or not can("teach", cohort):
        raise DomainError(_("Please choose one of your cohorts."))
    return cohort


# --- Assignments -------------------------------------------------------------------------


@roles_required(*STAFF)
def new_assignment(module_id: int):
    module = load(Module, module_id, "edit")
    form = AssignmentForm()
    if form.validate_on_submit():
        try:
            assignment = authoring.create_assignment(module, form.details(), actor=current_user,
                                                     max_upload_mb=_max_upload_mb())
        except DomainError as exc:
            reject(form, exc)
        else:
            flash(_("The assignment has been created. Now give it dates in a cohort."),
                  "success")
            return redirect(url_for(".assignment", assignment_id=assignment.id))
    return render_template("assignments/assignment_form.html", form=form, module=module,
                           assignment=None)


@roles_required(*STAFF)
def edit_assignment(assignment_id: int):
    assignment = load(Assignment, assignment_id, "edit")
    form = AssignmentForm(obj=assignment)
    if not form.is_submitted():
        form.fill(AssignmentDetails.of(assignment))
    if form.validate_on_submit():
        try:
            authoring.update_assignment(assignment, form.details(), actor=current_user,
                                        max_upload_mb=_max_upload_mb())
        except DomainError as exc:
            reject(form, exc)
        else:
            flash(_("The changes have been saved."), "success")
            return redirect(url_for(".assignment", assignment_id=assignment.id))
    return render_template("assignments/assignment_form.html", form=form,
                           module=assignment.module, assignment=assignment)


def _assignment_page(assignment: Assignment, schedule_form: ScheduleForm | None = None,
                     copy_form: CopyForm | None = None):
    scheduled = {schedule.cohort_id for schedule in assignment.schedules}
    open_choices = [(ident, name) for ident, name in cohort_choices(current_user)
                    if ident not in scheduled]
    schedule_form = schedule_form or ScheduleForm(formdata=None)
    schedule_form.cohort_id.choices = choices(open_choices)
    copy_form = copy_form or CopyForm(formdata=None)
    copy_form.cohort_id.choices = choices(open_choices)
    return render_template("assignments/assignment.html", assignment=assignment,
                           schedule_form=schedule_form, copy_form=copy_form,
                           can_schedule=bool(open_choices))


@roles_required()
def assignment(assignment_id: int):
    """Staff see the assignment with its cohorts; participants go to their own work page."""
    assignment = load(Assignment, assignment_id)
    if not can("edit", assignment):  # participants: their own work page
        schedule = next(s for s in assignment.schedules if can("view", s))
        return redirect(url_for(".work", schedule_id=schedule.id))
    return _assignment_page(assignment)


@roles_required(*STAFF)
def schedule_assignment(assignment_id: int):
    assignment = load(Assignment, assignment_id, "edit")
    form = ScheduleForm()
    if form.validate_on_submit():
        try:
            cohort = _chosen_cohort(form.cohort_id.data)
            schedule = authoring.schedule_assignment(assignment, cohort, form.dates(),
                                                     actor=current_user)
        except DomainError as exc:
            reject(form, exc)
        else:
            flash(_("The assignment now has dates in %(cohort)s.", cohort=cohort.name),
                  "success")
            return redirect(url_for(".manage", schedule_id=schedule.id))
    return _assignment_page(assignment, schedule_form=form), 422


@roles_required(*STAFF)
def copy_schedule(schedule_id: int):
    schedule = load(AssignmentSchedule, schedule_id, "view")
    form = CopyForm()
    if form.validate_on_submit():
        try:
            cohort = _chosen_cohort(form.cohort_id.data)
            copy = authoring.copy_to_cohort(schedule, cohort, actor=current_user)
        except DomainError as exc:
            reject(form, exc)
        else:
            flash(_("The assignment has been copied to %(cohort)s. Please check its dates.",
                    cohort=cohort.name), "success")
            return redirect(url_for(".manage", schedule_id=copy.id))
    return _assignment_page(schedule.assignment, copy_form=form), 422


# --- A schedule: dates, extensions, the work handed in ---------------------------------------


def _manage_page(schedule: AssignmentSchedule, dates_form: DatesForm | None = None,
                 extension_form: ExtensionForm | None = None):
    dates_form = dates_form or DatesForm(formdata=None, obj=schedule)
    extension_form = extension_form or ExtensionForm(formdata=None)
    extension_form.owner.choices = choices(extension_rules.owner_choices(schedule))
    submissions = db.session.scalars(
        select(Submission).where(Submission.schedule_id == schedule.id)
        .options(selectinload(Submission.versions), selectinload(Submission.user),
                 selectinload(Submission.municipality))
        .order_by(Submission.id)).all()
    rows = [(submission, owner_deadlines(submission)) for submission in submissions]
    return render_template("assignments/manage.html", schedule=schedule,
                           assignment=schedule.assignment, dates_form=dates_form,
                           extension_form=extension_form, rows=rows)


@roles_required(*STAFF)
def manage(schedule_id: int):
    return _manage_page(load(AssignmentSchedule, schedule_id, "manage"))


@roles_required(*STAFF)
def edit_schedule(schedule_id: int):
    schedule = load(AssignmentSchedule, schedule_id, "manage")
    form = DatesForm()
    if form.validate_on_submit():
        try:
            changed = authoring.reschedule(schedule, form.dates(), actor=current_user)
        except DomainError as exc:
            reject(form, exc)
        else:
            flash(_("The dates have been changed.") if changed else _("Nothing was changed."),
                  "success")
            return redirect(url_for(".manage", schedule_id=schedule.id))
    return _manage_page(schedule, dates_form=form), 422


@roles_required(*STAFF)
def grant_extension(schedule_id: int):
    schedule = load(AssignmentSchedule, schedule_id, "manage")
    form = ExtensionForm()
    if form.validate_on_submit():
        try:
            extension_rules.grant_extension(schedule, form.request(), actor=current_user)
        except DomainError as exc:
            reject(form, exc)
        else:
            flash(_("The extension has been granted."), "success")
            return redirect(url_for(".manage", schedule_id=schedule.id, _anchor="extensions"))
    return _manage_page(schedule, extension_form=form), 422


@roles_required(*STAFF)
def revoke_extension(extension_id: int):
    extension = load(Extension, extension_id, "revoke")
    try:
        extension_rules.revoke_extension(extension, actor=current_user)
    except DomainError as exc:
        reject(None, exc)
    else:
        flash(_("The extension has been revoked."), "success")
    return redirect(url_for(".manage", schedule_id=extension.schedule_id, _anchor="extensions"))
