"""THE certificate rule: who of a cohort meets it, and what each person still lacks.

``standings`` is the one function that decides; the eligibility board, the gradebook and
its export, the participant's own page and the issuing of certificates all read it.

A person meets the rule when

- attendance: every session of their time in the cohort has been held (none upcoming) and
  recorded, and their attendance rate (``cohorts.attendance.rate_of``, which leaves out
  cancelled sessions and applies the course's rule for excused absences) is at least the
  course's minimum;
- module work: every assignment of the cohort that counts towards the certificate
  (``Assignment.counts_for_certificate``) is passed by the grade last released to its
  owners (team work: their municipality's); mediators, who hand in no team work, are
  judged on their individual work only;
- implementation step: if the course asks for one, their municipality has reached it on
  the cohort's progress board as its members see it; mediators are not asked for it.

Nothing unreleased counts: a person never learns of a grade through the rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from assignments.certificates.models import DEFAULT_MIN_ATTENDANCE, CertificateRule
from assignments.gradebook import Cell, build_gradebook
from assignments.models import Assignment
from assignments.reviews import passes, shown_grade
from assignments.steps.board import build_board
from assignments.steps.models import StepKind
from assignments.steps.states import StepState
from cohorts import attendance
from cohorts.attendance import AttendanceRate, cohort_sessions, rate_of, statuses_of
from cohorts.models import Cohort, Enrollment, EnrollmentKind
from courses.models import Course
from lms.auth.models import User
from lms.db import utcnow
from lms.extensions import db


@dataclass(frozen=True)
class RuleSettings:
    """The rule of one course as it applies now."""

    min_attendance_percent: int
    required_step: StepKind | None


def rule_of(course: Course) -> RuleSettings:
    """The course's rule; a course nobody has set one for asks the default rate, no step."""
    rule = db.session.scalar(select(CertificateRule).where(CertificateRule.course_id
                                                           == course.id))
    if rule is None:
        return RuleSettings(DEFAULT_MIN_ATTENDANCE, None)
    return RuleSettings(rule.min_attendance_percent, rule.required_step)


@dataclass(frozen=True)
class Standing:
    """One person's standing against the rule."""

    enrollment: Enrollment
    rule: RuleSettings
    attendance: AttendanceRate
    #: sessions of the person's time in the cohort not held yet
    upcoming_sessions: int
    #: how many more attended sessions the minimum rate would take (0: met)
    sessions_short: int
    #: required work not passed (by released grade), in course order
    work_missing: tuple[Assignment, ...]
    #: the required step, while the municipality has not reached it
    step_missing: StepKind | None

    @property
    def user(self) -> User:
        return self.enrollment.user

    @property
    def is_mediator(self) -> bool:
        return self.enrollment.kind is EnrollmentKind.MEDIATOR

    @property
    def attendance_met(self) -> bool:
        return (not self.upcoming_sessions and not self.attendance.unrecorded
                and not self.sessions_short)

    @property
    def eligible(self) -> bool:
        return self.attendance_met and not self.work_missing and self.step_missing is None

    def missing(self) -> list[str]:
        """What the person still lacks, in words, most pressing first."""
        words = []
        if self.sessions_short:
            words.append(ngettext("%(num)d session", "%(num)d sessions",
                                  self.sessions_short))
        if self.attendance.unrecorded:
            words.append(ngettext("attendance of %(num)d session not recorded",
                                  "attendance of %(num)d sessions not recorded",
                                  self.attendance.unrecorded))
        if self.upcoming_sessions:
            words.append(ngettext("%(num)d session still to come",
                                  "%(num)d sessions still to come", self.upcoming_sessions))
        words.extend(assignment.title for assignment in self.work_missing)
        if self.step_missing is not None:
            words.append(_("step “%(step)s”", step=self.step_missing.label))
        return words

    def summary(self) -> str:
        """"met", or "missing: 2 sessions, Modularbeit 5" for lists and exports."""
        missing = self.missing()
        if not missing:
            return _("met")
        return _("missing: %(items)s", items=", ".join(missing))


def sessions_short(rate: AttendanceRate, min_percent: int) -> int:
    """How many of the counted sessions more would have to be attended to reach
    ``min_percent`` (attended / counted >= min_percent / 100, in whole numbers)."""
    needed = -(-min_percent * rate.counted // 100)  # ceiling, in integers: no float edge
    return max(0, needed - rate.attended)


def _work_passed(cell: Cell) -> bool:
    return passes(cell.schedule.assignment, shown_grade(cell.review))


def standings(cohort: Cohort, now: datetime | None = None,
              person: User | None = None) -> list[Standing]:
    """THE rule, for every current member of ``cohort`` (with ``person``: for them only),
    in gradebook order.

    A fixed number of queries whatever the cohort's size: the gradebook, the sessions and
    their recorded statuses, and the progress board when a step is asked.
    """
    now = now or utcnow()
    rule = rule_of(cohort.course)
    book = build_gradebook(cohort, person)
    sessions = cohort_sessions(cohort)
    statuses = statuses_of(row.enrollment.id for row in book.people)
    reached: set[int] = set()
    if rule.required_step is not None:
        board = build_board(cohort, staff=False)
        step = next((s for s in board.steps if s.kind is rule.required_step), None)
        reached = {row.municipality.id for row in board.rows
                   if step is not None and row.cell(step).state is StepState.ACCEPTED}
    excused_count = cohort.course.excused_counts_as_attended
    found = []
    for row in book.people:
        enrollment = row.enrollment
        rate = rate_of(enrollment, sessions, statuses.get(enrollment.id, {}),
                       excused_count=excused_count, now=now)
        upcoming = sum(attendance.cell(session, enrollment, None, now)
                       is attendance.Standing.UPCOMING for session in sessions)
        work_missing = tuple(cell.schedule.assignment for cell in row.cells
                             if cell.schedule.assignment.counts_for_certificate
                             and not _work_passed(cell))
        step_missing = None
        if (rule.required_step is not None and enrollment.kind is EnrollmentKind.MUNICIPALITY
                and enrollment.municipality_id not in reached):
            step_missing = rule.required_step
        found.append(Standing(enrollment, rule, rate, upcoming,
                              sessions_short(rate, rule.min_attendance_percent),
                              work_missing, step_missing))
    return found


def standing_of(cohort: Cohort, user: User, now: datetime | None = None) -> Standing | None:
    """``user``'s standing in ``cohort`` (None: not a current member)."""
    return next(iter(standings(cohort, now, user)), None)
