"""The demo's feeds, from the real sources (sessions, deadlines, congresses, committee
meetings), read alike by icalendar, vobject and ical.js, and as the sources hand them over."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from lms import demo
from lms.auth.models import User
from lms.calendar.events import cohorts_in, collect
from lms.calendar.tokens import feed_token
from lms.extensions import db
from tests.calendar.clients import expected, read_alike


@pytest.fixture
def seeded(app: Flask, demo_world) -> Flask:
    return app


def signed_in(app: Flask, email: str) -> FlaskClient:
    client = app.test_client()
    response = client.post("/login", data={"email": email, "password": demo.DEMO_PASSWORD})
    assert response.status_code == 302
    return client


def viewer(email: str) -> User:
    return db.session.scalars(db.select(User).filter_by(email=email)).one()


def test_the_demos_feeds_are_read_alike_and_as_their_sources_say(seeded):
    app = seeded
    participant, organiser = "teilnehmer@example.org", "orga@example.org"
    with app.test_request_context():
        personal = collect(viewer(participant))
        everything = collect(viewer(organiser))
        public = collect(None)
        token = feed_token(viewer(participant))
        cohort = cohorts_in(personal)[0].id
        in_cohort = collect(viewer(participant), cohort_ids={cohort})
    assert len(everything) > len(personal) > len(public) > 0
    feeds = {
        f"/calendar/feed/{token}.ics": (app.test_client(), personal),
        f"/calendar/cohorts/{cohort}.ics": (signed_in(app, participant), in_cohort),
        "/calendar/public.ics": (app.test_client(), public),
        "/calendar/export.ics": (signed_in(app, organiser), everything),
    }
    for path, (client, events) in feeds.items():
        response = client.get(path)
        assert response.status_code == 200, path
        assert read_alike(response.data) == sorted(expected(event) for event in events), path
