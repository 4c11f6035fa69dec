"""Every grading, gradebook and notification route against every role; forged ids; CSRF.

One world per test, the whole matrix walked through it, every mismatch collected.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from assignments.models import (
    GradeChange,
    Notification,
    Review,
    ReviewFile,
    Submission,
    VersionFile,
)
from lms.extensions import db
from tests.assignments import grading_support
from tests.assignments.conftest import snapshot, upload
from tests.assignments.grading_support import post_grade
from tests.assignments.test_submit import send
from tests.route_matrix import wrong_gets, wrong_posts

#: fixtures shared with the other grading tests
graded, signed_in = grading_support.graded, grading_support.signed_in

ROLES = ("anonymous", "hamm1", "hamm2", "duisburg", "mediator", "outsider", "lecturer",
         "other_lecturer", "organiser")
PARTICIPANTS = ("hamm1", "hamm2", "duisburg", "mediator", "outsider")


def expect(default: int, **answers: int) -> dict[str, int]:
    """``default`` for every signed-in role not named; anonymous visitors go to sign in."""
    return {"anonymous": 302, **{role: default for role in ROLES[1:]}, **answers}


def staff_only(lecturer: int = 200, other_lecturer: int = 403,
               organiser: int | None = None) -> dict[str, int]:
    return expect(403, lecturer=lecturer, other_lecturer=other_lecturer,
                  organiser=lecturer if organiser is None else organiser)


@pytest.fixture
def ids(app, world, graded, signed_in):
    lecturer = signed_in(world["lecturer"])
    post_grade(lecturer, graded.submissions["hamm1"], points="16", feedback="Gut",
               files=[upload("korrektur.pdf")])
    lecturer.post(f"/assignments/submissions/{graded.submissions['hamm1']}/release")
    send(signed_in(world["mediator"]), graded.points, "save", text="nur ein Entwurf")
    with app.app_context():
        notification = db.session.scalar(select(Notification.id).where(
            Notification.user_id == world["hamm1"].id))
        files = {f.filename: f.id for f in db.session.scalars(select(VersionFile))}
        draft_id = db.session.scalar(select(Submission.id).where(
            Submission.user_id == world["mediator"].id))
        return {
            "points": graded.points.id, "team": graded.team.id, "cohort": world.cohort.id,
            "other_cohort": world.other_cohort.id,
            "graded": graded.submissions["hamm1"], "waiting": graded.submissions["duisburg"],
            "team_submission": graded.submissions["hamm-team"], "draft": draft_id,
            "pdf": files["fall.pdf"], "txt": files["notiz.txt"],
            "review_file": db.session.scalar(select(ReviewFile.id)),
            "notification": notification,
        }


GETS = [
    ("/assignments/schedules/{points}/grading", staff_only()),
    ("/assignments/schedules/{points}/grading?status=late&municipality=999999", staff_only()),
    ("/assignments/schedules/999999/grading", staff_only(404, 404)),
    ("/assignments/submissions/{graded}/grade", staff_only()),
    ("/assignments/submissions/{team_submission}/grade", staff_only()),
    ("/assignments/submissions/{draft}/grade", staff_only(404, 404)),
    ("/assignments/submissions/999999/grade", staff_only(404, 404)),
    ("/assignments/files/{pdf}/inline", staff_only()),
    ("/assignments/files/{txt}/inline", staff_only()),
    ("/assignments/files/999999/inline", staff_only(404, 404)),
    ("/assignments/feedback-files/{review_file}", expect(404, hamm1=200, lecturer=200,
                                                         organiser=200)),
    ("/assignments/feedback-files/999999", expect(404)),
    ("/assignments/cohorts/{cohort}/gradebook", staff_only()),
    ("/assignments/cohorts/{other_cohort}/gradebook", staff_only(403, 200, 200)),
    ("/assignments/cohorts/999999/gradebook", staff_only(404, 404)),
    *[row for format in ("csv", "xlsx") for row in (
        (f"/assignments/cohorts/{{cohort}}/gradebook.{format}", staff_only()),
        (f"/assignments/cohorts/{{other_cohort}}/gradebook.{format}", staff_only(403, 200, 200)),
        (f"/assignments/cohorts/999999/gradebook.{format}", staff_only(404, 404)))],
    ("/assignments/gradebooks", staff_only(200, 200)),
    ("/assignments/my-grades", expect(200)),
    ("/assignments/notifications", expect(200)),
    ("/assignments/notifications?page=7", expect(200)),
]

POSTS = [
    ("/assignments/submissions/{waiting}/grade", {"action": "grade", "points": "3"},
     staff_only(422, 403)),
    ("/assignments/submissions/{draft}/grade", {"action": "grade"}, staff_only(404, 404)),
    ("/assignments/submissions/999999/grade", {"action": "grade"}, staff_only(404, 404)),
    ("/assignments/submissions/{waiting}/grade", {"action": "delete"}, staff_only(400, 403)),
    ("/assignments/submissions/{waiting}/grade", {"action": "return", "feedback": "Neu",
                                                  "confirmed": "1", "pending": "1"},
     staff_only(422, 403)),
    ("/assignments/submissions/{waiting}/start-review", {}, staff_only(302, 403)),
    ("/assignments/submissions/{draft}/start-review", {}, staff_only(404, 404)),
    ("/assignments/submissions/999999/start-review", {}, staff_only(404, 404)),
    ("/assignments/submissions/{team_submission}/release", {}, staff_only(302, 403)),
    ("/assignments/submissions/999999/release", {}, staff_only(404, 404)),
    ("/assignments/schedules/{points}/release", {}, staff_only(200, 403)),  # the confirmation
    ("/assignments/schedules/{points}/release", {"confirmed": "1"}, staff_only(302, 403)),
    ("/assignments/schedules/999999/release", {}, staff_only(404, 404)),
    ("/assignments/notifications/{notification}/open", {}, expect(404, hamm1=302)),
    ("/assignments/notifications/999999/open", {}, expect(404)),
    ("/assignments/notifications/read", {}, expect(302)),
]


def _state(app) -> tuple[object, ...]:
    with app.app_context():
        reviews = tuple(db.session.execute(select(
            Review.id, Review.points, Review.passed, Review.feedback, Review.released_at)
            .order_by(Review.id)).all())
        changes = db.session.scalars(select(GradeChange.id).order_by(GradeChange.id)).all()
        notes = tuple(db.session.execute(select(Notification.id, Notification.read_at)
                                         .order_by(Notification.id)).all())
    return snapshot(app), reviews, tuple(changes), notes


def _clients(app, world, signed_in):
    clients = {role: signed_in(world[role]) for role in ROLES[1:]}
    clients["anonymous"] = app.test_client()
    return clients


def test_every_get_route_for_every_role(app, world, ids, signed_in):
    clients = _clients(app, world, signed_in)
    assert wrong_gets(clients, GETS, ids, ROLES) == []


def test_every_post_route_for_every_role_changes_nothing_when_refused(app, world, ids,
                                                                     signed_in):
    clients = _clients(app, world, signed_in)
    assert wrong_posts(clients, POSTS, ids, ROLES, state=lambda: _state(app)) == []


def test_a_forged_version_id_in_the_form_is_refused(app, world, ids, signed_in):
    """The version id of another submission, sent in this one's form, saves nothing."""
    lecturer = signed_in(world["lecturer"])
    page = lecturer.get(f"/assignments/submissions/{ids['waiting']}/grade").get_data(
        as_text=True)
    stamp = re.search(r'name="stamp"[^>]*value="([0-9.]+)"', page).group(1)
    with app.app_context():
        other_version = db.session.get(Submission, ids["team_submission"]).latest_version.id
    before = _state(app)
    response = lecturer.post(f"/assignments/submissions/{ids['waiting']}/grade", data={
        "action": "grade", "points": "5", "stamp": stamp, "version_id": str(other_version)})
    assert response.status_code == 409
    assert _state(app) == before


def test_grading_forms_need_their_csrf_token(app, world, ids, signed_in, csrf_enabled):
    lecturer = signed_in(world["lecturer"])
    before = _state(app)
    for url, data in [
        (f"/assignments/submissions/{ids['waiting']}/grade", {"action": "grade",
                                                               "points": "5"}),
        (f"/assignments/submissions/{ids['graded']}/release", {}),
        (f"/assignments/schedules/{ids['points']}/release", {}),
    ]:
        assert lecturer.post(url, data=data).status_code == 400, url
    owner = signed_in(world["hamm1"])
    assert owner.post("/assignments/notifications/read").status_code == 400
    assert owner.post(f"/assignments/notifications/{ids['notification']}/open"
                      ).status_code == 400
    assert _state(app) == before
