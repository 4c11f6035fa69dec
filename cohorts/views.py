"""Pages of the cohort plugin: load and authorise, call a domain function, render or redirect.

The public application round lives under ``/apply``; the organisers' and lecturers' pages
under ``/cohorts`` and ``/municipalities``.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import LazyString, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload
from wtforms import SelectChoice

from cohorts import municipalities as municipality_rules
from cohorts.access import current_cohort_ids
from cohorts.applications import (
    CONFIRMED_MOVES,
    allowed_moves,
    applications_table,
    change_status,
    filtered_applications,
    move_consequences,
    next_waitlisted,
    nominee_conflicts,
    receive_application,
    status_counts,
)
from cohorts.consents import APPLICATION, SHARE_CONTACT, set_contact_sharing
from cohorts.enrollments import (
    end_enrollment,
    enroll,
    mediator_pool,
    person_of,
    replace_person,
)
from cohorts.forms import (
    IMPORT_MAX_BYTES,
    ApplicationFilterForm,
    CohortForm,
    ContactSharingForm,
    DecisionForm,
    EndEnrollmentForm,
    ImportForm,
    MediatorFromPoolForm,
    MunicipalityFilterForm,
    NewPersonForm,
    ReplacementForm,
    application_form,
    municipality_form,
)
from cohorts.models import (
    Application,
    ApplicationStatus,
    Cohort,
    Enrollment,
    EnrollmentKind,
    Municipality,
)
from cohorts.people_import import apply_import, check_import
from cohorts.retention import application_due, pseudonymise_contact_data
from cohorts.roster import load_roster, places, roster_table
from cohorts.services import (
    accepted_count,
    create_cohort,
    lecturer_accounts,
    open_cohorts,
    update_cohort,
)
from courses.access import STAFF
from courses.models import Course
from lms.auth.access import can, load, roles_required
from lms.auth.forms import ActionForm
from lms.auth.models import Role
from lms.confirm import Confirmation, confirmation_page
from lms.consent.services import consents_about, shown_text
from lms.csvfile import decode
from lms.dates import berlin_today
from lms.errors import DomainError
from lms.extensions import db, limiter
from lms.i18n import current_language
from lms.plugins import current_plugins
from lms.tables import FORMAT_PART, table_response
from lms.web import paginate, parse_id, reject

bp = Blueprint("cohorts", __name__, template_folder="templates", static_folder="static",
               static_url_path="/cohorts/static")
PER_PAGE = 25
MUNICIPALITIES_PER_PAGE = 60
#: the largest request the public form accepts (its text fields allow about 35 KB)
APPLICATION_MAX_BYTES = 128 * 1024
SUBMITTED_KEY = "cohorts.submitted"


def enrolled_message(count: int) -> str:
    return ngettext("%(num)d person has been enrolled and informed by mail.",
                    "%(num)d persons have been enrolled and informed by mail.", count)


def _waiting(cohort: Cohort) -> Application | None:
    """The application to offer a free place to, if a place is free."""
    return next_waitlisted(cohort) if accepted_count(cohort) < cohort.capacity else None


# --- The public application round ----------------------------------------------------------


def _application_limit() -> str:
    return current_app.config["APPLICATION_RATE_LIMIT"]


@bp.route("/apply")
def open_rounds():
    return render_template("cohorts/open_rounds.html", cohorts=open_cohorts(berlin_today()))


@bp.route("/apply/<int:cohort_id>", methods=["GET", "POST"])
@limiter.limit(_application_limit, methods=["POST"])
def apply(cohort_id: int):
    request.max_content_length = APPLICATION_MAX_BYTES
    cohort = load(Cohort, cohort_id, "apply")
    if not cohort.window_open(berlin_today()):
        if request.method == "POST":
            flash(_("Applications for %(cohort)s are not possible at the moment.",
                    cohort=cohort.name), "error")
        return render_template("cohorts/apply_closed.html", cohort=cohort,
                               cohorts=open_cohorts(berlin_today()))
    municipalities = list(db.session.scalars(
        select(Municipality).order_by(Municipality.sort_name, Municipality.id)))
    form = application_form(cohort, municipalities)
    if form.validate_on_submit():
        try:
            if form.website.data:  # the honeypot: people never see it
                raise DomainError(_("Your application could not be sent. Please leave the last "
                                    "field empty and send it again."))
            receipt = receive_application(cohort, form.details(current_language()))
        except DomainError as exc:
            reject(form, exc)
        else:
            session[SUBMITTED_KEY] = [cohort.id, receipt.municipality.id]
            return redirect(url_for(".applied", cohort_id=cohort.id))
    consent = shown_text(APPLICATION)
    form.consent_version.data = str(consent.version)  # the text this page shows
    return render_template("cohorts/apply.html", cohort=cohort, form=form, consent=consent)


@bp.route("/apply/<int:cohort_id>/sent")
def applied(cohort_id: int):
    """The confirmation, shown only in the browser session that sent the application.

    It shows what the sender chose, nothing stored: a second application of a municipality
    gets the same page (``receive_application``).
    """
    submitted = session.get(SUBMITTED_KEY)
    if not isinstance(submitted, list) or len(submitted) != 2 or submitted[0] != cohort_id:
        return redirect(url_for(".apply", cohort_id=cohort_id))
    cohort = load(Cohort, cohort_id, "apply")
    municipality = load(Municipality, submitted[1])
    return render_template("cohorts/applied.html", cohort=cohort, municipality=municipality)


# --- Cohorts ---------------------------------------------------------------------------------


@bp.route("/cohorts/")
@roles_required(*STAFF)
def index():
    cohorts = db.session.scalars(select(Cohort).options(selectinload(Cohort.lecturers))
                                 .order_by(Cohort.starts_on, Cohort.id)).all()
    accepted = {cohort_id: count for cohort_id, count in db.session.execute(
        select(Application.cohort_id, func.count(Application.id))
        .where(Application.status == ApplicationStatus.ACCEPTED)
        .group_by(Application.cohort_id))}
    return render_template("cohorts/index.html", cohorts=cohorts, accepted=accepted,
                           today=berlin_today(), may_create=can("create", Cohort))


@bp.route("/cohorts/mine")
@roles_required()
def mine():
    if can("list", Cohort):
        return redirect(url_for(".index"))
    ids = current_cohort_ids(current_user)
    if len(ids) == 1:
        return redirect(url_for(".cohort", cohort_id=next(iter(ids))))
    cohorts = db.session.scalars(select(Cohort).where(Cohort.id.in_(ids))
                                 .order_by(Cohort.starts_on)).all()
    return render_template("cohorts/mine.html", cohorts=cohorts)


@bp.route("/cohorts/<int:cohort_id>")
@roles_required()
def cohort(cohort_id: int):
    cohort = load(Cohort, cohort_id)
    manages = can("manage", cohort)
    roster = load_roster(cohort, with_history=manages)
    members = [e for team in roster.teams for e in team.members] + roster.mediators
    own = next((e for e in members if e.user_id == current_user.id), None)
    return render_template("cohorts/cohort.html", cohort=cohort, roster=roster,
                           manages=manages, full_roster=can("list", Cohort), own=own,
                           end_form=EndEnrollmentForm(), sharing_form=ContactSharingForm(),
                           sharing_text=shown_text(SHARE_CONTACT) if own else None,
                           waiting=_waiting(cohort) if manages else None)


def _cohort_form(cohort: Cohort | None = None) -> CohortForm:
    form = CohortForm(obj=cohort)
    form.set_choices(list(db.session.scalars(select(Course).order_by(Course.starts_at))),
                     lecturer_accounts())
    if request.method == "GET":
        form.show(cohort)
    return form


@bp.route("/cohorts/new", methods=["GET", "POST"])
@roles_required(Role.ORGANISER)
def new_cohort():
    form = _cohort_form()
    if form.validate_on_submit():
        try:
            cohort = create_cohort(form.details(), actor=current_user)
        except DomainError as exc:
            reject(form, exc)
        else:
            flash(_("The cohort has been created."), "success")
            return redirect(url_for(".cohort", cohort_id=cohort.id))
    return render_template("cohorts/cohort_form.html", form=form, cohort=None)


@bp.route("/cohorts/<int:cohort_id>/edit", methods=["GET", "POST"])
@roles_required(Role.ORGANISER)
def edit_cohort(cohort_id: int):
    cohort = load(Cohort, cohort_id, "manage")
    form = _cohort_form(cohort)
    if form.validate_on_submit():
        try:
            update_cohort(cohort, form.details(), actor=current_user)
        except DomainError as exc:
            reject(form, exc)
        else:
            flash(_("The changes have been saved."), "success")
            return redirect(url_for(".cohort", cohort_id=cohort.id))
    return render_template("cohorts/cohort_form.html", form=form, cohort=cohort)


# --- Applications ----------------------------------------------------------------------------


def _filtered_applications(cohort: Cohort) -> tuple[ApplicationFilterForm, Select]:
    """The list's filters from the query string, and the applications they leave."""
    filters = ApplicationFilterForm()
    filters.region.offer((region, region) for region in municipality_rules.regions())
    return filters, filtered_applications(cohort, status=filters.status.chosen,
                                          region=filters.region.chosen, search=filters.q.data)


