"""Stored files sent to a browser: always our content type, never run, never sniffed.

Every plugin serves its files (materials, handed-in work, feedback, committee papers)
through ``stored_file_response`` after its own permission check, so the headers that
keep an uploaded file from acting as a page of this site are set in one place.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import quote

from flask import Response, abort, send_file

from lms.storage import FileMissing, current_storage


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """The header with an ASCII fallback and the full name per RFC 5987/6266."""
    fallback = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode()
    fallback = "".join(ch for ch in fallback if ch.isprintable() and ch not in '"\\;') \
        or "download"
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def stored_file_response(sha256: str, filename: str, content_type: str) -> Response:
    """The stored file as a download: attachment, our type, no sniffing, no scripts; 404 if gone."""
    try:
        stream = current_storage().open(sha256)
    except FileMissing:
        abort(404)
    response = send_file(stream, mimetype=content_type, as_attachment=True,
                         download_name=filename, etag=sha256, conditional=True, max_age=0)
    response.headers["Content-Type"] = content_type  # exactly ours, no added charset
    response.headers["Content-Disposition"] = content_disposition(filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    # Even if a browser ignored the disposition, the file could not run scripts here.
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response.headers["Cache-Control"] = "private, max-age=0"
    return response
