"""The main tasks done with the keyboard alone: Tab and Shift+Tab to move, Enter and Space
to act, typing to fill in; a file is chosen in the chooser that a key opens. No click.

At every stop the focused element shows a focus ring (an outline or shadow through
``:focus-visible``), and on every page the first Tab reaches the skip link, which takes
focus to the content. The module has a server of its own, since it hands in, grades and
accepts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from courses.demo import simple_pdf
from lms.demo import DEMO_PASSWORD
from lms.extensions import limiter
from tests.e2e.conftest import de

#: the longest way to a target: the organiser's page has the most stops
MAX_STOPS = 120
#: what is wrong with the focus ring of the focused element ("" when it is visible)
_FOCUS_RING = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return "nothing has focus";
  const name = e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") +
    (e.name ? `[name=${e.name}]` : "") + ` "${(e.innerText || e.value || "").slice(0, 40)}"`;
  const style = getComputedStyle(e);
  const box = e.getBoundingClientRect();
  const ring = (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0)
    || style.boxShadow !== "none";
  // a date field's focus is on one of its parts (day, month, ...), inside the field
  if (!e.matches(":focus-visible, :focus-within") || !ring) return `${name} shows no focus ring`;
  if (box.width === 0 || box.height === 0 || box.right < 0 || box.bottom < 0)
    return `${name} has focus but cannot be seen`;
  return "";
}"""
_HAS_FOCUS = "(e) => e === document.activeElement"


@pytest.fixture
def keyboard(browser: Browser, own_server: str) -> Iterator[Page]:
    """A German visitor's page that may read the clipboard."""
    limiter.reset()
    context = browser.new_context(locale="de-DE", timezone_id="Europe/Berlin",
                                  base_url=own_server,
                                  permissions=["clipboard-read", "clipboard-write"])
    context.set_default_timeout(10_000)
    page = context.new_page()
    # Playwright turns on catching the file chooser when the first listener is added, by a
    # message it does not wait for: a key pressed right after `expect_file_chooser` may
    # open the chooser before that, which then never reaches the test. Listen from the start.
    page.on("filechooser", lambda chooser: None)
    try:
        yield page
    finally:
        context.close()


def press(page: Page, key: str) -> None:
    """``key`` pressed; if it moved the focus, the new focus is seen."""
    page.keyboard.press(key)
    if key in ("Tab", "Shift+Tab"):
        problem = page.evaluate(_FOCUS_RING)
        assert not problem, f"{page.url}: {problem}"


def tab_to(page: Page, target: Locator, *, back: bool = False) -> None:
    """Tab (Shift+Tab with ``back``) until ``target`` has the focus."""
    target.wait_for(state="attached")
    for _ in range(MAX_STOPS):
        press(page, "Shift+Tab" if back else "Tab")
        if target.evaluate(_HAS_FOCUS):
            return
    pytest.fail(f"{page.url}: {target} never got the focus in {MAX_STOPS} stops")



def skip_to_content(page: Page) -> None:
    """The page's first Tab stop is the skip link, and Enter on it moves focus to main.

    After a form, the answer's address may keep the skip link's ``#main`` (a redirect
    keeps the fragment of the address it came from): that page opens at its content,
    where the next Tab goes on, so no skip link is needed there.
    """
    page.wait_for_load_state()
    main = page.locator("main#main")
    if urlsplit(page.url).fragment == "main":
        return
    press(page, "Tab")
    skip = page.get_by_role("link", name=de("Skip to content"), exact=True)
    assert skip.evaluate(_HAS_FOCUS), f"{page.url}: the first Tab stop is not the skip link"
    expect(skip).to_be_in_viewport()
    press(page, "Enter")
    expect(main).to_be_focused()


def open_page(page: Page, path: str) -> None:
    """``path`` opened as a bookmark would, then the skip link to its content."""
    page.goto(path)
    skip_to_content(page)


def sign_in(page: Page, email: str) -> None:
    open_page(page, "/login")
    tab_to(page, page.get_by_label(de("Email address"), exact=True))
    page.keyboard.type(email)
    press(page, "Tab")
    expect(page.get_by_label(de("Password"), exact=True)).to_be_focused()
    page.keyboard.type(DEMO_PASSWORD)
    tab_to(page, page.get_by_role("button", name=de("Sign in"), exact=True))
    submit(page)
    # (a redirect keeps the address's #main of the skip link)
    expect(page).to_have_url(re.compile(r"^[^?#]*/(#main)?$"))


def submit(page: Page, key: str = "Enter") -> None:
    """``key`` pressed on the focused link or button, and the next page loaded."""
    with page.expect_navigation():
        press(page, key)
    skip_to_content(page)


