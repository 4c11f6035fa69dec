"""Pages of issued certificates: issuing, a cohort's list and ZIP, one PDF, revoking and
re-issuing, a participant's own certificates, and the public verification."""

from __future__ import annotations

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select

from assignments.certificates import document, issuing
from assignments.certificates.access import CohortCertificates, load_cohort_certificates
from assignments.certificates.issue_forms import ConfirmForm, RevokeForm, VerifyForm
from assignments.certificates.models import Certificate
from cohorts.models import Cohort
from lms.auth.access import can, load, roles_required
from lms.downloads import content_disposition
from lms.errors import DomainError
from lms.extensions import db, limiter
from lms.web import reject

# --- A cohort's certificates ----------------------------------------------------------------


@roles_required()
def issued_index():
    cohorts = [cohort for cohort in db.session.scalars(
        select(Cohort).order_by(Cohort.starts_on.desc(), Cohort.name))
        if can("view", CohortCertificates(cohort))]
    return render_template("certificates/issued_index.html", cohorts=cohorts)


def _cohort_list(cohort: Cohort) -> list[Certificate]:
    return list(db.session.scalars(select(Certificate).where(Certificate.cohort_id == cohort.id)
                                   .order_by(Certificate.number)))


@roles_required()
def cohort_certificates(cohort_id: int):
    certificates = load_cohort_certificates(cohort_id)
    cohort = certificates.cohort
    listed = _cohort_list(cohort)
    replaced = {c.replaces_id for c in listed if c.replaces_id is not None}
    return render_template("certificates/cohort_certificates.html", cohort=cohort,
                           certificates=listed, replaced=replaced,
                           may_issue=can("issue", certificates),
                           confirm_form=ConfirmForm())


@roles_required()
def issue_cohort(cohort_id: int):
    cohort = load_cohort_certificates(cohort_id, "issue").cohort
    form = ConfirmForm()
    if form.validate_on_submit():
        issued = issuing.issue_eligible(cohort, actor=current_user)
        if issued:
            flash(ngettext("%(num)d certificate has been issued.",
                           "%(num)d certificates have been issued.", len(issued)), "success")
        else:
            flash(_("Nobody new meets the rule: no certificate has been issued."), "info")
        return redirect(url_for(".cohort_certificates", cohort_id=cohort.id))
    return render_template("certificates/issue_confirm.html", cohort=cohort,
                           plan=issuing.issue_plan(cohort), form=form)


@roles_required()
def issue_person(cohort_id: int, user_id: int):
    cohort = load_cohort_certificates(cohort_id, "issue").cohort
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            certificate = issuing.issue_one(cohort, user_id, actor=current_user)
        except DomainError as exc:
            reject(form, exc)
        else:
            flash(_("Certificate %(number)s has been issued.", number=certificate.number),
                  "success")
    return redirect(url_for(".issue_cohort", cohort_id=cohort.id))


@roles_required()
def cohort_zip(cohort_id: int):
    cohort = load_cohort_certificates(cohort_id, "export").cohort
    valid = [c for c in _cohort_list(cohort) if not c.revoked]
    return Response(document.certificates_zip(valid), mimetype=document.ZIP_TYPE, headers={
        "Content-Disposition": content_disposition(f"Zertifikate-{cohort.name}.zip")})


# --- One certificate ------------------------------------------------------------------------


@roles_required()
def certificate_pdf(certificate_id: int):
    certificate = load(Certificate, certificate_id, "download")
    return Response(document.certificate_pdf(certificate), mimetype=document.PDF_TYPE,
                    headers={"Content-Disposition": content_disposition(
                        document.file_name(certificate))})


@roles_required()
def revoke(certificate_id: int):
    certificate = load(Certificate, certificate_id, "revoke")
    form = RevokeForm()
    if not certificate.revoked and form.validate_on_submit():
        try:
            issuing.revoke(certificate, form.reason.data or "", actor=current_user)
        except DomainError as exc:
            reject(form, exc)
        else:
            flash(_("Certificate %(number)s has been revoked.", number=certificate.number),
                  "success")
            return redirect(url_for(".cohort_certificates", cohort_id=certificate.cohort_id))
    return render_template("certificates/revoke.html", certificate=certificate, form=form)


@roles_required()
def reissue(certificate_id: int):
    certificate = load(Certificate, certificate_id, "reissue")
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            new = issuing.reissue(certificate, actor=current_user)
        except DomainError as exc:
            reject(form, exc)
        else:
            flash(_("Certificate %(number)s has been issued in place of %(old)s.",
                    number=new.number, old=certificate.number), "success")
    return redirect(url_for(".cohort_certificates", cohort_id=certificate.cohort_id))


# --- A participant's own --------------------------------------------------------------------


@roles_required()
def mine():
    certificates = db.session.scalars(select(Certificate).where(
        Certificate.user_id == current_user.id).order_by(Certificate.issued_at.desc()))
    return render_template("certificates/mine.html", certificates=list(certificates))


# --- Public verification --------------------------------------------------------------------


def _verify_limit() -> str:
    return current_app.config["VERIFY_RATE_LIMIT"]


@limiter.limit(_verify_limit)
def verify_form():
    form = VerifyForm(request.args)
    code = (form.code.data or "").strip()
    if code and form.validate():
        return redirect(url_for(".verify", code=code))
    return render_template("certificates/verify_form.html", form=form)


@limiter.limit(_verify_limit)
def verify(code: str):
    certificate = issuing.certificate_by_code(code)
    if certificate is None:
        abort(404)
    return render_template("certificates/verify.html", certificate=certificate)
