"""Feeds built once per change, kept in the shared cache, never stale (issue 19).

Every write to a model a calendar source reads renews the change stamp, whichever code
makes it; the feed's ETag is made of the stamp, so a 304 costs the token and the stamp.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select, update

from assignments.models import AssignmentSchedule, Extension
from assignments.steps.models import Presentation
from cohorts.models import Enrollment
from courses.access import visible_sessions
from courses.models import Module, Session
from lms.auth.models import Role, User
from lms.calendar import cache, feeds
from lms.calendar.stamp import current_stamp, renew_stamp
from lms.calendar.tokens import feed_token
from lms.dates import berlin_midnight, berlin_today
from lms.db import utcnow
from lms.extensions import db
from lms.plugins import Plugin, PluginRegistry
from tests.calendar import plugin
from tests.calendar.conftest import berlin, parse_feed
from tests.conftest import TEST_PASSWORD, make_app
from tests.querycount import count_queries


def _path(app: Flask, user_id: int) -> str:
    with app.test_request_context():
        return f"/calendar/feed/{feed_token(db.session.get(User, user_id))}.ics"


@pytest.fixture(params=["database", "redis"])
def store(request: pytest.FixtureRequest, app: Flask) -> Iterator[str]:
    """Each test runs with the feeds kept in the database, and in Redis."""
    kept = app.extensions[cache.EXTENSION_KEY]
    if request.param == "redis":
        app.extensions[cache.EXTENSION_KEY] = cache.RedisStore("redis://127.0.0.1:6379/0")
    yield request.param
    app.extensions[cache.EXTENSION_KEY] = kept


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many feeds are built (``to_ical`` calls)."""
    calls: list[int] = []
    build = feeds.to_ical

    def counted(*args, **kwargs) -> bytes:
        calls.append(1)
        return build(*args, **kwargs)

    monkeypatch.setattr(feeds, "to_ical", counted)
    return calls


def _starts(body: bytes) -> dict[str, object]:
    return {uid: event.start for uid, event in parse_feed(body).by_icalendar.items()}


def test_each_change_is_in_the_next_fetch(app, client, demo_world, store, builds):
    """A session, a deadline, a committee meeting and an extension, each edited after
    the feed was cached: the next fetch shows it. The edits move them to next month,
    inside the feed's window."""
    with app.app_context():
        meeting = db.session.scalars(select(Presentation).order_by(Presentation.id)).first()
        person = db.session.scalars(select(Enrollment.user_id).where(
            Enrollment.cohort_id == meeting.cohort_id,
            Enrollment.municipality_id == meeting.municipality_id,
            Enrollment.ended_at.is_(None)).order_by(Enrollment.id)).first()
        viewer = db.session.get(User, person)
        session_id = db.session.scalars(visible_sessions(viewer)).first().id
        schedule_id = db.session.scalars(
            select(AssignmentSchedule.id).join(AssignmentSchedule.assignment)
            .join(Module).where(Module.published,
                                AssignmentSchedule.cohort_id == meeting.cohort_id)
            .order_by(AssignmentSchedule.id)).first()
        meeting_id = meeting.id
    path = _path(app, person)
    soon = utcnow().replace(microsecond=0) + timedelta(days=30)

    def fetch_after(change) -> dict[str, object]:
        first = client.get(path)
        assert client.get(path, headers={"If-None-Match": first.headers["ETag"]}).status_code \
            == 304
        with app.app_context():
            change()
            db.session.commit()
        again = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
        assert again.status_code == 200
        return _starts(again.data)

    def move_session() -> None:
        session = db.session.get(Session, session_id)
        session.starts_at, session.ends_at = soon, soon + timedelta(hours=3)

    assert fetch_after(move_session)[f"session-{session_id}@lehrgang"] == soon

    def move_deadline() -> None:
        db.session.get(AssignmentSchedule, schedule_id).due_at = soon
        db.session.get(AssignmentSchedule, schedule_id).cut_off_at = soon + timedelta(days=9)

    assert fetch_after(move_deadline)[f"assignment-schedule-{schedule_id}@lehrgang"] == soon

    def move_meeting() -> None:
        db.session.get(Presentation, meeting_id).meeting_at = soon

    assert fetch_after(move_meeting)[f"step-presentation-{meeting_id}@lehrgang"] == soon

    later = soon + timedelta(days=3)

    def extend() -> None:
        db.session.add(Extension(schedule_id=schedule_id, user_id=person, due_at=later,
                                 cut_off_at=later, reason="Krankheit"))

    assert fetch_after(extend)[f"assignment-schedule-{schedule_id}@lehrgang"] == later
    # built at the first fetch and once after each change; the other fetches hit the cache
    assert len(builds) == 1 + 4


def test_a_feed_is_built_once_per_change(app, client, participant, store, builds):
    path = _path(app, participant.id)
    first = client.get(path)
    again = client.get(path)
    assert first.status_code == again.status_code == 200
    assert first.data == again.data and first.headers["ETag"] == again.headers["ETag"]
    assert len(builds) == 1
    public = [client.get("/calendar/public.ics") for _ in range(2)]
    assert public[0].data == public[1].data and len(builds) == 2
    with app.app_context():
        db.session.get(User, participant.id).roles = {Role.LECTURER}
        db.session.commit()
    changed = client.get(path)
    assert changed.headers["ETag"] != first.headers["ETag"] and len(builds) == 3


