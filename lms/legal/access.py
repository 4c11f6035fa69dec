"""Who may read and write the legal pages: everybody reads them, organisers write them."""

from __future__ import annotations

from typing import Any

from lms.auth.models import Role


def legal_text_policy(user: Any, action: str, _target: Any) -> bool:
    """Registered ``public``: anonymous visitors are asked too, and may only view."""
    if action == "view":
        return True
    return user.is_authenticated and user.has_role(Role.ORGANISER)
