"""Handing in at the same moment, on SQLite and PostgreSQL: every version kept, no 5xx.

The jobs run as separate gunicorn workers would (``tests.concurrency``): team members
handing in together, starting their first draft together, a crowd of hand-ins through
the web pages; and a row created on first use (a cohort's step settings).
"""

from __future__ import annotations

import io

import pytest
from sqlalchemy import delete, select

from assignments import submitting
from assignments.models import AssignmentKind, AssignmentSchedule, Submission, SubmissionVersion
from assignments.steps import procedures
from assignments.steps.models import StepSettings
from cohorts.models import Cohort
from lms.auth.models import User
from lms.extensions import db
from tests.assignments.conftest import pdf
from tests.assignments.test_submit import EN, token_of, work_url
from tests.concurrency import clone, kinds, run_at_once, statuses

HAND_INS = 20


def _hand_in(schedule_id: int, user_id: int, text: str):
    def job() -> None:
        submitting.hand_in(db.session.get(AssignmentSchedule, schedule_id),
                           db.session.get(User, user_id), text=text,
                           uploads=[(f"{text}.pdf", io.BytesIO(pdf(text)))],
                           token=submitting.new_token())
    return job


def _versions(app) -> tuple[list[Submission], list[SubmissionVersion]]:
    with app.app_context():
        submissions = db.session.scalars(select(Submission)).all()
        versions = db.session.scalars(select(SubmissionVersion)
                                      .order_by(SubmissionVersion.number)).all()
        for version in versions:
            _ = version.files
        db.session.expunge_all()
    return submissions, versions


@pytest.fixture
def team(world, create_assignment, create_schedule) -> AssignmentSchedule:
    return create_schedule(create_assignment(world.module, kind=AssignmentKind.TEAM,
                                             max_files=2), world.cohort)


@pytest.mark.parametrize("rounds", [3])
def test_two_team_members_handing_in_at_once_keep_both_versions(app, world, team, rounds):
    for round_number in range(rounds):
        outcomes = run_at_once(app, [
            _hand_in(team.id, world["hamm1"].id, f"sabine{round_number}"),
            _hand_in(team.id, world["hamm2"].id, f"tobias{round_number}"),
        ])
        assert outcomes == ["ok", "ok"]
    submissions, versions = _versions(app)
    assert len(submissions) == 1 and submissions[0].version_count == 2 * rounds
    assert [v.number for v in versions] == list(range(1, 2 * rounds + 1))
    texts = sorted(v.text for v in versions)
    assert texts == sorted(f"{who}{n}" for n in range(rounds) for who in ("sabine", "tobias"))
    # every version holds exactly the file its own request attached
    assert all([f.filename for f in v.files] == [f"{v.text}.pdf"] for v in versions)


def test_a_crowd_of_hand_ins_by_one_team_keeps_every_version(app, world, team):
    """20 at once: on SQLite 16 of them answered 500 before (stale version numbers)."""
    members = [world["hamm1"].id, world["hamm2"].id]
    outcomes = run_at_once(app, [_hand_in(team.id, members[n % 2], f"fassung{n}")
                                 for n in range(HAND_INS)])
    assert kinds(outcomes) == ["ok"] * HAND_INS, outcomes
    submissions, versions = _versions(app)
    assert len(submissions) == 1 and submissions[0].version_count == HAND_INS
    assert [v.number for v in versions] == list(range(1, HAND_INS + 1))
    assert sorted(v.text for v in versions) == sorted(f"fassung{n}" for n in range(HAND_INS))


def test_first_drafts_by_two_team_members_at_once_make_one_submission(app, world, team):
    """Before, both found no submission and created one: 500 (IntegrityError) on SQLite."""
    def first_draft(user_id: int, text: str):
        def job() -> None:
            submission = submitting.submission_for(db.session.get(AssignmentSchedule, team.id),
                                                   db.session.get(User, user_id))
            submitting.save_draft(submission, text, [], actor=db.session.get(User, user_id))
        return job

    for round_number in range(3):
        with app.app_context():
            for submission in db.session.scalars(select(Submission)):
                db.session.delete(submission)
            db.session.commit()
        outcomes = run_at_once(app, [first_draft(world["hamm1"].id, "Sabine"),
                                     first_draft(world["hamm2"].id, "Tobias")])
        assert outcomes == ["ok", "ok"], (round_number, outcomes)
        submissions = _versions(app)[0]
        assert len(submissions) == 1
        assert submissions[0].draft_text in ("Sabine", "Tobias")


def test_parallel_hand_ins_through_the_pages_answer_no_5xx(app, world, team, client_for):
    """The web pages as a crowd uses them: every request answers, every version is kept."""
    signed_in = [client_for(world["hamm1"]), client_for(world["hamm2"])]
    requests = []
    for n in range(HAND_INS):
        client = clone(app, signed_in[n % 2])
        requests.append((client, token_of(client, team), f"Seite{n}"))

    def post(client, token: str, text: str):
        def job() -> int:
            return client.post(work_url(team), headers=EN, content_type="multipart/form-data",
                               data={"text": text, "token": token, "submit": "1",
                                     "files": [(io.BytesIO(pdf(text)), f"{text}.pdf")]},
                               ).status_code
        return job

    outcomes = run_at_once(app, [post(*request) for request in requests])
    assert statuses(outcomes) == [302] * HAND_INS, outcomes
    submissions, versions = _versions(app)
    assert len(submissions) == 1 and len(versions) == HAND_INS
    assert sorted(v.text for v in versions) == sorted(f"Seite{n}" for n in range(HAND_INS))
    assert all([f.filename for f in v.files] == [f"{v.text}.pdf"] for v in versions)


def test_two_organisers_setting_sharing_at_once_create_one_settings_row(app, world):
    """The settings row is created on first use: without the lock, the second insert
    failed (IntegrityError)."""
    def share(value: bool):
        def job() -> None:
            procedures.set_share_progress(db.session.get(Cohort, world.cohort.id), value,
                                          actor=db.session.get(User, world["organiser"].id))
        return job

    for _round in range(3):
        with app.app_context():
            db.session.execute(delete(StepSettings))
            db.session.commit()
        assert run_at_once(app, [share(True), share(False)]) == ["ok", "ok"]
        with app.app_context():
            assert len(db.session.scalars(select(StepSettings)).all()) == 1
