"""Every feed read alike by icalendar, vobject and Mozilla's ical.js, from 2017 to 2040.

The dates include both nights of each year's daylight-saving changes and all-day items.
Times are typed as a person types them into a form (``berlin_to_utc``, what the app
stores), except the second 02:30 of an October night, which no form can name but a
moved or extended date can reach.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta

import icalendar
import pytest
from dateutil.rrule import rrulestr
from flask import Flask
from flask.testing import FlaskClient

from lms.auth.models import Role, User
from lms.calendar.ical import FeedOptions, berlin_timezone, to_ical
from lms.calendar.tokens import feed_token
from lms.dates import berlin_to_utc
from lms.extensions import db
from lms.i18n import BERLIN
from lms.plugins import CalendarEvent
from tests.calendar import clients, plugin
from tests.calendar.clients import expected, read_alike
from tests.calendar.conftest import event

NOW = datetime(2017, 11, 1, 12, tzinfo=UTC)
OPTIONS = FeedOptions(name="Lehrgang")
YEARS = range(2017, 2041)


def last_sunday(year: int, month: int) -> date:
    day = date(year, month + 1, 1) - timedelta(days=1)
    return day - timedelta(days=(day.weekday() + 1) % 7)


def typed(day: date, hour: int, minute: int = 0) -> datetime:
    """What the app stores when a person types ``day``, ``hour``:``minute`` in a form."""
    return berlin_to_utc(datetime(day.year, day.month, day.day, hour, minute))


def year_of_dates(year: int) -> list[CalendarEvent]:
    """A year's sessions, both changes' nights and all-day items: twelve events."""
    march, october = last_sunday(year, 3), last_sunday(year, 10)
    saturday = october - timedelta(days=1)
    # the repeated hour's second 02:30 (CET); the first one (CEST) is what a form stores
    second_0230 = datetime(october.year, october.month, october.day, 1, 30, tzinfo=UTC)
    assert second_0230 - typed(october, 2, 30) == timedelta(hours=1)
    return [
        event(f"{year}-summer", typed(date(year, 5, 18), 10), typed(date(year, 5, 18), 16, 30),
              sequence=year % 3),
        event(f"{year}-winter", typed(date(year, 1, 18), 9), typed(date(year, 1, 18), 17),
              cancelled=True, sequence=1 + year % 4),
        # the March night: 02:00-02:59 does not exist; a typed 02:30 is stored as 03:30
        event(f"{year}-spring-0130", typed(march, 1, 30), typed(march, 3)),
        event(f"{year}-spring-0230", typed(march, 2, 30), typed(march, 4)),
        event(f"{year}-spring-0300", typed(march, 3), typed(march, 4, 30)),
        # the October night: 02:00-02:59 comes twice
        event(f"{year}-autumn-night", typed(saturday, 23), typed(october, 4)),
        event(f"{year}-autumn-first-0230", typed(october, 2, 30), second_0230),
        event(f"{year}-autumn-second-0230", second_0230, typed(october, 3, 30)),
        event(f"{year}-autumn-0200", typed(october, 1, 45), typed(october, 2)),
        # all-day items, the end exclusive
        event(f"{year}-march-sunday", march, march + timedelta(days=1), kind="deadline"),
        event(f"{year}-october-weekend", saturday, october + timedelta(days=2), kind="deadline"),
        event(f"{year}-new-year", date(year, 12, 31), date(year + 1, 1, 1), kind="deadline"),
    ]


PROGRAMME = [item for year in YEARS for item in year_of_dates(year)]


def test_ical_js_reads_the_first_summer_of_a_feed_right():
    """The reported case: 18.05.2017, 10:00 in Berlin is 08:00 UTC, not 09:00."""
    session = event("first-summer", typed(date(2017, 5, 18), 10), typed(date(2017, 5, 18), 12))
    winter = event("winter", typed(date(2017, 1, 18), 10), typed(date(2017, 1, 18), 12))
    (summer, *_) = [r for r in clients.by_icaljs(to_ical([session, winter], OPTIONS, NOW))
                    if r.uid == session.uid]
    assert (summer.start, summer.end) == ("2017-05-18T08:00:00Z", "2017-05-18T10:00:00Z")


def test_three_clients_read_every_date_from_2017_to_2040_alike():
    body = to_ical(PROGRAMME, OPTIONS, NOW)
    assert read_alike(body) == sorted(expected(item) for item in PROGRAMME)


def test_the_feed_writes_one_timezone_with_two_yearly_rules():
    calendar = icalendar.Calendar.from_ical(to_ical(PROGRAMME, OPTIONS, NOW))
    (zone,) = calendar.walk("VTIMEZONE")
    assert str(zone["tzid"]) == "Europe/Berlin"
    assert "comment" not in zone  # no "only works from ... to ..."
    rules = {part.name: part for part in zone.subcomponents}
    assert set(rules) == {"DAYLIGHT", "STANDARD"} and len(zone.subcomponents) == 2
    for name, start, month, before, after, abbreviation in [
            ("DAYLIGHT", datetime(1970, 3, 29, 2), 3, 1, 2, "CEST"),
            ("STANDARD", datetime(1970, 10, 25, 3), 10, 2, 1, "CET")]:
        rule = rules[name]
        assert "rdate" not in rule
        assert rule.decoded("dtstart") == start
        assert dict(rule["rrule"]) == {"FREQ": ["YEARLY"], "BYMONTH": [month],
                                       "BYDAY": ["-1SU"]}
        assert rule.decoded("tzoffsetfrom") == timedelta(hours=before)
        assert rule.decoded("tzoffsetto") == timedelta(hours=after)
        assert str(rule["tzname"]) == abbreviation


def changes_by_zone_database(years: range) -> set[tuple[datetime, timedelta]]:
    """Each UTC instant in ``years`` at which Berlin's offset changes, with the new offset."""
    changes = set()
    moment = datetime(years.start, 1, 1, tzinfo=UTC)
    end = datetime(years.stop, 1, 1, tzinfo=UTC)
    while moment < end:
        offset = moment.astimezone(BERLIN).utcoffset()
        later = moment + timedelta(days=1)
        if later.astimezone(BERLIN).utcoffset() != offset:
            while moment.astimezone(BERLIN).utcoffset() == offset:
                moment += timedelta(hours=1)
            changes.add((moment, moment.astimezone(BERLIN).utcoffset()))
        moment = later
    return changes


