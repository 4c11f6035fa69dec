"""The calendar in the browser: a participant finds their dates, subscribes and renews.

Elements are found by their places (ids, addresses), not their words, so the journey
does not depend on the wording a translator chooses.
"""

from __future__ import annotations

from playwright.sync_api import Page, expect

from lms.demo import DEMO_PASSWORD
from tests.calendar.conftest import parse_feed
from tests.e2e.conftest import de


def test_participant_sees_dates_subscribes_and_renews(page: Page, live_server: str) -> None:
    page.goto(live_server + "/login")
    page.locator("input[name=email]").fill("teilnehmer@example.org")
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.get_by_role("navigation", name=de("Main navigation")).get_by_role(
        "link", name=de("Calendar"), exact=True).click()
    expect(page.locator("table.calendar-month caption")).to_be_visible()
    expect(page.locator("td[aria-current=date]")).to_have_count(1)

    # the current cohort's sessions and deadlines fall in every month while it runs
    page.goto(live_server + "/calendar/?view=list")
    expect(page.locator(".calendar-list__events > li").first).to_be_visible()

    old_url = page.locator("#feed-url").input_value()
    feed = page.request.get(old_url)
    assert feed.status == 200
    assert feed.headers["content-type"] == "text/calendar; charset=utf-8"
    assert parse_feed(feed.body()).by_icalendar, "the participant's feed is empty"
    expect(page.locator(f"a[href='webcal://{old_url.split('://', 1)[1]}']")).to_be_visible()

    page.locator("form[action='/calendar/feed/renew'] button").click()
    expect(page.locator(".flash--success")).to_be_visible()
    new_url = page.locator("#feed-url").input_value()
    assert new_url != old_url
    assert page.request.get(old_url).status == 404
    assert page.request.get(new_url).status == 200
