"""Every implementation-step form needs its CSRF token: without it, nothing changes."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from assignments.steps.models import (
    Handbook,
    Measure,
    MeasureUpdate,
    Presentation,
    StepSettings,
    TemplateStep,
)
from lms.dates import berlin_today
from lms.extensions import db
from tests.assignments.steps import factories as steps_factories
from tests.assignments.steps.factories import accept_recommendations, add_measure, decision

steps_world = steps_factories.steps_world
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def _counts(app):
    with app.app_context():
        return tuple(db.session.scalar(select(func.count()).select_from(model))
                     for model in (Presentation, Measure, MeasureUpdate, StepSettings,
                                   Handbook))


def test_posts_without_token_are_refused_and_with_token_work(app, steps_world, client_for,
                                                              module, request):
    accept_recommendations(app, steps_world)
    presentation = decision(app, steps_world)
    measure = add_measure(app, steps_world, presentation)
    cohort, hamm = steps_world.cohort.id, steps_world.hamm.id
    team = client_for(steps_world["hamm1"])
    organiser = client_for(steps_world["organiser"])
    request.getfixturevalue("csrf_enabled")  # after signing in, which these clients do bare
    posts = [
        (team, f"/assignments/steps/cohorts/{cohort}/municipalities/{hamm}/presentations/new",
         {"committee": "Rat", "meeting_at": "2030-01-01T10:00"}),
        (team, f"/assignments/steps/presentations/{presentation}/edit",
         {"committee": "Rat", "meeting_at": "2030-01-01T10:00"}),
        (team, f"/assignments/steps/cohorts/{cohort}/municipalities/{hamm}/measures/new",
         {"title": "X", "presentation_id": presentation}),
        (team, f"/assignments/steps/measures/{measure}/updates",
         {"state": "implemented", "noted_on": str(berlin_today())}),
        (organiser, f"/assignments/steps/cohorts/{cohort}/sharing", {"share_progress": "y"}),
        (organiser, f"/assignments/steps/cohorts/{cohort}/take", {"module": module.id}),
        (organiser, "/assignments/steps/procedures/full/analysis/edit",
         {"position": 1, "title": "X", "due_offset_days": 5}),
        (organiser, "/assignments/steps/handbooks", {"title": "X", "cohorts": cohort}),
    ]
    before = _counts(app)
    for client, path, data in posts:
        response = client.post(path, data=data)
        assert response.status_code in {200, 302, 400}, path
    assert _counts(app) == before
    with app.app_context():
        assert "X" not in db.session.scalars(select(TemplateStep.title)).all()
    # with the token from the form, sharing is saved
    token = TOKEN.search(organiser.get(f"/assignments/steps/cohorts/{cohort}")
                         .get_data(as_text=True)).group(1)
    organiser.post(f"/assignments/steps/cohorts/{cohort}/sharing",
                   data={"share_progress": "y", "csrf_token": token})
    with app.app_context():
        assert db.session.get(StepSettings, cohort).share_progress
