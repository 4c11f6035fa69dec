"""Who may see and do what with the advice office's pool and cases.

Organisers keep the pool and run every case. A pool member edits their own profile and
works on the cases they are assigned to (not declined): the confidential record (notes,
documents, history), appointments, the conclusion. The requesting municipality's people
(the person who asked, and who is enrolled for the municipality now) read the case's
summary and appointments, never its notes or documents, and give the feedback at its end.
Lecturers see nothing unless assigned. Every signed-in person may ask for advice. Only
organisers pseudonymise a case past its retention period ("pseudonymise").
"""

from __future__ import annotations

from flask import Flask
from sqlalchemy import ColumnElement, or_, select

from advice.models import (
    AdviceCase,
    AssignmentStatus,
    CaseAssignment,
    CaseDocument,
    CaseState,
    PoolMember,
)
from cohorts.access import current_enrollments
from cohorts.models import Enrollment
from lms.auth.access import register_policy
from lms.auth.models import Role, User
from lms.extensions import db
from lms.memo import per_request

#: what assigned members may do with their case's record
MEMBER_ACTIONS = frozenset({"view", "view_record", "note", "document", "appoint", "conclude"})


def is_organiser(user: User) -> bool:
    return user.has_role(Role.ORGANISER)


@per_request
def member_of(user: User) -> PoolMember | None:
    """The pool profile of ``user``, if they have one."""
    return db.session.scalar(select(PoolMember).where(PoolMember.user_id == user.id))


@per_request
def municipality_ids_of(user: User) -> frozenset[int]:
    """The municipalities ``user`` is a responsible person of now."""
    return frozenset(enrollment.municipality_id for enrollment in current_enrollments(user)
                     if enrollment.municipality_id is not None)


def involving(user: User) -> ColumnElement[bool]:
    """The cases ``user`` is involved in, as a query condition: those they asked for, their
    municipality's, and those they are assigned to and have not declined."""
    member = member_of(user)
    assigned = select(CaseAssignment.case_id).where(
        CaseAssignment.member_id == (member.id if member else -1),
        CaseAssignment.status != AssignmentStatus.DECLINED)
    return or_(AdviceCase.requester_id == user.id,
               AdviceCase.municipality_id.in_(municipality_ids_of(user)),
               AdviceCase.id.in_(assigned))


def is_assigned(user: User, case: AdviceCase) -> bool:
    return any(a.member.user_id == user.id for a in case.active_assignments)


def speaks_for(user: User, case: AdviceCase) -> bool:
    """Whether ``user`` belongs to the side that asked: the requester or their municipality."""
    return case.requester_id == user.id or case.municipality_id in municipality_ids_of(user)


def people_speaking_for(case: AdviceCase) -> list[User]:
    """The active people for whom ``speaks_for`` holds: whom the office's question reaches."""
    now_enrolled = select(Enrollment.user_id).where(
        Enrollment.municipality_id == case.municipality_id, Enrollment.ended_at.is_(None))
    return list(db.session.scalars(select(User).where(
        or_(User.id == case.requester_id, User.id.in_(now_enrolled)), User.active)
        .order_by(User.id)))


def case_policy(user: User, action: str, case: AdviceCase | type[AdviceCase]) -> bool:
    """With the class: "create" (everyone signed in), "manage" (organisers: the list of
    every case, the statistics)."""
    if not isinstance(case, AdviceCase):
        return action == "create" or is_organiser(user)
    if action == "feedback":
        return _feedback_open(case) and speaks_for(user, case)
    if action == "answer":  # organisers record an answer that came by mail or phone
        return case.question_open and (speaks_for(user, case) or is_organiser(user))
    if is_organiser(user):
        return True
    if action in MEMBER_ACTIONS and is_assigned(user, case):
        return True
    return action == "view" and speaks_for(user, case)


def _feedback_open(case: AdviceCase) -> bool:
    return case.state is CaseState.CONCLUDED and case.feedback_at is None


def member_policy(user: User, action: str, member: PoolMember | type[PoolMember]) -> bool:
    """Organisers keep the pool ("create", "list", every profile); members their own."""
    if is_organiser(user):
        return True
    return isinstance(member, PoolMember) and member.user_id == user.id \
        and action in {"view", "edit"}


def assignment_policy(user: User, action: str, assignment: CaseAssignment) -> bool:
    """The member asked answers ("respond") while the question is open."""
    if action == "respond":
        return assignment.member.user_id == user.id \
            and assignment.status is AssignmentStatus.PROPOSED
    return case_policy(user, "view_record", assignment.case)


def document_policy(user: User, action: str, document: CaseDocument) -> bool:
    return action == "view" and case_policy(user, "view_record", document.case)


def register_policies(app: Flask) -> None:
    register_policy(app, AdviceCase, case_policy)
    register_policy(app, PoolMember, member_policy)
    register_policy(app, CaseAssignment, assignment_policy)
    register_policy(app, CaseDocument, document_policy)
