"""The host's own navigation entries; plugins add theirs through the registry."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from flask import request, url_for
from flask_babel import lazy_gettext as _l

from lms.auth.models import Role, User
from lms.plugins import NavEntry, current_plugins

HOST_NAVIGATION = (
    NavEntry(_l("Overview"), "dashboard.index", order=0),
    NavEntry(_l("Calendar"), "calendar.index", order=50),
    NavEntry(_l("People"), "admin.people", roles=frozenset({Role.ORGANISER}), order=900),
    NavEntry(_l("Outbox"), "admin.outbox", roles=frozenset({Role.ORGANISER}), order=910),
)


def host_navigation(user: User | None) -> list[NavEntry]:
    return [entry for entry in HOST_NAVIGATION if entry.visible_to(user)]


@dataclass(frozen=True)
class NavLink:
    label: Any
    href: str
    current: bool


class LazyNavigation:
    """The menu as templates see it, worked out the first time one shows it: a page renders
    each panel as a template of its own, and only the page's frame shows the menu."""

    def __init__(self, user: User | None) -> None:
        self._user = user
        self._links: list[NavLink] | None = None

    def _worked_out(self) -> list[NavLink]:
        if self._links is None:
            self._links = navigation_links(self._user)
        return self._links

    def __iter__(self) -> Iterator[NavLink]:
        return iter(self._worked_out())

    def __bool__(self) -> bool:
        return bool(self._worked_out())


def navigation_links(user: User | None) -> list[NavLink]:
    """The menu for ``user``; the entry whose address is the longest start of this page's
    is the current one (so "/assignments/steps/" is not also under "/assignments/")."""
    entries = sorted(host_navigation(user) + current_plugins().navigation_for(user),
                     key=lambda entry: entry.order)
    hrefs = [url_for(entry.endpoint) for entry in entries]
    home = url_for("dashboard.index")
    matching = [href for href in hrefs
                if request.path == href or (href != home and request.path.startswith(href))]
    current = max(matching, key=len, default=None)
    return [NavLink(entry.label, href, href == current)
            for entry, href in zip(entries, hrefs, strict=True)]
