"""The application round: a municipality applies, the organisers decide.

Every state change goes through ``change_status``: it locks the cohort row, checks the
move is allowed, keeps a history row (who, when, from, to, why), and on acceptance
counts the places under that lock, so the capacity holds even when two organisers accept
at the same moment (see ``cohorts.services.lock_cohort``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from flask import render_template
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy import Select, func, select
from sqlalchemy.orm import contains_eager, selectinload

from cohorts.consents import APPLICATION
from cohorts.enrollments import REASON_MAX, check_available, end_enrollment, enroll
from cohorts.models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    Cohort,
    Enrollment,
    EnrollmentKind,
    FieldRule,
    Municipality,
    Nominee,
)
from cohorts.people import (
    NAME_MAX,
    PHONE_MAX,
    PersonDetails,
    checked_email,
    checked_person,
    checked_text,
)
from cohorts.services import accepted_count, lock_cohort
from lms import audit
from lms.auth.models import User
from lms.consent.services import give_consent
from lms.dates import berlin_today
from lms.db import utcnow
from lms.errors import DomainError
from lms.extensions import db
from lms.i18n import DEFAULT_LANGUAGE, LANGUAGES
from lms.mail import send_mail
from lms.tables import Column, Kind, Table

#: the longest Markdown text the form takes per field (about five pages)
TEXT_MAX = 15_000

S = ApplicationStatus
#: which states an application may move to from each state
TRANSITIONS: dict[ApplicationStatus, frozenset[ApplicationStatus]] = {
    S.SUBMITTED: frozenset({S.SHORTLISTED, S.ACCEPTED, S.WAITLISTED, S.REJECTED, S.WITHDRAWN}),
    S.SHORTLISTED: frozenset({S.ACCEPTED, S.WAITLISTED, S.REJECTED, S.WITHDRAWN}),
    S.WAITLISTED: frozenset({S.SHORTLISTED, S.ACCEPTED, S.REJECTED, S.WITHDRAWN}),
    S.REJECTED: frozenset({S.SHORTLISTED, S.WAITLISTED, S.ACCEPTED}),
    S.ACCEPTED: frozenset({S.WITHDRAWN}),
    S.WITHDRAWN: frozenset(),
}
#: the applicant hears about these decisions by mail
ANNOUNCED = frozenset({S.ACCEPTED, S.WAITLISTED, S.REJECTED})


# --- Applying ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ApplicationDetails:
    """What the public form sends."""

    municipality_id: int | None
    contact_name: str
    contact_email: str
    nominees: tuple[PersonDetails, ...]
    consent: bool
    contact_phone: str = ""
    motivation: str = ""
    structures: str = ""
    #: the language of the form; later mails about the application use it
    language: str = DEFAULT_LANGUAGE
    #: the version of the consent text the form showed; None (no form) takes the current
    consent_version: int | None = None


def _asked_text(cohort: Cohort, name: str, value: str, limit: int, missing: LazyString) -> str:
    rule = cohort.field_rules[name]
    if rule is FieldRule.HIDDEN:
        return ""
    return checked_text(value, name, limit=limit,
                        missing=missing if rule is FieldRule.REQUIRED else None)


def _check_nominees(cohort: Cohort, nominees: tuple[PersonDetails, ...]) -> list[PersonDetails]:
    """The nominees as the sender typed them, checked for form only.

    Whether a nominee is enrolled already is not checked here: the public form must not
    tell. The organisers see it on the application (``nominee_conflicts``), and accepting
    refuses such a team.
    """
    if len(nominees) != cohort.seats_per_municipality:
        raise DomainError(ngettext("Please name %(num)d person.", "Please name %(num)d persons.",
                                   cohort.seats_per_municipality))
    checked = [checked_person(person, prefix=f"nominees-{index}-")
               for index, person in enumerate(nominees)]
    seen: set[str] = set()
    for index, person in enumerate(checked):
        if person.email in seen:
            raise DomainError(_("Each person needs their own email address."),
                              field=f"nominees-{index}-email")
        seen.add(person.email)
    return checked


def _checked_application(cohort: Cohort, details: ApplicationDetails,
                         today: date) -> Application:
    """A new, unsaved application from ``details``, or ``DomainError`` for bad input."""
    if not cohort.window_open(today):
        raise DomainError(_("Applications for %(cohort)s are not possible at the moment.",
                            cohort=cohort.name))
    municipality = (db.session.get(Municipality, details.municipality_id)
                    if details.municipality_id else None)
    if municipality is None:
        raise DomainError(_("Please choose your municipality from the list."),
                          field="municipality_id")
    if not details.consent:
        raise DomainError(_("Please agree to the processing of your data."), field="consent")
    nominees = _check_nominees(cohort, details.nominees)
    application = Application(
        cohort=cohort, municipality=municipality, status=S.SUBMITTED,
        contact_name=checked_text(details.contact_name, "contact_name", limit=NAME_MAX,
                                  missing=_l("Please enter the name.")),
        contact_email=checked_email(details.contact_email, "contact_email"),
        contact_phone=_asked_text(cohort, "contact_phone", details.contact_phone, PHONE_MAX,
                                  _l("Please enter a phone number.")),
        motivation=_asked_text(cohort, "motivation", details.motivation, TEXT_MAX,
                               _l("Please describe your motivation.")),
        structures=_asked_text(cohort, "structures", details.structures, TEXT_MAX,
                               _l("Please describe your current integration structures.")),
        consent_at=utcnow(), language=details.language,
        nominees=[Nominee(position=index, name=person.name, email=person.email,
                          function=person.function)
                  for index, person in enumerate(nominees, start=1)],
    )
    application.events.append(ApplicationEvent(from_status=None, to_status=S.SUBMITTED))
    return application


def _existing(cohort: Cohort, municipality: Municipality) -> Application | None:
    return db.session.scalar(select(Application).where(
        Application.cohort_id == cohort.id, Application.municipality_id == municipality.id))


def submit_application(cohort: Cohort, details: ApplicationDetails, *,
                       today: date | None = None) -> Application:
    """Store a municipality's application, with its first history row.

    For organisers, the demo and tests, who may be told that the municipality has applied
    already; the public form goes through ``receive_application``.
    """
    application = _checked_application(cohort, details, today or berlin_today())
    lock_cohort(cohort.id)  # two submissions at once: the second one waits, then finds the first
    if _existing(cohort, application.municipality) is not None:
        raise DomainError(_("%(name)s has already applied for this cohort.",
                            name=application.municipality.name), field="municipality_id")
    _store(application, details)
    return application


def _store(application: Application, details: ApplicationDetails) -> None:
    """Save a new application with its contact person's consent to the text they saw."""
    db.session.add(application)
    db.session.flush()
    give_consent(APPLICATION, version=details.consent_version, subject_id=application.id,
                 language=application.language, email=application.contact_email)


