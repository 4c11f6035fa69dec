"""The audit trail: who changed what, when, from which value to which; and cancelling a
dated item, which every plugin records the same way."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.auth.models import User
from lms.db import UTCDateTime, utcnow
from lms.extensions import db


class AuditEntry(db.Model):
    __tablename__ = "audit_entries"
    __table_args__ = (Index("ix_audit_entries_object", "object_type", "object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: None for changes made by the system or the command line
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    #: a dotted verb such as "user.roles_changed" or "grade.changed"
    action: Mapped[str] = mapped_column(String(80))
    object_type: Mapped[str] = mapped_column(String(60))
    object_id: Mapped[int] = mapped_column()
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    actor: Mapped[User | None] = relationship()


class Cancellable(Protocol):
    """A dated item that is cancelled by marking it (feeds keep it, marked), never dropped."""

    id: int
    cancelled: bool
    #: the iCalendar SEQUENCE: raised on every change subscribers must see
    sequence: int


def set_cancelled(obj: Cancellable, cancelled: bool, *, actor: User | None, kind: str) -> None:
    """Cancel ``obj`` or take that back: mark it, raise its SEQUENCE, record ``kind.cancelled``
    or ``kind.reinstated``. Setting the state it already has changes nothing."""
    if obj.cancelled == cancelled:
        return
    obj.cancelled = cancelled
    obj.sequence += 1
    record(f"{kind}.cancelled" if cancelled else f"{kind}.reinstated", obj, actor=actor)
    db.session.flush()


def record(action: str, obj: db.Model, *, actor: User | None,
           before: dict[str, Any] | None = None, after: dict[str, Any] | None = None) -> AuditEntry:
    """Add an audit entry for ``obj`` (which must have an id, so flush first)."""
    if obj.id is None:
        db.session.flush()
    entry = AuditEntry(action=action, object_type=type(obj).__tablename__, object_id=obj.id,
                       actor=actor, before=before, after=after)
    db.session.add(entry)
    return entry
