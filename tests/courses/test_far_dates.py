"""Far dates in the course plugin: every date form and domain function refuses them."""

from __future__ import annotations

from datetime import UTC, datetime

import icalendar
import pytest
from sqlalchemy import update

from courses import congresses, services
from courses.congress_models import AgendaItem, Congress
from courses.models import Course, Module
from courses.services import CourseDetails, ModuleContent, SessionDetails
from lms.errors import DomainError
from lms.extensions import db
from tests.courses.congress_factories import congress_details, make_congress, standard_items
from tests.far_dates import FAR_DAYS, GERMAN_MESSAGE, database_state, refused_everywhere

SPAN = {"starts_at": "datetime", "ends_at": "datetime"}
FAR_MOMENTS = [datetime(9999, 12, 31, 21, 0, tzinfo=UTC), datetime(1, 1, 1, 0, 0, tzinfo=UTC),
               datetime(1999, 12, 31, 12, 0, tzinfo=UTC), datetime(2101, 1, 1, 12, 0, tzinfo=UTC)]


def test_course_module_and_session_forms_refuse_far_dates(app, client_for, organiser, course,
                                                          module, create_session):
    session = create_session(module)
    client = client_for(organiser)
    course_data = {"title": "Lehrgang", "starts_at": "2017-05-01T00:00",
                   "ends_at": "2018-12-31T23:59", "description": "",
                   "certificate_requirements": ""}
    refused_everywhere(app, client, "/course/new", course_data, SPAN)
    refused_everywhere(app, client, f"/course/{course.id}/edit", course_data, SPAN)
    module_data = {"title": "Mediation", "summary": "", "objectives": "", "content": "",
                   "starts_at": "", "ends_at": ""}
    refused_everywhere(app, client, f"/course/{course.id}/modules/new", module_data, SPAN)
    with app.app_context():
        revision = str(db.session.get(Module, module.id).revision)
    refused_everywhere(app, client, f"/course/modules/{module.id}/edit",
                       {**module_data, "version": revision}, SPAN)
    session_data = {"title": "Tag 1", "cohort_id": "", "starts_at": "2017-06-01T10:00",
                    "ends_at": "2017-06-01T16:00", "location": "Dortmund", "online_url": "",
                    "notes": ""}
    refused_everywhere(app, client, f"/course/modules/{module.id}/sessions/new",
                       session_data, SPAN)
    refused_everywhere(app, client, f"/course/sessions/{session.id}/edit", session_data, SPAN)


def test_congress_forms_refuse_far_dates(app, client_for, organiser, course):
    congress_id = make_congress(app, course.id, items=standard_items())
    with app.app_context():
        item_id = db.session.get(Congress, congress_id).items[0].id
    client = client_for(organiser)
    congress_data = {"title": "Kongress", "subtitle": "", "starts_at": "2017-12-07T10:00",
                     "ends_at": "2017-12-07T17:00", "venue": "Halle", "address": "",
                     "description": "", "public": "y", "capacity": ""}
    refused_everywhere(app, client, "/congresses/new",
                       {**congress_data, "course_id": str(course.id)}, SPAN)
    refused_everywhere(app, client, f"/congresses/{congress_id}/edit", congress_data, SPAN)
    item_data = {"title": "Vortrag", "kind": "talk", "starts_at": "2017-12-07T14:00",
                 "ends_at": "2017-12-07T14:45", "room": "", "speakers": "", "description": ""}
    refused_everywhere(app, client, f"/congresses/{congress_id}/items/new", item_data, SPAN)
    refused_everywhere(app, client, f"/congresses/{congress_id}/items/{item_id}/edit",
                       item_data, SPAN)
    refused_everywhere(app, client, f"/congresses/{congress_id}/items/{item_id}/move",
                       {"starts_at": "2017-12-07T10:15"}, {"starts_at": "datetime"})


@pytest.mark.parametrize("moment", FAR_MOMENTS, ids=FAR_DAYS)
def test_course_domain_functions_refuse_far_dates(app, course, module, moment):
    congress_id = make_congress(app, course.id, items=standard_items())
    before = database_state(app)
    near = datetime(2017, 6, 1, 8, 0, tzinfo=UTC)
    with app.test_request_context(headers={"Accept-Language": "de"}):
        the_course = db.session.get(Course, course.id)
        the_module = db.session.get(Module, module.id)
        congress = db.session.get(Congress, congress_id)
        item: AgendaItem = congress.items[0]
        attempts = [
            lambda: services.create_course(CourseDetails("Lehrgang", moment, near), actor=None),
            lambda: services.update_course(the_course, CourseDetails("Lehrgang", near, moment),
                                           actor=None),
            lambda: services.create_module(the_course, ModuleContent("M", "", "", ""),
                                           actor=None, starts_at=moment),
            lambda: services.schedule_session(the_module, SessionDetails(moment, near)),
            lambda: congresses.create_congress(the_course, congress_details(
                starts_at=near, ends_at=moment), actor=None),
            lambda: congresses.move_item(item, moment),
        ]
        for attempt in attempts:
            with pytest.raises(DomainError) as refused:
                attempt()
            assert refused.value.message == GERMAN_MESSAGE
        db.session.rollback()
    assert database_state(app) == before


def test_a_far_agenda_item_in_the_database_leaves_the_congress_feed_up(app, client, course,
                                                                      caplog):
    congress_id = make_congress(app, course.id, items=standard_items())
    with app.app_context():
        far, *others = db.session.get(Congress, congress_id).items
        far_uid, other_uids = f"congress-item-{far.id}@lehrgang", {
            f"congress-item-{item.id}@lehrgang" for item in others}
        db.session.execute(update(AgendaItem).where(AgendaItem.id == far.id).values(
            starts_at=datetime(9999, 12, 31, 20, 0, tzinfo=UTC),
            ends_at=datetime(9999, 12, 31, 22, 0, tzinfo=UTC)))
        db.session.commit()
    response = client.get(f"/congresses/{congress_id}.ics")
    assert response.status_code == 200
    uids = {str(event["uid"]) for event in icalendar.Calendar.from_ical(response.data)
            .walk("VEVENT")}
    assert uids == other_uids
    assert far_uid in caplog.text
