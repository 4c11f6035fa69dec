"""Factories for the course plugin's tests: courses, modules, sessions, materials.

Each factory builds through the plugin's services (so the same rules apply as on the
pages), commits, and returns the object detached with its columns loaded; relationships
are not loaded, so tests read ids and values from it and use the database for the rest.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from datetime import date, datetime
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from courses import materials, services
from courses.access import STAFF
from courses.audience import EXTENSION_KEY as AUDIENCE_KEY
from courses.audience import CourseAudience
from courses.demo import simple_pdf
from courses.models import Course, Material, Module, Session
from courses.services import CourseDetails, ModuleContent, SessionDetails
from lms.auth.models import User
from lms.dates import berlin_to_utc
from lms.extensions import db
from tests.conftest import TEST_PASSWORD

CSRF_TOKEN = re.compile(r'name="([\w-]*csrf_token)"[^>]*value="([^"]+)"')
COURSE_START = "2017-05-01 00:00"
COURSE_END = "2018-12-31 23:59"


def berlin(text: str) -> datetime:
    """``"2017-05-18 10:00"`` in Berlin as an aware UTC datetime."""
    return berlin_to_utc(datetime.strptime(text, "%Y-%m-%d %H:%M"))


def form_time(text: str) -> str:
    """``"2017-05-18 10:00"`` as a datetime-local input sends it."""
    return text.replace(" ", "T")


def _detached(app: Flask, obj: Any) -> Any:
    db.session.commit()
    db.session.refresh(obj)
    db.session.expunge(obj)
    return obj


@pytest.fixture
def create_course(app: Flask) -> Callable[..., Course]:
    def create(title: str = "Integrationsmanagement und Systemdesign",
               starts: str = COURSE_START, ends: str = COURSE_END, **details: str) -> Course:
        with app.test_request_context():
            course = services.create_course(
                CourseDetails(title=title, starts_at=berlin(starts), ends_at=berlin(ends),
                              **details), actor=None)
            return _detached(app, course)

    return create


@pytest.fixture
def course(create_course: Callable[..., Course]) -> Course:
    return create_course()


@pytest.fixture
def create_module(app: Flask, course: Course) -> Callable[..., Module]:
    def create(title: str = "Grundlagen des Konfliktmanagements", *, in_course: Course = course,
               published: bool = True, summary: str = "Worum es geht.",
               objectives: str = "- Konflikte beschreiben",
               content: str = "## Einstieg\n\nKonflikte gehören zur Integration.",
               author: User | None = None) -> Module:
        with app.test_request_context():
            actor = db.session.get(User, author.id) if author else None
            module = services.create_module(
                db.session.get(Course, in_course.id),
                ModuleContent(title, summary, objectives, content), actor=actor)
            services.set_module_published(module, published, actor=actor)
            return _detached(app, module)

    return create


@pytest.fixture
def module(create_module: Callable[..., Module]) -> Module:
    return create_module()


@pytest.fixture
def draft(create_module: Callable[..., Module]) -> Module:
    return create_module("Entwurf: Systemdesign", published=False,
                         content="Geheimer Entwurfstext")


@pytest.fixture
def create_session(app: Flask) -> Callable[..., Session]:
    def create(of: Module, starts: str = "2017-05-18 10:00", ends: str = "2017-05-19 16:00",
               *, cohort_id: int | None = None, title: str = "",
               location: str = "Akademie, Königswall 21, 44137 Dortmund",
               cancelled: bool = False) -> Session:
        with app.test_request_context():
            session = services.schedule_session(
                db.session.get(Module, of.id),
                SessionDetails(starts_at=berlin(starts), ends_at=berlin(ends), title=title,
                               location=location))
            # set directly: the audience of these tests decides which cohorts exist
            session.cohort_id = cohort_id
            session.cancelled = cancelled
            return _detached(app, session)

    return create


@pytest.fixture
def create_material(app: Flask) -> Callable[..., Material]:
    def create(of: Module, filename: str = "Leitfaden.pdf", data: bytes | None = None, *,
               title: str = "Leitfaden", url: str | None = None) -> Material:
        with app.test_request_context():
            target = db.session.get(Module, of.id)
            if url is not None:
                material = materials.add_link(target, title=title, url=url, actor=None)
            else:
                material = materials.add_file(
                    target, title=title, filename=filename,
                    stream=io.BytesIO(data if data is not None else simple_pdf(["Leitfaden"])),
                    actor=None)
            return _detached(app, material)

    return create


@pytest.fixture
def client_for(app: Flask) -> Callable[[User], FlaskClient]:
    """A separate signed-in client per person (for two people working at once)."""

    def sign_in(user: User) -> FlaskClient:
        client = app.test_client()
        data = {"email": user.email, "password": TEST_PASSWORD}
        token = CSRF_TOKEN.search(client.get("/login").get_data(as_text=True))
        if token:  # CSRF switched on for this test
            data[token.group(1)] = token.group(2)
        assert client.post("/login", data=data).status_code == 302
        return client

    return sign_in


@pytest.fixture(autouse=True)
def audience(app: Flask) -> Iterator[None]:
    """The course's own default audience, whatever a cohorts plugin registered.

    These tests are about the course plugin alone; the ``cohorts`` fixture swaps in an
    audience with cohorts where a test needs one.
    """
    registered = app.extensions.pop(AUDIENCE_KEY, None)
    yield
    app.extensions.pop(AUDIENCE_KEY, None)
    if registered is not None:
        app.extensions[AUDIENCE_KEY] = registered


@pytest.fixture
def cohorts(app: Flask, audience: None) -> Iterator[dict[str, int]]:
    """An audience as the cohorts plugin would register it: two cohorts, people in them.

    Participants whose email starts with "k2017" are in cohort 1, "k2018" in cohort 2;
    anyone else with the participant role belongs to no cohort and not to the course.
    """
    ids = {"2017": 1, "2018": 2}
    periods = {1: (date(2017, 5, 1), date(2018, 12, 31)), 2: (date(2018, 1, 1), date(2019, 6, 30))}

    def cohort_ids_of(user: User) -> set[int] | None:
        if user.has_role(*STAFF):
            return None
        return {ids[year] for year in ids if user.email.startswith(f"k{year}")}

    app.extensions[AUDIENCE_KEY] = CourseAudience(
        cohort_choices=lambda _course: [(1, "Studiengruppe 2017"), (2, "Studiengruppe 2018")],
        cohort_ids_of=cohort_ids_of,
        is_member=lambda user, _course: cohort_ids_of(user) is None or bool(cohort_ids_of(user)),
        cohort_period=periods.get,
    )
    yield ids


@pytest.fixture
def world(app, organiser, lecturer, participant, course, module, draft, create_session,
          create_material):
    """Objects the paths refer to: the published module has two revisions and a session."""
    session = create_session(module)
    values = {
        "course": course.id, "module": module.id, "draft": draft.id, "session": session.id,
        "file": create_material(module).id,
        "link": create_material(module, title="Link", url="https://example.org/").id,
        "draft_file": create_material(draft, title="Entwurfsmaterial").id,
    }
    with app.test_request_context():
        services.update_module(
            db.session.get(Module, module.id),
            ModuleContent("Grundlagen (überarbeitet)", content="Zweite Fassung"),
            actor=db.session.get(User, lecturer.id), expected_revision=1,
            starts_at=None, ends_at=None)
        db.session.commit()
    return {"values": values,
            "people": {"participant": participant, "lecturer": lecturer,
                       "organiser": organiser}}
