"""Receipts, notifications and reminders link to the configured site, not to the host a
request named (issue 12, finding 1)."""

from __future__ import annotations

from sqlalchemy import select

from assignments.models import Notification
from lms.extensions import db
from lms.mail import OutboxMessage
from tests.assignments import grading_support
from tests.assignments.conftest import DAY
from tests.assignments.grading_support import post_grade
from tests.assignments.test_notifications import _remind
from tests.assignments.test_submit import send
from tests.conftest import ALIAS, SITE

graded, signed_in = grading_support.graded, grading_support.signed_in


def bodies_to(app, recipient: str) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(OutboxMessage.body)
                                       .where(OutboxMessage.recipient == recipient)
                                       .order_by(OutboxMessage.id)))


def test_receipts_link_to_the_site(app, client_for, world, create_assignment, create_schedule,
                                   other_host):
    schedule = create_schedule(create_assignment(world.module), world.cohort)
    assert send(client_for(world["hamm1"]), schedule, "submit").status_code == 302
    [receipt] = bodies_to(app, "hamm1@example.org")
    assert f"{SITE}/assignments/versions/" in receipt
    assert ALIAS not in receipt and "localhost" not in receipt


def test_notifications_link_to_the_site_and_in_the_app_by_path(app, world, graded, signed_in,
                                                              other_host):
    post_grade(signed_in(world["lecturer"]), graded.submissions["hamm2"], "return",
               confirmed="1", feedback="Bitte ergänzen")
    work = f"/assignments/schedules/{graded.points.id}"
    [mail] = [body for body in bodies_to(app, "hamm2@example.org") if work in body]
    assert f"{SITE}{work}" in mail and ALIAS not in mail
    with app.app_context():
        note = db.session.scalar(select(Notification).where(Notification.kind == "returned"))
        assert note.link == work


def test_reminders_link_to_the_site(app, world, create_assignment, create_schedule,
                                    other_host):
    schedule = create_schedule(create_assignment(world.module, "Reflexion"), world.cohort,
                               due=DAY, cut_off=3 * DAY)
    assert _remind(app) > 0
    [reminder] = bodies_to(app, "mediator@example.org")
    assert f"{SITE}/assignments/schedules/{schedule.id}" in reminder
    assert ALIAS not in reminder


def test_grades_exports_and_files_are_never_stored(app, world, graded, signed_in):
    """Finding 12: personal pages and every export answer ``private, no-store``."""
    lecturer, organiser = signed_in(world["lecturer"]), signed_in(world["organiser"])
    cohort = world.cohort.id
    answers = {
        "my grades": signed_in(world["hamm1"]).get("/assignments/my-grades"),
        "gradebook": lecturer.get(f"/assignments/cohorts/{cohort}/gradebook"),
        "gradebook CSV": lecturer.get(f"/assignments/cohorts/{cohort}/gradebook.csv"),
        "roster CSV": organiser.get(f"/cohorts/{cohort}/roster.csv"),
        "progress CSV": organiser.get(f"/assignments/steps/cohorts/{cohort}/board.csv"),
    }
    with app.app_context():
        from assignments.models import VersionFile

        file = db.session.scalars(select(VersionFile)).first()
    answers["handed-in file"] = lecturer.get(f"/assignments/files/{file.id}")
    for name, response in answers.items():
        assert response.status_code == 200, (name, response.status_code)
        assert response.headers["Cache-Control"] == "private, no-store", name
