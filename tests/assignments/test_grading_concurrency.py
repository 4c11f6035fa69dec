"""Two lecturers saving a grade for the same version at the same moment (PostgreSQL).

Each save locks the submission row and then compares the stamp its form was built from,
so the second one waits, sees the first one's change and is told; nothing is lost
silently, with or without a review already there.
"""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import select

from assignments import reviews
from assignments.models import GradeChange, ReviewOutcome, Submission
from assignments.reviews import ReviewInput
from lms.auth.models import User
from lms.extensions import db
from tests.assignments import grading_support
from tests.concurrency import kinds, run_at_once

#: fixtures shared with the other grading tests
graded, signed_in = grading_support.graded, grading_support.signed_in


def _save(submission_id: int, user_id: int, points: float, seen: str, version_id: int):
    def job() -> None:
        reviews.save_review(db.session.get(Submission, submission_id),
                            ReviewInput(ReviewOutcome.GRADED, points=points),
                            actor=db.session.get(User, user_id), seen=seen,
                            version_id=version_id)
    return job


def _form_state(app, submission_id: int) -> tuple[str, int]:
    with app.app_context():
        submission = db.session.get(Submission, submission_id)
        return reviews.stamp(submission), submission.latest_version.id


@pytest.mark.postgres_only
@pytest.mark.parametrize("rounds", [3])
def test_two_lecturers_saving_at_once_one_is_told(app, world, graded, rounds):
    submission = graded.submissions["hamm1"]
    lecturer, organiser = world["lecturer"].id, world["organiser"].id
    for round_number in range(rounds):
        seen, version_id = _form_state(app, submission)
        outcomes = run_at_once(app, [
            _save(submission, lecturer, 10 + round_number, seen, version_id),
            _save(submission, organiser, 15 + round_number, seen, version_id),
        ])
        assert kinds(outcomes) == ["ok", "refused"], outcomes
        assert "Someone else changed this review" in next(
            outcome for outcome in outcomes if outcome != "ok")
    with app.app_context():
        changes = db.session.scalars(select(GradeChange).order_by(GradeChange.id)).all()
        assert len(changes) == rounds  # one kept change per round, each on top of the last
        for before, after in itertools.pairwise(changes):
            assert after.before == before.after
        review = db.session.get(Submission, submission).latest_version.review
        assert review.points == changes[-1].after["points"]
