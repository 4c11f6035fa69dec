"""Links in mail come from the configured site address, never from the request's host;
requests for hosts that are not the site's are refused (issue 12, finding 1)."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from sqlalchemy import select

from lms import mount
from lms.extensions import db
from lms.mail import OutboxMessage
from tests.conftest import ALIAS, SITE, make_app

LINK = re.compile(r"https?://[^\s/]+[^\s]*")


def mailed_links(app: Flask) -> list[str]:
    with app.app_context():
        bodies = db.session.scalars(select(OutboxMessage.body).order_by(OutboxMessage.id))
        return [link for body in bodies for link in LINK.findall(body)]


def test_reset_link_ignores_the_host_of_the_request(app, client, participant, other_host):
    response = client.post("/password/forgot", data={"email": participant.email})
    assert response.status_code == 302
    [link] = mailed_links(app)
    assert link.startswith(f"{SITE}/password/reset/"), link
    # the mailed link works on the real site
    token_path = link.removeprefix(SITE)
    assert client.get(token_path).status_code == 200


def test_invitation_link_ignores_the_host_of_the_request(app, client, login, organiser,
                                                         create_user, other_host):
    guest = create_user("gast@example.org", password=None)
    login(organiser)
    assert client.post(f"/admin/people/{guest.id}/invite").status_code == 302
    [link] = mailed_links(app)
    assert link.startswith(f"{SITE}/invitation/"), link


@pytest.mark.parametrize("host", ["evil.example", "lehrgang.example.org.evil.example",
                                  "evil.example:80"])
def test_a_foreign_host_is_refused_and_nothing_is_mailed(app, client, participant, host):
    response = client.post("/password/forgot", data={"email": participant.email},
                           headers={"Host": host})
    assert response.status_code == 400
    assert client.get("/login", headers={"Host": host}).status_code == 400
    assert mailed_links(app) == []


def test_the_site_s_own_host_and_its_aliases_are_answered(app, client, other_host):
    for host in ("lehrgang.example.org", ALIAS, "localhost"):
        assert client.get("/login", headers={"Host": host}).status_code == 200, host


@pytest.fixture
def proxied(app, database_url, tmp_path) -> Flask:
    """The app behind one trusted reverse proxy, configured for ``SITE`` and ``ALIAS``."""
    return make_app(database_url, str(tmp_path), BASE_URL=SITE, TRUSTED_HOSTS=[ALIAS],
                    TRUSTED_PROXIES=1)


def test_forwarded_host_behind_a_trusted_proxy_does_not_make_links(proxied, participant):
    client = proxied.test_client()
    response = client.post("/password/forgot", data={"email": participant.email},
                           headers={"X-Forwarded-Host": ALIAS, "X-Forwarded-Proto": "http"})
    assert response.status_code == 302
    [link] = mailed_links(proxied)
    assert link.startswith(f"{SITE}/password/reset/"), link


def test_a_foreign_forwarded_host_is_refused(proxied, participant):
    response = proxied.test_client().post(
        "/password/forgot", data={"email": participant.email},
        headers={"X-Forwarded-Host": "evil.example"})
    assert response.status_code == 400
    assert mailed_links(proxied) == []


def test_mounted_links_carry_the_prefix_once(app, participant):
    """Under a mount, BASE_URL names the prefix; links must not repeat it."""
    host = Flask("municipal_portal")
    mount(host, "/lehrgang", app)
    saved = app.config["BASE_URL"]
    app.config["BASE_URL"] = "https://portal.example.org/lehrgang"
    try:
        response = host.test_client().post("/lehrgang/password/forgot",
                                            data={"email": participant.email})
    finally:
        app.config["BASE_URL"] = saved
    assert response.status_code == 302
    [link] = mailed_links(app)
    assert link.startswith("https://portal.example.org/lehrgang/password/reset/"), link


def test_feed_addresses_and_event_links_use_the_site(app, client, login, participant,
                                                     other_host):
    login(participant)
    page = client.get("/calendar/").get_data(as_text=True)
    assert f'{SITE}/calendar/feed/' in page
    assert ALIAS not in page
