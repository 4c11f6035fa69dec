"""Congresses in calendars: the per-congress feed parsed back, and the calendar sources."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest
from sqlalchemy import event, select

from courses import congresses as rules
from courses.calendar import agenda_events, congress_events
from courses.congress_models import AgendaItem, AgendaKind, Congress
from lms.auth.models import User
from lms.calendar.events import collect
from lms.extensions import db
from lms.plugins import CalendarQuery
from tests.calendar.clients import expected, read_alike
from tests.courses.congress_factories import (
    congress_details,
    item_details,
    make_congress,
    standard_items,
    when,
)

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def public_id(app, course):
    return make_congress(app, course.id, items=standard_items())


def _feed(client, congress_id: int, **headers: str):
    return client.get(f"/congresses/{congress_id}.ics", headers=headers)


def _events(response) -> list[icalendar.Event]:
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    calendar = icalendar.Calendar.from_ical(response.data)
    return [component for component in calendar.walk("VEVENT")]


def test_the_feed_has_every_agenda_item_in_berlin_time_with_database_uids(app, public_id):
    response = _feed(app.test_client(), public_id)
    calendar = icalendar.Calendar.from_ical(response.data)
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "Europe/Berlin"
    events = _events(response)
    with app.app_context():
        items = db.session.scalars(select(AgendaItem).order_by(AgendaItem.starts_at)).all()
        expected = {f"congress-item-{item.id}@lehrgang": item for item in items}
        assert {str(event["UID"]) for event in events} == set(expected)
        for event in events:
            item = expected[str(event["UID"])]
            start = event["DTSTART"]
            assert start.params["TZID"] == "Europe/Berlin"
            assert start.dt.tzinfo is not None
            assert start.dt == item.starts_at and event["DTEND"].dt == item.ends_at
            assert str(event["SUMMARY"]) == item.title
            assert str(event["STATUS"]) == "CONFIRMED"
    opening = next(e for e in events if str(e["SUMMARY"]) == "Eröffnung")
    assert opening["DTSTART"].dt.astimezone(BERLIN).replace(tzinfo=None) == \
        datetime(2017, 12, 7, 10, 0)
    assert "Dr. Anna Berger" in str(opening["DESCRIPTION"])
    assert str(opening["LOCATION"]) == \
        "Saal 1, Westfalenhallen Dortmund, Rheinlanddamm 200, 44139 Dortmund"
    assert "REFRESH-INTERVAL" in calendar and "X-WR-CALNAME" in calendar


def test_cancelled_item_goes_out_cancelled_with_a_higher_sequence(app, public_id):
    with app.test_request_context():
        item = rules.programme(db.session.get(Congress, public_id))[1]
        rules.set_item_cancelled(item, True, actor=None)
        db.session.commit()
        uid = f"congress-item-{item.id}@lehrgang"
    events = {str(e["UID"]): e for e in _events(_feed(app.test_client(), public_id))}
    assert str(events[uid]["STATUS"]) == "CANCELLED"
    assert int(events[uid]["SEQUENCE"]) == 1
    assert len(events) == 3  # kept, not dropped


def test_cancelling_the_congress_cancels_every_item_in_the_feed(app, public_id):
    with app.test_request_context():
        rules.set_congress_cancelled(db.session.get(Congress, public_id), True, actor=None)
        db.session.commit()
    events = _events(_feed(app.test_client(), public_id))
    assert {str(e["STATUS"]) for e in events} == {"CANCELLED"}
    assert {int(e["SEQUENCE"]) for e in events} == {1}


def test_a_moved_item_keeps_its_uid_and_raises_its_sequence(app, public_id):
    first = {str(e["UID"]): e for e in _events(_feed(app.test_client(), public_id))}
    with app.test_request_context():
        item = rules.programme(db.session.get(Congress, public_id))[0]
        rules.move_item(item, item.starts_at.replace(minute=15))
        db.session.commit()
        uid = f"congress-item-{item.id}@lehrgang"
    second = {str(e["UID"]): e for e in _events(_feed(app.test_client(), public_id))}
    assert set(first) == set(second)
    assert int(second[uid]["SEQUENCE"]) == int(first[uid]["SEQUENCE"]) + 1


def test_an_unchanged_feed_answers_304(app, public_id):
    client = app.test_client()
    first = _feed(client, public_id)
    again = _feed(client, public_id, **{"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""


def test_download_and_subscription_links(app, public_id):
    page = app.test_client().get(f"/congresses/{public_id}").get_data(as_text=True)
    assert f'href="webcal://localhost/congresses/{public_id}.ics"' in page
    assert f'href="http://localhost/congresses/{public_id}.ics"' in page
    assert f'href="/congresses/{public_id}.ics?download=1"' in page
    download = app.test_client().get(f"/congresses/{public_id}.ics?download=1")
    assert download.headers["Content-Disposition"].startswith("attachment;")
    subscribe = _feed(app.test_client(), public_id)
    assert subscribe.headers["Content-Disposition"].startswith("inline;")


def _across_the_changes() -> list[tuple[dict[str, object], tuple[rules.ItemDetails, ...]]]:
    """Congresses over the nights of both daylight-saving changes, and one in 2040."""
    talk = item_details("Nachtsitzung", kind=AgendaKind.TALK)
    first_0230 = when("2017-10-29 02:30")  # the repeated hour's first 02:30, as typed
    second_0230 = datetime(2017, 10, 29, 1, 30, tzinfo=UTC)  # reached by moving, not typing
    return [
        ({"starts_at": when("2017-10-28 10:00"), "ends_at": when("2017-10-29 16:00")}, (
            replace(talk, starts_at=when("2017-10-28 23:00"), ends_at=when("2017-10-29 04:00")),
            replace(talk, starts_at=first_0230, ends_at=second_0230),
            replace(talk, starts_at=second_0230, ends_at=when("2017-10-29 03:30")),
            replace(talk, starts_at=when("2017-10-29 01:45"), ends_at=when("2017-10-29 02:00")),
        )),
        ({"starts_at": when("2018-03-24 10:00"), "ends_at": when("2018-03-25 16:00")}, (
            replace(talk, starts_at=when("2018-03-25 01:30"), ends_at=when("2018-03-25 03:00")),
            # 02:30 does not exist that night: stored as 01:30 UTC, 03:30 summer time
            replace(talk, starts_at=when("2018-03-25 02:30"), ends_at=when("2018-03-25 04:00")),
            replace(talk, starts_at=when("2018-03-25 03:00"), ends_at=when("2018-03-25 04:30")),
        )),
        ({"starts_at": when("2040-05-18 10:00"), "ends_at": when("2040-05-18 16:30")}, (
            item_details("Eröffnung", "2040-05-18 10:00", "2040-05-18 10:30"),
        )),
    ]


def test_congress_feeds_and_the_public_feed_read_alike_by_three_clients(app, course):
    """icalendar, vobject and ical.js find the same instants, over both changes' nights."""
    ids = [make_congress(app, course.id, items=items, **times)
           for times, items in _across_the_changes()]
    client = app.test_client()
    for congress_id in ids:
        with app.test_request_context():
            truth = sorted(expected(event) for event in
                           agenda_events(db.session.get(Congress, congress_id)))
        assert len(truth) >= 1
        assert read_alike(_feed(client, congress_id).data) == truth
    with app.test_request_context():
        public = sorted(expected(event) for event in collect(None))
    assert len(public) == len(ids)
    assert read_alike(client.get("/calendar/public.ics").data) == public


