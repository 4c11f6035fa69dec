"""Outgoing mail: SMTP when configured, and always a copy in the outbox.

Invitation and reset links must never be lost, so every message is stored first; an
organiser can read the outbox and pass a link on when no mail server is configured or
delivery failed.
"""

from __future__ import annotations

import smtplib
from datetime import datetime
from email.message import EmailMessage

from flask import current_app
from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from lms.db import UTCDateTime, utcnow
from lms.extensions import db


class OutboxMessage(db.Model):
    __tablename__ = "outbox_messages"

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
    #: the SMTP error, when delivery failed
    error: Mapped[str | None] = mapped_column(Text)


def send_mail(recipient: str, subject: str, body: str, *,
              user_id: int | None = None) -> OutboxMessage:
    """Store the message in the outbox and deliver it by SMTP if a server is configured."""
    message = OutboxMessage(recipient=recipient, subject=subject, body=body, user_id=user_id)
    db.session.add(message)
    config = current_app.config
    if config.get("MAIL_SERVER"):
        try:
            _deliver(message)
            message.sent_at = utcnow()
        except (OSError, smtplib.SMTPException) as exc:
            current_app.logger.warning("mail to %s failed: %s", recipient, exc)
            message.error = str(exc)
    return message


def _deliver(message: OutboxMessage) -> None:
    config = current_app.config
    email = EmailMessage()
    email["From"] = config["MAIL_SENDER"]
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email.set_content(message.body)
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        smtp.send_message(email)
