"""What the route-by-role tables expect of an answer, checked one way for every plugin.

An outcome is a status code ("200", "403", "404", ...), "login" (sent to sign in, with the
page to come back to), or "to:/path" (redirected there; "to:/path/*" below it).
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from werkzeug.test import TestResponse


def check_outcome(response: TestResponse, outcome: str, path: str) -> None:
    body = response.get_data().decode("utf-8", errors="replace")  # downloads are binary
    if outcome.isdigit():
        assert response.status_code == int(outcome), body[:800]
        if outcome in {"403", "404"} and response.mimetype == "text/html":
            # the German error page that names what went wrong
            assert f"({outcome})" in body and '<html lang="de">' in body, body[:800]
    elif outcome == "login":
        assert response.status_code == 302
        location = urlsplit(response.location)
        assert location.path == "/login"
        assert parse_qs(location.query)["next"] == [path]
    elif outcome.startswith("to:"):
        assert response.status_code == 302, body[:800]
        target, actual = outcome.removeprefix("to:"), urlsplit(response.location).path
        if target.endswith("*"):
            assert actual.startswith(target[:-1]) and actual != target[:-1], actual
        else:
            assert actual == target
    else:  # pragma: no cover - a typo in a table
        raise AssertionError(f"unknown outcome {outcome!r}")
