"""Factories for the implementation-step tests: a running cohort with two municipalities.

The cohort started 200 days ago (so meetings can lie in the past) and has taken its
template: analysis and recommendations are team assignments of ``module``. Hamm has two
people, Duisburg one; a mediator, a lecturer not teaching the cohort and a participant
of another cohort are there to be refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from assignments.models import AssignmentSchedule, ReviewOutcome, Submission
from assignments.reviews import ReviewInput, release, save_review, stamp
from assignments.steps.models import CohortStep, Outcome, StepKind
from assignments.steps.procedures import cohort_steps, take_template
from assignments.submitting import hand_in, new_token
from cohorts.models import Application, ApplicationStatus, Cohort, Municipality
from courses.models import Module
from lms.auth.models import Role, User
from lms.dates import berlin_today
from lms.db import utcnow
from lms.extensions import db

DAY = timedelta(days=1)


@dataclass
class Steps:
    cohort: Cohort
    other_cohort: Cohort
    hamm: Municipality
    duisburg: Municipality
    steps: dict[StepKind, int]
    people: dict[str, User] = field(default_factory=dict)

    def __getitem__(self, name: str) -> User:
        return self.people[name]


def accept_application(cohort: Cohort, municipality: Municipality) -> None:
    db.session.add(Application(
        cohort_id=cohort.id, municipality_id=municipality.id,
        status=ApplicationStatus.ACCEPTED, contact_name="Karla Kontakt",
        contact_email=f"kontakt.{municipality.ags}@example.org", consent_at=utcnow()))
    db.session.commit()


def cast(create_user) -> dict[str, User]:
    """The people of a two-cohort world, by role name: staff, Hamm's two, Duisburg's one,
    a mediator and an outsider enrolled nowhere."""
    return {
        "organiser": create_user("orga@example.org", Role.ORGANISER, name="Olga Orga"),
        "lecturer": create_user("dozent@example.org", Role.LECTURER, name="Doris Dozentin"),
        "other_lecturer": create_user("dozent2@example.org", Role.LECTURER, name="Otto Dozent"),
        "hamm1": create_user("hamm1@example.org", name="Sabine Hoffmann"),
        "hamm2": create_user("hamm2@example.org", name="Tobias Brandt"),
        "duisburg": create_user("duisburg@example.org", name="Nadine Kaya"),
        "mediator": create_user("mediator@example.org", name="Bernd Koch"),
        "outsider": create_user("outsider@example.org", name="Olaf Außen"),
    }


@pytest.fixture
def steps_world(app: Flask, create_user, create_cohort, create_municipality, module,
                enroll) -> Steps:
    today = berlin_today()
    people = cast(create_user)
    cohort = create_cohort("Studiengruppe 2017", opens=today - 300 * DAY,
                           closes=today - 250 * DAY, starts=today - 200 * DAY,
                           ends=today + 300 * DAY, lecturers=(people["lecturer"],))
    other = create_cohort("Studiengruppe 2018", lecturers=(people["other_lecturer"],))
    hamm = create_municipality("Hamm", "05915000")
    duisburg = create_municipality("Duisburg", "05112000")
    bochum = create_municipality("Bochum", "05911000")
    enroll(people["hamm1"], cohort, hamm)
    enroll(people["hamm2"], cohort, hamm)
    enroll(people["duisburg"], cohort, duisburg)
    enroll(people["mediator"], cohort)
    enroll(people["outsider"], other, bochum)
    with app.test_request_context():
        for municipality in (hamm, duisburg):
            accept_application(cohort, municipality)
        accept_application(other, bochum)
        take_template(db.session.get(Cohort, cohort.id), db.session.get(Module, module.id),
                      actor=db.session.get(User, people["organiser"].id))
        steps = {step.kind: step.id for step in cohort_steps(cohort.id)}
        db.session.commit()
    return Steps(cohort, other, hamm, duisburg, steps, people)


def schedule_of(world: Steps, kind: StepKind) -> AssignmentSchedule:
    step = db.session.get(CohortStep, world.steps[kind])
    return db.session.scalar(select(AssignmentSchedule).where(
        AssignmentSchedule.assignment_id == step.assignment_id,
        AssignmentSchedule.cohort_id == world.cohort.id))


def hand_in_step(world: Steps, kind: StepKind, person: str = "hamm1") -> Submission:
    """The team hands in the step's evidence (inside an app context)."""
    version, _new = hand_in(schedule_of(world, kind), db.session.get(User, world[person].id),
                            text="## Ergebnis\n\nUnsere Empfehlungen.", uploads=[],
                            token=new_token())
    db.session.flush()
    return version.submission


def review_step(world: Steps, submission: Submission, *, passed: bool = True,
                returned: bool = False, released: bool = True) -> None:
    lecturer = db.session.get(User, world["lecturer"].id)
    outcome = ReviewOutcome.RETURNED if returned else ReviewOutcome.GRADED
    save_review(submission, ReviewInput(outcome, passed=None if returned else passed,
                                        feedback="Bitte ergänzen." if returned else "Gut."),
                actor=lecturer, seen=stamp(submission),
                version_id=submission.latest_version.id)
    if released and not returned:
        release(submission, actor=lecturer)
    db.session.flush()


def accept_recommendations(app: Flask, world: Steps, person: str = "hamm1") -> None:
    with app.test_request_context():
        review_step(world, hand_in_step(world, StepKind.RECOMMENDATIONS, person))
        db.session.commit()


def meeting(days_ago: int = 10) -> datetime:
    return utcnow() - days_ago * DAY


def decision(app: Flask, world: Steps, municipality: Municipality | None = None, *,
             outcome: Outcome | None = Outcome.DECIDED, days_ago: int = 10) -> int:
    """A presentation of the municipality (default Hamm); returns its id."""
    from assignments.steps.committees import PresentationDetails, record_presentation

    municipality = municipality or world.hamm
    with app.test_request_context():
        presentation = record_presentation(
            db.session.get(Cohort, world.cohort.id), municipality.id, PresentationDetails(
                committee="Rat der Stadt", meeting_at=meeting(days_ago),
                reference="TOP 7, DS 17/0421", outcome=outcome),
            actor=db.session.get(User, world["hamm1"].id))
        db.session.commit()
        return presentation.id


def add_measure(app: Flask, world: Steps, presentation_id: int, title: str = "Clearingstelle",
                municipality: Municipality | None = None) -> int:
    from assignments.steps.measures import MeasureDetails, create_measure

    municipality = municipality or world.hamm
    with app.test_request_context():
        measure = create_measure(world.cohort.id, municipality.id, MeasureDetails(
            title=title, presentation_id=presentation_id, responsible_unit="KI Hamm"),
            actor=db.session.get(User, world["hamm1"].id))
        db.session.commit()
        return measure.id
