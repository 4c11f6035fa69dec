"""What a page works out once per request however many templates it renders: a
dashboard renders each plugin's panel as a template of its own."""

from __future__ import annotations

import pytest

import lms.navigation
from lms.demo import DEMO_PASSWORD


@pytest.fixture
def menus_worked_out(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    calls: list[object] = []
    work_out = lms.navigation.navigation_links

    def counted(user):
        calls.append(user)
        return work_out(user)

    monkeypatch.setattr(lms.navigation, "navigation_links", counted)
    return calls


def sign_in(client, email: str) -> None:
    client.post("/logout")
    signed_in = client.post("/login", data={"email": email, "password": DEMO_PASSWORD})
    assert signed_in.status_code == 302


def test_a_dashboard_works_out_its_menu_once(demo_world, client, menus_worked_out):
    for email in ("teilnehmer@example.org", "dozent@example.org", "orga@example.org"):
        sign_in(client, email)
        menus_worked_out.clear()
        assert client.get("/").status_code == 200
        assert len(menus_worked_out) == 1, email


def test_a_panel_template_alone_does_not_work_out_the_menu(app, menus_worked_out):
    from flask import render_template_string

    with app.test_request_context("/"):
        render_template_string("<p>{{ 1 }}</p>")
    assert menus_worked_out == []


# --- results a request shares ---------------------------------------------------------------


def test_a_shared_result_is_worked_out_once_per_page_view(app):
    from lms.memo import per_request

    calls: list[int] = []

    @per_request
    def square(number: int, *, twice: bool = False) -> int:
        calls.append(number)
        return number * number * (2 if twice else 1)

    with app.test_request_context("/"):
        assert [square(3), square(3), square(number=3), square(4)] == [9, 9, 9, 16]
        assert square(3, twice=True) == 18
    assert calls == [3, 4, 3]
    with app.test_request_context("/"):
        square(3)
    assert calls == [3, 4, 3, 3], "a new request works it out again"


def test_a_write_or_a_form_sent_forgets_what_was_worked_out(app, create_user):
    from lms.auth.models import User
    from lms.extensions import db
    from lms.memo import per_request

    @per_request
    def names() -> list[str]:
        return list(db.session.scalars(db.select(User.email).order_by(User.id)))

    create_user("erste@example.org")
    with app.test_request_context("/"):
        assert names() == ["erste@example.org"]
        db.session.add(User(email="zweite@example.org", display_name="Zweite"))
        db.session.flush()
        assert names() == ["erste@example.org", "zweite@example.org"]
        db.session.rollback()
    with app.test_request_context("/", method="POST"):
        assert names() == ["erste@example.org"]
        db.session.add(User(email="dritte@example.org", display_name="Dritte"))
        assert len(names()) == 2, "autoflush: a form's request never reads an old answer"
        db.session.rollback()


SHARED_WORK = ["assignments.gradebook.build_gradebook", "assignments.overview.participant_rows",
               "cohorts.attendance.cohort_sessions", "courses.access.visible_courses",
               "cohorts.access.cohort_choices", "cohorts.access.current_enrollments",
               "advice.access.municipality_ids_of"]


@pytest.fixture
def shared_work(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[object]]:
    """How often each function of ``SHARED_WORK`` did its work (not answered from what the
    request kept)."""
    import importlib

    calls: dict[str, list[object]] = {}
    for work in SHARED_WORK:
        module_name, name = work.rsplit(".", 1)
        kept = getattr(importlib.import_module(module_name), name)
        calls[name] = []

        def counted(*args, _work=kept.__wrapped__, _calls=calls[name], **kwargs):
            _calls.append(args)
            return _work(*args, **kwargs)

        monkeypatch.setattr(kept, "__wrapped__", counted)
    return calls


def test_a_page_works_out_shared_results_once(demo_world, app, client, shared_work):
    """The gradebook's certificate column reads the gradebook the page built; the
    dashboard's panels share the person's work and their cohort's sessions, and its list of
    sessions names their cohorts from one list; the calendar's sources share the person's
    cohorts and municipalities."""
    from sqlalchemy import select

    from assignments.models import Assignment
    from cohorts.models import Cohort
    from lms.demo import CURRENT
    from lms.extensions import db

    with app.app_context():
        cohort_id = db.session.scalar(select(Cohort.id).where(Cohort.demo_key == CURRENT))
        module_id = db.session.scalar(select(Assignment.module_id).where(
            Assignment.title == "Entwurf eines Konfliktmanagementsystems"))
    pages = [("dozent@example.org", f"/assignments/cohorts/{cohort_id}/gradebook",
              ["build_gradebook"]),
             ("teilnehmer@example.org", "/",
              ["participant_rows", "cohort_sessions", "cohort_choices"]),
             ("teilnehmer@example.org", f"/course/modules/{module_id}", ["visible_courses"]),
             ("teilnehmer@example.org", "/calendar/?view=month",
              ["current_enrollments", "municipality_ids_of"])]
    for email, path, works in pages:
        sign_in(client, email)
        for calls in shared_work.values():
            calls.clear()
        assert client.get(path).status_code == 200
        assert {work: len(shared_work[work]) for work in works} == dict.fromkeys(works, 1)


def test_a_request_reads_who_is_signed_in_in_one_query(app, participant):
    """Every signed-in page begins so: the person with their roles, one statement."""
    from lms.auth.logins import user_for_login_id
    from lms.auth.models import User
    from lms.extensions import db
    from tests.querycount import count_queries

    with app.app_context():
        login_id = db.session.get(User, participant.id).get_login_id()
    with app.test_request_context("/"), count_queries(app) as log:
        user = user_for_login_id(login_id)
        assert user.roles == participant.roles
    assert log.count == 1, log.statements


def test_the_dashboard_reads_the_persons_enrollments_once(demo_world, app, client):
    """Each panel (the cohort, the work, the progress, the advice cases) asks which cohorts
    and municipalities the person is in now; the answer is read once."""
    import re

    from tests.querycount import count_queries

    sign_in(client, "teilnehmer@example.org")
    with count_queries(app) as log:
        assert client.get("/").status_code == 200
    pattern = re.compile(r"FROM cohort_enrollments\b[^()]*WHERE cohort_enrollments.user_id = "
                         r"\S+ AND cohort_enrollments.ended_at IS NULL")
    own = [statement for statement in log.statements
           if pattern.search(" ".join(statement.split()))]
    assert len(own) == 1, own
