"""Signed, expiring, single-use links for invitations and password resets.

A link carries the person's id and their credential fingerprint, which changes as soon
as a password is set: that spends the link without any table of used tokens.
"""

from __future__ import annotations

import enum

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from lms.auth.models import User
from lms.extensions import db


class LinkPurpose(enum.StrEnum):
    INVITATION = "invitation"
    PASSWORD_RESET = "password-reset"

    @property
    def max_age(self) -> int:
        key = "INVITATION_MAX_AGE" if self is LinkPurpose.INVITATION else "PASSWORD_RESET_MAX_AGE"
        return current_app.config[key]


class LinkProblem(enum.Enum):
    INVALID = "invalid"
    EXPIRED = "expired"
    USED = "used"


class LinkError(Exception):
    def __init__(self, problem: LinkProblem):
        super().__init__(problem.value)
        self.problem = problem


def _serializer(purpose: LinkPurpose) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"lms.{purpose}")


def make_link_token(user: User, purpose: LinkPurpose) -> str:
    return _serializer(purpose).dumps({"u": user.id, "f": user.credential_fingerprint})


def read_link_token(token: str, purpose: LinkPurpose) -> User:
    """The person a link was made for; raises ``LinkError`` saying what is wrong with it."""
    serializer = _serializer(purpose)
    try:
        data = serializer.loads(token, max_age=purpose.max_age)
    except SignatureExpired as exc:
        raise LinkError(LinkProblem.EXPIRED) from exc
    except BadSignature as exc:
        raise LinkError(LinkProblem.INVALID) from exc
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        raise LinkError(LinkProblem.INVALID)
    user = db.session.get(User, data.get("u"))
    if user is None or not user.active:
        raise LinkError(LinkProblem.INVALID)
    if data.get("f") != user.credential_fingerprint:
        raise LinkError(LinkProblem.USED)
    return user
