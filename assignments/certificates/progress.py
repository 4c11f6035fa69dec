"""A participant's own progress: where their cohort stands (the current module, sessions
held, what comes next) and their own standing against the certificate rule.

The standing is the rule's (``rule.standing_of``); nothing here decides whether the person
meets it. Work and deadlines are the person's own rows (``assignments.overview``), so dates
follow the one deadline rule, extensions included.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from assignments.certificates.rule import Standing, standing_of
from assignments.overview import WorkRow, participant_rows
from cohorts.access import current_enrollments
from cohorts.attendance import cohort_sessions
from cohorts.models import Cohort, Enrollment
from courses.models import Module, Session
from lms.auth.models import User
from lms.db import utcnow


@dataclass(frozen=True)
class CohortProgress:
    standing: Standing
    #: the cohort's sessions that take place (not cancelled), by start
    sessions: list[Session]
    #: how many of them have begun
    held: int
    #: the module of the latest session held, or else of the next one
    current_module: Module | None
    next_session: Session | None
    #: the person's work in the cohort, in course order
    work: list[WorkRow]
    #: the nearest due date of work not handed in yet
    next_deadline: WorkRow | None

    @property
    def cohort(self) -> Cohort:
        return self.standing.enrollment.cohort

    @property
    def required_work(self) -> int:
        return sum(row.assignment.counts_for_certificate and row.can_work for row in self.work)

    @property
    def required_passed(self) -> int:
        return self.required_work - len(self.standing.work_missing)


def _cohort_progress(enrollment: Enrollment, user: User, work: list[WorkRow],
                     now: datetime) -> CohortProgress | None:
    standing = standing_of(enrollment.cohort, user, now)
    if standing is None:
        return None
    sessions = [s for s in cohort_sessions(enrollment.cohort) if not s.cancelled]
    held = [s for s in sessions if s.starts_at <= now]
    coming = [s for s in sessions if s.starts_at > now]
    latest = held[-1] if held else (coming[0] if coming else None)
    mine = [row for row in work if row.schedule.cohort_id == enrollment.cohort_id]
    open_work = [row for row in mine if row.can_work and not row.handed_in
                 and row.deadlines.due_at > now]
    return CohortProgress(standing, sessions, len(held), latest.module if latest else None,
                          coming[0] if coming else None, mine,
                          min(open_work, key=lambda row: row.deadlines.due_at, default=None))


def own_progress(user: User, now: datetime | None = None) -> list[CohortProgress]:
    """``user``'s progress in each cohort they are enrolled in now."""
    asked_at, now = now, now or utcnow()
    enrollments = current_enrollments(user)
    if not enrollments:
        return []
    work = participant_rows(user, at=asked_at)  # the dashboard's other panels ask so too
    found = (_cohort_progress(enrollment, user, work, now) for enrollment in enrollments)
    return [progress for progress in found if progress is not None]