@dataclass(frozen=True)
class Receipt:
    """What the public form answers, the same whatever happened to the application."""

    cohort: Cohort
    municipality: Municipality


def receive_application(cohort: Cohort, details: ApplicationDetails, *,
                        today: date | None = None) -> Receipt:
    """The public form's application: stored and confirmed, and if the municipality has
    applied already, the same answer, as a public office answers every letter alike.

    A second application of a municipality is not stored (one per cohort); the contact
    person of the first one is told by mail that another arrived, so that they, and not
    whoever sent it, learn of it. Confirmations name the municipality and the application
    number only: the form lets anyone have the official address write to any address, so
    nothing the sender typed goes along, not even a name.
    """
    application = _checked_application(cohort, details, today or berlin_today())
    lock_cohort(cohort.id)
    existing = _existing(cohort, application.municipality)
    if existing is None:
        _store(application, details)
        _mail_applicant(application, "application_received.txt")
    else:
        _mail_applicant(existing, "application_again.txt")
        audit.record("application.sent_again", existing, actor=None,
                     after={"contact_email": application.contact_email})
    return Receipt(cohort, application.municipality)


def nominee_conflicts(application: Application, *,
                      today: date | None = None) -> dict[int, str]:
    """Why a nominee of an undecided application could not be enrolled (by nominee id)."""
    if application.status in (S.ACCEPTED, S.WITHDRAWN):
        return {}
    conflicts = {}
    for nominee in application.nominees:
        try:
            check_available(nominee.email, application.cohort, "", today=today)
        except DomainError as exc:
            conflicts[nominee.id] = exc.message
    return conflicts