def follow(page: Page, link: Locator) -> None:
    tab_to(page, link)
    submit(page)


def navigate(page: Page, label: str) -> None:
    """Follow the main navigation's link ``label``: it lies before the content, so back
    from there with Shift+Tab."""
    navigation = page.get_by_role("navigation", name=de("Main navigation"))
    tab_to(page, navigation.get_by_role("link", name=label, exact=True), back=True)
    submit(page)


def test_sign_in_with_the_keyboard(keyboard: Page) -> None:
    sign_in(keyboard, "teilnehmer@example.org")
    expect(keyboard.get_by_role("heading", level=1)).to_be_visible()


def test_a_participant_hands_in_work_with_a_file(keyboard: Page) -> None:
    page = keyboard
    sign_in(page, "teilnehmer@example.org")
    navigate(page, de("Assignments"))
    follow(page, page.get_by_role("link", name="Entwurf eines Konfliktmanagementsystems",
                                  exact=True))

    tab_to(page, page.get_by_label(de("Your answer"), exact=True))
    page.keyboard.type("Unser Plan, mit dem Kreistag abgestimmt.")
    tab_to(page, page.get_by_label(de("Attach files"), exact=True))
    with page.expect_file_chooser() as chooser:
        press(page, "Space")
    chooser.value.set_files(files=[{"name": "Plan.pdf", "mimeType": "application/pdf",
                                    "buffer": simple_pdf(["Plan Herne"])}])
    tab_to(page, page.get_by_role("button", name=de("Hand in"), exact=True))
    submit(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        de("Receipt for version %(number)d") % {"number": 1})
    expect(page.locator(".work-files")).to_contain_text("Plan.pdf")


def test_a_lecturer_grades_and_releases(keyboard: Page) -> None:
    page = keyboard
    sign_in(page, "dozent@example.org")
    follow(page, page.get_by_role("link", name="Bestandsaufnahme der Integrationsstrukturen",
                                  exact=True))
    follow(page, page.locator(".grading-queue").get_by_role("link", name="Hagen",
                                                             exact=True))
    tab_to(page, page.get_by_label(de("passed"), exact=True))
    press(page, "Space")
    expect(page.get_by_label(de("passed"), exact=True)).to_be_checked()
    tab_to(page, page.get_by_label(de("Feedback"), exact=True))
    page.keyboard.type("Gründlich, mit allen Akteuren.")
    tab_to(page, page.get_by_role("button", name=de("Save grade"), exact=True))
    submit(page)
    tab_to(page, page.get_by_role("button", name=de("Release grade and feedback"), exact=True))
    submit(page)
    expect(page.locator(".grade-history")).to_contain_text(de("released"))


def test_an_organiser_accepts_an_application(keyboard: Page) -> None:
    page = keyboard
    sign_in(page, "orga@example.org")
    navigate(page, de("Cohorts"))
    # the open round starts last of the demo's cohorts: the list's last row (its name
    # follows the day the demo was seeded)
    follow(page, page.locator("table tbody tr").last.get_by_role("link").first)
    follow(page, page.get_by_role("link", name=de("Applications"), exact=True))
    follow(page, page.get_by_role("link", name="Dortmund", exact=True))
    state = page.get_by_label(de("New state"), exact=True)
    tab_to(page, state)
    page.keyboard.type(de("accepted"))  # a closed list jumps to what is typed
    expect(state.locator("option:checked")).to_have_text(de("accepted"))
    tab_to(page, page.get_by_role("button", name=de("Save decision"), exact=True))
    submit(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        de("Accept the application of %(name)s?") % {"name": "Dortmund"})
    tab_to(page, page.get_by_role("button", name=de("Accept"), exact=True))
    submit(page)
    expect(page.get_by_role("status").locator(".flash").first).to_have_text(
        de("%(name)s: the application is now %(state)s.")
        % {"name": "Dortmund", "state": de("accepted")})


def test_a_participant_subscribes_to_the_calendar(keyboard: Page) -> None:
    page = keyboard
    sign_in(page, "teilnehmer@example.org")
    navigate(page, de("Calendar"))

    address = page.get_by_label(de("Your personal calendar address"), exact=True)
    tab_to(page, address)
    press(page, "ControlOrMeta+A")
    press(page, "ControlOrMeta+C")
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied == address.input_value()
    feed = page.request.get(copied)
    assert feed.status == 200 and feed.headers["content-type"].startswith("text/calendar")

    tab_to(page, page.get_by_role("link", name=de("Download as a file (.ics)"), exact=True))
    with page.expect_download() as download:
        press(page, "Enter")
    assert download.value.suggested_filename.endswith(".ics")
