"""What of the advice office's data is past its retention period (``lms.retention``): cases
concluded or declined more than ``RETENTION_YEARS_AFTER_CASE`` years ago, found by a
query, and pseudonymising one.

A case then keeps what the anonymous statistics count (``advice.statistics``) and nothing
that names or describes a person or their conflict.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import selectinload

from advice.consents import ADVICE_REQUEST
from advice.models import (
    AdviceCase,
    Appointment,
    CaseAssignment,
    CaseDocument,
    CaseEvent,
    CaseNote,
    CaseState,
)
from lms import audit
from lms.auth.models import User
from lms.consent.models import ConsentRecord, ConsentText
from lms.dates import berlin_day, berlin_midnight
from lms.db import utcnow
from lms.erasure import ERASED_DOMAIN, forget_files
from lms.extensions import db
from lms.processing import years_after_case
from lms.retention import DueRecord, RetentionSection, kept_until, years_before

CLOSED = (CaseState.CONCLUDED, CaseState.DECLINED)
#: how the contact of pseudonymised case ``id`` is named
CONTACT_PSEUDONYM = "Gelöschte Kontaktperson (Beratungsfall #{id})"
PLACEHOLDER = "beratungsfall-{id}@" + ERASED_DOMAIN
#: the title a pseudonymised case's appointments keep (theirs may name people)
APPOINTMENT_TITLE = "Termin"


def retention_due(as_of: date) -> RetentionSection:
    return RetentionSection(records=_due_cases(as_of))


def case_due(case: AdviceCase, as_of: date) -> bool:
    """Whether ``case``'s personal data is past its period on ``as_of``."""
    return bool(_due_cases(as_of, AdviceCase.id == case.id))


def _due_cases(as_of: date, *where: Any) -> list[DueRecord]:
    """Closed, not yet pseudonymised cases whose conclusion or decline (the step into a
    closed state of their history) lies before the period; due from the day after."""
    years = years_after_case()
    ended = select(func.max(CaseEvent.at)).where(
        CaseEvent.case_id == AdviceCase.id, CaseEvent.to_state.in_(CLOSED)).scalar_subquery()
    rows = db.session.execute(
        select(AdviceCase, ended).options(selectinload(AdviceCase.municipality))
        .where(AdviceCase.state.in_(CLOSED), AdviceCase.pseudonymised_at.is_(None),
               ended < berlin_midnight(years_before(as_of, years)), *where)
        .order_by(ended, AdviceCase.id))
    due = []
    for case, ended_at in rows:
        ended_on = berlin_day(ended_at)
        due.append(DueRecord(
            title=_("Advice case %(number)d (%(municipality)s)", number=case.id,
                    municipality=case.municipality.name),
            ended_on=ended_on, kept_until=kept_until(ended_on, years=years),
            confirm_url=url_for("advice.pseudonymise", case_id=case.id),
            pseudonymise=lambda actor, case=case: pseudonymise_case(case, actor=actor)))
    return due


def pseudonymise_case(case: AdviceCase, *, actor: User | None) -> None:
    """Remove what names or describes people, keep what the statistics count.

    Gone: who asked (the account link, the public form's name and address, also in the
    consent record), every free text (description, parties, preferred dates, the language
    and topic as typed, the office's question and reason, the outcome's text, the
    feedback's words, the history's notes and who acted, the members' reasons, the
    appointments' titles and places), as any of them may name or describe someone; the
    confidential notes and the documents, whose stored files are deleted after commit.

    Kept, as they name no one: the municipality (its region), kind, urgency, state,
    outcome kind, rating, the dates (request, first answer, conclusion, the history's
    steps, appointments), and which pool members worked on it (their own record; their
    profile is erased with them). Flushes, never commits.
    """
    files = [document.sha256 for document in case.documents]
    case.requester_id = None
    case.contact_name = CONTACT_PSEUDONYM.format(id=case.id)
    case.contact_email = PLACEHOLDER.format(id=case.id)
    for column in ("description", "parties", "preferred_dates", "language", "topic",
                   "decline_reason", "question", "outcome", "feedback_text"):
        setattr(case, column, "")
    consents = select(ConsentRecord.id).join(ConsentText).where(
        ConsentText.purpose == ADVICE_REQUEST, ConsentRecord.subject_id == case.id)
    db.session.execute(update(ConsentRecord)
                       .where(ConsentRecord.id.in_(consents), ConsentRecord.email.is_not(None))
                       .values(email=PLACEHOLDER.format(id=case.id)))
    db.session.execute(update(CaseEvent).where(CaseEvent.case_id == case.id)
                       .values(note="", actor_id=None))
    db.session.execute(update(CaseAssignment).where(CaseAssignment.case_id == case.id)
                       .values(decline_reason=""))
    db.session.execute(update(Appointment).where(Appointment.case_id == case.id)
                       .values(title=APPOINTMENT_TITLE, location=""))
    for model in (CaseNote, CaseDocument):
        db.session.execute(delete(model).where(model.case_id == case.id))
    db.session.expire(case, ["notes", "documents", "events", "appointments", "assignments"])
    case.pseudonymised_at = utcnow()
    audit.record("advice.case_pseudonymised", case, actor=actor)
    db.session.flush()
    forget_files(files)
