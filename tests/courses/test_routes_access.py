"""Every route of the course plugin against every kind of visitor.

Each route is listed with the expected outcome for an anonymous visitor, a participant, a
lecturer and an organiser, and whether the request changes the database. Drafts answer
404 to participants (their existence stays hidden), editing answers 403, and anonymous
visitors are sent to sign in. A guard test fails when a route is missing from the table.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.access_outcomes import check_outcome
from tests.courses.routes import (
    ANONYMOUS,
    CASES,
    LECTURER,
    ORGANISER,
    PARTICIPANT,
    VISITORS,
    Case,
    database_state,
)


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_access(app, world, client_for, case: Case, visitor: str):
    values = world["values"]
    client = (app.test_client() if visitor == ANONYMOUS
              else client_for(world["people"][visitor]))
    path = case.path.format(**values)
    before = database_state(app)
    data = case.data() if callable(case.data) else case.data
    response = client.open(path, method=case.method, data=data,
                           headers={"Accept-Language": "de"})
    check_outcome(response, case.expect[visitor].format(**values), path)
    changed = database_state(app) != before
    assert changed == (visitor in case.changes), "database change does not match the table"


def test_every_course_route_is_in_the_table(app):
    table = {(case.endpoint, case.method) for case in CASES}
    missing = sorted(
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("courses.") and rule.endpoint != "courses.static"
        for method in rule.methods - {"HEAD", "OPTIONS"}
        if (rule.endpoint, method) not in table
    )
    assert missing == [], f"add these course routes to the table: {missing}"


@pytest.mark.parametrize("visitor", [PARTICIPANT, LECTURER, ORGANISER])
@pytest.mark.parametrize(("method", "path"), [
    ("GET", "/course/999"),
    ("GET", "/course/modules/999"),
    ("GET", "/course/modules/{module}/revisions/99"),
    ("GET", "/course/materials/999/download"),
    ("GET", "/course/sessions/999/edit"),
    ("POST", "/course/modules/999/publish"),
    ("POST", "/course/sessions/999/cancel"),
    ("POST", "/course/materials/999/delete"),
    ("POST", "/course/{course}/modules/999/move"),
])
def test_forged_ids_are_not_found(app, world, client_for, visitor, method, path):
    client = client_for(world["people"][visitor])
    before = database_state(app)
    response = client.open(path.format(**world["values"]), method=method,
                           data={"direction": "up"})
    # participants may not edit at all: they learn nothing about ids either way
    expected = 403 if visitor == PARTICIPANT and (method == "POST" or "sessions" in path
                                                  or "revisions" in path) else 404
    assert response.status_code == expected
    assert database_state(app) == before


def test_anonymous_is_asked_to_sign_in_even_for_unknown_ids(client):
    response = client.get("/course/modules/999")
    assert response.status_code == 302 and urlsplit(response.location).path == "/login"


def test_a_participant_outside_the_course_sees_nothing(app, cohorts, create_user, client_for,
                                                       course, module, create_material):
    """With a cohorts plugin, a participant in no cohort is not a member of the course."""
    material = create_material(module)
    outsider = client_for(create_user("aussen@example.org"))
    for path in (f"/course/{course.id}", f"/course/modules/{module.id}",
                 f"/course/materials/{material.id}/download"):
        assert outsider.get(path).status_code == 404, path
    assert outsider.get("/course/").status_code == 200  # the list, empty

