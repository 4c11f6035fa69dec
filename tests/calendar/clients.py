"""A feed as three independent clients read it: icalendar, vobject and Mozilla's ical.js.

icalendar resolves ``TZID=Europe/Berlin`` with Python's zone database; vobject and ical.js
(the parser in Thunderbird, run by node through ``icaljs_read.mjs``) compute every time
from the feed's own VTIMEZONE. ``read_alike`` reads a feed with all three and fails
unless they agree on the number of events and on each one's UID, SEQUENCE, STATUS and
start and end: UTC instants for timed events, dates for all-day ones.

ical.js comes from the repository's ``package-lock.json``, installed by ``make test``
(``npm ci``). Without node or the installed package the tests that need it are skipped,
and with ``LMS_E2E=1`` (CI) they fail.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import icalendar
import pytest
import vobject

from lms.plugins import CalendarEvent
from tests.required import require

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).with_name("icaljs_read.mjs")
ICALJS_PACKAGE = ROOT / "node_modules" / "ical.js" / "package.json"


@dataclass(frozen=True, order=True)
class Reading:
    """One VEVENT as a client understood it."""

    uid: str
    sequence: int
    status: str
    all_day: bool
    #: a UTC instant such as "2017-05-18T08:00:00Z", or a date such as "2017-12-07"
    start: str
    end: str


def moment(value: date | datetime) -> str:
    """A date as itself, a time as its UTC instant; a floating time is an error."""
    if not isinstance(value, datetime):
        return value.isoformat()
    assert value.tzinfo is not None, f"floating time {value} (no time zone)"
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def expected(event: CalendarEvent) -> Reading:
    """How every client should read ``event``: the instants its source handed over."""
    return Reading(uid=event.uid, sequence=event.sequence,
                   status="CANCELLED" if event.cancelled else "CONFIRMED",
                   all_day=event.all_day, start=moment(event.start), end=moment(event.end))


def by_icalendar(body: bytes) -> list[Reading]:
    calendar = icalendar.Calendar.from_ical(body)
    return [Reading(uid=str(c["uid"]), sequence=int(c["sequence"]), status=str(c["status"]),
                    all_day=not isinstance(c.decoded("dtstart"), datetime),
                    start=moment(c.decoded("dtstart")), end=moment(c.decoded("dtend")))
            for c in calendar.walk("VEVENT")]


def by_vobject(body: bytes) -> list[Reading]:
    calendar = vobject.readOne(body.decode("utf-8"))
    return [Reading(uid=c.uid.value, sequence=int(c.sequence.value), status=c.status.value,
                    all_day=not isinstance(c.dtstart.value, datetime),
                    start=moment(c.dtstart.value), end=moment(c.dtend.value))
            for c in getattr(calendar, "vevent_list", [])]


def require_icaljs() -> str:
    """node's path, once node and the locked ical.js are there (else skip, or fail in CI)."""
    node = shutil.which("node")
    require(node is not None, skip_reason="node not installed (needed to run ical.js)",
            missing="node is not installed: install Node.js 20 or later, then `make test`.")
    require(ICALJS_PACKAGE.exists(),
            skip_reason="ical.js not installed (run `make test`, or `npm ci`)",
            missing=f"{ICALJS_PACKAGE.parent} is missing: run `npm ci` (as `make test` does).")
    assert node is not None
    return node


def by_icaljs(body: bytes) -> list[Reading]:
    """The feed read by ical.js: one node process for the whole feed."""
    result = subprocess.run([require_icaljs(), str(SCRIPT)], input=body, capture_output=True,
                            cwd=ROOT, timeout=60, check=False)
    if result.returncode != 0:
        pytest.fail(f"ical.js could not read the feed:\n{result.stderr.decode()}",
                    pytrace=False)
    return [Reading(**item) for item in json.loads(result.stdout)]


def read_alike(body: bytes) -> list[Reading]:
    """The feed's events, sorted, after checking that all three clients read them alike."""
    readings = {
        "icalendar": sorted(by_icalendar(body)),
        "vobject": sorted(by_vobject(body)),
        "ical.js": sorted(by_icaljs(body)),
    }
    agreed = readings["icalendar"]
    disagreements = []
    for client, read in readings.items():
        differing = sorted(set(read) ^ set(agreed))
        if len(read) != len(agreed) or differing:
            disagreements.append(
                f"{client} reads {len(read)} events, icalendar {len(agreed)}; "
                f"{len(differing)} readings differ, the first of them:\n"
                + "\n".join(f"  {client if r in read else 'icalendar'}: {r}"
                            for r in differing[:8]))
    assert not disagreements, "\n".join(disagreements)
    return agreed
