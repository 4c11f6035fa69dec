"""The grading queue of one schedule: handed-in work with filters, and "next" through it.

One query builds the rows: each submission with its newest version, that version's
review and the owner's municipality (a team's own, or the municipality a person is
enrolled for in the cohort, from a join with the cohort's enrollments). "Next" runs the
same query, so it moves through the queue with the same filters as the list the lecturer
came from.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Row, Select, and_, case, func, or_, select
from sqlalchemy.orm import aliased, defer, joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from assignments.models import (
    WAITING_STATES,
    AssignmentSchedule,
    Review,
    Submission,
    SubmissionState,
    SubmissionVersion,
)
from cohorts.models import Enrollment, Municipality
from lms.auth.models import User
from lms.extensions import db

PER_PAGE = 25


class QueueFilter(enum.StrEnum):
    ALL = ""
    UNGRADED = "ungraded"
    LATE = "late"
    RETURNED = "returned"
    GRADED = "graded"


@dataclass(frozen=True)
class Filters:
    """What the queue shows (read by ``grading_forms.QueueFilterForm``)."""

    status: QueueFilter = QueueFilter.ALL
    municipality_id: int | None = None


@dataclass(frozen=True)
class QueueRow:
    submission: Submission
    version: SubmissionVersion
    review: Review | None
    municipality: Municipality | None

    @property
    def owner_name(self) -> str:
        if self.submission.municipality is not None:
            return self.submission.municipality.name
        return self.submission.user.display_name if self.submission.user else ""

    @property
    def submitted_at(self) -> datetime:
        return self.version.submitted_at


#: The aliases the queue's statement joins, made once: an alias made anew fills its
#: column collection again when first used, a third of the queue's time per request.
LATEST_VERSION = aliased(SubmissionVersion, name="latest_version")
PLACED = aliased(Enrollment, name="placed")
BETTER_PLACED = aliased(Enrollment, name="better_placed")
OWNER = aliased(User, name="owner")
TEAM = aliased(Municipality, name="team")


def _join_placement(statement: Select, schedule: AssignmentSchedule) -> Select:
    """``statement`` with ``PLACED``: the enrollment that places a submission's person in
    the schedule's cohort, the current one, else the last they had. Two outer joins rather
    than a subquery asked again for every row: ``PLACED`` is any of the person's
    enrollments in the cohort, and a row is kept only where no ``BETTER_PLACED`` one ranks
    before it. Both find a person's few enrollments by their indexed ``user_id``."""
    placed, better = PLACED, BETTER_PLACED

    def in_cohort(enrollment: type[Enrollment]) -> ColumnElement[bool]:
        return and_(enrollment.user_id == Submission.user_id,
                    enrollment.cohort_id == schedule.cohort_id)

    # a person has at most one current enrollment in a cohort, so only an ended one is
    # outranked: by the current one, or by one that started later
    ranks_before = and_(placed.ended_at.is_not(None), or_(
        better.ended_at.is_(None), better.started_at > placed.started_at,
        and_(better.started_at == placed.started_at, better.id > placed.id)))
    return (statement.outerjoin(placed, in_cohort(placed))
            .outerjoin(better, and_(in_cohort(better), ranks_before))
            .where(better.id.is_(None)))


def _statement(schedule: AssignmentSchedule, filters: Filters,
               also: int | None = None) -> Select:
    version, placed, owner, team = LATEST_VERSION, PLACED, OWNER, TEAM
    municipality_id = func.coalesce(Submission.municipality_id,
                                    placed.municipality_id).label("municipality_id")
    # the municipality the deadline rule asks for: only a current enrollment's
    current = case((placed.ended_at.is_(None), placed.municipality_id)).label("current")
    statement = (
        select(Submission, version, Review, municipality_id, current)
        .join(version, version.id == Submission.latest_version_id)
        .outerjoin(Review, Review.version_id == version.id)
        .outerjoin(owner, owner.id == Submission.user_id)
        .outerjoin(team, team.id == Submission.municipality_id)
        .where(Submission.schedule_id == schedule.id)
        .options(selectinload(Submission.user), selectinload(Submission.municipality),
                 defer(Submission.person_municipality_id))
        .order_by(func.lower(func.coalesce(team.name, owner.display_name)), Submission.id))
    statement = _join_placement(statement, schedule)
    conditions = []
    match filters.status:
        case QueueFilter.UNGRADED:
            conditions.append(Submission.state.in_(WAITING_STATES))
        case QueueFilter.RETURNED:
            conditions.append(Submission.state == SubmissionState.RETURNED)
        case QueueFilter.GRADED:
            conditions.append(Submission.state == SubmissionState.GRADED)
    if filters.municipality_id is not None:
        conditions.append(municipality_id == filters.municipality_id)
    if conditions:
        condition = and_(*conditions)
        statement = statement.where(or_(condition, Submission.id == also)
                                    if also is not None else condition)
    return statement


