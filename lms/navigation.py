"""The host's own navigation entries; plugins add theirs through the registry."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from lms.auth.models import Role, User
from lms.plugins import NavEntry

HOST_NAVIGATION = (
    NavEntry(_l("Overview"), "dashboard.index", order=0),
    NavEntry(_l("Calendar"), "calendar.index", order=50),
    NavEntry(_l("People"), "admin.people", roles=frozenset({Role.ORGANISER}), order=900),
    NavEntry(_l("Outbox"), "admin.outbox", roles=frozenset({Role.ORGANISER}), order=910),
)


def host_navigation(user: User | None) -> list[NavEntry]:
    return [entry for entry in HOST_NAVIGATION if entry.visible_to(user)]
