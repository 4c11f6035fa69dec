"""Request plumbing shared by all views: one commit per request, safe redirects, form errors."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, flash, g, has_request_context, request
from flask_wtf import FlaskForm
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.routing import IntegerConverter
from wtforms import Field, Form

from lms.errors import DomainError
from lms.extensions import db

#: requests that never change anything (RFC 9110): a link, an image or a prefetch can
#: send them on anybody's behalf
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_WRITES = ("insert", "update", "delete", "replace")


class WriteInSafeRequest(RuntimeError):
    """A GET (HEAD, OPTIONS) request tried to change the database."""


def _note_safe_request() -> None:
    g.lms_safe_request = request.method in SAFE_METHODS


@event.listens_for(Engine, "before_cursor_execute")
def _note_write(_connection: Any, _cursor: Any, statement: str, *_args: Any) -> None:
    """Remember a write sent while a safe request is answered (``_commit_on_success``)."""
    if has_request_context() and g.get("lms_safe_request") \
            and statement.lstrip()[:7].lower().startswith(_WRITES):
        g.setdefault("lms_writes", []).append(" ".join(statement.split())[:120])


def _commit_on_success(response: Response) -> Response:
    """Commit once, after the view succeeded; anything else leaves the database untouched.

    A safe request never commits: whatever it wrote is rolled back, logged as the bug it
    is, and raised when testing, so that every test that opens a page also checks this.
    """
    if request.method in SAFE_METHODS:
        db.session.rollback()
        writes = g.pop("lms_writes", None)
        if writes:
            current_app.logger.error("%s %s tried to write: %s", request.method,
                                     request.path, "; ".join(writes))
            if current_app.testing:
                raise WriteInSafeRequest(f"{request.method} {request.path}: {writes}")
        return response
    if response.status_code < 400 and not g.get("lms_rollback"):
        db.session.commit()
    else:
        db.session.rollback()
    return response


def field_named(form: Form, name: str | None) -> Field | None:
    """The field ``name`` names, also inside lists of subforms ("nominees-0-email")."""
    target: object = form
    for part in (name or "").split("-"):
        if part.isdigit():
            entries = getattr(target, "entries", [])
            target = entries[int(part)] if int(part) < len(entries) else None
        else:
            target = getattr(getattr(target, "form", target), part, None)
        if target is None:
            return None
    return target if isinstance(target, Field) and name else None


def reject(form: FlaskForm | None, error: DomainError) -> None:
    """Undo the request's changes and show ``error`` at its field or as a message.

    An error of a field inside a subform is shown there and on top as well, since the
    subform may sit far down a long page.
    """
    db.session.rollback()
    g.lms_rollback = True
    field = field_named(form, error.field) if form is not None else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    if field is None or "-" in (error.field or ""):
        flash(error.message, "error")


def safe_next(default: str) -> str:
    """The ``next`` target if it stays on this site, else ``default``."""
    target = request.values.get("next", "")
    parts = urlsplit(target)
    if target.startswith("/") and not target.startswith("//") and not parts.netloc \
            and not parts.scheme and "\\" not in target:
        return target
    return default


#: the largest id an INTEGER column holds on every database we support
MAX_ID = 2**31 - 1


class DatabaseIdConverter(IntegerConverter):
    """``<int:...>`` in every route, limited to ids a database can hold.

    A larger number in an address is then simply no page (404), instead of an overflow
    error from the database driver.
    """

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def init_app(app: Flask) -> None:
    # before any blueprint is registered, so every route's <int:...> uses it
    app.url_map.converters["int"] = DatabaseIdConverter
    app.before_request(_note_safe_request)
    app.after_request(_commit_on_success)
    app.after_request(_security_headers)


CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'"
)


def _security_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    return response