def _execute(statement: Select) -> list[Row]:
    """The rows of ``statement``, each submission given its person's current municipality
    from the join (deferred in the statement: as a column it is a subquery per row)."""
    rows = db.session.execute(statement).all()
    for row in rows:
        set_committed_value(row[0], "person_municipality_id", row.current)
    return rows


def _late(results) -> list:
    """The rows whose version is late by the one deadline rule, asked now (in Python, so
    that an extension granted after hand-in counts; a cohort's queue is short)."""
    return [row for row in results if row[1].late]


def _rows(results) -> list[QueueRow]:
    results = list(results)
    ids = {row.municipality_id for row in results if row.municipality_id is not None}
    names = {m.id: m for m in db.session.scalars(
        select(Municipality).where(Municipality.id.in_(ids)))} if ids else {}
    return [QueueRow(row[0], row[1], row[2], names.get(row.municipality_id))
            for row in results]


@dataclass(frozen=True)
class QueuePage:
    rows: list[QueueRow]
    page: int
    pages: int
    total: int

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def queue(schedule: AssignmentSchedule, filters: Filters, page: int = 1) -> QueuePage:
    """One page of the queue of ``schedule`` with ``filters``."""
    per_page = PER_PAGE
    statement = _statement(schedule, filters)
    if filters.status is QueueFilter.LATE:
        late = _late(_execute(statement))
        total = len(late)
    else:
        total = db.session.scalar(select(func.count()).select_from(
            statement.with_only_columns(Submission.id).order_by(None).subquery())) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    if filters.status is QueueFilter.LATE:
        results = late[(page - 1) * per_page:page * per_page]
    else:
        results = _execute(statement.limit(per_page).offset((page - 1) * per_page))
    return QueuePage(_rows(results), page, pages, total)


def neighbour(schedule: AssignmentSchedule, filters: Filters,
              submission: Submission) -> Submission | None:
    """The submission after ``submission`` in the filtered queue (None at its end).

    ``submission`` itself always counts as part of the queue, so "next" also works after
    grading took it out of a filter such as "not yet graded".
    """
    statement = _statement(schedule, filters, also=submission.id)
    if filters.status is QueueFilter.LATE:
        ids = [row[0].id for row in _execute(statement)
               if row[1].late or row[0].id == submission.id]
    else:
        ids = list(db.session.scalars(statement.with_only_columns(Submission.id)))
    position = ids.index(submission.id) if submission.id in ids else -1
    if position < 0 or position + 1 >= len(ids):
        return None
    return db.session.get(Submission, ids[position + 1])


def municipality_choices(schedule: AssignmentSchedule) -> list[Municipality]:
    """The municipalities with people enrolled in the schedule's cohort, for the filter."""
    return list(db.session.scalars(
        select(Municipality).join(Enrollment, Enrollment.municipality_id == Municipality.id)
        .where(Enrollment.cohort_id == schedule.cohort_id).distinct()
        .order_by(Municipality.sort_name)))


@dataclass(frozen=True)
class WaitingWork:
    #: (schedule, how many of its submissions wait), the nearest due date first
    schedules: list[tuple[AssignmentSchedule, int]]
    #: how many schedules have work waiting, the listed ones included
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.schedules)


def waiting_work(cohort_ids: set[int] | None, limit: int) -> WaitingWork:
    """The first ``limit`` schedules (of ``cohort_ids``; None: all) with work waiting for a
    grade, how much waits in each, and how many schedules have some: one query, whatever
    the number of schedules."""
    waiting = func.count(Submission.id)
    statement = (
        select(AssignmentSchedule, waiting, func.count().over())
        .join(Submission, Submission.schedule_id == AssignmentSchedule.id)
        .where(Submission.state.in_(WAITING_STATES))
        .group_by(AssignmentSchedule.id).order_by(AssignmentSchedule.due_at,
                                                  AssignmentSchedule.id)
        .limit(limit)
        .options(joinedload(AssignmentSchedule.assignment),
                 joinedload(AssignmentSchedule.cohort)))
    if cohort_ids is not None:
        statement = statement.where(AssignmentSchedule.cohort_id.in_(cohort_ids))
    rows = db.session.execute(statement).all()
    return WaitingWork([(schedule, count) for schedule, count, _total in rows],
                       rows[0][2] if rows else 0)
