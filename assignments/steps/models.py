"""Implementation steps: procedure templates, each cohort's steps, committees, measures, handbooks.

Every municipality of a cohort walks the same steps: (1) analysis, (2) recommendations,
(3) presentation to committees, (4) implementation of the measures they decide.

- ``TemplateStep`` rows are the editable procedure templates (full and shortened).
- ``CohortStep`` rows are a cohort's copy of its template, taken once: later template
  edits do not rewrite a running cohort. Steps with evidence point to the team
  ``Assignment`` through which the evidence is handed in and reviewed.
- ``Presentation`` records step 3 (a committee meeting and its outcome), ``Measure`` and
  its ``MeasureUpdate`` history step 4. A measure always comes from a decision.
- ``StepSettings`` holds a cohort's choice to share progress among its municipalities
  (kept here, keyed by cohort, so the cohort plugin's tables stay as they are).
- ``Handbook`` and ``HandbookEntry``: the "Handbuch Integration" compiled by organisers.
"""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from assignments.models import Assignment, SubmissionVersion
from cohorts.models import Cohort, Municipality, Procedure
from lms.auth.models import User
from lms.db import UTCDateTime, string_enum, utcnow
from lms.extensions import db
from lms.i18n import LabelledEnum
from lms.markdown_columns import rendered_from


class StepKind(LabelledEnum):
    ANALYSIS = "analysis", _l("Analysis")
    RECOMMENDATIONS = "recommendations", _l("Recommendations")
    PRESENTATION = "presentation", _l("Committee presentation")
    MEASURES = "measures", _l("Measures")

    @property
    def has_evidence(self) -> bool:
        """Evidence steps are handed in and reviewed as team assignments."""
        return self in EVIDENCE_KINDS


EVIDENCE_KINDS = frozenset({StepKind.ANALYSIS, StepKind.RECOMMENDATIONS})


class Outcome(LabelledEnum):
    DECIDED = "decided", _l("decided")
    PARTLY_DECIDED = "partly_decided", _l("partly decided")
    REJECTED = "rejected", _l("rejected")
    POSTPONED = "postponed", _l("postponed")

    @property
    def is_decision(self) -> bool:
        """Whether measures can come from this outcome."""
        return self in {Outcome.DECIDED, Outcome.PARTLY_DECIDED}


class MeasureState(LabelledEnum):
    PLANNED = "planned", _l("planned")
    IN_PROGRESS = "in_progress", _l("in progress")
    IMPLEMENTED = "implemented", _l("implemented")
    DROPPED = "dropped", _l("dropped")


