"""Far dates in the cohort plugin: its date form and domain function refuse them."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import icalendar
import pytest
from sqlalchemy import update

from cohorts import services
from cohorts.models import Cohort
from cohorts.services import CohortDetails
from lms.auth.models import User
from lms.calendar.tokens import feed_token
from lms.errors import DomainError
from lms.extensions import db
from tests.cohorts.test_cohorts import cohort_form
from tests.far_dates import FAR_DAYS, GERMAN_MESSAGE, database_state, refused_everywhere

DATED = ("application_opens_on", "application_closes_on", "starts_on", "ends_on")


def test_cohort_forms_refuse_far_dates(app, client_for, organiser, course, cohort):
    client = client_for(organiser)
    fields = dict.fromkeys(DATED, "date")
    refused_everywhere(app, client, "/cohorts/new", cohort_form(course.id), fields)
    refused_everywhere(app, client, f"/cohorts/{cohort.id}/edit", cohort_form(course.id),
                       fields)


@pytest.mark.parametrize("day", [date.fromisoformat(day) for day in FAR_DAYS], ids=FAR_DAYS)
def test_cohort_domain_functions_refuse_far_dates(app, course, cohort, day):
    before = database_state(app)
    details = CohortDetails(course_id=course.id, name="Studiengruppe", capacity=6,
                            procedure=cohort.procedure,
                            application_opens_on=date(2017, 1, 16),
                            application_closes_on=date(2017, 3, 31),
                            starts_on=date(2017, 5, 1), ends_on=date(2018, 12, 31))
    with app.test_request_context(headers={"Accept-Language": "de"}):
        for name in DATED:
            far = replace(details, **{name: day})
            with pytest.raises(DomainError) as created:
                services.create_cohort(far, actor=None)
            with pytest.raises(DomainError) as updated:
                services.update_cohort(db.session.get(Cohort, cohort.id), far, actor=None)
            for refused in (created, updated):
                assert (refused.value.field, refused.value.message) == (name, GERMAN_MESSAGE)
        db.session.rollback()
    assert database_state(app) == before


def test_a_far_cohort_end_in_the_database_costs_only_that_cohorts_events(
        app, client_for, organiser, create_cohort, caplog):
    near, far = create_cohort("Studiengruppe 2017"), create_cohort("Studiengruppe 2018")
    with app.app_context():
        db.session.execute(update(Cohort).where(Cohort.id == far.id).values(
            ends_on=date(9999, 12, 31)))
        db.session.commit()
    client = client_for(organiser)
    with app.test_request_context():
        token = feed_token(db.session.get(User, organiser.id))
    assert client.get("/calendar/").status_code == 200
    response = client.get(f"/calendar/feed/{token}.ics")
    assert response.status_code == 200
    uids = {str(event["uid"]) for event in icalendar.Calendar.from_ical(response.data)
            .walk("VEVENT")}
    assert uids == {f"cohort-{near.id}-{part}@lehrgang" for part in ("deadline", "start", "end")}
    assert f"<Cohort {far.id} 'Studiengruppe 2018'>" in caplog.text
    public = client.get("/calendar/public.ics")  # deadlines only: the far end is not needed
    assert {str(event["uid"]) for event in icalendar.Calendar.from_ical(public.data)
            .walk("VEVENT")} == {f"cohort-{cohort.id}-deadline@lehrgang"
                                 for cohort in (near, far)}
