"""Assignments, their schedules per cohort, extensions, submissions in versions, reviews.

An ``Assignment`` belongs to a module; a ``AssignmentSchedule`` gives it dates in one
cohort. A ``Submission`` is the answer of one owner for one schedule: a person
(individual kind) or a municipality (team kind, shared by its enrolled people). What the
owner hands in becomes an immutable ``SubmissionVersion`` with its ``VersionFile`` rows;
the draft (text and ``DraftFile`` rows) is the only part that changes freely.

A lecturer's ``Review`` of a version is hidden from the owner until it is released; a
grade changed after its release stays hidden until released again, while the owners
keep seeing the one released before (``Review.shown_*``). Every change of a grade adds a
``GradeChange``. ``Notification`` rows are the in-app messages (feedback released, work
returned, deadline near).

Nothing submitted is deleted by normal use: foreign keys from versions and reviews are
``RESTRICT``, so removing an assignment that has work fails instead of taking it along.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    select,
    text,
)
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship

from assignments.deadlines import Owner, is_late, owner_deadlines
from cohorts.models import Cohort, Enrollment, Municipality
from courses.models import Module
from lms.auth.models import User
from lms.db import UTCDateTime, string_enum, utcnow
from lms.extensions import db
from lms.i18n import LabelledEnum
from lms.markdown_columns import rendered_from
from lms.uploads import UploadRules

#: SQLite has no decimals; points come back as floats with two places kept by the column
_POINTS = Numeric(6, 2, asdecimal=False)


class AssignmentKind(LabelledEnum):
    #: each person hands in their own work
    INDIVIDUAL = "individual", _l("Individual work")
    #: a municipality's enrolled people share one submission
    TEAM = "team", _l("Municipality team")


class GradingScheme(LabelledEnum):
    POINTS = "points", _l("Points")
    PASS_FAIL = "pass_fail", _l("Passed / not passed")
    FEEDBACK_ONLY = "feedback_only", _l("Feedback only")


class SubmissionState(LabelledEnum):
    DRAFT = "draft", _l("draft")
    SUBMITTED = "submitted", _l("submitted")
    IN_REVIEW = "in_review", _l("in review")
    RETURNED = "returned", _l("returned for revision")
    GRADED = "graded", _l("graded")


#: handed in and waiting for a lecturer's grade
WAITING_STATES = frozenset({SubmissionState.SUBMITTED, SubmissionState.IN_REVIEW})
#: a new version may be handed in (not while a lecturer reviews it, nor once graded)
OPEN_STATES = frozenset({SubmissionState.DRAFT, SubmissionState.SUBMITTED,
                         SubmissionState.RETURNED})


class ReviewOutcome(enum.StrEnum):
    GRADED = "graded"
    RETURNED = "returned"


_ONE_OWNER = "(user_id IS NULL) <> (municipality_id IS NULL)"


# --- Assignments and their dates ---------------------------------------------------------


class Assignment(db.Model):
    """Module work (Aufgabe): what is asked, how it is graded, what may be handed in."""

    __tablename__ = "assignments"
    __table_args__ = (
        CheckConstraint("grading <> 'points' OR max_points > 0", name="points_need_maximum"),
        CheckConstraint("max_files >= 0 AND max_file_mb > 0", name="file_limits_valid"),
        CheckConstraint("text_allowed OR NOT text_required", name="required_text_allowed"),
        CheckConstraint("text_allowed OR max_files > 0", name="something_to_hand_in"),
        Index("ix_assignments_module_position", "module_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("course_modules.id", ondelete="RESTRICT"))
    #: order within the module
    position: Mapped[int] = mapped_column(Integer, default=1)
    title: Mapped[str] = mapped_column(String(200))
    #: Markdown
    instructions: Mapped[str] = mapped_column(Text, default="")
    instructions_html: Mapped[Markup] = rendered_from("instructions")
    kind: Mapped[AssignmentKind] = mapped_column(string_enum(AssignmentKind, "assignment_kind"))
    grading: Mapped[GradingScheme] = mapped_column(string_enum(GradingScheme, "grading_scheme"))
    #: the most points a review can give (points scheme only)
    max_points: Mapped[int | None] = mapped_column(Integer)
    counts_for_certificate: Mapped[bool] = mapped_column(Boolean, default=True)
    #: allowed file extensions without dots, comma-separated, e.g. "pdf,docx"
    allowed_extensions: Mapped[str] = mapped_column(String(200), default="pdf")
    #: how many files one version may have; 0 means text only
    max_files: Mapped[int] = mapped_column(Integer, default=3)
    max_file_mb: Mapped[int] = mapped_column(Integer, default=10)
    #: whether an answer text is asked for, and whether it must be given
    text_allowed: Mapped[bool] = mapped_column(Boolean, default=True)
    text_required: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    #: set on rows made by ``lms seed-demo``, which finds them again by it
    demo_key: Mapped[str | None] = mapped_column(String(40), unique=True)

    module: Mapped[Module] = relationship()
    schedules: Mapped[list[AssignmentSchedule]] = relationship(
        back_populates="assignment", order_by="AssignmentSchedule.opens_at")

    @property
    def extensions(self) -> list[str]:
        return [ext for ext in self.allowed_extensions.split(",") if ext]

    @property
    def work_rules(self) -> UploadRules:
        """What may be handed in: this assignment's types, each up to its size limit."""
        return UploadRules(self.max_file_mb, self.extensions, field="files")

    @property
    def feedback_rules(self) -> UploadRules:
        """What a lecturer may attach as feedback: any checked type, the same size limit."""
        return UploadRules(self.max_file_mb, field="files")


