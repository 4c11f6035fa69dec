"""A course's certificate rule: the organisers' form."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from assignments.certificates.forms import RuleForm
from assignments.certificates.rule import rule_of
from assignments.certificates.settings import RuleInput, course_assignments, save_rule
from courses.models import Course
from lms.auth.access import load, roles_required
from lms.errors import DomainError
from lms.web import reject


@roles_required()
def edit_rule(course_id: int):
    course = load(Course, course_id, "set_rules")
    assignments = course_assignments(course)
    current = rule_of(course)
    form = RuleForm(data={
        "min_attendance_percent": current.min_attendance_percent,
        "required_step": current.required_step.value if current.required_step else "",
        "required_assignments": [a.id for a in assignments if a.counts_for_certificate]})
    form.required_assignments.choices = [
        SelectChoice(a.id, f"{a.module.title}: {a.title}") for a in assignments]
    if form.validate_on_submit():
        try:
            changed = save_rule(course, RuleInput(
                form.min_attendance_percent.data, form.step(),
                frozenset(form.required_assignments.data or ())), actor=current_user)
        except DomainError as exc:
            reject(form, exc)
        else:
            flash(_("The certificate rule has been saved.") if changed
                  else _("Nothing has changed."), "success")
            return redirect(url_for(".edit_rule", course_id=course.id))
    return render_template("certificates/rule_form.html", course=course, form=form,
                           has_assignments=bool(assignments))
