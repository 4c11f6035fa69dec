"""What a person's whole calendar holds, so the page collects only what it shows.

The page's filters offer the kinds and cohorts of every date the person may see, and an
empty month points to the nearest months with dates; both need the whole calendar. Its
summary (kinds, cohorts, each event's first and last month) is small and kept in the
feeds' cache under the change stamp, so the whole calendar is collected once per change
(and day), and each page view asks the sources for its month or list only.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass

from lms.auth.models import User
from lms.calendar import cache
from lms.calendar.events import collect
from lms.calendar.layout import Month, month_spans
from lms.calendar.stamp import current_stamp
from lms.dates import berlin_today


@dataclass(frozen=True)
class Summary:
    kinds: frozenset[str]
    cohort_ids: frozenset[int]
    #: the first and last month of each event
    spans: frozenset[tuple[Month, Month]]

    def to_json(self) -> bytes:
        return json.dumps({"kinds": sorted(self.kinds), "cohorts": sorted(self.cohort_ids),
                           "spans": sorted((first.key, last.key)
                                           for first, last in self.spans)}).encode()

    @classmethod
    def from_json(cls, data: bytes) -> Summary:
        loaded = json.loads(data)
        return cls(frozenset(loaded["kinds"]), frozenset(loaded["cohorts"]),
                   frozenset((Month.parse(first), Month.parse(last))
                             for first, last in loaded["spans"]))


def summary(viewer: User, *, kinds: Collection[str] | None = None,
            cohort_ids: Collection[int] | None = None) -> Summary:
    """The summary of what ``viewer`` sees (of ``kinds`` and ``cohort_ids``, if given)."""
    stamp = current_stamp()
    if stamp is None:
        return _summarise(viewer, kinds, cohort_ids)
    key = cache.digest(("summary", viewer.id, sorted(kinds or ()), kinds is None,
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
    return Summary(frozenset(event.kind for event in events),
                   frozenset(event.cohort_id for event in events if event.cohort_id is not None),
                   frozenset(month_spans(events)))
