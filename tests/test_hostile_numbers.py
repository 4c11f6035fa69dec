"""Numbers from outside: ids, page numbers and integer form fields take ASCII digits within
a column's range; anything else is no page (404) or a form error in German."""

from __future__ import annotations

import pytest
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms.validators import InputRequired

from lms.fields import BoundedIntegerField
from lms.web import MAX_ID, coerce_id, parse_id

HOSTILE_PAGES = ["9223372036854775807", "9" * 400, "²", "\u0661", "0", "-1", "1e3", "abc"]


@pytest.mark.parametrize(("value", "expected"), [
    ("1", 1), ("0042", 42), (str(MAX_ID), MAX_ID), (7, 7),
    (str(MAX_ID + 1), None), ("9" * 40, None), ("²", None), ("\u0661\u0662", None),
    ("-1", None), ("0", None), ("", None), (" 7", None), ("+7", None), (None, None),
    (True, None), (2**40, None), ("1.0", None),
])
def test_parse_id_takes_ascii_digits_within_the_column(value, expected):
    assert parse_id(value) == expected


def test_coerce_id_refuses_what_is_no_id():
    assert coerce_id("12") == 12
    with pytest.raises(ValueError):
        coerce_id("²")


@pytest.mark.parametrize("path", ["/admin/people", "/admin/outbox"])
def test_hostile_page_numbers_are_no_page(app, client, login, organiser, path):
    login(organiser)
    assert client.get(f"{path}?page=2").status_code == 200  # an empty page after the last
    for page in HOSTILE_PAGES:
        assert client.get(f"{path}?page={page}").status_code == 404, page


class _Form(FlaskForm):
    class Meta:
        csrf = False

    capacity = BoundedIntegerField("Kapazität", minimum=1, maximum=100,
                                   validators=[InputRequired()])


@pytest.mark.parametrize(("raw", "message"), [
    ("9" * 400, "Bitte geben Sie eine Zahl von 1 bis 100 ein."),
    ("0", "Bitte geben Sie eine Zahl von 1 bis 100 ein."),
    ("-5", "Bitte geben Sie eine Zahl von 1 bis 100 ein."),
    ("²", "Bitte geben Sie eine ganze Zahl ein (Ziffern 0-9)."),
    ("\u0661\u0662", "Bitte geben Sie eine ganze Zahl ein (Ziffern 0-9)."),
    ("1.5", "Bitte geben Sie eine ganze Zahl ein (Ziffern 0-9)."),
    ("a\x00", "Bitte geben Sie eine ganze Zahl ein (Ziffern 0-9)."),
])
def test_integer_fields_answer_hostile_numbers_with_a_german_message(app, raw, message):
    with app.test_request_context(headers={"Accept-Language": "de"}):
        form = _Form(MultiDict({"capacity": raw}))
        assert not form.validate()
        assert form.capacity.errors == [message]


@pytest.mark.parametrize(("raw", "value"), [("7", 7), (" 100 ", 100), ("+1", 1)])
def test_integer_fields_take_whole_numbers_in_range(app, raw, value):
    with app.test_request_context():
        form = _Form(MultiDict({"capacity": raw}))
        assert form.validate(), form.errors
        assert form.capacity.data == value
