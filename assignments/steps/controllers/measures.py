"""Pages of step 4: add a measure from a decision, follow it, note each change."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms import SelectChoice

from assignments.steps import measures
from assignments.steps.access import load_records
from assignments.steps.forms import MeasureForm, MeasureUpdateForm
from assignments.steps.models import Measure, Presentation
from cohorts.models import Cohort
from lms.auth.access import can, load, roles_required
from lms.dates import berlin_today
from lms.datetext import local_date
from lms.errors import DomainError
from lms.extensions import db
from lms.web import reject


def _decisions(cohort_id: int, municipality_id: int) -> list[SelectChoice]:
    presentations = db.session.scalars(select(Presentation).where(
        Presentation.cohort_id == cohort_id, Presentation.municipality_id == municipality_id,
        Presentation.outcome.is_not(None)).order_by(Presentation.meeting_at))
    return [SelectChoice(p.id, f"{p.committee}, {local_date(p.meeting_at)}"
                         + (f" ({p.reference})" if p.reference else ""))
            for p in presentations if p.outcome.is_decision]


@roles_required()
def new_measure(cohort_id: int, municipality_id: int):
    cohort, municipality, _records = load_records(cohort_id, municipality_id, "keep")
    form = MeasureForm()
    form.presentation_id.choices = _decisions(cohort.id, municipality.id)
    if form.is_submitted() and not form.presentation_id.choices:
        reject(form, DomainError(_("Please record the committee decision first: measures "
                                   "come from a decision.")))
    elif form.validate_on_submit():
        try:
            measure = measures.create_measure(cohort.id, municipality.id, form.details(),
                                              actor=current_user)
        except DomainError as exc:
            reject(form, exc)
        else:
            flash(_("The measure has been saved."), "success")
            return redirect(url_for(".measure_page", measure_id=measure.id))
    return render_template("steps/measure_form.html", form=form, cohort=cohort,
                           municipality=municipality, measure=None)


@roles_required()
def edit_measure(measure_id: int):
    measure = load(Measure, measure_id, "keep")
    form = MeasureForm(obj=measure)
    form.presentation_id.choices = _decisions(measure.cohort_id, measure.municipality_id)
    if form.validate_on_submit():
        try:
            measures.edit_measure(measure, form.details(), actor=current_user)
        except DomainError as exc:
            reject(form, exc)
        else:
            flash(_("The measure has been corrected."), "success")
            return redirect(url_for(".measure_page", measure_id=measure.id))
    return render_template("steps/measure_form.html", form=form,
                           cohort=db.session.get(Cohort, measure.cohort_id),
                           municipality=measure.municipality,
                           measure=measure)


def _measure_page(measure: Measure, form: MeasureUpdateForm | None = None):
    if form is None and can("keep", measure):
        form = MeasureUpdateForm(state=measure.state.value, noted_on=berlin_today())
    return render_template("steps/measure.html", measure=measure,
                           full=can("read", measure), form=form)


@roles_required()
def measure_page(measure_id: int):
    return _measure_page(load(Measure, measure_id, "view"))


@roles_required()
def update_measure(measure_id: int):
    measure = load(Measure, measure_id, "keep")
    form = MeasureUpdateForm()
    if form.validate_on_submit():
        try:
            measures.add_update(measure, form.new_state, form.note.data, form.noted_on.data,
                                actor=current_user)
        except DomainError as exc:
            reject(form, exc)
        else:
            flash(_("The change has been noted."), "success")
            return redirect(url_for(".measure_page", measure_id=measure.id))
    return _measure_page(measure, form)
