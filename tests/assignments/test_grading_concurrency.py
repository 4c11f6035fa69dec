"""Lecturers saving a grade for the same version at the same moment (SQLite and PostgreSQL).

Each save locks the submission row and then compares the stamp its form was built from,
so the second one waits, sees the first one's change and is told; nothing is lost
silently, with or without a review already there, and nobody gets a 500.
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
from tests.assignments.grading_support import EN, grading_form
from tests.concurrency import clone, kinds, run_at_once, statuses

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


SAVES = 5


def test_parallel_first_grades_keep_one_and_refuse_the_others(app, world, graded):
    """No review yet: before, every save inserted one and 5 x 500 (IntegrityError) on SQLite."""
    submission = graded.submissions["hamm2"]
    seen, version_id = _form_state(app, submission)
    staff = [world["lecturer"].id, world["organiser"].id]
    outcomes = run_at_once(app, [_save(submission, staff[n % 2], 10 + n, seen, version_id)
                                 for n in range(SAVES)])
    assert kinds(outcomes) == ["ok"] + ["refused"] * (SAVES - 1), outcomes
    with app.app_context():
        changes = db.session.scalars(select(GradeChange)).all()
        assert len(changes) == 1
        review = db.session.get(Submission, submission).latest_version.review
        assert review.points == changes[0].after["points"]


def test_parallel_grade_saves_through_the_page_answer_409_not_500(app, world, graded,
                                                                  signed_in):
    submission = graded.submissions["hamm1"]
    lecturer = signed_in(world["lecturer"])
    form = grading_form(lecturer, submission)
    clients = [clone(app, lecturer) for _ in range(SAVES)]

    def post(client, points: int):
        def job() -> int:
            return client.post(f"/assignments/submissions/{submission}/grade", headers=EN,
                               data={**form, "action": "grade", "points": str(points),
                                     "feedback": f"Fassung {points}"},
                               content_type="multipart/form-data").status_code
        return job

    outcomes = run_at_once(app, [post(client, 10 + n) for n, client in enumerate(clients)])
    assert statuses(outcomes) == [302] + [409] * (SAVES - 1), outcomes
    with app.app_context():
        assert len(db.session.scalars(select(GradeChange)).all()) == 1
