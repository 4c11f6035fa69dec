"""What the course gives the host: calendar events per viewer, and dashboard panels."""

from __future__ import annotations

from datetime import timedelta

import pytest

from courses.calendar import calendar_source
from courses.models import Module
from lms.auth.models import Role, User
from lms.db import utcnow
from lms.extensions import db
from lms.plugins import CalendarQuery, current_plugins
from tests.courses.conftest import berlin


@pytest.fixture
def plan(app, module, draft, create_session, cohorts):
    """Sessions for cohort 2017, cohort 2018, everyone, one cancelled, one of a draft."""
    return {
        "2017": create_session(module, "2017-06-01 10:00", "2017-06-01 16:00",
                               cohort_id=cohorts["2017"], title="2017"),
        "2018": create_session(module, "2018-06-01 10:00", "2018-06-01 16:00",
                               cohort_id=cohorts["2018"], title="2018"),
        "all": create_session(module, "2017-12-07 10:00", "2017-12-07 17:00", title="Alle"),
        "cancelled": create_session(module, "2018-01-18 10:00", "2018-01-19 16:00",
                                    title="Sturm", cancelled=True),
        "draft": create_session(draft, "2018-03-01 10:00", "2018-03-01 16:00",
                                title="Entwurf"),
    }


def events(app, viewer_id: int | None, **query):
    with app.test_request_context():
        viewer = db.session.get(User, viewer_id) if viewer_id else None
        return list(calendar_source(CalendarQuery(viewer=viewer, **query)))


def uids(plan, *names: str) -> set[str]:
    return {f"session-{plan[name].id}@lehrgang" for name in names}


def test_events_per_viewer(app, plan, create_user, lecturer):
    in_2017 = create_user("k2017@example.org", Role.PARTICIPANT)
    in_2018 = create_user("k2018@example.org", Role.PARTICIPANT)
    outsider = create_user("niemand@example.org", Role.PARTICIPANT)
    assert {e.uid for e in events(app, in_2017.id)} == uids(plan, "2017", "all", "cancelled")
    assert {e.uid for e in events(app, in_2018.id)} == uids(plan, "2018", "all", "cancelled")
    assert events(app, outsider.id) == []
    assert events(app, None) == []  # sessions are never public
    assert {e.uid for e in events(app, lecturer.id)} == uids(plan, *plan)


def test_event_fields(app, plan, lecturer, module):
    by_uid = {e.uid: e for e in events(app, lecturer.id)}
    cancelled = by_uid[f"session-{plan['cancelled'].id}@lehrgang"]
    assert cancelled.cancelled and cancelled.kind == "session"
    assert cancelled.start == berlin("2018-01-18 10:00") and cancelled.start.tzinfo
    assert cancelled.title == f"{module.title} \u2013 Sturm"
    assert cancelled.location.startswith("Akademie")
    assert cancelled.url.endswith(f"/course/modules/{module.id}")
    assert cancelled.last_modified is not None and cancelled.cohort_id is None
    assert by_uid[f"session-{plan['2018'].id}@lehrgang"].cohort_id == 2


def test_sequence_and_last_modified_follow_changes(app, client, login, lecturer, plan):
    before = {e.uid: e for e in events(app, lecturer.id)}
    login(lecturer)
    session = plan["all"]
    client.post(f"/course/sessions/{session.id}/cancel", data={"cancelled": "1"})
    after = {e.uid: e for e in events(app, lecturer.id)}
    uid = f"session-{session.id}@lehrgang"
    assert after[uid].sequence == before[uid].sequence + 1 == 1
    assert after[uid].cancelled and after[uid].last_modified >= before[uid].last_modified


def test_query_filters(app, plan, lecturer):
    assert {e.uid for e in events(app, lecturer.id, cohort_ids=frozenset({1}))} == \
        uids(plan, "2017", "all", "cancelled", "draft")
    assert events(app, lecturer.id, kinds=frozenset({"deadline"})) == []
    assert len(events(app, lecturer.id, kinds=frozenset({"session", "deadline"}))) == 5
    window = events(app, lecturer.id, start=berlin("2017-12-07 12:00"),
                    end=berlin("2018-01-18 11:00"))
    assert {e.uid for e in window} == uids(plan, "all", "cancelled")  # overlaps count


def test_without_a_cohorts_plugin_everyone_sees_every_published_session(
        app, module, draft, create_session, participant):
    create_session(module, title="A")
    create_session(draft, title="B")
    assert [e.title for e in events(app, participant.id)] == [f"{module.title} \u2013 A"]


def test_the_registry_collects_the_sessions(app, plan, lecturer):
    with app.test_request_context():
        viewer = db.session.get(User, lecturer.id)
        found = current_plugins().calendar_events(CalendarQuery(viewer=viewer))
    assert {e.uid for e in found} >= uids(plan, *plan)


# --- dashboard ---------------------------------------------------------------------------


def test_participant_dashboard_shows_next_sessions_and_modules(app, client, login,
                                                               participant, course, module,
                                                               create_session):
    with app.app_context():
        db.session.get(Module, module.id).course.ends_at = utcnow() + timedelta(days=90)
        db.session.commit()
    soon = (utcnow() + timedelta(days=2)).astimezone()
    create_session(module, soon.strftime("%Y-%m-%d 10:00"), soon.strftime("%Y-%m-%d 15:00"),
                   title="Nächster Termin")
    login(participant)
    page = client.get("/").get_data(as_text=True)
    assert "Nächster Termin" in page and module.title in page
    assert f'href="/course/modules/{module.id}"' in page


def test_participant_dashboard_empty_states(client, login, participant, course):
    login(participant)
    page = client.get("/").get_data(as_text=True)
    assert page.count('class="empty-state"') >= 2
    assert 'href="/course/"' in page


def test_staff_dashboard_lists_drafts_and_offers_a_new_module(client, login, lecturer, course,
                                                               draft, module):
    login(lecturer)
    page = client.get("/").get_data(as_text=True)
    assert draft.title in page and f'href="/course/{course.id}/modules/new"' in page
    assert f'href="/course/modules/{module.id}"' not in page  # published: not a draft


def test_staff_dashboard_without_course_says_set_it_up(client, login, organiser):
    login(organiser)
    assert 'href="/course/new"' in client.get("/").get_data(as_text=True)


def test_session_ordering_on_the_dashboard_is_by_start(app, participant, module,
                                                       create_session):
    from courses.dashboard import dashboard_panels

    with app.app_context():
        db.session.get(Module, module.id).course.ends_at = utcnow() + timedelta(days=90)
        db.session.commit()
    base = (utcnow() + timedelta(days=5)).astimezone()
    for day, title in ((3, "Später"), (1, "Früher")):
        start = base + timedelta(days=day)
        create_session(module, start.strftime("%Y-%m-%d 10:00"),
                       start.strftime("%Y-%m-%d 12:00"), title=title)
    with app.test_request_context():
        panels = dashboard_panels(db.session.get(User, participant.id))
    body = str(panels[0].body)
    assert body.index("Früher") < body.index("Später")
