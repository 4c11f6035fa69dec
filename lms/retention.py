"""Retention: what is past its period on a given day, and pseudonymising it.

The periods are settings (``RETENTION_YEARS_AFTER_COHORT``,
``RETENTION_DAYS_AFTER_APPLICATION``, ``RETENTION_YEARS_AFTER_CASE``, read through
``lms.processing``, whose record states them). Each plugin names what of its data is due
(``Plugin.retention_due``): people, who are erased as in ``lms.erasure`` (pseudonymised,
the programme's records kept), and records (an application's contact data, an advice
case), each with its own way to be pseudonymised.
``flask lms retention`` lists and, when told, applies it; organisers see it as a page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from lms.auth.models import User
from lms.plugins import current_plugins


@dataclass(frozen=True)
class DuePerson:
    """A person whose every cohort ended more than the period ago."""

    user: User
    #: the day their last cohort ended
    ended_on: date
    #: the last day of the period; they are due from the day after
    kept_until: date


@dataclass(frozen=True)
class DueRecord:
    """Personal data in a record that stays (an application, a case) whose period is over."""

    #: what it is, as a line of the list: "Hamm (Durchgang 2017)", "Beratungsfall 12 (Hamm)"
    title: str
    #: the day the period began (the application was rejected or withdrawn, the case
    #: concluded or declined)
    ended_on: date
    kept_until: date
    #: the page that confirms pseudonymising it, for organisers
    confirm_url: str
    #: pseudonymises the record's personal data; flushes, never commits
    pseudonymise: Callable[[User | None], None] = field(compare=False)


@dataclass(frozen=True)
class RetentionSection:
    """A plugin's part of what is due."""

    people: list[DuePerson] = field(default_factory=list)
    records: list[DueRecord] = field(default_factory=list)


def years_before(day: date, years: int) -> date:
    """``day`` ``years`` years earlier; 29 February becomes the 28th in other years."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def kept_until(ended_on: date, *, years: int = 0, days: int = 0) -> date:
    """The last day of a period of ``years`` and ``days`` that began on ``ended_on``."""
    return years_before(ended_on, -years) + timedelta(days=days)


def due_for_retention(as_of: date) -> RetentionSection:
    """Everything past its period on ``as_of``, from every plugin: people (each once,
    by the end of their last cohort) and records."""
    due = RetentionSection()
    seen: set[int] = set()
    for plugin in current_plugins():
        if plugin.retention_due:
            section = plugin.retention_due(as_of)
            due.people.extend(p for p in section.people if p.user.id not in seen)
            seen.update(p.user.id for p in section.people)
            due.records.extend(section.records)
    return due

