"""Organiser pages: people and their accounts (with their data's export and erasure), the
mail outbox, the record of processing."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from lms import mail
from lms.audit import AuditEntry
from lms.auth import services
from lms.auth.access import load, roles_required
from lms.auth.forms import (
    AccountForm,
    ActionForm,
    NewAccountForm,
    OutboxFilterForm,
    PeopleFilterForm,
)
from lms.auth.history import account_history
from lms.auth.models import Role, User
from lms.auth.tokens import LinkPurpose
from lms.confirm import Confirmation, confirmation_page
from lms.dates import berlin_today
from lms.erasure import PSEUDONYM, erase_person, erasure_problem
from lms.errors import DomainError
from lms.extensions import db
from lms.mail import OutboxMessage
from lms.personal_export import export_response
from lms.processing import (
    days_after_application,
    processing_record,
    processing_table,
    years_after_cohort,
)
from lms.retention import due_for_retention
from lms.tables import FORMAT_PART, table_response
from lms.web import paginate, reject

bp = Blueprint("admin", __name__, url_prefix="/admin")
PER_PAGE = 25


@bp.route("/people")
@roles_required(Role.ORGANISER)
def people():
    filters = PeopleFilterForm()
    page = paginate(services.find_people(filters.q.data, filters.chosen_role), PER_PAGE)
    return render_template("admin/people.html", page=page, filters=filters)


@bp.route("/people/new", methods=["GET", "POST"])
@roles_required(Role.ORGANISER)
def new_person():
    form = NewAccountForm()
    if form.validate_on_submit():
        try:
            user = services.create_account(
                form.email.data, form.display_name.data, form.selected_roles,
                actor=current_user, language=form.language.data, active=form.active.data,
            )
        except DomainError as exc:
            reject(form, exc)
        else:
            if form.send_invitation.data and not user.active:
                # the link of a deactivated account would not work
                flash(_("This account is deactivated. Activate it before sending a link."),
                      "error")
            if form.send_invitation.data and user.active:
                services.send_link(user, LinkPurpose.INVITATION)
                flash(_("%(name)s has been created and invited.", name=user.display_name),
                      "success")
            else:
                flash(_("%(name)s has been created.", name=user.display_name), "success")
            return redirect(url_for("admin.person", user_id=user.id))
    return render_template("admin/person_form.html", form=form, person=None)


@bp.route("/people/<int:user_id>", methods=["GET", "POST"])
@roles_required(Role.ORGANISER)
def person(user_id: int):
    user = load(User, user_id, "manage")
    form = AccountForm(obj=user)
    if request.method == "GET":
        form.roles.data = sorted(user.roles)
        form.language.data = user.language or ""
    if form.validate_on_submit():
        try:
            services.update_account(
                user, actor=current_user, display_name=form.display_name.data,
                roles=form.selected_roles, active=form.active.data, language=form.language.data,
            )
        except DomainError as exc:
            reject(form, exc)
        else:
            flash(_("The changes have been saved."), "success")
            return redirect(url_for("admin.person", user_id=user.id))
    history = db.session.scalars(
        select(AuditEntry).where(AuditEntry.object_type == User.__tablename__,
                                 AuditEntry.object_id == user.id)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(50)
    ).all()
    return render_template("admin/person_form.html", form=form, person=user,
                           history=account_history(history), action_form=ActionForm())


@bp.route("/people/<int:user_id>/invite", methods=["POST"])
@roles_required(Role.ORGANISER)
def invite(user_id: int):
    user = load(User, user_id, "manage")
    if not user.active:
        flash(_("This account is deactivated. Activate it before sending a link."), "error")
    else:
        purpose = LinkPurpose.PASSWORD_RESET if user.has_password else LinkPurpose.INVITATION
        services.send_link(user, purpose)
        flash(_("A new link has been sent to %(email)s.", email=user.email), "success")
    return redirect(url_for("admin.person", user_id=user.id))


@bp.route("/people/<int:user_id>/data", methods=["POST"])
@roles_required(Role.ORGANISER)
def person_data(user_id: int):
    """Everything the system holds about a person, for their request (Art. 15 GDPR)."""
    user = load(User, user_id, "export")
    if ActionForm().validate_on_submit():
        return export_response(user, actor=current_user)
    return redirect(url_for("admin.person", user_id=user.id))


@bp.route("/people/<int:user_id>/erase", methods=["GET", "POST"])
@roles_required(Role.ORGANISER)
def erase(user_id: int):
    """Erase a person's data (Art. 17 GDPR) after a page that says what will happen; a
    refusal (oneself, the last organiser) is said on the person's page, nothing changed."""
    user = load(User, user_id, "erase")
    back = url_for("admin.person", user_id=user.id)
    problem = erasure_problem(user, current_user)
    if problem:
        flash(problem, "error")
        return redirect(back)
    form = ActionForm()
    if not form.validate_on_submit():
        return _erasure_confirmation(user, back)
    name = user.display_name
    try:
        erase_person(user, actor=current_user)
    except DomainError as exc:
        reject(None, exc)
    else:
        flash(_("The data of %(name)s has been erased; the records now name %(pseudonym)s.",
                name=name, pseudonym=user.display_name), "success")
    return redirect(back)


