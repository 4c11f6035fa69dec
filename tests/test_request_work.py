"""What a page works out once per request however many templates it renders: a
dashboard renders each plugin's panel as a template of its own."""

from __future__ import annotations

import pytest

import lms.navigation
from lms.demo import DEMO_PASSWORD


@pytest.fixture
def menus_worked_out(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    calls: list[object] = []
    work_out = lms.navigation.navigation_links

    def counted(user):
        calls.append(user)
        return work_out(user)

    monkeypatch.setattr(lms.navigation, "navigation_links", counted)
    return calls


@pytest.mark.parametrize("email", ["teilnehmer@example.org", "dozent@example.org",
                                   "orga@example.org"])
def test_a_dashboard_works_out_its_menu_once(demo_world, client, menus_worked_out, email):
    signed_in = client.post("/login", data={"email": email, "password": DEMO_PASSWORD})
    assert signed_in.status_code == 302
    assert client.get("/").status_code == 200
    assert len(menus_worked_out) == 1


def test_a_panel_template_alone_does_not_work_out_the_menu(app, menus_worked_out):
    from flask import render_template_string

    with app.test_request_context("/"):
        render_template_string("<p>{{ 1 }}</p>")
    assert menus_worked_out == []
