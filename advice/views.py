"""Pages of the advice office: load and authorise, call a domain function, render or
redirect. Everything lives under ``/advice``."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from advice import cases as case_rules
from advice import pool as pool_rules
from advice import record
from advice.access import involving, member_of, municipality_ids_of
from advice.consents import ADVICE_REQUEST
from advice.forms import (
    AnswerForm,
    AppointmentForm,
    AssignForm,
    ConcludeForm,
    DocumentForm,
    FeedbackForm,
    NewMemberForm,
    NoteForm,
    ProfileForm,
    RespondForm,
    TriageForm,
    request_form,
)
from advice.models import (
    AdviceCase,
    CaseAssignment,
    CaseDocument,
    CaseState,
    PoolMember,
)
from advice.retention import case_due, pseudonymise_case
from advice.statistics import statistics, statistics_svg, statistics_table
from advice.suggestions import open_loads, suggestions
from cohorts.models import Municipality
from lms.auth.access import authorize, can, load, roles_required
from lms.auth.forms import ActionForm
from lms.confirm import Confirmation, confirmation_page
from lms.consent.services import shown_text
from lms.dates import berlin_today
from lms.downloads import stored_file_response
from lms.errors import DomainError
from lms.extensions import db, limiter
from lms.i18n import current_language
from lms.tables import FORMAT_PART, table_response
from lms.web import paginate, reject

bp = Blueprint("advice", __name__, template_folder="templates", url_prefix="/advice")
#: cases per page of the list
PER_PAGE = 25
REQUEST_MAX_BYTES = 128 * 1024


def _public_limit() -> str:
    return current_app.config["APPLICATION_RATE_LIMIT"]


def _municipalities() -> list[Municipality]:
    return list(db.session.scalars(select(Municipality).order_by(Municipality.sort_name,
                                                                 Municipality.id)))


# --- Lists ---------------------------------------------------------------------------------


@bp.route("/")
@roles_required()
def index():
    """Organisers: every case; others: the cases they asked for, their municipality's, and
    those they are assigned to."""
    statement = (select(AdviceCase).options(joinedload(AdviceCase.municipality))
                 .order_by(AdviceCase.created_at.desc(), AdviceCase.id.desc()))
    if not can("manage", AdviceCase):
        statement = statement.where(involving(current_user))
    return render_template("advice/index.html", page=paginate(statement, PER_PAGE),
                           member=member_of(current_user), case_model=AdviceCase)


# --- Asking --------------------------------------------------------------------------------


def _request_page(*, public: bool):
    request.max_content_length = REQUEST_MAX_BYTES
    own = sorted(municipality_ids_of(current_user)) if current_user.is_authenticated else []
    form = request_form(_municipalities(), public=public, preselected=own[0] if own else None)
    if form.validate_on_submit():
        try:
            case = case_rules.submit_request(
                form.details(current_language()),
                requester=None if public else current_user._get_current_object())
        except DomainError as exc:
            reject(form, exc)
        else:
            flash(_("Your request has been sent to the advice office."), "success")
            if public:
                return redirect(url_for(".requested"))
            return redirect(url_for(".case", case_id=case.id))
    consent = shown_text(ADVICE_REQUEST)
    form.consent_version.data = str(consent.version)
    return render_template("advice/request.html", form=form, consent=consent, public=public)


@bp.route("/request", methods=["GET", "POST"])
@roles_required()
def new_request():
    authorize("create", AdviceCase)
    return _request_page(public=False)


@bp.route("/public-request", methods=["GET", "POST"])
@limiter.limit(_public_limit, methods=["POST"])
def public_request():
    """For municipalities not in a cohort; signed-in people use the form of their own,
    but organisers, who check what the public sees, get this one."""
    if current_user.is_authenticated and not can("manage", AdviceCase):
        return redirect(url_for(".new_request"))
    return _request_page(public=True)


@bp.route("/requested")
def requested():
    return render_template("advice/requested.html")


# --- A case --------------------------------------------------------------------------------


def _case_page(case: AdviceCase, **forms: object):
    defaults = {"triage_form": TriageForm(formdata=None), "assign_form": AssignForm(formdata=None),
                "respond_form": RespondForm(formdata=None),
                "appointment_form": AppointmentForm(formdata=None),
                "note_form": NoteForm(formdata=None), "document_form": DocumentForm(formdata=None),
                "feedback_form": FeedbackForm(formdata=None),
                "answer_form": AnswerForm(formdata=None),
                "conclude_form": ConcludeForm(formdata=None)}
    defaults.update(forms)
    ranked = suggestions(case) if can("assign", case) else []
    own_assignment = next((a for a in case.assignments if can("respond", a)), None)
    return render_template("advice/case.html", case=case, suggestions=ranked,
                           own_assignment=own_assignment, states=CaseState,
                           case_model=AdviceCase, **defaults)


@bp.route("/cases/<int:case_id>")
def case(case_id: int):
    return _case_page(load(AdviceCase, case_id))


def _post(case: AdviceCase, form, action, name: str):
    """Validate ``form``, run ``action()``; back to the case page, or the page with errors."""
    if form.validate_on_submit():
        try:
            action()
        except DomainError as exc:
            reject(form, exc)
        else:
            return redirect(url_for(".case", case_id=case.id))
    else:
        db.session.rollback()
    return _case_page(case, **{name: form}), 400


@bp.route("/cases/<int:case_id>/triage", methods=["POST"])
def triage(case_id: int):
    case = load(AdviceCase, case_id, "triage")
    form = TriageForm()
    return _post(case, form, lambda: case_rules.triage(
        case, form.decision.data, form.text.data or "", actor=current_user), "triage_form")


@bp.route("/cases/<int:case_id>/assign", methods=["POST"])
def assign(case_id: int):
    case = load(AdviceCase, case_id, "assign")
    form = AssignForm()
    return _post(case, form, lambda: case_rules.assign(
        case, list(form.members.data or []), actor=current_user), "assign_form")


@bp.route("/cases/<int:case_id>/assignments/<int:case_assignment_id>", methods=["POST"])
def respond(case_id: int, case_assignment_id: int):
    case = load(AdviceCase, case_id)
    assignment = load(CaseAssignment, case_assignment_id, "respond", case_id=case.id)
    form = RespondForm()
    return _post(case, form, lambda: case_rules.respond(
        assignment, form.answer.data == "accept", form.reason.data or "",
        actor=current_user), "respond_form")


@bp.route("/cases/<int:case_id>/appointments", methods=["POST"])
def add_appointment(case_id: int):
    case = load(AdviceCase, case_id, "appoint")
    form = AppointmentForm()
    return _post(case, form, lambda: record.add_appointment(
        case, title=form.title.data or "", starts_at=form.starts_at.data,
        ends_at=form.ends_at.data, location=form.location.data or "", actor=current_user),
        "appointment_form")


@bp.route("/cases/<int:case_id>/notes", methods=["POST"])
def add_note(case_id: int):
    case = load(AdviceCase, case_id, "note")
    form = NoteForm()
    return _post(case, form, lambda: record.add_note(case, form.body.data or "",
                                                     actor=current_user), "note_form")


@bp.route("/cases/<int:case_id>/documents", methods=["POST"])
def add_document(case_id: int):
    case = load(AdviceCase, case_id, "document")
    form = DocumentForm()

    def upload() -> None:
        file = form.file.data
        if not file:
            raise DomainError(_("Please choose a file."), field="file")
        record.add_document(case, file.filename or "", file.stream, actor=current_user)

    return _post(case, form, upload, "document_form")


@bp.route("/cases/<int:case_id>/documents/<int:document_id>", methods=["POST"])
def document(case_id: int, document_id: int):
    """A download is a POST: it writes the audit entry that every view leaves."""
    load(AdviceCase, case_id, "view_record")
    found = load(CaseDocument, document_id, case_id=case_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    record.record_view(found, actor=current_user)
    return stored_file_response(found.sha256, found.filename, found.content_type)


@bp.route("/cases/<int:case_id>/conclude", methods=["POST"])
def conclude(case_id: int):
    case = load(AdviceCase, case_id, "conclude")
    form = ConcludeForm()
    return _post(case, form, lambda: case_rules.conclude(
        case, form.kind(), form.outcome.data or "", actor=current_user), "conclude_form")


@bp.route("/cases/<int:case_id>/feedback", methods=["POST"])
def feedback(case_id: int):
    case = load(AdviceCase, case_id, "feedback")
    form = FeedbackForm()
    return _post(case, form, lambda: case_rules.give_feedback(
        case, int(form.rating.data), form.text.data or ""), "feedback_form")


@bp.route("/cases/<int:case_id>/answer", methods=["POST"])
def answer(case_id: int):
    case = load(AdviceCase, case_id, "answer")
    form = AnswerForm()
    return _post(case, form, lambda: case_rules.answer_question(
        case, form.text.data or "", actor=current_user), "answer_form")


@bp.route("/cases/<int:case_id>/pseudonymise", methods=["GET", "POST"])
def pseudonymise(case_id: int):
    """Pseudonymise a case past its retention period, after a page that says what will
    happen; one not due is refused, nothing changed."""
    case = load(AdviceCase, case_id, "pseudonymise")
    back = url_for("admin.retention")
    if not case_due(case, berlin_today()):
        flash(_("This case is not past its retention period."), "error")
        return redirect(back)
    if not ActionForm().validate_on_submit():
        return confirmation_page(Confirmation(
            title=_("Pseudonymise advice case %(number)d?", number=case.id),
            consequences=[
                _("Who asked, every text of the case, its confidential notes and its "
                  "documents are removed."),
                _("What the statistics count stays: municipality, kind, state, outcome and "
                  "dates. This cannot be undone."),
            ],
            action=url_for(".pseudonymise", case_id=case.id),
            confirm_label=_("Pseudonymise"), back=back))
    pseudonymise_case(case, actor=current_user)
    flash(_("Advice case %(number)d has been pseudonymised.", number=case.id), "success")
    return redirect(back)


# --- The pool ------------------------------------------------------------------------------


@bp.route("/pool/")
@roles_required()
def pool():
    authorize("list", PoolMember)
    members = db.session.scalars(pool_rules.pool_members()).all()
    return render_template("advice/pool.html", members=members, loads=open_loads())


@bp.route("/pool/new", methods=["GET", "POST"])
@roles_required()
def new_member():
    authorize("create", PoolMember)
    form = NewMemberForm()
    if form.validate_on_submit():
        try:
            pool_rules.add_member(form.person(), form.profile(), actor=current_user)
        except DomainError as exc:
            reject(form, exc)
        else:
            return redirect(url_for(".pool"))
    return render_template("advice/member.html", form=form, member=None,
                           member_model=PoolMember)


@bp.route("/pool/mine")
@roles_required()
def my_profile():
    member = member_of(current_user)
    if member is None:
        abort(404)
    return redirect(url_for(".member", member_id=member.id))


@bp.route("/pool/<int:member_id>", methods=["GET", "POST"])
def member(member_id: int):
    found = load(PoolMember, member_id, "edit")
    form = ProfileForm()
    if form.validate_on_submit():
        try:
            pool_rules.update_profile(found, form.profile(), actor=current_user)
        except DomainError as exc:
            reject(form, exc)
        else:
            flash(_("The profile has been saved."), "success")
            return redirect(url_for(".member", member_id=found.id))
    elif not form.is_submitted():
        form.fill(found)
    return render_template("advice/member.html", form=form, member=found,
                           member_model=PoolMember)


# --- Statistics ----------------------------------------------------------------------------


@bp.route("/statistics")
@roles_required()
def statistics_page():
    authorize("manage", AdviceCase)
    return render_template("advice/statistics.html", stats=statistics())


@bp.route(f"/statistics.{FORMAT_PART}")
@roles_required()
def export_statistics(format: str):
    authorize("manage", AdviceCase)
    return table_response(statistics_table(statistics()), format)


@bp.route("/statistics.svg")
@roles_required()
def statistics_chart():
    authorize("manage", AdviceCase)
    return current_app.response_class(statistics_svg(statistics()), mimetype="image/svg+xml")
