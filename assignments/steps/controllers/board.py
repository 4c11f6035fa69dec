"""Pages of a cohort's progress board, its exports, and one municipality's page and timeline."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from wtforms import SelectChoice

from assignments.steps import procedures
from assignments.steps.access import (
    Board,
    board_cohort_ids,
    load_board,
    load_records,
    shares_progress,
    team_municipality_id,
)
from assignments.steps.board import board_table, build_board, measures_table
from assignments.steps.chart import measure_chart
from assignments.steps.forms import SharingForm, TakeTemplateForm
from assignments.steps.models import StepKind, TemplateStep
from assignments.steps.timeline import timeline
from cohorts.models import Application, ApplicationStatus, Cohort
from courses.models import Module
from lms.auth.access import can, roles_required
from lms.auth.models import Role
from lms.errors import DomainError
from lms.extensions import db
from lms.tables import table_response
from lms.web import reject

# --- A cohort's board -----------------------------------------------------------------------


def _take_form(cohort: Cohort) -> TakeTemplateForm:
    form = TakeTemplateForm()
    modules = db.session.scalars(select(Module).where(Module.course_id == cohort.course_id)
                                 .order_by(Module.position)).all()
    form.module.choices = [SelectChoice(module.id, module.title) for module in modules]
    if form.module.data is None and modules:
        form.module.data = modules[-1].id
    return form


def _visible_rows(steps_board: Board) -> set[int] | None:
    """Whose rows the current person sees: teaching staff and sharing cohorts all, others
    their own."""
    cohort = steps_board.cohort
    if can("export", steps_board) or shares_progress(cohort.id):
        return None
    own = team_municipality_id(current_user, cohort.id)
    return {own} if own else set()


@roles_required()
def board(cohort_id: int):
    steps_board = load_board(cohort_id)
    cohort = steps_board.cohort
    teaching = can("export", steps_board)
    progress = build_board(cohort, staff=teaching, municipality_ids=_visible_rows(steps_board))
    organiser = can("manage", steps_board)
    return render_template(
        "steps/board.html", cohort=cohort, board=progress, teaching=teaching,
        own=team_municipality_id(current_user, cohort.id), organiser=organiser,
        chart=measure_chart(cohort) if teaching or shares_progress(cohort.id) else None,
        take_form=_take_form(cohort) if organiser and not progress.steps else None,
        sharing_form=SharingForm(share_progress=shares_progress(cohort.id))
        if organiser else None)


@roles_required(Role.ORGANISER)
def take_template(cohort_id: int):
    cohort = load_board(cohort_id, "manage").cohort
    form = _take_form(cohort)
    if form.validate_on_submit():
        try:
            procedures.take_template(cohort, db.session.get(Module, form.module.data)
                                     or abort(404), actor=current_user)
        except DomainError as exc:
            reject(form, exc)
        else:
            flash(_("The cohort has taken its procedure template."), "success")
    else:
        flash(_("Please choose a module of this cohort's course."), "error")
    return redirect(url_for(".board", cohort_id=cohort.id))


@roles_required(Role.ORGANISER)
def set_sharing(cohort_id: int):
    cohort = load_board(cohort_id, "manage").cohort
    form = SharingForm()
    if form.validate_on_submit():
        procedures.set_share_progress(cohort, form.share_progress.data, actor=current_user)
        flash(_("The setting has been saved."), "success")
    return redirect(url_for(".board", cohort_id=cohort.id))


@roles_required()
def board_export(cohort_id: int, format: str):
    cohort = load_board(cohort_id, "export").cohort
    return table_response(board_table(build_board(cohort, staff=True)), format)


@roles_required()
def measures_export(cohort_id: int, format: str):
    return table_response(measures_table(load_board(cohort_id, "export").cohort), format)


# --- One municipality -----------------------------------------------------------------------


@roles_required()
def municipality_page(cohort_id: int, municipality_id: int):
    cohort, municipality, records = load_records(cohort_id, municipality_id, "view")
    progress = build_board(cohort, staff=can("export", Board(cohort)),
                           municipality_ids={municipality.id})
    return render_template("steps/municipality.html", cohort=cohort,
                           municipality=municipality, board=progress, row=progress.rows[0],
                           full=can("read", records), keeps=can("keep", records),
                           StepKind=StepKind)


@roles_required()
def timeline_page(cohort_id: int, municipality_id: int):
    cohort, municipality, _records = load_records(cohort_id, municipality_id, "read")
    return render_template("steps/timeline.html", cohort=cohort,
                           municipality=municipality,
                           entries=timeline(cohort, municipality,
                                            staff=can("export", Board(cohort))))


@roles_required()
def index():
    """The cohorts whose boards the current person may open."""
    statement = select(Cohort).order_by(Cohort.starts_on, Cohort.id)
    allowed = board_cohort_ids(current_user)
    if allowed is not None:
        statement = statement.where(Cohort.id.in_(allowed))
    cohorts = db.session.scalars(statement).all()
    counts = {cohort_id: count for cohort_id, count in db.session.execute(
        select(Application.cohort_id, func.count()).where(
            Application.cohort_id.in_([c.id for c in cohorts]),
            Application.status == ApplicationStatus.ACCEPTED)
        .group_by(Application.cohort_id))}
    return render_template("steps/index.html", cohorts=cohorts, counts=counts,
                           manages_templates=can("edit", TemplateStep))
