"""Fixtures for the calendar tests: an app whose only plugin is the test source.

``calendar_app`` runs on the same database as ``app`` (so ``create_user`` and the
clean-up after each test work for both) with ``tests.calendar.plugin`` as its only
calendar source. ``parse_feed`` reads a feed back with icalendar and with vobject.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import icalendar
import pytest
import vobject
from flask import Flask
from flask.testing import FlaskClient

from lms.auth.models import User
from lms.extensions import db
from lms.i18n import BERLIN
from lms.plugins import CalendarEvent
from tests.calendar import plugin
from tests.conftest import TEST_PASSWORD, make_app


def berlin(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A Berlin wall-clock time as the aware UTC datetime a source would hand over."""
    return datetime(year, month, day, hour, minute, tzinfo=BERLIN).astimezone(UTC)


CHANGED = datetime(2017, 9, 1, 8, 30, tzinfo=UTC)


def event(uid: str, start: date | datetime, end: date | datetime, *, kind: str = "session",
          title: str | None = None, **fields: Any) -> CalendarEvent:
    fields.setdefault("last_modified", CHANGED)
    return CalendarEvent(uid=f"{uid}@lehrgang", title=title or f"Termin {uid}", start=start,
                         end=end, kind=kind, **fields)


@pytest.fixture(scope="session")
def _calendar_app(database_url: str,
                  tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    app = make_app(database_url, str(tmp_path_factory.mktemp("calendar")),
                   PLUGINS=["tests.calendar.plugin"], LOAD_ENTRY_POINTS=False)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def calendar_app(app: Flask, _calendar_app: Flask) -> Iterator[Flask]:
    plugin.reset()
    yield _calendar_app
    plugin.reset()


@pytest.fixture
def cal_client(calendar_app: Flask) -> FlaskClient:
    return calendar_app.test_client()


@pytest.fixture
def sign_in(cal_client: FlaskClient) -> Callable[[User], FlaskClient]:
    def sign_in(user: User) -> FlaskClient:
        cal_client.post("/logout")
        response = cal_client.post("/login", data={"email": user.email,
                                                   "password": TEST_PASSWORD})
        assert response.status_code == 302, "sign-in failed"
        return cal_client

    return sign_in


@pytest.fixture
def add_event() -> Callable[..., CalendarEvent]:
    """Add an event to the test source; ``public=True`` shows it to everyone."""

    def add(uid: str, start: date | datetime, end: date | datetime, *, public: bool = False,
            **fields: Any) -> CalendarEvent:
        item = event(uid, start, end, **fields)
        plugin.EVENTS.append(plugin.Entry(item, public=public))
        return item

    return add


@dataclass(frozen=True)
class Parsed:
    """One VEVENT as each parser read it."""

    uid: str
    summary: str
    start: date | datetime
    end: date | datetime
    status: str
    sequence: int
    categories: tuple[str, ...]


@dataclass(frozen=True)
class ParsedFeed:
    calendar: icalendar.Calendar
    by_icalendar: dict[str, Parsed]
    by_vobject: dict[str, Parsed]


def parse_feed(body: bytes) -> ParsedFeed:
    """Read ``body`` with both parsers; each must find the same events."""
    calendar = icalendar.Calendar.from_ical(body)
    by_icalendar = {}
    for component in calendar.walk("VEVENT"):
        categories = component.get("categories")
        by_icalendar[str(component["uid"])] = Parsed(
            uid=str(component["uid"]), summary=str(component["summary"]),
            start=component.decoded("dtstart"), end=component.decoded("dtend"),
            status=str(component["status"]), sequence=int(component["sequence"]),
            categories=tuple(str(c) for c in categories.cats) if categories else (),
        )
    by_vobject = {}
    vcalendar = vobject.readOne(body.decode("utf-8"))
    for component in getattr(vcalendar, "vevent_list", []):
        by_vobject[component.uid.value] = Parsed(
            uid=component.uid.value, summary=component.summary.value,
            start=component.dtstart.value, end=component.dtend.value,
            status=component.status.value, sequence=int(component.sequence.value),
            categories=tuple(component.categories.value) if hasattr(component, "categories")
            else (),
        )
    assert by_icalendar.keys() == by_vobject.keys()
    return ParsedFeed(calendar, by_icalendar, by_vobject)