def _mail_applicant(application: Application, template: str) -> None:
    """A message to the contact person, in the language of the form they used."""
    with force_locale(application.language if application.language in LANGUAGES
                      else DEFAULT_LANGUAGE):
        subject = _("Your application for %(cohort)s", cohort=application.cohort.name)
        body = render_template(f"cohorts/mail/{template}", application=application)
    send_mail(application.contact_email, subject, body)


# --- Deciding ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    """What a state change did, for the page that follows."""

    application: Application
    #: on acceptance: the people enrolled for the municipality
    enrolled: tuple[Enrollment, ...] = ()
    #: after a place was freed: the application waiting longest, if any
    next_waitlisted: Application | None = None


def allowed_moves(application: Application) -> list[ApplicationStatus]:
    return [status for status in ApplicationStatus if status in TRANSITIONS[application.status]]


def _checked_move(application: Application, to: ApplicationStatus, reason: str) -> str:
    """The reason, cleaned, if ``application`` may move to ``to`` now; else ``DomainError``."""
    reason = checked_text(reason, "reason", limit=REASON_MAX)
    if to not in TRANSITIONS[application.status]:
        raise DomainError(_("The application is \"%(current)s\" and cannot change to \"%(new)s\".",
                            current=application.status.label, new=to.label), field="status")
    if to is S.REJECTED and not reason:
        raise DomainError(_("Please give a reason for the rejection."), field="reason")
    cohort = application.cohort
    if to is S.ACCEPTED and accepted_count(cohort) >= cohort.capacity:
        raise DomainError(ngettext("%(cohort)s is full: its only place is taken.",
                                   "%(cohort)s is full: all %(num)d places are taken.",
                                   cohort.capacity, cohort=cohort.name), field="status")
    return reason


#: the moves that cannot simply be taken back, so the organiser confirms them first
CONFIRMED_MOVES = frozenset({S.ACCEPTED, S.REJECTED, S.WITHDRAWN})


def move_consequences(application: Application, to: ApplicationStatus,
                      reason: str = "") -> list[str]:
    """What moving ``application`` to ``to`` will do, one sentence each, before it is done.

    Raises ``DomainError`` as ``change_status`` would, so a move that cannot be made is
    refused before it is confirmed.
    """
    _checked_move(application, to, reason)
    cohort, contact = application.cohort, application.contact_name
    found: list[str] = []
    if to is S.ACCEPTED:
        free = cohort.capacity - accepted_count(cohort) - 1
        found.append(ngettext("%(cohort)s then has %(num)d free place left.",
                              "%(cohort)s then has %(num)d free places left.", free,
                              cohort=cohort.name) if free
                     else _("%(cohort)s is then fully booked.", cohort=cohort.name))
        found.append(ngettext(
            "The nominated person is enrolled: an account is created if there is none, and "
            "an invitation goes out by mail.",
            "The %(num)d nominated people are enrolled: accounts are created where there are "
            "none, and each gets an invitation by mail.", len(application.nominees)))
    if to is S.WITHDRAWN:
        found.append(_("The application is closed for good: nothing more can be decided "
                       "on it."))
        if application.status is S.ACCEPTED:
            found.append(_("The enrollments of the municipality's people end, and its place "
                           "becomes free."))
    if to in ANNOUNCED:
        found.append(_("The contact person, %(name)s, is told of the decision by mail.",
                       name=contact))
    if to is S.REJECTED:
        found.append(_("The reason stays in the history; the applicant does not see it."))
    return found


