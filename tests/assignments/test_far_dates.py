"""Far dates: refused by every date form and domain function of the assignments plugin,
and, where old rows hold one, not a 500 for any calendar, feed or step page."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from assignments.authoring import ScheduleDates, reschedule
from assignments.extensions import ExtensionRequest, grant_extension
from assignments.models import AssignmentSchedule
from assignments.steps.committees import PresentationDetails, record_presentation
from assignments.steps.measures import MeasureDetails, add_update, create_measure
from assignments.steps.models import MeasureState, Presentation, StepKind
from cohorts.models import Cohort
from lms.auth.models import User
from lms.calendar.tokens import feed_token
from lms.dates import berlin_today
from lms.errors import DomainError
from lms.extensions import db
from tests.assignments.steps import factories as steps_factories
from tests.assignments.steps.factories import (
    accept_recommendations,
    add_measure,
    decision,
    schedule_of,
)
from tests.calendar.conftest import parse_feed
from tests.far_dates import FAR_DAYS, GERMAN_MESSAGE, database_state, refused_everywhere

steps_world = steps_factories.steps_world

FAR_MOMENTS = [datetime(9999, 12, 31, 21, 0, tzinfo=UTC), datetime(1, 1, 1, 0, 0, tzinfo=UTC),
               datetime(1999, 12, 31, 12, 0, tzinfo=UTC), datetime(2101, 1, 1, 12, 0, tzinfo=UTC)]


@pytest.fixture
def decided(app, steps_world):
    """Hamm's accepted recommendations, a committee decision and one measure."""
    accept_recommendations(app, steps_world)
    presentation_id = decision(app, steps_world)
    return presentation_id, add_measure(app, steps_world, presentation_id)


def test_schedule_forms_refuse_far_dates(app, steps_world, client_for):
    client = client_for(steps_world["organiser"])
    with app.app_context():
        schedule = schedule_of(steps_world, StepKind.ANALYSIS)
        schedule_id, assignment_id = schedule.id, schedule.assignment_id
    dates = {"opens_at": "2017-06-01T09:00", "due_at": "2017-06-30T23:59",
             "cut_off_at": "2017-07-07T23:59"}
    fields = dict.fromkeys(dates, "datetime")
    refused_everywhere(app, client, f"/assignments/{assignment_id}/schedules",
                        {**dates, "cohort_id": str(steps_world.other_cohort.id)}, fields)
    refused_everywhere(app, client, f"/assignments/schedules/{schedule_id}/dates", dates,
                        fields)
    refused_everywhere(app, client, f"/assignments/schedules/{schedule_id}/extensions",
                        {"owner": f"municipality:{steps_world.hamm.id}",
                         "due_at": "2099-06-30T23:59", "cut_off_at": "", "reason": "Krank"},
                        {"due_at": "datetime", "cut_off_at": "datetime"})


def test_step_forms_refuse_far_dates(app, steps_world, decided, client_for):
    presentation_id, measure_id = decided
    client = client_for(steps_world["hamm1"])
    base = (f"/assignments/steps/cohorts/{steps_world.cohort.id}/municipalities/"
            f"{steps_world.hamm.id}")
    meeting = {"committee": "Rat", "meeting_at": "2030-01-01T10:00", "reference": "",
               "outcome": "", "notes": "", "url": ""}
    for url in (f"{base}/presentations/new",
                f"/assignments/steps/presentations/{presentation_id}/edit"):
        refused_everywhere(app, client, url, meeting, {"meeting_at": "datetime"},
                            content_type="multipart/form-data")
    measure = {"presentation_id": str(presentation_id), "title": "Lotsen",
               "description": "", "responsible_unit": "", "due_on": ""}
    for url in (f"{base}/measures/new", f"/assignments/steps/measures/{measure_id}/edit"):
        refused_everywhere(app, client, url, measure, {"due_on": "date"})
    refused_everywhere(app, client, f"/assignments/steps/measures/{measure_id}/updates",
                        {"state": "in_progress", "noted_on": "", "note": "Start"},
                        {"noted_on": "date"})


