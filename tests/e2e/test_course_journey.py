"""A lecturer writes and publishes a module in the German interface; a participant reads it.

Until it is published the participant neither finds the module in the course nor opens it
by its address.
"""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import de, sign_in

LECTURER = "dozent@example.org"
PARTICIPANT = "teilnehmer@example.org"
COURSE_TITLE = "Integrationsmanagement und Systemdesign"
TITLE = "Konfliktlotsen im Quartier"
SUMMARY = "Wie ehrenamtliche Lotsen Nachbarschaftskonflikte früh auffangen."
OBJECTIVES = "- Aufgaben von Konfliktlotsen beschreiben\n- Grenzen des Ehrenamts kennen"
CONTENT = ("## Ein Praxisbeispiel\n\nIn **Hamm** vermitteln geschulte Lotsen zwischen "
           "Nachbarn.\n\n| Schritt | Wer |\n|---|---|\n| Erstgespräch | Lotse |\n")


def open_course(page: Page) -> None:
    navigation = page.get_by_role("navigation", name=de("Main navigation"))
    navigation.get_by_role("link", name=de("Course"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(COURSE_TITLE)


def flash(page: Page):
    return page.get_by_role("status").locator(".flash")


def test_lecturer_publishes_a_module_and_a_participant_reads_it(
        page: Page, browser: Browser, live_server: str) -> None:
    # The lecturer writes the module and previews it.
    sign_in(page, live_server, LECTURER)
    open_course(page)
    page.get_by_role("link", name=de("New module"), exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(de("New module"))
    page.get_by_label(de("Title"), exact=True).fill(TITLE)
    page.get_by_label(de("Short summary"), exact=True).fill(SUMMARY)
    page.get_by_label(de("Learning objectives"), exact=True).fill(OBJECTIVES)
    page.get_by_label(de("Content"), exact=True).fill(CONTENT)
    page.get_by_role("button", name=de("Preview"), exact=True).click()
    preview = page.get_by_role("region", name=de("Preview (not saved yet)"))
    expect(preview.get_by_role("heading", name="Ein Praxisbeispiel")).to_be_visible()
    expect(preview.locator("strong")).to_have_text("Hamm")
    expect(page.get_by_label(de("Content"), exact=True)).to_have_value(CONTENT)

    # Saved as a draft.
    page.get_by_role("button", name=de("Save"), exact=True).click()
    expect(page).to_have_url(re.compile(r"/course/modules/\d+$"))
    module_url = page.url
    expect(flash(page)).to_have_text([de("The module has been saved as a draft. Participants "
                                         "see it once you publish it.")])
    expect(page.get_by_role("heading", level=1)).to_contain_text(TITLE)
    expect(page.get_by_role("heading", level=1)).to_contain_text(de("Draft"))

    # The participant does not see the draft, not even by its address.
    context = browser.new_context(locale="de-DE", timezone_id="Europe/Berlin",
                                  base_url=live_server)
    try:
        reader = context.new_page()
        sign_in(reader, live_server, PARTICIPANT)
        open_course(reader)
        expect(reader.get_by_role("link", name=TITLE)).to_have_count(0)
        response = reader.goto(module_url)
        assert response is not None and response.status == 404
        expect(reader.get_by_role("heading", level=1)).to_contain_text(de("Page not found"))

        # The lecturer publishes it ...
        page.get_by_role("button", name=de("Publish"), exact=True).click()
        expect(flash(page)).to_have_text(
            [de("The module is published: participants can read it now.")])
        expect(page.get_by_role("button", name=de("Back to draft"), exact=True)).to_be_visible()

        # ... and the participant finds it in the course and reads it.
        reader.goto(live_server + "/")
        open_course(reader)
        reader.get_by_role("link", name=TITLE, exact=True).click()
        expect(reader).to_have_url(module_url)
        expect(reader.get_by_role("heading", level=1)).to_have_text(TITLE)
        expect(reader.get_by_text(SUMMARY)).to_be_visible()
        objectives = reader.get_by_role("region", name=de("Learning objectives"))
        expect(objectives.get_by_role("listitem")).to_have_text(
            ["Aufgaben von Konfliktlotsen beschreiben", "Grenzen des Ehrenamts kennen"])
        expect(reader.get_by_role("heading", name="Ein Praxisbeispiel")).to_be_visible()
        expect(reader.get_by_role("cell", name="Erstgespräch")).to_be_visible()
        expect(reader.get_by_role("link", name=de("Edit module"))).to_have_count(0)
        expect(reader.get_by_role("button", name=de("Publish"))).to_have_count(0)
    finally:
        context.close()
