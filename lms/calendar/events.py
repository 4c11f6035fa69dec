"""What the calendar shows: the sources' events, their kinds, and the cohorts among them.

The host knows no cohorts. Cohort choices are the ``cohort_id`` values found in the
events; a plugin that knows cohorts may name them by offering a function in its
``extra`` under ``COHORT_NAMES_KEY``: it takes cohort ids and returns ``{id: name}``
(with one query). Without one, a cohort is shown by its number.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lms.auth.models import User
from lms.calendar.ical import FeedOptions
from lms.dates import berlin_midnight, berlin_today
from lms.i18n import BERLIN
from lms.plugins import CalendarEvent, CalendarQuery, current_plugins

COHORT_NAMES_KEY = "calendar_cohort_names"

KIND_LABELS = {
    "session": _l("Sessions"),
    "deadline": _l("Deadlines"),
    "congress": _l("Congresses"),
    "committee": _l("Committee meetings"),
    "cohort": _l("Cohort dates"),
    "advice": _l("Advice appointments"),
}
#: offered as filters even before any source yields them
KNOWN_KINDS = ("session", "deadline", "congress", "committee")

CohortNames = Callable[[Collection[int]], Mapping[int, str]]


def kind_label(kind: str) -> str:
    label = KIND_LABELS.get(kind)
    return str(label) if label is not None else kind.replace("-", " ").replace("_", " ")


def kinds_offered(present: Iterable[str]) -> list[str]:
    """The known kinds, then any other kind ``present``, in a stable order."""
    return [*KNOWN_KINDS, *sorted(set(present) - set(KNOWN_KINDS))]


def collect(viewer: User | None, *, cohort_ids: Collection[int] | None = None,
            kinds: Collection[str] | None = None, start: datetime | None = None,
            end: datetime | None = None) -> list[CalendarEvent]:
    """Every source's events for ``viewer`` (None: public items only), sorted by start."""
    query = CalendarQuery(
        viewer=viewer,
        cohort_ids=frozenset(cohort_ids) if cohort_ids is not None else None,
        kinds=frozenset(kinds) if kinds is not None else None,
        start=start, end=end,
    )
    return current_plugins().calendar_events(query)


@dataclass(frozen=True)
class CohortChoice:
    id: int
    name: str


def cohorts_in(events: Iterable[CalendarEvent]) -> list[CohortChoice]:
    """The cohorts the events belong to, named by a plugin if one offers names."""
    return cohort_choices({event.cohort_id for event in events if event.cohort_id is not None})


def cohort_choices(cohort_ids: Collection[int]) -> list[CohortChoice]:
    """The cohorts ``cohort_ids``, by id, named by a plugin if one offers names."""
    ids = sorted(cohort_ids)
    names: dict[int, str] = {}
    if ids:
        for plugin in current_plugins():
            namer: CohortNames | None = plugin.extra.get(COHORT_NAMES_KEY)
            if namer is not None:
                names.update(namer(ids))
    return [CohortChoice(cohort_id, names.get(cohort_id) or _("Cohort %(number)d",
                                                                number=cohort_id))
            for cohort_id in ids]


def feed_start() -> datetime:
    """Where subscribed feeds begin (a year ago by default). Everything ahead is in them;
    older items only in the organisers' export."""
    days = timedelta(days=current_app.config["CALENDAR_FEED_PAST_DAYS"])
    return berlin_midnight(berlin_today() - days)


def feed_options(name: str) -> FeedOptions:
    """Options for a feed called ``name``, in the current language, with the site's refresh."""
    return FeedOptions(
        name=name,
        refresh=timedelta(minutes=current_app.config["CALENDAR_REFRESH_MINUTES"]),
        kind_labels={kind: kind_label(kind) for kind in KIND_LABELS},
    )


def local_start(event: CalendarEvent) -> date | datetime:
    return event.start.astimezone(BERLIN) if isinstance(event.start, datetime) else event.start


def local_end(event: CalendarEvent) -> date | datetime:
    return event.end.astimezone(BERLIN) if isinstance(event.end, datetime) else event.end


def days_of(event: CalendarEvent) -> tuple[date, date]:
    """The first and last Berlin calendar day ``event`` covers (both included)."""
    start, end = local_start(event), local_end(event)
    if not isinstance(start, datetime):
        last = end if not isinstance(end, datetime) else end.date()
        return start, max(start, last - timedelta(days=1))
    first = start.date()
    end_day = end.date() if isinstance(end, datetime) else end
    # an event ending at midnight does not touch the next day
    if isinstance(end, datetime) and end.time() == time() and end_day > first:
        end_day -= timedelta(days=1)
    return first, max(first, end_day)
