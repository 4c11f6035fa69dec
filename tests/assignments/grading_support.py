"""Helpers for the grading, gradebook and notification tests: work handed in, forms sent."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import select

from assignments.models import (
    AssignmentKind,
    AssignmentSchedule,
    GradingScheme,
    Review,
    Submission,
)
from lms.extensions import db
from tests.assignments.conftest import upload
from tests.assignments.test_submit import send

EN = {"Accept-Language": "en"}
STAMP = re.compile(r'name="stamp"[^>]*value="([0-9.]+)"')
VERSION = re.compile(r'name="version_id"[^>]*value="(\d+)"')


@pytest.fixture
def signed_in(client_for):
    """One signed-in client per person for the whole test (sign-ins are rate limited)."""
    clients = {}

    def get(user):
        if user.email not in clients:
            clients[user.email] = client_for(user)
        return clients[user.email]

    return get


@dataclass
class Graded:
    """A cohort with handed-in work: ``points`` (individual, 20 points) from Hamm's two
    people and Duisburg's, late for Duisburg; ``team`` (pass/fail) from Hamm's team."""

    points: AssignmentSchedule
    team: AssignmentSchedule
    submissions: dict[str, int]


@pytest.fixture
def graded(app, world, create_assignment, create_schedule, signed_in) -> Graded:
    points = create_schedule(create_assignment(world.module, "Konfliktfall"), world.cohort)
    team = create_schedule(create_assignment(world.module, "Akteurslandkarte",
                                             kind=AssignmentKind.TEAM,
                                             grading=GradingScheme.PASS_FAIL, max_points=None),
                           world.cohort)
    send(signed_in(world["hamm1"]), points, "submit", text="Sabines Fall",
         files=[upload("fall.pdf"), upload("notiz.txt", b"Notizen zum Fall")])
    send(signed_in(world["hamm2"]), points, "submit", text="Tobias' Fall")
    send(signed_in(world["duisburg"]), points, "submit", text="Nadines Fall")
    send(signed_in(world["hamm2"]), team, "submit", text="Karte von Hamm")
    with app.app_context():
        late = db.session.scalar(select(Submission).where(
            Submission.user_id == world["duisburg"].id))
        late.versions[0].submitted_at = late.schedule.due_at + timedelta(hours=1)
        db.session.commit()
        found = {}
        for submission in db.session.scalars(select(Submission)):
            key = submission.user.email.split("@")[0] if submission.user else "hamm-team"
            found[key] = submission.id
    return Graded(points, team, found)


def grading_form(client, submission_id: int, query: str = "") -> dict[str, str]:
    """The hidden fields of the grading form as the page shows them."""
    page = client.get(f"/assignments/submissions/{submission_id}/grade{query}", headers=EN)
    assert page.status_code == 200, page.status_code
    html = page.get_data(as_text=True)
    return {"stamp": STAMP.search(html).group(1), "version_id": VERSION.search(html).group(1)}


def post_grade(client, submission_id: int, action: str | None = "grade", *, form=None,
               query="", **fields):
    """The grading form sent with the button ``action`` (None: another button of the form)."""
    data = {**(form or grading_form(client, submission_id, query)),
            **({"action": action} if action else {}), **fields}
    return client.post(f"/assignments/submissions/{submission_id}/grade{query}", data=data,
                       content_type="multipart/form-data", headers=EN)


def review_of(app, submission_id: int) -> Review | None:
    with app.app_context():
        submission = db.session.get(Submission, submission_id)
        review = submission.latest_version.review
        if review is not None:
            db.session.refresh(review)
            db.session.expunge(review)
        return review


def state_of(app, submission_id: int):
    with app.app_context():
        return db.session.get(Submission, submission_id).state
