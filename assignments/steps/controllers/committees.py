"""Pages of step 3: record a committee meeting and its outcome, download its document."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from assignments.steps import committees
from assignments.steps.access import load_records
from assignments.steps.committees import Upload
from assignments.steps.forms import PresentationForm
from assignments.steps.models import Presentation
from lms.auth.access import load, roles_required
from lms.downloads import stored_file_response
from lms.errors import DomainError
from lms.web import reject


def _upload(form: PresentationForm) -> Upload | None:
    document = request.files.get(form.document.name)
    if document is None or not document.filename:
        return None
    return Upload(document.filename, document.stream)


def _back(presentation: Presentation):
    return redirect(url_for(".municipality_page", cohort_id=presentation.cohort_id,
                            municipality_id=presentation.municipality_id,
                            _anchor="presentation"))


@roles_required()
def new_presentation(cohort_id: int, municipality_id: int):
    cohort, municipality, _records = load_records(cohort_id, municipality_id, "keep")
    form = PresentationForm()
    if form.validate_on_submit():
        try:
            presentation = committees.record_presentation(
                cohort, municipality.id, form.details(), actor=current_user,
                upload=_upload(form))
        except DomainError as exc:
            reject(form, exc)
        else:
            flash(_("The committee meeting has been saved."), "success")
            return _back(presentation)
    return render_template("steps/presentation_form.html", form=form,
                           cohort=cohort, municipality=municipality, presentation=None)


@roles_required()
def edit_presentation(presentation_id: int):
    presentation = load(Presentation, presentation_id, "keep")
    form = PresentationForm(obj=presentation)
    if not form.is_submitted():
        form.outcome.data = presentation.outcome.value if presentation.outcome else ""
    if form.validate_on_submit():
        try:
            committees.update_presentation(presentation, form.details(), actor=current_user,
                                           upload=_upload(form))
        except DomainError as exc:
            reject(form, exc)
        else:
            flash(_("The changes have been saved."), "success")
            return _back(presentation)
    return render_template("steps/presentation_form.html", form=form,
                           cohort=presentation.cohort, municipality=presentation.municipality,
                           presentation=presentation)


@roles_required()
def presentation_document(presentation_id: int):
    presentation = load(Presentation, presentation_id, "read")
    if presentation.sha256 is None:
        abort(404)
    return stored_file_response(presentation.sha256, presentation.filename,
                         presentation.content_type)
