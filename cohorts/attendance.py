"""Attendance at sessions: the list of a session, its corrections, and the attendance rate.

The rule (``rate_of``, the one place that decides; the certificate rule uses it too):

- a cohort's sessions are those of its course's modules meant for it or for all cohorts;
- a session counts for a person once it has begun (``starts_at`` is past), unless it was
  cancelled, and only while the person was enrolled: from the Berlin day their enrollment
  started (a person who joins later is not charged with earlier sessions) until it ended;
- a counted session is attended when the person was present, or excused and the course
  says that excused absences count as attended (``Course.excused_counts_as_attended``);
- a held session whose list nobody has saved yet is not counted but reported as
  unrecorded, so a forgotten list shows instead of silently lowering or raising a rate.

A list never saved shows everyone present; saving it records that. Saving takes the
session's row lock (``lms.db.lock_row``), so two people saving the same list at once, or
one saving twice, leave one row per person and a correction in the history for each
status that really changed.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_DOWN, Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import joinedload

from cohorts.attendance_models import AttendanceChange, AttendanceStatus, SessionAttendance
from cohorts.models import Cohort, Enrollment, EnrollmentKind
from courses.models import Module, Session
from lms.auth.models import User
from lms.dates import berlin_day, berlin_today
from lms.db import lock_row, utcnow
from lms.errors import DomainError
from lms.extensions import db
from lms.i18n import collation_key
from lms.memo import per_request
from lms.tables import Column, Kind, Table

#: the form field of a person's status on a list: ``status-<enrollment id>``
FIELD_PREFIX = "status-"
_ONE_DECIMAL = Decimal("0.1")


class Standing(enum.StrEnum):
    """A cell of a person and session that holds no recorded status."""

    #: the person was not enrolled at the time
    NOT_ENROLLED = "not_enrolled"
    CANCELLED = "cancelled"
    #: not begun yet
    UPCOMING = "upcoming"
    #: held, but nobody has saved the list yet
    UNRECORDED = "unrecorded"

    @property
    def label(self) -> str:
        return str(STANDING_LABELS[self])


STANDING_LABELS = {
    Standing.NOT_ENROLLED: _l("not enrolled"),
    Standing.CANCELLED: _l("cancelled"),
    Standing.UPCOMING: _l("upcoming"),
    Standing.UNRECORDED: _l("not recorded"),
}

Cell = AttendanceStatus | Standing


@dataclass(frozen=True)
class AttendanceRate:
    """A person's attendance: the counted sessions, and how many of them were attended."""

    present: int
    excused: int
    absent: int
    #: held sessions of the person's time in the cohort whose list is not saved yet
    unrecorded: int
    #: the course's rule: whether ``excused`` are attended
    excused_count: bool

    @property
    def counted(self) -> int:
        return self.present + self.excused + self.absent

    @property
    def attended(self) -> int:
        return self.present + (self.excused if self.excused_count else 0)

    @property
    def missed(self) -> int:
        return self.counted - self.attended

    @property
    def percent(self) -> Decimal | None:
        """Attended of counted, in percent, cut (not rounded) to one decimal, so that
        79.96 percent never reads as 80.0; None before any session counts."""
        if not self.counted:
            return None
        return (Decimal(self.attended * 100) / self.counted).quantize(_ONE_DECIMAL, ROUND_DOWN)


# --- Which sessions, and which people -------------------------------------------------------


def _of_cohort(cohort: Cohort) -> ColumnElement[bool]:
    return (Module.course_id == cohort.course_id) & or_(Session.cohort_id == cohort.id,
                                                        Session.cohort_id.is_(None))


@per_request
def cohort_sessions(cohort: Cohort) -> list[Session]:
    """Every session of ``cohort``, cancelled and future ones included, by start."""
    return list(db.session.scalars(
        select(Session).join(Session.module).where(_of_cohort(cohort))
        .options(joinedload(Session.module)).order_by(Session.starts_at, Session.id)))


