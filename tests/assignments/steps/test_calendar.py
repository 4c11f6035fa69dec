"""Committee meetings in the calendar: kind "committee", who sees which."""

from __future__ import annotations

from assignments.steps.calendar import calendar_source
from assignments.steps.models import Outcome, StepSettings
from lms.auth.models import User
from lms.extensions import db
from lms.plugins import CalendarQuery
from tests.assignments.steps import factories as steps_factories
from tests.assignments.steps.factories import decision

steps_world = steps_factories.steps_world


def _titles(app, world, person: str | None, **query) -> list[str]:
    with app.test_request_context():
        viewer = db.session.get(User, world[person].id) if person else None
        return [event.title for event in calendar_source(CalendarQuery(viewer, **query))]


def test_who_sees_which_meeting(app, steps_world):
    decision(app, steps_world, outcome=None, days_ago=-14)
    decision(app, steps_world, steps_world.duisburg, outcome=None, days_ago=-7)
    assert _titles(app, steps_world, None) == []
    assert len(_titles(app, steps_world, "organiser")) == 2
    assert len(_titles(app, steps_world, "lecturer")) == 2
    assert _titles(app, steps_world, "other_lecturer") == []
    assert _titles(app, steps_world, "outsider") == []
    assert _titles(app, steps_world, "hamm1") == ["Rat der Stadt (Hamm)"]
    assert _titles(app, steps_world, "mediator") == []
    with app.app_context():
        db.session.add(StepSettings(cohort_id=steps_world.cohort.id, share_progress=True))
        db.session.commit()
    assert _titles(app, steps_world, "hamm1") == ["Rat der Stadt (Duisburg)",
                                                  "Rat der Stadt (Hamm)"]
    assert len(_titles(app, steps_world, "mediator")) == 2
    assert _titles(app, steps_world, "organiser", kinds=frozenset({"deadline"})) == []
    assert _titles(app, steps_world, "organiser",
                   cohort_ids=frozenset({steps_world.other_cohort.id})) == []


def test_event_is_stable_and_carries_the_outcome(app, steps_world):
    steps_factories.accept_recommendations(app, steps_world)
    decision(app, steps_world, outcome=Outcome.DECIDED)
    with app.test_request_context():
        viewer = db.session.get(User, steps_world["organiser"].id)
        [event] = calendar_source(CalendarQuery(viewer))
        assert event.kind == "committee" and event.uid.startswith("step-presentation-")
        assert event.end > event.start and event.cohort_id == steps_world.cohort.id
        assert "DS 17/0421" in event.description
