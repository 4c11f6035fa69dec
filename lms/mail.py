"""Outgoing mail: written to the outbox in the request's transaction, sent after it commits.

Invitation and reset links must never be lost, so every message is stored first; an
organiser can read the outbox and pass a link on when no mail server is configured or
delivery failed. ``send_mail`` does no SMTP work: once the transaction commits, the job
runner (``lms.jobs``) calls ``deliver_message``, which claims the row, talks to the server
outside any transaction and records the outcome. A failed attempt is retried with
exponential backoff until ``MAIL_MAX_ATTEMPTS``; an organiser can start another attempt.

Claiming is one conditional UPDATE (due, not sent, not claimed by another worker), so of
two workers that pick up the same message only one sends it, on SQLite and PostgreSQL
alike. A worker that dies between sending and recording leaves its claim to expire, and
the message is tried again: the one case in which a message can go out twice.
"""

from __future__ import annotations

import enum
import smtplib
from collections.abc import Callable
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import ForeignKey, Index, Select, String, Text, event, or_, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapped, Mapper, mapped_column, object_session

from lms import jobs
from lms.auth.models import User
from lms.db import UTCDateTime, utcnow
from lms.errors import DomainError
from lms.extensions import db
from lms.i18n import DEFAULT_LANGUAGE
from lms.links import site_url

#: seconds SMTP may take per operation
SMTP_TIMEOUT = 10
#: how long a claimed message is left to its worker before another may try it again
CLAIM = timedelta(minutes=5)
#: the longest wait between two attempts
MAX_RETRY_DELAY = timedelta(hours=6)


class Delivery(enum.Enum):
    """Where a message stands, derived from its columns."""

    SENT = "sent"
    #: due for its first attempt, or being sent
    QUEUED = "queued"
    #: an attempt failed; another one is due at ``next_attempt_at``
    RETRYING = "retrying"
    #: the last attempt failed and no further one is planned
    FAILED = "failed"
    #: no mail server was configured: the message is only kept here
    KEPT = "kept"