@pytest.mark.parametrize("moment", FAR_MOMENTS, ids=FAR_DAYS)
def test_domain_functions_refuse_far_dates(app, steps_world, decided, moment):
    presentation_id, measure_id = decided
    before = database_state(app)
    with app.test_request_context(headers={"Accept-Language": "de"}):
        actor = db.session.get(User, steps_world["organiser"].id)
        cohort = db.session.get(Cohort, steps_world.cohort.id)
        schedule = schedule_of(steps_world, StepKind.ANALYSIS)
        from assignments.steps.models import Measure
        measure = db.session.get(Measure, measure_id)
        attempts = {
            "meeting_at": lambda: record_presentation(
                cohort, steps_world.hamm.id, PresentationDetails("Rat", moment), actor=actor),
            "due_on": lambda: create_measure(cohort.id, steps_world.hamm.id, MeasureDetails(
                "Lotsen", presentation_id, due_on=moment.date()), actor=actor),
            "noted_on": lambda: add_update(measure, MeasureState.IN_PROGRESS, "", moment.date(),
                                           actor=actor, today=datetime.max.date()),
            "opens_at": lambda: reschedule(schedule, ScheduleDates(
                moment, schedule.due_at, schedule.cut_off_at), actor=actor),
            "due_at": lambda: grant_extension(schedule, ExtensionRequest(
                f"municipality:{steps_world.hamm.id}", moment, None, "Krank"), actor=actor),
        }
        for field, attempt in attempts.items():
            if field == "due_at" and moment < schedule.due_at:
                continue  # an extension before the due date is refused for that already
            with pytest.raises(DomainError) as refused:
                attempt()
            assert (refused.value.field, refused.value.message) == (field, GERMAN_MESSAGE)
        db.session.rollback()
    assert database_state(app) == before


@pytest.fixture
def far_meeting(app, steps_world):
    """A planned meeting next month, and one that old data put on 31.12.9999."""
    near = decision(app, steps_world, outcome=None, days_ago=-30)
    far = decision(app, steps_world, steps_world.duisburg, outcome=None, days_ago=-31)
    with app.app_context():
        db.session.execute(update(Presentation).where(Presentation.id == far).values(
            meeting_at=datetime(9999, 12, 31, 22, 30, tzinfo=UTC)))
        db.session.commit()
    return f"step-presentation-{near}@lehrgang", f"step-presentation-{far}@lehrgang"


@pytest.mark.parametrize("person", ["organiser", "lecturer", "hamm1", "duisburg"])
def test_a_far_meeting_in_the_database_takes_no_calendar_down(app, steps_world, far_meeting,
                                                              client_for, person):
    near, far = far_meeting
    client = client_for(steps_world[person])
    with app.test_request_context():
        token = feed_token(db.session.get(User, steps_world[person].id))
    month = (berlin_today() + timedelta(days=30)).strftime("%Y-%m")
    for view in ("month", "list"):
        response = client.get(f"/calendar/?view={view}&month={month}")
        assert response.status_code == 200, view
    feeds = [f"/calendar/feed/{token}.ics", f"/calendar/cohorts/{steps_world.cohort.id}.ics"]
    if person == "organiser":
        feeds.append("/calendar/export.ics")
    for path in feeds:
        response = client.get(path)
        assert response.status_code == 200, path
        events = parse_feed(response.data).by_icalendar
        assert far not in events, path
        if person != "duisburg":  # Hamm's meeting is not Duisburg's to see
            assert near in events, path


def test_a_far_meeting_in_the_database_leaves_the_step_pages_up(app, steps_world,
                                                                 far_meeting, client_for):
    client = client_for(steps_world["organiser"])
    base = f"/assignments/steps/cohorts/{steps_world.cohort.id}"
    for path in (base, f"{base}/municipalities/{steps_world.duisburg.id}",
                 f"{base}/municipalities/{steps_world.duisburg.id}/timeline",
                 f"{base}/board.csv"):
        assert client.get(path).status_code == 200, path
    with app.app_context():
        far_id = int(far_meeting[1].split("-")[2].split("@")[0])
    edit = client_for(steps_world["duisburg"]).get(
        f"/assignments/steps/presentations/{far_id}/edit")
    assert edit.status_code == 200  # the date is shown empty, to be typed anew


def test_copying_a_schedule_that_would_leave_the_window_is_refused(app, steps_world):
    with app.test_request_context(headers={"Accept-Language": "de"}):
        schedule = db.session.get(AssignmentSchedule,
                                  schedule_of(steps_world, StepKind.ANALYSIS).id)
        target = db.session.get(Cohort, steps_world.other_cohort.id)
        target.starts_on = schedule.cohort.starts_on.replace(year=2100)
        target.ends_on = target.starts_on + timedelta(days=300)
        from assignments.authoring import copy_to_cohort
        with pytest.raises(DomainError) as refused:
            copy_to_cohort(schedule, target, actor=db.session.get(User,
                                                                  steps_world["organiser"].id))
        assert refused.value.message == GERMAN_MESSAGE
        db.session.rollback()
