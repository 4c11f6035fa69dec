"""Pages of the handbook: list, compile (organisers), read, Markdown and print versions."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms import SelectChoice

from assignments.steps import handbook as rules
from assignments.steps.forms import HandbookForm
from assignments.steps.models import Handbook
from cohorts.models import Cohort
from courses.access import STAFF
from lms.auth.access import can, load, roles_required
from lms.auth.models import Role
from lms.downloads import content_disposition
from lms.errors import DomainError
from lms.extensions import db
from lms.web import reject


def _form(handbook: Handbook | None = None) -> HandbookForm:
    form = HandbookForm(obj=handbook)
    form.cohorts.choices = [SelectChoice(c.id, c.name) for c in db.session.scalars(
        select(Cohort).order_by(Cohort.starts_on, Cohort.id))]
    if handbook is not None and not form.is_submitted():
        form.cohorts.data = [c.id for c in handbook.cohorts]
    return form


def _keys(handbook: Handbook) -> set[str]:
    return {c.key for c in rules.candidates([c.id for c in handbook.cohorts])}


@roles_required(*STAFF)
def handbooks():
    form = _form()
    may_create = can("create", Handbook)
    if form.is_submitted() and not may_create:
        abort(403)
    if form.validate_on_submit():
        try:
            handbook = rules.save_handbook(None, form.title.data, form.introduction.data,
                                           form.cohorts.data, actor=current_user)
        except DomainError as exc:
            reject(form, exc)
        else:
            flash(_("The handbook has been created. Now choose its entries."), "success")
            return redirect(url_for(".edit_handbook", handbook_id=handbook.id))
    books = db.session.scalars(select(Handbook).order_by(Handbook.updated_at.desc()))
    return render_template("steps/handbooks.html", handbooks=books, form=form,
                           may_create=may_create)


@roles_required(Role.ORGANISER)
def edit_handbook(handbook_id: int):
    handbook = load(Handbook, handbook_id, "edit")
    form = _form(handbook)
    if form.validate_on_submit():
        chosen = {key: request.form.get(f"topic-{key}", "")
                  for key in request.form.getlist("entry")}
        shown = _keys(handbook)
        try:
            rules.save_handbook(handbook, form.title.data, form.introduction.data,
                                form.cohorts.data, actor=current_user)
            # entries of a cohort just taken out go; unknown (forged) ones are refused
            available = _keys(handbook)
            rules.choose_entries(handbook, {key: topic for key, topic in chosen.items()
                                            if key in available or key not in shown},
                                 actor=current_user)
        except DomainError as exc:
            reject(form, exc)
        else:
            flash(_("The handbook has been saved."), "success")
            return redirect(url_for(".handbook_page", handbook_id=handbook.id))
    return render_template("steps/handbook_form.html", form=form,
                           handbook=handbook,
                           candidates=rules.candidates([c.id for c in handbook.cohorts]),
                           topics=rules.topics_of(handbook))


@roles_required(*STAFF)
def handbook_page(handbook_id: int):
    handbook = load(Handbook, handbook_id)
    return render_template("steps/handbook.html", handbook=handbook,
                           sections=rules.sections(handbook))


@roles_required(*STAFF)
def handbook_print(handbook_id: int):
    handbook = load(Handbook, handbook_id)
    return render_template("steps/handbook_print.html", handbook=handbook,
                           sections=rules.sections(handbook))


@roles_required(*STAFF)
def handbook_markdown(handbook_id: int):
    handbook = load(Handbook, handbook_id)
    return Response(rules.handbook_markdown(handbook), mimetype="text/markdown; charset=utf-8",
                    headers={"Content-Disposition": content_disposition(
                        f"{handbook.title}.md")})
