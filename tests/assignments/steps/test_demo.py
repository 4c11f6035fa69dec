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
    assert steps == 4 + 3 + 4
    assert presentations == 5 + 2 and measures == 7 + 2 and updates > measures
    assert handbooks == 1 and entries >= 6 and settings == 2
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
        assert by_name["Solingen"][:2] == [StepState.ACCEPTED, StepState.NOT_STARTED]
        later = db.session.scalar(select(Cohort).where(Cohort.demo_key == "cohort-2018"))
        shortened = build_board(later, staff=True)
        by_name = {row.municipality.name: [row.cell(step).state for step in shortened.steps]
                   for row in shortened.rows}
        assert len(shortened.steps) == 3 and len(by_name) == 10
        assert by_name["Köln"][:2] == by_name["Bochum"][:2] == [StepState.ACCEPTED] * 2
        assert by_name["Kreis Wesel"][0] is StepState.RETURNED
        current = db.session.scalar(select(Cohort).where(Cohort.demo_key == "cohort-current"))
        started = build_board(current, staff=True)
        by_name = {row.municipality.name: row.cell(started.steps[0]).state
                   for row in started.rows}
        assert (by_name["Herne"], by_name["Mönchengladbach"], by_name["Hagen"],
                by_name["Wuppertal"]) == (StepState.ACCEPTED, StepState.RETURNED,
                                          StepState.SUBMITTED, StepState.NOT_STARTED)
