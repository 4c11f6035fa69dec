"""Every page of every role fits a phone (390 px) and a laptop (1280 px) without the page
itself scrolling sideways; wide tables scroll inside their own box.

The pages are found by following links, as the demo walk does (``tests.crawl``), one page
per endpoint; then each is opened in the browser at both widths, signed in there.
"""

from __future__ import annotations

import re

from flask import Flask
from playwright.sync_api import Browser, expect
from werkzeug.exceptions import HTTPException

from lms import demo
from lms.extensions import limiter
from tests.crawl import crawl
from tests.e2e.conftest import de, sign_in

WIDTHS = ((390, 844), (1280, 800))
OVERFLOW = """() => document.documentElement.scrollWidth - document.documentElement.clientWidth"""
#: the outermost elements that reach past the right edge, to name in the failure
CULPRITS = """() => {
  const edge = document.documentElement.clientWidth;
  const wide = [...document.body.querySelectorAll("*")].filter(
    (e) => e.getBoundingClientRect().right > edge + 0.5);
  return wide.filter((e) => !wide.includes(e.parentElement)).slice(0, 3).map(
    (e) => e.tagName.toLowerCase() + (e.className ? "." + String(e.className).split(" ")[0] : ""));
}"""
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


def test_no_page_scrolls_sideways_on_a_phone_or_a_laptop(live_app, live_server,
                                                         browser: Browser):
    visitors = [*(email for email, _role in demo.DEMO_LOGINS), None]
    overflowing = []
    for email in visitors:
        limiter.reset()
        paths = one_page_per_endpoint(live_app, email)
        assert len(paths) > 5, email
        context = browser.new_context(locale="de-DE", timezone_id="Europe/Berlin",
                                      viewport={"width": 390, "height": 844})
        page = context.new_page()
        if email is not None:
            sign_in(page, live_server, email)
        for width, height in WIDTHS:
            page.set_viewport_size({"width": width, "height": height})
            for path in paths:
                page.goto(live_server + path)
                extra = page.evaluate(OVERFLOW)
                if extra > 0:
                    overflowing.append(f"{email or 'visitor'} at {width} px: {path} "
                                       f"is {extra} px too wide: {page.evaluate(CULPRITS)}")
        context.close()
    assert not overflowing, "\n".join(overflowing)


def test_on_a_phone_the_navigation_is_a_menu_button_near_the_top(live_server,
                                                                browser: Browser):
    limiter.reset()
    context = browser.new_context(locale="de-DE", timezone_id="Europe/Berlin",
                                  viewport={"width": 390, "height": 844})
    page = context.new_page()
    sign_in(page, live_server, "orga@example.org")
    navigation = page.get_by_role("navigation", name=de("Main navigation"))
    menu = navigation.get_by_text(de("Menu"), exact=True)
    calendar_link = navigation.get_by_role("link", name=de("Calendar"), exact=True)
    expect(menu).to_be_visible()
    expect(calendar_link).to_be_hidden()
    box = navigation.bounding_box()
    assert box is not None and box["y"] + box["height"] < 250  # was 407 px down
    menu.click()
    calendar_link.click()
    expect(page).to_have_url(re.compile(r"/calendar/"))
    page.set_viewport_size({"width": 1280, "height": 800})
    expect(menu).to_be_hidden()
    expect(calendar_link).to_be_visible()
    context.close()
