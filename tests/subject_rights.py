"""What the tests of the data subject's rights (Art. 15 and 17 GDPR) share besides the
``demo_world`` fixture (in conftest): signing in as one of the demo's people, and a
search of every text in the database."""

from __future__ import annotations

import json
from typing import Any

from flask import Flask
from sqlalchemy import JSON, String, select
from sqlalchemy.types import TypeDecorator, TypeEngine

from cohorts.models import Enrollment
from lms import demo
from lms.auth.models import User
from lms.extensions import db

PARTICIPANT = "teilnehmer@example.org"
ORGANISER = "orga@example.org"
GERMAN = {"Accept-Language": "de"}


def team_of(app: Flask, email: str) -> tuple[str, str]:
    """The municipality the person is enrolled for, and the email of a teammate (another
    person enrolled for it in the same cohort), as the demo has them."""
    with app.app_context():
        mine = db.session.scalar(select(Enrollment).join(User, User.id == Enrollment.user_id)
                                 .where(User.email == email))
        teammate = db.session.scalar(
            select(User.email).join(Enrollment, Enrollment.user_id == User.id)
            .where(Enrollment.cohort_id == mine.cohort_id,
                   Enrollment.municipality_id == mine.municipality_id, User.email != email))
        found = mine.municipality.name, teammate
        db.session.remove()
    assert teammate is not None, "the demo gives her a teammate"
    return found


def sign_in(client, email: str) -> None:
    response = client.post("/login", data={"email": email, "password": demo.DEMO_PASSWORD})
    assert response.status_code == 302


def texts_naming(app: Flask, *words: str) -> dict[str, int]:
    """Every text or JSON column of every table that contains one of ``words`` (case
    ignored), as "table.column" with the number of rows."""
    lowered = [word.lower() for word in words]
    found: dict[str, int] = {}
    with app.app_context():
        for table in db.metadata.sorted_tables:
            columns = [column for column in table.columns
                       if isinstance(_stored_type(column.type), String | JSON)]
            if not columns:
                continue
            for row in db.session.execute(select(*columns)):
                for column, value in zip(columns, row, strict=True):
                    if value is not None and any(word in _text(value).lower()
                                                 for word in lowered):
                        key = f"{table.name}.{column.name}"
                        found[key] = found.get(key, 0) + 1
        db.session.remove()
    return found


def _stored_type(type_: TypeEngine[Any]) -> TypeEngine[Any]:
    """The type the database holds: for a ``TypeDecorator`` (stored HTML, say), its impl."""
    return type_.impl_instance if isinstance(type_, TypeDecorator) else type_


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
