"""Calendar feeds: building 300 events, answering 304, and queries as events grow.

The query counts are part of every ``make test``; ``make bench`` prints the timings.
The events come from the in-memory test source (``tests.calendar.plugin``), so the
counts are the host's own: whatever the real sources cost comes on top, once per source.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask

from lms.auth.models import Role, User
from lms.calendar.events import collect, feed_options
from lms.calendar.ical import feed_etag, to_ical
from lms.calendar.stamp import renew_stamp
from lms.calendar.tokens import feed_token
from lms.extensions import db
from tests.benchmarks.conftest import throughput
from tests.calendar import plugin
from tests.calendar.conftest import event
from tests.conftest import TEST_PASSWORD, make_app
from tests.querycount import count_queries

FIRST = datetime(2017, 5, 18, 8, tzinfo=UTC)


@pytest.fixture
def calendar_app(app: Flask, database_url: str, tmp_path: Path) -> Iterator[Flask]:
    plugin.reset()
    yield make_app(database_url, str(tmp_path), PLUGINS=["tests.calendar.plugin"],
                   LOAD_ENTRY_POINTS=False)
    plugin.reset()


def grow(count: int) -> None:
    """Sessions of cohort 1 every other day, with a text that needs folding and escaping."""
    plugin.EVENTS[:] = [
        plugin.Entry(event(f"b{number}", FIRST + timedelta(days=2 * number),
                           FIRST + timedelta(days=2 * number, hours=7), cohort_id=1,
                           title=f"Präsenztermin {number}: Konfliktmanagement; Teil {number}",
                           location="Dortmund, Westfalenhallen, Raum 3",
                           description="Ablauf: Einstieg, Praxisberichte, Austausch. " * 4,
                           url=f"https://lms.example.org/course/modules/{number}",
                           sequence=number % 3))
        for number in range(count)
    ]


def best_ms(run: Callable[[], object], repeat: int = 15) -> float:
    """The fastest of ``repeat`` runs after a warm-up, in milliseconds."""
    run()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times) * 1000


def test_queries_stay_flat_as_events_grow(calendar_app, create_user):
    organiser = create_user("orga@example.org", Role.ORGANISER)
    client = calendar_app.test_client()
    client.post("/login", data={"email": organiser.email, "password": TEST_PASSWORD})
    with calendar_app.test_request_context():
        feed = f"/calendar/feed/{feed_token(db.session.get(User, organiser.id))}.ics"
    pages = [feed, "/calendar/cohorts/1.ics", "/calendar/export.ics",
             "/calendar/?month=2017-10", "/calendar/?view=list&month=2017-05"]

    def counts() -> dict[str, int]:
        result = {}
        for page in pages:
            with count_queries(calendar_app) as log:
                assert client.get(page).status_code == 200, page
            result[page] = log.count
        return result

    grow(5)
    small = counts()
    grow(300)
    large = counts()
    print(f"\nqueries per calendar request with 5 and with 300 events: {small}")
    assert large == small
    assert max(small.values()) <= 6, small


@throughput
def test_feed_of_300_events_build_and_304(calendar_app, create_user):
    participant = create_user("p@example.org", Role.PARTICIPANT)
    plugin.MEMBERS[participant.email] = {1}
    grow(300)
    with calendar_app.test_request_context():
        events = collect(db.session.get(User, participant.id))
        options = feed_options("Benchmark")
        now = datetime.now(UTC)
        build = best_ms(lambda: to_ical(events, options, now))
        etag = best_ms(lambda: feed_etag(events, options))
        path = f"/calendar/feed/{feed_token(db.session.get(User, participant.id))}.ics"
        size = len(to_ical(events, options, now))
    assert len(events) == 300

    client = calendar_app.test_client()
    first = client.get(path)
    assert first.status_code == 200
    full = best_ms(lambda: client.get(path))
    not_modified = best_ms(
        lambda: client.get(path, headers={"If-None-Match": first.headers["ETag"]}))
    assert client.get(path, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    print(f"\nfeed of 300 events ({size / 1024:.0f} KiB): build {build:.1f} ms, "
          f"ETag {etag:.2f} ms; whole request: 200 in {full:.1f} ms, 304 in "
          f"{not_modified:.1f} ms (best of 15, test client, in-memory source)")
    assert not_modified < full


@throughput
def test_cached_feed_of_300_events(app, database_url, tmp_path, create_user):
    """The same personal feed served from the cache: a 200 and a 304, beside a full build."""
    plugin.reset()
    cached_app = make_app(database_url, str(tmp_path), LOAD_ENTRY_POINTS=False,
                          PLUGINS=["tests.calendar.plugin:cached_plugin"])
    participant = create_user("p@example.org", Role.PARTICIPANT)
    plugin.MEMBERS[participant.email] = {1}
    grow(300)
    with cached_app.app_context():
        renew_stamp(db.session.connection())  # the in-memory events changed
        db.session.commit()
    with cached_app.test_request_context():
        path = f"/calendar/feed/{feed_token(db.session.get(User, participant.id))}.ics"
        events = collect(db.session.get(User, participant.id))
        build = best_ms(lambda: to_ical(events, feed_options("Benchmark"), datetime.now(UTC)))
    client = cached_app.test_client()
    first = client.get(path)
    assert first.status_code == 200
    cached = best_ms(lambda: client.get(path))
    not_modified = best_ms(
        lambda: client.get(path, headers={"If-None-Match": first.headers["ETag"]}))
    plugin.reset()
    print(f"\ncached feed of 300 events: build alone {build:.1f} ms; whole request from the "
          f"cache: 200 in {cached:.1f} ms, 304 in {not_modified:.1f} ms (best of 15)")
    assert cached < build