# --- The calendar sources --------------------------------------------------------------------


def _uids(query: CalendarQuery) -> set[str]:
    return {event.uid for event in congress_events(query)}


def test_the_calendar_shows_public_congresses_to_all_and_internal_ones_to_members(
        app, course, cohorts, create_user):
    public = make_congress(app, course.id)
    internal = make_congress(app, course.id, public=False, title="Werkstatt")
    member = create_user("k2017-person@example.org")
    outsider = create_user("aussen@example.org")
    with app.test_request_context():
        both = {f"congress-{public}@lehrgang", f"congress-{internal}@lehrgang"}
        assert _uids(CalendarQuery(viewer=None)) == {f"congress-{public}@lehrgang"}
        assert _uids(CalendarQuery(viewer=db.session.get(User, member.id))) == both
        assert _uids(CalendarQuery(viewer=db.session.get(User, outsider.id))) == {
            f"congress-{public}@lehrgang"}
        viewer = db.session.get(User, member.id)
        assert _uids(CalendarQuery(viewer=viewer, kinds=frozenset({"session"}))) == set()
        after = congress_details().ends_at
        assert _uids(CalendarQuery(viewer=viewer, start=after)) == set()


def test_the_calendar_loads_only_the_congresses_that_overlap_its_range(app, course):
    """The range is asked of the database: congresses outside it are never loaded, those
    reaching over either edge of it are shown."""
    inside = make_congress(app, course.id, title="Innen", starts_at=when("2017-12-07 10:00"),
                           ends_at=when("2017-12-07 16:00"))
    over_start = make_congress(app, course.id, title="Über den Anfang",
                               starts_at=when("2017-11-29 10:00"),
                               ends_at=when("2017-12-02 16:00"))
    over_end = make_congress(app, course.id, title="Über das Ende",
                             starts_at=when("2017-12-30 10:00"), ends_at=when("2018-01-02 16:00"))
    make_congress(app, course.id, title="Vorher", starts_at=when("2017-11-01 10:00"),
                  ends_at=when("2017-12-01 00:00"))
    make_congress(app, course.id, title="Danach", starts_at=when("2018-01-01 00:00"),
                  ends_at=when("2018-01-01 16:00"))
    loaded: set[int] = set()

    def record(congress: Congress, _context: object) -> None:
        loaded.add(congress.id)

    with app.test_request_context():
        query = CalendarQuery(viewer=None, start=when("2017-12-01 00:00"),
                              end=when("2018-01-01 00:00"))
        event.listen(Congress, "load", record)
        try:
            uids = _uids(query)
        finally:
            event.remove(Congress, "load", record)
    assert uids == {f"congress-{number}@lehrgang" for number in (inside, over_start, over_end)}
    assert loaded == {inside, over_start, over_end}


def test_the_public_calendar_feed_and_the_month_page_show_congresses(app, course, participant,
                                                                     login):
    congress_id = make_congress(app, course.id)
    public = app.test_client().get("/calendar/public.ics")
    uids = {str(e["UID"]) for e in icalendar.Calendar.from_ical(public.data).walk("VEVENT")}
    assert f"congress-{congress_id}@lehrgang" in uids
    month = login(participant).get("/calendar/?month=2017-12").get_data(as_text=True)
    assert "Gesellschaftliche Konflikte effizient bearbeiten" in month


def test_editing_a_congress_raises_the_sequence_of_its_calendar_event(app, course):
    congress_id = make_congress(app, course.id)
    with app.test_request_context():
        congress = db.session.get(Congress, congress_id)
        rules.update_congress(congress, congress_details(venue="Halle 2"), actor=None)
        (event,) = congress_events(CalendarQuery(viewer=None))
        assert event.sequence == 1 and event.kind == "congress"
        assert event.location.startswith("Halle 2")
        assert event.url == f"http://localhost/congresses/{congress_id}"
        db.session.rollback()

