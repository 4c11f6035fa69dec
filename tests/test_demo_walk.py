"""Every link the demo shows a role leads somewhere, no GET changes anything, every
date is in the one format, and no page parses Markdown.

One crawl through the seeded demo checks all four. Each demo login follows the links of its
pages, breadth first, a few clicks deep, as a newcomer clicking through would. A link on
a page that answers 403, 404, 405 or 500 is a broken promise of the interface, whichever
plugin drew it. And the whole database, every row of every table, must be the same
after a role's crawl as before it: a GET that writes can be triggered by anybody's
``<img src>`` in Markdown (a lecturer's browser opening another team's grading page).
And every date and time a German page or mail shows is written as ``lms.datetext`` writes
it (``tests.date_formats``). Saved Markdown has its HTML stored (``lms.markdown_columns``),
so a page that still renders Markdown (17 % of the module page's time once) is a
regression.
"""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

import lms.markdown
from lms import demo
from lms.calendar.models import CACHE_TABLE
from lms.extensions import db, limiter
from lms.mail import OutboxMessage
from tests.crawl import crawl
from tests.date_formats import stray_dates, visible_text


def page_problems(path: str, html: str) -> list[str]:
    """Dates in another format, as "page: kind: excerpt", and a page without an icon."""
    problems = [f"{path}: {stray}" for stray in stray_dates(visible_text(html))]
    if '<link rel="icon"' not in html:  # else the browser asks for /favicon.ico: 404
        problems.append(f"{path}: names no icon")
    return problems


Dump = dict[str, list[str]]


def dump(app: Flask) -> Dump:
    """Every row of every table (as text), ordered by primary key. Only caches are left
    out (tables marked ``CACHE_TABLE``: a GET may fill them)."""
    with app.app_context():
        found = {table.name: [repr(tuple(row)) for row in db.session.execute(
            select(table).order_by(*table.primary_key.columns))]
            for table in db.metadata.sorted_tables if not table.info.get(CACHE_TABLE)}
        db.session.remove()
    return found


def changes(before: Dump, after: Dump) -> list[str]:
    """The rows that differ, as "table: - old row" and "table: + new row"."""
    found = []
    for table, rows in before.items():
        kept = set(after[table])
        gone = [row for row in rows if row not in kept]
        kept = set(rows)
        added = [row for row in after[table] if row not in kept]
        found += [f"{table}: - {row}" for row in gone] + [f"{table}: + {row}" for row in added]
    return found


def test_every_link_each_demo_role_sees_works_and_no_get_changes_anything(
        app, demo_world, monkeypatch: pytest.MonkeyPatch):
    parsed: list[str] = []  # Markdown texts parsed since the last page was checked
    render = lms.markdown.md.markdown
    monkeypatch.setattr(lms.markdown.md, "markdown",
                        lambda text, **options: parsed.append(text) or render(text, **options))

    def problems(path: str, html: str) -> list[str]:
        found = page_problems(path, html)
        if parsed:
            found.append(f"{path}: parsed Markdown {len(parsed)} times")
            parsed.clear()
        return found
    report = []
    visitors: list[tuple[str, FlaskClient]] = []
    for email, role in demo.DEMO_LOGINS:
        client = app.test_client()
        client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "de"
        signed_in = client.post("/login", data={"email": email, "password": demo.DEMO_PASSWORD})
        assert signed_in.status_code == 302, email
        visitors.append((f"{role} {email}", client))
    visitors.append(("anonymous", app.test_client()))
    # the walk follows every certificate's verification link, more than its rate limit
    # allows in a minute (the limit has tests of its own)
    limiter.enabled = False
    try:
        for who, client in visitors:
            before = dump(app)
            visited, broken = crawl(client, problems)
            assert visited > 5, f"{who} reached only {visited} pages"
            report += [f"{who}: {line}" for line in broken]
            report += [f"{who}: GET changed {line}" for line in changes(before, dump(app))]
    finally:
        limiter.enabled = True
    with app.app_context():
        for mail in db.session.scalars(select(OutboxMessage)):
            report += [f"mail {mail.subject!r}: {stray}" for stray in stray_dates(mail.body)]
    assert not report, "\n".join(report)
