"""Alembic environment: runs inside the Flask app, so every plugin's models are known."""

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app
from sqlalchemy.engine import Connection

from lms.db import UTCDateTime

config = context.config
if config.config_file_name and not logging.getLogger().handlers:
    fileConfig(config.config_file_name, disable_existing_loggers=False)

db = current_app.extensions["migrate"].db


def render_item(type_, obj, autogen_context):
    """Write our UTC column type as the plain SQL type it stands for."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def run_migrations_offline() -> None:
    context.configure(url=str(db.engine.url), target_metadata=db.metadata, literal_binds=True,
                      render_as_batch=True, render_item=render_item)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    options = dict(current_app.extensions["migrate"].configure_args)
    options.setdefault("render_item", render_item)
    with db.engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            _begin_sqlite_migration(connection)
        context.configure(connection=connection, target_metadata=db.metadata, **options)
        with context.begin_transaction():
            context.run_migrations()
        if sqlite:
            _end_sqlite_migration(connection)


def _begin_sqlite_migration(connection: Connection) -> None:
    """Foreign keys off, and one transaction that holds the DDL too.

    SQLite changes a table by copying it into a new one and dropping the old; with foreign
    keys on, dropping a table that other rows point to fails. The pragma only takes effect
    outside a transaction. Python's driver begins a transaction only before data changes,
    so an explicit BEGIN keeps a failed revision's CREATE and DROP from staying half done.
    """
    connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
    connection.commit()
    connection.exec_driver_sql("BEGIN")


def _end_sqlite_migration(connection: Connection) -> None:
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise RuntimeError(f"the migration broke foreign keys: {broken[:5]}")
    connection.commit()
    connection.exec_driver_sql("PRAGMA foreign_keys=ON")
    connection.commit()

if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
