"""Plugin mode: the whole LMS inside another Flask application under /lehrgang."""

from __future__ import annotations

import re

import pytest
from flask import Flask

from lms import mount
from tests.conftest import TEST_PASSWORD


@pytest.fixture
def host(app):
    host = Flask("municipal_portal")
    host.config["SECRET_KEY"] = "host-secret"

    @host.route("/")
    def portal_home():
        return "Portal home"

    mount(host, "/lehrgang", app)
    return host


def test_host_keeps_its_own_pages(host):
    assert host.test_client().get("/").get_data(as_text=True) == "Portal home"


def test_sign_in_links_and_static_files_carry_the_prefix(host, organiser):
    client = host.test_client()

    first = client.get("/lehrgang/")
    assert first.status_code == 302
    assert first.location.startswith("/lehrgang/login")

    login_page = client.get("/lehrgang/login").get_data(as_text=True)
    stylesheet = re.search(r'href="([^"]+\.css)"', login_page).group(1)
    assert stylesheet.startswith("/lehrgang/static/")
    assert client.get(stylesheet).status_code == 200

    signed_in = client.post("/lehrgang/login",
                            data={"email": organiser.email, "password": TEST_PASSWORD})
    assert signed_in.status_code == 302
    assert signed_in.location == "/lehrgang/"

    dashboard = client.get("/lehrgang/").get_data(as_text=True)
    links = set(re.findall(r'href="(/[^"]*)"', dashboard))
    assert "/lehrgang/admin/people" in links
    assert all(link.startswith("/lehrgang/") for link in links), links
    for link in links:
        assert client.get(link).status_code == 200, link


def test_session_cookie_does_not_clash_with_the_host(host, organiser):
    client = host.test_client()
    client.post("/lehrgang/login", data={"email": organiser.email, "password": TEST_PASSWORD})
    assert client.get_cookie("lms_session") is not None
    assert client.get_cookie("session") is None
