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
from lms.db import utcnow
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
    # seven modules' work in three cohorts; the steps' evidence: 2 + 1 + 2
    assert assignments == 7 + 5 and schedules == 7 * 3 + 5
    assert versions > 10 and files > 10 and drafts >= 1
    with app.app_context():
        # the one granted by hand, and one per return after the cut-off: time to revise
        returned = db.session.scalars(select(Submission).where(
            Submission.state == SubmissionState.RETURNED)).all()
        closed = [s for s in returned if s.schedule.cut_off_at < utcnow()]
        assert closed and extensions == 1 + len(closed)
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
