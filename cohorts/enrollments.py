"""Who is in a cohort: enrolling, replacing and ending, and telling the people.

Nominees get a participant account when they have none (and an invitation link);
an existing account is reused (and told by mail). Replacing a person ends the old
enrollment and starts a new one; nothing is deleted, so the cohort keeps its history.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from flask import render_template
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from sqlalchemy import exists, func, select
from sqlalchemy.orm import joinedload

from cohorts.models import (
    Application,
    ApplicationStatus,
    Cohort,
    Enrollment,
    EnrollmentKind,
    Municipality,
)
from cohorts.people import PersonDetails, checked_person
from cohorts.services import lock_cohort
from lms import audit
from lms.auth.models import Role, User
from lms.auth.services import create_account, send_link
from lms.auth.tokens import LinkPurpose
from lms.dates import berlin_today
from lms.db import utcnow
from lms.errors import DomainError
from lms.extensions import db
from lms.i18n import DEFAULT_LANGUAGE, collation_key
from lms.links import site_url
from lms.mail import send_mail

REASON_MAX = 500


def holds_place(cohort: Cohort, municipality_id: int) -> bool:
    return bool(db.session.scalar(select(exists().where(
        Application.cohort_id == cohort.id, Application.municipality_id == municipality_id,
        Application.status == ApplicationStatus.ACCEPTED))))


def team_size(cohort: Cohort, municipality_id: int) -> int:
    """How many persons are currently enrolled for the municipality in the cohort."""
    return db.session.scalar(select(func.count(Enrollment.id)).where(
        Enrollment.cohort_id == cohort.id, Enrollment.municipality_id == municipality_id,
        Enrollment.ended_at.is_(None))) or 0


def enrolled_elsewhere(email: str, cohort: Cohort, today: date | None = None) -> Cohort | None:
    """The other running cohort a person is currently enrolled in, if any.

    A cohort that has ended does not count: its people may take part in a later one.
    """
    today = today or berlin_today()
    return db.session.scalar(
        select(Cohort).join(Enrollment, Enrollment.cohort_id == Cohort.id)
        .join(User, User.id == Enrollment.user_id)
        .where(User.email == email, Enrollment.ended_at.is_(None), Cohort.id != cohort.id,
               Cohort.ends_on >= today)
        .limit(1))


def in_cohort(email: str, cohort: Cohort) -> bool:
    return bool(db.session.scalar(select(exists().where(
        Enrollment.cohort_id == cohort.id, Enrollment.ended_at.is_(None),
        Enrollment.user_id == select(User.id).where(User.email == email).scalar_subquery()))))


def check_available(email: str, cohort: Cohort, field: str, *,
                    today: date | None = None) -> None:
    """Raise ``DomainError`` at ``field`` if the person cannot join ``cohort`` for a
    municipality: already in it, or in another cohort that is still running."""
    if in_cohort(email, cohort):
        raise DomainError(_("%(email)s is already enrolled in this cohort.", email=email),
                          field=field)
    other = enrolled_elsewhere(email, cohort, today)
    if other is not None:
        raise DomainError(_("%(email)s is already enrolled in another cohort (%(cohort)s).",
                            email=email, cohort=other.name), field=field)


def participant_account(person: PersonDetails, *, actor: User | None) -> User:
    """The account for ``person``: the existing one (given the participant role if it lacks
    it), or a new one without a password, which the invitation lets the person set."""
    user = User.by_email(person.email)
    if user is None:
        return create_account(person.email, person.name, {Role.PARTICIPANT}, actor=actor)
    if not user.active:
        raise DomainError(_("The account of %(email)s is deactivated. Activate it on the people "
                            "page first.", email=person.email))
    if not user.has_role(Role.PARTICIPANT):
        before = sorted(user.roles)
        user.roles = user.roles | {Role.PARTICIPANT}
        audit.record("user.updated", user, actor=actor, before={"roles": before},
                     after={"roles": sorted(user.roles)})
    return user


def _notify(enrollment: Enrollment) -> None:
    """An invitation link for people without a password; a note for everyone else."""
    user = enrollment.user
    if not user.has_password:
        send_link(user, LinkPurpose.INVITATION)
        return
    with force_locale(user.language or DEFAULT_LANGUAGE):
        subject = _("You are registered for %(cohort)s", cohort=enrollment.cohort.name)
        body = render_template("cohorts/mail/enrolled.txt", enrollment=enrollment,
                               link=site_url("cohorts.mine"))
    send_mail(user.email, subject, body, user_id=user.id)


def _check_pairings(cohort: Cohort, paired: Iterable[Municipality]) -> list[Municipality]:
    paired = list(paired)
    for municipality in paired:
        if not holds_place(cohort, municipality.id):
            raise DomainError(_("%(name)s has no place in this cohort.", name=municipality.name),
                              field="paired")
    return paired


def enroll(cohort: Cohort, person: PersonDetails, *, kind: EnrollmentKind, actor: User | None,
           municipality: Municipality | None = None, paired: Iterable[Municipality] = (),
           notify: bool = True, today: date | None = None) -> Enrollment:
    """Enrol ``person`` in ``cohort``, for ``municipality`` or as a mediator.

    A municipality must hold a place and have a free seat; a person is in a cohort once,
    and for a municipality in one running cohort only.
    """
    person = checked_person(person)
    cohort = lock_cohort(cohort.id)
    if kind is EnrollmentKind.MUNICIPALITY:
        if municipality is None or not holds_place(cohort, municipality.id):
            raise DomainError(_("This municipality has no place in this cohort."),
                              field="municipality")
        if team_size(cohort, municipality.id) >= cohort.seats_per_municipality:
            raise DomainError(ngettext(
                "%(name)s already sends %(num)d person, as many as the cohort allows.",
                "%(name)s already sends %(num)d persons, as many as the cohort allows.",
                cohort.seats_per_municipality, name=municipality.name), field="municipality")
        check_available(person.email, cohort, "email", today=today)
        pairings: list[Municipality] = []
    else:
        municipality = None
        pairings = _check_pairings(cohort, paired)
        if in_cohort(person.email, cohort):
            raise DomainError(_("%(email)s is already enrolled in this cohort.",
                                email=person.email), field="email")
    user = participant_account(person, actor=actor)
    enrollment = Enrollment(cohort=cohort, user=user, kind=kind, municipality=municipality,
                            function=person.function, phone=person.phone,
                            created_by_id=actor.id if actor else None,
                            paired_municipalities=pairings)
    db.session.add(enrollment)
    db.session.flush()
    audit.record("enrollment.started", enrollment, actor=actor,
                 after={"cohort_id": cohort.id, "user_id": user.id, "kind": str(kind),
                        "municipality_id": municipality.id if municipality else None})
    if notify:
        _notify(enrollment)
    return enrollment


def end_enrollment(enrollment: Enrollment, *, actor: User | None, reason: str = "") -> None:
    """End a current enrollment; the row stays as history."""
    if enrollment.ended_at is not None:
        raise DomainError(_("This person has already left the cohort."))
    enrollment.ended_at = utcnow()
    enrollment.ended_reason = (reason or "").strip()[:REASON_MAX]
    enrollment.ended_by_id = actor.id if actor else None
    db.session.flush()
    audit.record("enrollment.ended", enrollment, actor=actor,
                 after={"reason": enrollment.ended_reason})


def replace_person(enrollment: Enrollment, person: PersonDetails, *, actor: User,
                   reason: str = "") -> Enrollment:
    """End ``enrollment`` and enrol ``person`` in its place (same municipality or pairings)."""
    if enrollment.ended_at is not None:
        raise DomainError(_("This person has already left the cohort."))
    person = checked_person(person)
    if person.email == enrollment.user.email:
        raise DomainError(_("Please enter the person who takes over, not the one who leaves."),
                          field="email")
    lock_cohort(enrollment.cohort_id)
    end_enrollment(enrollment, actor=actor,
                   reason=reason or _("replaced by %(name)s", name=person.name))
    successor = enroll(enrollment.cohort, person, kind=enrollment.kind, actor=actor,
                       municipality=enrollment.municipality,
                       paired=enrollment.paired_municipalities)
    enrollment.replaced_by = successor
    db.session.flush()
    return successor


def person_of(enrollment: Enrollment) -> PersonDetails:
    """The person of an enrollment, as they would be enrolled again (e.g. from the pool)."""
    return PersonDetails(enrollment.user.display_name, enrollment.user.email,
                         enrollment.function, enrollment.phone)


def mediator_pool(cohort: Cohort) -> list[Enrollment]:
    """The pool: everyone who served as a mediator so far and is not in ``cohort`` now.

    Each person once, by their latest mediator enrollment (which has their function).
    """
    present = select(Enrollment.user_id).where(Enrollment.cohort_id == cohort.id,
                                               Enrollment.ended_at.is_(None))
    latest: dict[int, Enrollment] = {}
    for enrollment in db.session.scalars(
            select(Enrollment).join(Enrollment.user)
            .where(Enrollment.kind == EnrollmentKind.MEDIATOR, User.active,
                   Enrollment.user_id.not_in(present))
            .options(joinedload(Enrollment.user))
            .order_by(Enrollment.started_at.desc(), Enrollment.id.desc())):
        latest.setdefault(enrollment.user_id, enrollment)
    return sorted(latest.values(), key=lambda e: (collation_key(e.user.display_name), e.user_id))
