"""Screenshots of each demo role's key pages on a phone and a laptop, for the README and
for reviewing a change by eye: ``make screenshots`` while ``make run`` serves the demo.

Each role signs in within the browser (a login is bound to its user agent), in German,
and follows links as a person would; the pictures land in ``docs/screenshots``.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from lms import demo
from tests.e2e.conftest import CHROMIUM_ARGS, CHROMIUM_PATH

WIDTHS = {"phone": (390, 844), "laptop": (1280, 800)}


def _link(text: str) -> Callable[[Page], None]:
    def follow(page: Page) -> None:
        page.get_by_role("link", name=text, exact=True).first.click()
    return follow


#: per login: (name of the picture, path to start from, links to follow from there)
TOURS = {
    "teilnehmer@example.org": (
        ("participant-dashboard", "/", ()),
        ("participant-work", "/assignments/", (_link("Entwurf eines Konfliktmanagementsystems"),)),
    ),
    "dozent@example.org": (
        ("lecturer-dashboard", "/", ()),
        ("lecturer-queue", "/", (_link("Konfliktfall aus der eigenen Praxis"),)),
    ),
    "orga@example.org": (
        ("organiser-dashboard", "/", ()),
        ("organiser-cohorts", "/cohorts/", ()),
    ),
}


def take(base_url: str, out: Path) -> list[Path]:
    """Sign in as each demo login and photograph its tour at both widths."""
    out.mkdir(parents=True, exist_ok=True)
    taken = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM_PATH), args=CHROMIUM_ARGS)
        for email, tour in TOURS.items():
            for width_name, (width, height) in WIDTHS.items():
                context = browser.new_context(locale="de-DE", timezone_id="Europe/Berlin",
                                              base_url=base_url,
                                              viewport={"width": width, "height": height})
                page = context.new_page()
                page.goto("/login")
                page.locator("input[name=email]").fill(email)
                page.locator("input[name=password]").fill(demo.DEMO_PASSWORD)
                page.locator("main form button[type=submit]").click()
                page.wait_for_url(lambda url: "/login" not in url)  # signed in (or times out)
                for name, start, steps in tour:
                    page.goto(start)
                    for step in steps:
                        step(page)
                    path = out / f"{name}-{width_name}.png"
                    page.screenshot(path=path, full_page=True)
                    taken.append(path)
                context.close()
        browser.close()
    return taken


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:5000")
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    arguments = parser.parse_args()
    for path in take(arguments.base_url, arguments.out):
        print(path)


if __name__ == "__main__":
    main()