class AssignmentSchedule(db.Model):
    """When an assignment opens, is due and closes in one cohort.

    After ``due_at`` work is accepted but marked late; after ``cut_off_at`` it is refused.
    """

    __tablename__ = "assignment_schedules"
    __table_args__ = (
        UniqueConstraint("assignment_id", "cohort_id"),
        CheckConstraint("due_at > opens_at", name="due_after_opening"),
        CheckConstraint("cut_off_at >= due_at", name="cut_off_not_before_due"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("assignments.id", ondelete="RESTRICT"))
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="RESTRICT"),
                                           index=True)
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    cut_off_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: raised whenever a date changes; the iCalendar SEQUENCE of the deadline
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    assignment: Mapped[Assignment] = relationship(back_populates="schedules")
    cohort: Mapped[Cohort] = relationship()
    extensions: Mapped[list[Extension]] = relationship(
        back_populates="schedule", order_by="Extension.granted_at")


class Extension(db.Model):
    """Later dates for one person or one municipality. Revoked ones stay as history."""

    __tablename__ = "assignment_extensions"
    __table_args__ = (
        CheckConstraint(_ONE_OWNER, name="one_owner"),
        CheckConstraint("cut_off_at >= due_at", name="cut_off_not_before_due"),
        Index("uq_assignment_extensions_current_user", "schedule_id", "user_id", unique=True,
              sqlite_where=text("revoked_at IS NULL AND user_id IS NOT NULL"),
              postgresql_where=text("revoked_at IS NULL AND user_id IS NOT NULL")),
        Index("uq_assignment_extensions_current_municipality", "schedule_id",
              "municipality_id", unique=True,
              sqlite_where=text("revoked_at IS NULL AND municipality_id IS NOT NULL"),
              postgresql_where=text("revoked_at IS NULL AND municipality_id IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    schedule_id: Mapped[int] = mapped_column(
        ForeignKey("assignment_schedules.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                                index=True)
    municipality_id: Mapped[int | None] = mapped_column(
        ForeignKey("municipalities.id", ondelete="CASCADE"), index=True)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    cut_off_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reason: Mapped[str] = mapped_column(Text)
    granted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)

    schedule: Mapped[AssignmentSchedule] = relationship(back_populates="extensions")
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    municipality: Mapped[Municipality | None] = relationship()
    granted_by: Mapped[User | None] = relationship(foreign_keys=[granted_by_id])


# --- Submissions and versions ------------------------------------------------------------


class Submission(db.Model):
    """One owner's answer to one schedule: its draft, its state and its versions.

    The owner is a person for individual work, a municipality for team work (exactly
    one of the two). Submitting takes a row lock on this row, so version numbers of one
    submission are handed out one at a time.
    """

    __tablename__ = "assignment_submissions"
    __table_args__ = (
        CheckConstraint(_ONE_OWNER, name="one_owner"),
        UniqueConstraint("schedule_id", "user_id", name="uq_assignment_submissions_schedule_user"),
        UniqueConstraint("schedule_id", "municipality_id",
                         name="uq_assignment_submissions_schedule_municipality"),
        Index("ix_assignment_submissions_schedule_state", "schedule_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    schedule_id: Mapped[int] = mapped_column(
        ForeignKey("assignment_schedules.id", ondelete="RESTRICT"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"),
                                                index=True)
    municipality_id: Mapped[int | None] = mapped_column(
        ForeignKey("municipalities.id", ondelete="RESTRICT"), index=True)
    state: Mapped[SubmissionState] = mapped_column(
        string_enum(SubmissionState, "submission_state"), default=SubmissionState.DRAFT)
    #: Markdown answer being written; copied into a version on submit
    draft_text: Mapped[str] = mapped_column(Text, default="")
    draft_saved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    draft_saved_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    #: the number of the newest version, 0 before the first; also the double-submit guard
    version_count: Mapped[int] = mapped_column(Integer, default=0)
    #: the newest version, so that lists join it by key rather than by ``version_count``
    latest_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("assignment_versions.id", ondelete="SET NULL", use_alter=True))
    #: when the newest review was released to the owner (None: hidden)
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    schedule: Mapped[AssignmentSchedule] = relationship()
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    municipality: Mapped[Municipality | None] = relationship()
    versions: Mapped[list[SubmissionVersion]] = relationship(
        back_populates="submission", order_by="SubmissionVersion.number",
        foreign_keys="SubmissionVersion.submission_id")
    #: set after the version's row exists (the two rows refer to each other)
    newest_version: Mapped[SubmissionVersion | None] = relationship(
        foreign_keys=[latest_version_id], post_update=True)
    draft_files: Mapped[list[DraftFile]] = relationship(
        back_populates="submission", order_by="DraftFile.id", cascade="all, delete-orphan")

    @property
    def latest_version(self) -> SubmissionVersion | None:
        return self.versions[-1] if self.versions else None

    @property
    def owner(self) -> Owner:
        """Whose dates apply: the team's municipality, or the person with theirs."""
        return Owner.of(self.user_id, self.municipality_id if self.user_id is None
                        else self.person_municipality_id, team=self.user_id is None)


#: for a person's own work, the municipality they are enrolled for in the cohort now (its
#: extensions cover them); loaded with the row, so lists ask the deadline rule for free
Submission.person_municipality_id = column_property(
    select(Enrollment.municipality_id)
    .join(AssignmentSchedule, AssignmentSchedule.cohort_id == Enrollment.cohort_id)
    .where(AssignmentSchedule.id == Submission.schedule_id,
           Enrollment.user_id == Submission.user_id, Enrollment.ended_at.is_(None))
    .order_by(Enrollment.id).limit(1).correlate_except(Enrollment, AssignmentSchedule)
    .scalar_subquery())


class _FileColumns:
    """A file kept in the host's storage by its sha256, with the name it came with."""

    filename: Mapped[str] = mapped_column(String(255))
    #: the type we serve it as, chosen by us from the allow-list
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)


class DraftFile(_FileColumns, db.Model):
    """A file attached to a draft; it can be removed until it is submitted."""

    __tablename__ = "assignment_draft_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("assignment_submissions.id", ondelete="CASCADE"), index=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    submission: Mapped[Submission] = relationship(back_populates="draft_files")


class SubmissionVersion(db.Model):
    """What was handed in at one moment. Never changed or deleted afterwards."""

    __tablename__ = "assignment_versions"
    __table_args__ = (
        UniqueConstraint("submission_id", "number"),
        UniqueConstraint("submission_id", "submit_token",
                         name="uq_assignment_versions_submission_token"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("assignment_submissions.id", ondelete="RESTRICT"))
    #: 1, 2, ... per submission
    number: Mapped[int] = mapped_column(Integer)
    #: Markdown
    text: Mapped[str] = mapped_column(Text, default="")
    text_html: Mapped[Markup] = rendered_from("text")
    submitted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    #: the random token of the form that sent it: a second click of the same form finds
    #: this version instead of adding another (two people's forms have different tokens)
    submit_token: Mapped[str | None] = mapped_column(String(32))

    submission: Mapped[Submission] = relationship(back_populates="versions",
                                                  foreign_keys=[submission_id])
    submitted_by: Mapped[User | None] = relationship()
    files: Mapped[list[VersionFile]] = relationship(
        back_populates="version", order_by="VersionFile.position")
    review: Mapped[Review | None] = relationship(back_populates="version")

    @property
    def late(self) -> bool:
        """Handed in after its owner's due date as it stands now (the one deadline rule)."""
        return is_late(owner_deadlines(self.submission), self.submitted_at)


class VersionFile(_FileColumns, db.Model):
    __tablename__ = "assignment_version_files"
    __table_args__ = (UniqueConstraint("version_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("assignment_versions.id", ondelete="RESTRICT"))
    #: 1, 2, ... in the order they were attached
    position: Mapped[int] = mapped_column(Integer)

    version: Mapped[SubmissionVersion] = relationship(back_populates="files")


# --- Reviews, grade history, notifications -------------------------------------------------


class Review(db.Model):
    """A lecturer's grade and feedback on one version; hidden until ``released_at``."""

    __tablename__ = "assignment_reviews"
    __table_args__ = (UniqueConstraint("version_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("assignment_versions.id", ondelete="RESTRICT"))
    reviewer_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    #: points scheme: the points given
    points: Mapped[float | None] = mapped_column(_POINTS)
    #: pass/fail scheme: bestanden or nicht bestanden
    passed: Mapped[bool | None] = mapped_column(Boolean)
    #: Markdown
    feedback: Mapped[str] = mapped_column(Text, default="")
    feedback_html: Mapped[Markup] = rendered_from("feedback")
    outcome: Mapped[ReviewOutcome] = mapped_column(string_enum(ReviewOutcome, "review_outcome"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    #: when the grade above was released (None: it is hidden, new or changed since)
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # What the owners see: the grade and feedback as last released. A grade changed after
    # its release waits in the columns above until it is released again.
    #: when it was released (None: nothing released yet)
    shown_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    shown_outcome: Mapped[ReviewOutcome | None] = mapped_column(
        string_enum(ReviewOutcome, "review_shown_outcome"))
    shown_points: Mapped[float | None] = mapped_column(_POINTS)
    shown_passed: Mapped[bool | None] = mapped_column(Boolean)
    shown_feedback: Mapped[str | None] = mapped_column(Text)
    shown_feedback_html: Mapped[Markup] = rendered_from("shown_feedback")

    version: Mapped[SubmissionVersion] = relationship(back_populates="review")
    reviewer: Mapped[User | None] = relationship()
    files: Mapped[list[ReviewFile]] = relationship(
        back_populates="review", order_by="ReviewFile.id")


class ReviewFile(_FileColumns, db.Model):
    """A feedback file (an annotated copy, say) attached to a review."""

    __tablename__ = "assignment_review_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(
        ForeignKey("assignment_reviews.id", ondelete="RESTRICT"), index=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: when the owners got to see it, with the grade's release (None: not yet)
    shown_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    review: Mapped[Review] = relationship(back_populates="files")


class GradeChange(db.Model):
    """One change of a grade or of what the owner sees: who, when, before, after."""

    __tablename__ = "assignment_grade_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("assignment_submissions.id", ondelete="RESTRICT"), index=True)
    review_id: Mapped[int | None] = mapped_column(
        ForeignKey("assignment_reviews.id", ondelete="RESTRICT"), index=True)
    changed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: a verb such as "graded", "returned", "released"
    action: Mapped[str] = mapped_column(String(40))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    changed_by: Mapped[User | None] = relationship()


class Notification(db.Model):
    """An in-app message to one person; the text is built from ``kind`` and ``params``."""

    __tablename__ = "assignment_notifications"
    __table_args__ = (
        UniqueConstraint("user_id", "key", name="uq_assignment_notifications_user_key"),
        Index("ix_assignment_notifications_user_read", "user_id", "read_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    #: "feedback_released", "returned", "deadline_near", ...
    kind: Mapped[str] = mapped_column(String(40))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: a path within the site
    link: Mapped[str] = mapped_column(String(500), default="")
    #: makes a notification unique per person, e.g. "deadline-17" (None: no such guard)
    key: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()
