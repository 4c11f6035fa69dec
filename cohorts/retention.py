"""What of the cohort plugin's data is past its retention period (``lms.retention``):
participants and mediators whose every cohort ended more than the configured years ago,
and rejected or withdrawn applications whose contact and nominees are still named more
than the configured days after the decision. Both are found by queries, not by reading
the tables into Python."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask import url_for
from sqlalchemy import Select, and_, exists, func, or_, select, update
from sqlalchemy.orm import selectinload

from cohorts.consents import APPLICATION
from cohorts.models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    Cohort,
    Enrollment,
    Nominee,
)
from lms import audit
from lms.audit import AuditEntry
from lms.auth.models import Role, User, UserRole
from lms.consent.models import ConsentRecord, ConsentText
from lms.dates import berlin_day, berlin_midnight
from lms.erasure import ERASED_DOMAIN, Replacement
from lms.extensions import db
from lms.processing import days_after_application, years_after_cohort
from lms.retention import DuePerson, DueRecord, RetentionSection, kept_until, years_before

CLOSED = (ApplicationStatus.REJECTED, ApplicationStatus.WITHDRAWN)
#: how a replaced contact and nominee of application ``id`` are named
CONTACT_PSEUDONYM = "Gelöschte Kontaktperson (Bewerbung #{id})"
NOMINEE_PSEUDONYM = "Gelöschte Person (Bewerbung #{id}, {position})"
PLACEHOLDER = "bewerbung-{id}-{who}@" + ERASED_DOMAIN


def retention_due(as_of: date) -> RetentionSection:
    return RetentionSection(people=_due_people(as_of), records=_due_applications(as_of))


def _due_people(as_of: date) -> list[DuePerson]:
    """Never staff, never anyone in a running or future cohort, never the erased."""
    years = years_after_cohort()
    last_end = func.max(Cohort.ends_on)
    staff = select(UserRole.user_id).where(UserRole.role.in_((Role.LECTURER, Role.ORGANISER)))
    rows = db.session.execute(
        select(User, last_end).join(Enrollment, Enrollment.user_id == User.id)
        .join(Cohort, Cohort.id == Enrollment.cohort_id)
        .where(User.erased_at.is_(None), User.id.not_in(staff))
        .group_by(User.id).having(last_end < years_before(as_of, years))
        .order_by(last_end, User.id))
    return [DuePerson(user, ended, kept_until(ended, years=years)) for user, ended in rows]


def _participant_emails() -> Select[tuple[str]]:
    return select(User.email).join(Enrollment, Enrollment.user_id == User.id)


def _named(application_id: Any) -> Any:
    """Whether an application still names its contact, or a nominee who is not a
    participant (who became one is a person, kept and erased as a person)."""
    placeholder = "%@" + ERASED_DOMAIN
    return or_(
        ~Application.contact_email.like(placeholder),
        exists().where(Nominee.application_id == application_id,
                       ~Nominee.email.like(placeholder),
                       func.lower(Nominee.email).not_in(_participant_emails())))


def application_due(application: Application, as_of: date) -> bool:
    """Whether ``application``'s contact data is past its period on ``as_of``."""
    return bool(_due_applications(as_of, Application.id == application.id))


def _due_applications(as_of: date, *where: Any) -> list[DueRecord]:
    days = days_after_application()
    rows = db.session.scalars(
        select(Application).options(selectinload(Application.municipality),
                                    selectinload(Application.cohort))
        .where(Application.status.in_(CLOSED),
               Application.status_changed_at < berlin_midnight(as_of - timedelta(days=days)),
               _named(Application.id), *where)
        .order_by(Application.status_changed_at, Application.id))
    due = []
    for application in rows:
        ended = berlin_day(application.status_changed_at)
        due.append(DueRecord(
            title=f"{application.municipality.name} ({application.cohort.name})",
            ended_on=ended, kept_until=kept_until(ended, days=days),
            confirm_url=url_for("cohorts.pseudonymise_application",
                                cohort_id=application.cohort_id,
                                application_id=application.id),
            pseudonymise=lambda actor, application=application:
                pseudonymise_contact_data(application, actor=actor)))
    return due


class _Replaced(Replacement):
    def __init__(self, name: str, email: str, pseudonym: str, placeholder_email: str):
        self.name, self.email = name, email
        self.pseudonym, self.placeholder_email = pseudonym, placeholder_email


def pseudonymise_contact_data(application: Application, *, actor: User | None) -> None:
    """Replace the contact's and the nominees' names, addresses, phone and functions
    (nominees who became participants stay: they are people); the application, its
    municipality and its decisions stay. Its consents keep a placeholder address; its
    texts and audit entries lose the names. Idempotent; flushes, never commits."""
    participants = set(db.session.scalars(_participant_emails().where(
        User.email.in_([nominee.email.lower() for nominee in application.nominees]))))
    replaced = [_Replaced(application.contact_name, application.contact_email,
                          CONTACT_PSEUDONYM.format(id=application.id),
                          PLACEHOLDER.format(id=application.id, who="kontakt"))]
    nominees = [nominee for nominee in application.nominees
                if nominee.email.lower() not in participants]
    replaced += [_Replaced(nominee.name, nominee.email,
                           NOMINEE_PSEUDONYM.format(id=application.id, position=nominee.position),
                           PLACEHOLDER.format(id=application.id, who=nominee.position))
                 for nominee in nominees]
    consents = select(ConsentRecord.id).join(ConsentText).where(
        ConsentText.purpose == APPLICATION, ConsentRecord.subject_id == application.id)
    about = or_(
        and_(AuditEntry.object_type == Application.__tablename__,
             AuditEntry.object_id == application.id),
        and_(AuditEntry.object_type == ConsentRecord.__tablename__,
             AuditEntry.object_id.in_(consents)))
    for replacement in replaced:
        db.session.execute(update(ConsentRecord)
                           .where(ConsentRecord.id.in_(consents),
                                  func.lower(ConsentRecord.email) == replacement.email.lower())
                           .values(email=replacement.placeholder_email))
        replacement.scrub(AuditEntry.before, AuditEntry.after, where=about)
        replacement.scrub(ApplicationEvent.reason,
                          where=ApplicationEvent.application_id == application.id)
        replacement.scrub(Application.motivation, Application.structures,
                          where=Application.id == application.id)
    application.contact_name = replaced[0].pseudonym
    application.contact_email = replaced[0].placeholder_email
    application.contact_phone = ""
    for nominee, replacement in zip(nominees, replaced[1:], strict=True):
        nominee.name, nominee.email = replacement.pseudonym, replacement.placeholder_email
        nominee.function = ""
    audit.record("application.pseudonymised", application, actor=actor)
    db.session.flush()
