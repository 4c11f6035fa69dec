"""A municipality's way through the course in date order: application, steps, decisions,
measures.

Evidence steps appear with their current state; the committee and measures steps are
told by their meetings and the dated notes of each measure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from assignments.steps.board import build_board
from assignments.steps.models import Measure, Presentation
from assignments.steps.states import StepState, meeting_day
from cohorts.models import Application, Cohort, Municipality
from lms.dates import berlin_day
from lms.extensions import db


@dataclass(frozen=True)
class Entry:
    on: date
    #: "application", "step", "presentation", "measure"
    kind: str
    text: str


def timeline(cohort: Cohort, municipality: Municipality, *, staff: bool) -> list[Entry]:
    entries: list[Entry] = []
    application = db.session.scalar(select(Application).where(
        Application.cohort_id == cohort.id, Application.municipality_id == municipality.id)
        .options(selectinload(Application.events)))
    for event in application.events if application else []:
        entries.append(Entry(berlin_day(event.at), "application",
                             _("Application: %(state)s", state=event.to_status.label)))
    board = build_board(cohort, staff=staff, municipality_ids={municipality.id})
    for step in (s for s in board.steps if s.kind.has_evidence):
        status = board.rows[0].cell(step) if board.rows else None
        if status is not None and status.on and status.state is not StepState.NOT_STARTED:
            entries.append(Entry(status.on, "step", _("%(step)s: %(state)s", step=step.title,
                                                      state=status.state.label)))
    for presentation in db.session.scalars(select(Presentation).where(
            Presentation.cohort_id == cohort.id,
            Presentation.municipality_id == municipality.id)):
        outcome = presentation.outcome.label if presentation.outcome else _("planned")
        entries.append(Entry(meeting_day(presentation), "presentation",
                             _("%(committee)s: %(outcome)s", committee=presentation.committee,
                               outcome=outcome)))
    for measure in db.session.scalars(select(Measure).where(
            Measure.cohort_id == cohort.id, Measure.municipality_id == municipality.id)
            .options(selectinload(Measure.updates))):
        for update in measure.updates:
            entries.append(Entry(update.noted_on, "measure", _(
                "Measure “%(title)s”: %(state)s", title=measure.title,
                state=update.to_state.label)))
    return sorted(entries, key=lambda entry: entry.on)
