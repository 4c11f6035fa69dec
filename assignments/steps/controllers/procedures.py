"""Pages of the procedure templates (organisers): the list and the edit form of a step."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from assignments.steps import procedures
from assignments.steps.forms import TemplateStepForm
from assignments.steps.models import StepKind
from cohorts.models import Procedure
from lms.auth.access import authorize, roles_required
from lms.auth.models import Role
from lms.errors import DomainError
from lms.web import reject


@roles_required(Role.ORGANISER)
def procedures_page():
    templates = {procedure: procedures.template_steps(procedure) for procedure in Procedure}
    return render_template("steps/procedures.html", templates=templates)


@roles_required(Role.ORGANISER)
def edit_template_step(procedure: str, kind: str):
    try:
        step = procedures.template_step(Procedure(procedure), StepKind(kind))
    except ValueError:
        step = None
    if step is None:
        abort(404)
    authorize("edit", step)
    form = TemplateStepForm(obj=step)
    if form.validate_on_submit():
        try:
            procedures.update_template_step(step, form.details(), actor=current_user)
        except DomainError as exc:
            reject(form, exc)
        else:
            flash(_("The step has been saved. Cohorts that already took the template keep "
                    "their steps."), "success")
            return redirect(url_for(".procedures_page"))
    return render_template("steps/template_step_form.html", form=form, step=step)