def changes_by_rules(years: range) -> set[tuple[datetime, timedelta]]:
    """The same, from the rules ``berlin_timezone`` writes."""
    changes = set()
    for rule in berlin_timezone().subcomponents:
        onsets = rrulestr(rule["rrule"].to_ical().decode(), dtstart=rule.decoded("dtstart"))
        before, after = rule.decoded("tzoffsetfrom"), rule.decoded("tzoffsetto")
        changes |= {((onset - before).replace(tzinfo=UTC), after)
                    for onset in onsets.between(datetime(years.start, 1, 1),
                                                datetime(years.stop, 1, 1))}
    return changes


def test_the_rules_are_the_zone_databases_for_every_accepted_year():
    """2000-2100: if Berlin's rules change (an end of summer time), this fails first."""
    years = range(2000, 2101)
    by_rules = changes_by_rules(years)
    assert len(by_rules) == 2 * len(years)
    assert by_rules == changes_by_zone_database(years)


def test_the_repeated_hour_goes_out_in_utc_and_everything_else_in_berlin_time():
    autumn = [item for item in year_of_dates(2017) if "autumn" in item.uid]
    text = to_ical(autumn, OPTIONS, NOW).decode()
    assert "DTSTART;TZID=Europe/Berlin:20171028T230000\r\n" in text
    assert "DTEND;TZID=Europe/Berlin:20171029T040000\r\n" in text
    assert "DTSTART:20171029T003000Z\r\nDTEND:20171029T013000Z\r\n" in text
    assert "DTSTART:20171029T013000Z\r\nDTEND;TZID=Europe/Berlin:20171029T033000\r\n" in text
    assert "DTSTART;TZID=Europe/Berlin:20171029T014500\r\nDTEND:20171029T000000Z\r\n" in text