def test_a_304_costs_the_token_and_the_stamp(app, client, participant, store):
    path = _path(app, participant.id)
    for url in (path, "/calendar/public.ics"):
        etag = client.get(url).headers["ETag"]
        with count_queries(app) as log:
            assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
        assert log.count <= 2, log.statements


def test_writes_renew_the_stamp_and_a_rollback_does_not(app, participant):
    with app.app_context():
        stamp = current_stamp()
        db.session.get(User, participant.id).last_login_at = utcnow()  # no calendar's
        db.session.commit()
        assert current_stamp() == stamp
        db.session.execute(update(Enrollment).values(ended_at=None))  # bulk, no rows
        db.session.rollback()
        assert current_stamp() == stamp
        db.session.execute(update(Enrollment).values(ended_at=None))
        savepoint = db.session.begin_nested()
        savepoint.rollback()  # undoes nothing from before it
        db.session.commit()
        assert current_stamp() != stamp


def test_a_person_s_language_changes_their_feed(app, client, participant, store):
    path = _path(app, participant.id)
    german = client.get(path)
    with app.app_context():
        db.session.get(User, participant.id).language = "en"
        db.session.commit()
    english = client.get(path, headers={"If-None-Match": german.headers["ETag"]})
    assert english.status_code == 200
    assert b"Course dates of" in english.data and b"Course dates of" not in german.data


def test_a_feed_reaches_a_year_back_and_the_export_everything(calendar_app, sign_in,
                                                              organiser, add_event,
                                                              monkeypatch):
    monkeypatch.setitem(calendar_app.config, "CALENDAR_FEED_PAST_DAYS", 365)
    today = berlin_today()
    for uid, days in (("old", -400), ("recent", -300), ("ahead", 3000)):
        start = berlin_midnight(today + timedelta(days=days)) + timedelta(hours=10)
        add_event(uid, start, start + timedelta(hours=2))
    client = sign_in(organiser)
    feed = client.get(_path(calendar_app, organiser.id))
    assert set(parse_feed(feed.data).by_icalendar) == {"recent@lehrgang", "ahead@lehrgang"}
    export = client.get("/calendar/export.ics")
    assert set(parse_feed(export.data).by_icalendar) == {
        "old@lehrgang", "recent@lehrgang", "ahead@lehrgang"}


def test_a_source_that_names_no_models_is_never_cached():
    def source(_query):
        return []

    named = Plugin("named", calendar_source=source, calendar_models=(Session, Module))
    assert PluginRegistry([named, Plugin("quiet")]).calendar_models() == (Session, Module)
    assert PluginRegistry([named, Plugin("unnamed", calendar_source=source)]) \
        .calendar_models() is None


@pytest.fixture
def cached_calendar_app(app: Flask, database_url: str, tmp_path) -> Iterator[Flask]:
    """An app whose only source is the test source, declared watched: its pages cache."""
    plugin.reset()
    yield make_app(database_url, str(tmp_path), LOAD_ENTRY_POINTS=False,
                   PLUGINS=["tests.calendar.plugin:cached_plugin"])
    plugin.reset()


CSRF_TOKEN = re.compile(r'name="csrf_token"[^>]*value="[^"]*"')


def test_the_month_view_asks_only_for_its_month(cached_calendar_app, create_user, add_event):
    organiser = create_user("orga@example.org", Role.ORGANISER)
    for number in range(1, 13):
        start = berlin(2017, number, 10, 10)
        add_event(f"m{number}", start, start + timedelta(hours=2), cohort_id=1)
    with cached_calendar_app.app_context():
        renew_stamp(db.session.connection())  # the in-memory events changed
        db.session.commit()
    client = cached_calendar_app.test_client()
    client.post("/login", data={"email": organiser.email, "password": TEST_PASSWORD})
    first = client.get("/calendar/?month=2017-10").get_data(as_text=True)
    plugin.QUERIES.clear()
    again = client.get("/calendar/?month=2017-10").get_data(as_text=True)
    # the same page, but for the forms' CSRF tokens, which carry the second they were made
    assert CSRF_TOKEN.sub("", again) == CSRF_TOKEN.sub("", first)
    assert "Termin m10" in again and "Termin m9" not in again
    assert plugin.QUERIES and {(query.start, query.end) for query in plugin.QUERIES} == {
        (berlin(2017, 10, 1), berlin(2017, 11, 1))}
    plugin.QUERIES.clear()
    listed = client.get("/calendar/?view=list&month=2017-11").get_data(as_text=True)
    assert "Termin m11" in listed and "Termin m12" in listed and "Termin m10" not in listed
    assert {(query.start, query.end) for query in plugin.QUERIES} == {
        (berlin(2017, 11, 1), None)}
    # the pointers to the nearest dates still know the whole calendar; the cohort filter
    # offers the cohorts with dates in the month shown
    empty = client.get("/calendar/?month=2018-03").get_data(as_text=True)
    assert "month=2017-12" in empty
    assert '<option value="1">' in again and '<option value="1">' not in empty
