"""axe-core finds no serious or critical violation on any page any demo role reaches by
links (one page per endpoint).

Moderate findings are printed (``pytest -rP`` shows them). The pages come from the
run's one crawl (``pages_by_role``); the forms on them, sent empty, are checked in
``test_accessibility_forms.py`` (a file of its own, so that the two run side by side).
"""

from __future__ import annotations

from playwright.sync_api import Page

from tests.e2e.axe import Violation, audit, report
from tests.e2e.pages import ROLES


def test_no_page_has_a_serious_or_critical_violation(
        axe_pages: tuple[str, dict[str | None, Page]],
        pages_by_role: dict[str | None, list[str]]) -> None:
    base_url, pages = axe_pages
    found: list[Violation] = []
    for email in ROLES:
        for path in pages_by_role[email]:
            pages[email].goto(base_url + path)
            found += audit(pages[email], f"{email or 'visitor'} {path}")
    failing = report(found)
    assert not failing, failing
