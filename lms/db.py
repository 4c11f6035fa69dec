"""Database helpers shared by every plugin: UTC time and enum columns, row locks, SQLite pragmas."""

from __future__ import annotations

import enum
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import Connection, DateTime, Enum, Table, event, select
from sqlalchemy.dialects import postgresql, sqlite
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

    Code that reads before it writes (counting places, comparing a form's stamp, numbering
    versions) takes this lock first, so two requests never read for the same write at once.
    PostgreSQL holds the second at ``SELECT ... FOR NO KEY UPDATE``: lockers wait for each
    other, but rows that merely refer to the locked one (a foreign key check takes a key
    share lock) are not held up, so a transaction holding a child row's lock and
    inserting or updating it cannot deadlock with one holding the parent's. SQLite has no
    row locks but one writer at a time: ``take_write_lock`` makes this transaction the
    writer first.
    Everything the session read before the lock may be older than the last commit, so it
    is read again afterwards (``populate_existing`` and ``expire_read_rows``).
    """
    take_write_lock()
    expire_read_rows()
    return db.session.scalar(select(model).where(model.id == ident)
                             .with_for_update(of=model, key_share=True)
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


def take_write_lock() -> None:
    """On SQLite, begin the transaction with ``BEGIN IMMEDIATE`` unless it has begun.

    SQLite has one writer at a time. Python's driver (in its default mode, which we keep)
    begins a transaction at the first write statement only, so rows read before it may
    be older than another writer's commit by the time we write. Beginning before the
    reads, as a deferred transaction, is no better: its first write is refused at once
    (SQLITE_BUSY, whatever ``busy_timeout`` says) if another writer committed since it
    read. ``BEGIN IMMEDIATE`` takes the write lock first, waiting up to ``busy_timeout``
    for the writer before, and what we read afterwards stays true until we commit. A
    transaction that has begun already began with a write, so it holds the lock.
    PostgreSQL needs none of this: ``lock_row`` locks the row there.
    """
    connection = db.session.connection()
    if connection.dialect.name != "sqlite":
        return
    driver_connection = connection.connection.dbapi_connection
    if driver_connection is not None and not driver_connection.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def expire_read_rows() -> None:
    """Forget what the session read, so it is read again; changes not yet flushed stay."""
    session = db.session()
    changed = set(session.dirty) | set(session.new) | set(session.deleted)
    for obj in list(session.identity_map.values()):
        if obj not in changed:
            session.expire(obj)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """Foreign keys on and WAL, so SQLite behaves like the production database."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()


def upsert(connection: Connection, table: Table, values: dict[str, Any],
           key: tuple[str, ...]) -> None:
    """Insert ``values`` into ``table``, or update the row with the same ``key`` columns:
    one statement on PostgreSQL and SQLite, so two writers at once cannot collide."""
    module = postgresql if connection.dialect.name == "postgresql" else sqlite
    statement = module.insert(table).values(**values)
    changes = {name: value for name, value in values.items() if name not in key}
    connection.execute(statement.on_conflict_do_update(index_elements=list(key), set_=changes))
