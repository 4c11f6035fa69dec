"""Request plumbing shared by all views: one commit per request, safe redirects, form errors."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, Response, abort, current_app, flash, g, has_request_context, request
from flask_login import current_user
from flask_sqlalchemy.pagination import Pagination
from flask_wtf import FlaskForm
from sqlalchemy import Select, event
from sqlalchemy.engine import Engine
from werkzeug.routing import IntegerConverter
from wtforms import Field, Form

from lms.errors import DomainError
from lms.extensions import db

#: requests that never change anything (RFC 9110): a link, an image or a prefetch can
#: send them on anybody's behalf
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_WRITES = ("insert", "update", "delete", "replace")
#: an execution option for a connection that writes a shared cache in a transaction of its
#: own (``lms.calendar.cache``): what it writes is no change of the request's data
OWN_TRANSACTION = "lms_own_transaction"


class WriteInSafeRequest(RuntimeError):
    """A GET (HEAD, OPTIONS) request tried to change the database."""


def _note_safe_request() -> None:
    g.lms_safe_request = request.method in SAFE_METHODS


@event.listens_for(Engine, "before_cursor_execute")
def _note_write(connection: Any, _cursor: Any, statement: str, *_args: Any) -> None:
    """Remember a write sent while a safe request is answered (``_commit_on_success``)."""
    if has_request_context() and g.get("lms_safe_request") \
            and not connection.get_execution_options().get(OWN_TRANSACTION) \
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
#: ASCII digits only: ``str.isdigit()`` and ``int()`` also take "²" and "١٢"
_ID = re.compile(r"[0-9]{1,10}")


def parse_id(value: object) -> int | None:
    """``value`` (a posted or queried string, or an int) as an id, or None.

    Only ASCII digits within what an INTEGER column holds (``MAX_ID``, the bound of the
    ``<int:...>`` converter) count; anything else is no id, so it finds nothing instead of
    overflowing the database driver.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = int(value) if _ID.fullmatch(value) else None
    return value if isinstance(value, int) and 1 <= value <= MAX_ID else None


def coerce_id(value: object) -> int:
    """``parse_id`` for a select's ``coerce``: a ``ValueError`` becomes a form error."""
    number = parse_id(value)
    if number is None:
        raise ValueError("not an id")
    return number


def page_number() -> int:
    """The page a list is asked for (``?page=``): 1 if not given, 404 if not a page number."""
    raw = request.args.get("page", "")
    if not raw:
        return 1
    number = parse_id(raw)
    if number is None:
        abort(404)
    return number


def paginate(query: Select[Any], per_page: int) -> Pagination:
    """One page of ``query`` for the page number asked for; every paginated list uses it.

    A page after the last one is empty rather than an error, as the lists show.
    """
    return db.paginate(query, page=page_number(), per_page=per_page, error_out=False)


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
    app.after_request(_cache_policy)


CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'"
)


def _security_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if current_app.config["ENV"] == "production":  # a developer's http://127.0.0.1 stays usable
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    return response


HSTS = "max-age=31536000; includeSubDomains"
NO_STORE = "private, no-store"


def _cache_policy(response: Response) -> Response:
    """Nothing the LMS answers is kept by a browser or proxy, unless a view chose caching.

    Pages for a signed-in person, their exports and files, and pages reached by a secret
    link hold personal data (grades, outbox messages with reset links): ``private,
    no-store`` for all of them. Static files keep their caching. For visitors who are not
    signed in, a view may choose: ``public`` (a public page), or ``private, no-cache``
    (feeds reached by a secret token, revalidated by ETag and answered 304).
    """
    if request.endpoint and (request.endpoint == "static" or request.endpoint.endswith(".static")):
        return response
    chosen = response.cache_control
    if not current_user.is_authenticated and (chosen.public or (chosen.private
                                                                and chosen.no_cache)):
        return response
    response.headers["Cache-Control"] = NO_STORE
    return response
