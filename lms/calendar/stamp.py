"""The calendar's change stamp: renewed by every write to a model a calendar source reads.

Each plugin names the models its calendar source reads (``Plugin.calendar_models``); the
host adds its own (people's roles). One listener on every database session sees each
flush and each bulk statement; when a row of such a model is inserted, changed or deleted,
the stamp row gets a new random value in the same transaction, just before it commits.
No view has to remember it, and a rolled-back change leaves the stamp as it was. A cached
feed is current exactly while the stamp is the one it was built at (``lms.calendar.feeds``).

A feed reads the stamp before its events: a write committed in between makes the cached
copy newer than its stamp says, never older.
"""

from __future__ import annotations

import secrets
from itertools import chain
from typing import Any

from flask import Flask, current_app, has_app_context
from sqlalchemy import Connection, event, select
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction

from lms.auth.models import UserRole
from lms.calendar.models import CalendarStamp
from lms.db import upsert
from lms.extensions import db
from lms.plugins import PluginRegistry

WATCHED_KEY = "lms.calendar.watched"
#: set in ``Session.info`` by a write to a watched model, until the commit renews the stamp
CHANGED = "lms.calendar.changed"
#: the host's own models that change what a feed shows: a person's roles
HOST_MODELS: tuple[type, ...] = (UserRole,)


def init_app(app: Flask, registry: PluginRegistry) -> None:
    """Watch the models the plugins' calendar sources read (``None``: feeds stay uncached)."""
    models = registry.calendar_models()
    app.extensions[WATCHED_KEY] = None if models is None else (*HOST_MODELS, *models)


def watched_models() -> tuple[type, ...] | None:
    """The models whose writes renew the stamp; None if a source reads unwatched data."""
    return current_app.extensions.get(WATCHED_KEY)


def current_stamp() -> str | None:
    """The stamp, or None when feeds cannot be cached: a source reads data the host
    cannot watch, or no write has made a stamp yet (an emptied table)."""
    if watched_models() is None:
        return None
    return db.session.scalar(select(CalendarStamp.value).where(CalendarStamp.id == 1))


def renew_stamp(connection: Connection) -> None:
    """Give the stamp a new value on ``connection`` (in its transaction)."""
    value = secrets.token_hex(16)
    upsert(connection, CalendarStamp.__table__, {"id": 1, "value": value}, ("id",))


def _watched() -> tuple[type, ...]:
    return (watched_models() or ()) if has_app_context() else ()


@event.listens_for(Session, "after_flush")
def _note_flush(session: Session, _context: Any) -> None:
    watched = _watched()
    if watched and any(isinstance(obj, watched)
                       for obj in chain(session.new, session.dirty, session.deleted)):
        session.info[CHANGED] = True


@event.listens_for(Session, "do_orm_execute")
def _note_bulk(state: ORMExecuteState) -> None:
    """``update(Model)``, ``delete(Model)`` and ``insert(Model)`` bypass the flush."""
    if not (state.is_update or state.is_delete or state.is_insert):
        return
    watched = _watched()
    mapper = state.bind_mapper
    if watched and mapper is not None and issubclass(mapper.class_, watched):
        state.session.info[CHANGED] = True


@event.listens_for(Session, "before_commit")
def _renew_before_commit(session: Session) -> None:
    """Renew the stamp last, just before the commit: the row's lock is then held for an
    instant and after every other lock the transaction took, so two transactions cannot
    wait for each other over it."""
    session.flush()  # what the commit would flush next, so that it is noted
    if session.info.pop(CHANGED, False):
        renew_stamp(session.connection())


@event.listens_for(Session, "after_transaction_end")
def _forget(session: Session, transaction: SessionTransaction) -> None:
    """A rolled-back transaction changed nothing; a savepoint's end says nothing of the
    writes before it."""
    if transaction.parent is None:
        session.info.pop(CHANGED, None)
