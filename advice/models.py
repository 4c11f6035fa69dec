"""The conflict advice office: its pool of mediators and advisers, and the cases
municipalities bring to it.

A case keeps its whole record: who asked, the state with a dated history
(``CaseEvent``), the pool members assigned and their answers, appointments, notes and
documents, and at its end an outcome and the municipality's anonymous feedback. Nothing
of a case is deleted by normal use; past its retention period its personal data goes
and what the statistics count stays (``advice.retention``).
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cohorts.models import Municipality
from lms.auth.models import User
from lms.db import UTCDateTime, string_enum, utcnow
from lms.extensions import db
from lms.i18n import LabelledEnum
from lms.markdown_columns import rendered_from

#: the administrative regions (Regierungsbezirke) of North Rhine-Westphalia
REGIONS = ("Arnsberg", "Detmold", "Düsseldorf", "Köln", "Münster")


class PoolMember(db.Model):
    """A mediator or adviser of the pool, with the profile the suggestions read."""

    __tablename__ = "advice_pool_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"),
                                         unique=True)
    #: e.g. "zertifizierte Mediatorin (BMediationsG)"
    qualifications: Mapped[str] = mapped_column(Text, default="")
    #: language names as typed, e.g. ["Deutsch", "Türkisch"]
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: the administrative regions served, a subset of ``REGIONS``
    regions: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: topics, e.g. ["Nachbarschaft", "Schule"]
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: free text: "dienstags und donnerstags", "ab März"
    availability: Mapped[str] = mapped_column(String(500), default="")
    #: paused members are kept but not assigned
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    #: set on rows made by ``lms seed-demo``, which finds them again by it
    demo_key: Mapped[str | None] = mapped_column(String(40), unique=True)

    user: Mapped[User] = relationship()


class CaseKind(LabelledEnum):
    ADVICE = "advice", _l("Advice")
    MEDIATION = "mediation", _l("Mediation")
    TRAINING = "training", _l("Training")
    MODERATION = "moderation", _l("Moderation")


class Urgency(LabelledEnum):
    LOW = "low", _l("Not urgent")
    NORMAL = "normal", _l("Within a few weeks")
    HIGH = "high", _l("Urgent")


class CaseState(LabelledEnum):
    NEW = "new", _l("new")
    TRIAGE = "triage", _l("in triage")
    ASSIGNED = "assigned", _l("assigned")
    IN_PROGRESS = "in_progress", _l("in progress")
    CONCLUDED = "concluded", _l("concluded")
    DECLINED = "declined", _l("declined")


#: states in which a case still waits for or receives help
OPEN_STATES = frozenset({CaseState.NEW, CaseState.TRIAGE, CaseState.ASSIGNED,
                         CaseState.IN_PROGRESS})


class OutcomeKind(LabelledEnum):
    AGREEMENT = "agreement", _l("agreement reached")
    PARTIAL = "partial", _l("partial agreement")
    NO_AGREEMENT = "no_agreement", _l("no agreement")
    REFERRED = "referred", _l("referred elsewhere")


class AdviceCase(db.Model):
    """A municipality's request for advice or mediation, and the case it becomes."""

    __tablename__ = "advice_cases"
    __table_args__ = (
        CheckConstraint("requester_id IS NOT NULL OR contact_email <> ''",
                        name="someone_to_answer"),
        CheckConstraint("feedback_rating IS NULL OR feedback_rating BETWEEN 1 AND 5",
                        name="rating_in_range"),
        Index("ix_advice_cases_state", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipalities.id", ondelete="RESTRICT"), index=True)
    #: the signed-in person who asked; None for the public form
    requester_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    #: who to answer when the public form was used
    contact_name: Mapped[str] = mapped_column(String(120), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="", index=True)
    kind: Mapped[CaseKind] = mapped_column(string_enum(CaseKind, "advice_case_kind"))
    #: Markdown
    description: Mapped[str] = mapped_column(Text)
    description_html: Mapped[Markup] = rendered_from("description")
    parties: Mapped[str] = mapped_column(Text, default="")
    urgency: Mapped[Urgency] = mapped_column(string_enum(Urgency, "advice_urgency"))
    preferred_dates: Mapped[str] = mapped_column(Text, default="")
    #: the language the talks should be held in, e.g. "Deutsch" or "Arabisch"
    language: Mapped[str] = mapped_column(String(60), default="")
    #: what the conflict is about, in a word or two ("Schule", "Nachbarschaft")
    topic: Mapped[str] = mapped_column(String(120), default="")
    #: when the person asking agreed to the processing (``advice.consents``)
    consent_at: Mapped[datetime] = mapped_column(UTCDateTime)
    state: Mapped[CaseState] = mapped_column(string_enum(CaseState, "advice_case_state"))
    #: why the office declined, shown to the municipality
    decline_reason: Mapped[str] = mapped_column(Text, default="")
    #: the organisers' last question back to the municipality
    question: Mapped[str] = mapped_column(Text, default="")
    outcome_kind: Mapped[OutcomeKind | None] = mapped_column(
        string_enum(OutcomeKind, "advice_outcome_kind"))
    #: Markdown: what came of it, for the record (the statistics count ``outcome_kind``)
    outcome: Mapped[str] = mapped_column(Text, default="")
    outcome_html: Mapped[Markup] = rendered_from("outcome")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: the office's first answer (accepted, declined or asked back)
    first_answer_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    concluded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: the municipality's anonymous feedback: no author is kept
    feedback_rating: Mapped[int | None] = mapped_column(Integer)
    feedback_text: Mapped[str] = mapped_column(Text, default="")
    feedback_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: when its personal data was removed after the retention period (``advice.retention``)
    pseudonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    demo_key: Mapped[str | None] = mapped_column(String(40), unique=True)

    municipality: Mapped[Municipality] = relationship()
    requester: Mapped[User | None] = relationship()
    assignments: Mapped[list[CaseAssignment]] = relationship(
        back_populates="case", order_by="CaseAssignment.id")
    events: Mapped[list[CaseEvent]] = relationship(
        back_populates="case", order_by="(CaseEvent.at, CaseEvent.id)")
    appointments: Mapped[list[Appointment]] = relationship(
        back_populates="case", order_by="(Appointment.starts_at, Appointment.id)")
    notes: Mapped[list[CaseNote]] = relationship(
        back_populates="case", order_by="(CaseNote.created_at, CaseNote.id)")
    documents: Mapped[list[CaseDocument]] = relationship(
        back_populates="case", order_by="(CaseDocument.created_at, CaseDocument.id)")

    @property
    def active_assignments(self) -> list[CaseAssignment]:
        return [a for a in self.assignments if a.status is not AssignmentStatus.DECLINED]

    @property
    def question_open(self) -> bool:
        """Whether the office asked the municipality something it has not answered yet."""
        return self.state is CaseState.TRIAGE and bool(self.question)


class AssignmentStatus(LabelledEnum):
    PROPOSED = "proposed", _l("asked")
    ACCEPTED = "accepted", _l("accepted")
    DECLINED = "declined", _l("declined")


class CaseAssignment(db.Model):
    """A pool member asked to take a case, and their answer."""

    __tablename__ = "advice_assignments"
    __table_args__ = (UniqueConstraint("case_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("advice_cases.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(
        ForeignKey("advice_pool_members.id", ondelete="RESTRICT"), index=True)
    status: Mapped[AssignmentStatus] = mapped_column(
        string_enum(AssignmentStatus, "advice_assignment_status"))
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decline_reason: Mapped[str] = mapped_column(Text, default="")

    case: Mapped[AdviceCase] = relationship(back_populates="assignments")
    member: Mapped[PoolMember] = relationship()


class CaseEvent(db.Model):
    """One step of a case's history: who, when, from which state to which, and why."""

    __tablename__ = "advice_case_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("advice_cases.id", ondelete="CASCADE"),
                                         index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"),
                                                 index=True)
    from_state: Mapped[CaseState | None] = mapped_column(
        string_enum(CaseState, "advice_from_state"))
    to_state: Mapped[CaseState] = mapped_column(string_enum(CaseState, "advice_to_state"))
    #: what happened, e.g. "Rückfrage: ..." or who was assigned
    note: Mapped[str] = mapped_column(Text, default="")

    case: Mapped[AdviceCase] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()


class Appointment(db.Model):
    """A dated meeting of a case; it appears in the calendars of the people involved."""

    __tablename__ = "advice_appointments"
    __table_args__ = (CheckConstraint("ends_at > starts_at", name="times_in_order"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("advice_cases.id", ondelete="CASCADE"),
                                         index=True)
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    location: Mapped[str] = mapped_column(String(200), default="")
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)
    #: the iCalendar SEQUENCE
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    case: Mapped[AdviceCase] = relationship(back_populates="appointments")


class CaseNote(db.Model):
    """A confidential note: the assigned members and the organisers read it, nobody else."""

    __tablename__ = "advice_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("advice_cases.id", ondelete="CASCADE"),
                                         index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"),
                                                  index=True)
    #: Markdown
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[Markup] = rendered_from("body")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case: Mapped[AdviceCase] = relationship(back_populates="notes")
    author: Mapped[User | None] = relationship()


class CaseDocument(db.Model):
    """A stored file of a case; every view and download is written to the audit log."""

    __tablename__ = "advice_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("advice_cases.id", ondelete="CASCADE"),
                                         index=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case: Mapped[AdviceCase] = relationship(back_populates="documents")
