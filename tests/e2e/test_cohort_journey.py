"""A municipality applies in the public round; an organiser accepts it; the nominated person
follows the invitation link from the outbox, sets a password and sees the cohort.

Everything happens in the German interface of the demo, whose open round has its window
open around today.
"""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from lms.demo import DEMO_PASSWORD
from tests.e2e.conftest import de

ORGANISER = "orga@example.org"
MUNICIPALITY = "Hagen"
CONTACT = ("Greta Gerlach", "g.gerlach@hagen.example.org")
NOMINEES = (
    ("Henrike Hesse", "h.hesse@hagen.example.org", "Kommunales Integrationszentrum"),
    ("Jakob Jansen", "j.jansen@hagen.example.org", "Fachbereich Jugend und Soziales"),
)
NEW_PASSWORD = "hagen-macht-mit-2027"
INVITATION = re.compile(r"https?://\S+/invitation/\S+")


def flash(page: Page):
    return page.get_by_role("status").locator(".flash")


def navigation(page: Page):
    return page.get_by_role("navigation", name=de("Main navigation"))


def apply_for_hagen(page: Page, live_server: str) -> str:
    """The public form, as a municipality fills it in; returns the cohort's name."""
    page.goto(live_server + "/login")
    navigation(page).get_by_role("link", name=de("Apply"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(de("Application rounds"))
    open_round = page.locator("main li.panel").first  # the demo has one open round
    cohort_name = open_round.get_by_role("heading", level=2).inner_text()
    open_round.get_by_role("link", name=de("Apply for %(cohort)s") % {"cohort": cohort_name},
                           exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        de("Apply for %(cohort)s") % {"cohort": cohort_name})

    page.get_by_label(de("Municipality"), exact=True).select_option(label=MUNICIPALITY)
    page.get_by_label(de("Contact person"), exact=True).fill(CONTACT[0])
    page.get_by_label(de("Email address of the contact person"), exact=True).fill(CONTACT[1])
    for number, (name, email, function) in enumerate(NOMINEES, start=1):
        block = page.get_by_role("group", name=de("Responsible person %(number)d")
                                 % {"number": number})
        block.get_by_label(de("Name"), exact=True).fill(name)
        block.get_by_label(de("Email address"), exact=True).fill(email)
        block.get_by_label(de("Function"), exact=True).fill(function)
    page.get_by_label(de("Motivation"), exact=True).fill(
        "Hagen möchte Konflikte im Quartier **früh** gemeinsam bearbeiten.")
    page.get_by_label(de("Current integration structures"), exact=True).fill(
        "- Kommunales Integrationszentrum\n- Integrationsrat")
    page.get_by_label(de("We agree that LaKI NRW processes the data of this application to "
                         "carry out the application procedure and the course.")).check()
    page.get_by_role("button", name=de("Send application"), exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(de("Application received"))
    # the answer names the municipality and reveals nothing about the people
    expect(page.locator("main")).to_contain_text(MUNICIPALITY)
    expect(page.locator("main")).not_to_contain_text(NOMINEES[1][1])
    return cohort_name


def accept_hagen(page: Page, live_server: str, cohort_name: str) -> str:
    """The organiser accepts the application; returns the nominee's invitation link."""
    page.goto(live_server + "/login")
    page.get_by_label(de("Email address"), exact=True).fill(ORGANISER)
    page.get_by_label(de("Password"), exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name=de("Sign in"), exact=True).click()
    expect(page).to_have_url(live_server + "/")

    navigation(page).get_by_role("link", name=de("Cohorts"), exact=True).click()
    page.get_by_role("link", name=cohort_name, exact=True).click()
    page.get_by_role("link", name=de("Applications"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        de("Applications for %(cohort)s") % {"cohort": cohort_name})
    page.get_by_role("link", name=MUNICIPALITY, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(MUNICIPALITY)

    page.get_by_label(de("New state"), exact=True).select_option(label=de("accepted"))
    page.get_by_role("button", name=de("Save decision"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        de("Accept the application of %(name)s?") % {"name": MUNICIPALITY})
    expect(page.get_by_role("region", name=de("What will happen"))).to_contain_text(
        de("The contact person, %(name)s, is told of the decision by mail.").split(",")[0])
    page.get_by_role("button", name=de("Accept"), exact=True).click()
    expect(flash(page).first).to_have_text(
        de("%(name)s: the application is now %(state)s.")
        % {"name": MUNICIPALITY, "state": de("accepted")})
    history = page.get_by_role("region", name=de("History"))
    expect(history).to_contain_text(de("submitted"))
    expect(history).to_contain_text(de("accepted"))

    navigation(page).get_by_role("link", name=de("Outbox"), exact=True).click()
    page.get_by_label(de("Recipient"), exact=True).fill(NOMINEES[0][1])
    page.get_by_role("button", name=de("Filter"), exact=True).click()
    page.get_by_role("link", name=de("Your access to the certificate course"),
                     exact=True).click()
    body = page.locator(".mail-body").inner_text()
    link = INVITATION.search(body)
    assert link, body
    return link.group(0)


def test_a_municipality_applies_is_accepted_and_its_person_sees_the_cohort(
        page: Page, browser: Browser, live_server: str) -> None:
    cohort_name = apply_for_hagen(page, live_server)

    organiser = browser.new_context(locale="de-DE", timezone_id="Europe/Berlin",
                                    base_url=live_server)
    try:
        link = accept_hagen(organiser.new_page(), live_server, cohort_name)
    finally:
        organiser.close()

    # The nominated person follows the link from the outbox and sets a password.
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text(de("Set your password"))
    page.get_by_label(de("New password"), exact=True).fill(NEW_PASSWORD)
    page.get_by_label(de("Repeat the password"), exact=True).fill(NEW_PASSWORD)
    page.get_by_role("button", name=de("Save password"), exact=True).click()
    expect(page).to_have_url(live_server + "/")
    expect(flash(page)).to_have_text([de("Your password has been saved. Welcome!")])

    # ... and finds the cohort, with Hagen and both of its people.
    navigation(page).get_by_role("link", name=de("My cohort"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(cohort_name)
    team = page.locator("li.team", has=page.get_by_role("heading", name=MUNICIPALITY))
    expect(team).to_contain_text(NOMINEES[0][0])
    expect(team).to_contain_text(NOMINEES[1][0])
    expect(team).to_contain_text(NOMINEES[1][2])
    # the other person's contact data stays hidden until they agree to share it
    expect(team).not_to_contain_text(NOMINEES[1][1])
