"""The personal data the advice office keeps: its declaration for the record of
processing, a person's part of their export (Art. 15 GDPR) and of their erasure (Art. 17)."""

from __future__ import annotations

from typing import Any

from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select, update

from advice.models import (
    AdviceCase,
    Appointment,
    CaseAssignment,
    CaseDocument,
    CaseEvent,
    CaseNote,
    PoolMember,
)
from lms.auth.models import User
from lms.erasure import Erasure
from lms.extensions import db
from lms.personal_export import file_path
from lms.plugins import ExportedFile, PersonalData, PersonalSection
from lms.processing import years_after_case

#: the retention of a case, stating the configured period when shown
KEPT = LazyString(lambda: _(
    "%(years)d years after the case was concluded or declined, then pseudonymised (flask "
    "lms retention); the anonymous statistics stay.", years=years_after_case()))

PERSONAL_DATA = (
    PersonalData(
        _l("Pool of mediators and advisers"), _l("Mediators and advisers"),
        _l("Qualifications, languages, regions, topics, availability, whether active"),
        _l("Suggesting and assigning members of the pool to cases"),
        _l("As long as the person belongs to the pool"),
        ("advice_pool_members",)),
    PersonalData(
        _l("Conflict advice cases"),
        _l("People of requesting municipalities, mediators and advisers, organisers"),
        _l("Who asked, contact data from the public form, the description of the conflict "
           "and the parties, the state history with who acted, assignments and answers, "
           "appointments, confidential notes with their authors, documents"),
        _l("Carrying out advice and mediation for municipalities"), KEPT,
        ("advice_cases", "advice_assignments", "advice_case_events", "advice_appointments",
         "advice_notes", "advice_documents")),
)


def _cases_of(user: User) -> list[AdviceCase]:
    return list(db.session.scalars(select(AdviceCase).where(or_(
        AdviceCase.requester_id == user.id, func.lower(AdviceCase.contact_email) == user.email))
        .order_by(AdviceCase.created_at, AdviceCase.id)))


def export_personal_data(user: User) -> PersonalSection:
    """The person's pool profile, the requests they made, the assignments they answered,
    the notes they wrote and the documents they uploaded."""
    member = db.session.scalar(select(PoolMember).where(PoolMember.user_id == user.id))
    assignments = db.session.scalars(select(CaseAssignment).where(
        CaseAssignment.member_id == (member.id if member else -1))
        .order_by(CaseAssignment.id)).all()
    notes = db.session.scalars(select(CaseNote).where(CaseNote.author_id == user.id)
                               .order_by(CaseNote.id)).all()
    documents = db.session.scalars(select(CaseDocument).where(
        CaseDocument.uploaded_by_id == user.id).order_by(CaseDocument.id)).all()
    return PersonalSection({
        "pool_profile": None if member is None else {
            "qualifications": member.qualifications, "languages": member.languages,
            "regions": member.regions, "topics": member.topics,
            "availability": member.availability, "active": member.active},
        "requests": [_request(case) for case in _cases_of(user)],
        "assignments": [{"case": a.case_id, "status": a.status, "assigned_at": a.assigned_at,
                         "answered_at": a.answered_at, "decline_reason": a.decline_reason}
                        for a in assignments],
        "notes": [{"case": note.case_id, "at": note.created_at, "text": note.body}
                  for note in notes],
        "documents": [{"case": d.case_id, "filename": d.filename, "at": d.created_at,
                       "file": file_path("advice", d.id, d.filename)} for d in documents],
    }, files=tuple(ExportedFile(file_path("advice", d.id, d.filename), d.sha256)
                   for d in documents))


def _request(case: AdviceCase) -> dict[str, Any]:
    return {"case": case.id, "municipality": case.municipality.name, "kind": case.kind,
            "description": case.description, "parties": case.parties,
            "preferred_dates": case.preferred_dates, "urgency": case.urgency,
            "state": case.state, "created_at": case.created_at,
            "contact": {"name": case.contact_name, "email": case.contact_email}
            if case.contact_email else None}


def erase_personal_data(erasure: Erasure) -> None:
    """The pool profile goes (its assignments stay with the pseudonymised account); cases
    stay as the office's record, with the public form's contact pseudonymised; texts that
    mention the person are scrubbed."""
    user_id = erasure.user.id
    db.session.execute(update(PoolMember).where(PoolMember.user_id == user_id).values(
        qualifications="", languages=[], topics=[], regions=[], availability="", active=False))
    db.session.execute(update(AdviceCase)
                       .where(func.lower(AdviceCase.contact_email) == erasure.email)
                       .values(contact_name=erasure.pseudonym,
                               contact_email=erasure.placeholder_email))
    erasure.scrub(AdviceCase.description, AdviceCase.parties, AdviceCase.preferred_dates,
                  AdviceCase.decline_reason, AdviceCase.question, AdviceCase.outcome,
                  AdviceCase.feedback_text, AdviceCase.contact_name, CaseEvent.note,
                  CaseNote.body, CaseAssignment.decline_reason, Appointment.title,
                  Appointment.location)

