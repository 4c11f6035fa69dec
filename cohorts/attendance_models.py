"""Attendance at sessions (Präsenztermine): one row per session and enrolled person, and
every correction of it.

Attendance belongs to the cohort plugin: it joins the course's sessions (``courses``, a
plugin this one requires) with the cohort's enrollments (this plugin), and imports run
``courses`` <- ``cohorts``. A row exists once the list of a session was saved; a list
never saved shows everyone present (``cohorts.attendance``). ``UNIQUE(session_id,
enrollment_id)`` keeps one row per person and session however often a list is sent.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cohorts.models import Enrollment
from courses.models import Session
from lms.auth.models import User
from lms.db import UTCDateTime, string_enum, utcnow
from lms.extensions import db
from lms.i18n import LabelledEnum


class AttendanceStatus(LabelledEnum):
    PRESENT = "present", _l("present")
    EXCUSED = "excused", _l("excused")
    ABSENT = "absent", _l("absent")


class SessionAttendance(db.Model):
    """Whether one enrolled person was at one session, as the list says now."""

    __tablename__ = "cohort_session_attendances"
    __table_args__ = (UniqueConstraint("session_id", "enrollment_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: indexed by the unique constraint
    session_id: Mapped[int] = mapped_column(
        ForeignKey("course_sessions.id", ondelete="CASCADE"))
    enrollment_id: Mapped[int] = mapped_column(
        ForeignKey("cohort_enrollments.id", ondelete="CASCADE"), index=True)
    status: Mapped[AttendanceStatus] = mapped_column(
        string_enum(AttendanceStatus, "session_attendance_status"))
    #: the first save of the list: who recorded it and when
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)

    session: Mapped[Session] = relationship()
    enrollment: Mapped[Enrollment] = relationship()
    recorded_by: Mapped[User | None] = relationship()
    changes: Mapped[list[AttendanceChange]] = relationship(
        back_populates="attendance", order_by="(AttendanceChange.at, AttendanceChange.id)",
        cascade="all, delete-orphan")


class AttendanceChange(db.Model):
    """One correction of a recorded attendance: who, when, from which status to which."""

    __tablename__ = "cohort_attendance_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    attendance_id: Mapped[int] = mapped_column(
        ForeignKey("cohort_session_attendances.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"),
                                                 index=True)
    from_status: Mapped[AttendanceStatus] = mapped_column(
        string_enum(AttendanceStatus, "attendance_from_status"))
    to_status: Mapped[AttendanceStatus] = mapped_column(
        string_enum(AttendanceStatus, "attendance_to_status"))

    attendance: Mapped[SessionAttendance] = relationship(back_populates="changes")
    actor: Mapped[User | None] = relationship()
