"""The one table the calendar needs: each person's feed secret."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from lms.db import UTCDateTime, utcnow
from lms.extensions import db


class CalendarFeedSecret(db.Model):
    """A random value that, with the app's secret key, signs a person's feed URL.

    People who never renewed their URL have no row; see ``lms.calendar.tokens``.
    """

    __tablename__ = "calendar_feed_secrets"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    #: replaced on every renewal, which makes all earlier feed URLs of the person invalid
    secret: Mapped[str] = mapped_column(String(64))
    #: when the current secret was made, that is, when the URL was last renewed
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