def change_status(application: Application, to: ApplicationStatus, *, actor: User | None,
                  reason: str = "", notify: bool = True, today: date | None = None) -> Decision:
    """Move ``application`` to ``to``, keeping the history; the cohort row stays locked.

    Accepting checks the capacity and enrols the nominees; withdrawing an accepted
    application ends its people's enrollments and frees the place.
    """
    cohort = lock_cohort(application.cohort_id)
    db.session.refresh(application)
    reason = _checked_move(application, to, reason)
    was = application.status
    enrolled: tuple[Enrollment, ...] = ()
    if to is S.ACCEPTED:
        application.status = to  # the place is held now: ``enroll`` checks for it
        db.session.flush()
        enrolled = tuple(
            enroll(cohort, PersonDetails(nominee.name, nominee.email, nominee.function),
                   kind=EnrollmentKind.MUNICIPALITY, municipality=application.municipality,
                   actor=actor, notify=notify, today=today)
            for nominee in application.nominees)
    elif was is S.ACCEPTED:
        _end_team(application, actor=actor, reason=reason)
    application.status = to
    application.status_changed_at = utcnow()
    application.events.append(ApplicationEvent(actor=actor, from_status=was, to_status=to,
                                               reason=reason))
    db.session.flush()
    if notify and to in ANNOUNCED:
        _mail_applicant(application, "decision.txt")
    return Decision(application, enrolled,
                    next_waitlisted(cohort) if was is S.ACCEPTED else None)


def _end_team(application: Application, *, actor: User | None, reason: str) -> None:
    team = db.session.scalars(select(Enrollment).where(
        Enrollment.cohort_id == application.cohort_id,
        Enrollment.municipality_id == application.municipality_id,
        Enrollment.ended_at.is_(None)))
    for enrollment in team:
        end_enrollment(enrollment, actor=actor,
                       reason=reason or _("The municipality withdrew its application."))


def filtered_applications(cohort: Cohort, *, status: str = "", region: str = "",
                          search: str = "") -> Select[tuple[Application]]:
    """The cohort's applications in order of arrival, narrowed by the list's filters.

    Unknown filter values are ignored, so a hand-made URL shows everything rather than
    failing. The municipality and the nominees come along (a fixed number of queries).
    """
    query = (select(Application).join(Application.municipality)
             .where(Application.cohort_id == cohort.id)
             .options(contains_eager(Application.municipality),
                      selectinload(Application.nominees))
             .order_by(Application.submitted_at, Application.id))
    if status in set(ApplicationStatus):
        query = query.where(Application.status == ApplicationStatus(status))
    if region:
        query = query.where(Municipality.region == region)
    if search:
        query = query.where(Municipality.name.icontains(search, autoescape=True))
    return query


def status_counts(cohort: Cohort) -> dict[ApplicationStatus, int]:
    return {status: count for status, count in db.session.execute(
        select(Application.status, func.count(Application.id))
        .where(Application.cohort_id == cohort.id).group_by(Application.status))}


def applications_table(cohort: Cohort, applications: Iterable[Application]) -> Table:
    """The applications (as the list shows them, filters applied) as a table to export."""
    table = Table(_("Applications for %(cohort)s", cohort=cohort.name),
                  _("Applications for %(cohort)s", cohort=cohort.name), [
        Column(_("Submitted"), Kind.DATETIME), Column(_("Municipality")),
        Column(_("AGS"), Kind.CODE), Column(_("Kind")), Column(_("Administrative region")),
        Column(_("State")), Column(_("State since"), Kind.DATETIME),
        Column(_("Contact person")), Column(_("Email address")), Column(_("Phone")),
        Column(_("Nominated persons"))], sheet=_("Applications"))
    for application in applications:
        municipality = application.municipality
        nominees = "; ".join(f"{nominee.name} <{nominee.email}>"
                             for nominee in application.nominees)
        table.add(application.submitted_at, municipality.name, municipality.ags,
                  municipality.kind.label, municipality.region, application.status.label,
                  application.status_changed_at, application.contact_name,
                  application.contact_email, application.contact_phone, nominees)
    return table


def next_waitlisted(cohort: Cohort) -> Application | None:
    """The application that has waited longest on the cohort's waiting list."""
    return db.session.scalar(
        select(Application).where(Application.cohort_id == cohort.id,
                                  Application.status == S.WAITLISTED)
        .order_by(Application.status_changed_at, Application.id).limit(1))

