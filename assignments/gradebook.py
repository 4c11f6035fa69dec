"""The gradebook of a cohort, its export, and a participant's own grades.

Rows are people (every assignment: their own work, and their municipality's for team
work) and municipalities (team work). A fixed handful of queries builds the whole book,
however many people and assignments the cohort has.

Whether a person meets the certificate rule is not decided here: other plugins add their
columns to the people table and its export through the host (``PluginRegistry.
person_columns``); the certificates plugin adds its verdict so. Team work counts for each
of the municipality's people; mediators hand in no team work. Staff see grades before
they are released, marked as hidden.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import joinedload, selectinload

from assignments.models import (
    Assignment,
    AssignmentKind,
    AssignmentSchedule,
    Review,
    Submission,
    SubmissionState,
    SubmissionVersion,
)
from assignments.reviews import ShownGrade, grade_text, passes, shown_grade
from assignments.schedules import schedules_of
from cohorts.access import current_enrollments, taught_cohort_ids
from cohorts.models import Cohort, Enrollment, EnrollmentKind, Municipality
from lms.auth.models import User
from lms.extensions import db
from lms.i18n import collation_key
from lms.memo import per_request
from lms.plugins import PersonColumn
from lms.tables import Column, Kind, Table


@dataclass(frozen=True)
class Cell:
    """One owner's work on one schedule."""

    schedule: AssignmentSchedule
    submission: Submission | None = None
    version: SubmissionVersion | None = None
    review: Review | None = None

    @property
    def state(self) -> SubmissionState | None:
        return self.submission.state if self.submission else None

    @property
    def late(self) -> bool:
        return bool(self.version and self.version.late)

    @property
    def graded(self) -> bool:
        return self.state is SubmissionState.GRADED and self.review is not None

    @property
    def released(self) -> bool:
        return self.review is not None and self.review.released_at is not None

    @property
    def passed(self) -> bool:
        return self.graded and passes(self.schedule.assignment, self.review)

    @property
    def points(self) -> float:
        return (self.review.points or 0) if self.graded else 0

    def words(self) -> str | None:
        """The grade once graded, else the state; None while nothing is handed in."""
        if self.graded:
            shown = grade_text(self.schedule.assignment, self.review.points, self.review.passed)
        elif self.state is None or self.state is SubmissionState.DRAFT:
            return None
        else:
            shown = str(self.state.label)
        return f"{shown} ({_('late')})" if self.late else shown

    def text(self) -> str:
        """The cell as the page shows it: "-" while nothing is handed in."""
        return self.words() or "-"


@dataclass
class Row:
    label: str
    #: the person, or None for a municipality's row
    user: User | None
    municipality: Municipality | None
    cells: list[Cell] = field(default_factory=list)
    #: the person's current enrollment (None for a municipality's row)
    enrollment: Enrollment | None = None

    @property
    def points(self) -> float:
        return sum(cell.points for cell in self.cells)

    @property
    def passed_count(self) -> int:
        return sum(cell.passed for cell in self.cells)


@dataclass(frozen=True)
class Gradebook:
    cohort: Cohort
    #: every schedule, in course order; the people table has a column for each
    schedules: list[AssignmentSchedule]
    people: list[Row]
    municipalities: list[Row]

    @property
    def team_schedules(self) -> list[AssignmentSchedule]:
        return [s for s in self.schedules if s.assignment.kind is AssignmentKind.TEAM]


def _work(schedule_ids: list[int], enrollments: Sequence[Enrollment] | None = None
          ) -> list[tuple[Submission, SubmissionVersion | None, Review | None]]:
    """Every submission of the schedules with its newest version and that version's review;
    with ``enrollments``, only those people's own and their municipalities' submissions."""
    if not schedule_ids:
        return []
    statement = (
        select(Submission, SubmissionVersion, Review)
        .outerjoin(SubmissionVersion, SubmissionVersion.id == Submission.latest_version_id)
        .outerjoin(Review, Review.version_id == SubmissionVersion.id)
        .where(Submission.schedule_id.in_(schedule_ids)))
    if enrollments is not None:
        statement = statement.where(or_(
            Submission.user_id.in_([e.user_id for e in enrollments]),
            Submission.municipality_id.in_([e.municipality_id for e in enrollments
                                            if e.municipality_id is not None])))
    rows = db.session.execute(statement)
    return [(submission, version, review) for submission, version, review in rows]


