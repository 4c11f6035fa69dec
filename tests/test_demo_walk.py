"""Every link the demo shows a role leads somewhere, no GET changes anything, and every
date is in the one format.

One crawl through the seeded demo checks all three. Each demo login follows the links of its
pages, breadth first, a few clicks deep, as a newcomer clicking through would. A link on
a page that answers 403, 404, 405 or 500 is a broken promise of the interface, whichever
plugin drew it. And the whole database, every row of every table, must be the same
after a role's crawl as before it: a GET that writes can be triggered by anybody's
``<img src>`` in Markdown (a lecturer's browser opening another team's grading page).
And every date and time a German page or mail shows is written as ``lms.datetext`` writes
it (``tests.date_formats``).
"""

from __future__ import annotations

from collections import Counter, deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from lms import demo
from lms.extensions import db
from lms.mail import OutboxMessage
from tests.date_formats import stray_dates, visible_text

#: every page is visited, but a page's query-string variants (the calendar's "next month",
#: filters, sort orders) only this often: "next month" alone would otherwise go on forever
VARIANTS_PER_PATH = 3
#: a safety net, far above what the demo has (about 1,000 pages for an organiser)
MAX_PAGES_PER_ROLE = 5000
#: links that change state or end the visit
SKIPPED_PATHS = ("/logout",)


class _LinkCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)


def links_of(html: str, base: str) -> list[str]:
    collector = _LinkCollector()
    collector.feed(html)
    found = []
    for href in collector.links:
        url, _fragment = urldefrag(urljoin(base, href))
        parts = urlsplit(url)
        if parts.scheme in ("http", "https") and parts.netloc == "localhost" and url:
            found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def crawl(client: FlaskClient) -> tuple[int, list[str]]:
    """Pages visited and the problems found: broken links, as "page -> link: status",
    dates in another format, as "page: kind: excerpt", and pages without an icon."""
    queue: deque[tuple[str, str]] = deque([("(start)", "/")])
    seen = {"/"}
    variants: Counter[str] = Counter()
    broken: list[str] = []
    visited = 0
    while queue and visited < MAX_PAGES_PER_ROLE:
        source, path = queue.popleft()
        response = client.get(path, follow_redirects=True)
        visited += 1
        if response.status_code >= 400:
            broken.append(f"{source} -> {path}: {response.status_code}")
            continue
        if response.mimetype != "text/html":
            continue
        html = response.get_data(as_text=True)
        broken += [f"{path}: {stray}" for stray in stray_dates(visible_text(html))]
        if '<link rel="icon"' not in html:  # else the browser asks for /favicon.ico: 404
            broken.append(f"{path}: names no icon")
        for link in links_of(html, f"http://localhost{path}"):
            if link in seen or link.startswith(SKIPPED_PATHS):
                continue
            seen.add(link)
            page = link.partition("?")[0]
            variants[page] += 1
            if variants[page] <= VARIANTS_PER_PATH:
                queue.append((path, link))
    assert visited < MAX_PAGES_PER_ROLE, "the crawl did not end: a link generator without end?"
    return visited, broken


Dump = dict[str, list[str]]


def dump(app: Flask) -> Dump:
    """Every row of every table (as text), ordered by primary key. Nothing is left out."""
    with app.app_context():
        found = {table.name: [repr(tuple(row)) for row in db.session.execute(
            select(table).order_by(*table.primary_key.columns))]
            for table in db.metadata.sorted_tables}
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


def test_every_link_each_demo_role_sees_works_and_no_get_changes_anything(app):
    result = app.test_cli_runner().invoke(args=["lms", "seed-demo"])
    assert result.exit_code == 0, result.output
    report = []
    visitors: list[tuple[str, FlaskClient]] = []
    for email, role in demo.DEMO_LOGINS:
        client = app.test_client()
        client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "de"
        signed_in = client.post("/login", data={"email": email, "password": demo.DEMO_PASSWORD})
        assert signed_in.status_code == 302, email
        visitors.append((f"{role} {email}", client))
    visitors.append(("anonymous", app.test_client()))
    for who, client in visitors:
        before = dump(app)
        visited, broken = crawl(client)
        assert visited > 5, f"{who} reached only {visited} pages"
        report += [f"{who}: {line}" for line in broken]
        report += [f"{who}: GET changed {line}" for line in changes(before, dump(app))]
    with app.app_context():
        for mail in db.session.scalars(select(OutboxMessage)):
            report += [f"mail {mail.subject!r}: {stray}" for stray in stray_dates(mail.body)]
    assert not report, "\n".join(report)