@bp.route("/cohorts/<int:cohort_id>/applications")
@roles_required(Role.ORGANISER)
def applications(cohort_id: int):
    cohort = load(Cohort, cohort_id, "manage")
    filters, query = _filtered_applications(cohort)
    page = paginate(query, PER_PAGE)
    counts = status_counts(cohort)
    free = cohort.capacity - counts.get(ApplicationStatus.ACCEPTED, 0)
    return render_template(
        "cohorts/applications.html", cohort=cohort, page=page, counts=counts, free=free,
        statuses=ApplicationStatus, filters=filters,
        waiting=next_waitlisted(cohort) if free > 0 else None)


@bp.route(f"/cohorts/<int:cohort_id>/applications.{FORMAT_PART}")
@roles_required(Role.ORGANISER)
def export_applications(cohort_id: int, format: str):
    """The applications as the list shows them, with its filters, as a file."""
    cohort = load(Cohort, cohort_id, "manage")
    _filters, query = _filtered_applications(cohort)
    return table_response(applications_table(cohort, db.session.scalars(query)), format)


def _application_page(cohort: Cohort, application: Application, form: DecisionForm):
    form.set_moves(allowed_moves(application))
    return render_template("cohorts/application.html", cohort=cohort, application=application,
                           form=form, free=cohort.capacity - accepted_count(cohort),
                           waiting=_waiting(cohort), conflicts=nominee_conflicts(application),
                           consents=consents_about(APPLICATION, application.id))


