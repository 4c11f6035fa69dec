"""Notifications: reminders of work due within 48 hours (idempotent, extensions applied,
through the CLI), the list page, marking read, the dashboard panel."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from assignments.extensions import ExtensionRequest, grant_extension
from assignments.models import AssignmentKind, AssignmentSchedule, Notification
from assignments.notifications import remind
from lms.auth.models import User
from lms.db import utcnow
from lms.extensions import db
from lms.mail import OutboxMessage
from tests.assignments import grading_support
from tests.assignments.conftest import DAY, count
from tests.assignments.grading_support import EN, post_grade
from tests.assignments.test_submit import send

#: fixtures shared with the other grading tests
graded, signed_in = grading_support.graded, grading_support.signed_in

HOUR = timedelta(hours=1)


def _remind(app, now=None) -> int:
    with app.test_request_context():
        sent = remind(now)
        db.session.commit()
    return sent


def _reminded(app) -> list[str]:
    with app.app_context():
        return sorted(db.session.scalars(
            select(User.email).join(Notification, Notification.user_id == User.id)
            .where(Notification.kind == "deadline_near")))


@pytest.fixture
def due_tomorrow(world, create_assignment, create_schedule):
    return create_schedule(create_assignment(world.module, "Reflexion"), world.cohort,
                           due=DAY, cut_off=3 * DAY)


def test_people_without_a_submission_are_reminded_once(app, world, due_tomorrow, signed_in):
    send(signed_in(world["hamm1"]), due_tomorrow, "submit")
    send(signed_in(world["hamm2"]), due_tomorrow, "save")  # a draft is not handed in
    assert _remind(app) == 3
    assert _reminded(app) == ["duisburg@example.org", "hamm2@example.org",
                              "mediator@example.org"]
    with app.app_context():
        mail = db.session.scalar(select(OutboxMessage).where(
            OutboxMessage.recipient == "duisburg@example.org",
            OutboxMessage.subject.contains("Reflexion")))
        assert mail is not None and f"/assignments/schedules/{due_tomorrow.id}" in mail.body
    mails = count(app, OutboxMessage)
    assert _remind(app) == 0 and _remind(app, utcnow() + HOUR) == 0
    assert count(app, OutboxMessage) == mails and len(_reminded(app)) == 3


def test_team_work_reminds_the_teams_that_have_not_handed_in(app, world, create_assignment,
                                                             create_schedule, signed_in):
    team = create_schedule(create_assignment(world.module, "Karte", kind=AssignmentKind.TEAM),
                           world.cohort, due=20 * HOUR, cut_off=2 * DAY)
    send(signed_in(world["hamm2"]), team, "submit")
    assert _remind(app) == 1
    assert _reminded(app) == ["duisburg@example.org"]  # not Hamm, not the mediator


def test_only_due_dates_within_48_hours_count_with_extensions_applied(
        app, world, due_tomorrow, create_assignment, create_schedule):
    create_schedule(create_assignment(world.module, "Später"), world.cohort, due=3 * DAY)
    create_schedule(create_assignment(world.module, "Vorbei"), world.cohort, opens=-9 * DAY,
                    due=-HOUR, cut_off=2 * DAY)
    with app.test_request_context():
        grant_extension(db.session.get(AssignmentSchedule, due_tomorrow.id), ExtensionRequest(
            f"municipality:{world.duisburg.id}", utcnow() + 5 * DAY, None, "Ratssitzung"),
            actor=db.session.get(User, world["lecturer"].id))
        db.session.commit()
    assert _reminded(app) == [] and _remind(app) == 3
    assert _reminded(app) == ["hamm1@example.org", "hamm2@example.org",
                              "mediator@example.org"]
    # four days on, Duisburg's extended due date is near: a reminder for it, once
    assert _remind(app, utcnow() + 4 * DAY) == 1
    assert _remind(app, utcnow() + 4 * DAY + HOUR) == 0
    assert _reminded(app).count("duisburg@example.org") == 1


def test_unpublished_modules_send_no_reminders(app, world, create_module, create_assignment,
                                               create_schedule):
    hidden = create_module("Entwurf", published=False)
    create_schedule(create_assignment(hidden), world.cohort, due=DAY)
    assert _remind(app) == 0


def test_the_cron_command_reminds_and_can_run_again(app, world, due_tomorrow):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["lms", "assignments", "remind"])
    assert first.exit_code == 0, first.output
    assert "4 reminder(s) sent." in first.output
    second = runner.invoke(args=["lms", "assignments", "remind"])
    assert "0 reminder(s) sent." in second.output
    assert count(app, Notification) == 4


def test_the_list_shows_marks_read_and_opens_the_link(app, world, due_tomorrow, signed_in):
    _remind(app)
    client = signed_in(world["hamm1"])
    html = client.get("/assignments/notifications", headers=EN).get_data(as_text=True)
    assert "“Reflexion” is due on" in html and "1 unread" in html
    dashboard = client.get("/", headers=EN).get_data(as_text=True)
    assert "Notifications" in dashboard and "1 unread" in dashboard
    with app.app_context():
        mine = db.session.scalar(select(Notification).where(
            Notification.user_id == world["hamm1"].id))
    response = client.post(f"/assignments/notifications/{mine.id}/open")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/assignments/schedules/{due_tomorrow.id}")
    html = client.get("/assignments/notifications", headers=EN).get_data(as_text=True)
    assert "0 unread" in html
    with app.app_context():
        others = db.session.scalars(select(Notification.read_at).where(
            Notification.user_id != world["hamm1"].id)).all()
        assert others and all(read_at is None for read_at in others)


def test_mark_all_read_touches_only_ones_own(app, world, due_tomorrow, signed_in):
    _remind(app)
    response = signed_in(world["hamm2"]).post("/assignments/notifications/read")
    assert response.status_code == 302
    with app.app_context():
        read = dict(db.session.execute(select(Notification.user_id, Notification.read_at)).all())
    assert read[world["hamm2"].id] is not None
    assert read[world["hamm1"].id] is None and read[world["duisburg"].id] is None


def test_no_unread_no_panel_but_the_navigation_leads_to_grades(app, world, signed_in):
    dashboard = signed_in(world["duisburg"]).get("/", headers=EN).get_data(as_text=True)
    assert "Notifications" not in dashboard
    assert 'href="/assignments/my-grades"' in dashboard and "Gradebooks" not in dashboard
    dashboard = signed_in(world["lecturer"]).get("/", headers=EN).get_data(as_text=True)
    assert "Notifications" not in dashboard
    assert 'href="/assignments/gradebooks"' in dashboard and "My grades" not in dashboard


def test_the_gradebooks_page_lists_the_cohorts_one_teaches(app, world, signed_in):
    html = signed_in(world["lecturer"]).get("/assignments/gradebooks",
                                            headers=EN).get_data(as_text=True)
    assert "Studiengruppe 2017" in html and "Studiengruppe 2018" not in html
    html = signed_in(world["organiser"]).get("/assignments/gradebooks",
                                             headers=EN).get_data(as_text=True)
    assert "Studiengruppe 2017" in html and "Studiengruppe 2018" in html


def test_staff_see_waiting_work_and_the_gradebook_on_their_dashboard(app, world, graded,
                                                                    signed_in):
    html = signed_in(world["lecturer"]).get("/", headers=EN).get_data(as_text=True)
    assert "Grading" in html and "3 waiting" in html and "Studiengruppe 2017" in html
    assert f"/assignments/schedules/{graded.points.id}/grading?status=ungraded" in html
    other = signed_in(world["other_lecturer"]).get("/", headers=EN).get_data(as_text=True)
    assert "3 waiting" not in other and "No work is waiting for a grade." in other


def test_feedback_and_returns_are_notified_in_the_owners_language(app, world, graded,
                                                                 signed_in):
    lecturer = signed_in(world["lecturer"])
    post_grade(lecturer, graded.submissions["hamm2"], "return", confirmed="1",
               feedback="Bitte ergänzen")
    with app.app_context():
        note = db.session.scalar(select(Notification).where(Notification.kind == "returned"))
        # to the work page: feedback, the revision's date and the form to hand in again
        assert note.user_id == world["hamm2"].id \
            and note.link == f"/assignments/schedules/{graded.points.id}"
    html = signed_in(world["hamm2"]).get("/assignments/notifications",
                                         headers=EN).get_data(as_text=True)
    assert "“Konfliktfall” has been returned to you for revision." in html
