"""Municipalities, cohorts, applications with their history, and enrollments.

A municipality holds a place in a cohort exactly when its application there is accepted;
``UNIQUE(cohort_id, municipality_id)`` on applications therefore also means a
municipality holds at most one place per cohort. The capacity (how many places) is
checked under a lock on the cohort row, see ``cohorts.services.lock_cohort``.

Nothing about people is deleted: a state change of an application adds an
``ApplicationEvent``, replacing a person ends the old ``Enrollment`` and starts a new one.
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
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from courses.models import Course
from lms.auth.models import User
from lms.db import UTCDateTime, string_enum, utcnow
from lms.extensions import db
from lms.i18n import LabelledEnum, collation_key
from lms.markdown_columns import rendered_from

# --- Municipalities --------------------------------------------------------------------


class MunicipalityKind(LabelledEnum):
    KREISFREIE_STADT = "kreisfreie_stadt", _l("District-free city")
    KREIS = "kreis", _l("District")
    KREISANGEHOERIGE_STADT = "kreisangehoerige_stadt", _l("Town within a district")
    GEMEINDE = "gemeinde", _l("Municipality within a district")


class Municipality(db.Model):
    """A district (Kreis), district-free city or other municipality, keyed by its AGS."""

    __tablename__ = "municipalities"
    __table_args__ = (
        CheckConstraint("length(ags) = 8", name="ags_has_eight_digits"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Amtlicher Gemeindeschlüssel, eight digits kept as text (NRW's begin with 05)
    ags: Mapped[str] = mapped_column(String(8), unique=True)
    name: Mapped[str] = mapped_column(String(120), index=True)
    #: the name as German readers sort it (``lms.i18n.collation_key``); set with the name
    sort_name: Mapped[str] = mapped_column(String(240), index=True, default="",
                                           server_default="")
    kind: Mapped[MunicipalityKind] = mapped_column(
        string_enum(MunicipalityKind, "municipality_kind", length=30))
    #: Regierungsbezirk, e.g. "Arnsberg"
    region: Mapped[str] = mapped_column(String(60), default="", index=True)
    #: part of the official list shipped with the plugin (cohorts/data), not added by hand
    reference: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    #: the municipality's contact for the programme, kept up to date by the organisers
    contact_name: Mapped[str] = mapped_column(String(120), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    @validates("name")
    def _keep_sort_name(self, _key: str, name: str) -> str:
        self.sort_name = collation_key(name)[:240]
        return name

    def __repr__(self) -> str:
        return f"<Municipality {self.ags} {self.name!r}>"


# --- Cohorts ---------------------------------------------------------------------------


class Procedure(LabelledEnum):
    FULL = "full", _l("Full procedure")
    SHORTENED = "shortened", _l("Shortened procedure")


class FieldRule(LabelledEnum):
    """Whether the application form asks for an optional part, and whether it must be given."""

    REQUIRED = "required", _l("asked, required")
    OPTIONAL = "optional", _l("asked, optional")
    HIDDEN = "hidden", _l("not asked")


cohort_lecturers = Table(
    "cohort_lecturers",
    db.metadata,
    Column("cohort_id", ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True,
           index=True),
)


class Cohort(db.Model):
    """One intake of the course (Studiengruppe), with its application round."""

    __tablename__ = "cohorts"
    __table_args__ = (
        CheckConstraint("capacity > 0", name="capacity_positive"),
        CheckConstraint("seats_per_municipality BETWEEN 1 AND 10", name="seats_in_range"),
        CheckConstraint("ends_on > starts_on", name="dates_in_order"),
        CheckConstraint("application_closes_on >= application_opens_on",
                        name="window_in_order"),
        # the issue: the shortened procedure never asks for the long motivation
        CheckConstraint("procedure = 'full' OR ask_motivation = 'hidden'",
                        name="shortened_without_motivation"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="RESTRICT"),
                                           index=True)
    name: Mapped[str] = mapped_column(String(120))
    #: how many municipalities take part
    capacity: Mapped[int] = mapped_column(Integer)
    #: how many responsible persons each municipality sends
    seats_per_municipality: Mapped[int] = mapped_column(Integer, default=2)
    procedure: Mapped[Procedure] = mapped_column(string_enum(Procedure, "cohort_procedure"))
    #: the application window, both days included (Berlin calendar days)
    application_opens_on: Mapped[date] = mapped_column(Date)
    application_closes_on: Mapped[date] = mapped_column(Date)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    #: what the application form asks beyond the municipality, contact and nominees
    ask_motivation: Mapped[FieldRule] = mapped_column(string_enum(FieldRule, "motivation_rule"))
    ask_structures: Mapped[FieldRule] = mapped_column(string_enum(FieldRule, "structures_rule"))
    ask_phone: Mapped[FieldRule] = mapped_column(string_enum(FieldRule, "phone_rule"))
    #: raised whenever a date changes; the iCalendar SEQUENCE of the cohort's events
    calendar_sequence: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    #: set on rows made by ``lms seed-demo``, which finds them again by it
    demo_key: Mapped[str | None] = mapped_column(String(40), unique=True)

    course: Mapped[Course] = relationship()
    lecturers: Mapped[list[User]] = relationship(secondary=cohort_lecturers,
                                                 order_by=User.display_name)

    def __repr__(self) -> str:
        return f"<Cohort {self.id} {self.name!r}>"

    def window_open(self, today: date) -> bool:
        return self.application_opens_on <= today <= self.application_closes_on

    @property
    def field_rules(self) -> dict[str, FieldRule]:
        """The form fields a cohort may ask or leave out, by name."""
        return {"motivation": self.ask_motivation, "structures": self.ask_structures,
                "contact_phone": self.ask_phone}


# --- Applications ----------------------------------------------------------------------


class ApplicationStatus(LabelledEnum):
    SUBMITTED = "submitted", _l("submitted")
    SHORTLISTED = "shortlisted", _l("shortlisted")
    ACCEPTED = "accepted", _l("accepted")
    WAITLISTED = "waitlisted", _l("waitlisted")
    REJECTED = "rejected", _l("rejected")
    WITHDRAWN = "withdrawn", _l("withdrawn")

#: still waiting for the organisers' decision
UNDECIDED = frozenset({ApplicationStatus.SUBMITTED, ApplicationStatus.SHORTLISTED})


class Application(db.Model):
    """A municipality's bid for a place in a cohort (Bewerbung)."""

    __tablename__ = "cohort_applications"
    __table_args__ = (
        UniqueConstraint("cohort_id", "municipality_id"),
        Index("ix_cohort_applications_cohort_status", "cohort_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipalities.id", ondelete="RESTRICT"), index=True)
    status: Mapped[ApplicationStatus] = mapped_column(string_enum(ApplicationStatus,
                                                            "application_status"))
    #: when the status last changed; orders the waiting list
    status_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    contact_name: Mapped[str] = mapped_column(String(120))
    contact_email: Mapped[str] = mapped_column(String(254))
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    #: Markdown
    motivation: Mapped[str] = mapped_column(Text, default="")
    motivation_html: Mapped[Markup] = rendered_from("motivation")
    #: Markdown: the municipality's current integration structures
    structures: Mapped[str] = mapped_column(Text, default="")
    structures_html: Mapped[Markup] = rendered_from("structures")
    #: when the applicant agreed to the processing of the data
    consent_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: the language of the form the applicant used; mails about the application use it too
    language: Mapped[str] = mapped_column(String(5), default="de")
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    cohort: Mapped[Cohort] = relationship()
    municipality: Mapped[Municipality] = relationship()
    nominees: Mapped[list[Nominee]] = relationship(
        back_populates="application", order_by="Nominee.position",
        cascade="all, delete-orphan")
    events: Mapped[list[ApplicationEvent]] = relationship(
        back_populates="application", order_by="(ApplicationEvent.at, ApplicationEvent.id)",
        cascade="all, delete-orphan")


