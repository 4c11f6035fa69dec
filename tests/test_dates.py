"""The accepted window of dates: the domain check, and the form fields that hold to it."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from werkzeug.datastructures import MultiDict
from wtforms.validators import InputRequired, Optional

from lms.dates import (
    BerlinDateTimeField,
    DateField,
    berlin_day,
    check_date,
    in_window,
    span_in_window,
)
from lms.errors import DomainError
from lms.forms import FlaskForm

GERMAN = {"Accept-Language": "de"}
GERMAN_MESSAGE = "Bitte ein Datum zwischen 01.01.2000 und 31.12.2100 angeben."
#: typed dates outside the window: the far future and past, and the days just outside
FAR_DAYS = ["9999-12-31", "0001-01-01", "1999-12-31", "2101-01-01"]


class DatesForm(FlaskForm):
    class Meta:
        csrf = False

    day = DateField(validators=[Optional()])
    moment = BerlinDateTimeField(validators=[InputRequired()])


def _form(app, **data: str) -> DatesForm:
    with app.test_request_context("/", method="POST", headers=GERMAN):
        form = DatesForm(MultiDict(data))
        form.validate()
        return form


@pytest.mark.parametrize("value", [date(2000, 1, 1), date(2100, 12, 31),
                                   datetime(1999, 12, 31, 23, 0, tzinfo=UTC),  # Berlin 1 Jan
                                   datetime(2100, 12, 31, 22, 59, tzinfo=UTC),
                                   datetime(2000, 1, 1, 0, 0)])
def test_the_window_includes_its_first_and_last_day(value):
    assert in_window(value)
    check_date(value)


@pytest.mark.parametrize("value", [date(1999, 12, 31), date(2101, 1, 1), date.min, date.max,
                                   datetime(1999, 12, 31, 22, 59, tzinfo=UTC),
                                   datetime(2100, 12, 31, 23, 0, tzinfo=UTC),
                                   datetime.min.replace(tzinfo=UTC),
                                   datetime.max.replace(tzinfo=UTC),
                                   datetime(9999, 12, 31, 23, 59)])
def test_the_domain_check_refuses_dates_outside_in_german(app, value):
    assert not in_window(value)
    with app.test_request_context("/", headers=GERMAN), \
            pytest.raises(DomainError) as refused:
        check_date(value, "starts_at")
    assert refused.value.message == GERMAN_MESSAGE
    assert refused.value.field == "starts_at"


def test_a_missing_date_is_left_to_the_caller():
    check_date(None, "due_on")


def test_a_span_may_end_at_the_windows_end_exclusive():
    assert span_in_window(date(2100, 12, 31), date(2101, 1, 1))
    assert not span_in_window(date(2100, 12, 31), date(2101, 1, 2))
    assert not span_in_window(date(1999, 12, 31), date(2000, 1, 1))
    last_evening = datetime(2100, 12, 31, 21, 0, tzinfo=UTC)
    assert span_in_window(last_evening, datetime(2100, 12, 31, 23, 0, tzinfo=UTC))
    assert not span_in_window(last_evening, datetime.max.replace(tzinfo=UTC))


@pytest.mark.parametrize("value", FAR_DAYS)
def test_a_date_field_outside_the_window_is_a_german_form_error(app, value):
    form = _form(app, day=value, moment="2017-12-07T10:00")
    assert form.day.errors == [GERMAN_MESSAGE]
    assert form.day.data is None


@pytest.mark.parametrize("value", [f"{day}T00:00" for day in FAR_DAYS]
                         + ["0001-01-01T00:00", "9999-12-31T23:59", "0001-01-01 00:00:00"])
def test_a_time_field_outside_the_window_is_a_form_error_not_an_overflow(app, value):
    form = _form(app, moment=value)
    assert form.moment.errors == [GERMAN_MESSAGE]
    assert form.moment.data is None


def test_time_fields_hand_on_utc_at_both_ends_of_the_window(app):
    assert _form(app, moment="2000-01-01T00:00").moment.data == datetime(
        1999, 12, 31, 23, 0, tzinfo=UTC)
    assert _form(app, moment="2100-12-31T23:59").moment.data == datetime(
        2100, 12, 31, 22, 59, tzinfo=UTC)
    assert _form(app, day="2100-12-31", moment="2017-12-07T10:00").day.data == date(
        2100, 12, 31)


def test_unreadable_and_empty_values_keep_their_usual_messages(app):
    form = _form(app, day="31.12.9999", moment="")
    assert form.day.errors == ["Bitte geben Sie ein Datum ein."]
    assert form.moment.errors == ["Bitte füllen Sie dieses Feld aus."]


def test_a_stored_time_outside_the_window_is_shown_empty_for_retyping(app):
    with app.test_request_context("/", headers=GERMAN):
        form = DatesForm(data={"moment": datetime(9999, 12, 31, 23, 30, tzinfo=UTC)})
        assert form.moment._value() == ""
        assert 'min="2000-01-01T00:00"' in form.moment()
        assert 'max="2100-12-31"' in form.day()


@pytest.mark.parametrize(("moment", "day"), [
    (datetime(2017, 12, 6, 23, 30, tzinfo=UTC), date(2017, 12, 7)),  # winter: UTC+1
    (datetime(2018, 6, 30, 22, 0, tzinfo=UTC), date(2018, 7, 1)),  # summer: UTC+2
    (datetime(2018, 6, 30, 21, 59, tzinfo=UTC), date(2018, 6, 30)),
])
def test_a_stored_moment_falls_on_its_berlin_day(moment, day):
    assert berlin_day(moment) == day
