"""Due dates in the calendars, the module page's progress, the dashboard's "due soon"."""

from __future__ import annotations

from sqlalchemy import select

from assignments import work
from assignments.extensions import ExtensionRequest, grant_extension
from assignments.models import AssignmentSchedule
from lms.auth.models import User
from lms.calendar.events import collect
from lms.db import utcnow
from lms.extensions import db
from tests.assignments.conftest import DAY
from tests.assignments.test_submit import send

EN = {"Accept-Language": "en"}


def deadlines_for(app, user: User | None, **query) -> dict[str, object]:
    """uid -> due time of the deadline events ``user`` sees."""
    with app.test_request_context():
        viewer = db.session.get(User, user.id) if user else None
        return {event.uid: event.start for event in collect(viewer, **query)
                if event.uid.startswith("assignment-schedule-")}


def _extend(app, world, schedule, owner: str, days: int = 5):
    with app.test_request_context():
        target = db.session.get(AssignmentSchedule, schedule.id)
        grant_extension(target, ExtensionRequest(owner, target.due_at + days * DAY, None,
                                                 "Krankheit"),
                        actor=db.session.get(User, world["lecturer"].id))
        db.session.commit()
        return target.due_at


def test_due_dates_per_cohort_and_with_the_person_s_extension(app, world, create_assignment,
                                                              create_schedule, create_module):
    schedule = create_schedule(create_assignment(world.module), world.cohort)
    create_schedule(create_assignment(create_module("Entwurf", published=False)), world.cohort)
    uid = f"assignment-schedule-{schedule.id}@lehrgang"
    due = _extend(app, world, schedule, f"user:{world['hamm1'].id}")

    assert deadlines_for(app, world["hamm1"]) == {uid: due + 5 * DAY}  # personal: extended
    assert deadlines_for(app, world["hamm1"], cohort_ids={world.cohort.id}) == {uid: due}
    assert deadlines_for(app, world["hamm2"]) == {uid: due}
    assert deadlines_for(app, world["outsider"]) == {}
    assert deadlines_for(app, None) == {}
    staff = deadlines_for(app, world["lecturer"])
    assert staff[uid] == due and len(staff) == 2  # staff see drafts' dates too
    assert deadlines_for(app, world["hamm1"], kinds={"session"}) == {}
    assert deadlines_for(app, world["hamm1"], start=due + 10 * DAY) == {}


def test_a_municipality_s_extension_shows_in_its_team_s_calendars(app, world,
                                                                   create_assignment,
                                                                   create_schedule):
    from assignments.models import AssignmentKind

    schedule = create_schedule(create_assignment(world.module, kind=AssignmentKind.TEAM),
                               world.cohort)
    due = _extend(app, world, schedule, f"municipality:{world.hamm.id}", days=3)
    uid = f"assignment-schedule-{schedule.id}@lehrgang"
    assert deadlines_for(app, world["hamm2"]) == {uid: due + 3 * DAY}
    assert deadlines_for(app, world["duisburg"]) == {uid: due}


def test_the_personal_feed_carries_the_deadline(app, world, create_assignment, create_schedule,
                                                client_for):
    from lms.calendar.tokens import feed_token

    create_schedule(create_assignment(world.module), world.cohort)
    with app.test_request_context():
        token = feed_token(db.session.get(User, world["hamm1"].id))
        db.session.commit()
    feed = app.test_client().get(f"/calendar/feed/{token}.ics")
    assert feed.status_code == 200
    assert b"Konfliktfall beschreiben" in feed.data


def test_the_module_page_shows_the_participant_s_state(app, world, create_assignment,
                                                       create_schedule, client_for):
    schedule = create_schedule(create_assignment(world.module), world.cohort)
    client = client_for(world["hamm1"])
    page = client.get(f"/course/modules/{world.module.id}", headers=EN).get_data(as_text=True)
    assert "Konfliktfall beschreiben" in page and "not started" in page
    send(client, schedule, "submit")
    page = client.get(f"/course/modules/{world.module.id}", headers=EN).get_data(as_text=True)
    assert "submitted" in page
    staff = client_for(world["lecturer"]).get(f"/course/modules/{world.module.id}", headers=EN)
    assert "Your progress" not in staff.get_data(as_text=True)


def due_soon(client) -> str:
    """The dashboard's "Due soon" panel (other panels name work too: the progress)."""
    page = client.get("/", headers=EN).get_data(as_text=True)
    assert "Due soon" in page
    return page.split(">Due soon<", 1)[1].split("</section>", 1)[0]


def test_the_dashboard_lists_work_due_soon_until_it_is_handed_in(app, world, create_assignment,
                                                                 create_schedule, client_for):
    schedule = create_schedule(create_assignment(world.module), world.cohort)
    create_schedule(create_assignment(world.module, "Später"), world.cohort, opens=-DAY,
                    due=40 * DAY, cut_off=None)
    client = client_for(world["hamm1"])
    assert "Konfliktfall beschreiben" in due_soon(client) and "Später" not in due_soon(client)
    send(client, schedule, "submit")
    assert "Konfliktfall beschreiben" not in due_soon(client)
    with app.app_context():
        assert db.session.scalar(select(AssignmentSchedule.id).where(
            AssignmentSchedule.id == schedule.id))


def test_the_participant_list_shows_effective_dates_and_states(app, world, create_assignment,
                                                               create_schedule, client_for):
    schedule = create_schedule(create_assignment(world.module), world.cohort)
    _extend(app, world, schedule, f"user:{world['hamm1'].id}")
    page = client_for(world["hamm1"]).get("/assignments/", headers=EN).get_data(as_text=True)
    assert "Konfliktfall beschreiben" in page and "(extended)" in page
    other = client_for(world["hamm2"]).get("/assignments/", headers=EN).get_data(as_text=True)
    assert "(extended)" not in other
    staff = client_for(world["lecturer"]).get("/assignments/", headers=EN).get_data(as_text=True)
    assert "Studiengruppe 2017" in staff and "New assignment" in staff


def test_past_due_work_already_handed_in_is_not_called_overdue(app, world, create_assignment,
                                                              create_schedule, client_for):
    schedule = create_schedule(create_assignment(world.module), world.cohort)
    send(client_for(world["hamm1"]), schedule, "submit")
    with app.app_context():  # the due date passes; the cut-off lies ahead
        db.session.get(AssignmentSchedule, schedule.id).due_at = utcnow() - DAY
        db.session.commit()
    handed_in = client_for(world["hamm1"]).get("/assignments/", headers=EN).get_data(as_text=True)
    assert "overdue" not in handed_in and "new versions accepted until" in handed_in
    waiting = client_for(world["hamm2"]).get("/assignments/", headers=EN).get_data(as_text=True)
    assert "overdue: accepted as late until" in waiting


def test_the_staff_list_names_the_newest_cohorts_of_each_assignment_and_counts_the_rest(
        app, world, create_assignment, create_schedule, client_for, monkeypatch):
    assignment = create_assignment(world.module)
    create_schedule(assignment, world.cohort)
    create_schedule(assignment, world.other_cohort)
    monkeypatch.setattr(work, "LISTED_COHORTS", 1)
    staff = client_for(world["organiser"]).get("/assignments/", headers=EN).get_data(as_text=True)
    assert "Studiengruppe 2018" in staff and "Studiengruppe 2017" not in staff
    assert "and 1 more cohort" in staff