@bp.route("/cohorts/<int:cohort_id>/applications/<int:application_id>")
@roles_required(Role.ORGANISER)
def application(cohort_id: int, application_id: int):
    cohort = load(Cohort, cohort_id, "manage")
    application = load(Application, application_id, "manage", cohort_id=cohort.id)
    return _application_page(cohort, application, DecisionForm())


#: the question each confirmed move asks (of the municipality's name), and its button
MOVE_QUESTIONS: dict[ApplicationStatus, tuple[Callable[[str], str], LazyString]] = {
    ApplicationStatus.ACCEPTED: (
        lambda name: _("Accept the application of %(name)s?", name=name), _l("Accept")),
    ApplicationStatus.REJECTED: (
        lambda name: _("Reject the application of %(name)s?", name=name), _l("Reject")),
    ApplicationStatus.WITHDRAWN: (
        lambda name: _("Withdraw the application of %(name)s?", name=name), _l("Withdraw")),
}


def _decision_confirmation(cohort: Cohort, application: Application, to: ApplicationStatus,
                           reason: str) -> str:
    """What the move will do, and a button that makes it; nothing is changed yet."""
    question, label = MOVE_QUESTIONS[to]
    return confirmation_page(Confirmation(
        title=question(application.municipality.name),
        consequences=move_consequences(application, to, reason),
        action=url_for(".decide", cohort_id=cohort.id, application_id=application.id),
        confirm_label=str(label),
        back=url_for(".application", cohort_id=cohort.id, application_id=application.id),
        fields={"status": to.value, "reason": reason, "confirmed": "1"}))


@bp.route("/cohorts/<int:cohort_id>/applications/<int:application_id>/decision",
          methods=["POST"])
