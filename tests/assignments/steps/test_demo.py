"""The implementation steps' demo: cohorts at different steps, a handbook draft, idempotent."""

from __future__ import annotations

from sqlalchemy import func, select

from assignments.steps.board import build_board
from assignments.steps.demo import seed_demo
from assignments.steps.models import (
    CohortStep,
    Handbook,
    HandbookEntry,
    Measure,
    MeasureUpdate,
    Presentation,
    StepSettings,
)
from assignments.steps.states import StepState
from cohorts.models import Cohort
from lms.audit import AuditEntry
from lms.extensions import db

MODELS = (CohortStep, Presentation, Measure, MeasureUpdate, Handbook, HandbookEntry,
          StepSettings, AuditEntry)


def _seed(app) -> tuple[int, ...]:
    result = app.test_cli_runner().invoke(args=["lms", "seed-demo"])
    assert result.exit_code == 0, result.output
    with app.app_context():  # as the CLI runs it: no request
        seed_demo()
        db.session.commit()
        return tuple(db.session.scalar(select(func.count()).select_from(model))
                     for model in MODELS)


def test_demo_is_lived_in_and_idempotent(app):
    first = _seed(app)
    assert _seed(app) == first
    steps, presentations, measures, updates, handbooks, entries, settings, _audit = first
    assert steps == 4 + 3
    assert presentations == 5 and measures == 7 and updates > measures
    assert handbooks == 1 and entries >= 6 and settings == 1
    with app.test_request_context():
        cohort = db.session.scalar(select(Cohort).where(Cohort.demo_key == "cohort-2017"))
        board = build_board(cohort, staff=True)
        by_name = {row.municipality.name: [row.cell(step).state for step in board.steps]
                   for row in board.rows}
        assert len(by_name) == 6
        assert by_name["Hamm"][:3] == [StepState.ACCEPTED] * 3
        assert by_name["Duisburg"][2] is StepState.ACCEPTED
        assert by_name["Bielefeld"][2] is StepState.IN_PROGRESS
        assert by_name["Kreis Recklinghausen"][1] is StepState.RETURNED
        assert by_name["Solingen"][0] is StepState.SUBMITTED
        later = db.session.scalar(select(Cohort).where(Cohort.demo_key == "cohort-2018"))
        start = build_board(later, staff=True)
        assert len(start.steps) == 3
        assert all(row.cell(step).state is StepState.NOT_STARTED
                   for row in start.rows for step in start.steps)
