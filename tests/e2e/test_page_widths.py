"""Every page of every role fits a small phone (320 px, the width WCAG's reflow asks for),
a phone (390 px), a laptop at 200 percent zoom (1280 px halved: 640 CSS px) and a laptop
(1280 px) without the page itself scrolling sideways; wide tables scroll inside their own
box.

The pages are found by following links, one page per endpoint (``pages_by_role``, crawled
once); each role's signed-in browser page (``role_pages``) then opens them at each width.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.conftest import de
from tests.e2e.pages import ROLES

#: (width, height) in CSS pixels
WIDTHS = ((320, 640), (390, 844), (640, 400), (1280, 800))
OVERFLOW = """() => document.documentElement.scrollWidth - document.documentElement.clientWidth"""
#: the outermost elements that reach past the right edge, to name in the failure
CULPRITS = """() => {
  const edge = document.documentElement.clientWidth;
  const wide = [...document.body.querySelectorAll("*")].filter(
    (e) => e.getBoundingClientRect().right > edge + 0.5);
  return wide.filter((e) => !wide.includes(e.parentElement)).slice(0, 3).map(
    (e) => e.tagName.toLowerCase() + (e.className ? "." + String(e.className).split(" ")[0] : ""));
}"""
#: elements on screen whose own text is squeezed so narrow that its longest word breaks
#: into three or more pieces: a letter or two per line
SQUEEZED = """() => {
  const pen = document.createElement("canvas").getContext("2d");
  return [...document.querySelectorAll("main *")].filter((e) => {
    const own = [...e.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE)
      .map((n) => n.textContent).join(" ");
    const longest = own.split(/\\s+/).reduce((a, b) => (b.length > a.length ? b : a), "");
    const box = e.getBoundingClientRect();
    if (longest.length < 6 || box.width < 2 || box.right <= 0) return false;
    pen.font = getComputedStyle(e).font;
    return box.width < pen.measureText(longest).width / 2.5;
  }).slice(0, 3).map((e) => e.tagName.toLowerCase() + ": " + e.textContent.trim().slice(0, 40));
}"""


def test_no_page_scrolls_sideways_or_squeezes_text_at_any_width(
        live_server: str, pages_by_role: dict[str | None, list[str]],
        role_pages: dict[str | None, Page]):
    """Each page is loaded once and laid out again at every width (a resize re-applies
    the media queries as a reload would), which keeps the walk short. Text squeezed into
    a sliver (a list of facts in a narrow panel once wrapped a letter per line, the page
    11,000 px long) fails too."""
    overflowing = []
    for email in ROLES:
        paths = pages_by_role[email]
        assert len(paths) > 5, email
        page = role_pages[email]
        for path in paths:
            page.goto(live_server + path)
            for width, height in WIDTHS:
                page.set_viewport_size({"width": width, "height": height})
                extra = page.evaluate(OVERFLOW)
                if extra > 0:
                    overflowing.append(f"{email or 'visitor'} at {width} px: {path} "
                                       f"is {extra} px too wide: {page.evaluate(CULPRITS)}")
                if squeezed := page.evaluate(SQUEEZED):
                    overflowing.append(f"{email or 'visitor'} at {width} px: {path} "
                                       f"squeezes text: {squeezed}")
    assert not overflowing, "\n".join(overflowing)


def test_on_a_phone_the_navigation_is_a_menu_button_near_the_top(
        live_server: str, role_pages: dict[str | None, Page]):
    page = role_pages["orga@example.org"]
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server + "/")
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