def belongs_to(session: Session, cohort: Cohort) -> bool:
    return session.module.course_id == cohort.course_id and session.cohort_id in (None, cohort.id)


def was_enrolled(enrollment: Enrollment, session: Session) -> bool:
    """Whether the person was in the cohort at ``session``: enrolled by its Berlin day, and
    not yet ended when it began."""
    return (berlin_day(enrollment.started_at) <= berlin_day(session.starts_at)
            and (enrollment.ended_at is None or enrollment.ended_at > session.starts_at))


def cell(session: Session, enrollment: Enrollment, status: AttendanceStatus | None,
         now: datetime) -> Cell:
    """What the matrix, the person's own page and the rate read for one session."""
    if not was_enrolled(enrollment, session):
        return Standing.NOT_ENROLLED
    if session.cancelled:
        return Standing.CANCELLED
    if session.starts_at > now:
        return Standing.UPCOMING
    return status if status is not None else Standing.UNRECORDED


def rate_of(enrollment: Enrollment, sessions: Iterable[Session],
            statuses: Mapping[int, AttendanceStatus], *, excused_count: bool,
            now: datetime) -> AttendanceRate:
    """THE attendance rule: a person's rate over ``sessions`` (their cohort's), given their
    recorded ``statuses`` by session id and the course's rule for excused absences."""
    counts = dict.fromkeys([*AttendanceStatus, Standing.UNRECORDED], 0)
    for session in sessions:
        found = cell(session, enrollment, statuses.get(session.id), now)
        if found in counts:
            counts[found] += 1
    return AttendanceRate(present=counts[AttendanceStatus.PRESENT],
                          excused=counts[AttendanceStatus.EXCUSED],
                          absent=counts[AttendanceStatus.ABSENT],
                          unrecorded=counts[Standing.UNRECORDED], excused_count=excused_count)


def statuses_of(enrollment_ids: Iterable[int]) -> dict[int, dict[int, AttendanceStatus]]:
    """Recorded statuses: enrollment id -> session id -> status (in one query)."""
    ids = list(enrollment_ids)
    found: dict[int, dict[int, AttendanceStatus]] = {}
    if ids:
        for enrollment_id, session_id, status in db.session.execute(
                select(SessionAttendance.enrollment_id, SessionAttendance.session_id,
                       SessionAttendance.status)
                .where(SessionAttendance.enrollment_id.in_(ids))):
            found.setdefault(enrollment_id, {})[session_id] = status
    return found


def attendance_rate(enrollment: Enrollment, now: datetime | None = None) -> AttendanceRate:
    """``enrollment``'s attendance rate as of ``now`` (default: this moment)."""
    return rate_of(enrollment, cohort_sessions(enrollment.cohort),
                   statuses_of([enrollment.id]).get(enrollment.id, {}),
                   excused_count=enrollment.cohort.course.excused_counts_as_attended,
                   now=now or utcnow())


def _people(cohort: Cohort) -> list[Enrollment]:
    """The cohort's enrollments, current and ended, by municipality and name (mediators
    last)."""
    enrollments = db.session.scalars(
        select(Enrollment).where(Enrollment.cohort_id == cohort.id)
        .options(joinedload(Enrollment.user), joinedload(Enrollment.municipality))).all()
    return sorted(enrollments, key=lambda e: (
        e.kind is EnrollmentKind.MEDIATOR, e.municipality.sort_name if e.municipality else "",
        collation_key(e.user.display_name), e.started_at))


# --- The list of one session ---------------------------------------------------------------


@dataclass(frozen=True)
class ListRow:
    enrollment: Enrollment
    #: as recorded, or present on a list never saved for this person
    status: AttendanceStatus
    record: SessionAttendance | None


def _checked(cohort: Cohort, session: Session) -> None:
    if not belongs_to(session, cohort):
        raise DomainError(_("This session is not one of the cohort's."))


