"""Feeds over HTTP: validators first, the iCalendar body only when the client lacks it.

Feeds of the plugins' sources (``feed_response``) are built once per change and kept in
the shared cache (``lms.calendar.cache``): their version is the calendar's change stamp
(``lms.calendar.stamp``) with the day and what the feed says about itself, and their ETag
is made of the version alone, so a client that has the current feed gets 304 after one
small query. Where no stamp can be had (a source whose data the host cannot watch), and
for feeds of other selections (``calendar_response``), the ETag and Last-Modified come
from the event list, and the body is built on each request the client lacks it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from flask import Response, request
from werkzeug.http import is_resource_modified

from lms.calendar import cache
from lms.calendar.ical import FORMAT_VERSION, FeedOptions, feed_etag, feed_last_modified, to_ical
from lms.calendar.stamp import current_stamp
from lms.dates import berlin_today
from lms.db import utcnow
from lms.plugins import CalendarEvent, dated_in_window

MIMETYPE = "text/calendar"


def feed_response(key: tuple[object, ...], options: FeedOptions,
                  events: Callable[[], Sequence[CalendarEvent]], *, filename: str,
                  download: bool) -> Response:
    """Feed ``key`` (which feed: ``("personal", user_id)``), from the cache if current.

    ``events`` is asked only when the feed is built; it may abort (404). The version
    holds the day, so a feed whose window moves with the date is built again daily.
    """
    stamp = current_stamp()
    if stamp is None:
        return calendar_response(events(), options, filename=filename, download=download)
    name = cache.digest(key)
    labels = sorted((kind, str(label)) for kind, label in options.kind_labels.items())
    version = cache.digest((FORMAT_VERSION, name, stamp, berlin_today(), options.name,
                       options.refresh, labels))
    response = _response(filename, download)
    response.set_etag(version, weak=True)
    if not is_resource_modified(request.environ, etag=version):
        response.status_code = 304
        return response
    body = cache.cached(name, version)
    if body is None:
        body = to_ical(dated_in_window(list(events()), filename), options, utcnow())
        cache.keep(name, version, body)
    response.set_data(body)
    return response


def calendar_response(events: Sequence[CalendarEvent], options: FeedOptions, *,
                      filename: str, download: bool) -> Response:
    """A feed of ``events``: 304 if the client's copy is current, else the iCalendar file.

    Events dated outside the accepted window (old rows) are left out, so they cannot
    break the file.
    """
    events = dated_in_window(list(events), filename)
    etag = feed_etag(events, options)
    last_modified = feed_last_modified(events)
    response = _response(filename, download)
    response.set_etag(etag, weak=True)  # DTSTAMP may differ between equivalent builds
    if last_modified is not None:
        response.last_modified = last_modified
    if not is_resource_modified(request.environ, etag=etag, last_modified=last_modified):
        response.status_code = 304
        return response
    response.set_data(to_ical(events, options, utcnow()))
    return response


def _response(filename: str, download: bool) -> Response:
    """An empty feed response: ``download`` makes browsers save ``filename``; otherwise it
    is served inline, as subscribing clients expect. Private (personal data, secret
    URLs) and revalidated on every use, which the 304 answer makes cheap."""
    response = Response(mimetype=MIMETYPE)
    response.cache_control.private = True
    response.cache_control.no_cache = True
    disposition = "attachment" if download else "inline"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
