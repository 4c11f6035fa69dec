"""The course itself: setting it up, its overview, and date rules that protect what exists."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from courses.models import Course, Module
from lms.extensions import db
from tests.courses.conftest import berlin

GERMAN = {"Accept-Language": "de"}


def course_form(**overrides: str) -> dict[str, str]:
    return {"title": "Integrationsmanagement und Systemdesign",
            "description": "Ein Lehrgang für **Kommunen**.",
            "certificate_requirements": "- 80 % Anwesenheit",
            "starts_at": "2017-05-01T00:00", "ends_at": "2018-12-31T23:59", **overrides}


def courses(app) -> list[tuple[str, object, object]]:
    with app.app_context():
        return [(c.title, c.starts_at, c.ends_at)
                for c in db.session.scalars(select(Course).order_by(Course.id))]


def test_lecturer_sets_up_the_course(app, client, login, lecturer):
    login(lecturer)
    response = client.post("/course/new", data=course_form())
    assert response.status_code == 302
    assert courses(app) == [("Integrationsmanagement und Systemdesign",
                             berlin("2017-05-01 00:00"), berlin("2018-12-31 23:59"))]
    page = client.get(response.location, headers=GERMAN).get_data(as_text=True)
    assert "<strong>Kommunen</strong>" in page and "<li>80 % Anwesenheit</li>" in page
    assert "01.05.2017" in page and "31.12.2018" in page


@pytest.mark.parametrize(("overrides", "field"), [
    ({"title": ""}, "title"),
    ({"title": "  "}, "title"),
    ({"ends_at": "2017-04-30T00:00"}, "ends_at"),
    ({"ends_at": ""}, "ends_at"),
    ({"starts_at": "31.12.2017"}, "starts_at"),
])
def test_bad_course_input_changes_nothing(app, client, login, organiser, overrides, field):
    login(organiser)
    response = client.post("/course/new", data=course_form(**overrides), headers=GERMAN)
    assert response.status_code == 200
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    assert courses(app) == []


def test_course_dates_cannot_leave_modules_outside(app, client, login, organiser, course,
                                                   module):
    with app.app_context():
        dated = db.session.get(Module, module.id)
        dated.starts_at, dated.ends_at = berlin("2017-05-18 10:00"), berlin("2017-05-19 16:00")
        db.session.commit()
    login(organiser)
    before = courses(app)
    response = client.post(f"/course/{course.id}/edit", headers=GERMAN,
                           data=course_form(starts_at="2017-06-01T00:00"))
    assert 'id="starts_at-error"' in response.get_data(as_text=True)
    response = client.post(f"/course/{course.id}/edit", headers=GERMAN,
                           data=course_form(ends_at="2017-05-19T12:00"))
    assert 'id="ends_at-error"' in response.get_data(as_text=True)
    assert courses(app) == before
    assert client.post(f"/course/{course.id}/edit", data=course_form(
        title="Neuer Titel", ends_at="2019-06-30T18:00")).status_code == 302
    assert courses(app)[0][0] == "Neuer Titel"


def test_sessions_do_not_bind_the_course_s_dates(app, client, login, organiser, course,
                                                 module, create_session):
    """Sessions of later runs lie after the first run's dates; the course's dates may stay."""
    create_session(module, "2017-05-18 10:00", "2017-05-19 16:00")
    login(organiser)
    assert client.post(f"/course/{course.id}/edit", data=course_form(
        starts_at="2017-06-01T00:00")).status_code == 302


def test_index_lists_several_courses(client, login, participant, create_course):
    create_course("Erster Durchgang")
    create_course("Zweiter Durchgang", "2019-01-01 00:00", "2019-12-31 00:00")
    login(participant)
    page = client.get("/course/").get_data(as_text=True)
    assert page.index("Erster Durchgang") < page.index("Zweiter Durchgang")


@pytest.mark.parametrize(("person", "link"), [("participant", False), ("lecturer", True)])
def test_index_without_course_says_what_to_do(request, client, login, person, link):
    login(request.getfixturevalue(person))
    page = client.get("/course/").get_data(as_text=True)
    assert 'class="panel empty-state"' in page
    assert ('href="/course/new"' in page) is link


def test_course_page_lists_next_sessions(app, client, login, participant, course, module,
                                         create_session):
    from datetime import timedelta

    from lms.db import utcnow

    with app.app_context():
        stored = db.session.get(Course, course.id)
        stored.ends_at = utcnow() + timedelta(days=400)
        db.session.commit()
    soon = (utcnow() + timedelta(days=3)).astimezone().strftime("%Y-%m-%d 10:00")
    later = (utcnow() + timedelta(days=3)).astimezone().strftime("%Y-%m-%d 16:00")
    create_session(module, soon, later, title="Bald")
    create_session(module, title="Längst vorbei")
    login(participant)
    page = client.get(f"/course/{course.id}").get_data(as_text=True)
    aside = page[page.index('id="upcoming-heading"'):]
    assert "Bald" in aside and "Längst vorbei" not in aside


def test_navigation_has_the_course_for_everyone_signed_in(client, login, participant):
    login(participant)
    assert 'href="/course/"' in client.get("/").get_data(as_text=True)
