"""The progress board and its exports: queries stay flat as municipalities and measures grow."""

from __future__ import annotations

from assignments.steps.measures import MeasureDetails, add_update, create_measure
from assignments.steps.models import MeasureState, Outcome, Presentation, StepKind
from cohorts.models import Municipality
from lms.auth.models import User
from lms.dates import berlin_today
from lms.extensions import db
from tests.assignments import conftest as assignment_fixtures
from tests.assignments.steps import factories as steps_factories
from tests.assignments.steps.factories import accept_application, hand_in_step, meeting
from tests.cohorts import conftest as cohort_fixtures
from tests.querycount import count_queries

steps_world = steps_factories.steps_world
module = assignment_fixtures.module
create_module = assignment_fixtures.create_module
enroll = assignment_fixtures.enroll
course = cohort_fixtures.course
create_cohort = cohort_fixtures.create_cohort
create_municipality = cohort_fixtures.create_municipality
client_for = cohort_fixtures.client_for


def _grow(app, world, create_user, create_municipality, enroll, count: int, first: int):
    """``count`` more municipalities, each with handed-in work, a decision, three measures."""
    for number in range(first, first + count):
        municipality = create_municipality(f"Stadt {number}", f"0599{number:04d}")
        person = create_user(f"team{number}@example.org")
        enroll(person, world.cohort, municipality)
        with app.test_request_context():
            accept_application(world.cohort, municipality)
            world.people[f"team{number}"] = person
            hand_in_step(world, StepKind.ANALYSIS, f"team{number}")
            presentation = Presentation(cohort_id=world.cohort.id,
                                        municipality_id=municipality.id, committee="Rat",
                                        meeting_at=meeting(20), outcome=Outcome.DECIDED)
            db.session.add(presentation)
            db.session.flush()
            actor = db.session.get(User, person.id)
            for title in ("Lotsen", "Clearingstelle", "Konferenz"):
                measure = create_measure(world.cohort.id, municipality.id,
                                         MeasureDetails(title, presentation.id), actor=actor)
                add_update(measure, MeasureState.IN_PROGRESS, "los", berlin_today(),
                           actor=actor)
            db.session.commit()


def _pages(world) -> list[str]:
    base = f"/assignments/steps/cohorts/{world.cohort.id}"
    return [base, f"{base}/board.csv", f"{base}/measures.csv"]


def _queries(app, client, world) -> dict[str, int]:
    counts = {}
    for page in _pages(world):
        with count_queries(app) as log:
            assert client.get(page).status_code == 200, page
        counts[page] = log.count
    return counts


def test_board_queries_stay_flat(app, steps_world, create_user, create_municipality, enroll,
                                 client_for):
    client = client_for(steps_world["lecturer"])
    _grow(app, steps_world, create_user, create_municipality, enroll, 2, 1)
    small = _queries(app, client, steps_world)
    _grow(app, steps_world, create_user, create_municipality, enroll, 12, 3)
    with app.app_context():
        assert db.session.query(Municipality).count() == 2 + 1 + 14
    large = _queries(app, client, steps_world)
    print(f"\nqueries per page: {small}")
    assert large == small
    assert max(small.values()) <= 25, small
