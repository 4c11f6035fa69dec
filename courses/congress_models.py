"""Congresses (Kongresse), their agenda items with speakers, and attendance.

Nothing here is deleted by normal use: a cancelled congress or agenda item stays, marked
``cancelled``, so the programme and calendar subscribers show it as cancelled. Each
change of what a calendar shows raises ``sequence`` (the iCalendar SEQUENCE).

The capacity of a congress is counted under a lock on the congress row, see
``courses.congresses.lock_congress``.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from courses.models import Course
from lms.auth.models import User
from lms.db import UTCDateTime, string_enum, utcnow
from lms.extensions import db
from lms.i18n import LabelledEnum
from lms.markdown_columns import rendered_from

_DATES_IN_ORDER = "ends_at > starts_at"


class Congress(db.Model):
    """A programme congress with its venue and agenda."""

    __tablename__ = "congresses"
    __table_args__ = (
        CheckConstraint(_DATES_IN_ORDER, name="dates_in_order"),
        CheckConstraint("capacity IS NULL OR capacity >= 0", name="capacity_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(
        ForeignKey("courses.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    subtitle: Mapped[str] = mapped_column(String(300), default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: e.g. "Westfalenhallen Dortmund"
    venue: Mapped[str] = mapped_column(String(200), default="")
    #: street, postcode and town, one line each
    address: Mapped[str] = mapped_column(Text, default="")
    #: Markdown
    description: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[Markup] = rendered_from("description")
    #: public congresses are shown to everybody, internal ones to people of the course only
    public: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    #: how many people may register; NULL means no limit, further people are waitlisted
    capacity: Mapped[int | None] = mapped_column(Integer)
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    #: how often the congress's date, place or state changed; the iCalendar SEQUENCE
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    #: set on rows made by ``lms seed-demo``, which finds them again by it
    demo_key: Mapped[str | None] = mapped_column(String(40), unique=True)

    course: Mapped[Course] = relationship()
    items: Mapped[list[AgendaItem]] = relationship(
        back_populates="congress",
        order_by="(AgendaItem.starts_at, AgendaItem.position, AgendaItem.id)",
        cascade="all, delete-orphan",
    )
    attendances: Mapped[list[Attendance]] = relationship(
        back_populates="congress", cascade="all, delete-orphan",
    )

    def __repr__(self) -> str:
        return f"<Congress {self.id} {self.title!r}>"


class AgendaKind(LabelledEnum):
    OPENING = "opening", _l("Opening")
    TALK = "talk", _l("Talk")
    PANEL = "panel", _l("Panel discussion")
    PRACTICE_REPORT = "practice_report", _l("Practice report")
    BREAK = "break", _l("Break")


class AgendaItem(db.Model):
    """One point of a congress's programme, within the congress's days."""

    __tablename__ = "congress_agenda_items"
    __table_args__ = (
        CheckConstraint(_DATES_IN_ORDER, name="dates_in_order"),
        Index("ix_congress_agenda_items_congress_start", "congress_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: indexed by ix_congress_agenda_items_congress_start
    congress_id: Mapped[int] = mapped_column(ForeignKey("congresses.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: orders items that start at the same time (parallel rooms)
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[AgendaKind] = mapped_column(string_enum(AgendaKind, "agenda_kind"))
    room: Mapped[str] = mapped_column(String(120), default="")
    #: Markdown
    description: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[Markup] = rendered_from("description")
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    #: how often the item changed; the iCalendar SEQUENCE
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    congress: Mapped[Congress] = relationship(back_populates="items")
    #: loaded with the items (programme pages and feeds show every item's speakers)
    speakers: Mapped[list[Speaker]] = relationship(
        back_populates="item", order_by="Speaker.position", cascade="all, delete-orphan",
        lazy="selectin",
    )


class Speaker(db.Model):
    """A person speaking in an agenda item, as the programme names them."""

    __tablename__ = "congress_speakers"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(
        ForeignKey("congress_agenda_items.id", ondelete="CASCADE"), index=True
    )
    #: 0, 1, 2, ... in the order the programme lists them
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(120))
    #: e.g. "Leitung der Integrationsabteilung"
    role: Mapped[str] = mapped_column(String(200), default="")
    organisation: Mapped[str] = mapped_column(String(200), default="")

    item: Mapped[AgendaItem] = relationship(back_populates="speakers")


class AttendanceStatus(LabelledEnum):
    REGISTERED = "registered", _l("Registered")
    WAITLISTED = "waitlisted", _l("On the waiting list")
    CANCELLED = "cancelled", _l("Cancelled")


class Attendance(db.Model):
    """A person's registration for a congress; one row per person and congress.

    Cancelling keeps the row; registering again reuses it with a new ``registered_at``,
    which also orders the waiting list (first come, first served).
    """

    __tablename__ = "congress_attendances"
    __table_args__ = (
        UniqueConstraint("congress_id", "user_id"),
        Index("ix_congress_attendances_congress_status", "congress_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: indexed by the unique constraint and ix_congress_attendances_congress_status
    congress_id: Mapped[int] = mapped_column(ForeignKey("congresses.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[AttendanceStatus] = mapped_column(
        string_enum(AttendanceStatus, "attendance_status"))
    #: when the current registration was made
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    congress: Mapped[Congress] = relationship(back_populates="attendances")
    user: Mapped[User] = relationship()
