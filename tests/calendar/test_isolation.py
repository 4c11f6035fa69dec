"""One failing source, or one far date, does not take down the calendar page or any feed."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import text

from lms.auth.models import Role
from lms.calendar.tokens import feed_token
from lms.extensions import db
from lms.plugins import EXTENSION_KEY, CalendarEvent, CalendarQuery, Plugin, PluginRegistry
from tests.calendar import plugin
from tests.calendar.conftest import berlin, event, parse_feed


def _python_error(query: CalendarQuery) -> Iterator[CalendarEvent]:
    yield event("half", berlin(2017, 11, 2, 10), berlin(2017, 11, 2, 12), cohort_id=1)
    raise OverflowError("date value out of range")


def _database_error(query: CalendarQuery) -> Iterator[CalendarEvent]:
    # on PostgreSQL a failed statement spoils the transaction for every later query
    db.session.execute(text("SELECT no_such_column FROM no_such_table"))
    yield from ()


@pytest.fixture
def programme(add_event, create_user):
    plugin.NAMES.update({1: "Kohorte 2017"})
    member = create_user("member@example.org", Role.PARTICIPANT, name="Mia Mitglied")
    plugin.MEMBERS[member.email] = {1}
    add_event("s1", berlin(2017, 10, 5, 10), berlin(2017, 10, 5, 16), cohort_id=1,
              title="Sitzung Kohorte 1")
    add_event("d1", date(2018, 2, 28), date(2018, 3, 1), kind="deadline", public=True,
              title="Bewerbungsschluss 2018")
    return member


def _with_broken_source(app, monkeypatch, source: Callable) -> None:
    """A plugin before the test source whose calendar source fails."""
    broken = Plugin(name="broken", calendar_source=source)
    monkeypatch.setitem(app.extensions, EXTENSION_KEY,
                        PluginRegistry([broken, plugin.plugin]))


def _answers(app, client, sign_in, member, organiser) -> dict[str, set[str]]:
    """What the page and every feed show: UIDs (titles for the page), each answering 200."""
    with app.test_request_context():
        token = feed_token(db.session.get(type(member), member.id))
    shown: dict[str, set[str]] = {}
    for name, path in [("personal", f"/calendar/feed/{token}.ics"),
                       ("public", "/calendar/public.ics")]:
        response = client.get(path)
        assert response.status_code == 200, name
        shown[name] = set(parse_feed(response.data).by_icalendar)
    sign_in(member)
    response = client.get("/calendar/?view=list&month=2017-10")
    assert response.status_code == 200
    shown["page"] = {title for title in ("Sitzung Kohorte 1", "Bewerbungsschluss 2018")
                     if title in response.get_data(as_text=True)}
    response = client.get("/calendar/cohorts/1.ics")
    assert response.status_code == 200
    shown["cohort"] = set(parse_feed(response.data).by_icalendar)
    sign_in(organiser)
    response = client.get("/calendar/export.ics")
    assert response.status_code == 200
    shown["export"] = set(parse_feed(response.data).by_icalendar)
    return shown


@pytest.mark.parametrize("source", [_python_error, _database_error],
                         ids=["python-error", "database-error"])
def test_a_failing_source_leaves_the_others_shown_and_is_logged(
        calendar_app, cal_client, sign_in, organiser, programme, monkeypatch, caplog, source):
    _with_broken_source(calendar_app, monkeypatch, source)
    with caplog.at_level(logging.ERROR, logger="lms.plugins"):
        shown = _answers(calendar_app, cal_client, sign_in, programme, organiser)
    assert shown == {
        "personal": {"s1@lehrgang", "d1@lehrgang"}, "public": {"d1@lehrgang"},
        "page": {"Sitzung Kohorte 1", "Bewerbungsschluss 2018"},
        "cohort": {"s1@lehrgang", "d1@lehrgang"}, "export": {"s1@lehrgang", "d1@lehrgang"},
    }
    failures = [record for record in caplog.records if "'broken'" in record.getMessage()]
    assert failures and all(record.exc_info for record in failures)


@pytest.mark.parametrize(("start", "end"), [
    (datetime(9999, 12, 31, 22, 0, tzinfo=UTC), datetime(9999, 12, 31, 23, 59, tzinfo=UTC)),
    (datetime(1, 1, 1, 0, 0, tzinfo=UTC), datetime(1, 1, 1, 2, 0, tzinfo=UTC)),
    (date(9999, 12, 30), date(9999, 12, 31)),
    (berlin(2017, 10, 6, 10), datetime.max.replace(tzinfo=UTC)),
], ids=["year-9999", "year-1", "all-day-9999", "endless"])
def test_an_event_dated_outside_the_window_is_left_out_and_logged(
        calendar_app, cal_client, sign_in, organiser, programme, add_event, caplog, start, end):
    add_event("far", start, end, cohort_id=1, title="Sitzung am Ende der Zeit")
    with caplog.at_level(logging.ERROR, logger="lms.plugins"):
        shown = _answers(calendar_app, cal_client, sign_in, programme, organiser)
    assert shown["personal"] == shown["cohort"] == shown["export"] == {"s1@lehrgang",
                                                                        "d1@lehrgang"}
    assert shown["page"] == {"Sitzung Kohorte 1", "Bewerbungsschluss 2018"}
    assert any("far@lehrgang" in record.getMessage() for record in caplog.records)
