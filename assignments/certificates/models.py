"""The certificate rule of a course and the certificates issued under it.

``CertificateRule`` holds what organisers set per course beyond what other plugins keep:
the minimum attendance rate and the implementation step a municipality must have reached.
Which module work must be passed stays where it is set, ``Assignment.counts_for_certificate``;
whether an excused absence counts stays ``Course.excused_counts_as_attended``.

A ``Certificate`` keeps what it certified as it was on the day of issue (the holder's name
as enrolled, the course, the cohort's period, the modules), so later edits of the course or
the person's account never change a certificate already handed out. ``number`` is for
people ("IMS-2017-003"), ``code`` is the unguessable key of the public verification page.
A revoked certificate stays, with who revoked it, when and why; a re-issue is a new
certificate whose ``replaces_id`` names the revoked one.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from assignments.steps.models import StepKind
from cohorts.models import Cohort
from courses.models import Course
from lms.auth.models import User
from lms.db import UTCDateTime, string_enum, utcnow
from lms.extensions import db

#: the rate the demo course and a new rule start with, as the course's requirements state
DEFAULT_MIN_ATTENDANCE = 80


class CertificateRule(db.Model):
    """What a person of a course's cohorts must meet to receive the certificate."""

    __tablename__ = "certificate_rules"
    __table_args__ = (
        CheckConstraint("min_attendance_percent BETWEEN 0 AND 100",
                        name="min_attendance_is_a_percentage"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"),
                                           unique=True)
    min_attendance_percent: Mapped[int] = mapped_column(Integer,
                                                        default=DEFAULT_MIN_ATTENDANCE)
    #: the step the person's municipality must have reached (accepted); None: no step
    #: asked. Mediators, who belong to no municipality, are not asked for it.
    required_step: Mapped[StepKind | None] = mapped_column(
        string_enum(StepKind, "certificate_required_step"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)

    course: Mapped[Course] = relationship()
    updated_by: Mapped[User | None] = relationship()


class Certificate(db.Model):
    """One issued certificate, valid until revoked."""

    __tablename__ = "certificates"
    __table_args__ = (
        CheckConstraint("period_end >= period_start", name="period_in_order"),
        Index("ix_certificates_cohort_user", "cohort_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: for people: on the certificate, in lists and in the audit log
    number: Mapped[str] = mapped_column(String(40), unique=True)
    #: the key of the public verification page; unguessable (``secrets``)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="RESTRICT"))
    #: the holder; kept NULL-able so an account's erasure leaves the certificate verifiable
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"),
                                                index=True)
    # --- what was certified, as it was on the day of issue
    holder_name: Mapped[str] = mapped_column(String(200))
    course_title: Mapped[str] = mapped_column(String(200))
    cohort_name: Mapped[str] = mapped_column(String(120))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    #: the module titles, one per line, in course order
    modules: Mapped[str] = mapped_column(Text, default="")
    issued_on: Mapped[date] = mapped_column(Date)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    # --- revocation
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    revoke_reason: Mapped[str] = mapped_column(Text, default="")
    #: the revoked certificate this one was issued in place of
    replaces_id: Mapped[int | None] = mapped_column(
        ForeignKey("certificates.id", ondelete="SET NULL"), unique=True)
    #: set on rows made by ``lms seed-demo``, which finds them again by it
    demo_key: Mapped[str | None] = mapped_column(String(40), unique=True)

    cohort: Mapped[Cohort] = relationship()
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    issued_by: Mapped[User | None] = relationship(foreign_keys=[issued_by_id])
    revoked_by: Mapped[User | None] = relationship(foreign_keys=[revoked_by_id])
    replaces: Mapped[Certificate | None] = relationship(remote_side=[id])

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def holder_erased(self) -> bool:
        """Whether the holder's data was erased (Art. 17 GDPR): the certificate stays
        valid, its holder shown by no name."""
        return self.user is not None and self.user.erased_at is not None

    @property
    def module_titles(self) -> list[str]:
        return [line for line in self.modules.splitlines() if line.strip()]

    def __repr__(self) -> str:
        return f"<Certificate {self.number}{' revoked' if self.revoked else ''}>"