class Nominee(db.Model):
    """A person the municipality nominates (name, email, function), as the form gave them."""

    __tablename__ = "cohort_nominees"
    __table_args__ = (UniqueConstraint("application_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("cohort_applications.id", ondelete="CASCADE"))
    #: 1, 2, ... in the order of the form
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254), index=True)
    function: Mapped[str] = mapped_column(String(120), default="")

    application: Mapped[Application] = relationship(back_populates="nominees")


class ApplicationEvent(db.Model):
    """One state change of an application: who, when, from which state to which, why."""

    __tablename__ = "cohort_application_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("cohort_applications.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: None when the applicant (public form) or the system acted
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"),
                                                 index=True)
    #: None for the submission itself
    from_status: Mapped[ApplicationStatus | None] = mapped_column(
        string_enum(ApplicationStatus, "from_status"))
    to_status: Mapped[ApplicationStatus] = mapped_column(
        string_enum(ApplicationStatus, "to_status"))
    reason: Mapped[str] = mapped_column(Text, default="")

    application: Mapped[Application] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()


# --- Enrollments -----------------------------------------------------------------------


class EnrollmentKind(LabelledEnum):
    #: a responsible person of a municipality
    MUNICIPALITY = "municipality", _l("Responsible person")
    #: a mediator from the pool, optionally paired with municipalities of the cohort
    MEDIATOR = "mediator", _l("Mediator")


