"""Issuing, revoking and re-issuing certificates: every write of the certificates.

Who may receive one is THE rule's to say (``rule.standings``); nothing here decides
eligibility. A person holds at most one valid certificate per cohort: every write takes
the cohort's row lock first, then reads what is already issued, so double submits and
concurrent requests issue once. Numbers count per course year ("IMS-2017-0003"); the
course's row lock keeps two cohorts of one year from taking the same number.
Functions flush and audit, the request commits.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from assignments.certificates.models import Certificate
from assignments.certificates.rule import Standing, standings
from cohorts.models import Cohort
from courses.models import Course, Module
from lms.audit import record
from lms.auth.models import User
from lms.dates import berlin_today
from lms.db import lock_row, utcnow
from lms.errors import DomainError
from lms.extensions import db

#: the start of every certificate number, before the cohort's year
NUMBER_PREFIX = "IMS"
#: bytes of randomness in a verification code (32 URL-safe characters)
CODE_BYTES = 24
#: what a verification code can look like (``secrets.token_urlsafe``, the column's length)
CODE_FORM = re.compile(r"[A-Za-z0-9_-]{1,64}")


@dataclass(frozen=True)
class IssuePlan:
    """What issuing to a cohort would do, for its confirmation page."""

    #: eligible, without a valid certificate: they get one
    to_issue: list[Standing]
    #: those who already hold a valid certificate, with it
    holding: list[tuple[Standing, Certificate]]
    #: who does not meet the rule (``Standing.missing`` says why)
    not_eligible: list[Standing]


def valid_certificates(cohort: Cohort) -> dict[int, Certificate]:
    """The cohort's valid certificates by holder."""
    found = db.session.scalars(select(Certificate).where(
        Certificate.cohort_id == cohort.id, Certificate.revoked_at.is_(None),
        Certificate.user_id.is_not(None)))
    return {certificate.user_id: certificate for certificate in found}


def certificate_by_code(code: str) -> Certificate | None:
    """The certificate whose verification code is ``code``; a code no certificate can have
    (NUL, too long, not URL-safe) is not looked up at all."""
    if not CODE_FORM.fullmatch(code):
        return None
    return db.session.scalar(select(Certificate).where(Certificate.code == code))


def issue_plan(cohort: Cohort) -> IssuePlan:
    held = valid_certificates(cohort)
    to_issue, holding, not_eligible = [], [], []
    for standing in standings(cohort):
        if standing.user.id in held:
            holding.append((standing, held[standing.user.id]))
        elif standing.eligible:
            to_issue.append(standing)
        else:
            not_eligible.append(standing)
    return IssuePlan(to_issue, holding, not_eligible)


def _lock(cohort: Cohort) -> Cohort:
    locked = lock_row(Cohort, cohort.id)
    lock_row(Course, locked.course_id)
    return locked


def issue_eligible(cohort: Cohort, *, actor: User | None,
                   today: date | None = None) -> list[Certificate]:
    """A certificate for every eligible member of ``cohort`` who holds none yet."""
    cohort = _lock(cohort)
    return [_issue(cohort, standing.user, actor=actor, today=today)
            for standing in issue_plan(cohort).to_issue]


def issue_one(cohort: Cohort, user_id: int, *, actor: User | None,
              today: date | None = None) -> Certificate:
    """A certificate for one member of ``cohort``; refused unless they meet the rule and
    hold none yet."""
    cohort = _lock(cohort)
    plan = issue_plan(cohort)
    if any(standing.user.id == user_id for standing, _held in plan.holding):
        raise DomainError(_("This person already holds a valid certificate of this cohort."))
    standing = next((s for s in plan.to_issue if s.user.id == user_id), None)
    if standing is None:
        refused = next((s for s in plan.not_eligible if s.user.id == user_id), None)
        if refused is None:
            raise DomainError(_("This person is not a member of this cohort."))
        raise DomainError(_("This person does not meet the certificate rule yet (%(missing)s).",
                            missing=", ".join(refused.missing())))
    return _issue(cohort, standing.user, actor=actor, today=today)


def revoke(certificate: Certificate, reason: str, *, actor: User | None) -> Certificate:
    """Mark ``certificate`` revoked, with why; it stays, and its verification page says so."""
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Please give the reason for the revocation."), field="reason")
    _lock(certificate.cohort)
    certificate = lock_row(Certificate, certificate.id)
    if certificate.revoked:
        raise DomainError(_("This certificate has already been revoked."))
    certificate.revoked_at = utcnow()
    certificate.revoked_by = actor
    certificate.revoke_reason = reason
    record("certificate.revoked", certificate, actor=actor,
           before={"number": certificate.number}, after={"reason": reason})
    db.session.flush()
    return certificate


def replacement_of(certificate: Certificate) -> Certificate | None:
    return db.session.scalar(select(Certificate).where(Certificate.replaces_id
                                                       == certificate.id))


def reissue(certificate: Certificate, *, actor: User | None,
            today: date | None = None) -> Certificate:
    """A new certificate (new number and code) in place of a revoked one, with the
    holder's name as it is now: the way to correct a misspelt name.

    The rule is not asked again: the person met it when the first one was issued.
    """
    cohort = _lock(certificate.cohort)
    certificate = db.session.get(Certificate, certificate.id)
    if not certificate.revoked:
        raise DomainError(_("Only a revoked certificate can be re-issued."))
    if replacement_of(certificate) is not None:
        raise DomainError(_("This certificate has already been re-issued."))
    if certificate.user is None:
        raise DomainError(_("The holder no longer has an account."))
    if certificate.user_id in valid_certificates(cohort):
        raise DomainError(_("This person already holds a valid certificate of this cohort."))
    return _issue(cohort, certificate.user, actor=actor, today=today, replaces=certificate)


def _next_number(cohort: Cohort) -> str:
    """The next free number of the cohort's year (the course's lock is held)."""
    prefix = f"{NUMBER_PREFIX}-{cohort.starts_on.year}-"
    taken = db.session.scalars(select(Certificate.number).where(
        Certificate.number.startswith(prefix, autoescape=True)))
    highest = max((int(number.removeprefix(prefix)) for number in taken
                   if number.removeprefix(prefix).isdigit()), default=0)
    return f"{prefix}{highest + 1:04d}"


def module_titles(course: Course) -> list[str]:
    """The course's published modules, in course order, as a certificate lists them."""
    return list(db.session.scalars(select(Module.title).where(
        Module.course_id == course.id, Module.published).order_by(Module.position)))


def _issue(cohort: Cohort, holder: User, *, actor: User | None, today: date | None,
           replaces: Certificate | None = None) -> Certificate:
    certificate = Certificate(
        number=_next_number(cohort), code=secrets.token_urlsafe(CODE_BYTES),
        cohort=cohort, user=holder, holder_name=holder.display_name,
        course_title=cohort.course.title, cohort_name=cohort.name,
        period_start=cohort.starts_on, period_end=cohort.ends_on,
        modules="\n".join(module_titles(cohort.course)), issued_on=today or berlin_today(),
        issued_by=actor, replaces=replaces)
    db.session.add(certificate)
    db.session.flush()
    record("certificate.issued", certificate, actor=actor,
           after={"number": certificate.number, "holder": certificate.holder_name,
                  "replaces": replaces.number if replaces else None})
    return certificate
