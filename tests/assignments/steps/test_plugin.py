"""The implementation steps as a plugin of their own: routes, policies, calendar."""

from __future__ import annotations

from assignments.steps.access import Board, MunicipalityRecords
from assignments.steps.models import Handbook, Measure, Presentation, TemplateStep
from lms.auth.access import EXTENSION_KEY as POLICIES
from lms.auth.models import User
from lms.extensions import db
from lms.plugins import CalendarQuery, current_plugins
from lms.tables import FORMAT_PART
from tests.assignments.steps import factories as steps_factories
from tests.assignments.steps.factories import decision

steps_world = steps_factories.steps_world

C, M = "<int:cohort_id>", "<int:municipality_id>"
#: every step page, at the path it has always had, and its endpoint
STEP_ROUTES = {
    "/assignments/steps/": "steps.index",
    "/assignments/steps/procedures": "steps.procedures_page",
    "/assignments/steps/procedures/<procedure>/<kind>/edit": "steps.edit_template_step",
    f"/assignments/steps/cohorts/{C}": "steps.board",
    f"/assignments/steps/cohorts/{C}/take": "steps.take_template",
    f"/assignments/steps/cohorts/{C}/sharing": "steps.set_sharing",
    f"/assignments/steps/cohorts/{C}/board.{FORMAT_PART}": "steps.board_export",
    f"/assignments/steps/cohorts/{C}/measures.{FORMAT_PART}": "steps.measures_export",
    f"/assignments/steps/cohorts/{C}/municipalities/{M}": "steps.municipality_page",
    f"/assignments/steps/cohorts/{C}/municipalities/{M}/timeline": "steps.timeline_page",
    f"/assignments/steps/cohorts/{C}/municipalities/{M}/presentations/new":
        "steps.new_presentation",
    f"/assignments/steps/cohorts/{C}/municipalities/{M}/measures/new": "steps.new_measure",
    "/assignments/steps/presentations/<int:presentation_id>/edit": "steps.edit_presentation",
    "/assignments/steps/presentations/<int:presentation_id>/document":
        "steps.presentation_document",
    "/assignments/steps/measures/<int:measure_id>": "steps.measure_page",
    "/assignments/steps/measures/<int:measure_id>/edit": "steps.edit_measure",
    "/assignments/steps/measures/<int:measure_id>/updates": "steps.update_measure",
    "/assignments/steps/handbooks": "steps.handbooks",
    "/assignments/steps/handbooks/<int:handbook_id>": "steps.handbook_page",
    "/assignments/steps/handbooks/<int:handbook_id>/edit": "steps.edit_handbook",
    "/assignments/steps/handbooks/<int:handbook_id>/print": "steps.handbook_print",
    "/assignments/steps/handbooks/<int:handbook_id>/handbook.md": "steps.handbook_markdown",
    "/assignments/steps/static/<path:filename>": "steps.static",
}


def test_step_pages_keep_their_paths_under_the_steps_endpoints(app):
    rules = {rule.rule: rule.endpoint for rule in app.url_map.iter_rules()
             if rule.rule.startswith("/assignments/")}
    steps = {path: endpoint for path, endpoint in rules.items()
             if path.startswith("/assignments/steps/")}
    assert steps == STEP_ROUTES
    others = {endpoint for path, endpoint in rules.items() if path not in steps}
    assert others and all(endpoint.startswith("assignments.") for endpoint in others)


def test_every_object_the_step_pages_load_has_a_policy(app):
    policies = app.extensions[POLICIES]
    for model in (Presentation, Measure, Handbook, TemplateStep, MunicipalityRecords, Board):
        assert model in policies, model.__name__


def test_committee_meetings_come_from_the_steps_plugin_alone(app, steps_world):
    decision(app, steps_world, outcome=None, days_ago=-14)
    with app.test_request_context():
        query = CalendarQuery(db.session.get(User, steps_world["organiser"].id))
        kinds = {plugin.name: {event.kind for event in plugin.calendar_source(query)}
                 for plugin in current_plugins() if plugin.calendar_source}
    assert kinds["steps"] == {"committee"}
    assert "committee" not in kinds["assignments"]
