"""Signing in and out in the browser, in German, with the demo logins of the README."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from lms.auth.models import Role
from lms.demo import DEMO_LOGINS, DEMO_PASSWORD, DEMO_PEOPLE
from tests.e2e.conftest import de

DISPLAY_NAMES = {person.email: person.display_name for person in DEMO_PEOPLE}
LOGIN_PATH = re.compile(r"/login(\?.*)?$")


def sign_in_form(page: Page):
    """The sign-in form's parts, found by their German labels and names."""
    return (
        page.get_by_label(de("Email address"), exact=True),
        page.get_by_label(de("Password"), exact=True),
        page.get_by_role("button", name=de("Sign in"), exact=True),
    )


def expect_sign_in_page(page: Page) -> None:
    expect(page).to_have_url(LOGIN_PATH)
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.get_by_role("heading", level=1)).to_have_text(de("Sign in"))


def submit_sign_in(page: Page, email: str, password: str) -> None:
    email_field, password_field, submit = sign_in_form(page)
    email_field.fill(email)
    password_field.fill(password)
    submit.click()


def flash_messages(page: Page):
    return page.get_by_role("status").locator(".flash")


@pytest.mark.parametrize(("email", "role"), DEMO_LOGINS, ids=[r.value for _, r in DEMO_LOGINS])
def test_demo_login_signs_in_and_out(page: Page, live_server: str, email: str,
                                     role: Role) -> None:
    page.goto(live_server + "/")
    expect_sign_in_page(page)
    expect(flash_messages(page)).to_have_text([de("Please sign in to open this page.")])

    submit_sign_in(page, email, DEMO_PASSWORD)

    expect(page).to_have_url(live_server + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        de("Welcome, %(name)s") % {"name": DISPLAY_NAMES[email]}
    )
    navigation = page.get_by_role("navigation", name=de("Main navigation"))
    expect(navigation.get_by_role("link", name=de("Overview"), exact=True)).to_be_visible()
    for label in ("People", "Outbox"):
        entry = navigation.get_by_role("link", name=de(label), exact=True)
        if role is Role.ORGANISER:
            expect(entry).to_be_visible()
        else:
            expect(entry).to_have_count(0)

    page.get_by_role("button", name=de("Sign out"), exact=True).click()

    expect_sign_in_page(page)
    expect(flash_messages(page)).to_have_text([de("You have been signed out.")])
    # Signed out for real: the dashboard sends us back to the sign-in page.
    page.goto(live_server + "/")
    expect_sign_in_page(page)


def test_wrong_password_and_unknown_email_get_the_same_answer(page: Page,
                                                              live_server: str) -> None:
    wrong = de("Email address or password is wrong.")
    page.goto(live_server + "/login")
    expect_sign_in_page(page)

    submit_sign_in(page, "orga@example.org", "not-the-password")
    expect_sign_in_page(page)
    expect(flash_messages(page)).to_have_text([wrong])
    answer_for_wrong_password = flash_messages(page).all_inner_texts()

    submit_sign_in(page, "nobody@example.org", DEMO_PASSWORD)
    expect_sign_in_page(page)
    expect(flash_messages(page)).to_have_text([wrong])
    assert flash_messages(page).all_inner_texts() == answer_for_wrong_password
    expect(page.get_by_role("button", name=de("Sign out"))).to_have_count(0)


def test_first_tab_focuses_the_skip_link(page: Page, live_server: str) -> None:
    page.goto(live_server + "/login")
    expect_sign_in_page(page)

    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name=de("Skip to content"), exact=True)
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()  # shown on focus, not left off-screen

    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
