"""Factories for the congress tests: a congress with its agenda, built through the rules.

Plain functions rather than fixtures, so every congress test module can use them; each
commits and returns ids, and tests read everything else from the database.
"""

from __future__ import annotations

from datetime import datetime

from flask import Flask

from courses import congresses as rules
from courses.congress_models import AgendaKind
from courses.congresses import CongressDetails, ItemDetails, SpeakerDetails
from courses.models import Course
from lms.extensions import db
from tests.courses.conftest import berlin

#: before every congress of the tests: registration is open then
BEFORE = berlin("2017-11-01 12:00")


def congress_details(**changes: object) -> CongressDetails:
    values: dict[str, object] = {
        "title": "Gesellschaftliche Konflikte effizient bearbeiten",
        "subtitle": "Erster Kongress des Lehrgangs",
        "starts_at": berlin("2017-12-07 10:00"), "ends_at": berlin("2017-12-07 16:00"),
        "venue": "Westfalenhallen Dortmund", "address": "Rheinlanddamm 200\n44139 Dortmund",
        "description": "Der **erste** Kongress.", "public": True, "capacity": None,
    }
    values.update(changes)
    return CongressDetails(**values)  # type: ignore[arg-type]


def item_details(title: str = "Eröffnung", starts: str = "2017-12-07 10:00",
                 ends: str = "2017-12-07 10:30", *, kind: AgendaKind | str = AgendaKind.OPENING,
                 room: str = "Saal 1", speakers: tuple[SpeakerDetails, ...] = (),
                 description: str = "") -> ItemDetails:
    return ItemDetails(title=title, kind=kind, starts_at=berlin(starts), ends_at=berlin(ends),
                       room=room, description=description, speakers=speakers)


def make_congress(app: Flask, course_id: int, *, items: tuple[ItemDetails, ...] = (),
                  **changes: object) -> int:
    """A congress (public unless ``public=False``) with ``items``; returns its id."""
    with app.test_request_context():
        congress = rules.create_congress(db.session.get(Course, course_id),
                                         congress_details(**changes), actor=None)
        for details in items:
            rules.add_item(congress, details)
        db.session.commit()
        return congress.id


def standard_items() -> tuple[ItemDetails, ...]:
    return (
        item_details(speakers=(SpeakerDetails("Dr. Anna Berger", "Leitung der "
                                              "Integrationsabteilung", "MKFFI NRW"),)),
        item_details("Ziele und Stand des Projekts", "2017-12-07 10:30", "2017-12-07 11:15",
                     kind=AgendaKind.TALK),
        item_details("Mittagspause", "2017-12-07 12:30", "2017-12-07 13:30",
                     kind=AgendaKind.BREAK, room="Foyer"),
    )


def when(text: str) -> datetime:
    return berlin(text)
