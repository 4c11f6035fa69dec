"""The certificates' part of the demo: the historical cohorts' certificates.

The 2017 and 2018 cohorts' sessions are all held and recorded (the cohort plugin's demo)
and their work is finished (``assignments.demo_history``). THE rule decides who is
eligible; the organiser issues the certificates of both cohorts in January 2019.

Elif Yılmaz's account read "Elif Yilmaz" then: her 2017 certificate is revoked (name
misspelt) after the account is corrected, and re-issued with the right name.

Idempotent: the certificates are issued once (found again by ``demo_key``).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select

from assignments.certificates import issuing
from assignments.certificates.models import Certificate
from cohorts.models import Cohort
from lms.auth.models import User
from lms.auth.services import update_account
from lms.dates import berlin_to_utc
from lms.demo import FIRST, ORGANISERS, SECOND
from lms.extensions import db

ISSUED_ON = date(2019, 1, 15)
#: whose account was misspelt when the certificates were issued, and how
MISSPELT = ("mediatorin.yilmaz@example.org", "Elif Yilmaz")
REVOKED_AT = berlin_to_utc(datetime(2019, 2, 4, 10, 30))
REISSUED_ON = date(2019, 2, 5)
REVOKE_REASON = "Name falsch geschrieben: „Yilmaz“ statt „Yılmaz“."
DEMO_KEY = "certificate-{number}"


def _rename(person: User, name: str, organiser: User) -> None:
    update_account(person, actor=organiser, display_name=name, roles=person.roles,
                   active=person.active, language=person.language)


def _issue(cohorts: list[Cohort], organiser: User) -> None:
    """Issue once, 2017's with the misspelt name; then revoke that one and re-issue it."""
    if db.session.scalar(select(Certificate.id).where(Certificate.demo_key.is_not(None))):
        return
    first, *later = cohorts
    misspelt = User.by_email(MISSPELT[0])
    correct = misspelt.display_name if misspelt else ""
    if misspelt is not None:
        _rename(misspelt, MISSPELT[1], organiser)
    issued = issuing.issue_eligible(first, actor=organiser, today=ISSUED_ON)
    if misspelt is not None:
        _rename(misspelt, correct, organiser)
    for cohort in later:
        issued += issuing.issue_eligible(cohort, actor=organiser, today=ISSUED_ON)
    for certificate in issued:
        certificate.issued_at = berlin_to_utc(datetime.combine(ISSUED_ON, datetime.min.time()))
        certificate.demo_key = DEMO_KEY.format(number=certificate.number)
        if certificate.holder_name == MISSPELT[1]:
            issuing.revoke(certificate, REVOKE_REASON, actor=organiser)
            certificate.revoked_at = REVOKED_AT
            again = issuing.reissue(certificate, actor=organiser, today=REISSUED_ON)
            again.issued_at = REVOKED_AT + timedelta(days=1)
            again.demo_key = DEMO_KEY.format(number=again.number)
    db.session.flush()


def seed_demo() -> None:
    cohorts = [db.session.scalar(select(Cohort).where(Cohort.demo_key == key))
               for key in (FIRST, SECOND)]
    organiser = User.by_email(ORGANISERS[0].email)
    if None in cohorts or organiser is None:
        return  # the cohort or people demo did not run
    _issue(cohorts, organiser)
