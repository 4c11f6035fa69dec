"""Every POST of the course plugin needs the form's CSRF token, and every form carries one."""

from __future__ import annotations

import pytest

from tests.courses.conftest import CSRF_TOKEN
from tests.courses.routes import CASES, LECTURER, Case, database_state

pytestmark = pytest.mark.usefixtures("csrf_enabled")
POSTS = [case for case in CASES if case.method == "POST"]
#: the page whose form (or button) sends each POST
FORM_PAGES = {
    "courses.new_course": "/course/new",
    "courses.edit_course": "/course/{course}/edit",
    "courses.new_module": "/course/{course}/modules/new",
    "courses.edit_module": "/course/modules/{module}/edit",
    "courses.publish_module": "/course/modules/{draft}",
    "courses.move_module": "/course/{course}",
    "courses.restore_revision": "/course/modules/{module}/revisions/1",
    "courses.new_session": "/course/modules/{module}/sessions/new",
    "courses.edit_session": "/course/sessions/{session}/edit",
    "courses.cancel_session": "/course/sessions/{session}/cancel",
    "courses.upload_material": "/course/modules/{module}/materials/new",
    "courses.add_link": "/course/modules/{module}/materials/new",
    "courses.delete_material": "/course/modules/{module}",
}


@pytest.mark.parametrize("case", POSTS, ids=lambda case: case.name)
def test_post_without_token_is_refused(app, world, client_for, case: Case):
    values = world["values"]
    client = client_for(world["people"][LECTURER])
    page = client.get(FORM_PAGES[case.endpoint].format(**values))
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    action = case.path.format(**values)
    assert f'action="{action}"' in body or case.endpoint in {
        "courses.new_course", "courses.edit_course", "courses.new_module",
        "courses.edit_module", "courses.new_session", "courses.edit_session"}
    name, token = CSRF_TOKEN.search(body).groups()
    before = database_state(app)
    for bad in ({}, {name: "forged"}):
        data = case.data() if callable(case.data) else dict(case.data)
        response = client.post(action, data={**data, **bad})
        assert response.status_code == 400, bad
        assert database_state(app) == before
    data = case.data() if callable(case.data) else dict(case.data)
    assert client.post(action, data={**data, name: token}).status_code == 302
    assert database_state(app) != before