class TemplateStep(db.Model):
    """One step of a procedure template; organisers edit these."""

    __tablename__ = "step_template_steps"
    __table_args__ = (
        UniqueConstraint("procedure", "kind", name="uq_step_template_steps_procedure_kind"),
        CheckConstraint("due_offset_days >= 0", name="offset_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    procedure: Mapped[Procedure] = mapped_column(string_enum(Procedure, "template_procedure"))
    kind: Mapped[StepKind] = mapped_column(string_enum(StepKind, "template_step_kind"))
    #: order within the procedure
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    #: Markdown: what evidence the step asks for
    evidence: Mapped[str] = mapped_column(Text, default="")
    evidence_html: Mapped[Markup] = rendered_from("evidence")
    #: the step is due this many days after the cohort's start
    due_offset_days: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class CohortStep(db.Model):
    """A cohort's copy of one template step, with its due date and evidence assignment."""

    __tablename__ = "step_cohort_steps"
    __table_args__ = (
        UniqueConstraint("cohort_id", "kind", name="uq_step_cohort_steps_cohort_kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"),
                                           index=True)
    kind: Mapped[StepKind] = mapped_column(string_enum(StepKind, "cohort_step_kind"))
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    #: Markdown, copied from the template
    evidence: Mapped[str] = mapped_column(Text, default="")
    due_on: Mapped[date] = mapped_column(Date)
    #: the team assignment evidence steps are handed in through
    assignment_id: Mapped[int | None] = mapped_column(
        ForeignKey("assignments.id", ondelete="RESTRICT"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    cohort: Mapped[Cohort] = relationship()
    assignment: Mapped[Assignment | None] = relationship()


class StepSettings(db.Model):
    """A cohort's settings for its implementation steps."""

    __tablename__ = "step_cohort_settings"

    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"),
                                           primary_key=True)
    #: the municipalities of the cohort see each other's progress (a summary)
    share_progress: Mapped[bool] = mapped_column(Boolean, default=False,
                                                 server_default=false())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class _Record:
    """A record a municipality keeps in a cohort, and who made it."""

    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipalities.id", ondelete="RESTRICT"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)


class Presentation(_Record, db.Model):
    """Step 3: the recommendations before a committee; the outcome stays empty while planned."""

    __tablename__ = "step_presentations"
    __table_args__ = (
        Index("ix_step_presentations_cohort_municipality", "cohort_id", "municipality_id"),
        CheckConstraint("(sha256 IS NULL) = (filename IS NULL)", name="file_complete"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: e.g. "Rat der Stadt", "Integrationsrat", "Ausschuss für Soziales"
    committee: Mapped[str] = mapped_column(String(200))
    meeting_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    #: agenda item or printed paper number, e.g. "TOP 7, DS 17/0421"
    reference: Mapped[str] = mapped_column(String(200), default="")
    outcome: Mapped[Outcome | None] = mapped_column(string_enum(Outcome, "presentation_outcome"))
    #: Markdown: what was decided, in the municipality's words
    notes: Mapped[str] = mapped_column(Text, default="")
    notes_html: Mapped[Markup] = rendered_from("notes")
    #: the minutes or decision as a link ...
    url: Mapped[str] = mapped_column(String(500), default="")
    #: ... or as a stored file
    filename: Mapped[str | None] = mapped_column(String(255))
    content_type: Mapped[str | None] = mapped_column(String(120))
    size: Mapped[int | None] = mapped_column(Integer)
    sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    #: raised whenever the date changes; the iCalendar SEQUENCE of the meeting
    sequence: Mapped[int] = mapped_column(Integer, default=0)

    municipality: Mapped[Municipality] = relationship()
    cohort: Mapped[Cohort] = relationship()
    measures: Mapped[list[Measure]] = relationship(back_populates="presentation",
                                                   order_by="Measure.id")


class Measure(_Record, db.Model):
    """Step 4: one decided measure and how far it has come."""

    __tablename__ = "step_measures"
    __table_args__ = (
        Index("ix_step_measures_cohort_municipality", "cohort_id", "municipality_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    presentation_id: Mapped[int] = mapped_column(
        ForeignKey("step_presentations.id", ondelete="RESTRICT"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    #: Markdown
    description: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[Markup] = rendered_from("description")
    #: e.g. "Kommunales Integrationszentrum"
    responsible_unit: Mapped[str] = mapped_column(String(200), default="")
    due_on: Mapped[date | None] = mapped_column(Date)
    state: Mapped[MeasureState] = mapped_column(string_enum(MeasureState, "measure_state"),
                                                default=MeasureState.PLANNED)

    municipality: Mapped[Municipality] = relationship()
    presentation: Mapped[Presentation] = relationship(back_populates="measures")
    updates: Mapped[list[MeasureUpdate]] = relationship(
        back_populates="measure", order_by="(MeasureUpdate.noted_on, MeasureUpdate.id)")


class MeasureUpdate(db.Model):
    """A dated note on a measure, with the state it moved to (the first one: planned)."""

    __tablename__ = "step_measure_updates"

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("step_measures.id", ondelete="CASCADE"),
                                            index=True)
    #: the day the change happened (Berlin calendar day), as the team reports it
    noted_on: Mapped[date] = mapped_column(Date, index=True)
    from_state: Mapped[MeasureState | None] = mapped_column(
        string_enum(MeasureState, "update_from_state"))
    to_state: Mapped[MeasureState] = mapped_column(string_enum(MeasureState, "update_to_state"))
    note: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"),
                                                  index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    measure: Mapped[Measure] = relationship(back_populates="updates")
    author: Mapped[User | None] = relationship()


handbook_cohorts = Table(
    "step_handbook_cohorts",
    db.metadata,
    Column("handbook_id", ForeignKey("step_handbooks.id", ondelete="CASCADE"), primary_key=True),
    Column("cohort_id", ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True,
           index=True),
)


class Handbook(db.Model):
    """The "Handbuch Integration": an introduction and entries chosen from cohorts' work."""

    __tablename__ = "step_handbooks"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    #: Markdown: the editorial introduction
    introduction: Mapped[str] = mapped_column(Text, default="")
    introduction_html: Mapped[Markup] = rendered_from("introduction")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    #: set on rows made by ``lms seed-demo``, which finds them again by it
    demo_key: Mapped[str | None] = mapped_column(String(40), unique=True)

    cohorts: Mapped[list[Cohort]] = relationship(secondary=handbook_cohorts,
                                                 order_by=Cohort.starts_on)
    entries: Mapped[list[HandbookEntry]] = relationship(
        back_populates="handbook", cascade="all, delete-orphan",
        order_by="(HandbookEntry.topic, HandbookEntry.id)")


class HandbookEntry(db.Model):
    """A chosen accepted recommendations version or decided measure, under a topic."""

    __tablename__ = "step_handbook_entries"
    __table_args__ = (
        CheckConstraint("(version_id IS NULL) <> (measure_id IS NULL)", name="one_source"),
        UniqueConstraint("handbook_id", "version_id", name="uq_step_handbook_entries_version"),
        UniqueConstraint("handbook_id", "measure_id", name="uq_step_handbook_entries_measure"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    handbook_id: Mapped[int] = mapped_column(ForeignKey("step_handbooks.id",
                                                        ondelete="CASCADE"))
    #: e.g. "Beteiligung", "Konfliktberatung"
    topic: Mapped[str] = mapped_column(String(120))
    version_id: Mapped[int | None] = mapped_column(
        ForeignKey("assignment_versions.id", ondelete="RESTRICT"), index=True)
    measure_id: Mapped[int | None] = mapped_column(
        ForeignKey("step_measures.id", ondelete="RESTRICT"), index=True)

    handbook: Mapped[Handbook] = relationship(back_populates="entries")
    version: Mapped[SubmissionVersion | None] = relationship()
    measure: Mapped[Measure | None] = relationship()
