"""Personal pages and exports are never stored by browsers or proxies; production sends
HSTS; secret tokens in addresses stay out of the logs (issue 12, finding 12)."""

from __future__ import annotations

import logging
import sys

import pytest
from sqlalchemy import select

from lms.auth.models import User
from lms.auth.tokens import LinkPurpose, make_link_token
from lms.calendar.tokens import feed_token
from lms.extensions import db
from lms.mail import OutboxMessage
from tests.conftest import make_app

NO_STORE = "private, no-store"


def outbox_message_id(app) -> int:
    with app.app_context():
        return db.session.scalar(select(OutboxMessage.id))


def test_every_page_of_a_signed_in_person_is_not_stored(app, client, login, organiser,
                                                        participant):
    login(organiser)
    assert client.post(f"/admin/people/{participant.id}/invite").status_code == 302
    message = outbox_message_id(app)
    for path in ("/", "/account", "/admin/people", "/admin/outbox",
                 f"/admin/outbox/{message}", "/calendar/", "/calendar/export.ics",
                 "/no-such-page"):
        response = client.get(path)
        assert response.headers["Cache-Control"] == NO_STORE, (path, response.status_code)
    # redirects and answers to forms too
    assert client.post("/language/de").headers["Cache-Control"] == NO_STORE


def test_pages_reached_by_a_secret_link_are_not_stored(app, client, participant):
    with app.test_request_context():
        token = make_link_token(db.session.get(User, participant.id),
                                LinkPurpose.PASSWORD_RESET)
    response = client.get(f"/password/reset/{token}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == NO_STORE


def test_a_feed_reached_by_its_token_stays_private_and_revalidated(app, client, participant):
    with app.test_request_context():
        url = f"/calendar/feed/{feed_token(db.session.get(User, participant.id))}.ics"
    first = client.get(url)
    assert first.status_code == 200
    cache = first.cache_control
    assert cache.private and cache.no_cache and not cache.public and not cache.no_store
    again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    download = client.get(url, query_string={"download": "1"})
    assert download.cache_control.private and not download.cache_control.public


def test_static_files_keep_their_caching(client, login, participant):
    login(participant)
    response = client.get("/static/lms.css")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")


# --- HSTS ------------------------------------------------------------------------------


def test_production_sends_hsts(app, database_url, tmp_path):
    production = make_app(database_url, str(tmp_path), ENV="production",
                          BASE_URL="https://lehrgang.example.org")
    response = production.test_client().get("/login", base_url="https://lehrgang.example.org")
    assert response.status_code == 200
    assert response.headers["Strict-Transport-Security"] == \
        "max-age=31536000; includeSubDomains"


@pytest.mark.parametrize("env", ["development", "testing"])
def test_development_sends_no_hsts(app, database_url, tmp_path, env):
    other = make_app(database_url, str(tmp_path), ENV=env)
    assert "Strict-Transport-Security" not in other.test_client().get("/login").headers


# --- logs ------------------------------------------------------------------------------


SECRETS = ["/invitation/eyJ1IjoxfQ.Z1abc.secret-invitation",
           "/password/reset/eyJ1IjoxfQ.Z1abc.secret-reset",
           "/calendar/feed/7-c2VjcmV0LWZlZWQ.ics"]


@pytest.mark.parametrize("path", SECRETS)
def test_the_development_request_log_shows_no_tokens(app, caplog, path):
    from werkzeug.serving import WSGIRequestHandler

    class Handler(WSGIRequestHandler):  # just enough of a request for its log line
        def __init__(self):
            self.requestline = f"GET {path}?download=1 HTTP/1.1"
            self.client_address = ("192.0.2.1", 0)

        def address_string(self) -> str:
            return "192.0.2.1"

    with caplog.at_level(logging.INFO, logger="werkzeug"):
        Handler().log_request(200)
    [line] = [record.getMessage() for record in caplog.records if record.name == "werkzeug"]
    secret = path.rsplit("/", 1)[1]
    assert secret.split(".")[0] not in line and "[redacted]" in line, line
    assert path.rsplit("/", 1)[0] in line  # which kind of page stays readable


@pytest.mark.parametrize("path", SECRETS)
def test_logged_exceptions_show_no_tokens(app, caplog, path):
    with app.test_request_context(path), caplog.at_level(logging.ERROR):
        try:
            raise RuntimeError("boom")
        except RuntimeError:
            app.log_exception(sys.exc_info())
    text = caplog.text
    assert "Exception on" in text and "[redacted]" in text
    assert path.rsplit("/", 1)[1].split(".")[0] not in text