@per_request
def build_gradebook(cohort: Cohort, person: User | None = None) -> Gradebook:
    """The whole gradebook of ``cohort`` in four queries; with ``person``, only their row
    (and their municipality's), at the cost of one person's work rather than everyone's."""
    schedules = list(schedules_of(frozenset({cohort.id})))
    if person is None:
        enrollments = db.session.scalars(
            select(Enrollment).where(Enrollment.cohort_id == cohort.id,
                                     Enrollment.ended_at.is_(None))
            .options(joinedload(Enrollment.user), joinedload(Enrollment.municipality))).all()
    else:  # their enrollment as the request has read it already
        enrollments = [enrollment for enrollment in current_enrollments(person)
                       if enrollment.cohort_id == cohort.id]
    by_person: dict[tuple[int, int], tuple] = {}
    by_team: dict[tuple[int, int], tuple] = {}
    for submission, version, review in _work([s.id for s in schedules],
                                             None if person is None else enrollments):
        if submission.user_id is not None:
            by_person[(submission.schedule_id, submission.user_id)] = (submission, version,
                                                                       review)
        else:
            by_team[(submission.schedule_id, submission.municipality_id)] = (
                submission, version, review)

    def cell(schedule: AssignmentSchedule, found: tuple | None) -> Cell:
        return Cell(schedule, *found) if found else Cell(schedule)

    people = []
    for enrollment in sorted(enrollments, key=lambda e: (
            e.municipality.sort_name if e.municipality else "~",
            collation_key(e.user.display_name))):
        row = Row(enrollment.user.display_name, enrollment.user, enrollment.municipality,
                  enrollment=enrollment)
        for schedule in schedules:
            if schedule.assignment.kind is AssignmentKind.INDIVIDUAL:
                row.cells.append(cell(schedule, by_person.get((schedule.id,
                                                               enrollment.user_id))))
            elif enrollment.kind is EnrollmentKind.MUNICIPALITY:
                row.cells.append(cell(schedule, by_team.get((schedule.id,
                                                             enrollment.municipality_id))))
        people.append(row)
    teams = sorted({e.municipality for e in enrollments
                    if e.kind is EnrollmentKind.MUNICIPALITY and e.municipality},
                   key=lambda m: m.sort_name)
    team_schedules = [s for s in schedules if s.assignment.kind is AssignmentKind.TEAM]
    municipalities = [Row(m.name, None, m, [cell(s, by_team.get((s.id, m.id)))
                                            for s in team_schedules]) for m in teams]
    return Gradebook(cohort, schedules, people, municipalities)


def taught_cohorts(user: User) -> list[Cohort]:
    """The cohorts ``user`` teaches (organisers: all), the newest first."""
    taught = taught_cohort_ids(user)
    statement = select(Cohort).order_by(Cohort.starts_on.desc(), Cohort.id)
    if taught is not None:
        statement = statement.where(Cohort.id.in_(taught))
    return list(db.session.scalars(statement))


def cell_for(row: Row, schedule: AssignmentSchedule) -> Cell | None:
    """The cell of ``row`` for ``schedule`` (None: team work of a mediator)."""
    return next((cell for cell in row.cells if cell.schedule.id == schedule.id), None)


def gradebook_table(book: Gradebook, extra: Sequence[PersonColumn] = ()) -> Table:
    """The people table as a table to export; work not handed in is an empty cell.
    ``extra``: other plugins' columns, after the gradebook's own."""
    table = Table(_("Gradebook %(cohort)s", cohort=book.cohort.name),
                  f"gradebook-{book.cohort.id}", [
        Column(_("Name")), Column(_("Email")), Column(_("Municipality")),
        Column(_("AGS"), Kind.CODE), *[Column(s.assignment.title) for s in book.schedules],
        Column(_("Points"), Kind.DECIMAL), Column(_("Passed"), Kind.INTEGER),
        *[Column(column.label) for column in extra]], sheet=_("Gradebook"))
    for row in book.people:
        cells = [cell_for(row, schedule) for schedule in book.schedules]
        table.add(row.label, row.user.email if row.user else None,
                  row.municipality.name if row.municipality else None,
                  row.municipality.ags if row.municipality else None,
                  *[cell.words() if cell else None for cell in cells],
                  row.points, row.passed_count,
                  *[column.value_for(row.user.id if row.user else None) for column in extra])
    return table


# --- A participant's own grades ---------------------------------------------------------------


@dataclass(frozen=True)
class OwnGrade:
    submission: Submission
    #: the released grades (as last released), newest version first
    reviews: list[ShownGrade]

    @property
    def assignment(self) -> Assignment:
        return self.submission.schedule.assignment


def own_grades(user: User) -> list[OwnGrade]:
    """Every released review of ``user``'s own and their municipalities' team work."""
    teams = db.session.execute(select(Enrollment.cohort_id, Enrollment.municipality_id).where(
        Enrollment.user_id == user.id, Enrollment.ended_at.is_(None),
        Enrollment.kind == EnrollmentKind.MUNICIPALITY)).all()
    owned = Submission.user_id == user.id
    for cohort_id, municipality_id in teams:
        owned = owned | and_(Submission.municipality_id == municipality_id,
                             Submission.schedule.has(AssignmentSchedule.cohort_id == cohort_id))
    released = db.session.scalars(
        select(Review).join(Review.version).join(SubmissionVersion.submission)
        .where(owned, Review.shown_at.is_not(None))
        .options(joinedload(Review.version).joinedload(SubmissionVersion.submission)
                 .joinedload(Submission.schedule).joinedload(AssignmentSchedule.assignment),
                 selectinload(Review.files))
        .order_by(Review.shown_at.desc(), SubmissionVersion.number.desc())).unique().all()
    grouped: dict[int, list[ShownGrade]] = {}
    submissions: dict[int, Submission] = {}
    for review in released:
        submission = review.version.submission
        submissions[submission.id] = submission
        grouped.setdefault(submission.id, []).append(shown_grade(review))
    return [OwnGrade(submissions[ident], items) for ident, items in grouped.items()]
