"""An organiser adds an agenda item to the first congress; an anonymous visitor's programme
page and the congress's calendar feed show it."""

from __future__ import annotations

import re

import icalendar
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import de
from tests.e2e.test_course_journey import sign_in

ORGANISER = "orga@example.org"
CONGRESS = "Gesellschaftliche Konflikte effizient bearbeiten"
TITLE = "Grußwort der Stadt Dortmund"
SPEAKER = "Vertretung der Stadt Dortmund; Oberbürgermeisteramt; Stadt Dortmund"


def test_organiser_adds_an_agenda_item_that_the_public_page_and_feed_show(
        page: Page, browser: Browser, live_server: str) -> None:
    sign_in(page, live_server, ORGANISER)
    navigation = page.get_by_role("navigation", name=de("Main navigation"))
    navigation.get_by_role("link", name=de("Congresses"), exact=True).click()
    page.get_by_role("link", name=CONGRESS, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(CONGRESS)
    congress_url = page.url

    page.locator('a[href$="/items/new"]').click()
    page.get_by_label(de("Title"), exact=True).fill(TITLE)
    page.locator("#kind").select_option("talk")
    page.locator("#starts_at").fill("2017-12-07T15:40")  # within the congress
    page.locator("#ends_at").fill("2017-12-07T16:00")
    page.locator("#room").fill("Saal Westfalen")
    page.locator("#speakers").fill(SPEAKER)
    page.get_by_role("button", name=de("Save"), exact=True).click()
    expect(page).to_have_url(re.compile(re.escape(congress_url) + r"#item-\d+$"))
    item = page.locator(".agenda-item", has_text=TITLE)
    expect(item).to_be_visible()

    # Anonymous visitor: own context, no cookies.
    visitor = browser.new_context(locale="de-DE", timezone_id="Europe/Berlin",
                                  base_url=live_server)
    try:
        anonymous = visitor.new_page()
        anonymous.goto(congress_url)
        entry = anonymous.locator(".agenda-item", has_text=TITLE)
        expect(entry).to_be_visible()
        expect(entry).to_contain_text("15:40")
        expect(entry).to_contain_text("Vertretung der Stadt Dortmund")
        expect(entry).to_contain_text("Saal Westfalen")
        expect(anonymous.locator(".signout")).to_have_count(0)

        feed_url = anonymous.locator("#feed-https").get_attribute("href")
        assert feed_url == congress_url + ".ics"
        webcal = anonymous.locator("#feed-webcal").get_attribute("href")
        assert webcal == "webcal://" + feed_url.partition("://")[2]
        response = anonymous.request.get(feed_url)
        assert response.ok
        calendar = icalendar.Calendar.from_ical(response.body())
        events = {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}
        assert TITLE in events
        start = events[TITLE]["DTSTART"]
        assert start.params["TZID"] == "Europe/Berlin"
        assert start.dt.strftime("%Y-%m-%d %H:%M") == "2017-12-07 15:40"
    finally:
        visitor.close()
