"""Links that leave the site (mail, calendar feeds) are built from the configured site address.

A request's ``Host`` (or ``X-Forwarded-Host``) is chosen by whoever sends it; a link built
from it and mailed to someone else is an attacker's link. ``site_url`` therefore ignores
the request entirely and builds under ``BASE_URL``, including the path under which the
LMS is mounted (``https://portal.example.org/lehrgang``).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlsplit

from flask import current_app, has_request_context, request

#: what ``url_for`` leaves unquoted in an anchor
ANCHOR_SAFE = "%!#$&'()*+,/:;=?@"


def site_url(endpoint: str, *, _anchor: str | None = None, **values: Any) -> str:
    """The absolute address of ``endpoint`` on the configured site, whatever the request says.

    ``endpoint`` may be blueprint-relative (``.feed``) inside a request, as with ``url_for``.
    """
    app = current_app
    if endpoint.startswith("."):
        blueprint = request.blueprint if has_request_context() else None
        if blueprint is None:
            raise ValueError(f"A relative endpoint ({endpoint}) needs a request of a blueprint.")
        endpoint = blueprint + endpoint
    base = urlsplit(app.config["BASE_URL"])
    adapter = app.url_map.bind(base.netloc, script_name=base.path.rstrip("/") or "/",
                               url_scheme=base.scheme)
    app.inject_url_defaults(endpoint, values)
    url = adapter.build(endpoint, values, force_external=True)
    return f"{url}#{quote(_anchor, safe=ANCHOR_SAFE)}" if _anchor else url


def site_host(base_url: str) -> str:
    """The host name of ``base_url`` (no port), as Flask's ``TRUSTED_HOSTS`` wants it."""
    return urlsplit(base_url).hostname or ""
