"""Who may read and change consents: everybody reads the texts (forms show them to
visitors), organisers publish new versions; a consent is its person's to read and
withdraw, and organisers read it (they know it exists, so others' attempts answer 403)."""

from __future__ import annotations

from typing import Any

from lms.auth.models import Role, User
from lms.consent.models import ConsentRecord
from lms.consent.services import is_own


def consent_text_policy(user: Any, action: str, _target: Any) -> bool:
    """Registered ``public``: anonymous visitors are asked too, and may only view."""
    if action == "view":
        return True
    return action == "publish" and user.is_authenticated and user.has_role(Role.ORGANISER)


def consent_record_policy(user: User, action: str, record: ConsentRecord) -> bool:
    if action in {"view", "withdraw"} and is_own(record, user):
        return True
    return action == "view" and user.has_role(Role.ORGANISER)
