"""The course's part of ``lms seed-demo``: substantial German modules, both cohorts' dates."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from cohorts.models import Cohort
from courses.demo import demo_sessions_of_year, simple_pdf
from courses.models import Course, Material, MaterialKind, Module, ModuleRevision, Session
from lms.demo import CURRENT
from lms.extensions import db
from lms.storage import current_storage


@pytest.fixture(autouse=True)
def audience() -> None:
    """The whole demo runs here, with the audience the cohorts plugin registers."""


def seed(app) -> None:
    result = app.test_cli_runner().invoke(args=["lms", "seed-demo"])
    assert result.exit_code == 0, result.output


def counts(app) -> tuple[int, ...]:
    with app.app_context():
        return tuple(db.session.scalar(select(func.count()).select_from(model))
                     for model in (Course, Module, ModuleRevision, Session, Material))


def test_seed_is_idempotent(app):
    seed(app)
    first = counts(app)
    seed(app)
    assert counts(app) == first
    assert first[0] == 1 and first[1] >= 6


def test_modules_are_substantial_published_and_in_order(app, demo_world):
    with app.app_context():
        modules = db.session.scalars(select(Module).order_by(Module.position)).all()
        assert [m.position for m in modules] == list(range(1, len(modules) + 1))
        for module in modules:
            paragraphs = [p for p in module.content.split("\n\n") if len(p) > 200]
            assert module.published and len(paragraphs) >= 3, module.title
            assert module.summary and module.objectives and module.revisions[0].author
        titles = " ".join(m.title for m in modules)
        for topic in ("Konfliktmanagement", "Mediation", "Integrationsmanagement",
                      "Systemdesign", "Bestandsaufnahme", "Gremien", "Umsetzung"):
            assert topic in titles


def test_sessions_for_both_cohorts_within_the_course(app, demo_world):
    with app.app_context():
        course = db.session.scalar(select(Course))
        sessions = db.session.scalars(select(Session)).all()
        assert all(course.starts_at <= s.starts_at < s.ends_at <= course.ends_at
                   for s in sessions)
        # made for all cohorts; a cohorts plugin's demo may point them at its cohorts
        assert all(s.demo_key for s in sessions)
        first, second = demo_sessions_of_year(2017), demo_sessions_of_year(2018)
        assert len(first) >= 6 and len(second) >= 6
        assert not {s.id for s in first} & {s.id for s in second}
        assert min(s.starts_at for s in first).strftime("%Y-%m") == "2017-05"
        assert all(s.starts_at.year == 2018 for s in second)
        assert any(s.cancelled for s in first)
        assert all(s.location or s.online_url for s in sessions)


def test_materials_are_stored_and_pdfs_are_valid(app, demo_world):
    with app.app_context():
        files = db.session.scalars(select(Material).where(
            Material.kind == MaterialKind.FILE)).all()
        assert len(files) >= 3
        for material in files:
            with current_storage().open(material.sha256) as handle:
                data = handle.read()
            if material.filename.endswith(".pdf"):
                assert_valid_pdf(data)
        assert db.session.scalar(select(func.count()).select_from(Material).where(
            Material.kind == MaterialKind.LINK)) >= 1


def assert_valid_pdf(data: bytes) -> None:
    """Header, trailer, and every xref offset pointing at its object."""
    assert data.startswith(b"%PDF-1.4") and data.rstrip().endswith(b"%%EOF")
    startxref = int(re.search(rb"startxref\n(\d+)", data).group(1))
    assert data[startxref:].startswith(b"xref")
    entries = re.findall(rb"(\d{10}) 00000 n ", data[startxref:])
    for number, offset in enumerate(entries, start=1):
        assert data[int(offset):].startswith(b"%d 0 obj" % number)
    length = int(re.search(rb"/Length (\d+)", data).group(1))
    stream = data[data.index(b"stream\n") + 7:]
    assert stream[length:].startswith(b"\nendstream")


def test_simple_pdf_escapes_text():
    assert_valid_pdf(simple_pdf(["Klammern (und) Backslash \\ und Umlaute äöü \u2013 ok"]))


def test_demo_participant_reads_the_course(app, demo_world, client):
    response = client.post("/login", data={"email": "teilnehmer@example.org",
                                           "password": "lehrgang-demo"})
    assert response.status_code == 302
    with app.app_context():
        course_id = db.session.scalar(select(Course.id))
        module_id = db.session.scalar(select(Module.id).where(Module.position == 1))
        material_id = db.session.scalar(select(Material.id).where(
            Material.kind == MaterialKind.FILE))
        cohort = db.session.scalar(select(Cohort.name).where(Cohort.demo_key == CURRENT))
    page = client.get(f"/course/{course_id}").get_data(as_text=True)
    assert "Grundlagen des Konfliktmanagements" in page
    page = client.get(f"/course/modules/{module_id}").get_data(as_text=True)
    # the participant's own cohort's session, not the historical cohorts'
    assert "Konflikte gehören zur Integration" in page and cohort in page
    assert "Studiengruppe 2018" not in page
    assert client.get(f"/course/materials/{material_id}/download").status_code == 200
