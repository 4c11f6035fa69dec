"""Sessions (Präsenztermine): scheduling in Berlin time, the rules, cancelling, cohorts."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from courses.models import Session
from lms.audit import AuditEntry
from lms.auth.models import Role
from lms.extensions import db
from tests.courses.conftest import berlin

GERMAN = {"Accept-Language": "de"}


def session_form(**overrides: str) -> dict[str, str]:
    return {"title": "Präsenztag 1", "cohort_id": "", "starts_at": "2017-06-01T10:00",
            "ends_at": "2017-06-01T16:30",
            "location": "Akademie, Königswall 21, 44137 Dortmund", "online_url": "",
            "notes": "Bitte **pünktlich**.", **overrides}


def sessions(app) -> list[Session]:
    with app.app_context():
        found = list(db.session.scalars(select(Session).order_by(Session.id)))
        for session in found:
            db.session.expunge(session)
        return found


def test_schedule_a_session_in_berlin_time(app, client, login, organiser, module):
    login(organiser)
    response = client.post(f"/course/modules/{module.id}/sessions/new", data=session_form())
    assert response.status_code == 302
    [session] = sessions(app)
    assert session.starts_at == berlin("2017-06-01 10:00")
    assert session.starts_at.isoformat() == "2017-06-01T08:00:00+00:00"
    assert (session.cohort_id, session.sequence, session.cancelled) == (None, 0, False)
    page = client.get(f"/course/modules/{module.id}", headers=GERMAN).get_data(as_text=True)
    assert "10:00" in page and "16:30" in page and "Königswall 21" in page
    assert "<strong>pünktlich</strong>" in page


def test_online_session_needs_no_place(app, client, login, lecturer, module):
    login(lecturer)
    response = client.post(f"/course/modules/{module.id}/sessions/new", data=session_form(
        location="", online_url="https://konferenz.example.org/raum-1"))
    assert response.status_code == 302
    assert sessions(app)[0].online_url == "https://konferenz.example.org/raum-1"


@pytest.mark.parametrize(("overrides", "field"), [
    ({"ends_at": "2017-06-01T09:00"}, "ends_at"),
    ({"ends_at": "2017-06-01T10:00"}, "ends_at"),
    ({"starts_at": ""}, "starts_at"),
    ({"starts_at": "gestern"}, "starts_at"),
    ({"location": "", "online_url": ""}, "location"),
    ({"online_url": "javascript:alert(1)"}, "online_url"),
    ({"online_url": "ftp://example.org/x"}, "online_url"),
    ({"online_url": "https://"}, "online_url"),
    ({"cohort_id": "3"}, "cohort_id"),
])
def test_bad_session_input_changes_nothing(app, client, login, lecturer, module, overrides,
                                           field):
    login(lecturer)
    response = client.post(f"/course/modules/{module.id}/sessions/new",
                           data=session_form(**overrides), headers=GERMAN)
    assert response.status_code == 200
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    assert sessions(app) == []


@pytest.mark.parametrize(("starts_at", "ends_at"), [
    ("2017-04-30T10:00", "2017-04-30T16:00"),
    ("2027-03-01T10:00", "2027-03-01T16:00"),
])
def test_a_session_for_all_cohorts_is_not_bound_to_the_course_s_dates(
        app, client, login, lecturer, module, starts_at, ends_at):
    """The course is offered again and again; its first run's dates bound no session."""
    login(lecturer)
    response = client.post(f"/course/modules/{module.id}/sessions/new",
                           data=session_form(starts_at=starts_at, ends_at=ends_at))
    assert response.status_code == 302
    assert len(sessions(app)) == 1


@pytest.mark.parametrize(("starts_at", "ends_at", "field"), [
    ("2017-12-31T10:00", "2017-12-31T16:00", "starts_at"),
    ("2019-06-30T20:00", "2019-07-01T02:00", "ends_at"),
])
def test_a_cohort_s_session_lies_within_the_cohort_s_dates(
        app, client, login, lecturer, module, cohorts, starts_at, ends_at, field):
    login(lecturer)
    body = client.post(f"/course/modules/{module.id}/sessions/new", headers=GERMAN,
                       data=session_form(cohort_id="2", starts_at=starts_at, ends_at=ends_at)
                       ).get_data(as_text=True)
    assert f'id="{field}-error"' in body
    assert "Studiengruppe 2018" in body and "01.01.2018" in body and "30.06.2019" in body
    assert sessions(app) == []
    assert client.post(f"/course/modules/{module.id}/sessions/new", data=session_form(
        cohort_id="2", starts_at="2019-06-30T10:00", ends_at="2019-06-30T16:00")
    ).status_code == 302


