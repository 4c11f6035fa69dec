"""The course, its modules with their revisions, sessions (Präsenztermine) and materials.

All times are aware datetimes stored in UTC (``UTCDateTime``) and shown in Europe/Berlin.
"""

from __future__ import annotations

import enum
from datetime import datetime

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

from lms.auth.models import User
from lms.db import UTCDateTime, string_enum, utcnow
from lms.extensions import db
from lms.markdown_columns import rendered_from

_DATES_IN_ORDER = "ends_at > starts_at"


class Course(db.Model):
    """The certificate programme, "Integrationsmanagement und Systemdesign"."""

    __tablename__ = "courses"
    __table_args__ = (CheckConstraint(_DATES_IN_ORDER, name="dates_in_order"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    #: Markdown
    description: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[Markup] = rendered_from("description")
    #: Markdown: what a participant must do to receive the certificate
    certificate_requirements: Mapped[str] = mapped_column(Text, default="")
    certificate_requirements_html: Mapped[Markup] = rendered_from("certificate_requirements")
    #: the attendance rule: whether an excused absence counts as attended
    #: (``cohorts.attendance``); set by organisers
    excused_counts_as_attended: Mapped[bool] = mapped_column(Boolean, default=False,
                                                             server_default=false())
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    #: set on rows made by ``lms seed-demo``, which finds them again by it
    demo_key: Mapped[str | None] = mapped_column(String(40), unique=True)

    modules: Mapped[list[Module]] = relationship(
        back_populates="course", order_by="(Module.position, Module.id)",
        cascade="all, delete-orphan",
    )

    def __repr__(self) -> str:
        return f"<Course {self.id} {self.title!r}>"


class Module(db.Model):
    """A unit of the course with Markdown content.

    ``revision`` is the number of the newest ``ModuleRevision``. It is also the row's
    version for optimistic locking: an UPDATE only succeeds while the row still has the
    number it had when it was read, so two people saving at once cannot overwrite each
    other silently.
    """

    __tablename__ = "course_modules"
    __table_args__ = (
        CheckConstraint(_DATES_IN_ORDER, name="dates_in_order"),
        Index("ix_course_modules_course_position", "course_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    #: 1, 2, 3, ... within the course, without gaps
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    #: a few sentences of plain text for lists and the dashboard
    summary: Mapped[str] = mapped_column(Text, default="")
    #: Markdown: the learning objectives
    objectives: Mapped[str] = mapped_column(Text, default="")
    objectives_html: Mapped[Markup] = rendered_from("objectives")
    #: Markdown: the module text
    content: Mapped[str] = mapped_column(Text, default="")
    content_html: Mapped[Markup] = rendered_from("content")
    #: drafts are seen by lecturers and organisers only
    published: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    course: Mapped[Course] = relationship(back_populates="modules")
    revisions: Mapped[list[ModuleRevision]] = relationship(
        back_populates="module", order_by="ModuleRevision.number.desc()",
        cascade="all, delete-orphan",
    )
    sessions: Mapped[list[Session]] = relationship(
        back_populates="module", order_by="(Session.starts_at, Session.id)",
        cascade="all, delete-orphan",
    )
    materials: Mapped[list[Material]] = relationship(
        back_populates="module", order_by="(Material.created_at, Material.id)",
        cascade="all, delete-orphan",
    )

    __mapper_args__ = {"version_id_col": revision, "version_id_generator": False}

    def __repr__(self) -> str:
        return f"<Module {self.id} {self.title!r}>"


class ModuleRevision(db.Model):
    """The content of a module as one save left it; never changed afterwards."""

    __tablename__ = "course_module_revisions"
    __table_args__ = (UniqueConstraint("module_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(
        ForeignKey("course_modules.id", ondelete="CASCADE"), index=True
    )
    #: 1 for the first save, counting up per module
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    objectives: Mapped[str] = mapped_column(Text, default="")
    objectives_html: Mapped[Markup] = rendered_from("objectives")
    content: Mapped[str] = mapped_column(Text, default="")
    content_html: Mapped[Markup] = rendered_from("content")
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: the number of the revision this one brought back, if it was a restore
    restored_from: Mapped[int | None] = mapped_column(Integer)

    module: Mapped[Module] = relationship(back_populates="revisions")
    author: Mapped[User | None] = relationship()


class Session(db.Model):
    """A dated meeting of a module (Präsenztermin), for one cohort or for all.

    Cancelled sessions are kept and marked, so calendar subscribers learn about it.
    """

    __tablename__ = "course_sessions"
    __table_args__ = (CheckConstraint(_DATES_IN_ORDER, name="dates_in_order"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(
        ForeignKey("course_modules.id", ondelete="CASCADE"), index=True
    )
    cohort_id: Mapped[int | None] = mapped_column(
        Integer, index=True,
        comment="cohort (cohorts plugin) that meets here; NULL means all cohorts. No foreign "
                "key: cohorts are a later plugin that courses must not depend on",
    )
    #: optional, e.g. "Präsenztag 1"; the module title names the session otherwise
    title: Mapped[str] = mapped_column(String(200), default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: place and address
    location: Mapped[str] = mapped_column(String(300), default="")
    online_url: Mapped[str] = mapped_column(String(500), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    notes_html: Mapped[Markup] = rendered_from("notes")
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    #: how often the session changed; the iCalendar SEQUENCE
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    #: set on rows made by ``lms seed-demo``, e.g. "m3-2018", so the cohorts plugin can
    #: point the demo sessions at its demo cohorts
    demo_key: Mapped[str | None] = mapped_column(String(40), unique=True)

    module: Mapped[Module] = relationship(back_populates="sessions")

    @property
    def display_title(self) -> str:
        return f"{self.module.title} \u2013 {self.title}" if self.title else self.module.title


class MaterialKind(enum.StrEnum):
    FILE = "file"
    LINK = "link"


class Material(db.Model):
    """An uploaded file (kept in the host's storage by its sha256) or a link."""

    __tablename__ = "course_materials"
    __table_args__ = (
        CheckConstraint(
            "(kind = 'file' AND sha256 IS NOT NULL AND filename IS NOT NULL"
            " AND content_type IS NOT NULL AND size IS NOT NULL)"
            " OR (kind = 'link' AND url IS NOT NULL)",
            name="file_or_link",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(
        ForeignKey("course_modules.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[MaterialKind] = mapped_column(
        string_enum(MaterialKind, "material_kind", length=10)
    )
    title: Mapped[str] = mapped_column(String(200))
    #: links only: an http or https address
    url: Mapped[str | None] = mapped_column(String(500))
    #: files only: where the storage keeps the bytes
    sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    #: files only: the name it was uploaded with, offered again on download
    filename: Mapped[str | None] = mapped_column(String(255))
    #: files only: the type we serve it as, chosen by us from the allow-list
    content_type: Mapped[str | None] = mapped_column(String(120))
    size: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )

    module: Mapped[Module] = relationship(back_populates="materials")
    created_by: Mapped[User | None] = relationship()
