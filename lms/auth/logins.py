"""What a session and a remember cookie carry, and when they stop signing anyone in.

flask-login keeps one string per login, in the session and (when "remember me" was
ticked) in the remember cookie, both signed with the secret key. Ours is
``<user id>:<credential fingerprint>:<login generation>:<signed in at>``
(``User.get_login_id``):

- the fingerprint changes with the password,
- the generation is raised when the person signs out (or changes the password), so every
  copy made before - a remember cookie on another device, an old session cookie replayed
  - stops signing in,
- the time of signing in caps every login at ``REMEMBER_COOKIE_DURATION``, whatever a
  browser does with the cookie's expiry.
"""

from __future__ import annotations

import re

from flask import current_app
from sqlalchemy.orm import joinedload

from lms.auth.models import User
from lms.db import utcnow
from lms.extensions import db
from lms.web import parse_id

_LOGIN_ID = re.compile(r"(\d{1,10}):([0-9a-f]{16}):(\d{1,10}):(\d{1,12})", re.ASCII)


def user_for_login_id(value: str) -> User | None:
    """The person a session or remember cookie signs in, or None if that login has ended."""
    match = _LOGIN_ID.fullmatch(value)
    if match is None:
        return None
    user_id, fingerprint, generation, signed_in_at = match.groups()
    age = utcnow().timestamp() - int(signed_in_at)
    if age > current_app.config["REMEMBER_COOKIE_DURATION"].total_seconds():
        return None
    ident = parse_id(user_id)
    # with the roles in the same statement: every signed-in page starts here
    user = db.session.get(User, ident, options=[joinedload(User.role_links)]) \
        if ident is not None else None
    if user is None or user.credential_fingerprint != fingerprint \
            or user.login_generation != int(generation):
        return None
    return user


def end_logins(user: User) -> None:
    """End every session and remembered login of ``user``, on every device."""
    user.login_generation = (user.login_generation or 0) + 1
    db.session.flush()
