"""A large programme for measuring, made by ``flask lms seed-scale``: the demo, then many
more cohorts, participants, versions of work and outbox messages.

Rows are written through the app's models in bulk (``insert(Model)`` with many rows at
once), in chunks, so that the default sizes take minutes. The host makes the people and
the outbox; each plugin adds its part through ``Plugin.seed_scale``, in plugin order.
Every row made here is named ``scale-...`` so that the sizes can be read back.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import islice
from typing import Any, TypeVar

from sqlalchemy import insert, select

from lms.auth.models import Role, User, UserRole
from lms.db import utcnow
from lms.extensions import db
from lms.i18n import collation_key
from lms.mail import OutboxMessage
from lms.markdown import render_markdown
from lms.markdown_columns import rendered_columns

CHUNK = 5000
PREFIX = "scale-"
T = TypeVar("T")


@dataclass(frozen=True)
class ScaleSizes:
    cohorts: int = 200
    participants: int = 10_000
    versions: int = 200_000
    outbox: int = 100_000


def at(day: date, hour: int) -> datetime:
    """``hour`` o'clock UTC on ``day``."""
    return datetime.combine(day, time(hour), tzinfo=UTC)


def chunks(items: Iterable[T], size: int = CHUNK) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def insert_rows(model: type, rows: Iterable[dict[str, Any]]) -> list[int]:
    """``rows`` written as ``model``'s in chunks; their new ids, in order.

    A bulk insert passes by the ORM's events, so the HTML of Markdown columns
    (``lms.markdown_columns``) is rendered here, once for each distinct text.
    """
    table = model.__table__
    rendered = [(column.key, source) for column, source in rendered_columns()
                if column.table is table]
    html: dict[str, str] = {}
    ids: list[int] = []
    for chunk in chunks(rows):
        for row in chunk:
            for key, source in rendered:
                if row.get(source):
                    text = row[source]
                    row[key] = html.get(text) or html.setdefault(text, render_markdown(text))
        ids += db.session.scalars(insert(model).returning(model.id, sort_by_parameter_order=True),
                                  chunk).all()
    return ids


def add_people(count: int, password_hash: str, role: Role = Role.PARTICIPANT) -> list[int]:
    """``count`` active people with ``role``, numbered, all with ``password_hash``."""
    first = len(scale_people())
    names = [f"Person {number:05d} Skalierung" for number in range(first, first + count)]
    ids = insert_rows(User, ({"email": f"{PREFIX}{number:05d}@example.org",
                              "display_name": name, "sort_name": collation_key(name)[:240],
                              "password_hash": password_hash, "active": True}
                             for number, name in enumerate(names, start=first)))
    for chunk in chunks(ids):
        db.session.execute(insert(UserRole), [{"user_id": ident, "role": role}
                                              for ident in chunk])
    return ids


def scale_people() -> Sequence[int]:
    return db.session.scalars(select(User.id).where(User.email.like(f"{PREFIX}%"))
                              .order_by(User.id)).all()


def add_outbox(count: int, recipients: Sequence[int]) -> None:
    """``count`` mails to ``recipients`` over the past year, all but the last 50 sent."""
    now = utcnow()
    emails = dict(db.session.execute(select(User.id, User.email)
                                     .where(User.id.in_(recipients[:1000]))).all())
    people = list(emails.items()) or [(None, "niemand@example.org")]
    rows = []
    for number in range(count):
        user_id, email = people[number % len(people)]
        created = now - timedelta(minutes=(count - number) * 5)
        sent = number < count - 50
        rows.append({"created_at": created, "recipient": email, "user_id": user_id,
                     "subject": f"Erinnerung {number}", "body": "Bitte denken Sie an die Abgabe.",
                     "sent_at": created + timedelta(seconds=30) if sent else None,
                     "attempts": 1 if sent else 0,
                     "next_attempt_at": None if sent else created})
    insert_rows(OutboxMessage, rows)
