"""Database helpers shared by every plugin: UTC time and enum columns, row locks, SQLite pragmas."""

from __future__ import annotations

import enum
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import DateTime, Enum, event, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.types import TypeDecorator

from lms.extensions import db

M = TypeVar("M", bound=db.Model)  # type: ignore[name-defined]


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware datetime stored in UTC.

    SQLite has no time zones and hands back naive values; this type refuses naive input
    and always returns aware UTC datetimes, so code never mixes the two.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; store timezone-aware values only")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def string_enum(enum_class: type[enum.Enum], name: str, length: int = 20) -> Enum:
    """A portable enum column: VARCHAR with a named CHECK constraint, stored by value."""
    return Enum(enum_class, name=name, native_enum=False, create_constraint=True, length=length,
                values_callable=lambda members: [member.value for member in members])


def lock_row(model: type[M], ident: int) -> M | None:
    """The row of ``model`` with id ``ident``, read fresh and locked until the transaction ends.

    Code that counts before it writes (places in a cohort, seats at a congress) takes this
    lock first, so two requests never count at once: PostgreSQL holds the second at
    ``SELECT ... FOR UPDATE``. SQLite has no row locks but one writer at a time; the empty
    UPDATE makes this transaction the writer before it counts, so it cannot count from a
    snapshot older than another writer's commit.
    """
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.execute(update(model).where(model.id == ident).values(id=model.id)
                           .execution_options(synchronize_session=False))
    return db.session.scalar(select(model).where(model.id == ident).with_for_update(of=model)
                             .execution_options(populate_existing=True))


@contextmanager
def isolated() -> Iterator[None]:
    """A block whose failed statement does not spoil the rest of the transaction.

    PostgreSQL refuses every further statement of a transaction in which one failed, so
    there the block runs in a SAVEPOINT, rolled back if the block raises. SQLite undoes
    just the failed statement and needs none.
    """
    postgres = db.session.get_bind().dialect.name == "postgresql"
    with db.session.begin_nested() if postgres else nullcontext():
        yield


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """Foreign keys on and WAL, so SQLite behaves like the production database."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()