class OutboxMessage(db.Model):
    __tablename__ = "outbox_messages"
    # "sent_at IS NULL" (the unsent count, the due messages) is answered from this index
    __table_args__ = (Index("ix_outbox_messages_pending", "sent_at", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    recipient: Mapped[str] = mapped_column(String(254), index=True)
    #: the account the message is about, if any
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    #: set when the SMTP server accepted the message
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: the SMTP error of the last failed attempt (kept once a later attempt succeeded)
    error: Mapped[str | None] = mapped_column(Text)
    #: delivery attempts started so far
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    #: when the next attempt is due; NULL when none is planned: sent, given up, or kept
    #: without a mail server
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: a worker is sending the message until then; no other worker may take it meanwhile
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def delivery(self) -> Delivery:
        if self.sent_at is not None:
            return Delivery.SENT
        if self.next_attempt_at is None:
            return Delivery.FAILED if self.error else Delivery.KEPT
        return Delivery.RETRYING if self.error else Delivery.QUEUED


def send_mail(recipient: str, subject: str, body: str, *,
              user_id: int | None = None) -> OutboxMessage:
    """Write the message to the outbox; it is delivered once the transaction commits.

    Nothing is sent if the transaction rolls back, and the caller never waits for SMTP.
    """
    due = utcnow() if current_app.config.get("MAIL_SERVER") else None
    message = OutboxMessage(recipient=recipient, subject=subject, body=body, user_id=user_id,
                            next_attempt_at=due)
    db.session.add(message)
    return message


def mail_person(person: User, subject: Callable[[], str], *, endpoint: str,
                values: dict[str, Any] | None = None, template: str = "mail/notice.txt",
                **context: Any) -> OutboxMessage:
    """Mail ``person`` about a page: in their language (German unless they chose another),
    linking to ``endpoint`` on the configured site, whatever host the request came to.

    ``subject`` is called in that language; ``template`` gets it as ``subject``, with
    ``person``, ``link`` and ``context``.
    """
    with force_locale(person.language or DEFAULT_LANGUAGE):
        text = subject()
        body = render_template(template, person=person, subject=text,
                               link=site_url(endpoint, **(values or {})), **context)
    return send_mail(person.email, text, body, user_id=person.id)


@event.listens_for(OutboxMessage, "after_insert")
def _deliver_after_commit(_mapper: Mapper, _connection: Connection,
                          message: OutboxMessage) -> None:
    if message.next_attempt_at is not None:
        jobs.defer(deliver_message, message.id, session=object_session(message))


def outbox(recipient: str = "") -> Select[tuple[OutboxMessage]]:
    """The kept messages, newest first, narrowed to a part of the recipient's address."""
    query = select(OutboxMessage).order_by(OutboxMessage.created_at.desc(),
                                           OutboxMessage.id.desc())
    if recipient:
        query = query.where(OutboxMessage.recipient.contains(recipient.lower(), autoescape=True))
    return query


def retry(message: OutboxMessage) -> None:
    """An organiser's "send again": one more attempt, right after the transaction commits."""
    if message.sent_at is not None:
        raise DomainError(_("This message has already been sent."))
    if not current_app.config.get("MAIL_SERVER"):
        raise DomainError(_("No mail server is configured. Please pass the message on "
                            "yourself."))
    message.next_attempt_at = utcnow()
    jobs.defer(deliver_message, message.id)


def retry_delay(attempt: int) -> timedelta:
    """The wait after failed attempt number ``attempt``: doubled each time, capped."""
    first = timedelta(seconds=current_app.config["MAIL_RETRY_SECONDS"])
    return min(first * 2 ** min(attempt - 1, 30), MAX_RETRY_DELAY)


def deliver_message(message_id: int, *, now: datetime | None = None) -> bool:
    """Claim the message if it is due, send it, record the outcome; True if it was sent.

    Commits its own short transactions and holds none while talking to the server.
    """
    if not current_app.config.get("MAIL_SERVER"):
        return False
    now = now or utcnow()
    claimed = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.sent_at.is_(None),
               OutboxMessage.next_attempt_at <= now,
               or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now))
        .values(attempts=OutboxMessage.attempts + 1, claimed_until=now + CLAIM)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    if not claimed:
        return False
    message = db.session.get(OutboxMessage, message_id, populate_existing=True)
    attempt = message.attempts
    try:
        _smtp_send(message)
    except (OSError, smtplib.SMTPException) as exc:
        give_up = attempt >= current_app.config["MAIL_MAX_ATTEMPTS"]
        next_at = None if give_up else now + retry_delay(attempt)
        current_app.logger.warning("mail %s to %s failed (attempt %d, %s): %s", message_id,
                                   message.recipient, attempt,
                                   "giving up" if give_up else f"next at {next_at:%H:%M:%S}",
                                   exc)
        outcome = {"error": str(exc) or type(exc).__name__, "next_attempt_at": next_at}
    else:
        next_at = None
        outcome = {"sent_at": utcnow(), "next_attempt_at": None}
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.attempts == attempt)
        .values(**outcome, claimed_until=None).execution_options(synchronize_session=False)
    )
    db.session.commit()
    if next_at is not None:
        jobs.run_at(next_at, deliver_message, message_id)
    return "sent_at" in outcome


def deliver_pending(*, now: datetime | None = None, limit: int = 500) -> int:
    """Deliver the messages that are due (for cron, recovery and tests); returns how many."""
    if not current_app.config.get("MAIL_SERVER"):
        return 0
    now = now or utcnow()
    due = db.session.scalars(
        select(OutboxMessage.id)
        .where(OutboxMessage.sent_at.is_(None), OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id).limit(limit)
    ).all()
    db.session.commit()
    return sum(deliver_message(message_id, now=now) for message_id in due)


jobs.register_sweep(deliver_pending)


def _smtp_send(message: OutboxMessage) -> None:
    config = current_app.config
    email = EmailMessage()
    email["From"] = config["MAIL_SENDER"]
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email.set_content(message.body)
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=SMTP_TIMEOUT) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        smtp.send_message(email)
