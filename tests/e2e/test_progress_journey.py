"""Hamm's team records a committee decision and two measures; the lecturer sees them on the
progress board; the organiser sees the board change and exports it.

The steps' part of the demo is seeded on top of ``lms seed-demo`` (idempotent). The
step pages' own wording is found by form field ids and link targets rather than by
German text, so the journey does not depend on the catalog having merged it yet.
"""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from assignments.steps.demo import seed_demo
from lms.csvfile import read_csv
from lms.extensions import db
from tests.e2e.conftest import sign_in

TEAM_MEMBER = "hamm.1@example.org"  # Sabine Hoffmann, Hamm, Studiengruppe 2017
LECTURER = "dozent@example.org"
ORGANISER = "orga@example.org"
COMMITTEE = "Ausschuss für Soziales der Stadt Hamm"
MEASURES = ("Konfliktlotsen in Hamm-Mitte", "Mehrsprachige Sprechstunde im Bürgeramt")


def open_board(page: Page, live_server: str) -> None:
    page.goto(live_server + "/assignments/steps/")
    page.get_by_role("link", name="Studiengruppe 2017", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Studiengruppe 2017")


def figures(page: Page) -> list[int]:
    """presented, municipalities, measures decided, implemented."""
    return [int(n) for n in re.findall(r"\d+", page.locator("#figures").inner_text())]


def record_decision_and_measures(page: Page, live_server: str) -> None:
    sign_in(page, live_server, TEAM_MEMBER)
    open_board(page, live_server)
    page.locator("table.progress-board").get_by_role("link", name="Hamm", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hamm")

    page.locator("a[href$='/presentations/new']").click()
    page.locator("#committee").fill(COMMITTEE)
    page.locator("#meeting_at").fill("2018-06-05T17:00")
    page.locator("#reference").fill("TOP 5, DS 17/0555")
    page.locator("#outcome").select_option("decided")
    page.locator("#notes").fill("Beide Vorschläge **einstimmig** beschlossen.")
    page.locator("#presentation-form button[type=submit]").click()
    expect(page.locator("#presentation")).to_contain_text(COMMITTEE)

    for title in MEASURES:
        page.locator("a[href$='/measures/new']").click()
        decision = page.locator("#presentation_id option", has_text=COMMITTEE)
        page.locator("#presentation_id").select_option(decision.get_attribute("value"))
        page.locator("#title").fill(title)
        page.locator("#responsible_unit").fill("Kommunales Integrationszentrum")
        page.locator("#due_on").fill("2018-12-31")
        page.locator("#measure-form button[type=submit]").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(title)
        page.locator("nav.breadcrumb a").click()
    expect(page.locator("#measures")).to_contain_text(MEASURES[1])


def test_team_records_a_decision_and_measures_staff_see_and_export_them(
        page: Page, browser: Browser, live_app, live_server: str) -> None:
    with live_app.test_request_context():
        seed_demo()
        db.session.commit()

    organiser = browser.new_context(locale="de-DE", timezone_id="Europe/Berlin",
                                    base_url=live_server, accept_downloads=True)
    try:
        staff = organiser.new_page()
        sign_in(staff, live_server, ORGANISER)
        open_board(staff, live_server)
        before = figures(staff)

        record_decision_and_measures(page, live_server)

        staff.reload()
        after = figures(staff)
        assert after[2] == before[2] + 2, (before, after)
        with staff.expect_download() as download_info:
            staff.locator("a[href$='/board.csv']").click()
        header, rows = read_csv(download_info.value.path().read_bytes())
        assert "Hamm" in [row[0] for row in rows]
        assert len(header) == 2 + 2 * 4
    finally:
        organiser.close()

    # The lecturer of the cohort finds the measures on Hamm's page through the board.
    page.context.clear_cookies()
    sign_in(page, live_server, LECTURER)
    open_board(page, live_server)
    expect(page.locator("#figures")).to_contain_text(str(after[2]))
    page.locator("table.progress-board").get_by_role("link", name="Hamm", exact=True).click()
    expect(page.locator("#presentation")).to_contain_text(COMMITTEE)
    expect(page.locator("#measures")).to_contain_text(MEASURES[0])
