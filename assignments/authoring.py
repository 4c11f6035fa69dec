"""Writing assignments and scheduling them per cohort (lecturers and organisers).

Every rule about what an assignment or a schedule may look like lives here; the forms
only parse. Services flush and record, they never commit.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from assignments.models import (
    Assignment,
    AssignmentKind,
    AssignmentSchedule,
    GradingScheme,
    Submission,
)
from cohorts.models import Cohort
from courses.models import Module
from courses.services import required_title
from lms import audit
from lms.auth.models import User
from lms.dates import check_date
from lms.errors import DomainError
from lms.extensions import db
from lms.uploads import parse_extensions

MAX_FILES = 20
MAX_POINTS = 1000


@dataclass(frozen=True)
class AssignmentDetails:
    title: str
    kind: AssignmentKind
    grading: GradingScheme
    instructions: str = ""
    max_points: int | None = None
    counts_for_certificate: bool = True
    allowed_extensions: str = "pdf"
    max_files: int = 3
    max_file_mb: int = 10
    text_allowed: bool = True
    text_required: bool = False

    @classmethod
    def of(cls, assignment: Assignment) -> AssignmentDetails:
        return cls(**{name: getattr(assignment, name) for name in cls.__dataclass_fields__})

    def checked(self, max_upload_mb: int) -> AssignmentDetails:
        if self.grading is GradingScheme.POINTS:
            if not self.max_points or not 0 < self.max_points <= MAX_POINTS:
                raise DomainError(_("Please give the maximum number of points (1 to "
                                    "%(max)d).", max=MAX_POINTS), field="max_points")
            max_points = self.max_points
        else:
            max_points = None
        if not 0 <= self.max_files <= MAX_FILES:
            raise DomainError(_("Between 0 and %(max)d files are possible.", max=MAX_FILES),
                              field="max_files")
        if not 0 < self.max_file_mb <= max_upload_mb:
            raise DomainError(_("A file may be at most %(max)d MB large.", max=max_upload_mb),
                              field="max_file_mb")
        extensions = parse_extensions(self.allowed_extensions)
        if self.max_files and not extensions:
            raise DomainError(_("Please name the file types that may be handed in."),
                              field="allowed_extensions")
        if not self.text_allowed and not self.max_files:
            raise DomainError(_("Without a text answer, at least one file must be allowed."),
                              field="max_files")
        return replace(self, title=required_title(self.title), max_points=max_points,
                       allowed_extensions=extensions, instructions=self.instructions or "",
                       text_required=self.text_required and self.text_allowed)


def _snapshot(assignment: Assignment) -> dict[str, object]:
    return {"title": assignment.title, "kind": assignment.kind.value,
            "grading": assignment.grading.value, "max_points": assignment.max_points,
            "counts_for_certificate": assignment.counts_for_certificate,
            "allowed_extensions": assignment.allowed_extensions,
            "max_files": assignment.max_files, "max_file_mb": assignment.max_file_mb,
            "text_allowed": assignment.text_allowed, "text_required": assignment.text_required}


def _apply(assignment: Assignment, details: AssignmentDetails) -> None:
    for name, value in vars(details).items():
        setattr(assignment, name, value)


def create_assignment(module: Module, details: AssignmentDetails, *, actor: User | None,
                      max_upload_mb: int) -> Assignment:
    details = details.checked(max_upload_mb)
    position = db.session.scalar(select(func.coalesce(func.max(Assignment.position), 0))
                                 .where(Assignment.module_id == module.id)) + 1
    assignment = Assignment(module=module, position=position, created_by_id=actor and actor.id)
    _apply(assignment, details)
    db.session.add(assignment)
    db.session.flush()
    audit.record("assignment.created", assignment, actor=actor, after=_snapshot(assignment))
    return assignment


def has_work(assignment: Assignment) -> bool:
    return db.session.scalar(select(func.count(Submission.id)).join(Submission.schedule)
                             .where(AssignmentSchedule.assignment_id == assignment.id)) > 0


def update_assignment(assignment: Assignment, details: AssignmentDetails, *, actor: User,
                      max_upload_mb: int) -> None:
    """Change an assignment; once work exists, its kind and grading scheme stay."""
    details = details.checked(max_upload_mb)
    if (details.kind is not assignment.kind or details.grading is not assignment.grading) \
            and has_work(assignment):
        raise DomainError(_("Work has already been handed in, so the kind and the grading "
                            "scheme can no longer change."), field="kind")
    before = _snapshot(assignment)
    _apply(assignment, details)
    db.session.flush()
    audit.record("assignment.changed", assignment, actor=actor, before=before,
                 after=_snapshot(assignment))


# --- Schedules -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ScheduleDates:
    opens_at: datetime | None
    due_at: datetime | None
    #: None: the same as the due date (nothing is accepted late)
    cut_off_at: datetime | None = None

    def checked(self) -> ScheduleDates:
        if self.opens_at is None:
            raise DomainError(_("Please give the date it opens."), field="opens_at")
        if self.due_at is None:
            raise DomainError(_("Please give the due date."), field="due_at")
        for name in ("opens_at", "due_at", "cut_off_at"):
            check_date(getattr(self, name), name)
        if self.due_at <= self.opens_at:
            raise DomainError(_("The due date must be after the date it opens."),
                              field="due_at")
        cut_off_at = self.cut_off_at or self.due_at
        if cut_off_at < self.due_at:
            raise DomainError(_("The cut-off cannot be before the due date."),
                              field="cut_off_at")
        return ScheduleDates(self.opens_at, self.due_at, cut_off_at)


def _dates(schedule: AssignmentSchedule) -> dict[str, str]:
    return {"opens_at": schedule.opens_at.isoformat(), "due_at": schedule.due_at.isoformat(),
            "cut_off_at": schedule.cut_off_at.isoformat()}


def schedule_for(assignment: Assignment, cohort_id: int) -> AssignmentSchedule | None:
    return db.session.scalar(select(AssignmentSchedule).where(
        AssignmentSchedule.assignment_id == assignment.id,
        AssignmentSchedule.cohort_id == cohort_id))


def schedule_assignment(assignment: Assignment, cohort: Cohort, dates: ScheduleDates, *,
                        actor: User | None) -> AssignmentSchedule:
    """Give ``assignment`` dates in ``cohort`` (once per cohort)."""
    dates = dates.checked()
    if cohort.course_id != assignment.module.course_id:
        raise DomainError(_("This cohort belongs to another course."))
    if schedule_for(assignment, cohort.id) is not None:
        raise DomainError(_("This assignment already has dates in %(cohort)s. Please change "
                            "those instead.", cohort=cohort.name))
    schedule = AssignmentSchedule(assignment=assignment, cohort=cohort, opens_at=dates.opens_at,
                                  due_at=dates.due_at, cut_off_at=dates.cut_off_at)
    db.session.add(schedule)
    db.session.flush()
    audit.record("assignment.scheduled", schedule, actor=actor, after=_dates(schedule))
    return schedule


def reschedule(schedule: AssignmentSchedule, dates: ScheduleDates, *, actor: User) -> bool:
    """Change the dates; returns whether anything changed (calendars then get a new SEQUENCE)."""
    dates = dates.checked()
    before = _dates(schedule)
    new = (dates.opens_at, dates.due_at, dates.cut_off_at)
    if new == (schedule.opens_at, schedule.due_at, schedule.cut_off_at):
        return False
    schedule.opens_at, schedule.due_at, schedule.cut_off_at = new
    schedule.sequence += 1
    db.session.flush()
    audit.record("assignment.rescheduled", schedule, actor=actor, before=before,
                 after=_dates(schedule))
    return True


def shifted_dates(schedule: AssignmentSchedule, target: Cohort) -> ScheduleDates:
    """``schedule``'s dates moved by the distance between the two cohorts' starts."""
    shift = timedelta(days=(target.starts_on - schedule.cohort.starts_on).days)
    return ScheduleDates(schedule.opens_at + shift, schedule.due_at + shift,
                         schedule.cut_off_at + shift)


def copy_to_cohort(schedule: AssignmentSchedule, target: Cohort, *,
                   actor: User) -> AssignmentSchedule:
    """Schedule the same assignment in ``target``, at the same point of that cohort's course."""
    return schedule_assignment(schedule.assignment, target, shifted_dates(schedule, target),
                               actor=actor)


