"""Built feeds, shared by every worker: in Redis when configured, else in the database.

A feed is stored under its key (which feed: whose, which cohort) and a version (the
change stamp and what else it was built with); a lookup with another version misses.
Redis forgets entries after ``LIFETIME``; the table keeps one row per key, and each write
deletes the rows older than ``LIFETIME``. A store that fails is logged and treated as a
miss: the feed is then built, never refused.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import timedelta
from typing import Protocol

from flask import Flask, current_app
from sqlalchemy import delete, select

from lms.calendar.models import CalendarFeedCache
from lms.db import upsert, utcnow
from lms.extensions import db
from lms.web import OWN_TRANSACTION

EXTENSION_KEY = "lms.calendar.cache"
LIFETIME = timedelta(days=2)
REDIS_PREFIX = "lms:calendar-feed:"

logger = logging.getLogger(__name__)


class FeedStore(Protocol):
    def get(self, key: str, version: str) -> bytes | None: ...

    def put(self, key: str, version: str, body: bytes) -> None: ...

    def clear(self) -> None: ...


class DatabaseStore:
    """The ``calendar_feed_cache`` table. Writes go on a connection of their own, in
    their own transaction: a feed request is a GET, whose own writes are rolled back."""

    def get(self, key: str, version: str) -> bytes | None:
        return db.session.scalar(select(CalendarFeedCache.body).where(
            CalendarFeedCache.key == key, CalendarFeedCache.version == version))

    def put(self, key: str, version: str, body: bytes) -> None:
        now = utcnow()
        table = CalendarFeedCache.__table__
        with db.engine.connect() as connection:
            connection.execution_options(**{OWN_TRANSACTION: True})
            with connection.begin():
                connection.execute(delete(table).where(table.c.built_at < now - LIFETIME))
                upsert(connection, table, {"key": key, "version": version, "body": body,
                                           "built_at": now}, ("key",))

    def clear(self) -> None:
        """Every stored feed gone, in the request's transaction."""
        db.session.execute(delete(CalendarFeedCache))


class RedisStore:
    def __init__(self, url: str) -> None:
        from redis import Redis

        self.redis = Redis.from_url(url)

    def get(self, key: str, version: str) -> bytes | None:
        return self.redis.get(f"{REDIS_PREFIX}{key}:{version}")

    def put(self, key: str, version: str, body: bytes) -> None:
        self.redis.set(f"{REDIS_PREFIX}{key}:{version}", body, ex=LIFETIME)

    def clear(self) -> None:
        for name in self.redis.scan_iter(match=f"{REDIS_PREFIX}*", count=1000):
            self.redis.delete(name)


def init_app(app: Flask) -> None:
    url = app.config["CALENDAR_CACHE_URL"]
    app.extensions[EXTENSION_KEY] = RedisStore(url) if url else DatabaseStore()


def digest(value: object) -> str:
    """A short hash of ``value``'s repr, for keys and versions."""
    return hashlib.blake2b(repr(value).encode(), digest_size=16).hexdigest()


def cached(key: str, version: str) -> bytes | None:
    """The stored body of feed ``key`` at ``version``, or None."""
    try:
        return current_app.extensions[EXTENSION_KEY].get(key, version)
    except Exception:
        logger.exception("calendar cache: reading feed %s failed; it is built instead", key)
        return None


def keep(key: str, version: str, body: bytes) -> None:
    """Store ``body`` as feed ``key`` at ``version``."""
    try:
        current_app.extensions[EXTENSION_KEY].put(key, version, body)
    except Exception:
        logger.exception("calendar cache: storing feed %s failed", key)


def forget_all() -> None:
    """Every cached feed forgotten, so that none keeps a person's erased name until it
    expires; they are built again on the next fetch."""
    current_app.extensions[EXTENSION_KEY].clear()
