"""Handed-in files shown inline in the grading view, where the browser can do it safely.

Only images and PDF are sent with ``Content-Disposition: inline``; everything else stays
an attachment (``lms.downloads.stored_file_response``). The type sent is the one we chose
at upload from the allow-list after checking the bytes, never the one the browser sent,
and ``nosniff`` keeps the browser from guessing another.
"""

from __future__ import annotations

from flask import Response

from assignments.models import VersionFile
from lms.downloads import content_disposition, stored_file_response

INLINE_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg", "image/gif",
                          "image/webp"})


def inline_response(file: VersionFile) -> Response:
    response = stored_file_response(file.sha256, file.filename, file.content_type)
    if file.content_type in INLINE_TYPES:
        response.headers["Content-Disposition"] = content_disposition(file.filename, inline=True)
        if file.content_type == "application/pdf":
            # Chromium's PDF viewer does not run in a sandboxed document; a PDF has no
            # scripts of ours to protect, and nothing it loads is allowed.
            response.headers["Content-Security-Policy"] = "default-src 'none'; " \
                "frame-ancestors 'self'"
    return response
