"""Feeds over HTTP: validators first, the iCalendar body only when the client lacks it.

The ETag and Last-Modified come from the event list alone, so a client that already has
the current feed gets 304 without the feed being built. Built feeds are not cached on
the server: a build of a few hundred events costs tens of milliseconds (see
tests/benchmarks/test_calendar_feeds.py), and subscribers fetch at most once per refresh
interval, so a shared store would add a moving part and save little.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask import Response, request
from werkzeug.http import is_resource_modified

from lms.calendar.ical import FeedOptions, feed_etag, feed_last_modified, to_ical
from lms.db import utcnow
from lms.plugins import CalendarEvent, dated_in_window

MIMETYPE = "text/calendar"


def calendar_response(events: Sequence[CalendarEvent], options: FeedOptions, *,
                      filename: str, download: bool) -> Response:
    """A feed of ``events``: 304 if the client's copy is current, else the iCalendar file.

    ``download`` makes browsers save ``filename``; otherwise the feed is served inline, as
    calendar clients that subscribe expect. Responses are private (personal data, secret
    URLs) and revalidated on every use, which the 304 answer makes cheap. Events dated
    outside the accepted window (old rows) are left out, so they cannot break the file.
    """
    events = dated_in_window(list(events), filename)
    etag = feed_etag(events, options)
    last_modified = feed_last_modified(events)
    response = Response(mimetype=MIMETYPE)
    response.set_etag(etag, weak=True)  # DTSTAMP may differ between equivalent builds
    if last_modified is not None:
        response.last_modified = last_modified
    response.cache_control.private = True
    response.cache_control.no_cache = True
    disposition = "attachment" if download else "inline"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    if not is_resource_modified(request.environ, etag=etag, last_modified=last_modified):
        response.status_code = 304
        return response
    response.set_data(to_ical(events, options, utcnow()))
    return response
