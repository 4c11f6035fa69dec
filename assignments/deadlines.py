"""The one deadline rule: a schedule's dates with an extension applied, and the verdict.

Pages, the calendar feeds, reminders and the gradebook all ask ``effective_deadlines``;
no other code compares submission times with due dates or cut-offs.

An extension belongs to a person or to a municipality. For individual work both apply
(a municipality's extension covers its people); for team work only the municipality's.
Where several apply, the later dates win, and an extension never moves a date earlier
than the schedule's own.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from flask_babel import gettext as _

from lms.datetext import local_datetime
from lms.errors import DomainError

if TYPE_CHECKING:  # the models ask this rule (``SubmissionVersion.late``), so no import
    from assignments.models import AssignmentSchedule, Extension, Submission


@dataclass(frozen=True)
class Owner:
    """Whose dates: a person (with their municipality, if any) or a municipality's team."""

    user_id: int | None = None
    municipality_id: int | None = None

    @classmethod
    def of(cls, user_id: int | None, municipality_id: int | None, *, team: bool) -> Owner:
        """The owner of team work (the municipality) or of a person's own work.

        A person's municipality counts for their own work too: its extensions cover them.
        """
        return cls(municipality_id=municipality_id) if team else cls(user_id, municipality_id)


@dataclass(frozen=True)
class Deadlines:
    opens_at: datetime
    due_at: datetime
    cut_off_at: datetime
    #: the extensions that moved a date, if any
    extensions: tuple[Extension, ...] = ()

    @property
    def extended(self) -> bool:
        return bool(self.extensions)


class Verdict(enum.StrEnum):
    NOT_OPEN = "not_open"
    ON_TIME = "on_time"
    LATE = "late"
    CLOSED = "closed"


def applicable_extensions(schedule: AssignmentSchedule, owner: Owner) -> list[Extension]:
    """The current extensions of ``schedule`` that concern ``owner``."""
    return [
        extension for extension in schedule.extensions
        if extension.revoked_at is None and (
            (owner.user_id is not None and extension.user_id == owner.user_id)
            or (owner.municipality_id is not None
                and extension.municipality_id == owner.municipality_id))
    ]


def effective_deadlines(schedule: AssignmentSchedule, owner: Owner | None = None) -> Deadlines:
    """``schedule``'s dates for ``owner`` (None: the cohort's dates, no extension)."""
    extensions = applicable_extensions(schedule, owner) if owner is not None else []
    due_at, cut_off_at = schedule.due_at, schedule.cut_off_at
    for extension in extensions:
        due_at = max(due_at, extension.due_at)
        cut_off_at = max(cut_off_at, extension.cut_off_at)
    return Deadlines(schedule.opens_at, due_at, max(cut_off_at, due_at), tuple(extensions))


def verdict(deadlines: Deadlines, at: datetime) -> Verdict:
    """Whether work handed in ``at`` is too early, on time, late, or refused."""
    if at < deadlines.opens_at:
        return Verdict.NOT_OPEN
    if at <= deadlines.due_at:
        return Verdict.ON_TIME
    if at <= deadlines.cut_off_at:
        return Verdict.LATE
    return Verdict.CLOSED


def is_late(deadlines: Deadlines, at: datetime) -> bool:
    """Whether work handed in ``at`` is late for ``deadlines`` (after the due date)."""
    return at > deadlines.due_at


def owner_deadlines(submission: Submission) -> Deadlines:
    """The dates that apply to ``submission``'s owner now, extensions granted since included.

    Lateness is always asked anew with these dates (``SubmissionVersion.late``), never
    stored at hand-in: an extension granted afterwards clears it everywhere.
    """
    return effective_deadlines(submission.schedule, submission.owner)


def refusal(deadlines: Deadlines, at: datetime) -> DomainError | None:
    """Why work cannot be handed in ``at``, or None if it can (on time or late)."""
    match verdict(deadlines, at):
        case Verdict.NOT_OPEN:
            return DomainError(_("This assignment opens on %(opens)s (Berlin time). Work can "
                                 "be handed in from then on.",
                                 opens=local_datetime(deadlines.opens_at)))
        case Verdict.CLOSED:
            return DomainError(_("The cut-off for this assignment has passed, so nothing can "
                                 "be handed in any more. Work was accepted until %(cut_off)s "
                                 "(Berlin time). If you need more time, please ask your "
                                 "lecturer for an extension.",
                                 cut_off=local_datetime(deadlines.cut_off_at)))
    return None
