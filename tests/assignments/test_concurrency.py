"""Two members of one team handing in at the same moment: two versions, both kept.

The jobs run as two gunicorn workers would (``tests.concurrency``).
"""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from assignments import submitting
from assignments.models import AssignmentKind, AssignmentSchedule, Submission, SubmissionVersion
from lms.auth.models import User
from lms.extensions import db
from tests.assignments.conftest import pdf
from tests.concurrency import run_at_once


def _hand_in(schedule_id: int, user_id: int, text: str):
    def job() -> None:
        submitting.hand_in(db.session.get(AssignmentSchedule, schedule_id),
                           db.session.get(User, user_id), text=text,
                           uploads=[(f"{text}.pdf", io.BytesIO(pdf(text)))],
                           token=submitting.new_token())
    return job


@pytest.mark.postgres_only
@pytest.mark.parametrize("rounds", [3])
def test_two_team_members_handing_in_at_once_keep_both_versions(app, world, create_assignment,
                                                                 create_schedule, rounds):
    schedule = create_schedule(create_assignment(world.module, kind=AssignmentKind.TEAM),
                               world.cohort)
    for round_number in range(rounds):
        outcomes = run_at_once(app, [
            _hand_in(schedule.id, world["hamm1"].id, f"sabine{round_number}"),
            _hand_in(schedule.id, world["hamm2"].id, f"tobias{round_number}"),
        ])
        assert outcomes == ["ok", "ok"]
    with app.app_context():
        submissions = db.session.scalars(select(Submission)).all()
        versions = db.session.scalars(select(SubmissionVersion)
                                      .order_by(SubmissionVersion.number)).all()
        assert len(submissions) == 1 and submissions[0].version_count == 2 * rounds
        assert [v.number for v in versions] == list(range(1, 2 * rounds + 1))
        texts = sorted(v.text for v in versions)
        assert texts == sorted(f"{who}{n}" for n in range(rounds) for who in ("sabine", "tobias"))
        # every version holds exactly the file its own request attached
        assert all([f.filename for f in v.files] == [f"{v.text}.pdf"] for v in versions)
