"""Consent texts for organisers to publish, and withdrawing one's consent."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.auth.access import authorize, load, roles_required
from lms.confirm import Confirmation, confirmation_page
from lms.consent import services
from lms.consent.forms import ConsentTextForm
from lms.consent.models import ConsentRecord, ConsentText
from lms.consent.purposes import ConsentPurpose, purpose_named, registered_purposes
from lms.errors import DomainError
from lms.web import reject

bp = Blueprint("consent", __name__)


@bp.route("/admin/consent-texts")
def texts():
    authorize("publish", ConsentText)
    return render_template("consent/texts.html", purposes=[
        (purpose, services.shown_text(purpose.key))
        for purpose in registered_purposes().values()])


def _purpose_or_404(key: str) -> ConsentPurpose:
    purpose = purpose_named(key)
    if purpose is None:
        abort(404)
    return purpose


@bp.route("/admin/consent-texts/<purpose>", methods=["GET", "POST"])
def text(purpose: str):
    authorize("publish", ConsentText)
    chosen = _purpose_or_404(purpose)
    current = services.shown_text(chosen.key)
    form = ConsentTextForm()
    if request.method == "GET":
        form.text_de.data, form.text_en.data = current.text_de, current.text_en
        form.version.data = str(current.version)
    if form.validate_on_submit():
        try:
            new = services.publish_text(chosen.key, form.text_de.data, form.text_en.data,
                                        actor=current_user, expected_version=int(form.version.data))
        except DomainError as exc:
            reject(form, exc)
            current = services.shown_text(chosen.key)
            form.version.data = str(current.version)
        else:
            flash(_("Version %(number)d has been published. Consents given from now on name "
                    "it; earlier consents keep naming the version their people agreed to.",
                    number=new.version), "success")
            return redirect(url_for(".text", purpose=chosen.key))
    return render_template("consent/text.html", purpose=chosen, form=form,
                           versions=services.versions(chosen.key))


@bp.route("/account/consents/<int:consent_id>/withdraw", methods=["GET", "POST"])
@roles_required()
def withdraw(consent_id: int):
    """GET asks first (what withdrawing does); POST withdraws."""
    record = load(ConsentRecord, consent_id, "withdraw")
    back = url_for("auth.account", _anchor="consents")
    if record.withdrawn_at is not None and request.method == "GET":
        flash(_("This consent has already been withdrawn."), "info")
        return redirect(back)
    purpose = _purpose_or_404(record.text.purpose)
    if request.method == "GET" or request.form.get("confirmed") != "1":
        return confirmation_page(Confirmation(
            title=_("Withdraw your consent “%(title)s”?", title=purpose.title),
            consequences=[_("Your consent ends now; what was done with it until now stays "
                            "lawful."), str(purpose.withdrawal_effect),
                          _("The record of your consent and of its withdrawal is kept.")],
            action=url_for(".withdraw", consent_id=record.id),
            confirm_label=_("Withdraw consent"), back=back))
    try:
        services.withdraw_consent(record, actor=current_user._get_current_object())
    except DomainError as exc:
        reject(None, exc)
    else:
        flash(_("Your consent has been withdrawn."), "success")
    return redirect(back)
