"""The iCalendar functions alone: events in, RFC 5545 out, read back by two parsers."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from lms.calendar.ical import FeedOptions, feed_etag, feed_last_modified, to_ical
from lms.i18n import BERLIN
from tests.calendar.conftest import CHANGED, berlin, event, parse_feed

NOW = datetime(2017, 11, 1, 12, tzinfo=UTC)
OPTIONS = FeedOptions(name="Lehrgang: Kohorte 2017", refresh=timedelta(minutes=90),
                      kind_labels={"session": "Präsenztermine"})

ACROSS_DST = event("dst", berlin(2017, 10, 28, 23), berlin(2017, 10, 29, 4),
                   title="Nachtschicht über die Zeitumstellung")
SUMMER = event("summer", berlin(2017, 7, 6, 10), berlin(2017, 7, 6, 16, 30),
               title="Modul 1: Bestandsaufnahme", location="Hamm, Rathaus, Raum 1",
               description="Bitte mitbringen: Organigramm; Zuständigkeiten.\nZweite Zeile",
               url="https://lms.example.org/course/modules/1", sequence=2)
WINTER = event("winter", berlin(2018, 1, 18, 9), berlin(2018, 1, 18, 17),
               title="Modul 3: Empfehlungen", cancelled=True, sequence=4)
CONGRESS = event("congress", date(2017, 12, 7), date(2017, 12, 8), kind="congress",
                 title="Kongress „Gesellschaftliche Konflikte effizient bearbeiten“")
DEADLINE = event("deadline", date(2018, 2, 28), date(2018, 3, 1), kind="deadline",
                 title="Bewerbungsschluss", last_modified=None)
EVENTS = [SUMMER, ACROSS_DST, CONGRESS, WINTER, DEADLINE]


@pytest.fixture(scope="module")
def body() -> bytes:
    return to_ical(EVENTS, OPTIONS, NOW)


def test_both_parsers_find_every_event_with_its_uid(body):
    feed = parse_feed(body)
    expected = {e.uid for e in EVENTS}
    assert set(feed.by_icalendar) == expected
    assert set(feed.by_vobject) == expected
    for source in EVENTS:
        for parsed in (feed.by_icalendar[source.uid], feed.by_vobject[source.uid]):
            assert parsed.summary == source.title


@pytest.mark.parametrize("source", [SUMMER, WINTER, ACROSS_DST], ids=lambda e: e.uid)
def test_times_are_berlin_wall_clock_and_the_same_instant(body, source):
    feed = parse_feed(body)
    for parsed in (feed.by_icalendar[source.uid], feed.by_vobject[source.uid]):
        assert parsed.start == source.start
        assert parsed.end == source.end
        assert parsed.start.astimezone(BERLIN).replace(tzinfo=None) == \
            source.start.astimezone(BERLIN).replace(tzinfo=None)


def test_event_across_the_october_change_keeps_both_offsets(body):
    """23:00 summer time to 04:00 winter time is six hours, not five.

    vobject reads the offsets from the feed's own VTIMEZONE (icalendar uses its zone
    database), so this checks the published time zone rules, not just the TZID.
    """
    feed = parse_feed(body)
    for parsed in (feed.by_icalendar[ACROSS_DST.uid], feed.by_vobject[ACROSS_DST.uid]):
        assert parsed.start.utcoffset() == timedelta(hours=2)
        assert parsed.end.utcoffset() == timedelta(hours=1)
        assert parsed.end.astimezone(UTC) - parsed.start.astimezone(UTC) == timedelta(hours=6)
    text = body.decode()
    assert "DTSTART;TZID=Europe/Berlin:20171028T230000\r\n" in text
    assert "DTEND;TZID=Europe/Berlin:20171029T040000\r\n" in text


def test_summer_and_winter_offsets(body):
    feed = parse_feed(body)
    for parsed in (feed.by_icalendar[SUMMER.uid], feed.by_vobject[SUMMER.uid]):
        assert parsed.start.utcoffset() == timedelta(hours=2)
    for parsed in (feed.by_icalendar[WINTER.uid], feed.by_vobject[WINTER.uid]):
        assert parsed.start.utcoffset() == timedelta(hours=1)


def test_the_vtimezone_is_there_with_both_observances(body):
    feed = parse_feed(body)
    zones = feed.calendar.walk("VTIMEZONE")
    assert [str(zone["tzid"]) for zone in zones] == ["Europe/Berlin"]
    observances = {part.name for part in zones[0].subcomponents}
    assert observances == {"STANDARD", "DAYLIGHT"}
    assert str(feed.calendar["x-wr-timezone"]) == "Europe/Berlin"


def test_all_day_items_are_dates_with_an_exclusive_end(body):
    feed = parse_feed(body)
    for parsed in (feed.by_icalendar[CONGRESS.uid], feed.by_vobject[CONGRESS.uid]):
        assert not isinstance(parsed.start, datetime)
        assert (parsed.start, parsed.end) == (date(2017, 12, 7), date(2017, 12, 8))
    assert "DTSTART;VALUE=DATE:20171207\r\nDTEND;VALUE=DATE:20171208\r\n" in body.decode()


def test_cancelled_items_are_kept_and_marked(body):
    feed = parse_feed(body)
    for by_parser in (feed.by_icalendar, feed.by_vobject):
        assert by_parser[WINTER.uid].status == "CANCELLED"
        assert by_parser[SUMMER.uid].status == "CONFIRMED"


def test_sequence_last_modified_dtstamp_and_categories(body):
    feed = parse_feed(body)
    components = {str(c["uid"]): c for c in feed.calendar.walk("VEVENT")}
    assert feed.by_vobject[WINTER.uid].sequence == 4
    assert feed.by_icalendar[SUMMER.uid].sequence == 2
    assert feed.by_icalendar[CONGRESS.uid].sequence == 0
    assert components[SUMMER.uid].decoded("last-modified") == CHANGED
    assert components[SUMMER.uid].decoded("dtstamp") == CHANGED
    # a source that does not say when its item changed: no LAST-MODIFIED, DTSTAMP is now
    assert "last-modified" not in components[DEADLINE.uid]
    assert components[DEADLINE.uid].decoded("dtstamp") == NOW
    assert feed.by_vobject[SUMMER.uid].categories == ("Präsenztermine",)
    assert feed.by_icalendar[CONGRESS.uid].categories == ("congress",)


def test_text_properties_are_escaped_and_read_back_unchanged(body):
    feed = parse_feed(body)
    component = next(c for c in feed.calendar.walk("VEVENT") if c["uid"] == SUMMER.uid)
    assert str(component["location"]) == SUMMER.location
    assert str(component["description"]) == SUMMER.description
    assert str(component["url"]) == SUMMER.url
    assert "LOCATION:Hamm\\, Rathaus\\, Raum 1\r\n" in body.decode()
    assert "Organigramm\\; Zust" in body.decode()


def test_calendar_properties_for_subscribers(body):
    text = body.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:")
    assert "X-WR-CALNAME:Lehrgang: Kohorte 2017\r\n" in text
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H30M\r\n" in text
    assert "X-PUBLISHED-TTL:PT1H30M\r\n" in text


def test_crlf_line_endings_and_folded_long_lines():
    long_title = "Praxisbericht der Pilotkommunen Hamm und Duisburg " * 4
    body = to_ical([replace(SUMMER, title=long_title)], OPTIONS, NOW)
    assert body.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in body.replace(b"\r\n", b"")
    lines = body.split(b"\r\n")
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines)  # continuation lines
    assert parse_feed(body).by_vobject[SUMMER.uid].summary == long_title


def test_an_empty_feed_is_still_a_valid_calendar():
    feed = parse_feed(to_ical([], OPTIONS, NOW))
    assert feed.by_icalendar == {}
    assert feed.calendar.walk("VTIMEZONE") == []


def test_uids_stay_the_same_across_exports():
    first = parse_feed(to_ical(EVENTS, OPTIONS, NOW))
    later = parse_feed(to_ical(EVENTS, OPTIONS, NOW + timedelta(days=3)))
    assert set(first.by_icalendar) == set(later.by_icalendar)


def test_etag_follows_any_change_and_nothing_else():
    etag = feed_etag(EVENTS, OPTIONS)
    assert etag == feed_etag(list(EVENTS), OPTIONS)
    assert re.fullmatch(r"[0-9a-f]{32}", etag)
    changed = [replace(SUMMER, title="Neu"), *EVENTS[1:]]
    assert feed_etag(changed, OPTIONS) != etag
    assert feed_etag([replace(SUMMER, sequence=3), *EVENTS[1:]], OPTIONS) != etag
    assert feed_etag(EVENTS[1:], OPTIONS) != etag
    assert feed_etag(EVENTS, replace(OPTIONS, name="Anders")) != etag


def test_last_modified_is_the_newest_change():
    newer = replace(WINTER, last_modified=CHANGED + timedelta(days=2))
    assert feed_last_modified([SUMMER, newer, DEADLINE]) == newer.last_modified
    assert feed_last_modified([DEADLINE]) is None


def test_naive_times_are_refused():
    naive = event("naive", datetime(2017, 7, 1, 10), datetime(2017, 7, 1, 11))
    with pytest.raises(ValueError, match="timezone-aware"):
        to_ical([naive], OPTIONS, NOW)


def test_an_all_day_end_not_after_its_start_becomes_one_day():
    same_day = event("one", date(2018, 5, 3), date(2018, 5, 3))
    parsed = parse_feed(to_ical([same_day], OPTIONS, NOW)).by_vobject[same_day.uid]
    assert (parsed.start, parsed.end) == (date(2018, 5, 3), date(2018, 5, 4))
