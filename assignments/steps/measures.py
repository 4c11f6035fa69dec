"""Step 4: measures decided by a committee, and the dated history of their state.

A measure always comes from a decision (a presentation of the same municipality and
cohort whose outcome is decided or partly decided). Its first dated note is the day of
that decision, with the state "planned"; every later change adds a note dated by the
team, never before the previous one and never in the future.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _

from assignments.steps.models import Measure, MeasureState, MeasureUpdate, Presentation
from assignments.steps.states import meeting_day
from courses.services import required_title
from lms import audit
from lms.auth.models import User
from lms.dates import berlin_today, check_date
from lms.datetext import local_date
from lms.errors import DomainError
from lms.extensions import db

TEXT_MAX = 50_000


@dataclass(frozen=True)
class MeasureDetails:
    title: str
    presentation_id: int | None
    description: str = ""
    responsible_unit: str = ""
    due_on: date | None = None


def decision_for(cohort_id: int, municipality_id: int,
                 presentation_id: int | None) -> Presentation:
    """The decision a new measure comes from; refused unless it is one of this team's."""
    presentation = db.session.get(Presentation, presentation_id) if presentation_id else None
    if presentation is None or presentation.cohort_id != cohort_id \
            or presentation.municipality_id != municipality_id:
        raise DomainError(_("Please choose the committee decision the measure comes from."),
                          field="presentation_id")
    if presentation.outcome is None or not presentation.outcome.is_decision:
        raise DomainError(_("Measures can only come from a decision (decided or partly "
                            "decided)."), field="presentation_id")
    return presentation


def _checked(cohort_id: int, municipality_id: int,
             details: MeasureDetails) -> tuple[Presentation, dict[str, object]]:
    """The decision and the measure's column values, once every rule holds."""
    presentation = decision_for(cohort_id, municipality_id, details.presentation_id)
    decided_on = meeting_day(presentation)
    check_date(details.due_on, "due_on")
    if details.due_on is not None and details.due_on < decided_on:
        raise DomainError(_("The due date cannot be before the decision (%(day)s).",
                            day=local_date(decided_on)), field="due_on")
    if len(details.description or "") > TEXT_MAX:
        raise DomainError(_("The description is too long."), field="description")
    return presentation, {"title": required_title(details.title),
                          "description": (details.description or "").strip(),
                          "responsible_unit": (details.responsible_unit or "").strip(),
                          "due_on": details.due_on}


def create_measure(cohort_id: int, municipality_id: int, details: MeasureDetails, *,
                   actor: User) -> Measure:
    presentation, values = _checked(cohort_id, municipality_id, details)
    decided_on = meeting_day(presentation)
    measure = Measure(cohort_id=cohort_id, municipality_id=municipality_id,
                      presentation=presentation, state=MeasureState.PLANNED,
                      created_by_id=actor.id, **values)
    db.session.add(measure)
    db.session.add(MeasureUpdate(measure=measure, noted_on=decided_on, from_state=None,
                                 to_state=MeasureState.PLANNED, author_id=actor.id))
    db.session.flush()
    audit.record("measure.created", measure, actor=actor,
                 after={"title": measure.title, "presentation_id": presentation.id})
    return measure


def edit_measure(measure: Measure, details: MeasureDetails, *, actor: User) -> None:
    """Correct what a measure is (title, text, unit, due date, its decision).

    Its state and dated history stay as they are: those change only by a dated note.
    """
    presentation, values = _checked(measure.cohort_id, measure.municipality_id, details)
    first_note = measure.updates[0].noted_on if measure.updates else None
    if first_note is not None and meeting_day(presentation) > first_note:
        raise DomainError(_("The history of this measure starts on %(day)s, before that "
                            "decision.", day=local_date(first_note)), field="presentation_id")
    before = {"title": measure.title, "description": measure.description,
              "responsible_unit": measure.responsible_unit,
              "due_on": measure.due_on.isoformat() if measure.due_on else None,
              "presentation_id": measure.presentation_id}
    measure.presentation = presentation
    for name, value in values.items():
        setattr(measure, name, value)
    db.session.flush()
    audit.record("measure.edited", measure, actor=actor, before=before,
                 after={**values, "due_on": details.due_on.isoformat() if details.due_on
                        else None, "presentation_id": presentation.id})


def add_update(measure: Measure, state: MeasureState, note: str, noted_on: date | None, *,
               actor: User, today: date | None = None) -> MeasureUpdate:
    """Move ``measure`` to ``state`` (or keep it) with a dated note."""
    today = today or berlin_today()
    note = (note or "").strip()
    if noted_on is None:
        raise DomainError(_("Please give the date of the change."), field="noted_on")
    check_date(noted_on, "noted_on")
    if noted_on > today:
        raise DomainError(_("The date cannot be in the future."), field="noted_on")
    last = measure.updates[-1].noted_on if measure.updates else None
    if last is not None and noted_on < last:
        raise DomainError(_("The date cannot be before the previous entry (%(day)s).",
                            day=local_date(last)), field="noted_on")
    if state is measure.state and not note:
        raise DomainError(_("Please change the state or write a note."), field="note")
    if len(note) > TEXT_MAX:
        raise DomainError(_("The note is too long."), field="note")
    update = MeasureUpdate(measure=measure, noted_on=noted_on, from_state=measure.state,
                           to_state=state, note=note, author_id=actor.id)
    db.session.add(update)
    before = measure.state
    measure.state = state
    db.session.flush()
    audit.record("measure.updated", measure, actor=actor, before={"state": before.value},
                 after={"state": state.value, "noted_on": noted_on.isoformat()})
    return update