def _records(session: Session) -> dict[int, SessionAttendance]:
    return {record.enrollment_id: record for record in db.session.scalars(
        select(SessionAttendance).where(SessionAttendance.session_id == session.id)
        .options(joinedload(SessionAttendance.recorded_by)))}


def session_list(cohort: Cohort, session: Session) -> list[ListRow]:
    """The people of ``session``'s list: those enrolled at the time, and anyone recorded."""
    _checked(cohort, session)
    records = _records(session)
    return [ListRow(enrollment, record.status if record else AttendanceStatus.PRESENT, record)
            for enrollment in _people(cohort)
            if (record := records.get(enrollment.id)) or was_enrolled(enrollment, session)]


def may_record(session: Session, today: date | None = None) -> bool:
    """A list can be saved from the session's day on, unless the session was cancelled."""
    return not session.cancelled and berlin_day(session.starts_at) <= (today or berlin_today())


def parse_list(form: Mapping[str, str]) -> dict[int, AttendanceStatus]:
    """The statuses a list's form sends (``status-<enrollment id>``), by enrollment id."""
    statuses = {}
    for name, value in form.items():
        if not name.startswith(FIELD_PREFIX):
            continue
        ident = name.removeprefix(FIELD_PREFIX)
        if not ident.isascii() or not ident.isdigit() or value not in set(AttendanceStatus):
            raise DomainError(_("The list could not be read. Please load it again."))
        statuses[int(ident)] = AttendanceStatus(value)
    return statuses


def record_attendance(cohort: Cohort, session: Session,
                      statuses: Mapping[int, AttendanceStatus], *, actor: User,
                      today: date | None = None) -> int:
    """Save the list of ``session``: each person's status, present where none is given.

    Only people of the list may be named. A status that differs from the recorded one
    becomes a correction in the history (who, when, before, after). Returns how many
    statuses were recorded or changed; saving the same list again changes nothing.
    """
    _checked(cohort, session)
    if session.cancelled:
        raise DomainError(_("The session was cancelled; it has no attendance list."))
    if not may_record(session, today):
        raise DomainError(_("The attendance can be recorded from the day of the session on."))
    locked = lock_row(Session, session.id)
    if locked is None or locked.cancelled:
        raise DomainError(_("The session was cancelled; it has no attendance list."))
    rows = {row.enrollment.id: row for row in session_list(cohort, locked)}
    unknown = set(statuses) - set(rows)
    if unknown:
        raise DomainError(_("The list has changed meanwhile. Please check it and save again."))
    changed = 0
    for enrollment_id, row in rows.items():
        status = statuses.get(enrollment_id, row.status)
        if row.record is None:
            db.session.add(SessionAttendance(session_id=locked.id, enrollment_id=enrollment_id,
                                             status=status, recorded_by=actor))
            changed += 1
        elif row.record.status is not status:
            row.record.changes.append(AttendanceChange(actor=actor, from_status=row.record.status,
                                                       to_status=status))
            row.record.status = status
            changed += 1
    db.session.flush()
    return changed


def list_history(session: Session) -> list[AttendanceChange]:
    """The corrections of ``session``'s list, newest first."""
    return list(db.session.scalars(
        select(AttendanceChange).join(AttendanceChange.attendance)
        .where(SessionAttendance.session_id == session.id)
        .options(joinedload(AttendanceChange.actor),
                 joinedload(AttendanceChange.attendance).joinedload(SessionAttendance.enrollment)
                 .joinedload(Enrollment.user))
        .order_by(AttendanceChange.at.desc(), AttendanceChange.id.desc())))


def recorded_by(rows: Iterable[ListRow]) -> SessionAttendance | None:
    """The first recording of a list (who saved it first, and when), if it was saved."""
    records = [row.record for row in rows if row.record is not None]
    return min(records, key=lambda record: (record.recorded_at, record.id), default=None)


# --- A cohort's matrix, and a person's own attendance --------------------------------------