@roles_required(Role.ORGANISER)
def decide(cohort_id: int, application_id: int):
    cohort = load(Cohort, cohort_id, "manage")
    application = load(Application, application_id, "manage", cohort_id=cohort.id)
    form = DecisionForm()
    if form.validate_on_submit():
        try:
            if form.status.data not in set(ApplicationStatus):
                raise DomainError(_("Please choose the new state."), field="status")
            to = ApplicationStatus(form.status.data)
            if to in CONFIRMED_MOVES and form.confirmed.data != "1":
                return _decision_confirmation(cohort, application, to, form.reason.data or "")
            decision = change_status(application, to, actor=current_user,
                                     reason=form.reason.data or "")
        except DomainError as exc:
            reject(form, exc)
        else:
            flash(_("%(name)s: the application is now %(state)s.",
                    name=application.municipality.name, state=application.status.label),
                  "success")
            if decision.enrolled:
                flash(enrolled_message(len(decision.enrolled)), "success")
            if decision.next_waitlisted is not None:
                flash(_("A place is free. Next on the waiting list: %(name)s.",
                        name=decision.next_waitlisted.municipality.name), "info")
            return redirect(url_for(".application", cohort_id=cohort.id,
                                    application_id=application.id))
    return _application_page(cohort, application, form)


@bp.route("/cohorts/<int:cohort_id>/applications/<int:application_id>/pseudonymise",
          methods=["GET", "POST"])
@roles_required(Role.ORGANISER)
def pseudonymise_application(cohort_id: int, application_id: int):
    """Pseudonymise an application's contact data past its retention period, after a page
    that says what will happen; one not due is refused, nothing changed."""
    cohort = load(Cohort, cohort_id, "manage")
    application = load(Application, application_id, "pseudonymise", cohort_id=cohort.id)
    back = url_for("admin.retention")
    if not application_due(application, berlin_today()):
        flash(_("The data of this application is not past its retention period."), "error")
        return redirect(back)
    if not ActionForm().validate_on_submit():
        return confirmation_page(Confirmation(
            title=_("Pseudonymise the application of %(name)s?",
                    name=application.municipality.name),
            consequences=[
                _("The names, email addresses, phone number and functions of the contact "
                  "person and of the nominees who did not become participants are replaced."),
                _("The application, its municipality and its decisions stay; the names are "
                  "removed from its texts and audit entries. This cannot be undone."),
            ],
            action=url_for(".pseudonymise_application", cohort_id=cohort.id,
                           application_id=application.id),
            confirm_label=_("Pseudonymise"), back=back))
    name = application.municipality.name
    pseudonymise_contact_data(application, actor=current_user)
    flash(_("The contact data of the application of %(name)s has been pseudonymised.",
            name=name), "success")
    return redirect(back)


# --- Rosters and their people ----------------------------------------------------------------


@bp.route(f"/cohorts/<int:cohort_id>/roster.{FORMAT_PART}")
@roles_required(Role.ORGANISER)
def export_roster(cohort_id: int, format: str):
    cohort = load(Cohort, cohort_id, "manage")
    extra = current_plugins().person_columns(cohort.id, current_user)
    return table_response(roster_table(load_roster(cohort), extra), format)


def _paired(cohort: Cohort, values: list[str] | None) -> list[Municipality]:
    """The municipalities ticked for a mediator; each must hold a place in ``cohort``."""
    allowed = {municipality.id: municipality for municipality in places(cohort)}
    chosen = [parse_id(value) for value in values or ()]
    if any(ident not in allowed for ident in chosen):
        raise DomainError(_("Please choose municipalities of this cohort."), field="paired")
    return [allowed[ident] for ident in chosen if ident is not None]


def _people_page(cohort: Cohort, person_form: NewPersonForm | None = None,
                 pool_form: MediatorFromPoolForm | None = None):
    person_form = person_form or NewPersonForm(prefix="person", formdata=None)
    pool_form = pool_form or MediatorFromPoolForm(prefix="pool", formdata=None)
    choices = [SelectChoice(str(m.id), m.name) for m in places(cohort)]
    person_form.role.choices = [SelectChoice(f"m{c.value}", c.label) for c in choices] + [
        SelectChoice("mediator", EnrollmentKind.MEDIATOR.label)]
    person_form.paired.choices = pool_form.paired.choices = choices
    pool = mediator_pool(cohort)
    pool_form.user_id.choices = [
        SelectChoice(str(e.user_id), f"{e.user.display_name} ({e.function})" if e.function
                     else e.user.display_name) for e in pool]
    return render_template("cohorts/person_new.html", cohort=cohort, form=person_form,
                           pool_form=pool_form, pool=pool)


