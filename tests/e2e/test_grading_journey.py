"""A lecturer returns work for revision, the participant hands it in again, the lecturer
grades and releases it, and the participant sees the grade and the feedback.

Krefeld's team (the current cohort) has an extension for the demo's "Akteurslandkarte der
Kommune" and has not handed it in yet; no other journey touches it.
"""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect

from tests.e2e.test_course_journey import flash, sign_in
from tests.e2e.test_submission_journey import shown

PARTICIPANT = "krefeld.1@example.org"
LECTURER = "dozent@example.org"
ASSIGNMENT = "Akteurslandkarte der Kommune"
FEEDBACK = "Bitte ergänzen Sie einen **Zeitplan** für die Ausschüsse."
FINAL_FEEDBACK = "Überzeugend, mit klarem Zeitplan."


def _hand_in(page: Page, answer: str) -> None:
    page.goto("/assignments/")
    page.get_by_role("link", name=ASSIGNMENT, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(ASSIGNMENT)
    page.get_by_label(shown("Your answer"), exact=True).fill(answer)
    page.get_by_role("button", name=shown("Hand in"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        shown("Receipt for version %(number)d").split("%")[0].strip())


def _open_krefeld(page: Page) -> None:
    """From the dashboard's grading panel to Krefeld's work in the queue."""
    page.goto("/")
    page.get_by_role("link", name=ASSIGNMENT, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(ASSIGNMENT)
    page.locator(".grading-queue").get_by_role("link", name="Krefeld", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Krefeld")


def test_lecturer_returns_grades_and_releases_and_the_participant_sees_it(
        page: Page, browser: Browser, live_server: str) -> None:
    sign_in(page, live_server, PARTICIPANT)
    _hand_in(page, "Unsere Empfehlungen an den Rat.")

    context = browser.new_context(locale="de-DE", timezone_id="Europe/Berlin",
                                  base_url=live_server)
    context.set_default_timeout(10_000)
    try:
        lecturer = context.new_page()
        sign_in(lecturer, live_server, LECTURER)
        _open_krefeld(lecturer)
        expect(lecturer.locator(".markdown").first).to_contain_text("Empfehlungen an den Rat")
        lecturer.get_by_label(shown("Feedback"), exact=True).fill(FEEDBACK)
        lecturer.locator("button[name=action][value=preview]").click()
        expect(lecturer.locator("#feedback-preview strong")).to_have_text("Zeitplan")
        lecturer.locator("button[name=action][value=return]").click()
        # a confirmation says what will happen; nothing is returned before it
        confirmation = lecturer.locator("#confirm-return")
        expect(confirmation).to_contain_text(shown("What will happen"))
        confirmation.locator("button[name=action][value=return]").click()
        expect(flash(lecturer)).to_be_visible()

        # The participant reads the feedback at once, on the assignment's own page too,
        # and hands in a second version.
        page.goto("/assignments/my-grades")
        expect(page.locator(".own-review").first).to_contain_text("Zeitplan")
        _hand_in(page, "Unsere Empfehlungen an den Rat, mit Zeitplan.")
        expect(page.get_by_role("heading", level=1)).to_have_text(
            shown("Receipt for version %(number)d") % {"number": 2})

        # The lecturer sees both versions, grades the second and releases it.
        _open_krefeld(lecturer)
        expect(lecturer.locator(".markdown").first).to_contain_text("mit Zeitplan")
        expect(lecturer.locator("details.earlier")).to_contain_text(
            shown("returned for revision"))
        lecturer.get_by_label(shown("passed"), exact=True).check()
        lecturer.get_by_label(shown("Feedback"), exact=True).fill(FINAL_FEEDBACK)
        lecturer.locator("button[name=action][value=grade]").click()
        expect(flash(lecturer)).to_be_visible()

        # Not released yet: the participant does not see the grade.
        page.goto("/assignments/my-grades")
        expect(page.get_by_text(FINAL_FEEDBACK)).to_have_count(0)

        lecturer.locator("button[name=release]").click()
        expect(lecturer.locator(".grade-history")).to_contain_text(shown("released"))
    finally:
        context.close()

    # The participant is told, and sees grade and feedback.
    page.goto("/")
    expect(page.locator(".panel", has_text=ASSIGNMENT)).to_be_visible()  # the notification
    navigation = page.get_by_role("navigation", name=shown("Main navigation"))
    navigation.get_by_role("link", name=shown("My grades"), exact=True).click()
    own = page.locator(".own-grade", has_text=ASSIGNMENT)
    expect(own.locator(".grade").first).to_have_text(shown("passed"))
    expect(own).to_contain_text(FINAL_FEEDBACK)
    page.goto("/assignments/notifications")
    expect(page.locator(".notifications")).to_contain_text(ASSIGNMENT)
