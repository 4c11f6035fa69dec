"""Setting a course's certificate rule: the minimum attendance, the work that must be
passed and the implementation step asked of municipalities.

Which work must be passed stays ``Assignment.counts_for_certificate`` (the assignment form
sets it too); this page sets it for all of a course's assignments at once. Every change is
audited, on the rule row, with what it was before and after. Functions here flush and
never commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from assignments.certificates.models import DEFAULT_MIN_ATTENDANCE, CertificateRule
from assignments.models import Assignment
from assignments.steps.models import StepKind
from courses.models import Course, Module
from lms import audit
from lms.auth.models import User
from lms.db import lock_row
from lms.errors import DomainError
from lms.extensions import db


@dataclass(frozen=True)
class RuleInput:
    """What the rule form sent."""

    min_attendance_percent: int | None
    required_step: StepKind | None
    #: the course's assignments that must be passed
    required_assignment_ids: frozenset[int]


def course_assignments(course: Course) -> list[Assignment]:
    """The course's assignments in course order (module, then position)."""
    return list(db.session.scalars(
        select(Assignment).join(Assignment.module).where(Module.course_id == course.id)
        .order_by(Module.position, Assignment.position, Assignment.id)))


def _snapshot(rule: CertificateRule, assignments: Iterable[Assignment]) -> dict[str, object]:
    return {"min_attendance_percent": rule.min_attendance_percent,
            "required_step": rule.required_step.value if rule.required_step else None,
            "required_assignments": sorted(a.id for a in assignments
                                           if a.counts_for_certificate)}


def save_rule(course: Course, data: RuleInput, *, actor: User) -> bool:
    """Set ``course``'s certificate rule; True if anything changed.

    The course row is locked first, so two organisers saving at once leave one rule row
    and an audit entry per real change.
    """
    percent = data.min_attendance_percent
    if percent is None or not 0 <= percent <= 100:
        raise DomainError(_("Please give a minimum attendance between 0 and 100 percent."),
                          field="min_attendance_percent")
    lock_row(Course, course.id)
    assignments = course_assignments(course)
    unknown = data.required_assignment_ids - {a.id for a in assignments}
    if unknown:
        raise DomainError(_("The course's assignments have changed meanwhile. Please check "
                            "the rule and save again."), field="required_assignments")
    rule = db.session.scalar(select(CertificateRule).where(CertificateRule.course_id
                                                           == course.id))
    if rule is None:
        rule = CertificateRule(course_id=course.id, min_attendance_percent=DEFAULT_MIN_ATTENDANCE,
                               required_step=None)
        db.session.add(rule)
        db.session.flush()
    before = _snapshot(rule, assignments)
    rule.min_attendance_percent = percent
    rule.required_step = data.required_step
    for assignment in assignments:
        assignment.counts_for_certificate = assignment.id in data.required_assignment_ids
    after = _snapshot(rule, assignments)
    if before == after:
        return False
    rule.updated_by_id = actor.id
    audit.record("certificate_rule.updated", rule, actor=actor, before=before, after=after)
    db.session.flush()
    return True
