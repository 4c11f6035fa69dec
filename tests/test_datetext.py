"""One set of date formats: every formatter in German and English, across DST and days."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from flask import render_template_string

from lms import datetext
from tests.date_formats import stray_dates

GERMAN = {"Accept-Language": "de-DE,de;q=0.9"}
ENGLISH = {"Accept-Language": "en-GB,en;q=0.9"}
WINTER_10 = datetime(2017, 12, 7, 9, 0, tzinfo=UTC)     # 10:00 in Berlin (CET)
WINTER_1630 = datetime(2017, 12, 7, 15, 30, tzinfo=UTC)
SUMMER_10 = datetime(2018, 7, 1, 8, 0, tzinfo=UTC)      # 10:00 in Berlin (CEST)
LATE_EVENING = datetime(2017, 12, 7, 23, 30, tzinfo=UTC)  # 00:30 on the 8th in Berlin


@pytest.mark.parametrize(("expression", "expected"), [
    ("{{ a|date }}", "07.12.2017"),
    ("{{ day|date }}", "07.12.2017"),
    ("{{ late|date }}", "08.12.2017"),
    ("{{ a|time }}", "10:00 Uhr"),
    ("{{ a|datetime }}", "07.12.2017, 10:00 Uhr"),
    ("{{ summer|datetime }}", "01.07.2018, 10:00 Uhr"),
    ("{{ a|time_span(b) }}", "07.12.2017, 10:00\u201316:30 Uhr"),
    ("{{ a|time_span(summer) }}", "07.12.2017, 10:00 Uhr \u2013 01.07.2018, 10:00 Uhr"),
    ("{{ a|clock_span(b) }}", "10:00\u201316:30 Uhr"),
    ("{{ day|day_span(day) }}", "07.12.2017"),
    ("{{ day|day_span(other) }}", "07.12.2017 \u2013 09.12.2017"),
    ("{{ day|named_date }}", "Donnerstag, 07.12.2017"),
    ("{{ day|month_name }}", "Dezember 2017"),
    ("{{ day|weekday_name('abbreviated') }}", "Do."),
    ("{{ none|date }}{{ none|datetime }}{{ none|time }}", ""),
], ids=lambda value: value if isinstance(value, str) and "{{" in value else None)
def test_german_dates_have_one_format(app, expression, expected):
    with app.test_request_context("/", headers=GERMAN):
        rendered = render_template_string(expression, a=WINTER_10, b=WINTER_1630,
                                          summer=SUMMER_10, late=LATE_EVENING,
                                          day=date(2017, 12, 7), other=date(2017, 12, 9),
                                          none=None)
    assert rendered == expected
    assert not stray_dates(rendered)


def test_english_dates_name_the_month_and_use_the_24_hour_clock(app):
    with app.test_request_context("/", headers=ENGLISH):
        assert datetext.local_date(WINTER_10) == "7 Dec 2017"
        assert datetext.local_datetime(WINTER_10) == "7 Dec 2017, 10:00"
        assert datetext.time_span(WINTER_10, WINTER_1630) == "7 Dec 2017, 10:00\u201316:30"
        assert datetext.local_time(WINTER_10) == "10:00"


@pytest.mark.parametrize("text", [
    "04.12.26, 21:28", "16.11.2026, 23:59:00", "4. Dezember 2026, 21:30:03 MEZ",
    "14. Dezember 2026, 23:59 bis 23:59 Uhr", "um 10:00 beginnt", "Dec 7, 2017", "9:30 AM",
    "7.12.2017",
])
def test_the_formats_the_issue_found_are_caught(text):
    assert stray_dates(text)


@pytest.mark.parametrize("text", [
    "07.12.2017", "07.12.2017, 10:00 Uhr", "07.12.2017, 10:00\u201316:30 Uhr",
    "07.12.2017, 10:00 Uhr \u2013 08.12.2017, 12:00 Uhr", "Dezember 2017", "80,0 %",
    "Version 2.1", "AGS 05913000",
])
def test_the_one_format_passes(text):
    assert not stray_dates(text)


def test_summer_time_after_2037_is_summer_time(app):
    # pytz, which Babel would use to convert, knows no summer time after 2037
    far_summer = datetime(2099, 6, 10, 8, 0, tzinfo=UTC)
    with app.test_request_context("/", headers=GERMAN):
        assert datetext.local_datetime(far_summer) == "10.06.2099, 10:00 Uhr"
        assert datetext.time_span(far_summer, far_summer.replace(hour=15)) \
            == "10.06.2099, 10:00\u201317:00 Uhr"


def test_a_text_once_made_is_kept_for_its_language_only(app, monkeypatch):
    """Pages format the same days again and again: Babel is asked once per value and
    language, and a value first formatted in one language still reads right in the other."""
    import babel.dates

    asked: list[date] = []
    real = babel.dates.format_date
    monkeypatch.setattr(babel.dates, "format_date",
                        lambda day, *args, **options: asked.append(day) or real(day, *args,
                                                                               **options))
    day = date(2019, 3, 14)
    datetext.local_date.cache_clear()  # kept from this test's run on the other database
    with app.test_request_context("/", headers=GERMAN):
        assert [datetext.local_date(day) for _ in range(3)] == ["14.03.2019"] * 3
    assert asked == [day]
    with app.test_request_context("/", headers=ENGLISH):
        assert datetext.local_date(day) == "14 Mar 2019"
    with app.test_request_context("/", headers=GERMAN):
        assert datetext.local_date(day) == "14.03.2019"
    assert asked == [day, day]
