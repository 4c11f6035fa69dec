"""Personal feed tokens: calendar clients subscribe with a secret URL instead of a login.

A token is the person's id and an HMAC over it, keyed with the app's secret key; the
message holds the person's feed secret. Renewing stores a new random secret, which makes
every earlier token wrong. Until the first renewal a person has no stored secret and the
empty one is used, so showing the calendar page never writes to the database. Neither a
database copy without the app key nor the app key without the database yields a valid
URL for a person who renewed.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import lazyload

from lms.auth.models import User
from lms.calendar.models import CalendarFeedSecret
from lms.db import utcnow
from lms.extensions import db

SALT = "lms.calendar-feed"
USER_ID = re.compile(r"[1-9][0-9]{0,17}")  # ASCII only: str.isdigit() accepts "²"


def _signature(user_id: int, secret: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    message = f"{SALT}:{user_id}:{secret}".encode()
    digest = hmac.new(key, message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _stored_secret(user_id: int) -> str:
    secret = db.session.scalar(
        select(CalendarFeedSecret.secret).where(CalendarFeedSecret.user_id == user_id)
    )
    return secret or ""


def feed_token(user: User) -> str:
    """The token of ``user``'s personal feed URL, as it stands now."""
    return f"{user.id}-{_signature(user.id, _stored_secret(user.id))}"


def user_for_token(token: str) -> User | None:
    """The active person ``token`` belongs to, or None for a wrong or renewed token."""
    user_id, _, signature = token.partition("-")
    if not USER_ID.fullmatch(user_id) or not signature:
        return None
    row = db.session.execute(
        select(User, CalendarFeedSecret.secret)
        .outerjoin(CalendarFeedSecret, CalendarFeedSecret.user_id == User.id)
        .where(User.id == int(user_id))
        # roles are read when the feed is built, not for a 304 answer
        .options(lazyload(User.role_links))
    ).first()
    if row is None:
        return None
    user, secret = row
    expected = _signature(user.id, secret or "")
    if not hmac.compare_digest(expected.encode(), signature.encode()) or not user.active:
        return None
    return user


def renew_feed_secret(user: User) -> None:
    """Give ``user`` a new feed secret; their earlier feed URLs stop working. Flushes."""
    row = db.session.get(CalendarFeedSecret, user.id)
    if row is None:
        row = CalendarFeedSecret(user_id=user.id)
        db.session.add(row)
    row.secret = secrets.token_urlsafe(32)
    row.created_at = utcnow()
    db.session.flush()