@bp.route("/cohorts/<int:cohort_id>/people/new", methods=["GET", "POST"])
@roles_required(Role.ORGANISER)
def add_person(cohort_id: int):
    cohort = load(Cohort, cohort_id, "manage")
    if request.method == "GET":
        return _people_page(cohort)
    form = NewPersonForm(prefix="person")
    if form.validate_on_submit():
        role = form.role.data or ""
        try:
            if role == "mediator":
                enroll(cohort, form.person(), kind=EnrollmentKind.MEDIATOR, actor=current_user,
                       paired=_paired(cohort, form.paired.data))
            else:
                ident = parse_id(role[1:])
                municipality = db.session.get(Municipality, ident) if ident else None
                enroll(cohort, form.person(), kind=EnrollmentKind.MUNICIPALITY,
                       actor=current_user, municipality=municipality)
        except DomainError as exc:
            reject(form, exc)
        else:
            flash(_("%(name)s has been enrolled and informed by mail.", name=form.name.data),
                  "success")
            return redirect(url_for(".cohort", cohort_id=cohort.id))
    return _people_page(cohort, person_form=form)


@bp.route("/cohorts/<int:cohort_id>/people/pool", methods=["POST"])
@roles_required(Role.ORGANISER)
def add_from_pool(cohort_id: int):
    cohort = load(Cohort, cohort_id, "manage")
    form = MediatorFromPoolForm(prefix="pool")
    if form.validate_on_submit():
        chosen = {str(e.user_id): e for e in mediator_pool(cohort)}.get(form.user_id.data or "")
        try:
            if chosen is None:
                raise DomainError(_("Please choose a mediator from the pool."), field="user_id")
            enroll(cohort, person_of(chosen), kind=EnrollmentKind.MEDIATOR, actor=current_user,
                   paired=_paired(cohort, form.paired.data))
        except DomainError as exc:
            reject(form, exc)
        else:
            flash(_("%(name)s has been enrolled and informed by mail.",
                    name=chosen.user.display_name), "success")
            return redirect(url_for(".cohort", cohort_id=cohort.id))
    return _people_page(cohort, pool_form=form)


@bp.route("/cohorts/<int:cohort_id>/people/<int:enrollment_id>/replace",
          methods=["GET", "POST"])
@roles_required(Role.ORGANISER)
def replace(cohort_id: int, enrollment_id: int):
    cohort = load(Cohort, cohort_id, "manage")
    enrollment = load(Enrollment, enrollment_id, "manage", cohort_id=cohort.id)
    if enrollment.ended_at is not None:
        abort(404)
    form = ReplacementForm()
    if form.validate_on_submit():
        try:
            successor = replace_person(enrollment, form.person(), actor=current_user,
                                       reason=form.reason.data or "")
        except DomainError as exc:
            reject(form, exc)
        else:
            flash(_("%(new)s has taken over from %(old)s.", new=successor.user.display_name,
                    old=enrollment.user.display_name), "success")
            return redirect(url_for(".cohort", cohort_id=cohort.id))
    return render_template("cohorts/replace.html", cohort=cohort, enrollment=enrollment,
                           form=form)


@bp.route("/cohorts/<int:cohort_id>/people/<int:enrollment_id>/end", methods=["POST"])
@roles_required(Role.ORGANISER)
def end(cohort_id: int, enrollment_id: int):
    cohort = load(Cohort, cohort_id, "manage")
    enrollment = load(Enrollment, enrollment_id, "manage", cohort_id=cohort.id)
    form = EndEnrollmentForm()
    if form.validate_on_submit():
        try:
            end_enrollment(enrollment, actor=current_user, reason=form.reason.data or "")
        except DomainError as exc:
            reject(form, exc)
        else:
            flash(_("%(name)s has been removed from the cohort.",
                    name=enrollment.user.display_name), "success")
    return redirect(url_for(".cohort", cohort_id=cohort.id))


@bp.route("/cohorts/<int:cohort_id>/people/<int:enrollment_id>/contact", methods=["POST"])
@roles_required()
def contact_sharing(cohort_id: int, enrollment_id: int):
    cohort = load(Cohort, cohort_id)
    enrollment = load(Enrollment, enrollment_id, "share_contact", cohort_id=cohort.id)
    form = ContactSharingForm()
    if form.validate_on_submit():
        share = form.share.data == "1"
        try:
            set_contact_sharing(enrollment, share, actor=current_user._get_current_object(),
                                version=parse_id(form.version.data) or 0,
                                language=current_language())
        except DomainError as exc:
            reject(None, exc)
        else:
            flash(_("The others of your cohort now see your email address and phone.") if share
                  else _("Your email address and phone are hidden from the others again."),
                  "success")
    return redirect(url_for(".cohort", cohort_id=cohort.id))


