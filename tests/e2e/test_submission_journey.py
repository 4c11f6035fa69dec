"""A participant hands in work with a file and sees the receipt with its checksum.

Dennis Vogt (Krefeld, the current cohort) has not started the demo's open assignment, the
"Entwurf eines Konfliktmanagementsystems", due about three weeks after the demo was seeded.
"""

from __future__ import annotations

import hashlib

from playwright.sync_api import Page, expect

from courses.demo import simple_pdf
from tests.e2e.conftest import _mo_translations
from tests.e2e.test_course_journey import flash, sign_in

PARTICIPANT = "krefeld.2@example.org"
ASSIGNMENT = "Entwurf eines Konfliktmanagementsystems"
ANSWER = "## Anlaufstellen\n\n- Clearingstelle im **Bürgeramt**"
PDF = simple_pdf(["Konfliktmanagementsystem Krefeld"])


def shown(msgid: str) -> str:
    """What the app shows for ``msgid``: the compiled German, or the source until it has one."""
    translations = _mo_translations()
    return translations.gettext(msgid) if translations else msgid


def test_participant_hands_in_with_a_file_and_sees_the_receipt(page: Page,
                                                               live_server: str) -> None:
    sign_in(page, live_server, PARTICIPANT)
    navigation = page.get_by_role("navigation", name=shown("Main navigation"))
    navigation.get_by_role("link", name=shown("Assignments"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(shown("Your assignments"))
    page.get_by_role("link", name=ASSIGNMENT, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(ASSIGNMENT)

    # Preview first: rendered on the server, nothing saved.
    page.get_by_label(shown("Your answer"), exact=True).fill(ANSWER)
    page.get_by_role("button", name=shown("Preview"), exact=True).click()
    preview = page.get_by_role("region", name=shown("Preview (not saved yet)"))
    expect(preview.locator("strong")).to_have_text("Bürgeramt")

    page.get_by_label(shown("Attach files"), exact=True).set_input_files(files=[{
        "name": "Konfliktmanagementsystem.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.get_by_role("button", name=shown("Hand in"), exact=True).click()

    expect(flash(page)).to_contain_text(shown("Your work has been handed in as version %(number)d.")
                                        .split("%")[0].strip())
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(shown("Receipt for version %(number)d") % {"number": 1})
    receipt = page.locator(".receipt")
    expect(receipt).to_contain_text(ASSIGNMENT)
    expect(page.locator(".work-files")).to_contain_text("Konfliktmanagementsystem.pdf")
    expect(page.locator(".checksum")).to_have_text(hashlib.sha256(PDF).hexdigest())
    expect(page.locator(".markdown strong")).to_have_text("Bürgeramt")

    # The assignment page now lists the version.
    page.get_by_role("link", name=ASSIGNMENT, exact=True).click()
    expect(page.get_by_role("link", name=shown("Version %(number)d") % {"number": 1})) \
        .to_be_visible()
