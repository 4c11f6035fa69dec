"""``flask lms seed-scale`` makes the sizes it is asked for, on top of the demo, with rows
the app reads like its own: newest versions stored on their submissions, the scale's
people able to sign in and see their cohort's work."""

from __future__ import annotations

from sqlalchemy import func, select

from assignments.models import AssignmentSchedule, Review, Submission, SubmissionVersion
from cohorts.models import Cohort, Enrollment
from courses.models import Session
from lms.auth.models import User
from lms.demo import DEMO_PASSWORD
from lms.extensions import db
from lms.mail import OutboxMessage


def _count(statement) -> int:
    return db.session.scalar(statement) or 0


def test_seed_scale_makes_the_sizes_asked_for(app, client, demo_world):
    with app.app_context():
        mails_before = _count(select(func.count(OutboxMessage.id)))
    result = app.test_cli_runner().invoke(args=[
        "lms", "seed-scale", "--cohorts", "3", "--participants", "24", "--versions", "150",
        "--outbox", "40"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        cohorts = db.session.scalars(select(Cohort).where(Cohort.name.like("Skalierung %")))
        cohort_ids = [cohort.id for cohort in cohorts]
        assert len(cohort_ids) == 3
        assert _count(select(func.count(User.id)).where(User.email.like("scale-%"))) == 24
        assert _count(select(func.count(Enrollment.id))
                      .where(Enrollment.cohort_id.in_(cohort_ids))) == 24
        assert _count(select(func.count(Session.id))
                      .where(Session.cohort_id.in_(cohort_ids))) > 0
        in_scale = Submission.schedule.has(AssignmentSchedule.cohort_id.in_(cohort_ids))
        versions = (select(func.count(SubmissionVersion.id))
                    .join(SubmissionVersion.submission).where(in_scale))
        assert _count(versions) == 150
        newest = db.session.execute(
            select(Submission.version_count, SubmissionVersion.number)
            .join(SubmissionVersion, SubmissionVersion.id == Submission.latest_version_id)
            .where(in_scale)).all()
        assert newest and all(count == number for count, number in newest)
        # the HTML of Markdown columns is there, though the rows came in bulk
        texts = db.session.execute(select(SubmissionVersion.text, SubmissionVersion.text_html)
                                   .join(SubmissionVersion.submission).where(in_scale)).all()
        assert all(html == f"<p>{text}</p>" for text, html in texts)
        assert _count(select(func.count(Review.id)).join(Review.version)
                      .join(SubmissionVersion.submission)
                      .where(in_scale)) > 0
        assert _count(select(func.count(OutboxMessage.id))) == mails_before + 40

    signed_in = client.post("/login", data={"email": "scale-00000@example.org",
                                            "password": DEMO_PASSWORD})
    assert signed_in.status_code == 302
    assert client.get("/").status_code == 200
    assert client.get("/assignments/").status_code == 200
