"""Anonymous statistics of the advice office: requests by kind, region, municipality,
month and outcome, and the time to the office's first answer.

No person is named, and a municipality only when it has brought at least
``MIN_CASES`` cases: the others are counted together in one row, so that a small
number cannot point at anyone.
"""

from __future__ import annotations

import statistics as stats
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from xml.sax.saxutils import escape

from flask_babel import gettext as _
from sqlalchemy import select

from advice.models import AdviceCase
from lms.dates import berlin_day
from lms.datetext import month_name
from lms.extensions import db
from lms.tables import Column, Kind, Table

#: groups smaller than this are never named
MIN_CASES = 3
SECONDS_PER_DAY = 86400


@dataclass(frozen=True)
class Group:
    title: str
    rows: list[tuple[str, int]] = field(default_factory=list)


@dataclass(frozen=True)
class Statistics:
    total: int
    groups: list[Group]
    #: requests per month, oldest first, every month between the first and the last
    months: list[tuple[str, int]]
    #: days from request to the first answer; None without answered requests
    median_days: float | None
    mean_days: float | None


def _rows(counter: Counter[str]) -> list[tuple[str, int]]:
    return sorted(counter.items(), key=lambda item: (-item[1], item[0]))


def _municipality_rows(counter: Counter[str]) -> list[tuple[str, int]]:
    named = Counter({name: count for name, count in counter.items() if count >= MIN_CASES})
    rows = _rows(named)
    others = sum(count for count in counter.values() if count < MIN_CASES)
    if others:
        rows.append((_("other municipalities (fewer than %(count)d cases each)",
                       count=MIN_CASES), others))
    return rows


def _month_key(case: AdviceCase) -> tuple[int, int]:
    day = berlin_day(case.created_at)
    return day.year, day.month


def _months(cases: list[AdviceCase]) -> list[tuple[str, int]]:
    counts = Counter(_month_key(case) for case in cases)
    if not counts:
        return []
    (year, month), last = min(counts), max(counts)
    found = []
    while (year, month) <= last:
        found.append((f"{month_name(date(year, month, 1), 'abbreviated')} {year}",
                      counts.get((year, month), 0)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def statistics() -> Statistics:
    cases = list(db.session.scalars(select(AdviceCase).order_by(AdviceCase.created_at)))
    waits = [(case.first_answer_at - case.created_at).total_seconds() / SECONDS_PER_DAY
             for case in cases if case.first_answer_at is not None]
    outcomes = Counter(str(case.outcome_kind.label) if case.outcome_kind
                       else str(case.state.label) for case in cases)
    groups = [
        Group(_("Requests by kind"), _rows(Counter(str(case.kind.label) for case in cases))),
        Group(_("Requests by administrative region"),
              _rows(Counter(case.municipality.region or _("unknown") for case in cases))),
        Group(_("Requests by municipality"),
              _municipality_rows(Counter(case.municipality.name for case in cases))),
        Group(_("Outcome or state"), _rows(outcomes)),
    ]
    return Statistics(total=len(cases), groups=groups, months=_months(cases),
                      median_days=round(stats.median(waits), 1) if waits else None,
                      mean_days=round(stats.fmean(waits), 1) if waits else None)


def statistics_table(found: Statistics) -> Table:
    table = Table(_("Statistics of the conflict advice office"), "konfliktberatung-statistik",
                  [Column(_("Part")), Column(_("Value")),
                   Column(_("Number of requests"), Kind.DECIMAL)],
                  sheet=_("Statistics"))
    table.add(_("Requests"), _("all"), found.total)
    for group in found.groups:
        for label, count in group.rows:
            table.add(group.title, label, count)
    for label, count in found.months:
        table.add(_("Requests by month"), label, count)
    table.add(_("Days to the first answer"), _("median"), found.median_days)
    table.add(_("Days to the first answer"), _("mean"), found.mean_days)
    return table


BAR_WIDTH, GAP, HEIGHT, LABEL_SPACE = 36, 8, 160, 40


def statistics_svg(found: Statistics) -> str:
    """A bar chart of the requests per month, as a standalone SVG document."""
    months = found.months or [(_("no requests yet"), 0)]
    top = max(count for _label, count in months) or 1
    width = len(months) * (BAR_WIDTH + GAP) + GAP
    title = escape(_("Requests by month"))
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" '
             f'height="{HEIGHT + LABEL_SPACE}" role="img" aria-label="{title}">',
             f"<title>{title}</title>"]
    for index, (label, count) in enumerate(months):
        x = GAP + index * (BAR_WIDTH + GAP)
        height = round((HEIGHT - 20) * count / top)
        y = HEIGHT - height
        parts.append(f'<rect x="{x}" y="{y}" width="{BAR_WIDTH}" height="{height}" '
                     f'fill="#2b6cb0"><title>{escape(label)}: {count}</title></rect>')
        parts.append(f'<text x="{x + BAR_WIDTH / 2}" y="{y - 4}" font-size="11" '
                     f'text-anchor="middle">{count}</text>')
        parts.append(f'<text x="{x + BAR_WIDTH / 2}" y="{HEIGHT + 14}" font-size="10" '
                     f'text-anchor="middle">{escape(label)}</text>')
    parts.append("</svg>")
    return "\n".join(parts)
