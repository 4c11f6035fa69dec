"""The host's filter forms (lms/filters.py) and their macro: lenient, round-tripping."""

from __future__ import annotations

import re

import pytest
from flask import Flask, render_template_string
from wtforms import SelectChoice

from lms.filters import ChoiceFilter, QueryForm, SearchFilter

EN = {"Accept-Language": "en"}


class ExampleFilters(QueryForm):
    q = SearchFilter("Name")
    colour = ChoiceFilter("Colour", "All colours",
                          [SelectChoice("red", "Red"), SelectChoice("blue", "Blue")])
    place = ChoiceFilter("Place", "Everywhere")


def read(app: Flask, query: str, places=()) -> ExampleFilters:
    with app.test_request_context(f"/list?{query}"):
        form = ExampleFilters()
        form.place.offer(places)
        return form


def test_filters_are_read_from_the_query_string_and_given_back(app):
    form = read(app, "q=+K%C3%B6ln+&colour=blue&place=Detmold&page=3",
                places=[("Detmold", "Detmold"), ("Arnsberg", "Arnsberg")])
    assert (form.q.data, form.colour.chosen, form.place.chosen) == ("Köln", "blue", "Detmold")
    assert form.args() == {"q": "Köln", "colour": "blue", "place": "Detmold"}


def test_values_not_offered_count_as_not_given(app):
    form = read(app, "q=&colour=green&place=Detmold&colour=red")
    assert (form.q.data, form.colour.chosen, form.place.chosen) == ("", "", "")
    assert form.args() == {}
    assert read(app, "").args() == {}


@pytest.mark.parametrize("query", ["colour=%00", "colour=" + "9" * 400, "q=%C2%B2&place=-1"])
def test_odd_values_fail_nothing(app, query):
    assert read(app, query).colour.chosen == ""


def test_a_post_reads_its_filters_from_the_address_not_the_body(app):
    with app.test_request_context("/list?colour=red", method="POST", data={"colour": "blue"}):
        assert ExampleFilters().colour.chosen == "red"


def test_the_macro_shows_each_filter_with_its_label_and_choice(app):
    with app.test_request_context("/list?q=a%22b&colour=blue"):
        html = render_template_string(
            '{% from "_forms.html" import filter_form %}{{ filter_form(form, "/list") }}',
            form=ExampleFilters())
    assert re.search(r'<form class="filters" method="get" role="search" action="/list">', html)
    assert '<label for="q">Name</label>' in html
    assert 'type="search" value="a&#34;b"' in html
    assert re.search(r'<option selected value="blue">Blue</option>', html)
    assert '<option value="">All colours</option>' in html


@pytest.mark.parametrize("path", ["/admin/people", "/admin/outbox", "/municipalities/"])
def test_list_pages_show_their_filters_with_the_macro(app, login, organiser, path):
    page = login(organiser).get(f"{path}?q=x&role=nonsense&kind=nonsense", headers=EN)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<form class="filters" method="get" role="search">' in html
    assert 'id="q" name="q" type="search" value="x"' in html
