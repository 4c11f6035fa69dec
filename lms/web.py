"""Request plumbing shared by all views: one commit per request, safe redirects, form errors."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, Response, flash, g, request
from flask_wtf import FlaskForm

from lms.errors import DomainError
from lms.extensions import db


def _commit_on_success(response: Response) -> Response:
    """Commit once, after the view succeeded; anything else leaves the database untouched."""
    if response.status_code < 400 and not g.get("lms_rollback"):
        db.session.commit()
    else:
        db.session.rollback()
    return response


def reject(form: FlaskForm | None, error: DomainError) -> None:
    """Undo the request's changes and show ``error`` at its field or as a message."""
    db.session.rollback()
    g.lms_rollback = True
    field = getattr(form, error.field, None) if form is not None and error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        flash(error.message, "error")


def safe_next(default: str) -> str:
    """The ``next`` target if it stays on this site, else ``default``."""
    target = request.values.get("next", "")
    parts = urlsplit(target)
    if target.startswith("/") and not target.startswith("//") and not parts.netloc \
            and not parts.scheme and "\\" not in target:
        return target
    return default


def init_app(app: Flask) -> None:
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
