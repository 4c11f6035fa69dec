"""What a person's whole calendar holds, so the page collects only what it shows.

The page's filters offer the kinds of every date the person may see and the cohorts with
dates in the months shown, and an empty month points to the nearest months with dates;
all need the whole calendar. Its summary (kinds, each cohort's and each event's first and
last month) is small and kept in the feeds' cache under the change stamp, so the whole
calendar is collected once per change (and day), and each page view asks the sources for
its month or list only.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from lms.auth.models import User
from lms.calendar import cache
from lms.calendar.events import collect
from lms.calendar.layout import Month, month_span, month_spans
from lms.calendar.stamp import current_stamp
from lms.dates import berlin_today

#: raised when the cached JSON changes shape, so that older entries are not read
_FORMAT = 2


@dataclass(frozen=True)
class Summary:
    kinds: frozenset[str]
    #: each cohort among the events, with the first and last month of its events
    cohorts: Mapping[int, tuple[Month, Month]]
    #: the first and last month of each event
    spans: frozenset[tuple[Month, Month]]

    @property
    def cohort_ids(self) -> frozenset[int]:
        return frozenset(self.cohorts)

    def cohorts_during(self, first: Month, last: Month | None) -> set[int]:
        """The cohorts with events from ``first`` to ``last`` (None: from ``first`` on)."""
        return {cohort for cohort, (start, end) in self.cohorts.items()
                if end >= first and (last is None or start <= last)}

    def to_json(self) -> bytes:
        return json.dumps({"kinds": sorted(self.kinds),
                           "cohorts": sorted((cohort, first.key, last.key)
                                             for cohort, (first, last) in self.cohorts.items()),
                           "spans": sorted((first.key, last.key)
                                           for first, last in self.spans)}).encode()

    @classmethod
    def from_json(cls, data: bytes) -> Summary:
        loaded = json.loads(data)
        return cls(frozenset(loaded["kinds"]),
                   {cohort: (Month.parse(first), Month.parse(last))
                    for cohort, first, last in loaded["cohorts"]},
                   frozenset((Month.parse(first), Month.parse(last))
                             for first, last in loaded["spans"]))


def summary(viewer: User, *, kinds: Collection[str] | None = None,
            cohort_ids: Collection[int] | None = None) -> Summary:
    """The summary of what ``viewer`` sees (of ``kinds`` and ``cohort_ids``, if given)."""
    stamp = current_stamp()
    if stamp is None:
        return _summarise(viewer, kinds, cohort_ids)
    key = cache.digest(("summary", _FORMAT, viewer.id, sorted(kinds or ()), kinds is None,
                        sorted(cohort_ids or ()), cohort_ids is None))
    version = cache.digest((stamp, berlin_today(), key))
    data = cache.cached(key, version)
    if data is not None:
        return Summary.from_json(data)
    result = _summarise(viewer, kinds, cohort_ids)
    cache.keep(key, version, result.to_json())
    return result


def _summarise(viewer: User, kinds: Collection[str] | None,
               cohort_ids: Collection[int] | None) -> Summary:
    events = collect(viewer, kinds=kinds, cohort_ids=cohort_ids)
    cohorts: dict[int, tuple[Month, Month]] = {}
    for event in events:
        if event.cohort_id is not None:
            first, last = month_span(event)
            known = cohorts.get(event.cohort_id)
            cohorts[event.cohort_id] = (first, last) if known is None else \
                (min(known[0], first), max(known[1], last))
    return Summary(frozenset(event.kind for event in events), cohorts,
                   frozenset(month_spans(events)))
