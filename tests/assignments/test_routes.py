"""Every route against every role, the wrong ones included; forged ids change nothing.

One world is built per test and the whole matrix is walked through it, collecting every
mismatch, so a failure lists all wrong answers at once.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from assignments.extensions import ExtensionRequest, grant_extension
from assignments.models import (
    AssignmentKind,
    AssignmentSchedule,
    DraftFile,
    Extension,
    SubmissionVersion,
    VersionFile,
)
from lms.auth.models import User
from lms.db import utcnow
from lms.extensions import db
from tests.assignments.conftest import DAY, snapshot, upload
from tests.assignments.test_submit import send
from tests.route_matrix import wrong_gets, wrong_posts

ROLES = ("anonymous", "hamm1", "hamm2", "duisburg", "mediator", "outsider", "lecturer",
         "other_lecturer", "organiser")
STAFF = {"lecturer": 200, "other_lecturer": 200, "organiser": 200}
PARTICIPANTS = ("hamm1", "hamm2", "duisburg", "mediator", "outsider")


def expect(default: int, **answers: int) -> dict[str, int]:
    """``default`` for every signed-in role not named; anonymous visitors go to sign in."""
    return {"anonymous": 302, **{role: default for role in ROLES[1:]}, **answers}


@pytest.fixture
def ids(app, world, create_module, create_assignment, create_schedule, client_for):
    assignment = create_assignment(world.module)
    individual = create_schedule(assignment, world.cohort)
    team = create_schedule(create_assignment(world.module, "Akteurslandkarte",
                                             kind=AssignmentKind.TEAM), world.cohort)
    hidden = create_schedule(create_assignment(create_module("Entwurf", published=False)),
                             world.cohort)
    send(client_for(world["hamm1"]), individual, "submit", files=[upload()])
    hamm2 = client_for(world["hamm2"])
    send(hamm2, team, "submit", text="Teamfassung", files=[upload("team.pdf")])
    send(hamm2, team, files=[upload("entwurf.pdf")])
    with app.test_request_context():
        schedule = db.session.get(AssignmentSchedule, individual.id)
        extension = grant_extension(schedule, ExtensionRequest(
            f"user:{world['hamm1'].id}", utcnow() + 20 * DAY, None, "Krankheit"),
            actor=db.session.get(User, world["lecturer"].id))
        db.session.commit()
        versions = {v.submission.schedule_id: v for v in db.session.scalars(
            select(SubmissionVersion))}
        files = {f.version.submission.schedule_id: f.id for f in db.session.scalars(
            select(VersionFile))}
        return {
            "module": world.module.id, "assignment": assignment.id,
            "individual": individual.id, "team": team.id, "hidden": hidden.id,
            "version": versions[individual.id].id, "team_version": versions[team.id].id,
            "file": files[individual.id], "team_file": files[team.id],
            "draft_file": db.session.scalar(select(DraftFile.id)),
            "extension": extension.id,
        }


GETS = [
    ("/assignments/", expect(200)),
    ("/assignments/{assignment}", expect(302, outsider=404, **STAFF)),
    ("/assignments/{assignment}/edit", expect(403, **STAFF)),
    ("/assignments/modules/{module}/new", expect(403, **STAFF)),
    ("/assignments/schedules/{individual}", expect(200, outsider=404, lecturer=302,
                                                   other_lecturer=302, organiser=302)),
    ("/assignments/schedules/{team}", expect(200, outsider=404, mediator=404, lecturer=302,
                                             other_lecturer=302, organiser=302)),
    ("/assignments/schedules/{hidden}", expect(404, lecturer=302, other_lecturer=302,
                                               organiser=302)),
    ("/assignments/schedules/{individual}/manage", expect(403, lecturer=200, organiser=200)),
    ("/assignments/versions/{version}", expect(404, hamm1=200, lecturer=200, organiser=200,
                                               other_lecturer=403)),
    ("/assignments/versions/{team_version}", expect(404, hamm1=200, hamm2=200, lecturer=200,
                                                    organiser=200, other_lecturer=403)),
    ("/assignments/files/{file}", expect(404, hamm1=200, lecturer=200, organiser=200,
                                         other_lecturer=403)),
    ("/assignments/files/{team_file}", expect(404, hamm1=200, hamm2=200, lecturer=200,
                                              organiser=200, other_lecturer=403)),
    ("/assignments/draft-files/{draft_file}", expect(404, hamm1=200, hamm2=200)),
    ("/assignments/versions/999999", expect(404)),
    ("/assignments/files/999999", expect(404)),
    ("/assignments/schedules/999999", expect(404)),
]

POSTS = [
    ("/assignments/modules/{module}/new", {"title": "X"}, expect(403, lecturer=200,
                                                                 other_lecturer=200,
                                                                 organiser=200)),
    ("/assignments/{assignment}/edit", {"title": ""}, expect(403, lecturer=200,
                                                             other_lecturer=200,
                                                             organiser=200)),
    ("/assignments/{assignment}/schedules", {"cohort_id": "1"},
     expect(403, lecturer=422, other_lecturer=422, organiser=422)),
    ("/assignments/schedules/{individual}/copy", {"cohort_id": "999999"},
     expect(403, lecturer=422, other_lecturer=422, organiser=422)),
    ("/assignments/schedules/{individual}/dates", {"opens_at": ""},
     expect(403, lecturer=422, organiser=422)),
    ("/assignments/schedules/{individual}/extensions", {"owner": "user:999999"},
     expect(403, lecturer=422, organiser=422)),
    ("/assignments/extensions/{extension}/revoke", {}, expect(403, lecturer=302,
                                                              organiser=302)),
    ("/assignments/schedules/{team}", {"text": "fremd", "save": "1"},
     expect(400, outsider=404, mediator=404, duisburg=400, lecturer=403,
            other_lecturer=403, organiser=403)),
]


def _clients(app, world, client_for):
    clients = {role: client_for(world[role]) for role in ROLES[1:]}
    clients["anonymous"] = app.test_client()
    return clients


def test_every_get_route_for_every_role(app, world, ids, client_for):
    clients = _clients(app, world, client_for)
    assert wrong_gets(clients, GETS, ids, ROLES) == []


def test_every_post_route_for_every_role_changes_nothing_when_refused(app, world, ids,
                                                                     client_for):
    clients = _clients(app, world, client_for)
    assert wrong_posts(clients, POSTS, ids, ROLES, state=lambda: snapshot(app)) == []


def test_a_lecturer_not_teaching_the_cohort_gets_a_clear_page(app, world, ids, client_for):
    page = client_for(world["other_lecturer"]).get(
        f"/assignments/schedules/{ids['individual']}/manage",
        headers={"Accept-Language": "en"})
    assert page.status_code == 403
    assert "You are not allowed to open this page" in page.get_data(as_text=True)


def test_downloads_are_attachments_that_are_never_sniffed(app, world, ids, client_for):
    response = client_for(world["hamm1"]).get(f"/assignments/files/{ids['file']}")
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert response.data.startswith(b"%PDF-")


def test_the_work_page_names_nothing_of_other_municipalities(app, world, ids, client_for):
    page = client_for(world["duisburg"]).get(f"/assignments/schedules/{ids['team']}")
    assert "Teamfassung" not in page.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Extension.id)) == ids["extension"]


def test_forms_need_their_csrf_token(app, world, ids, client_for):
    client = client_for(world["hamm1"])
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        before = snapshot(app)
        response = client.post(f"/assignments/schedules/{ids['individual']}",
                               data={"text": "ohne Token", "save": "1", "token": "0" * 32})
        page = client.get(f"/assignments/schedules/{ids['individual']}").get_data(as_text=True)
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 400
    assert snapshot(app) == before
    assert re.search(r'name="csrf_token" type="hidden" value="[^"]+"', page)
