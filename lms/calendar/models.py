"""The calendar's tables: each person's feed secret, the change stamp, built feeds."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String
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


class CalendarStamp(db.Model):
    """The calendar's change stamp: one row, given a new random value by every write to a
    model that a calendar source reads (``lms.calendar.stamp``).

    Cached feeds are kept under the stamp they were built at, so a new value makes them
    all stale at once. Random rather than counted, so that a value is never used twice,
    not even after the table was emptied.
    """

    __tablename__ = "calendar_stamp"

    #: always 1
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    value: Mapped[str] = mapped_column(String(32))


#: ``Table.info`` key of tables that only cache what the others hold
CACHE_TABLE = "cache"


class CalendarFeedCache(db.Model):
    """Built feeds, where no Redis is configured (``lms.calendar.cache``).

    One row per feed (a person's, a cohort's as one person sees it, the public one), replaced
    when it is built again; rows older than the cache's lifetime are deleted on each write.
    """

    __tablename__ = "calendar_feed_cache"
    #: a copy of what can be built again from the other tables: a GET may fill it, and the
    #: checks that a GET changes nothing leave it out (``CACHE_TABLE``)
    __table_args__ = {"info": {CACHE_TABLE: True}}

    #: a hash of which feed it is
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    #: a hash of the stamp, the day and the options the body was built with
    version: Mapped[str] = mapped_column(String(64))
    body: Mapped[bytes] = mapped_column(LargeBinary)
    built_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
