"""The assignment plugin's part of ``lms seed-demo``: work in every state, idempotent."""

from __future__ import annotations

from sqlalchemy import func, select

from assignments.models import (
    Assignment,
    AssignmentSchedule,
    DraftFile,
    Extension,
    Submission,
    SubmissionState,
    SubmissionVersion,
    VersionFile,
)
from lms.demo import DEMO_PASSWORD
from lms.extensions import db

MODELS = (Assignment, AssignmentSchedule, Extension, Submission, SubmissionVersion,
          VersionFile, DraftFile)


def seed(app) -> None:
    result = app.test_cli_runner().invoke(args=["lms", "seed-demo"])
    assert result.exit_code == 0, result.output


def counts(app) -> tuple[int, ...]:
    with app.app_context():
        return tuple(db.session.scalar(select(func.count()).select_from(model))
                     for model in MODELS)


def test_seed_is_idempotent_and_lived_in(app):
    seed(app)
    first = counts(app)
    seed(app)
    assert counts(app) == first
    assignments, schedules, extensions, _submissions, versions, files, drafts = first
    assert assignments == 10 and schedules == 17
    assert versions > 10 and files > 10 and drafts >= 1
    with app.app_context():
        # the one granted by hand, and one per return after the cut-off: time to revise
        returned = db.session.scalar(select(func.count()).select_from(Submission).where(
            Submission.state == SubmissionState.RETURNED))
        assert returned and extensions == 1 + returned
        states = set(db.session.scalars(select(Submission.state)))
        assert SubmissionState.DRAFT in states and len(states) >= 2
        assert sum(version.late for version in db.session.scalars(select(SubmissionVersion))) >= 2
        assert db.session.scalar(select(func.max(SubmissionVersion.number))) == 2


def test_the_demo_participant_finds_open_work(app):
    seed(app)
    client = app.test_client()
    client.post("/login", data={"email": "teilnehmer@example.org", "password": DEMO_PASSWORD})
    page = client.get("/assignments/", headers={"Accept-Language": "en"})
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Maßnahmenplan" in text and "Konfliktfall aus der eigenen Praxis" in text
    assert "state--draft" in text