def _erasure_confirmation(user: User, back: str) -> str:
    pseudonym = PSEUDONYM.format(id=user.id)
    return confirmation_page(Confirmation(
        title=_("Erase the data of %(name)s?", name=user.display_name),
        consequences=[
            _("Name and email address are replaced by „%(pseudonym)s“ and an address that "
              "cannot receive mail; the account is deactivated, its password and its "
              "calendar address stop working.", pseudonym=pseudonym),
            _("Handed-in work, grades, attendance and certificates stay in the programme's "
              "records under this pseudonym; certificates stay verifiable, without a name."),
            _("Drafts, notifications, files not yet saved, mail to the person and shared "
              "contact data are deleted."),
            _("The name and address are removed from the audit log and from texts that "
              "mention them. This cannot be undone."),
        ],
        action=url_for("admin.erase", user_id=user.id), confirm_label=_("Erase data"),
        back=back))


@bp.route("/processing")
@roles_required(Role.ORGANISER)
def processing():
    return render_template("admin/processing.html", entries=processing_record())


@bp.route(f"/processing.{FORMAT_PART}")
@roles_required(Role.ORGANISER)
def processing_export(format: str):
    return table_response(processing_table(processing_record()), format)


@bp.route("/retention")
@roles_required(Role.ORGANISER)
def retention():
    """What is past its retention period today: people lead to their erasure's
    confirmation, records to their own."""
    return render_template("admin/retention.html", due=due_for_retention(berlin_today()),
                           years=years_after_cohort(), days=days_after_application())


@bp.route("/outbox")
@roles_required(Role.ORGANISER)
def outbox():
    filters = OutboxFilterForm()
    page = paginate(mail.outbox(filters.q.data), PER_PAGE)
    return render_template("admin/outbox.html", page=page, filters=filters)


@bp.route("/outbox/<int:message_id>")
@roles_required(Role.ORGANISER)
def outbox_message(message_id: int):
    message = load(OutboxMessage, message_id, "manage")
    return render_template("admin/outbox_message.html", message=message,
                           can_retry=bool(current_app.config.get("MAIL_SERVER")))


@bp.route("/outbox/<int:message_id>/retry", methods=["POST"])
@roles_required(Role.ORGANISER)
def retry_outbox_message(message_id: int):
    message = load(OutboxMessage, message_id, "manage")
    try:
        mail.retry(message)
    except DomainError as exc:
        reject(None, exc)
    else:
        flash(_("The message will be sent again."), "success")
    return redirect(url_for("admin.outbox_message", message_id=message_id))
