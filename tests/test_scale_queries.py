"""Queries per key page stay the same when a small scale dataset joins the demo.

The key pages are the benchmark's (``tests.benchmarks.pages.demo_key_pages``); each is
asked once to warm the caches a change empties (the calendar's summary, the feeds), then
counted. A page whose count grows with cohorts, people, versions or mails asks the
database once per row somewhere.
"""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from lms.demo import DEMO_PASSWORD
from tests.benchmarks.pages import KeyPage, demo_key_pages
from tests.querycount import count_queries

#: small enough for the normal suite, large enough that a query per row shows
SCALE = ["--cohorts", "20", "--participants", "300", "--versions", "3000", "--outbox", "1000"]


def _clients(app: Flask, pages: list[KeyPage]) -> dict[str | None, FlaskClient]:
    clients: dict[str | None, FlaskClient] = {None: app.test_client()}
    for email in {page.email for page in pages if page.email}:
        client = app.test_client()
        answer = client.post("/login", data={"email": email, "password": DEMO_PASSWORD})
        assert answer.status_code == 302 and "/login" not in answer.location, email
        clients[email] = client
    return clients


def _queries(app: Flask, pages: list[KeyPage],
             clients: dict[str | None, FlaskClient]) -> dict[str, int]:
    counts = {}
    for page in pages:
        client = clients[page.email]
        first = client.get(page.path)
        assert first.status_code == 200, (page.label, first.status_code)
        headers = {"If-None-Match": first.headers["ETag"]} if page.revalidate else {}
        with count_queries(app) as log:
            answer = client.get(page.path, headers=headers)
        assert answer.status_code == (304 if page.revalidate else 200), page.label
        counts[page.label] = log.count
    return counts


def test_key_pages_ask_as_many_queries_on_scale_data_as_on_the_demo(app, demo_world):
    with app.test_request_context():
        pages = demo_key_pages()
    clients = _clients(app, pages)
    demo = _queries(app, pages, clients)
    result = app.test_cli_runner().invoke(args=["lms", "seed-scale", *SCALE])
    assert result.exit_code == 0, result.output
    scale = _queries(app, pages, clients)
    print(f"\nqueries per key page: {demo}")
    assert scale == demo
