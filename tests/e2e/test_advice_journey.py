"""A participant asks the advice office for mediation; an organiser accepts the request
and assigns a mediator, who takes the case and records an appointment; the appointment
appears in the participant's calendar feed.

Everything happens in the German interface of the demo, on a server of this module's own
(the new case would change what other journeys see).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from icalendar import Calendar
from playwright.sync_api import Browser, Page, expect

from lms.i18n import BERLIN
from tests.e2e.conftest import de, sign_in

PARTICIPANT = "teilnehmer@example.org"
ORGANISER = "orga@example.org"
MEDIATOR = ("mediator.koch@example.org", "Bernd Koch")
APPOINTMENT = "Mediation im Stadtteilzentrum"


@contextmanager
def person(browser: Browser, base_url: str, email: str) -> Iterator[Page]:
    """A German-speaking visitor in Berlin, signed in as ``email``."""
    context = browser.new_context(locale="de-DE", timezone_id="Europe/Berlin",
                                  base_url=base_url)
    context.set_default_timeout(10_000)
    try:
        page = context.new_page()
        sign_in(page, base_url, email)
        yield page
    finally:
        context.close()


def ask_for_mediation(page: Page) -> str:
    """The participant's request; returns the case page's address."""
    page.get_by_role("navigation", name=de("Main navigation")).get_by_role(
        "link", name=de("Conflict advice"), exact=True).click()
    page.get_by_role("link", name=de("Ask for advice or mediation"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(de("Ask for advice or mediation"))
    # the form offers the participant's own municipality first
    expect(page.get_by_label(de("Municipality"), exact=True)).to_have_value(re.compile(r"\d+"))
    page.get_by_label(de("What do you ask for?"), exact=True).select_option("mediation")
    page.get_by_label(de("Description of the conflict"), exact=True).fill(
        "Im Quartier streiten Nachbarn und ein Jugendzentrum über **Lärm** am Abend.")
    page.get_by_label(de("Parties involved"), exact=True).fill("Nachbarschaft, Jugendzentrum")
    page.get_by_label(de("I agree to the processing of the data of this request as "
                         "described above."), exact=True).check()
    page.get_by_role("button", name=de("Send request"), exact=True).click()
    expect(page).to_have_url(re.compile(r"/advice/cases/\d+$"))
    expect(page.locator("main")).to_contain_text("Jugendzentrum")
    return page.url


def test_mediation_from_request_to_the_participants_feed(browser: Browser,
                                                         own_server: str) -> None:
    with person(browser, own_server, PARTICIPANT) as participant:
        case_url = ask_for_mediation(participant)

    with person(browser, own_server, ORGANISER) as organiser:
        organiser.goto(case_url)
        organiser.get_by_label(de("Accept"), exact=True).check()
        organiser.get_by_role("button", name=de("Save decision"), exact=True).click()
        organiser.get_by_label(MEDIATOR[1], exact=True).check()
        organiser.get_by_role("button", name=de("Assign"), exact=True).click()
        expect(organiser.locator("main")).to_contain_text(de("assigned"))

    start = (datetime.now(BERLIN) + timedelta(days=14)).replace(hour=15, minute=0,
                                                                second=0, microsecond=0)
    with person(browser, own_server, MEDIATOR[0]) as mediator:
        mediator.goto(case_url)
        mediator.get_by_label(de("I take the case"), exact=True).check()
        mediator.get_by_role("button", name=de("Send answer"), exact=True).click()
        expect(mediator.locator("main")).to_contain_text(de("in progress"))
        mediator.get_by_label(de("Title"), exact=True).fill(APPOINTMENT)
        mediator.get_by_label(de("Start"), exact=True).fill(start.strftime("%Y-%m-%dT%H:%M"))
        mediator.get_by_label(de("End"), exact=True).fill(
            (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
        mediator.get_by_label(de("Place"), exact=True).fill("Stadtteilzentrum Herne-Mitte")
        mediator.get_by_role("button", name=de("Add appointment"), exact=True).click()
        expect(mediator.locator("main")).to_contain_text(APPOINTMENT)

    with person(browser, own_server, PARTICIPANT) as participant:
        participant.goto(own_server + "/calendar/")
        feed = participant.request.get(participant.locator("#feed-url").input_value())
        assert feed.status == 200
        events = [event for event in Calendar.from_ical(feed.body()).walk("VEVENT")
                  if str(event["SUMMARY"]).startswith(APPOINTMENT)]
        assert len(events) == 1
        event = events[0]
        assert event.decoded("DTSTART") == start
        assert event.decoded("DTEND") == start + timedelta(hours=2)
        assert str(event["LOCATION"]) == "Stadtteilzentrum Herne-Mitte"
        assert str(event["UID"]).startswith("advice-appointment-")
