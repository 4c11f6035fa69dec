"""Staff write assignments, schedule them per cohort, copy them, grant extensions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from assignments.models import (
    Assignment,
    AssignmentKind,
    AssignmentSchedule,
    Extension,
    GradingScheme,
)
from cohorts.models import Cohort
from lms.audit import AuditEntry
from lms.extensions import db
from tests.assignments.conftest import DAY, count, snapshot

EN = {"Accept-Language": "en"}
FIELDS = {"title": "Akteurslandkarte", "instructions": "Zeichnen Sie **alle** Akteure.",
          "kind": "team", "grading": "points", "max_points": "20",
          "counts_for_certificate": "y", "text": "optional",
          "allowed_extensions": "PDF, .docx", "max_files": "2", "max_file_mb": "5"}


def dates(opens: str = "2017-06-01T09:00", due: str = "2017-06-30T23:59",
          cut_off: str = "2017-07-07T23:59", **more: str) -> dict[str, str]:
    return {"opens_at": opens, "due_at": due, "cut_off_at": cut_off, **more}


def test_a_lecturer_creates_an_assignment(app, client_for, world):
    client = client_for(world["lecturer"])
    assert client.get(f"/assignments/modules/{world.module.id}/new").status_code == 200
    response = client.post(f"/assignments/modules/{world.module.id}/new", data=FIELDS)
    assert response.status_code == 302
    with app.app_context():
        assignment = db.session.scalars(select(Assignment)).one()
        assert (assignment.kind, assignment.grading, assignment.max_points) == (
            AssignmentKind.TEAM, GradingScheme.POINTS, 20)
        assert assignment.allowed_extensions == "pdf,docx"
        assert db.session.scalar(select(AuditEntry.object_id).where(
            AuditEntry.action == "assignment.created")) == assignment.id


@pytest.mark.parametrize(("change", "message"), [
    ({"max_points": ""}, "maximum number of points"),
    ({"allowed_extensions": "pdf, exe"}, "These file types cannot be allowed: exe"),
    ({"allowed_extensions": "", "max_files": "2"}, "name the file types"),
    ({"text": "none", "max_files": "0"}, "at least one file must be allowed"),
    ({"max_file_mb": "500"}, "at most 20 MB"),
    ({"title": "   "}, ""),
])
def test_bad_assignments_are_refused_with_a_message(app, client_for, world, change, message):
    response = client_for(world["lecturer"]).post(
        f"/assignments/modules/{world.module.id}/new", data={**FIELDS, **change}, headers=EN)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert count(app, Assignment) == 0


def test_kind_and_scheme_stay_once_work_exists(app, client_for, world, create_assignment,
                                               create_schedule):
    from tests.assignments.test_submit import send

    assignment = create_assignment(world.module)
    schedule = create_schedule(assignment, world.cohort)
    send(client_for(world["hamm1"]), schedule, "submit")
    client = client_for(world["lecturer"])
    url = f"/assignments/{assignment.id}/edit"
    assert client.get(url).status_code == 200
    response = client.post(url, data={**FIELDS, "kind": "individual", "grading": "pass_fail"},
                           headers=EN)
    assert "can no longer change" in response.get_data(as_text=True)
    response = client.post(url, data={**FIELDS, "kind": "individual", "title": "Neu"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Assignment, assignment.id).title == "Neu"


def test_scheduling_per_cohort_with_checks(app, client_for, world, create_assignment):
    assignment = create_assignment(world.module)
    client = client_for(world["lecturer"])
    url = f"/assignments/{assignment.id}/schedules"
    before = snapshot(app)
    for bad, message in [
        (dates(due="2017-05-30T23:59"), "The due date must be after the date it opens"),
        (dates(cut_off="2017-06-29T23:59"), "The cut-off cannot be before the due date"),
        (dates(cohort_id=str(world.other_cohort.id)), "Please choose one of your cohorts"),
        (dates(cohort_id="999999"), "Please choose one of your cohorts"),
    ]:
        response = client.post(url, data={"cohort_id": str(world.cohort.id), **bad},
                               headers=EN)
        assert response.status_code == 422, bad
        assert message in response.get_data(as_text=True)
        assert snapshot(app) == before
    response = client.post(url, data={"cohort_id": str(world.cohort.id), **dates(cut_off="")})
    assert response.status_code == 302
    with app.app_context():
        schedule = db.session.scalars(select(AssignmentSchedule)).one()
        assert schedule.cut_off_at == schedule.due_at  # empty cut-off: the due date
        assert schedule.due_at.isoformat() == "2017-06-30T21:59:00+00:00"  # Berlin summer
    again = client.post(url, data={"cohort_id": str(world.cohort.id), **dates()}, headers=EN)
    assert "already has dates" in again.get_data(as_text=True)


def test_copy_to_another_cohort_moves_the_dates_with_its_start(app, client_for, world,
                                                              create_assignment,
                                                              create_schedule):
    schedule = create_schedule(create_assignment(world.module), world.cohort)
    refused = client_for(world["lecturer"]).post(
        f"/assignments/schedules/{schedule.id}/copy",
        data={"cohort_id": str(world.other_cohort.id)}, headers=EN)
    assert "Please choose one of your cohorts" in refused.get_data(as_text=True)
    response = client_for(world["organiser"]).post(
        f"/assignments/schedules/{schedule.id}/copy",
        data={"cohort_id": str(world.other_cohort.id)})
    assert response.status_code == 302
    with app.app_context():
        copy = db.session.scalar(select(AssignmentSchedule).where(
            AssignmentSchedule.cohort_id == world.other_cohort.id))
        shift = (db.session.get(Cohort, world.other_cohort.id).starts_on
                 - db.session.get(Cohort, world.cohort.id).starts_on).days
        original = db.session.get(AssignmentSchedule, schedule.id)
        assert copy.assignment_id == original.assignment_id
        assert copy.due_at - original.due_at == timedelta(days=shift)


def test_rescheduling_raises_the_calendar_sequence(app, client_for, world, create_assignment,
                                                   create_schedule):
    schedule = create_schedule(create_assignment(world.module), world.cohort)
    client = client_for(world["lecturer"])
    assert client.get(f"/assignments/schedules/{schedule.id}/manage").status_code == 200
    response = client.post(f"/assignments/schedules/{schedule.id}/dates", data=dates())
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(AssignmentSchedule, schedule.id).sequence == 1


def test_extensions_are_granted_with_a_reason_and_revoked(app, client_for, world,
                                                          create_assignment, create_schedule):
    schedule = create_schedule(create_assignment(world.module), world.cohort)
    client = client_for(world["lecturer"])
    url = f"/assignments/schedules/{schedule.id}/extensions"
    with app.app_context():
        due = db.session.get(AssignmentSchedule, schedule.id).due_at
    later = (due + 5 * DAY).strftime("%Y-%m-%dT%H:%M")
    earlier = (due - DAY).strftime("%Y-%m-%dT%H:%M")
    owner = f"user:{world['hamm1'].id}"
    before = snapshot(app)
    for bad, message in [
        ({"owner": owner, "due_at": later, "reason": ""}, "Please fill in this field"),
        ({"owner": owner, "due_at": earlier, "reason": "Krank"}, "must end after"),
        ({"owner": f"user:{world['outsider'].id}", "due_at": later, "reason": "Krank"},
         "Please choose a person or municipality of this cohort"),
        ({"owner": "user:abc", "due_at": later, "reason": "Krank"},
         "Please choose a person or municipality"),
    ]:
        response = client.post(url, data=bad, headers=EN)
        assert response.status_code == 422, bad
        assert message in response.get_data(as_text=True)
        assert snapshot(app) == before
    assert client.post(url, data={"owner": owner, "due_at": later,
                                  "reason": "Krankheit"}).status_code == 302
    assert client.post(url, data={"owner": f"municipality:{world.hamm.id}", "due_at": later,
                                  "reason": "Ratssitzung verschoben"}).status_code == 302
    with app.app_context():
        extension = db.session.scalars(select(Extension).order_by(Extension.id)).first()
        assert extension.reason == "Krankheit" and extension.granted_by_id == world["lecturer"].id
    assert client_for(world["other_lecturer"]).post(
        f"/assignments/extensions/{extension.id}/revoke").status_code == 403
    assert client.post(f"/assignments/extensions/{extension.id}/revoke").status_code == 302
    with app.app_context():
        assert db.session.get(Extension, extension.id).revoked_at is not None
        assert count(app, Extension) == 2  # revoked ones stay


def test_team_work_takes_extensions_for_municipalities_only(app, client_for, world,
                                                            create_assignment,
                                                            create_schedule):
    schedule = create_schedule(create_assignment(world.module, kind=AssignmentKind.TEAM),
                               world.cohort)
    page = client_for(world["lecturer"]).get(f"/assignments/schedules/{schedule.id}/manage")
    text = page.get_data(as_text=True)
    assert f"municipality:{world.hamm.id}" in text and f"user:{world['hamm1'].id}" not in text
