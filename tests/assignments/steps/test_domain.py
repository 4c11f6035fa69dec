"""Implementation steps: templates, taking them, states, committees and measures (domain rules)."""

from __future__ import annotations

import hashlib
import io
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from assignments.models import Assignment, AssignmentKind, AssignmentSchedule
from assignments.steps import committees, measures, procedures
from assignments.steps.board import build_board
from assignments.steps.committees import PresentationDetails
from assignments.steps.measures import MeasureDetails
from assignments.steps.models import (
    CohortStep,
    Measure,
    MeasureState,
    MeasureUpdate,
    Outcome,
    Presentation,
    StepKind,
    TemplateStep,
)
from assignments.steps.states import StepState
from cohorts.models import Cohort, Procedure
from courses.models import Module
from lms.auth.models import User
from lms.dates import berlin_today
from lms.errors import DomainError
from lms.extensions import db
from lms.uploads import referenced
from tests.assignments.conftest import pdf
from tests.assignments.steps import factories as steps_factories
from tests.assignments.steps.factories import (
    accept_recommendations,
    add_measure,
    decision,
    hand_in_step,
    meeting,
    review_step,
)

steps_world = steps_factories.steps_world

ENGLISH = {"Accept-Language": "en"}  # the messages matched below are the English source


def _states(app, world, municipality=None, *, staff=True) -> dict[StepKind, StepState]:
    municipality = municipality or world.hamm
    with app.test_request_context(headers=ENGLISH):
        board = build_board(db.session.get(Cohort, world.cohort.id), staff=staff,
                            municipality_ids={municipality.id})
        return {step.kind: board.rows[0].cell(step).state for step in board.steps}


def test_templates_default_and_edit_do_not_rewrite_a_running_cohort(app, steps_world):
    with app.test_request_context(headers=ENGLISH):
        full = procedures.template_steps(Procedure.FULL)
        short = procedures.template_steps(Procedure.SHORTENED)
        assert [s.kind for s in full] == list(StepKind)
        assert StepKind.ANALYSIS not in [s.kind for s in short]
        organiser = db.session.get(User, steps_world["organiser"].id)
        stored = procedures.update_template_step(full[0], procedures.StepDetails(
            1, "Neue Bestandsaufnahme", "Bericht", 90), actor=organiser)
        db.session.commit()
        taken = db.session.get(CohortStep, steps_world.steps[StepKind.ANALYSIS])
        assert taken.title == "Bestandsaufnahme der Integrationsstrukturen"
        assert db.session.get(TemplateStep, stored.id).due_offset_days == 90
        assert len(procedures.template_steps(Procedure.FULL)) == len(full)
        with pytest.raises(DomainError):
            procedures.update_template_step(full[0], procedures.StepDetails(
                1, "x", "", -1), actor=organiser)


def test_taking_creates_team_assignments_once(app, steps_world, module):
    with app.test_request_context(headers=ENGLISH):
        cohort = db.session.get(Cohort, steps_world.cohort.id)
        steps = procedures.cohort_steps(cohort.id)
        evidence = [s for s in steps if s.kind.has_evidence]
        assert len(evidence) == 2
        for step in evidence:
            assert step.assignment.kind is AssignmentKind.TEAM
            schedule = db.session.scalar(select(AssignmentSchedule).where(
                AssignmentSchedule.assignment_id == step.assignment_id))
            assert schedule.cohort_id == cohort.id
            assert schedule.due_at.date() >= step.due_on - timedelta(days=1)
        assert all(s.assignment_id is None for s in steps if not s.kind.has_evidence)
        with pytest.raises(DomainError):
            procedures.take_template(cohort, db.session.get(Module, module.id), actor=None)
        assert db.session.scalar(select(func.count(Assignment.id))) == 2


def test_evidence_states_follow_submission_and_review(app, steps_world):
    assert _states(app, steps_world)[StepKind.ANALYSIS] is StepState.NOT_STARTED
    with app.test_request_context(headers=ENGLISH):
        submission = hand_in_step(steps_world, StepKind.ANALYSIS)
        db.session.commit()
        submission_id = submission.id
    assert _states(app, steps_world)[StepKind.ANALYSIS] is StepState.SUBMITTED
    with app.test_request_context(headers=ENGLISH):
        from assignments.models import Submission
        review_step(steps_world, db.session.get(Submission, submission_id), returned=True)
        db.session.commit()
    assert _states(app, steps_world)[StepKind.ANALYSIS] is StepState.RETURNED
    # Duisburg is untouched by Hamm's work
    assert _states(app, steps_world, steps_world.duisburg)[StepKind.ANALYSIS] \
        is StepState.NOT_STARTED


def test_unreleased_acceptance_shows_as_submitted_to_participants(app, steps_world):
    with app.test_request_context(headers=ENGLISH):
        review_step(steps_world, hand_in_step(steps_world, StepKind.RECOMMENDATIONS),
                    released=False)
        db.session.commit()
    assert _states(app, steps_world)[StepKind.RECOMMENDATIONS] is StepState.ACCEPTED
    assert _states(app, steps_world, staff=False)[StepKind.RECOMMENDATIONS] \
        is StepState.SUBMITTED


