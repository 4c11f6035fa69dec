"""Domain errors and the German (or English) error pages."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, Response, flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge, SecurityError

from lms.extensions import db


class DomainError(Exception):
    """A rule was broken; ``message`` is a translated sentence for the person who tried."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return str(self.message)


ERROR_TEXTS = {
    400: (_l("Bad request"), _l("The request could not be understood. Please reload the page "
                                "and try again.")),
    403: (_l("Access denied"), _l("You are not allowed to open this page. If you think you "
                                  "should be, please contact the course organisers.")),
    404: (_l("Page not found"), _l("This page does not exist or is no longer available.")),
    405: (_l("Not allowed"), _l("This action is not possible here.")),
    413: (_l("Upload too large"), _l("The file or form you sent is larger than allowed. "
                                     "Please send a smaller file.")),
    429: (_l("Too many attempts"), _l("Too many attempts in a short time. Please wait a few "
                                      "minutes and try again.")),
    500: (_l("Something went wrong"), _l("An unexpected error occurred. Nothing was saved. "
                                         "Please try again later.")),
}


def _render_error(error: HTTPException | Exception):
    if isinstance(error, SecurityError):
        # A host that is not the site's: refused before routing, so no page with links
        # (which would be built for that host) can be rendered.
        title, _text = ERROR_TEXTS[400]
        return Response(f"{title} (400)", status=400, mimetype="text/plain")
    code = error.code if isinstance(error, HTTPException) and error.code in ERROR_TEXTS else 500
    if code == 500:
        db.session.rollback()
    title, text = ERROR_TEXTS[code]
    return render_template("errors/error.html", code=code, title=title, text=text), code


def _size_text(size: int) -> str:
    return f"{size // (1024 * 1024)} MB" if size >= 1024 * 1024 else f"{size // 1024} KB"


def _form_page() -> str | None:
    """The page a refused form was sent from, if it is one of this site's."""
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc == request.host and referrer.scheme in {"http", "https"} \
            and referrer.path.startswith(request.script_root or "/"):
        return referrer.geturl()
    return None


def _too_large(error: RequestEntityTooLarge):
    """A body beyond the request limit is refused unread; its sender goes back to the form,
    told the limit (a single file beyond the file limit never gets here: ``lms.uploads``)."""
    limit = request.max_content_length
    if limit is None:
        return _render_error(error)
    text = _("What you sent is larger than %(size)s altogether, so nothing of it was "
             "received or saved. Please send fewer or smaller files.", size=_size_text(limit))
    back = _form_page() if request.method == "POST" else None
    if back is None:
        title, _text = ERROR_TEXTS[413]
        return render_template("errors/error.html", code=413, title=title, text=text), 413
    flash(text, "error")
    return redirect(back, code=303)


def init_app(app: Flask) -> None:
    for code in ERROR_TEXTS:
        app.register_error_handler(code, _render_error)
    app.register_error_handler(RequestEntityTooLarge, _too_large)