@dataclass(frozen=True)
class ListedSchedules:
    """The newest of an assignment's schedules, and how many it has in all."""

    schedules: list[AssignmentSchedule]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.schedules)


def newest_schedules(limit: int) -> dict[int, ListedSchedules]:
    """For each assignment (by id), its schedules in the ``limit`` cohorts that start last,
    and how many it has: one query, however many cohorts the course has had."""
    ranked = (
        select(AssignmentSchedule.id,
               func.row_number().over(partition_by=AssignmentSchedule.assignment_id,
                                      order_by=(Cohort.starts_on.desc(),
                                                AssignmentSchedule.id.desc())).label("rank"),
               func.count().over(partition_by=AssignmentSchedule.assignment_id).label("total"))
        .join(AssignmentSchedule.cohort).subquery())
    rows = db.session.execute(
        select(AssignmentSchedule, ranked.c.total)
        .join(ranked, ranked.c.id == AssignmentSchedule.id).where(ranked.c.rank <= limit)
        .options(joinedload(AssignmentSchedule.cohort)).order_by(ranked.c.rank))
    listed: dict[int, ListedSchedules] = {}
    for schedule, total in rows:
        listed.setdefault(schedule.assignment_id, ListedSchedules([], total)) \
            .schedules.append(schedule)
    return listed