def test_every_change_raises_the_sequence(app, client, login, lecturer, module, create_session):
    session = create_session(module)
    login(lecturer)
    edit = f"/course/sessions/{session.id}/edit"
    assert 'value="2017-05-18T10:00"' in client.get(edit).get_data(as_text=True)
    client.post(edit, data=session_form(title="Tag 1", starts_at="2017-05-18T10:00",
                                        ends_at="2017-05-19T16:00"))
    assert sessions(app)[0].sequence == 1
    client.post(edit, data=session_form(title="Tag 1", starts_at="2017-05-18T10:00",
                                        ends_at="2017-05-19T16:00"))
    assert sessions(app)[0].sequence == 1  # nothing changed
    client.post(f"/course/sessions/{session.id}/cancel", data={"cancelled": "1"})
    after = sessions(app)[0]
    assert (after.cancelled, after.sequence) == (True, 2)
    client.post(f"/course/sessions/{session.id}/cancel", data={"cancelled": "0"})
    assert (sessions(app)[0].cancelled, sessions(app)[0].sequence) == (False, 3)
    with app.app_context():
        actions = db.session.scalars(select(AuditEntry.action).where(
            AuditEntry.object_type == "course_sessions")).all()
    assert actions == ["session.cancelled", "session.reinstated"]


def test_cancelled_session_stays_listed_and_marked(client, login, participant, module,
                                                   create_session):
    create_session(module, cancelled=True, title="Ausgefallen")
    login(participant)
    page = client.get(f"/course/modules/{module.id}").get_data(as_text=True)
    assert "Ausgefallen" in page and "badge--cancelled" in page


def test_cancelling_a_session_asks_first_and_says_what_happens(app, client, login, lecturer,
                                                              module, create_session):
    session = create_session(module)
    login(lecturer)
    page = client.get(f"/course/modules/{module.id}", headers=GERMAN).get_data(as_text=True)
    assert f'<a href="/course/sessions/{session.id}/cancel">Präsenztermin absagen</a>' in page
    confirm = client.get(f"/course/sessions/{session.id}/cancel", headers=GERMAN)
    body = confirm.get_data(as_text=True)
    assert confirm.status_code == 200 and not sessions(app)[0].cancelled
    assert "Präsenztermin von „Grundlagen des Konfliktmanagements“ am 18.05.2017, 10:00 Uhr " \
           "absagen?" in body
    assert "Niemand wird per E-Mail benachrichtigt" in body
    assert '<input type="hidden" name="cancelled" value="1">' in body
    assert f'href="/course/modules/{module.id}#sessions"' in body
    client.post(f"/course/sessions/{session.id}/cancel", data={"cancelled": "1"})
    assert sessions(app)[0].cancelled


def test_editing_a_session_into_invalid_dates_changes_nothing(app, client, login, lecturer,
                                                              module, create_session):
    session = create_session(module)
    login(lecturer)
    response = client.post(f"/course/sessions/{session.id}/edit",
                           data=session_form(starts_at="2020-01-01T10:00",
                                             ends_at="2020-01-01T09:00"))
    assert response.status_code == 200
    after = sessions(app)[0]
    assert (after.starts_at, after.sequence) == (session.starts_at, 0)


# --- cohorts, through the audience a cohorts plugin registers ----------------------------


def test_the_form_offers_the_registered_cohorts(app, client, login, lecturer, module, cohorts):
    login(lecturer)
    form = client.get(f"/course/modules/{module.id}/sessions/new").get_data(as_text=True)
    assert "Studiengruppe 2017" in form and "Studiengruppe 2018" in form
    client.post(f"/course/modules/{module.id}/sessions/new", data=session_form(
        cohort_id="2", starts_at="2018-06-01T10:00", ends_at="2018-06-01T16:00"))
    assert sessions(app)[0].cohort_id == 2


def test_without_cohorts_the_form_has_no_cohort_choice(client, login, lecturer, module):
    login(lecturer)
    form = client.get(f"/course/modules/{module.id}/sessions/new").get_data(as_text=True)
    assert 'name="cohort_id"' not in form


def test_participants_see_their_cohort_s_sessions_and_those_for_all(
        client_for, create_user, module, create_session, cohorts):
    create_session(module, "2017-06-01 10:00", "2017-06-01 16:00", title="Für 2017",
                   cohort_id=cohorts["2017"])
    create_session(module, "2018-06-01 10:00", "2018-06-01 16:00", title="Für 2018",
                   cohort_id=cohorts["2018"])
    create_session(module, "2017-12-07 10:00", "2017-12-07 17:00", title="Für alle")
    for email, sees, misses in (("k2017@example.org", "Für 2017", "Für 2018"),
                                ("k2018@example.org", "Für 2018", "Für 2017")):
        page = client_for(create_user(email, Role.PARTICIPANT)).get(
            f"/course/modules/{module.id}").get_data(as_text=True)
        assert sees in page and "Für alle" in page and misses not in page


def test_participant_cannot_see_another_cohort_s_session_by_id(client_for, create_user,
                                                               module, create_session,
                                                               cohorts, app):
    from courses.access import session_policy

    other = create_session(module, cohort_id=cohorts["2018"])
    person = create_user("k2017@example.org", Role.PARTICIPANT)
    with app.app_context():
        from lms.auth.models import User

        user = db.session.get(User, person.id)
        assert not session_policy(user, "view", db.session.get(Session, other.id))
