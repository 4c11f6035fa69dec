"""Measures by state over time, as a server-rendered SVG bar chart (no JavaScript).

For the end of every month of the cohort's period and half a year after it (until today
at most), each measure counts in the state of its newest dated note up to that day; a
historical cohort's chart does not run on to today. The template draws stacked bars with a
title, a description and the same figures as a table, so the chart reads without sight
and without colour.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select

from assignments.steps.models import Measure, MeasureState, MeasureUpdate
from cohorts.models import Cohort
from lms.dates import berlin_today
from lms.extensions import db

WIDTH, HEIGHT = 720, 260
#: how long after a cohort's end the chart follows its measures
FOLLOWED_AFTER_END = timedelta(days=183)
LEFT, BOTTOM, TOP = 40, 40, 10
STATES = tuple(MeasureState)


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    state: MeasureState
    count: int


@dataclass
class Chart:
    months: list[date]
    #: one row per month: counts in the order of ``STATES``
    counts: list[list[int]]
    bars: list[Bar] = field(default_factory=list)
    top: int = 0
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def states(self) -> tuple[MeasureState, ...]:
        return STATES

    @property
    def rows(self) -> list[tuple[date, list[int]]]:
        return list(zip(self.months, self.counts, strict=True))

    def y_of(self, value: int) -> float:
        return TOP + (HEIGHT - BOTTOM - TOP) * (1 - value / self.top) if self.top else 0

    @property
    def ticks(self) -> list[tuple[int, float]]:
        step = max(1, -(-self.top // 5))
        return [(value, self.y_of(value)) for value in range(0, self.top + 1, step)]

    @property
    def labels(self) -> list[tuple[date, float]]:
        """Every n-th month under its bar, so labels do not overlap."""
        every = max(1, -(-len(self.months) // 12))
        slot = (WIDTH - LEFT) / max(1, len(self.months))
        return [(month, LEFT + slot * (index + 0.5)) for index, month
                in enumerate(self.months) if index % every == 0]


def _month_ends(first: date, last: date) -> list[date]:
    ends, month = [], first.replace(day=1)
    while month <= last:
        following = (month + timedelta(days=32)).replace(day=1)
        ends.append(following - timedelta(days=1))
        month = following
    return ends


def measure_chart(cohort: Cohort, today: date | None = None) -> Chart | None:
    """The chart for a cohort, or None while it has no measures."""
    updates = db.session.execute(
        select(MeasureUpdate.measure_id, MeasureUpdate.noted_on, MeasureUpdate.to_state)
        .join(Measure, Measure.id == MeasureUpdate.measure_id)
        .where(Measure.cohort_id == cohort.id)
        .order_by(MeasureUpdate.noted_on, MeasureUpdate.id)).all()
    if not updates:
        return None
    first = min(cohort.starts_on, updates[0].noted_on)
    last = max(first, min(today or berlin_today(), cohort.ends_on + FOLLOWED_AFTER_END))
    months = _month_ends(first, last)
    counts, state_of, pending = [], {}, list(updates)
    for month_end in months:
        while pending and pending[0].noted_on <= month_end:
            update = pending.pop(0)
            state_of[update.measure_id] = update.to_state
        counts.append([sum(1 for s in state_of.values() if s is state) for state in STATES])
    chart = Chart(months, counts, top=max(sum(row) for row in counts))
    slot = (WIDTH - LEFT) / len(months)
    for index, row in enumerate(counts):
        below = 0
        for state, count in zip(STATES, row, strict=True):
            if count:
                y = chart.y_of(below + count)
                chart.bars.append(Bar(LEFT + slot * index + slot * 0.15, y, slot * 0.7,
                                      chart.y_of(below) - y, state, count))
            below += count
    return chart