def test_decision_needs_accepted_recommendations_and_a_past_meeting(app, steps_world):
    details = PresentationDetails("Integrationsrat", meeting(5), "DS 17/0421", Outcome.DECIDED)
    with app.test_request_context(headers=ENGLISH):
        cohort = db.session.get(Cohort, steps_world.cohort.id)
        actor = db.session.get(User, steps_world["hamm1"].id)
        with pytest.raises(DomainError, match="recommendations"):
            committees.record_presentation(cohort, steps_world.hamm.id, details, actor=actor)
        # planning is possible at any time
        planned = committees.record_presentation(
            cohort, steps_world.hamm.id,
            PresentationDetails("Integrationsrat", meeting(-20)), actor=actor)
        db.session.commit()
        assert planned.outcome is None
    assert _states(app, steps_world)[StepKind.PRESENTATION] is StepState.IN_PROGRESS
    accept_recommendations(app, steps_world)
    with app.test_request_context(headers=ENGLISH):
        cohort = db.session.get(Cohort, steps_world.cohort.id)
        actor = db.session.get(User, steps_world["hamm1"].id)
        with pytest.raises(DomainError, match="taken place"):
            committees.record_presentation(cohort, steps_world.hamm.id, PresentationDetails(
                "Rat", meeting(-3), outcome=Outcome.DECIDED), actor=actor)
        with pytest.raises(DomainError, match="start"):
            committees.record_presentation(cohort, steps_world.hamm.id, PresentationDetails(
                "Rat", meeting(400)), actor=actor)
        with pytest.raises(DomainError):
            committees.record_presentation(cohort, steps_world.hamm.id, PresentationDetails(
                " ", meeting(5)), actor=actor)
        committees.record_presentation(cohort, steps_world.hamm.id, details, actor=actor)
        db.session.commit()
    assert _states(app, steps_world)[StepKind.PRESENTATION] is StepState.ACCEPTED


def test_measures_come_from_a_decision_of_the_same_municipality(app, steps_world):
    accept_recommendations(app, steps_world)
    accept_recommendations(app, steps_world, "duisburg")
    rejected = decision(app, steps_world, outcome=Outcome.REJECTED, days_ago=30)
    decided = decision(app, steps_world)
    duisburg_decision = decision(app, steps_world, steps_world.duisburg)
    with app.test_request_context(headers=ENGLISH):
        actor = db.session.get(User, steps_world["hamm1"].id)
        for presentation_id in (None, rejected, duisburg_decision, 99999):
            with pytest.raises(DomainError):
                measures.create_measure(steps_world.cohort.id, steps_world.hamm.id,
                                        MeasureDetails("Lotsen", presentation_id), actor=actor)
        with pytest.raises(DomainError, match="before the decision"):
            measures.create_measure(steps_world.cohort.id, steps_world.hamm.id, MeasureDetails(
                "Lotsen", decided, due_on=berlin_today() - timedelta(days=60)), actor=actor)
        db.session.rollback()
        assert db.session.scalar(select(func.count(Measure.id))) == 0
    measure_id = add_measure(app, steps_world, decided)
    assert _states(app, steps_world)[StepKind.MEASURES] is StepState.IN_PROGRESS
    with app.test_request_context(headers=ENGLISH):
        measure = db.session.get(Measure, measure_id)
        actor = db.session.get(User, steps_world["hamm1"].id)
        assert [u.to_state for u in measure.updates] == [MeasureState.PLANNED]
        with pytest.raises(DomainError, match="future"):
            measures.add_update(measure, MeasureState.IN_PROGRESS, "", berlin_today()
                                + timedelta(days=1), actor=actor)
        with pytest.raises(DomainError, match="previous"):
            measures.add_update(measure, MeasureState.IN_PROGRESS, "", berlin_today()
                                - timedelta(days=100), actor=actor)
        with pytest.raises(DomainError):
            measures.add_update(measure, MeasureState.PLANNED, "", berlin_today(), actor=actor)
        measures.add_update(measure, MeasureState.IMPLEMENTED, "Eröffnet", berlin_today(),
                            actor=actor)
        db.session.commit()
        assert db.session.scalar(select(func.count(MeasureUpdate.id))) == 2
        # the decision with measures stays a decision
        with pytest.raises(DomainError, match="must stay"):
            committees.update_presentation(db.session.get(Presentation, decided),
                                           PresentationDetails("Rat der Stadt", meeting(10),
                                                               outcome=Outcome.POSTPONED),
                                           actor=actor)
    assert _states(app, steps_world)[StepKind.MEASURES] is StepState.ACCEPTED


def test_rejected_only_reads_as_returned(app, steps_world):
    accept_recommendations(app, steps_world)
    decision(app, steps_world, outcome=Outcome.POSTPONED)
    assert _states(app, steps_world)[StepKind.PRESENTATION] is StepState.RETURNED


def test_figures(app, steps_world):
    accept_recommendations(app, steps_world)
    decided = decision(app, steps_world)
    first = add_measure(app, steps_world, decided, "Clearingstelle")
    add_measure(app, steps_world, decided, "Dolmetscherpool")
    with app.test_request_context(headers=ENGLISH):
        measures.add_update(db.session.get(Measure, first), MeasureState.IMPLEMENTED, "",
                            berlin_today(), actor=db.session.get(User, steps_world["hamm1"].id))
        db.session.commit()
        figures = build_board(db.session.get(Cohort, steps_world.cohort.id), staff=True).figures
    assert (figures.municipalities, figures.presented, figures.decided,
            figures.implemented) == (2, 1, 2, 1)


def test_a_committee_paper_s_bytes_count_as_referenced(app, steps_world):
    """The clean-up after a failed upload asks whether any row refers to the bytes; a
    committee paper is such a row, or its file could be deleted under it."""
    data = pdf("Beschluss des Rates")
    with app.test_request_context(headers=ENGLISH):
        planned = committees.record_presentation(
            db.session.get(Cohort, steps_world.cohort.id), steps_world.hamm.id,
            PresentationDetails("Integrationsrat", meeting(-20)),
            actor=db.session.get(User, steps_world["hamm1"].id),
            upload=committees.Upload("beschluss.pdf", io.BytesIO(data)))
        db.session.commit()
        assert planned.sha256 == hashlib.sha256(data).hexdigest()
        assert referenced(planned.sha256)
