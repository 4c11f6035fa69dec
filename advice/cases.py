"""Requests and cases: asking, triage, assigning pool members, their answers, the
conclusion and the municipality's feedback. Every state change adds a ``CaseEvent``.

Functions flush, never commit; a broken rule raises ``DomainError`` before anything
changes.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from advice.consents import ADVICE_REQUEST
from advice.mail import mail_assigned, mail_declined, mail_question
from advice.models import (
    AdviceCase,
    AssignmentStatus,
    CaseAssignment,
    CaseEvent,
    CaseKind,
    CaseState,
    OutcomeKind,
    PoolMember,
    Urgency,
)
from cohorts.models import Municipality
from cohorts.people import checked_email, checked_text
from lms import audit
from lms.auth.models import User
from lms.consent.services import give_consent
from lms.db import lock_row, utcnow
from lms.errors import DomainError
from lms.extensions import db

TEXT_MAX = 20000
#: one or two members per case, as the issue says
MAX_MEMBERS = 2


@dataclass(frozen=True)
class RequestDetails:
    municipality_id: int | None
    kind: CaseKind
    description: str
    urgency: Urgency
    consent: bool
    parties: str = ""
    preferred_dates: str = ""
    language: str = ""
    topic: str = ""
    #: for the public form only
    contact_name: str = ""
    contact_email: str = ""
    consent_version: int | None = None
    #: the language of the form, for the consent record
    form_language: str = "de"


def _change_state(case: AdviceCase, to: CaseState, *, actor: User | None, note: str = "") -> None:
    event = CaseEvent(case=case, actor=actor, from_state=case.state, to_state=to, note=note)
    db.session.add(event)
    case.state = to


def submit_request(details: RequestDetails, *, requester: User | None) -> AdviceCase:
    """A new case from a signed-in person (``requester``) or the public form."""
    municipality = db.session.get(Municipality, details.municipality_id) \
        if details.municipality_id else None
    if municipality is None:
        raise DomainError(_("Please choose the municipality."), field="municipality_id")
    description = checked_text(details.description, "description", limit=TEXT_MAX,
                               missing=_l("Please describe the conflict."))
    contact_name = contact_email = ""
    if requester is None:
        contact_name = checked_text(details.contact_name, "contact_name", limit=120,
                                    missing=_l("Please enter the name."))
        contact_email = checked_email(details.contact_email, "contact_email")
    if not details.consent:
        raise DomainError(_("Please agree to the processing of your data."), field="consent")
    case = AdviceCase(
        municipality=municipality, requester=requester, contact_name=contact_name,
        contact_email=contact_email, kind=details.kind, description=description,
        parties=checked_text(details.parties, "parties", limit=TEXT_MAX),
        urgency=details.urgency,
        preferred_dates=checked_text(details.preferred_dates, "preferred_dates", limit=2000),
        language=checked_text(details.language, "language", limit=60),
        topic=checked_text(details.topic, "topic", limit=120),
        consent_at=utcnow(), state=CaseState.NEW)
    db.session.add(case)
    db.session.add(CaseEvent(case=case, actor=requester, from_state=None, to_state=CaseState.NEW))
    db.session.flush()
    give_consent(ADVICE_REQUEST, version=details.consent_version, subject_id=case.id,
                 language=details.form_language, user=requester,
                 email=None if requester else contact_email)
    return case


# --- Triage ------------------------------------------------------------------------------

class Triage:
    ACCEPT = "accept"
    ASK = "ask"
    DECLINE = "decline"


def triage(case: AdviceCase, decision: str, text: str, *, actor: User) -> None:
    """Accept the request, ask the municipality back (its people are told by mail), or
    decline it with a reason."""
    case = lock_row(AdviceCase, case.id)
    if case.state not in {CaseState.NEW, CaseState.TRIAGE}:
        raise DomainError(_("This case has been triaged already."))
    text = checked_text(text, "text", limit=TEXT_MAX)
    if decision == Triage.DECLINE:
        if not text:
            raise DomainError(_("Please give the reason for declining."), field="text")
        case.decline_reason = text
        _change_state(case, CaseState.DECLINED, actor=actor, note=text)
    elif decision == Triage.ASK:
        if not text:
            raise DomainError(_("Please write the question to the municipality."), field="text")
        case.question = text
        _change_state(case, CaseState.TRIAGE, actor=actor, note=text)
        mail_question(case)
    elif decision == Triage.ACCEPT:
        _change_state(case, CaseState.TRIAGE, actor=actor, note=text)
    else:
        raise DomainError(_("Please choose one of the listed entries."), field="decision")
    case.first_answer_at = case.first_answer_at or utcnow()
    db.session.flush()


def answer_question(case: AdviceCase, text: str, *, actor: User) -> None:
    """The municipality's answer to the office's question: kept in the case's history for
    the office, and the question is settled."""
    case = lock_row(AdviceCase, case.id)
    if not case.question_open:
        raise DomainError(_("The advice office has no open question on this case."))
    text = checked_text(text, "text", limit=TEXT_MAX,
                        missing=_l("Please write your answer."))
    case.question = ""
    _change_state(case, CaseState.TRIAGE, actor=actor, note=text)
    db.session.flush()


# --- Assignment --------------------------------------------------------------------------

def assign(case: AdviceCase, member_ids: list[int], *, actor: User) -> list[CaseAssignment]:
    """Ask one or two active pool members to take the case; each is told by mail."""
    case = lock_row(AdviceCase, case.id)
    if case.state not in {CaseState.NEW, CaseState.TRIAGE, CaseState.ASSIGNED,
                          CaseState.IN_PROGRESS}:
        raise DomainError(_("Members can no longer be assigned to this case."))
    members = [db.session.get(PoolMember, ident) for ident in dict.fromkeys(member_ids)]
    if not members or None in members:
        raise DomainError(_("Please choose one or two members of the pool."), field="members")
    paused = [m.user.display_name for m in members if not m.active]
    if paused:
        raise DomainError(_("%(names)s is paused and cannot be assigned.",
                            names=", ".join(paused)), field="members")
    taken = {a.member_id for a in case.assignments}
    if any(m.id in taken for m in members):
        raise DomainError(_("This member has already been asked for this case."),
                          field="members")
    if len(case.active_assignments) + len(members) > MAX_MEMBERS:
        raise DomainError(_("A case has at most two members assigned."), field="members")
    added = [CaseAssignment(case=case, member=m, status=AssignmentStatus.PROPOSED)
             for m in members]
    db.session.add_all(added)
    if case.state in {CaseState.NEW, CaseState.TRIAGE}:
        case.first_answer_at = case.first_answer_at or utcnow()
        _change_state(case, CaseState.ASSIGNED, actor=actor,
                      note=", ".join(m.user.display_name for m in members))
    db.session.flush()
    for assignment in added:
        audit.record("advice.member_assigned", assignment, actor=actor,
                     after={"case": case.id, "member": assignment.member_id})
    mail_assigned(added)
    return added


def respond(assignment: CaseAssignment, accept: bool, reason: str, *, actor: User) -> None:
    """The member's answer; a decline needs a reason. The first acceptance starts the work;
    when every member declined, the case goes back to triage. The organisers are told of
    a decline by mail."""
    assignment = lock_row(CaseAssignment, assignment.id)
    if assignment.status is not AssignmentStatus.PROPOSED:
        raise DomainError(_("You have answered already."))
    reason = checked_text(reason, "reason", limit=2000)
    if not accept and not reason:
        raise DomainError(_("Please give the reason for declining."), field="reason")
    assignment.status = AssignmentStatus.ACCEPTED if accept else AssignmentStatus.DECLINED
    assignment.answered_at = utcnow()
    assignment.decline_reason = reason
    case = assignment.case
    if accept and case.state is CaseState.ASSIGNED:
        _change_state(case, CaseState.IN_PROGRESS, actor=actor)
    elif not accept and not case.active_assignments and case.state is CaseState.ASSIGNED:
        _change_state(case, CaseState.TRIAGE, actor=actor, note=reason)
    audit.record("advice.assignment_answered", assignment, actor=actor,
                 after={"status": assignment.status.value})
    if not accept:
        mail_declined(assignment)
    db.session.flush()


# --- The end -----------------------------------------------------------------------------

def conclude(case: AdviceCase, kind: OutcomeKind | None, outcome: str, *, actor: User) -> None:
    case = lock_row(AdviceCase, case.id)
    if case.state is not CaseState.IN_PROGRESS:
        raise DomainError(_("Only a case in progress can be concluded."))
    if kind is None:
        raise DomainError(_("Please choose the outcome."), field="outcome_kind")
    case.outcome_kind = kind
    case.outcome = checked_text(outcome, "outcome", limit=TEXT_MAX,
                                missing=_l("Please describe the outcome."))
    case.concluded_at = utcnow()
    _change_state(case, CaseState.CONCLUDED, actor=actor)
    db.session.flush()


def give_feedback(case: AdviceCase, rating: int | None, text: str) -> None:
    """The municipality's short anonymous feedback: no author is stored."""
    case = lock_row(AdviceCase, case.id)
    if case.state is not CaseState.CONCLUDED or case.feedback_at is not None:
        raise DomainError(_("Feedback can be given once, after the case has been concluded."))
    if rating is None or not 1 <= rating <= 5:
        raise DomainError(_("Please choose a rating from 1 to 5."), field="rating")
    case.feedback_rating = rating
    case.feedback_text = checked_text(text, "text", limit=2000)
    case.feedback_at = utcnow()
    db.session.flush()