mediator_pairings = Table(
    "cohort_mediator_pairings",
    db.metadata,
    Column("enrollment_id", ForeignKey("cohort_enrollments.id", ondelete="CASCADE"),
           primary_key=True),
    Column("municipality_id", ForeignKey("municipalities.id", ondelete="CASCADE"),
           primary_key=True, index=True),
)


class Enrollment(db.Model):
    """A person in a cohort (Teilnahme), from ``started_at`` until ``ended_at``.

    A person is in a cohort at most once at a time (partial unique index); ended
    enrollments stay as the cohort's history.
    """

    __tablename__ = "cohort_enrollments"
    __table_args__ = (
        CheckConstraint("kind = 'mediator' OR municipality_id IS NOT NULL",
                        name="municipality_person_has_municipality"),
        CheckConstraint("kind = 'municipality' OR municipality_id IS NULL",
                        name="mediator_pairs_separately"),
        Index("uq_cohort_enrollments_current_person", "cohort_id", "user_id", unique=True,
              sqlite_where=text("ended_at IS NULL"), postgresql_where=text("ended_at IS NULL")),
        Index("ix_cohort_enrollments_cohort_municipality", "cohort_id", "municipality_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"),
                                         index=True)
    kind: Mapped[EnrollmentKind] = mapped_column(string_enum(EnrollmentKind, "enrollment_kind"))
    #: for responsible persons: the municipality they are enrolled for
    municipality_id: Mapped[int | None] = mapped_column(
        ForeignKey("municipalities.id", ondelete="RESTRICT"), index=True)
    #: their function, e.g. "Leitung Kommunales Integrationszentrum"
    function: Mapped[str] = mapped_column(String(120), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    #: the person agreed that the others of the cohort see their email and phone
    share_contact: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_reason: Mapped[str] = mapped_column(String(500), default="")
    #: the enrollment that took this one's place, when a person was replaced
    replaced_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("cohort_enrollments.id", ondelete="SET NULL"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"),
                                                      index=True)
    ended_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"),
                                                    index=True)

    cohort: Mapped[Cohort] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    municipality: Mapped[Municipality | None] = relationship()
    paired_municipalities: Mapped[list[Municipality]] = relationship(
        secondary=mediator_pairings, order_by=Municipality.sort_name)
    replaced_by: Mapped[Enrollment | None] = relationship(remote_side=[id])

    @property
    def current(self) -> bool:
        return self.ended_at is None
