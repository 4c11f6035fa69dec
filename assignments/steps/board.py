"""The progress board of a cohort: municipalities by steps, cohort figures, CSV exports.

The board is built with a fixed number of queries, however many municipalities, steps,
submissions or measures the cohort has (``tests/benchmarks/test_progress_board.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from assignments.models import (
    Assignment,
    AssignmentSchedule,
    Review,
    Submission,
    SubmissionVersion,
)
from assignments.steps.models import (
    CohortStep,
    Measure,
    MeasureState,
    MeasureUpdate,
    Presentation,
    StepKind,
)
from assignments.steps.procedures import cohort_steps
from assignments.steps.states import (
    NOT_STARTED,
    Status,
    evidence_status,
    measures_status,
    meeting_day,
    presentation_status,
)
from cohorts.models import Application, ApplicationStatus, Cohort, Municipality
from lms.extensions import db
from lms.tables import Column, Kind, Table


def cohort_municipalities(cohort_id: int) -> list[Municipality]:
    """The municipalities holding a place in the cohort, by name."""
    return list(db.session.scalars(
        select(Municipality).join(Application, Application.municipality_id == Municipality.id)
        .where(Application.cohort_id == cohort_id,
               Application.status == ApplicationStatus.ACCEPTED)
        .order_by(Municipality.sort_name)))


def in_cohort(cohort_id: int, municipality_id: int) -> Municipality | None:
    return db.session.scalar(
        select(Municipality).join(Application, Application.municipality_id == Municipality.id)
        .where(Application.cohort_id == cohort_id, Municipality.id == municipality_id,
               Application.status == ApplicationStatus.ACCEPTED))


@dataclass
class Row:
    municipality: Municipality
    #: by step id
    cells: dict[int, Status] = field(default_factory=dict)
    #: evidence steps: the submission, for links to the work
    submissions: dict[int, Submission] = field(default_factory=dict)
    presentations: list[Presentation] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)

    def cell(self, step: CohortStep) -> Status:
        return self.cells.get(step.id, NOT_STARTED)


@dataclass(frozen=True)
class Figures:
    municipalities: int
    presented: int
    decided: int
    implemented: int


@dataclass
class Board:
    cohort: Cohort
    steps: list[CohortStep]
    rows: list[Row]
    #: evidence steps: the cohort's schedule of the step's assignment, by step id
    schedule_ids: dict[int, int] = field(default_factory=dict)

    @property
    def figures(self) -> Figures:
        return Figures(
            municipalities=len(self.rows),
            presented=sum(1 for row in self.rows
                          if any(p.outcome is not None for p in row.presentations)),
            decided=sum(len(row.measures) for row in self.rows),
            implemented=sum(1 for row in self.rows for m in row.measures
                            if m.state is MeasureState.IMPLEMENTED))


def _evidence(steps: list[CohortStep], cohort_id: int):
    """(step, submission, newest version, its review) for the cohort's evidence steps."""
    assignment_ids = [step.assignment_id for step in steps if step.assignment_id]
    if not assignment_ids:
        return []
    newest = SubmissionVersion.id == Submission.latest_version_id
    return db.session.execute(
        select(AssignmentSchedule.assignment_id, Submission, SubmissionVersion, Review)
        .join(Submission.schedule)
        .outerjoin(SubmissionVersion, newest)
        .outerjoin(Review, Review.version_id == SubmissionVersion.id)
        .where(AssignmentSchedule.cohort_id == cohort_id,
               AssignmentSchedule.assignment_id.in_(assignment_ids),
               Submission.municipality_id.is_not(None))).all()


def last_updates(measure_ids: list[int]) -> dict[int, date]:
    if not measure_ids:
        return {}
    return dict(db.session.execute(
        select(MeasureUpdate.measure_id, func.max(MeasureUpdate.noted_on))
        .where(MeasureUpdate.measure_id.in_(measure_ids))
        .group_by(MeasureUpdate.measure_id)).all())


