"""A step's state for one municipality, derived from what was handed in and recorded.

Evidence steps (analysis, recommendations) follow the team submission and its review:
a draft is "in progress", handed-in work "submitted", a passed review "accepted", work
returned for revision (or not passed) "returned". A grade not yet released counts as
"submitted" for everyone but staff, as the grade itself is still hidden.

The committee step is "accepted" once a committee decided (fully or partly), "in
progress" while a meeting is planned, "returned" when committees only rejected or
postponed. The measures step is "in progress" from the first measure on and "accepted"
when every measure is implemented or dropped and at least one was implemented.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l

from assignments.models import (
    WAITING_STATES,
    Assignment,
    Review,
    Submission,
    SubmissionState,
    SubmissionVersion,
)
from assignments.reviews import passes, shown_grade
from assignments.steps.models import Measure, MeasureState, Presentation
from lms.dates import berlin_day
from lms.i18n import LabelledEnum


class StepState(LabelledEnum):
    NOT_STARTED = "not_started", _l("not started")
    IN_PROGRESS = "in_progress", _l("in progress")
    SUBMITTED = "submitted", _l("submitted")
    ACCEPTED = "accepted", _l("accepted")
    RETURNED = "returned", _l("returned")

    @property
    def symbol(self) -> str:
        """A sign that tells the states apart without colour."""
        return STEP_STATE_SYMBOLS[self]
STEP_STATE_SYMBOLS = {
    StepState.NOT_STARTED: "○",
    StepState.IN_PROGRESS: "◔",
    StepState.SUBMITTED: "◑",
    StepState.ACCEPTED: "✓",
    StepState.RETURNED: "↺",
}


@dataclass(frozen=True)
class Status:
    state: StepState
    #: the Berlin day the state was reached (None: not started)
    on: date | None = None


NOT_STARTED = Status(StepState.NOT_STARTED)


def evidence_status(assignment: Assignment, submission: Submission | None,
                    version: SubmissionVersion | None, review: Review | None, *,
                    staff: bool) -> Status:
    """The state of an evidence step from its submission, newest version and review."""
    if submission is None:
        return NOT_STARTED
    if version is None:
        saved = submission.draft_saved_at
        return Status(StepState.IN_PROGRESS, berlin_day(saved)) if saved \
            else NOT_STARTED
    handed_in = Status(StepState.SUBMITTED, berlin_day(version.submitted_at))
    if review is None or submission.state in WAITING_STATES:
        return handed_in
    reviewed_on = berlin_day(review.updated_at)
    if submission.state is SubmissionState.RETURNED:
        return Status(StepState.RETURNED, reviewed_on)
    grade = review if staff else shown_grade(review)  # owners: the grade last released
    if grade is None:
        return handed_in
    if not staff:
        reviewed_on = berlin_day(grade.released_at)
    accepted = passes(assignment, grade)
    return Status(StepState.ACCEPTED if accepted else StepState.RETURNED, reviewed_on)


def meeting_day(presentation: Presentation) -> date:
    return berlin_day(presentation.meeting_at)


def presentation_status(presentations: Iterable[Presentation]) -> Status:
    presentations = sorted(presentations, key=lambda p: (p.meeting_at, p.id))
    if not presentations:
        return NOT_STARTED
    decided = [p for p in presentations if p.outcome is not None and p.outcome.is_decision]
    if decided:
        return Status(StepState.ACCEPTED, meeting_day(decided[0]))
    planned = [p for p in presentations if p.outcome is None]
    if planned:
        return Status(StepState.IN_PROGRESS, meeting_day(planned[0]))
    return Status(StepState.RETURNED, meeting_day(presentations[-1]))


DONE_STATES = frozenset({MeasureState.IMPLEMENTED, MeasureState.DROPPED})


def measures_status(measures: Iterable[Measure], last_update: dict[int, date]) -> Status:
    """``last_update`` gives each measure's newest dated note."""
    measures = list(measures)
    if not measures:
        return NOT_STARTED
    on = max((last_update[m.id] for m in measures if m.id in last_update), default=None)
    done = all(m.state in DONE_STATES for m in measures) \
        and any(m.state is MeasureState.IMPLEMENTED for m in measures)
    return Status(StepState.ACCEPTED if done else StepState.IN_PROGRESS, on)
