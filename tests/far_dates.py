"""Shared by the tests of far dates: the values, the German message, and the check that
a form refuses each of them and changes nothing."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from lms.extensions import db

GERMAN_MESSAGE = "Bitte ein Datum zwischen 01.01.2000 und 31.12.2100 angeben."
#: the far future and past, and the days just outside the window
FAR_DAYS = ["9999-12-31", "0001-01-01", "1999-12-31", "2101-01-01"]


def database_state(app: Flask) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, in a stable order."""
    with app.app_context():
        return {table.name: sorted((tuple(row) for row in db.session.execute(table.select())),
                                   key=repr)
                for table in db.metadata.sorted_tables}


def typed(day: str, kind: str) -> str:
    """``day`` as a date input ("date") or a datetime-local input ("datetime") sends it."""
    return f"{day}T10:00" if kind == "datetime" else day


def refused_everywhere(app: Flask, client: FlaskClient, url: str, data: dict[str, str],
                       fields: dict[str, str], **post: object) -> None:
    """Each far day in each of ``fields`` (name -> "date" or "datetime") is a German form
    error, and changes nothing."""
    for name, kind in fields.items():
        for day in FAR_DAYS:
            before = database_state(app)
            response = client.post(url, data={**data, name: typed(day, kind)}, **post)
            assert response.status_code in (200, 400, 422), (url, name, day,
                                                             response.status_code)
            assert GERMAN_MESSAGE in response.get_data(as_text=True), (url, name, day)
            assert database_state(app) == before, (url, name, day)