def test_a_time_typed_into_the_skipped_hour_is_stored_as_rfc_5545_reads_it():
    """02:30 on the March night does not exist: the offset before the gap applies (RFC 5545,
    3.3.5), so it is stored as 01:30 UTC and shown, and sent to calendars, as 03:30."""
    stored = typed(date(2017, 3, 26), 2, 30)
    assert stored == datetime(2017, 3, 26, 1, 30, tzinfo=UTC)
    text = to_ical([event("gap", stored, stored + timedelta(hours=1))], OPTIONS, NOW).decode()
    assert "DTSTART;TZID=Europe/Berlin:20170326T033000\r\n" in text
    # the repeated hour's 02:30 is its first instant, as RFC 5545 reads it
    assert typed(date(2017, 10, 29), 2, 30) == datetime(2017, 10, 29, 0, 30, tzinfo=UTC)


# --- Every feed over HTTP ------------------------------------------------------------------


@pytest.fixture
def everywhere(calendar_app: Flask) -> list[CalendarEvent]:
    """The programme, public and in cohort 1, so that every feed holds all of it."""
    plugin.NAMES[1] = "Kohorte 2017"
    plugin.EVENTS[:] = [plugin.Entry(replace(item, cohort_id=1), public=True)
                        for item in PROGRAMME]
    return [entry.event for entry in plugin.EVENTS]


@dataclass(frozen=True)
class Audience:
    app: Flask
    client: FlaskClient
    sign_in: Callable[[User], FlaskClient]
    member: User
    organiser: User


def personal_feed(audience: Audience) -> bytes:
    with audience.app.test_request_context():
        token = feed_token(db.session.get(User, audience.member.id))
    return audience.client.get(f"/calendar/feed/{token}.ics").data


def cohort_feed(audience: Audience) -> bytes:
    return audience.sign_in(audience.member).get("/calendar/cohorts/1.ics").data


def public_feed(audience: Audience) -> bytes:
    return audience.client.get("/calendar/public.ics").data


def organisers_export(audience: Audience) -> bytes:
    return audience.sign_in(audience.organiser).get("/calendar/export.ics").data


@pytest.mark.parametrize("fetch", [personal_feed, cohort_feed, public_feed, organisers_export],
                         ids=lambda fetch: fetch.__name__)
def test_every_feed_is_read_alike_by_three_clients(calendar_app, cal_client, sign_in,
                                                   create_user, organiser, everywhere, fetch):
    member = create_user("mitglied@example.org", Role.PARTICIPANT)
    plugin.MEMBERS[member.email] = {1}
    body = fetch(Audience(calendar_app, cal_client, sign_in, member, organiser))
    assert body.startswith(b"BEGIN:VCALENDAR")
    assert read_alike(body) == sorted(expected(item) for item in everywhere)


# --- Without node --------------------------------------------------------------------------


def test_without_node_the_ical_js_tests_skip_with_a_reason_or_fail_in_ci(monkeypatch):
    monkeypatch.setattr(clients.shutil, "which", lambda name: None)
    monkeypatch.delenv("LMS_E2E", raising=False)
    with pytest.raises(pytest.skip.Exception, match="node not installed"):
        clients.require_icaljs()
    monkeypatch.setenv("LMS_E2E", "1")
    with pytest.raises(pytest.fail.Exception, match="node is not installed"):
        clients.require_icaljs()


def test_no_other_code_writes_a_timezone():
    """``berlin_timezone`` is the one VTIMEZONE: icalendar's generated ones (RDATE lists
    for a range of years) are what ical.js misread."""
    writers = ("add_missing_timezones", "from_tzinfo", "from_tzid", "Timezone(", "VTIMEZONE")
    root = clients.ROOT
    found = [f"{path.relative_to(root)}: {writer}"
             for package in ("lms", "courses", "cohorts", "assignments")
             for path in (root / package).rglob("*.py")
             if path != root / "lms" / "calendar" / "ical.py"
             for writer in writers if writer in path.read_text(encoding="utf-8")]
    assert found == []
