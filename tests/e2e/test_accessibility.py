"""axe-core finds no serious or critical violation on any page any demo role reaches by
links (one page per endpoint), nor on any of those pages' forms sent empty.

Moderate findings are printed (``pytest -s`` or ``-rP`` shows them). The pages come
from the session's one crawl (``pages_by_role``), each role keeps one browser context.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page

from tests.e2e.axe import Violation, audit, report, with_axe
from tests.e2e.pages import ROLES


@pytest.fixture(scope="module")
def axe_pages(role_pages: dict[str | None, Page]) -> Iterator[dict[str | None, Page]]:
    for page in role_pages.values():
        with_axe(page)
    yield role_pages


def test_no_page_has_a_serious_or_critical_violation(
        live_server: str, pages_by_role: dict[str | None, list[str]],
        axe_pages: dict[str | None, Page]) -> None:
    found: list[Violation] = []
    for email in ROLES:
        page = axe_pages[email]
        for path in pages_by_role[email]:
            page.goto(live_server + path)
            found += audit(page, f"{email or 'visitor'} {path}")
    failing = report(found)
    assert not failing, failing
