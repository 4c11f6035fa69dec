"""The pages each demo role reaches by links, one per endpoint, for the checks that open
every page in the browser (widths, accessibility).

The crawl runs through the Flask test client (``tests.crawl``), which is quick; the
browser then opens only one page per endpoint, since pages of one endpoint share their
template.
"""

from __future__ import annotations

import re

from flask import Flask
from werkzeug.exceptions import HTTPException

from lms import demo
from tests.crawl import crawl

#: the three demo logins and a visitor (None)
ROLES: tuple[str | None, ...] = (*(email for email, _role in demo.DEMO_LOGINS), None)
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def one_page_per_endpoint(app: Flask, email: str | None) -> list[str]:
    """A path for every endpoint whose HTML page ``email`` (None: a visitor) reaches."""
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "de"
    if email is not None:
        token = _CSRF.search(client.get("/login").get_data(as_text=True)).group(1)
        client.post("/login", data={"email": email, "password": demo.DEMO_PASSWORD,
                                    "csrf_token": token})
    adapter = app.url_map.bind("localhost")
    by_endpoint: dict[str, str] = {}

    def note(path: str, _html: str) -> list[str]:
        try:
            endpoint, _args = adapter.match(path.partition("?")[0])
        except HTTPException:
            return []
        by_endpoint.setdefault(endpoint, path)
        return []

    crawl(client, note)
    return sorted(by_endpoint.values())