def build_board(cohort: Cohort, *, staff: bool,
                municipality_ids: set[int] | None = None) -> Board:
    """The board of ``cohort``; ``municipality_ids`` limits the rows (None: all)."""
    steps = cohort_steps(cohort.id)
    rows = {m.id: Row(m) for m in cohort_municipalities(cohort.id)
            if municipality_ids is None or m.id in municipality_ids}
    assignments = {a.id: a for a in db.session.scalars(select(Assignment).where(
        Assignment.id.in_([s.assignment_id for s in steps if s.assignment_id])))}
    step_of_assignment = {step.assignment_id: step for step in steps if step.assignment_id}
    for assignment_id, submission, version, review in _evidence(steps, cohort.id):
        row = rows.get(submission.municipality_id)
        if row is None:
            continue
        step = step_of_assignment[assignment_id]
        row.submissions[step.id] = submission
        row.cells[step.id] = evidence_status(assignments[assignment_id], submission, version,
                                             review, staff=staff)
    for presentation in db.session.scalars(
            select(Presentation).where(Presentation.cohort_id == cohort.id)
            .order_by(Presentation.meeting_at, Presentation.id)):
        if presentation.municipality_id in rows:
            rows[presentation.municipality_id].presentations.append(presentation)
    measures = list(db.session.scalars(
        select(Measure).where(Measure.cohort_id == cohort.id).order_by(Measure.id)))
    for measure in measures:
        if measure.municipality_id in rows:
            rows[measure.municipality_id].measures.append(measure)
    updated = last_updates([m.id for m in measures])
    for row in rows.values():
        for step in steps:
            if step.kind is StepKind.PRESENTATION:
                row.cells[step.id] = presentation_status(row.presentations)
            elif step.kind is StepKind.MEASURES:
                row.cells[step.id] = measures_status(row.measures, updated)
    schedule_ids = dict(db.session.execute(
        select(AssignmentSchedule.assignment_id, AssignmentSchedule.id).where(
            AssignmentSchedule.cohort_id == cohort.id,
            AssignmentSchedule.assignment_id.in_(list(step_of_assignment)))).all())
    return Board(cohort, steps, list(rows.values()),
                 {step.id: schedule_ids[step.assignment_id] for step in steps
                  if step.assignment_id in schedule_ids})


def step_status(cohort: Cohort, municipality_id: int, kind: StepKind) -> Status | None:
    """One municipality's state of the cohort's step of ``kind`` (None: no such step)."""
    board = build_board(cohort, staff=True, municipality_ids={municipality_id})
    step = next((s for s in board.steps if s.kind is kind), None)
    if step is None or not board.rows:
        return None
    return board.rows[0].cell(step)


# --- Exports -------------------------------------------------------------------------------


def board_table(board: Board) -> Table:
    """The board as a table to export: per step its state and the day it was reached."""
    columns = [Column(_("Municipality")), Column(_("AGS"), Kind.CODE)]
    for step in board.steps:
        columns += [Column(step.title), Column(_("Date: %(step)s", step=step.title), Kind.DATE)]
    table = Table(_("Progress %(cohort)s", cohort=board.cohort.name),
                  f"fortschritt-{board.cohort.id}", columns, sheet=_("Progress"))
    for row in board.rows:
        cells: list[object] = [row.municipality.name, row.municipality.ags]
        for step in board.steps:
            status = row.cell(step)
            cells += [status.state.label, status.on]
        table.add(*cells)
    return table


def measures_table(cohort: Cohort) -> Table:
    """Every measure of the cohort with the decision it came from."""
    measures = db.session.scalars(
        select(Measure).join(Measure.municipality).where(Measure.cohort_id == cohort.id)
        .options(selectinload(Measure.presentation), selectinload(Measure.municipality))
        .order_by(Municipality.sort_name, Measure.id))
    table = Table(_("Measures %(cohort)s", cohort=cohort.name), f"massnahmen-{cohort.id}", [
        Column(_("Municipality")), Column(_("AGS"), Kind.CODE), Column(_("Measure")),
        Column(_("Responsible unit")), Column(_("Target date"), Kind.DATE), Column(_("State")),
        Column(_("Committee")), Column(_("Meeting"), Kind.DATE),
        Column(_("Agenda item or paper"))], sheet=_("Measures"))
    for m in measures:
        table.add(m.municipality.name, m.municipality.ags, m.title, m.responsible_unit,
                  m.due_on, m.state.label, m.presentation.committee,
                  meeting_day(m.presentation), m.presentation.reference)
    return table