@bp.route("/cohorts/<int:cohort_id>/import", methods=["GET", "POST"])
@roles_required(Role.ORGANISER)
def import_people(cohort_id: int):
    """Upload shows the preview; only a file without errors offers the confirmation, which
    sends the checked text again (nothing is kept on the server in between)."""
    cohort = load(Cohort, cohort_id, "manage")
    form = ImportForm()
    check = None
    if form.validate_on_submit():
        upload = form.file.data
        data = upload.read(IMPORT_MAX_BYTES + 1) if upload else \
            (form.content.data or "").encode("utf-8")
        if len(data) > IMPORT_MAX_BYTES:
            flash(_("The file is too large: at most %(kb)d KB, please.",
                    kb=IMPORT_MAX_BYTES // 1024), "error")
        elif "confirm" in request.form:
            try:
                enrolled = apply_import(cohort, data, actor=current_user)
            except DomainError as exc:
                reject(form, exc)
                check = check_import(cohort, data)
            else:
                flash(enrolled_message(len(enrolled)), "success")
                return redirect(url_for(".cohort", cohort_id=cohort.id))
        else:
            check = check_import(cohort, data)
            form.content.data = decode(data) if check.ok else ""
    return render_template("cohorts/import.html", cohort=cohort, form=form, check=check)


# --- Municipalities --------------------------------------------------------------------------


@bp.route("/municipalities/")
@roles_required(Role.ORGANISER)
def municipalities():
    filters = MunicipalityFilterForm()
    page = paginate(municipality_rules.filtered_municipalities(filters.q.data,
                                                               filters.kind.chosen),
                    MUNICIPALITIES_PER_PAGE)
    total = db.session.scalar(select(func.count(Municipality.id)))
    return render_template("cohorts/municipalities.html", page=page, filters=filters,
                           total=total)


@bp.route(f"/municipalities/export.{FORMAT_PART}")
@roles_required(Role.ORGANISER)
def export_municipalities(format: str):
    """The municipalities as the list shows them, with its filters, as a file."""
    filters = MunicipalityFilterForm()
    query = municipality_rules.filtered_municipalities(filters.q.data, filters.kind.chosen)
    return table_response(municipality_rules.municipalities_table(db.session.scalars(query)),
                          format)


@bp.route("/municipalities/reference", methods=["POST"])
@roles_required(Role.ORGANISER)
def load_reference():
    added = municipality_rules.load_reference_list()
    flash(ngettext("The official list is loaded: %(num)d municipality added.",
                   "The official list is loaded: %(num)d municipalities added.", added),
          "success")
    return redirect(url_for(".municipalities"))


@bp.route("/municipalities/new", methods=["GET", "POST"])
@roles_required(Role.ORGANISER)
def new_municipality():
    form = municipality_form(None, show=request.method == "GET")
    if form.validate_on_submit():
        try:
            municipality = municipality_rules.create_municipality(form.details(None),
                                                                  actor=current_user)
        except DomainError as exc:
            reject(form, exc)
        else:
            flash(_("%(name)s has been added.", name=municipality.name), "success")
            return redirect(url_for(".municipalities"))
    return render_template("cohorts/municipality_form.html", form=form, municipality=None)


@bp.route("/municipalities/<int:municipality_id>", methods=["GET", "POST"])
@roles_required(Role.ORGANISER)
def edit_municipality(municipality_id: int):
    municipality = load(Municipality, municipality_id, "manage")
    form = municipality_form(municipality, show=request.method == "GET")
    if form.validate_on_submit():
        try:
            municipality_rules.update_municipality(municipality, form.details(municipality),
                                                   actor=current_user)
        except DomainError as exc:
            reject(form, exc)
        else:
            flash(_("The changes have been saved."), "success")
            return redirect(url_for(".edit_municipality", municipality_id=municipality.id))
    history = db.session.scalars(
        select(Application).where(Application.municipality_id == municipality.id)
        .options(selectinload(Application.cohort)).order_by(Application.submitted_at)).all()
    return render_template("cohorts/municipality_form.html", form=form,
                           municipality=municipality, applications=history)
