"""Laying events out in Berlin days: which days an event touches, the grid, the labels."""

from __future__ import annotations

from datetime import date

import pytest

from lms.calendar import layout
from lms.calendar.events import days_of
from tests.calendar.conftest import berlin, event


@pytest.mark.parametrize("start, end, days", [
    (berlin(2017, 10, 28, 23), berlin(2017, 10, 29, 4), (date(2017, 10, 28), date(2017, 10, 29))),
    (berlin(2018, 3, 1, 0, 30), berlin(2018, 3, 1, 1), (date(2018, 3, 1), date(2018, 3, 1))),
    (berlin(2018, 3, 1, 20), berlin(2018, 3, 2, 0), (date(2018, 3, 1), date(2018, 3, 1))),
    (date(2017, 12, 7), date(2017, 12, 8), (date(2017, 12, 7), date(2017, 12, 7))),
    (date(2017, 12, 7), date(2017, 12, 10), (date(2017, 12, 7), date(2017, 12, 9))),
])
def test_days_an_event_touches(start, end, days):
    assert days_of(event("e", start, end)) == days


def test_month_parsing():
    assert layout.Month.parse("2017-12") == layout.Month(2017, 12)
    assert layout.Month.parse("2017-12").next == layout.Month(2018, 1)
    assert layout.Month.parse("2018-01").previous == layout.Month(2017, 12)
    for bad in ["2017-00", "2017-13", "2017-1", " 2017-01", "2017-01-01", "1900-01", ""]:
        assert layout.Month.parse(bad) is None, bad


def test_weeks_start_on_monday_and_place_events_on_every_day_they_touch():
    two_days = event("two", berlin(2017, 11, 9, 10), berlin(2017, 11, 10, 16))
    weeks = layout.weeks(layout.Month(2017, 11), [two_days], today=date(2017, 11, 10))
    assert weeks[0][0].day == date(2017, 10, 30) and not weeks[0][0].in_month
    assert weeks[-1][-1].day == date(2017, 12, 3)
    days = {day.day: day for week in weeks for day in week}
    assert days[date(2017, 11, 9)].events == days[date(2017, 11, 10)].events == (two_days,)
    assert days[date(2017, 11, 10)].is_today and not days[date(2017, 11, 9)].is_today
    assert days[date(2017, 11, 11)].events == ()


def test_grid_times_show_the_start_then_the_end(calendar_app):
    three_days = event("three", berlin(2017, 11, 8, 10), berlin(2017, 11, 10, 16))
    with calendar_app.test_request_context(headers={"Accept-Language": "en"}):
        labels = [layout.clock(three_days, date(2017, 11, day)).replace("\u202f", " ")
                  for day in (8, 9, 10)]
    assert labels == ["10:00", "", "until 16:00"]


def test_nearest_months_with_events():
    october = event("oct", berlin(2017, 10, 5, 10), berlin(2017, 10, 5, 12))
    january = event("jan", date(2018, 1, 15), date(2018, 1, 16))
    assert layout.nearest_months(layout.month_spans([october, january]),
                                 layout.Month(2017, 12)) == \
        (layout.Month(2017, 10), layout.Month(2018, 1))
    assert layout.nearest_months([], layout.Month(2017, 12)) == (None, None)