@dataclass(frozen=True)
class MatrixRow:
    enrollment: Enrollment
    cells: list[Cell]
    rate: AttendanceRate


@dataclass(frozen=True)
class Matrix:
    cohort: Cohort
    sessions: list[Session]
    rows: list[MatrixRow]
    excused_count: bool


def attendance_matrix(cohort: Cohort, now: datetime | None = None) -> Matrix:
    """People x sessions with each person's rate; ended enrollments only if recorded."""
    now = now or utcnow()
    sessions = cohort_sessions(cohort)
    people = _people(cohort)
    recorded = statuses_of(e.id for e in people)
    excused_count = cohort.course.excused_counts_as_attended
    rows = []
    for enrollment in people:
        mine = recorded.get(enrollment.id, {})
        if enrollment.ended_at is not None and not mine:
            continue
        rows.append(MatrixRow(
            enrollment, [cell(session, enrollment, mine.get(session.id), now)
                         for session in sessions],
            rate_of(enrollment, sessions, mine, excused_count=excused_count, now=now)))
    return Matrix(cohort, sessions, rows, excused_count)


def session_heading(session: Session) -> str:
    return f"{berlin_day(session.starts_at):%d.%m.%Y} {session.display_title}"


def attendance_table(matrix: Matrix) -> Table:
    """The matrix as an export: a row per person, a column per session, then the rate."""
    table = Table(_("Session attendance %(cohort)s", cohort=matrix.cohort.name),
                  _("attendance %(cohort)s", cohort=matrix.cohort.name), [
                      Column(_("Name")), Column(_("Role")), Column(_("Municipality")),
                      Column(_("AGS"), Kind.CODE),
                      *[Column(session_heading(session)) for session in matrix.sessions],
                      Column(_("Present"), Kind.INTEGER), Column(_("Excused"), Kind.INTEGER),
                      Column(_("Absent"), Kind.INTEGER),
                      Column(_("Counted sessions"), Kind.INTEGER),
                      Column(_("Not recorded"), Kind.INTEGER),
                      Column(_("Attendance rate (%)"), Kind.DECIMAL)],
                  sheet=_("Session attendance"))
    for row in matrix.rows:
        municipality = row.enrollment.municipality
        rate = row.rate
        table.add(row.enrollment.user.display_name, row.enrollment.kind.label,
                  municipality.name if municipality else None,
                  municipality.ags if municipality else None,
                  *[None if c is Standing.NOT_ENROLLED else c.label for c in row.cells],
                  rate.present, rate.excused, rate.absent, rate.counted, rate.unrecorded,
                  rate.percent)
    return table


@dataclass(frozen=True)
class OwnAttendance:
    enrollment: Enrollment
    #: the sessions of the person's time in the cohort, with what they read
    sessions: list[tuple[Session, Cell]]
    rate: AttendanceRate


def own_attendance(user: User, now: datetime | None = None) -> list[OwnAttendance]:
    """``user``'s attendance in each cohort they are enrolled in now."""
    now = now or utcnow()
    enrollments = db.session.scalars(
        select(Enrollment).where(Enrollment.user_id == user.id, Enrollment.ended_at.is_(None))
        .options(joinedload(Enrollment.cohort).joinedload(Cohort.course))
        .order_by(Enrollment.started_at, Enrollment.id)).all()
    recorded = statuses_of(e.id for e in enrollments)
    found = []
    for enrollment in enrollments:
        sessions = cohort_sessions(enrollment.cohort)
        mine = recorded.get(enrollment.id, {})
        cells = [(session, cell(session, enrollment, mine.get(session.id), now))
                 for session in sessions]
        found.append(OwnAttendance(
            enrollment, [(s, c) for s, c in cells if c is not Standing.NOT_ENROLLED],
            rate_of(enrollment, sessions, mine,
                    excused_count=enrollment.cohort.course.excused_counts_as_attended, now=now)))
    return found
